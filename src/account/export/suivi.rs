//! The carnet de suivi's part of an archive (a pupil's own, or a child's for a guardian):
//! the réussites with their photo, sound or video, the shares with each guardian's « J'ai
//! vu » and the comments, the synthèse des acquis of GS once shared, with its signatures.
//! As the application shows them: the child has every réussite of their carnet, the
//! family the shared ones; a synthèse not yet shared is the teacher's draft.

use std::collections::HashSet;

use maud::{html, Markup};
use serde::Serialize;

use crate::directory::people::People;
use crate::progress::{carnet, synthese};
use crate::store::{Result, Store};

use super::gather::{files, name};
use super::records::{iso, FileOut, Record};
use super::writer::Part;

/// One line of the part: « Réussite », « Partage » or « Synthèse des acquis ».
#[derive(Clone, Serialize)]
pub struct SuiviLine {
    pub what: String,
    pub day: Option<String>,
    pub at: String,
    pub by: String,
    pub text: String,
    pub domain: Option<String>,
    pub attendu: Option<String>,
    /// Each guardian's « J'ai vu » (the signature, for the synthèse), with its instant.
    pub seen: Vec<(String, String)>,
    pub comments: Vec<(String, String, String)>,
    /// The synthèse's grid: domain, line, level.
    pub grid: Vec<(String, String, String)>,
    pub file: Option<FileOut>,
}

impl Record for SuiviLine {
    fn html(&self, _: &HashSet<String>) -> Markup {
        html! {
            div.row {
                p { strong { (self.what) } @if let Some(d) = &self.day { " — " (d) } " — " (self.by) }
                @if !self.text.is_empty() { p { (self.text) } }
                @if let Some(d) = &self.domain { p { "Domaine : " (d) } }
                @if let Some(a) = &self.attendu { p { "Attendu : " (a) } }
                @if let Some(f) = &self.file { p { a href=(f.path) { (f.name) } } }
                @if !self.grid.is_empty() {
                    ul { @for (d, line, level) in &self.grid { li { (d) " — " (line) " : " (level) } } }
                }
                @for (who, at) in &self.seen { p { (who) " : vu le " (at) } }
                @for (who, at, text) in &self.comments { p { (who) " (" (at) ") : " (text) } }
            }
        }
    }
    fn files(&self) -> Vec<&FileOut> {
        self.file.iter().collect()
    }
}

/// The carnet of `pupil`: every réussite for the child (`own`), the shared ones for the
/// family.
pub(super) fn carnet<'a>(
    store: &'a Store,
    people: &'a People,
    pupil: u64,
    own: bool,
    file: &str,
    title: &str,
) -> Result<Part<'a, SuiviLine>> {
    let mut lines = Vec::new();
    let part = file.to_string();
    for r in carnet::of_pupil(store, pupil)? {
        if !own && r.shared.is_none() {
            continue;
        }
        lines.push(SuiviLine {
            what: "Réussite".into(),
            day: Some(r.day.to_string()),
            at: iso(r.at),
            by: name(people, r.author),
            text: r.sentence.clone(),
            domain: Some(r.domain.label().into()),
            attendu: r.attendu.clone(),
            seen: Vec::new(),
            comments: Vec::new(),
            grid: Vec::new(),
            file: r
                .photo
                .as_ref()
                .and_then(|a| files(&part, r.id, std::slice::from_ref(a), false).pop()),
        });
    }
    let seen = |s: &carnet::Share| -> Vec<(String, String)> {
        s.seen
            .iter()
            .map(|v| (name(people, v.by), iso(v.at)))
            .collect()
    };
    for s in carnet::shares_of(store, pupil)? {
        let text = if s.synthese {
            "La synthèse des acquis est partagée avec la famille.".to_string()
        } else {
            format!(
                "{} réussite(s) partagée(s) avec la famille.",
                s.entries.len()
            )
        };
        lines.push(SuiviLine {
            what: "Partage".into(),
            day: None,
            at: iso(s.at),
            by: name(people, s.by),
            text,
            domain: None,
            attendu: None,
            seen: seen(&s),
            comments: s
                .comments
                .iter()
                .map(|c| (name(people, c.by), iso(c.at), c.text.clone()))
                .collect(),
            grid: Vec::new(),
            file: None,
        });
    }
    if let Some(s) = synthese::of_pupil(store, pupil)?.filter(|s| s.share.is_some()) {
        let signatures = synthese::share_of(store, &s)?
            .map(|sh| seen(&sh))
            .unwrap_or_default();
        lines.push(SuiviLine {
            what: "Synthèse des acquis".into(),
            day: None,
            at: iso(s.at),
            by: name(people, s.author),
            text: format!("Points forts : {}\nBesoins : {}", s.strengths, s.needs),
            domain: None,
            attendu: None,
            seen: signatures,
            comments: Vec::new(),
            grid: s
                .lines
                .iter()
                .map(|(d, line, level)| (d.short().into(), line.clone(), level.label().into()))
                .collect(),
            file: None,
        });
    }
    Ok(Part {
        name: part.clone(),
        title: title.into(),
        count: lines.len(),
        load: Box::new(move |i| Ok(lines.get(i).cloned())),
    })
}
