//! The families' pages: each child's half-days absent, late arrivals and motifs, the
//! motif to give, « Prévenir d'une absence ».

use maud::{html, Markup};

use super::super::{slot_label, Mark, PupilSlot};
use super::motif_select;
use crate::ui::form::{error_summary, FormState};

pub struct Child {
    pub id: u64,
    pub name: String,
    pub slots: Vec<PupilSlot>,
}

fn status(s: &PupilSlot) -> String {
    match s.mark {
        Some(m @ (Mark::Absent | Mark::Late { .. })) => m.label(),
        Some(Mark::Present) => "finalement présent".into(),
        Some(Mark::Amenagement) => "aménagement".into(),
        None => "absence prévue".into(),
    }
}

pub fn home(csrf: &Markup, children: &[Child]) -> Markup {
    html! {
        (crate::ui::heading("Absences", Some("Les demi-journées d'absence et les retards de vos enfants, avec leur motif.")))
        p { a.button.primary href="/absences/prevenir" { "Prévenir d'une absence" } }
        @for c in children {
            section.panel aria-labelledby={ "enfant-" (c.id) } {
                h2 id={ "enfant-" (c.id) } { (c.name) }
                @if c.slots.is_empty() { p.empty { "Aucune absence ni aucun retard." } }
                @else {
                    table.list.stack {
                        thead { tr { th scope="col" { "Demi-journée" } th scope="col" { "Appel" } th scope="col" { "Motif" } } }
                        tbody {
                            @for s in &c.slots {
                                tr {
                                    td data-label="Demi-journée" { (slot_label(s.slot)) }
                                    td data-label="Appel" { (status(s)) }
                                    td data-label="Motif" {
                                        @match &s.justification {
                                            Some(j) => {
                                                (j.motif.label())
                                                @if !j.comment.is_empty() { " — " (j.comment) }
                                                @if s.not_legitimate { " " strong { "(motif non retenu par la direction)" } }
                                            }
                                            None if matches!(s.mark, Some(Mark::Absent) | Some(Mark::Late { .. })) => {
                                                @let id = format!("motif-{}-{}", c.id, s.slot);
                                                form.inline.motif method="post" action="/absences/motif" {
                                                    (csrf)
                                                    input type="hidden" name="eleve" value=(c.id);
                                                    input type="hidden" name="creneau" value=(s.slot);
                                                    div.field {
                                                        label for=(id) { "Motif à donner" }
                                                        (motif_select(&id, None))
                                                    }
                                                    div.field {
                                                        label for={ (id) "-c" } { "Précision (facultatif)" }
                                                        input type="text" id={ (id) "-c" } name="commentaire" maxlength="300";
                                                    }
                                                    button type="submit" { "Donner le motif" }
                                                }
                                            }
                                            None => { "—" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The declaration form.
pub fn declare(csrf: &Markup, children: &[(u64, String)], form: &FormState) -> Markup {
    let chosen = super::super::Motif::from_slug(form.value("motif"));
    html! {
        (crate::ui::heading("Prévenir d'une absence", Some("L'enseignant le verra à l'appel : vous ne recevrez pas d'alerte pour ces demi-journées.")))
        section.panel {
            (error_summary(form))
            form method="post" action="/absences/prevenir" novalidate {
                (csrf)
                div.field {
                    label for="eleve" { "Enfant" }
                    select id="eleve" name="eleve" {
                        @for (id, n) in children {
                            option value=(id) selected[form.value("eleve") == id.to_string()] { (n) }
                        }
                    }
                }
                div.row {
                    (field(form, "du", "Du", "date"))
                    (field(form, "au", "Au (inclus)", "date"))
                }
                div.field {
                    label for="demi" { "Demi-journées" }
                    select id="demi" name="demi" {
                        option value="" { "la journée entière" }
                        option value="matin" selected[form.value("demi") == "matin"] { "le matin seulement" }
                        option value="apres-midi" selected[form.value("demi") == "apres-midi"] { "l'après-midi seulement" }
                    }
                }
                div.field.has-error[form.errors.contains_key("motif")] {
                    label for="motif" { "Motif" }
                    @if let Some(e) = form.errors.get("motif") { p.error id="motif-erreur" { (e) } }
                    (motif_select("motif", chosen))
                }
                (field(form, "commentaire", "Précision (obligatoire pour « autre motif »)", "text"))
                button.primary type="submit" { "Prévenir l'école" }
            }
        }
        p { a href="/absences" { "Retour aux absences" } }
    }
}

fn field(form: &FormState, name: &str, label: &str, kind: &str) -> Markup {
    let error = form.errors.get(name);
    html! {
        div.field.has-error[error.is_some()] {
            label for=(name) { (label) }
            @if let Some(e) = error { p.error id={ (name) "-erreur" } { (e) } }
            input type=(kind) id=(name) name=(name) value=(form.value(name))
                aria-describedby=[error.map(|_| format!("{name}-erreur"))];
        }
    }
}

/// The périscolaire's view: today's pupils in their care who are missing.
pub fn in_care(day: &str, missing: &[(String, String)]) -> Markup {
    html! {
        (crate::ui::heading("Absences du jour", Some(&format!("Les élèves dont vous avez la charge, {day}."))))
        @if missing.is_empty() { p.empty { "Aucun élève absent parmi ceux dont vous avez la charge." } }
        ul { @for (n, why) in missing { li { strong { (n) } " — " (why) } } }
    }
}

/// For a profile that has nothing to see here.
pub fn nothing(teacher: bool) -> Markup {
    html! {
        (crate::ui::heading("Absences", None))
        @if teacher {
            p { a.button.primary href="/appel" { "Faire l'appel" } }
        } @else {
            p { "Ce service concerne les familles et les enseignants." }
        }
    }
}
