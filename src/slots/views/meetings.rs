//! Meetings: the list of grids, the form that opens one, a grid as its family and as its
//! teacher see it, the printable day sheet.

use jiff::civil::Date;
use maud::{html, Markup};

use super::super::clock;
use super::super::meetings::{Slot, LENGTHS, MAX_DATES};
use crate::ui::dates;
use crate::ui::form::{error_summary, select, Field, FormState};

/// A grid as a list shows it.
pub struct GridLine {
    pub id: u64,
    pub title: String,
    pub class_label: String,
    pub dates: String,
    /// « 12 réservés sur 20 » for its teacher, the child's booking for a family.
    pub status: String,
}

/// `/rendez-vous`.
pub fn home(run: &[GridLine], family: &[GridLine], can_open: bool, staff_only: bool) -> Markup {
    html! {
        (crate::ui::heading("Rendez-vous", Some("Les rencontres parents-enseignants : choisir un créneau, le retrouver, l'annuler.")))
        @if can_open {
            p { a.button.primary href="/rendez-vous/nouvelle" { "Ouvrir une grille de rendez-vous" } }
        }
        @if staff_only {
            p { a href="/reservations" { "Réserver une salle, du matériel ou le minibus" } }
        }
        @if !family.is_empty() {
            section.panel aria-labelledby="grilles-familles" {
                h2 #grilles-familles { "Rencontres proposées à votre famille" }
                (lines(family))
            }
        }
        @if can_open {
            section.panel aria-labelledby="grilles-classes" {
                h2 #grilles-classes { "Grilles de vos classes" }
                @if run.is_empty() { p.empty { "Aucune grille ouverte." } } @else { (lines(run)) }
            }
        }
        @if !can_open && family.is_empty() {
            p.empty { "Aucune rencontre n'est proposée pour le moment." }
        }
    }
}

fn lines(list: &[GridLine]) -> Markup {
    html! {
        ul.cards {
            @for g in list {
                li.card {
                    h3 { a href=(format!("/rendez-vous/{}", g.id)) { (g.title) } }
                    p { (g.class_label) " — " (g.dates) }
                    p { (g.status) }
                }
            }
        }
    }
}

/// The form that opens a grid; `classes` are the classes the teacher runs.
pub fn new_form(csrf: &Markup, classes: &[(u64, String)], form: &FormState) -> Markup {
    let class_options: Vec<(String, String)> = classes
        .iter()
        .map(|(id, l)| (id.to_string(), l.clone()))
        .collect();
    let lengths: Vec<(String, String)> = std::iter::once((String::new(), "Choisir…".to_string()))
        .chain(
            LENGTHS
                .iter()
                .map(|m| (m.to_string(), format!("{m} minutes"))),
        )
        .collect();
    let phone = form.value("lieu") == "telephone";
    html! {
        (crate::ui::heading("Ouvrir une grille de rendez-vous", Some("Les familles de la classe choisiront un créneau par enfant.")))
        (error_summary(form))
        form.stack method="post" action="/rendez-vous/nouvelle" novalidate {
            (csrf)
            (select(form, "classe", "Classe", &class_options, true))
            (Field::text("titre", "Titre").required().hint("Par exemple : Rencontres du premier trimestre").render(form))
            (select(form, "duree", "Durée d'un créneau", &lengths, true))
            fieldset.field.checks class=[form.errors.get("lieu").map(|_| "has-error")] {
                legend { "Lieu" }
                @if let Some(e) = form.errors.get("lieu") { p.error { (e) } }
                div.options {
                    div.check {
                        input #f-lieu-salle type="radio" name="lieu" value="salle" checked[!phone];
                        label for="f-lieu-salle" { "À l'école" }
                    }
                    div.check {
                        input #f-lieu-telephone type="radio" name="lieu" value="telephone" checked[phone];
                        label for="f-lieu-telephone" { "Par téléphone" }
                    }
                }
            }
            (Field::text("salle", "Lieu à l'école").hint("La salle de classe, la bibliothèque… (sans objet par téléphone)").render(form))
            @for i in 1..=MAX_DATES {
                fieldset.field {
                    legend { "Date " (i) @if i > 1 { " (facultative)" } }
                    (dated(form, i))
                }
            }
            button.primary type="submit" { "Ouvrir la grille" }
        }
    }
}

