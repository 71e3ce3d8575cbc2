//! A pupil's livret: the bilan of a period and the bilans de fin de cycle, read by who
//! keeps it (everything) and by the family (what was published, to acknowledge and
//! comment); its A4 print with the school's header; the bilan de fin de cycle's form.

use maud::{html, Markup};

use super::super::reference::{self, maitrise, positionnement, Subject, AIDES, MAITRISES, SOCLE};
use super::super::{Bilan, ClassPeriod, CycleBilan, Period};
use super::{period_nav, period_text};
use crate::school::School;
use crate::ui::dates;
use crate::ui::form::{error_summary, select, FormState};

/// The family's side of a published bilan: who acknowledged, the comments.
pub struct Answers<'a> {
    /// `periode-<id>` or `cycle-<n>`: what the forms name.
    pub key: String,
    pub published: bool,
    pub guardians: Vec<(String, Option<i64>)>,
    pub comments: Vec<(String, i64, &'a str)>,
    pub to_acknowledge: bool,
}

pub struct ShownBilan<'a> {
    pub period: &'a Period,
    pub bilan: Option<&'a Bilan>,
    pub class: &'a ClassPeriod,
    pub subjects: Vec<&'static Subject>,
    pub answers: Answers<'a>,
}

pub struct ShownCycle<'a> {
    pub bilan: &'a CycleBilan,
    pub answers: Answers<'a>,
}

pub struct PupilPage<'a> {
    pub pupil: u64,
    pub name: String,
    pub class_label: String,
    pub keeper: bool,
    pub periods: &'a [Period],
    pub shown: Option<ShownBilan<'a>>,
    pub cycles: Vec<ShownCycle<'a>>,
    /// The cycle this pupil ends, for who keeps the livret.
    pub cycle_to_fill: Option<u8>,
    /// (bilan key, text typed, refusal) of a refused comment.
    pub comment_error: Option<(String, String, String)>,
}

/// The bilan of a period: each subject, the general appréciation, the aides, the projects.
pub fn bilan_body(b: &ShownBilan<'_>) -> Markup {
    html! {
        table.list.stack.livret-bilan {
            caption { "Bilan du " (b.period.label()) }
            thead { tr { th scope="col" { "Matière" } th scope="col" { "Éléments du programme travaillés" } th scope="col" { "Positionnement" } th scope="col" { "Appréciation" } } }
            tbody {
                @for s in &b.subjects {
                    @let entry = b.bilan.and_then(|x| x.entry(s.slug));
                    tr {
                        th scope="row" data-label="Matière" { (s.label) }
                        td data-label="Éléments du programme travaillés" {
                            @match b.class.elements.get(s.slug) {
                                Some(list) => { ul { @for e in list { li { (e) } } } }
                                None => { "—" }
                            }
                        }
                        td data-label="Positionnement" { (entry.and_then(|e| e.positionnement).and_then(positionnement).unwrap_or("—")) }
                        td data-label="Appréciation" { @match entry.map(|e| e.appreciation.as_str()).filter(|a| !a.is_empty()) { Some(a) => { (a) } None => { "—" } } }
                    }
                }
            }
        }
        h3 { "Appréciation générale" }
        p { @match b.bilan.map(|x| x.general.as_str()).filter(|g| !g.is_empty()) { Some(g) => { (g) } None => { "—" } } }
        h3 { "Aides" }
        @let aides: Vec<&str> = AIDES.iter().filter(|(c, _)| b.bilan.is_some_and(|x| x.aides.iter().any(|a| a == c))).map(|(_, l)| *l).collect();
        @if aides.is_empty() { p { "Aucune aide pendant la période." } } @else { ul { @for a in aides { li { (a) } } } }
        h3 { "Parcours et projets de la classe" }
        p { @if b.class.projects.is_empty() { "—" } @else { (b.class.projects) } }
    }
}

