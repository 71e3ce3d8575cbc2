//! The sound recorder of every form where one may speak instead of write (a hand-in, a
//! teacher's feedback): with JavaScript and a microphone, record, listen, keep — the
//! recording joins the form's file field; otherwise the file field (with `capture`) stays.

use maud::{html, Markup};

/// A recorder whose recording is added to the file input `#input_id` of the same form.
pub fn attach_to(input_id: &str, hint: &str) -> Markup {
    attach_as(input_id, "enregistrement", hint)
}

/// The same, naming the file `name` and the date (« consigne 2026-11-24 09h12.webm »):
/// what the recording is for, when the page reads it back (the recorded consigne).
pub fn attach_as(input_id: &str, name: &str, hint: &str) -> Markup {
    html! {
        div.recorder hidden data-attach-to=(format!("#{input_id}")) data-rec-name=(name) {
            p.hint { (hint) }
            div.actions {
                button type="button" data-rec="start" { "● Enregistrer" }
                button type="button" data-rec="stop" disabled { "■ Arrêter" }
                button.primary type="button" data-rec="save" disabled { "Garder l'enregistrement" }
            }
            p.rec-status role="status" {}
            audio controls hidden {}
        }
    }
}
