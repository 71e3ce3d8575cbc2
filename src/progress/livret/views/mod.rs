//! The livret's pages for who keeps it: the periods (the director), a class's livret for
//! a period, the class grid of one subject (or of the general appréciations and aides).
//! Pure views of what the routes gathered.

use maud::{html, Markup, PreEscaped};

use super::reference::{Subject, AIDES, POSITIONNEMENTS};
use super::Period;
use crate::ui::dates;
use crate::ui::form::{error_summary, select, FormState};
use crate::ui::text::text;

pub mod lsu;
pub mod pupil;

/// The slug of the general part of the grid (appréciations générales, aides, projects).
pub const GENERAL: &str = "general";

/// « Trimestre 1 (du 1 septembre au 30 novembre) ».
pub fn period_text(p: &Period) -> String {
    format!(
        "{} (du {} au {})",
        p.label(),
        dates::calendar_date(p.start),
        dates::calendar_date(p.end)
    )
}

/// The links to the periods of the year, the one shown marked.
pub fn period_nav(base: &str, periods: &[Period], current: u64, extra: &str) -> Markup {
    html! {
        nav.subnav aria-label="Périodes" {
            ul {
                @for p in periods {
                    @let href = format!("{base}?periode={}{extra}", p.id);
                    li {
                        @if p.id == current { a href=(href) aria-current="page" { (p.label()) } }
                        @else { a href=(href) { (p.label()) } }
                    }
                }
            }
        }
    }
}

/// `/suivi/livret/periodes`: the division of the year and the dates of each period.
pub fn periods(csrf: &Markup, year: &str, form: &FormState, locked: bool) -> Markup {
    let kinds = vec![
        (String::new(), "—".to_string()),
        ("trimestres".to_string(), "Trois trimestres".to_string()),
        ("semestres".to_string(), "Deux semestres".to_string()),
    ];
    html! {
        (crate::ui::heading("Périodes du livret scolaire", Some(&format!("Année scolaire {year}"))))
        section.panel {
            (error_summary(form))
            @if locked {
                p.hint { "Des bilans sont déjà écrits dans ces périodes : leurs dates peuvent changer, le découpage (trimestres ou semestres) ne le peut plus cette année." }
            }
            form method="post" action="/suivi/livret/periodes" novalidate {
                (csrf)
                (select(form, "decoupage", "Découpage de l'année", &kinds, true))
                @for n in 1..=3u8 {
                    fieldset.field {
                        legend { "Période " (n) @if n == 3 { " (trimestres seulement)" } }
                        (crate::ui::form::Field::text(&format!("debut-{n}"), "Premier jour").kind("date").render(form))
                        (crate::ui::form::Field::text(&format!("fin-{n}"), "Dernier jour").kind("date").render(form))
                    }
                }
                button.primary type="submit" { "Enregistrer les périodes" }
            }
        }
        p { a href="/suivi/livret/lsu" { "Exporter les bilans publiés vers le LSU" } }
        p { a href="/suivi" { "Retour au suivi des apprentissages" } }
    }
}

/// A pupil as the class's livret lists them.
pub struct PupilState {
    pub id: u64,
    pub name: String,
    /// Subjects with a positionnement or an appréciation.
    pub filled: usize,
    pub published: bool,
    /// Guardians who acknowledged, of how many.
    pub seen: (usize, usize),
    /// The cycle this pupil ends (CE2, CM2), and whether its bilan is written.
    pub cycle: Option<(u8, bool)>,
}

/// `/suivi/livret/classe/:id`.
pub struct ClassPage<'a> {
    pub class_id: u64,
    pub label: &'a str,
    pub periods: &'a [Period],
    pub period: Option<&'a Period>,
    /// Each subject, and how many pupils have something in it.
    pub subjects: Vec<(&'static Subject, usize)>,
    pub pupils: Vec<PupilState>,
    pub published: Option<i64>,
    pub director: bool,
}