/// A bilan de fin de cycle: the eight components of the socle and their maîtrise.
pub fn cycle_body(c: &CycleBilan) -> Markup {
    html! {
        table.list.stack {
            caption { "Bilan de fin de cycle " (c.cycle) " : maîtrise des composantes du socle commun" }
            thead { tr { th scope="col" { "Composante" } th scope="col" { "Maîtrise" } } }
            tbody {
                @for (code, label) in SOCLE {
                    tr { th scope="row" data-label="Composante" { (label) } td data-label="Maîtrise" { (c.maitrise(code).and_then(maitrise).unwrap_or("—")) } }
                }
            }
        }
        @if !c.appreciation.is_empty() { h3 { "Appréciation" } p { (c.appreciation) } }
    }
}

fn answers(
    csrf: &Markup,
    pupil: u64,
    a: &Answers<'_>,
    error: Option<&(String, String, String)>,
) -> Markup {
    let error = error.filter(|(k, _, _)| *k == a.key);
    let field = format!("commentaire-{}", a.key);
    html! {
        @if !a.published {
            p.hint { "Pas encore publié : la famille ne le voit pas." }
        } @else {
            ul {
                @for (who, at) in &a.guardians {
                    li { (who) " : " @match at { Some(at) => { "a pris connaissance le " (dates::short_datetime(*at)) } None => { "n'a pas encore pris connaissance" } } }
                }
            }
            @if a.to_acknowledge {
                form method="post" action=(format!("/suivi/livret/eleve/{pupil}/vu")) {
                    (csrf)
                    input type="hidden" name="bilan" value=(a.key);
                    button.primary type="submit" { "J'ai pris connaissance" }
                }
            }
            @for (who, at, text) in &a.comments {
                blockquote { p { (text) } footer { (who) ", " (dates::short_datetime(*at)) } }
            }
            form method="post" action=(format!("/suivi/livret/eleve/{pupil}/commentaire")) novalidate {
                (csrf)
                input type="hidden" name="bilan" value=(a.key);
                div class=(if error.is_some() { "field has-error" } else { "field" }) {
                    label for=(field) { "Votre commentaire" }
                    @if let Some((_, _, e)) = error { p.error { (e) } }
                    textarea id=(field) name="texte" rows="2" maxlength="2000" aria-invalid=[error.map(|_| "true")] { @if let Some((_, t, _)) = error { (t) } }
                }
                button type="submit" { "Envoyer le commentaire" }
            }
        }
    }
}

/// `/suivi/livret/eleve/:id`.
pub fn page(csrf: &Markup, p: &PupilPage<'_>) -> Markup {
    let base = format!("/suivi/livret/eleve/{}", p.pupil);
    html! {
        (crate::ui::heading(&format!("Livret scolaire {}", crate::ui::de(&p.name)), Some(&p.class_label)))
        @if !p.periods.is_empty() {
            @let current = p.shown.as_ref().map(|s| s.period.id).unwrap_or_default();
            (period_nav(&base, p.periods, current, ""))
        }
        @match &p.shown {
            None => { p.empty { @if p.keeper { "Aucune période n'est encore fixée pour cette année." } @else { "Aucun bilan publié pour l'instant." } } }
            Some(b) => {
                section.panel aria-labelledby="bilan" {
                    h2 #bilan { "Bilan périodique — " (period_text(b.period)) }
                    (bilan_body(b))
                    p { a href=(format!("{base}/imprimer?periode={}", b.period.id)) { "Version à imprimer (A4)" } }
                    h3 { "La famille" }
                    (answers(csrf, p.pupil, &b.answers, p.comment_error.as_ref()))
                }
            }
        }
        @for c in &p.cycles {
            section.panel aria-labelledby=(format!("cycle-{}", c.bilan.cycle)) {
                h2 id=(format!("cycle-{}", c.bilan.cycle)) { "Bilan de fin de cycle " (c.bilan.cycle) }
                (cycle_body(c.bilan))
                h3 { "La famille" }
                (answers(csrf, p.pupil, &c.answers, p.comment_error.as_ref()))
            }
        }
        @if let Some(cycle) = p.cycle_to_fill {
            p { a.button href=(format!("{base}/cycle")) { "Remplir le bilan de fin de cycle " (cycle) } }
        }
        p { a href="/suivi" { "Retour au suivi des apprentissages" } }
    }
}

