//! The canteen's part of an archive (a pupil's own, or a child's for a guardian): the diet
//! and PAI answer the family gave, the days signed up with who did it, and the history of
//! changes and requests.

use std::collections::HashSet;

use maud::{html, Markup};
use serde::Serialize;

use crate::directory::people::People;
use crate::store::{Result, Store};

use super::gather::name;
use super::records::{iso, Record};
use super::writer::Part;

/// One line of the part: « régime », « inscription » or « modification ».
#[derive(Clone, Serialize)]
pub struct CanteenLine {
    pub what: String,
    pub day: Option<String>,
    pub service: String,
    pub by: String,
    pub at: Option<String>,
    pub detail: String,
}

impl Record for CanteenLine {
    fn html(&self, _: &HashSet<String>) -> Markup {
        html! {
            p.row {
                (self.what)
                @if let Some(d) = &self.day { " — " (d) }
                @if !self.service.is_empty() { " — " (self.service) }
                @if !self.detail.is_empty() { " — " (self.detail) }
                @if !self.by.is_empty() { " — par " (self.by) }
            }
        }
    }
}

pub(super) fn canteen<'a>(
    store: &'a Store,
    people: &'a People,
    pupil: u64,
    file: &str,
    title: &str,
) -> Result<Part<'a, CanteenLine>> {
    use crate::canteen::{key_day, services};
    let all = services::services(store)?;
    let service_name = |id: u64| {
        all.iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    };
    let day = |k: u64| key_day(k).map(|d| d.to_string());
    let family = services::family(store, pupil)?;
    let mut lines = vec![CanteenLine {
        what: "Régime".into(),
        day: None,
        service: String::new(),
        by: family
            .updated
            .map(|(_, by)| name(people, by))
            .unwrap_or_default(),
        at: family.updated.map(|(at, _)| iso(at)),
        detail: format!(
            "{}, PAI : {}",
            family.diet.label(),
            if family.pai { "oui" } else { "non" }
        ),
    }];
    let (first, last) = (jiff::civil::date(2000, 1, 1), jiff::civil::date(2100, 1, 1));
    for (d, s, by) in services::of_pupil(store, pupil, first, last)? {
        lines.push(CanteenLine {
            what: "Inscription".into(),
            day: day(d),
            service: service_name(s),
            by: name(people, by),
            at: None,
            detail: String::new(),
        });
    }
    for c in services::changes(store, pupil, usize::MAX)? {
        lines.push(CanteenLine {
            what: "Modification".into(),
            day: day(c.day),
            service: service_name(c.service),
            by: name(people, c.by),
            at: Some(iso(c.at)),
            detail: format!(
                "{} ({})",
                if c.add {
                    "inscription"
                } else {
                    "désinscription"
                },
                c.outcome.label()
            ),
        });
    }
    Ok(Part {
        name: file.into(),
        title: title.into(),
        count: lines.len(),
        load: Box::new(move |i| Ok(lines.get(i).cloned())),
    })
}
