//! The lesson form: the texts of the multipart form, checked, or the form state to show
//! again with a French error beside each field.

use crate::directory::people::People;
use crate::pedagogy::{scope_choices, Scope, SUBJECTS};
use crate::ui::form::{first_value, FormState};

/// A lesson form that passed its checks.
pub struct NewLesson {
    pub scope: Scope,
    pub subject: String,
    pub period: u8,
    pub title: String,
    pub body: String,
}

/// Reads the texts of the form for `class`; `upload_errors` are the files refused by the
/// upload reader.
pub fn read(
    texts: &[(String, String)],
    upload_errors: &[String],
    people: &People,
    class: u64,
) -> Result<NewLesson, FormState> {
    let mut form = FormState::with_values(
        ["scope", "subject", "period", "title", "body"].map(|k| (k, first_value(texts, k))),
    );
    let scope = Scope::parse(form.value("scope")).filter(|s| {
        scope_choices(people, class)
            .iter()
            .any(|(c, _)| *c == s.code())
    });
    if scope.is_none() {
        form.error("scope", "Choisissez pour qui.");
    }
    if !SUBJECTS.contains(&form.value("subject")) {
        form.error("subject", "Choisissez la matière.");
    }
    let period = match form.value("period").parse::<u8>() {
        Ok(p) if (1..=5).contains(&p) => p,
        _ => {
            form.error("period", "Choisissez une période de 1 à 5.");
            1
        }
    };
    let title = form.required("title", "le titre");
    if form.value("body").trim().is_empty() {
        form.error("body", "La leçon est vide.");
    }
    if !upload_errors.is_empty() {
        form.error("files", upload_errors.join(" "));
    }
    match scope {
        Some(scope) if form.is_ok() => Ok(NewLesson {
            scope,
            subject: form.value("subject").to_string(),
            period,
            title,
            body: form.value("body").to_string(),
        }),
        _ => Err(form),
    }
}
