//! The livret's forms read into what the model takes: each refusal in French beside its
//! field (a cell of the grid), every value typed kept in the form state so that the page
//! comes back as it was sent.

use jiff::civil::Date;

use super::reference::{AIDES, MAITRISES, POSITIONNEMENTS, SOCLE};
use super::write::{GeneralRow, SubjectRow};
use super::{PeriodKind, MAX_APPRECIATION, MAX_ELEMENT, MAX_ELEMENTS, MAX_PROJECTS};
use crate::ui::form::{all_values, first_value, FormState};

fn too_long(form: &mut FormState, field: &str, text: &str, max: usize, what: &str) {
    let n = text.chars().count();
    if n > max {
        form.error(
            field,
            format!("{what} est trop longue ({max} caractères au plus ; elle en a {n})."),
        );
    }
}

/// One level among `levels` (1–4), or none when left empty; anything else refused.
fn level_of(form: &mut FormState, field: &str, levels: &[(u8, &str)], refusal: &str) -> Option<u8> {
    let v = form.value(field).to_string();
    if v.is_empty() {
        return None;
    }
    match v
        .parse::<u8>()
        .ok()
        .filter(|n| levels.iter().any(|(l, _)| l == n))
    {
        Some(n) => Some(n),
        None => {
            form.error(field, refusal);
            None
        }
    }
}

/// The éléments du programme typed one per line.
fn elements(form: &mut FormState) -> Vec<String> {
    let list: Vec<String> = form
        .value("elements")
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    if list.len() > MAX_ELEMENTS {
        form.error(
            "elements",
            format!(
                "{MAX_ELEMENTS} éléments du programme au plus par matière (il y en a {}).",
                list.len()
            ),
        );
    }
    if let Some(long) = list.iter().find(|l| l.chars().count() > MAX_ELEMENT) {
        form.error(
            "elements",
            format!(
                "Chaque élément tient sur une ligne de {MAX_ELEMENT} caractères au plus : « {}… » est trop long.",
                long.chars().take(40).collect::<String>()
            ),
        );
    }
    list
}

/// A subject's grid: the éléments du programme, each pupil's positionnement and
/// appréciation (fields `pos-<pupil>`, `app-<pupil>`).
pub fn check_subject(
    texts: &[(String, String)],
    pupils: &[u64],
) -> (FormState, Vec<String>, Vec<SubjectRow>) {
    let mut form = FormState::new();
    form.set("elements", first_value(texts, "elements"));
    let list = elements(&mut form);
    let mut rows = Vec::new();
    for pupil in pupils {
        let (pos, app) = (format!("pos-{pupil}"), format!("app-{pupil}"));
        form.set(&pos, first_value(texts, &pos));
        form.set(&app, first_value(texts, &app));
        let positionnement = level_of(
            &mut form,
            &pos,
            &POSITIONNEMENTS,
            "Choisissez un positionnement dans la liste.",
        );
        let appreciation = form.value(&app).trim().to_string();
        too_long(
            &mut form,
            &app,
            &appreciation,
            MAX_APPRECIATION,
            "L'appréciation",
        );
        rows.push(SubjectRow {
            pupil: *pupil,
            positionnement,
            appreciation,
        });
    }
    (form, list, rows)
}

/// The general grid: the class's parcours and projects, each pupil's general appréciation
/// and aides (fields `gen-<pupil>`, `aide-<pupil>` repeated).
pub fn check_general(
    texts: &[(String, String)],
    pupils: &[u64],
) -> (FormState, String, Vec<GeneralRow>) {
    let mut form = FormState::new();
    form.set("projets", first_value(texts, "projets"));
    let projects = form.value("projets").trim().to_string();
    too_long(
        &mut form,
        "projets",
        &projects,
        MAX_PROJECTS,
        "La description des projets",
    );
    let mut rows = Vec::new();
    for pupil in pupils {
        let (gen, aide) = (format!("gen-{pupil}"), format!("aide-{pupil}"));
        form.set(&gen, first_value(texts, &gen));
        let general = form.value(&gen).trim().to_string();
        too_long(
            &mut form,
            &gen,
            &general,
            MAX_APPRECIATION,
            "L'appréciation générale",
        );
        let aides: Vec<String> = AIDES
            .iter()
            .map(|(code, _)| code.to_string())
            .filter(|code| all_values(texts, &aide).contains(code))
            .collect();
        form.set(&aide, aides.join(","));
        rows.push(GeneralRow {
            pupil: *pupil,
            general,
            aides,
        });
    }
    (form, projects, rows)
}

