//! The synthèse des acquis scolaires of the end of GS: the teacher's form (one group of
//! three choices per line of the grid, points forts, besoins), the document as the family
//! reads and signs it, and its A4 sheet with the school's header.

use maud::{html, Markup};

use super::super::synthese::{Level, Synthese, GRID, GRID_VERSION};
use crate::school::School;
use crate::ui::dates;
use crate::ui::form::{error_summary, FormState};

/// Who the synthèse is about, and where they are.
pub struct Child<'a> {
    pub id: u64,
    pub name: &'a str,
    pub class_label: &'a str,
    /// The child is not in grande section: said above the form (the grid is the end of
    /// GS's).
    pub not_gs: bool,
}

fn text_area(form: &FormState, name: &str, label: &str, hint: &str) -> Markup {
    let id = format!("f-{name}");
    let error = form.errors.get(name);
    html! {
        div class=(if error.is_some() { "field has-error" } else { "field" }) {
            label for=(id) { (label) }
            p.hint id=(format!("{id}-aide")) { (hint) }
            @if let Some(e) = error { p.error { (e) } }
            textarea id=(id) name=(name) rows="4" maxlength="2000" aria-describedby=(format!("{id}-aide")) aria-invalid=[error.map(|_| "true")] { (form.value(name)) }
        }
    }
}

/// `/suivi/eleve/:id/synthese` for who keeps the carnet, while it is not shared.
pub fn edit(csrf: &Markup, child: &Child<'_>, saved: bool, form: &FormState) -> Markup {
    // Each line's number in the whole grid: its field is `l-<number>`.
    let starts: Vec<usize> = GRID
        .iter()
        .scan(0, |n, (_, lines)| {
            let start = *n;
            *n += lines.len();
            Some(start)
        })
        .collect();
    html! {
        (crate::ui::heading(&format!("Synthèse des acquis — {}", child.name), Some("Synthèse des acquis scolaires de l'élève à la fin de l'école maternelle : pour chaque ligne, où en est l'enfant ; puis ses points forts et ses besoins.")))
        @if !child.class_label.is_empty() { p { (child.class_label) } }
        @if child.not_gs { p.flash.info role="note" { "Cet enfant n'est pas inscrit en grande section : la synthèse des acquis se remplit et se partage à la fin de la GS." } }
        @if !child.not_gs { section.panel {
            (error_summary(form))
            form method="post" action=(format!("/suivi/eleve/{}/synthese", child.id)) novalidate {
                (csrf)
                @for ((domain, lines), start) in GRID.iter().zip(&starts) {
                    h2 { (domain.label()) }
                    @for (k, line) in lines.iter().enumerate() {
                        @let name = format!("l-{}", start + k);
                        @let error = form.errors.get(&name);
                        @let current = form.value(&name).to_string();
                        fieldset class=(if error.is_some() { "field has-error choices" } else { "field choices" }) {
                            legend { (line) }
                            @if let Some(e) = error { p.error { (e) } }
                            @for level in Level::ALL {
                                @let id = format!("f-{name}-{}", level.slug());
                                div.check {
                                    input type="radio" id=(id) name=(name) value=(level.slug()) checked[current == level.slug()];
                                    label for=(id) { (level.label()) }
                                }
                            }
                        }
                    }
                }
                h2 { "Points forts et besoins" }
                (text_area(form, "points-forts", "Points forts", "Ce que l'enfant réussit particulièrement, ses goûts, ses manières d'apprendre."))
                (text_area(form, "besoins", "Besoins", "Ce sur quoi l'enfant aura besoin d'être accompagné au CP."))
                button.primary type="submit" { "Enregistrer la synthèse" }
            }
        } }
        @if saved && !child.not_gs {
            section.panel aria-labelledby="partager" {
                h2 #partager { "Partager avec la famille" }
                p { "Une fois partagée, la synthèse ne change plus : chaque responsable la lit et la signe." }
                form method="post" action=(format!("/suivi/eleve/{}/synthese/partager", child.id)) {
                    (csrf)
                    button.primary type="submit" { "Partager la synthèse avec la famille" }
                }
                p { a href=(format!("/suivi/eleve/{}/synthese/imprimer", child.id)) { "Voir la page à imprimer" } }
            }
        }
        p { a href=(format!("/suivi/eleve/{}", child.id)) { "Retour au carnet " (crate::ui::de(child.name)) } }
    }
}

