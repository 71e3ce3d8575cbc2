//! The teacher's pages: the classes to call, the appel itself (tablet-first: big touch
//! targets, radio buttons styled as buttons, no JavaScript), the aménagements, the list
//! of those present for drills.

use jiff::civil::Date;
use maud::{html, Markup};

use super::super::amenagements::Amenagement;
use super::super::{HalfDay, Mark};
use crate::ui::dates;

/// One pupil in the appel's list.
pub struct Line {
    pub pupil: u64,
    pub name: String,
    pub mark: Mark,
    /// « absence prévue : maladie de l'enfant » (declared by the family).
    pub declared: Option<String>,
    /// Aménagements during the half-day (the pupil is « présent »).
    pub care: Vec<String>,
    /// An aménagement for the whole half-day: the pupil is not expected.
    pub whole: Option<String>,
}

pub struct Taken {
    pub by: String,
    pub at: i64,
}

/// A class on the list of appels to take.
pub struct ClassRow {
    pub id: u64,
    pub label: String,
    /// Each half-day with class today: taken (at) or not.
    pub halves: Vec<(HalfDay, Option<i64>)>,
}

pub fn classes(day: Date, closed: Option<&str>, rows: &[ClassRow], director: bool) -> Markup {
    html! {
        (crate::ui::heading("Appel", Some(&format!("Aujourd'hui, {}.", dates::day_label(day)))))
        @if director {
            p { a href="/admin/absences" { "Vue de l'école : absences du jour, appels non faits, registres" } }
        }
        @if let Some(why) = closed {
            p.flash.info role="status" { "Pas d'appel aujourd'hui : " (why) "." }
        }
        @if rows.is_empty() {
            p.empty { "Vous n'avez pas de classe." }
        }
        ul.appel-classes {
            @for r in rows {
                li.panel {
                    h2 { (r.label) }
                    @if closed.is_none() {
                        ul.inline {
                            @for (h, at) in &r.halves {
                                li {
                                    a.button.big href={ "/appel/classe/" (r.id) "?demi=" (h.slug()) } {
                                        (h.appel_title())
                                        @match at {
                                            Some(t) => { " — fait à " (hour(*t)) }
                                            None => { " — à faire" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    p.small {
                        a href={ "/appel/classe/" (r.id) "/amenagements" } { "Aménagements" }
                        " · "
                        a href={ "/appel/classe/" (r.id) "/presents" } { "Liste des présents" }
                    }
                }
            }
        }
    }
}

/// « 8 h 42 ».
pub fn hour(micros: i64) -> String {
    let (h, m) = super::super::clock(micros);
    format!("{h} h {m:02}")
}

pub struct AppelPage<'a> {
    pub csrf: Markup,
    pub class: u64,
    pub label: &'a str,
    pub day: Date,
    pub half: HalfDay,
    pub lines: &'a [Line],
    pub taken: Option<Taken>,
    pub refusal: Option<&'a str>,
}

pub fn appel(p: &AppelPage<'_>) -> Markup {
    let base = format!("/appel/classe/{}", p.class);
    html! {
        (crate::ui::heading(&format!("Appel — {}", p.label), Some(&format!("{}, {}", dates::day_label(p.day), p.half.label()))))
        (super::half_links(&base, p.half))
        @if let Some(why) = p.refusal {
            p.flash.error role="alert" { (why) }
        } @else {
            @if let Some(t) = &p.taken {
                p.flash.success role="status" { "Appel fait à " (hour(t.at)) " par " (t.by) ". Vous pouvez le corriger jusqu'à ce soir." }
            } @else {
                p { "Tout le monde est « présent » : touchez « Absent » ou « Retard » pour les autres, puis « Appel terminé »." }
            }
            form.appel method="post" action=(base) {
                (p.csrf)
                input type="hidden" name="jour" value=(p.day.to_string());
                input type="hidden" name="demi" value=(p.half.slug());
                ul.appel-list {
                    @for l in p.lines {
                        @let e = format!("e{}", l.pupil);
                        li {
                            fieldset.pupil {
                                legend { (l.name) }
                                @if let Some(d) = &l.declared { p.note { "Absence prévue par la famille : " (d) } }
                                @if let Some(w) = &l.whole { p.note { "Aménagement : " (w) } }
                                @for c in &l.care { p.note { "Prise en charge : " (c) } }
                                div.marks {
                                    (choice(&e, "present", "Présent", l.mark == Mark::Present))
                                    (choice(&e, "absent", "Absent", l.mark == Mark::Absent))
                                    (choice(&e, "retard", "Retard", matches!(l.mark, Mark::Late { .. })))
                                    @if l.whole.is_some() || l.mark == Mark::Amenagement {
                                        (choice(&e, "amenagement", "Aménagement", l.mark == Mark::Amenagement))
                                    }
                                }
                                @let h = format!("h{}", l.pupil);
                                @let value = match l.mark { Mark::Late { hour, minute } => format!("{hour:02}:{minute:02}"), _ => String::new() };
                                div.arrival {
                                    label for=(h) { "Arrivé à (retard)" }
                                    input type="time" id=(h) name=(h) value=(value);
                                }
                            }
                        }
                    }
                }
                button.primary.big type="submit" {
                    @if p.taken.is_some() { "Enregistrer la correction" } @else { "Appel terminé" }
                }
            }
        }
        p { a href="/appel" { "Retour aux classes" } " · " a href={ (base) "/presents" } { "Liste des présents" } }
    }
}

fn choice(name: &str, value: &str, label: &str, checked: bool) -> Markup {
    let id = format!("{name}-{value}");
    html! {
        input type="radio" id=(id) name=(name) value=(value) checked[checked];
        label.mark for=(id) { (label) }
    }
}

/// A class's list of those present, from the latest appel (drills: évacuation, PPMS).
pub struct Presence {
    pub label: String,
    pub when: Option<String>,
    pub present: Vec<String>,
    pub missing: Vec<(String, String)>,
}

pub fn presents(school: &str, title: &str, classes: &[Presence]) -> Markup {
    html! {
        p.noprint { "Imprimez cette page (Ctrl+P) pour l'exercice ou l'évacuation." }
        @for c in classes {
            section.sheet.presence {
                h1 { (title) " — " (c.label) }
                p { (school) " · " @match &c.when { Some(w) => { "d'après l'appel du " (w) }, None => { "appel non fait : tous les inscrits sont listés" } } }
                h2 { "Présents (" (c.present.len()) ")" }
                ol.names { @for n in &c.present { li { "☐ " (n) } } }
                @if !c.missing.is_empty() {
                    h2 { "Absents ou non attendus (" (c.missing.len()) ")" }
                    ul { @for (n, why) in &c.missing { li { (n) " — " (why) } } }
                }
            }
        }
    }
}

pub fn amenagements(
    csrf: &Markup,
    class: u64,
    label: &str,
    pupils: &[(u64, String)],
    list: &[(Amenagement, String)],
    error: Option<&str>,
) -> Markup {
    let base = format!("/appel/classe/{class}/amenagements");
    html! {
        (crate::ui::heading(&format!("Aménagements — {label}"), Some("Saisis une fois : l'appel les montre, et un élève non attendu n'est jamais compté absent.")))
        section.panel {
            h2 { "En cours" }
            @if list.is_empty() { p.empty { "Aucun aménagement." } }
            ul {
                @for (a, name) in list {
                    li {
                        strong { (name) } " — " (a.label) ", " (a.when())
                        @if a.whole { " (non attendu en classe)" } @else { " (présent, pris en charge)" }
                        form.inline method="post" action={ (base) "/supprimer" } {
                            (csrf)
                            input type="hidden" name="eleve" value=(a.pupil);
                            input type="hidden" name="id" value=(a.id);
                            button type="submit" { "Terminer" }
                        }
                    }
                }
            }
        }
        section.panel {
            h2 { "Ajouter" }
            @if let Some(e) = error { p.flash.error role="alert" id="amenagement-erreur" { (e) } }
            form method="post" action=(base) {
                (csrf)
                div.field {
                    label for="eleve" { "Élève" }
                    select id="eleve" name="eleve" required {
                        @for (id, n) in pupils { option value=(id) { (n) } }
                    }
                }
                div.field {
                    label for="libelle" { "Aménagement" }
                    input type="text" id="libelle" name="libelle" required placeholder="Aménagement du temps en petite section, RASED, orthophoniste…";
                }
                fieldset.field.checks {
                    legend { "Jours" }
                    @for (n, d) in [(1, "lundi"), (2, "mardi"), (3, "mercredi"), (4, "jeudi"), (5, "vendredi")] {
                        @let id = format!("jour-{n}");
                        span.check { input type="checkbox" id=(id) name="jours" value=(n); label for=(id) { (d) } }
                    }
                }
                div.field {
                    label for="demi" { "Demi-journée" }
                    select id="demi" name="demi" {
                        @for h in HalfDay::ALL { option value=(h.slug()) { (h.label()) } }
                    }
                }
                div.check {
                    input type="checkbox" id="entiere" name="entiere" value="1";
                    label for="entiere" { "L'élève n'est pas attendu en classe de toute la demi-journée (aménagement du temps en petite section)" }
                }
                button.primary type="submit" { "Ajouter" }
            }
        }
        p { a href="/appel" { "Retour à l'appel" } }
    }
}

/// The teacher's home reminder: appels of the current half-day not done past the hour.
pub fn reminder(late: &[(u64, String, HalfDay)]) -> Markup {
    html! {
        section.panel.reminder aria-labelledby="appel-rappel" {
            h2 id="appel-rappel" { "Appel à faire" }
            ul {
                @for (id, label, half) in late {
                    li { a href={ "/appel/classe/" (id) "?demi=" (half.slug()) } { "L'appel de " (label) " n'est pas fait " (half.this()) "." } }
                }
            }
        }
    }
}
