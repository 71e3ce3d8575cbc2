//! The forms of the devoirs (multipart: their texts, read here), checked, or the form
//! state to show again with the French error beside the field.

use crate::attachments::Attachment;
use crate::ui::form::{all_values, first_value, FormState};

/// A hand-in: the text, and the files (those kept from an earlier attempt that are still
/// ticked, then the new ones, each once).
pub fn read_hand_in(
    texts: &[(String, String)],
    upload_errors: &[String],
    earlier: &[Attachment],
    new_files: Vec<Attachment>,
) -> (FormState, String, Vec<Attachment>) {
    let ticked = all_values(texts, "garder");
    let mut files: Vec<Attachment> = earlier
        .iter()
        .enumerate()
        .filter(|(i, _)| ticked.contains(&i.to_string()))
        .map(|(_, a)| a.clone())
        .collect();
    for f in new_files {
        if !files.iter().any(|a| a.blob == f.blob) {
            files.push(f);
        }
    }
    let text = first_value(texts, "text");
    let mut form = FormState::with_values([("text", text.clone())]);
    if !upload_errors.is_empty() {
        form.error("files", upload_errors.join(" "));
    }
    if text.trim().is_empty() && files.is_empty() && upload_errors.is_empty() {
        form.error(
            "text",
            "Ton travail est vide : écris un texte, ajoute un fichier ou enregistre-toi.",
        );
    }
    (form, text, files)
}

/// The teacher's answer: the text, and whether a new version is asked.
pub fn read_feedback(
    texts: &[(String, String)],
    upload_errors: &[String],
    files: &[Attachment],
) -> (FormState, String, bool) {
    let text = first_value(texts, "text");
    let mut form = FormState::with_values([("text", text.clone())]);
    if !upload_errors.is_empty() {
        form.error("text", upload_errors.join(" "));
    }
    let redo = first_value(texts, "action") == "nouvelle-version";
    if redo && text.trim().is_empty() && files.is_empty() {
        form.error(
            "text",
            "Dites à l'élève ce qu'il doit reprendre (par écrit ou à l'oral).",
        );
    }
    (form, text, redo)
}