/// The grid as filled: one table per domain, the level in words on each line.
fn grid(s: &Synthese) -> Markup {
    html! {
        @for (domain, _) in GRID {
            table.list.stack.synthese-grid {
                caption { (domain.label()) }
                thead { tr {
                    th scope="col" { "Ce qui est observé" }
                    @for level in Level::ALL { th scope="col" { (level.label()) } }
                } }
                tbody {
                    @for (_, line, level) in s.lines.iter().filter(|(d, _, _)| d == domain) {
                        tr {
                            th scope="row" { (line) }
                            // On a phone each line is a card: only the level chosen shows,
                            // by its words.
                            @for l in Level::ALL {
                                @if l == *level {
                                    td data-label=(l.label()) { strong { "X" } span.sr-only { " (" (l.label()) ")" } }
                                } @else {
                                    td {}
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Points forts" }
        p.prewrap { @if s.strengths.is_empty() { "—" } @else { (s.strengths) } }
        h2 { "Besoins" }
        p.prewrap { @if s.needs.is_empty() { "—" } @else { (s.needs) } }
    }
}

/// Each guardian's signature (their « J'ai vu » on the synthèse's share); on paper, a
/// place to sign by hand for who has not signed online.
fn signatures(list: &[(String, Option<i64>)], paper: bool) -> Markup {
    html! {
        ul.signatures {
            @for (who, at) in list {
                li {
                    (who) " : "
                    @match (at, paper) {
                        (Some(at), _) => { "signé le " (dates::long_datetime(*at)) }
                        (None, false) => { "pas encore signé" }
                        (None, true) => { "date et signature : ……………………………………" }
                    }
                }
            }
        }
    }
}

/// The synthèse as the family reads it (and the teacher once shared).
pub struct Reading<'a> {
    pub child: Child<'a>,
    pub synthese: &'a Synthese,
    pub author: String,
    pub signed: Vec<(String, Option<i64>)>,
    /// The reader is a guardian who has not signed yet: the share to sign.
    pub to_sign: Option<u64>,
}

pub fn read(csrf: &Markup, r: &Reading<'_>) -> Markup {
    let id = r.child.id;
    html! {
        (crate::ui::heading(&format!("Synthèse des acquis — {}", r.child.name), Some("Synthèse des acquis scolaires de l'élève à la fin de l'école maternelle.")))
        p { "Rédigée par " (r.author) " le " (dates::long_date(r.synthese.at)) "." }
        section.panel { (grid(r.synthese)) }
        section.panel aria-labelledby="signatures" {
            h2 #signatures { "Signatures des responsables" }
            (signatures(&r.signed, false))
            @if let Some(share) = r.to_sign {
                form method="post" action=(format!("/suivi/eleve/{id}/vu")) {
                    (csrf)
                    input type="hidden" name="partage" value=(share);
                    button.primary.big type="submit" { "J'ai lu la synthèse et je la signe" }
                }
            }
        }
        p {
            a.button href=(format!("/suivi/eleve/{id}/synthese/imprimer")) { "Page à imprimer" }
            " "
            a href=(format!("/suivi/eleve/{id}")) { "Le carnet de suivi" }
        }
    }
}

/// The A4 sheet: the school's header, the child, the grid, the signatures.
pub fn sheet(school: Option<&School>, r: &Reading<'_>) -> Markup {
    html! {
        p.noprint { "Cette page s'imprime sur une feuille A4 (menu « Imprimer » du navigateur). " a href=(format!("/suivi/eleve/{}/synthese", r.child.id)) { "Retour à la synthèse" } }
        section.sheet.synthese-sheet {
            header.school-header {
                @if let Some(s) = school {
                    p { strong { (s.name) } }
                    @if !s.address.is_empty() { p { (s.address) ", " (s.postcode) " " (s.commune) } }
                    @if !s.uai.is_empty() { p { "UAI " (s.uai) " — académie " (s.academie) } }
                }
            }
            h1 #titre { "Synthèse des acquis scolaires de l'élève à la fin de l'école maternelle" }
            p { strong { (r.child.name) } @if !r.child.class_label.is_empty() { " — " (r.child.class_label) } }
            p { "Rédigée par " (r.author) " le " (dates::long_date(r.synthese.at)) "." }
            (grid(r.synthese))
            h2 { "Signatures des responsables" }
            (signatures(&r.signed, true))
            p.small { "Grille « " (GRID_VERSION) " »." }
        }
    }
}