/// A bilan de fin de cycle: the eight components (fields `comp-<code>`), each required,
/// and an appréciation.
pub fn check_cycle(texts: &[(String, String)]) -> (FormState, Vec<(String, u8)>, String) {
    let mut form = FormState::new();
    let mut components = Vec::new();
    for (code, _) in SOCLE {
        let field = format!("comp-{code}");
        form.set(&field, first_value(texts, &field));
        if form.value(&field).is_empty() {
            form.error(
                &field,
                "Choisissez le degré de maîtrise de cette composante.",
            );
        }
        if let Some(m) = level_of(
            &mut form,
            &field,
            &MAITRISES,
            "Choisissez un degré de maîtrise dans la liste.",
        ) {
            components.push((code.to_string(), m));
        }
    }
    form.set("appreciation", first_value(texts, "appreciation"));
    let appreciation = form.value("appreciation").trim().to_string();
    too_long(
        &mut form,
        "appreciation",
        &appreciation,
        MAX_APPRECIATION,
        "L'appréciation",
    );
    (form, components, appreciation)
}

/// The periods of the year: the division, and the dates of each period in order.
pub fn check_periods(
    texts: &[(String, String)],
) -> (FormState, Option<PeriodKind>, Vec<(Date, Date)>) {
    let mut form = FormState::new();
    form.set("decoupage", first_value(texts, "decoupage"));
    let kind = PeriodKind::from_slug(form.value("decoupage"));
    if kind.is_none() {
        form.error("decoupage", "Choisissez trimestres ou semestres.");
    }
    let count = kind.map(|k| k.count()).unwrap_or(3);
    let mut dates = Vec::new();
    let mut last_end: Option<Date> = None;
    for n in 1..=3u8 {
        let (from, to) = (format!("debut-{n}"), format!("fin-{n}"));
        form.set(&from, first_value(texts, &from));
        form.set(&to, first_value(texts, &to));
        if n > count {
            continue;
        }
        let start = crate::ui::dates::parse_date(form.value(&from));
        let end = crate::ui::dates::parse_date(form.value(&to));
        if start.is_none() {
            form.error(
                &from,
                format!("Indiquez le premier jour de la période {n}."),
            );
        }
        if end.is_none() {
            form.error(&to, format!("Indiquez le dernier jour de la période {n}."));
        }
        let (Some(start), Some(end)) = (start, end) else {
            continue;
        };
        if end < start {
            form.error(&to, "La période finit avant d'avoir commencé.");
        } else if last_end.is_some_and(|l| start <= l) {
            form.error(&from, "La période commence avant la fin de la précédente.");
        }
        last_end = Some(end);
        dates.push((start, end));
    }
    (form, kind, dates)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_refused_cell_keeps_every_value_typed() {
        let long = "x".repeat(MAX_APPRECIATION + 1);
        let (form, list, rows) = check_subject(
            &texts(&[
                ("elements", "Lire\n\n  Écrire  "),
                ("pos-4", "3"),
                ("app-4", "Bien"),
                ("pos-5", "9"),
                ("app-5", &long),
            ]),
            &[4, 5, 6],
        );
        assert_eq!(list, vec!["Lire", "Écrire"]);
        assert!(form.errors.contains_key("pos-5") && form.errors.contains_key("app-5"));
        assert!(!form.errors.contains_key("pos-4"));
        assert_eq!(form.value("app-5"), long, "the typed text stays");
        assert_eq!(rows[0].positionnement, Some(3));
        assert_eq!(rows[2].positionnement, None, "left empty");
    }

    #[test]
    fn periods_are_in_order_and_a_cycle_bilan_needs_every_component() {
        let (form, kind, dates) = check_periods(&texts(&[
            ("decoupage", "semestres"),
            ("debut-1", "2026-09-01"),
            ("fin-1", "2027-01-31"),
            ("debut-2", "2027-01-15"),
            ("fin-2", "2027-07-04"),
        ]));
        assert_eq!(kind, Some(PeriodKind::Semestre));
        assert!(form.errors.contains_key("debut-2"), "overlaps the first");
        assert_eq!(dates.len(), 2);
        let (form, components, _) = check_cycle(&texts(&[("comp-CPD_FRA", "4")]));
        assert_eq!(components, vec![("CPD_FRA".to_string(), 4)]);
        assert_eq!(form.errors.len(), 7);
    }
}