/// `/suivi/livret/eleve/:id/imprimer`: one A4 page, headed by the school.
pub fn print(
    school: &School,
    year: &str,
    name: &str,
    class_label: &str,
    b: &ShownBilan<'_>,
    cycle: Option<&CycleBilan>,
) -> Markup {
    html! {
        article.livret-print {
            header.school-header {
                p.school-name { strong { (school.name) } }
                p { (school.address) @if !school.address.is_empty() { ", " } (school.postcode) " " (school.commune) }
                p { "Académie de " (school.academie) " — UAI " (school.uai) }
            }
            h1 { "Livret scolaire — bilan périodique" }
            p.lead { (name) " — " (class_label) " — année scolaire " (year) }
            h2 { (period_text(b.period)) }
            (bilan_body(b))
            @if let Some(c) = cycle { (cycle_body(c)) }
            section.signatures {
                p { "Signature de l'enseignant" }
                p { "Signature des responsables légaux" }
            }
            p.noprint.hint { "Imprimez cette page avec la commande Imprimer de votre navigateur : elle tient sur une feuille A4, sans le menu du site." }
            p.noprint { a href=(format!("/suivi/livret/eleve/{}?periode={}", b.bilan.map(|x| x.pupil).unwrap_or_default(), b.period.id)) { "Retour au livret" } }
        }
    }
}

/// `/suivi/livret/eleve/:id/cycle`: the eight components, an appréciation, the period
/// it is published with.
pub fn cycle_form(
    csrf: &Markup,
    pupil: u64,
    name: &str,
    cycle: u8,
    periods: &[Period],
    form: &FormState,
) -> Markup {
    let levels: Vec<(String, String)> = std::iter::once((String::new(), "—".to_string()))
        .chain(
            MAITRISES
                .iter()
                .map(|(n, l)| (n.to_string(), l.to_string())),
        )
        .collect();
    let period_options: Vec<(String, String)> = periods
        .iter()
        .map(|p| (p.id.to_string(), p.label()))
        .collect();
    html! {
        (crate::ui::heading(&format!("Bilan de fin de cycle {cycle} — {name}"), Some("La maîtrise de chacune des huit composantes du socle commun, à la fin du CE2 (cycle 2) ou du CM2 (cycle 3).")))
        section.panel {
            (error_summary(form))
            @if periods.is_empty() {
                p.empty { "Les périodes de l'année ne sont pas encore fixées : le bilan se publie avec une période." }
            } @else {
                form method="post" action=(format!("/suivi/livret/eleve/{pupil}/cycle")) novalidate {
                    (csrf)
                    @for (code, label) in SOCLE {
                        (select(form, &format!("comp-{code}"), label, &levels, true))
                    }
                    div class=(if form.errors.contains_key("appreciation") { "field has-error" } else { "field" }) {
                        label for="f-appreciation" { "Appréciation (facultative)" }
                        @if let Some(e) = form.errors.get("appreciation") { p.error { (e) } }
                        textarea #f-appreciation name="appreciation" rows="3" aria-invalid=[form.errors.get("appreciation").map(|_| "true")] { (form.value("appreciation")) }
                    }
                    (select(form, "periode", "Publié avec les bilans de la période", &period_options, true))
                    p.hint { "Version des références : " (reference::LIVRET_VERSION) "." }
                    button.primary type="submit" { "Enregistrer le bilan de fin de cycle" }
                }
            }
        }
        p { a href=(format!("/suivi/livret/eleve/{pupil}")) { "Retour au livret" } }
    }
}