/// One date's three fields, named alike (`jour`, `de`, `a`) so that they come back in
/// order; their ids and errors carry the row's number.
fn dated(form: &FormState, i: usize) -> Markup {
    let field = |name: &str, label: &str, kind: &str| {
        let key = format!("{name}{i}");
        let id = format!("f-{key}");
        let error = form.errors.get(&key);
        html! {
            div class=(if error.is_some() { "field has-error" } else { "field" }) {
                label for=(id) { (label) }
                @if let Some(e) = error { p.error id={ (id) "-erreur" } { (e) } }
                input id=(id) name=(name) type=(kind) value=(form.value(&key))
                    aria-invalid=[error.map(|_| "true")]
                    aria-describedby=[error.map(|_| format!("{id}-erreur"))];
            }
        }
    };
    html! {
        (field("jour", "Jour", "date"))
        (field("de", "De", "time"))
        (field("a", "À", "time"))
    }
}

/// The head of a grid page.
pub struct Head {
    pub id: u64,
    pub title: String,
    pub class_label: String,
    pub teacher: String,
    pub place: String,
    pub minutes: u16,
}

fn head(h: &Head) -> Markup {
    html! {
        (crate::ui::heading(&h.title, None))
        p { (h.class_label) " — avec " (h.teacher) " — " (h.place) " — créneaux de " (h.minutes) " minutes" }
    }
}

/// A child of the family, with their meeting in this grid.
pub struct FamilyChild {
    pub id: u64,
    pub name: String,
    pub booked: Option<Slot>,
    /// The family may still cancel (more than 24 h before).
    pub cancellable: bool,
}