pub fn class(csrf: &Markup, c: &ClassPage<'_>) -> Markup {
    let base = format!("/suivi/livret/classe/{}", c.class_id);
    html! {
        (crate::ui::heading(&format!("Livret scolaire — {}", c.label), Some("Les bilans périodiques de la classe : saisissez matière par matière, puis publiez-les pour les familles.")))
        @match c.period {
            None => {
                p.empty { "Les périodes de l'année (trimestres ou semestres) ne sont pas encore fixées." }
                @if c.director { p { a.button.primary href="/suivi/livret/periodes" { "Fixer les périodes" } } }
                @else { p { "La direction les fixe dans le suivi des apprentissages." } }
            }
            Some(period) => {
                (period_nav(&base, c.periods, period.id, ""))
                p { (period_text(period)) @if c.director { " — " a href="/suivi/livret/periodes" { "changer les périodes" } } }
                section.panel aria-labelledby="saisie" {
                    h2 #saisie { "Saisie par matière" }
                    ul {
                        @for (s, n) in &c.subjects {
                            li { a href=(format!("{base}/grille?periode={}&matiere={}", period.id, s.slug)) { (s.label) } " — " (n) " élève" @if *n > 1 { "s" } }
                        }
                        li { a href=(format!("{base}/grille?periode={}&matiere={GENERAL}", period.id)) { "Appréciations générales, aides et projets de la classe" } }
                    }
                }
                @if c.pupils.is_empty() {
                    p.empty { "Aucun élève dans cette classe." }
                } @else {
                    table.list.stack {
                        caption.sr-only { "Les bilans des élèves pour cette période" }
                        thead { tr { th scope="col" { "Élève" } th scope="col" { "Matières renseignées" } th scope="col" { "Publication" } th scope="col" { "Bilan de fin de cycle" } } }
                        tbody {
                            @for p in &c.pupils {
                                tr {
                                    th scope="row" data-label="Élève" { a href=(format!("/suivi/livret/eleve/{}?periode={}", p.id, period.id)) { (p.name) } }
                                    td data-label="Matières renseignées" { (p.filled) " sur " (c.subjects.len()) }
                                    td data-label="Publication" {
                                        @if p.published { "publié — pris connaissance : " (p.seen.0) " sur " (p.seen.1) }
                                        @else { "pas encore publié" }
                                    }
                                    td data-label="Bilan de fin de cycle" {
                                        @match p.cycle {
                                            Some((cycle, done)) => {
                                                a href=(format!("/suivi/livret/eleve/{}/cycle", p.id)) {
                                                    @if done { "Cycle " (cycle) " : écrit" } @else { "Cycle " (cycle) " : à remplir" }
                                                }
                                            }
                                            None => { "—" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    section.panel aria-labelledby="publier" {
                        h2 #publier { "Publier pour les familles" }
                        @if let Some(at) = c.published {
                            p { "Publié le " (dates::short_datetime(at)) ". Les bilans écrits depuis attendent une nouvelle publication ; ceux déjà publiés montrent vos corrections." }
                        }
                        p { "Les familles voient les bilans de leur enfant pour cette période (et les bilans de fin de cycle qui l'accompagnent) et sont prévenues." }
                        form method="post" action=(format!("{base}/publier")) {
                            (csrf)
                            input type="hidden" name="periode" value=(period.id);
                            button.primary type="submit" { "Publier les bilans du " (period.label()) }
                        }
                    }
                }
            }
        }
        p { a href="/suivi" { "Retour au suivi des apprentissages" } }
    }
}

/// `/suivi/livret/classe/:id/grille`: one subject (or the general part) × every pupil.
pub struct Grid<'a> {
    pub class_id: u64,
    pub label: &'a str,
    pub periods: &'a [Period],
    pub period: &'a Period,
    /// None for the general part.
    pub subject: Option<&'static Subject>,
    pub subjects: &'a [&'static Subject],
    pub pupils: &'a [(u64, String)],
    /// The previous period, when it has éléments du programme to take again.
    pub previous: Option<&'a Period>,
}

fn cell_error(form: &FormState, field: &str) -> Markup {
    html! { @if let Some(e) = form.errors.get(field) { p.error id=(format!("{field}-erreur")) { (e) } } }
}

fn described(form: &FormState, field: &str) -> Option<String> {
    form.errors
        .contains_key(field)
        .then(|| format!("{field}-erreur"))
}

pub fn grid(csrf: &Markup, g: &Grid<'_>, form: &FormState) -> Markup {
    let base = format!("/suivi/livret/classe/{}/grille", g.class_id);
    let slug = g.subject.map(|s| s.slug).unwrap_or(GENERAL);
    let title = g
        .subject
        .map(|s| s.label)
        .unwrap_or("Appréciations générales, aides et projets");
    // The same five options on every row, their long labels escaped once: each as shown
    // when not chosen and when chosen.
    let positions: Vec<(String, String, String)> = std::iter::once((String::new(), "—"))
        .chain(POSITIONNEMENTS.iter().map(|(n, l)| (n.to_string(), *l)))
        .map(|(v, l)| {
            let plain = html! { option value=(v) { (l) } }.into_string();
            let chosen = html! { option value=(v) selected { (l) } }.into_string();
            (v, plain, chosen)
        })
        .collect();
    html! {
        (crate::ui::heading(&format!("{title} — {}", g.label), Some(&period_text(g.period))))
        (period_nav(&base, g.periods, g.period.id, &format!("&matiere={slug}")))
        nav.subnav aria-label="Matières" {
            ul {
                @for s in g.subjects {
                    @let href = format!("{base}?periode={}&matiere={}", g.period.id, s.slug);
                    li { @if s.slug == slug { a href=(href) aria-current="page" { (s.label) } } @else { a href=(href) { (s.label) } } }
                }
                @let href = format!("{base}?periode={}&matiere={GENERAL}", g.period.id);
                li { @if slug == GENERAL { a href=(href) aria-current="page" { "Général" } } @else { a href=(href) { "Général" } } }
            }
        }
        section.panel {
            (error_summary(form))
            form.livret-grid method="post" action=(base) novalidate data-autosave="1" {
                (csrf)
                input type="hidden" name="periode" value=(g.period.id);
                input type="hidden" name="matiere" value=(slug);
                @if let Some(subject) = g.subject {
                    div class=(if form.errors.contains_key("elements") { "field has-error" } else { "field" }) {
                        label for="f-elements" { "Éléments du programme travaillés pendant la période (un par ligne)" }
                        p.hint #f-elements-aide { "Par exemple : " (subject.examples.join(" ; ")) "." }
                        (cell_error(form, "elements"))
                        textarea #f-elements name="elements" rows="5" aria-describedby=(["f-elements-aide".to_string()].into_iter().chain(described(form, "elements")).collect::<Vec<_>>().join(" ")) aria-invalid=[form.errors.get("elements").map(|_| "true")] { (form.value("elements")) }
                        @if let Some(prev) = g.previous {
                            p { a href=(format!("{base}?periode={}&matiere={slug}&reprendre={}", g.period.id, prev.id)) { "Reprendre les éléments du " (prev.label()) } }
                        }
                    }
                } @else {
                    div class=(if form.errors.contains_key("projets") { "field has-error" } else { "field" }) {
                        label for="f-projets" { "Parcours et projets de la classe pendant la période" }
                        p.hint #f-projets-aide { "Parcours citoyen, d'éducation artistique et culturelle, éducatif de santé ; projets de la classe. Le même texte figure dans le bilan de chaque élève." }
                        (cell_error(form, "projets"))
                        textarea #f-projets name="projets" rows="3" aria-describedby="f-projets-aide" aria-invalid=[form.errors.get("projets").map(|_| "true")] { (form.value("projets")) }
                    }
                }
                div.scroll {
                    table.list.stack.matrix.livret {
                        caption.sr-only { (title) " : un élève par ligne" }
                        thead {
                            tr {
                                th scope="col" { "Élève" }
                                @if g.subject.is_some() { th scope="col" { "Positionnement" } th scope="col" { "Appréciation" } }
                                @else { th scope="col" { "Appréciation générale" } th scope="col" { "Aides" } }
                            }
                        }
                        tbody {
                            @for (pupil, name) in g.pupils {
                                tr {
                                    th scope="row" data-label="Élève" { (text(name)) }
                                    @if g.subject.is_some() {
                                        @let (pos, app) = (format!("pos-{pupil}"), format!("app-{pupil}"));
                                        @let (pos_error, app_error) = (form.errors.contains_key(&pos), form.errors.contains_key(&app));
                                        @let chosen = form.value(&pos);
                                        td data-label="Positionnement" class=[pos_error.then_some("has-error")] {
                                            label.sr-only for={ "f-" (text(&pos)) } { "Positionnement " (text(&crate::ui::de(name))) }
                                            @if pos_error { (cell_error(form, &pos)) }
                                            select id={ "f-" (text(&pos)) } name=(text(&pos)) aria-invalid=[pos_error.then_some("true")] aria-describedby=[pos_error.then(|| described(form, &pos)).flatten()] {
                                                @for (v, plain, selected) in &positions { (PreEscaped(if v == chosen { selected } else { plain })) }
                                            }
                                        }
                                        td data-label="Appréciation" class=[app_error.then_some("has-error")] {
                                            label.sr-only for={ "f-" (text(&app)) } { "Appréciation pour " (text(name)) }
                                            @if app_error { (cell_error(form, &app)) }
                                            textarea id={ "f-" (text(&app)) } name=(text(&app)) rows="2" aria-invalid=[app_error.then_some("true")] aria-describedby=[app_error.then(|| described(form, &app)).flatten()] { (text(form.value(&app))) }
                                        }
                                    } @else {
                                        @let (gen, aide) = (format!("gen-{pupil}"), format!("aide-{pupil}"));
                                        @let ticked: Vec<&str> = form.value(&aide).split(',').collect();
                                        td data-label="Appréciation générale" class=[form.errors.get(&gen).map(|_| "has-error")] {
                                            label.sr-only for=(format!("f-{gen}")) { "Appréciation générale pour " (text(name)) }
                                            (cell_error(form, &gen))
                                            textarea id=(format!("f-{gen}")) name=(text(&gen)) rows="2" aria-invalid=[form.errors.get(&gen).map(|_| "true")] aria-describedby=[described(form, &gen)] { (text(form.value(&gen))) }
                                        }
                                        td data-label="Aides" {
                                            fieldset.aides {
                                                legend.sr-only { "Aides pour " (text(name)) }
                                                @for (code, label) in AIDES {
                                                    @let id = format!("f-{aide}-{code}");
                                                    span.check {
                                                        input type="checkbox" id=(id) name=(aide) value=(code) checked[ticked.contains(&code)];
                                                        label for=(id) { abbr title=(label) { (code) } }
                                                    }
                                                    " "
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                p.autosave-status aria-live="polite" {}
                button.primary type="submit" { "Enregistrer" }
                " "
                a href=(format!("/suivi/livret/classe/{}?periode={}", g.class_id, g.period.id)) { "Retour au livret de la classe" }
            }
        }
    }
}
