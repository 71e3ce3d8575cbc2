//! The forms of the cahier de textes: a new entry (the texts of a multipart form) and a
//! copy, checked, or the form state to show again with a French error beside each field.

use jiff::civil::Date;
use serde::Deserialize;

use super::EntryKind;
use crate::directory::people::People;
use crate::error::AppError;
use crate::pedagogy::{scope_choices, Scope, SUBJECTS};
use crate::ui::dates;
use crate::ui::form::{first_value, FormState};

/// The query of `/nouveau`: the class, séance or work, and whether it comes from the
/// devoirs.
#[derive(Deserialize, Default)]
pub struct NewQuery {
    pub classe: Option<u64>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// From the devoirs: an assignment to hand in online.
    pub devoir: Option<u8>,
}

impl NewQuery {
    pub fn entry_kind(&self) -> EntryKind {
        if self.kind.as_deref() == Some("seance") {
            EntryKind::Session
        } else {
            EntryKind::Work
        }
    }
}

/// An entry form that passed its checks.
pub struct NewEntry {
    pub scope: Scope,
    pub subject: String,
    pub title: String,
    pub body: String,
    pub day: String,
    pub given: String,
    pub minutes: u32,
    pub online: bool,
    pub listed: bool,
    pub visible_from: i64,
}

const FIELDS: [&str; 10] = [
    "scope",
    "subject",
    "title",
    "given",
    "day",
    "minutes",
    "body",
    "online",
    "listed",
    "visible_from",
];

/// Reads the texts of the form for `class`; `upload_errors` are the files refused by the
/// upload reader, `files_sent` whether some arrived (they are not kept with an incomplete
/// form).
pub fn read_entry(
    texts: &[(String, String)],
    upload_errors: &[String],
    files_sent: bool,
    people: &People,
    class: u64,
    kind: EntryKind,
    now: i64,
) -> Result<NewEntry, FormState> {
    let mut form = FormState::with_values(FIELDS.map(|k| (k, first_value(texts, k))));
    let scope = Scope::parse(form.value("scope")).filter(|s| {
        scope_choices(people, class)
            .iter()
            .any(|(c, _)| *c == s.code())
    });
    if scope.is_none() {
        form.error("scope", "Choisissez pour qui.");
    }
    let subject = form.value("subject").to_string();
    if !SUBJECTS.contains(&subject.as_str()) {
        form.error("subject", "Choisissez la matière.");
    }
    let title = form.required("title", "le titre");
    let day = dates::parse_date(form.value("day"));
    if day.is_none() {
        form.error("day", "Indiquez une date valide.");
    }
    let (given, minutes) = if kind == EntryKind::Work {
        work_fields(&mut form, day)
    } else {
        (String::new(), 0)
    };
    let visible_from = match form.value("visible_from").trim() {
        "" => now,
        v => match dates::parse_date(v) {
            Some(d) => dates::start_of_day(d),
            None => {
                form.error("visible_from", "Cette date n'est pas valide.");
                now
            }
        },
    };
    if !upload_errors.is_empty() {
        form.error("files", upload_errors.join(" "));
    }
    match scope {
        Some(scope) if form.is_ok() => {
            let online = form.value("online") == "1";
            Ok(NewEntry {
                scope,
                subject,
                title,
                body: form.value("body").to_string(),
                day: day.map(|d| d.to_string()).unwrap_or_default(),
                given,
                minutes,
                online: kind == EntryKind::Work && online,
                // A séance is always in the cahier de textes, and so is work not handed
                // in online.
                listed: kind == EntryKind::Session || form.value("listed") == "1" || !online,
                visible_from,
            })
        }
        _ => {
            if files_sent && !form.errors.contains_key("files") {
                form.error("files", "Joignez à nouveau vos documents (ils n'ont pas été gardés avec ce formulaire incomplet).");
            }
            Err(form)
        }
    }
}

/// The fields of work only: the day it is given, the estimated time, the instructions.
fn work_fields(form: &mut FormState, day: Option<Date>) -> (String, u32) {
    let mut given = String::new();
    match dates::parse_date(form.value("given")) {
        Some(g) => {
            if day.is_some_and(|d| d < g) {
                form.error(
                    "day",
                    "Le travail ne peut pas être pour un jour avant celui où il est donné.",
                );
            }
            given = g.to_string();
        }
        None => form.error("given", "Indiquez une date valide."),
    }
    let minutes = match form.value("minutes").trim() {
        "" => 0,
        m => match m.parse::<u32>() {
            Ok(n) if n <= 600 => n,
            _ => {
                form.error("minutes", "Indiquez un nombre de minutes (0 à 600).");
                0
            }
        },
    };
    if form.value("body").trim().is_empty() {
        form.error(
            "body",
            "Les consignes sont vides : écrivez ce que les élèves doivent faire.",
        );
    }
    (given, minutes)
}

/// The copy form: the class and the day.
#[derive(Deserialize)]
pub struct CopyInput {
    #[serde(default)]
    pub classe: String,
    #[serde(default)]
    pub jour: String,
}

impl CopyInput {
    pub fn class(&self) -> Result<u64, AppError> {
        self.classe
            .parse()
            .map_err(|_| AppError::BadRequest("Classe inconnue.".into()))
    }

    pub fn day(&self) -> Result<Date, AppError> {
        dates::parse_date(&self.jour).ok_or(AppError::BadRequest("Date invalide.".into()))
    }
}