/// The grid as a family sees it: each child's meeting, or the free slots to choose from.
pub fn family(
    csrf: &Markup,
    h: &Head,
    children: &[FamilyChild],
    free: &[Slot],
    refusal: Option<&str>,
) -> Markup {
    html! {
        (head(h))
        @if let Some(r) = refusal { div.flash.error role="alert" { (r) } }
        @for c in children {
            section.panel aria-labelledby={ "enfant-" (c.id) } {
                h2 id={ "enfant-" (c.id) } { (c.name) }
                @match c.booked {
                    Some(s) => {
                        p.booked { "Rendez-vous le " strong { (s.label()) } " avec " (h.teacher) ", " (h.place) "." }
                        @if c.cancellable {
                            form.inline method="post" action=(format!("/rendez-vous/{}/annuler", h.id)) {
                                (csrf)
                                input type="hidden" name="eleve" value=(c.id);
                                button type="submit" { "Annuler ce rendez-vous" }
                            }
                        } @else {
                            p.hint { "Moins de 24 heures avant : pour annuler, prévenez l'enseignant." }
                        }
                    }
                    None => {
                        @if free.is_empty() {
                            p.empty { "Il n'y a plus de créneau libre. Écrivez à l'enseignant pour convenir d'un autre moment." }
                        } @else {
                            form.stack method="post" action=(format!("/rendez-vous/{}/reserver", h.id)) {
                                (csrf)
                                input type="hidden" name="eleve" value=(c.id);
                                @for (day, slots) in by_day(free) {
                                    fieldset.field.checks.slots {
                                        legend { (capitalize(&dates::day_label(day))) }
                                        div.options {
                                            @for s in slots {
                                                @let id = format!("c-{}-{}", c.id, s.n);
                                                div.check {
                                                    input id=(id) type="radio" name="creneau" value=(s.n) required;
                                                    label for=(id) { (clock(s.from)) }
                                                }
                                            }
                                        }
                                    }
                                }
                                button.primary type="submit" { "Réserver ce créneau pour " (c.name) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn by_day(slots: &[Slot]) -> Vec<(Date, Vec<Slot>)> {
    let mut out: Vec<(Date, Vec<Slot>)> = Vec::new();
    for s in slots {
        match out.last_mut() {
            Some((d, list)) if *d == s.day => list.push(*s),
            _ => out.push((s.day, vec![*s])),
        }
    }
    out
}

fn capitalize(text: &str) -> String {
    let mut c = text.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// What a slot holds, as the teacher sees it.
pub enum Held {
    Free,
    Blocked,
    Booked { pupil: String, guardians: String },
}

pub struct Row {
    pub slot: Slot,
    pub held: Held,
    pub past: bool,
}

/// The grid as its teacher sees it: each slot with what it holds and what can be done.
pub fn teacher(csrf: &Markup, h: &Head, rows: &[Row], refusal: Option<&str>) -> Markup {
    // Every booked slot offers to move to any free one: the free slots' labels are made
    // once for all the rows, as is the address their forms post to.
    let free: Vec<(u64, String)> = rows
        .iter()
        .filter(|r| matches!(r.held, Held::Free) && !r.past)
        .map(|r| (r.slot.n, r.slot.label()))
        .collect();
    let action = format!("/rendez-vous/{}/creneau", h.id);
    let booked = rows
        .iter()
        .filter(|r| matches!(r.held, Held::Booked { .. }))
        .count();
    let days: Vec<Date> = by_day(&rows.iter().map(|r| r.slot).collect::<Vec<_>>())
        .into_iter()
        .map(|(d, _)| d)
        .collect();
    html! {
        (head(h))
        p { (booked) " rendez-vous réservé" @if booked > 1 { "s" } " sur " (rows.len()) " créneaux." }
        @if let Some(r) = refusal { div.flash.error role="alert" { (r) } }
        p {
            @for d in &days {
                a.button href=(format!("/rendez-vous/{}/feuille?jour={d}", h.id)) { "Feuille du " (dates::day_label(*d)) }
                " "
            }
        }
        @for (day, _) in by_day(&rows.iter().map(|r| r.slot).collect::<Vec<_>>()) {
            section.panel {
                h2 { (capitalize(&dates::day_label(day))) }
                table.list.stack {
                    thead { tr { th scope="col" { "Heure" } th scope="col" { "Créneau" } th scope="col" { "Actions" } } }
                    tbody {
                        @for r in rows.iter().filter(|r| r.slot.day == day) {
                            tr {
                                td data-label="Heure" { (clock(r.slot.from)) " – " (clock(r.slot.to)) }
                                td data-label="Créneau" {
                                    @match &r.held {
                                        Held::Free => { "libre" }
                                        Held::Blocked => { "bloqué" }
                                        Held::Booked { pupil, guardians } => { strong { (pupil) } @if !guardians.is_empty() { " (" (guardians) ")" } }
                                    }
                                }
                                td data-label="Actions" {
                                    @if !r.past { (actions(csrf, &action, r, &free)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn actions(csrf: &Markup, action: &str, r: &Row, free: &[(u64, String)]) -> Markup {
    let button = |value: &str, label: &str| {
        html! {
            form.inline method="post" action=(action) {
                (csrf)
                input type="hidden" name="creneau" value=(r.slot.n);
                button type="submit" name="action" value=(value) { (label) }
            }
        }
    };
    html! {
        @match r.held {
            Held::Free => { (button("bloquer", "Bloquer")) }
            Held::Blocked => { (button("liberer", "Libérer")) }
            Held::Booked { .. } => {
                (button("annuler", "Annuler le rendez-vous"))
                @if !free.is_empty() {
                    form.inline method="post" action=(action) {
                        (csrf)
                        input type="hidden" name="creneau" value=(r.slot.n);
                        label for={ "vers-" (r.slot.n) } { "Déplacer au" }
                        select id={ "vers-" (r.slot.n) } name="vers" {
                            @for (n, label) in free { option value=(n) { (label) } }
                        }
                        button type="submit" name="action" value="deplacer" { "Déplacer" }
                    }
                }
            }
        }
    }
}

/// The day sheet the teacher prints: each slot of the day, who comes, room for notes.
pub fn sheet(h: &Head, day: Date, rows: &[Row]) -> Markup {
    html! {
        div.noprint {
            p { a href=(format!("/rendez-vous/{}", h.id)) { "Retour à la grille" } }
            p { "Imprimez cette page (Ctrl+P) pour l'avoir sous la main pendant les rencontres." }
        }
        (crate::ui::heading(&format!("{} — {}", h.title, dates::day_label(day)), None))
        p { (h.class_label) " — " (h.teacher) " — " (h.place) }
        table.list.sheet-table {
            thead { tr { th scope="col" { "Heure" } th scope="col" { "Élève" } th scope="col" { "Responsables" } th scope="col" { "Notes" } } }
            tbody {
                @for r in rows.iter().filter(|r| r.slot.day == day) {
                    tr {
                        td { (clock(r.slot.from)) " – " (clock(r.slot.to)) }
                        @match &r.held {
                            Held::Booked { pupil, guardians } => { td { (pupil) } td { (guardians) } }
                            Held::Blocked => { td { "(bloqué)" } td {} }
                            Held::Free => { td { "—" } td {} }
                        }
                        td {}
                    }
                }
            }
        }
    }
}
