//! The pointage du matin, the effectifs du jour, the teacher's class at the canteen.

use jiff::civil::Date;
use maud::{html, Markup};

use crate::auth::visitor::Visitor;
use crate::canteen::register::{Headcount, Register};
use crate::canteen::services::{Diet, Family, PeriService};
use crate::directory::people::People;
use crate::ui::{csrf_input, dates};

/// The teacher's classes: who eats at the canteen today.
pub fn class_today(sections: &[(String, Vec<String>)]) -> Markup {
    html! {
        @for (label, names) in sections {
            section.panel {
                h2 { "À la cantine aujourd'hui en " (label) " : " (names.len()) }
                @if names.is_empty() { p.empty { "Aucun élève inscrit aujourd'hui." } }
                @else { ul { @for n in names { li { (n) } } } }
            }
        }
    }
}

pub fn home(services: &[PeriService], day: Date, manage: bool) -> Markup {
    html! {
        (crate::ui::heading("Périscolaire", Some("Le pointage du matin : la liste du jour de chaque service, sans les élèves absents à l'appel.")))
        p { "Aujourd'hui : " (dates::day_label(day)) }
        @if manage { p.actions { a.button href="/cantine/effectifs" { "Effectifs du jour" } } }
        @if services.is_empty() { p.empty { "Vous ne travaillez dans aucun service du périscolaire : la commune vous y ajoute." } }
        @else {
            ul.cards {
                @for s in services {
                    li.card { h2 { a href=(format!("/periscolaire/{}", s.id)) { (s.name) } } p { (s.days_text()) } }
                }
            }
        }
    }
}

/// One pupil of the list.
pub struct Row {
    pub pupil: u64,
    pub family: Family,
}

fn name_and_class(people: &People, p: u64) -> (String, String) {
    let name = people.user(p).map(|u| u.display_name()).unwrap_or_default();
    let class = people
        .classes_of(p)
        .first()
        .and_then(|c| people.class(*c))
        .map(|c| c.label.clone())
        .unwrap_or_default();
    (name, class)
}

/// A service's list for the day: the expected pupils to tick, the absent with the reason.
pub fn list_page(
    visitor: &Visitor,
    people: &People,
    service: &PeriService,
    day: Date,
    expected: &[Row],
    absent: &[(u64, String)],
    done: Option<&Register>,
) -> Markup {
    html! {
        (crate::ui::heading(&format!("{} — {}", service.name, dates::day_label(day)), None))
        p { strong { (expected.len()) } " élève(s) attendu(s)" @if !absent.is_empty() { ", " strong { (absent.len()) } " absent(s) à l'appel" } "."
            @if let Some(h) = service.report_by { " La commune attend le pointage avant " (h) " h." } }
        @if let Some(r) = done {
            p.notice role="status" { "Pointage enregistré le " (dates::short_datetime(r.at)) " par " (people.user(r.by).map(|u| u.display_name()).unwrap_or_default()) " : " (r.present.len()) " présent(s). Vous pouvez le corriger." }
        }
        @if expected.is_empty() { p.empty { "Aucun élève attendu aujourd'hui." } }
        @else {
            form method="post" action=(format!("/periscolaire/{}", service.id)) novalidate {
                (csrf_input(visitor))
                fieldset.field.checks {
                    legend { "Élèves présents (tous cochés d'abord : décochez ceux qui ne sont pas là)" }
                    div.options.register {
                        @for r in expected {
                            @let (name, class) = name_and_class(people, r.pupil);
                            @let id = format!("p-{}", r.pupil);
                            @let ticked = done.map(|d| d.present.contains(&r.pupil)).unwrap_or(true);
                            div.check {
                                input type="checkbox" id=(id) name="presents" value=(r.pupil) checked[ticked];
                                label for=(id) {
                                    (name) " " span.small { "(" (class) ")" }
                                    @if r.family.diet != Diet::Standard { " " span.badge { (r.family.diet.label()) } }
                                    @if r.family.pai { " " span.badge.off { "PAI" } }
                                }
                            }
                        }
                    }
                }
                button.button.primary type="submit" { "Enregistrer le pointage" }
            }
        }
        @if !absent.is_empty() {
            section.panel {
                h2 { "Absents à l'appel (retirés de la liste)" }
                ul { @for (p, why) in absent { li { (name_and_class(people, *p).0) " — " (why) } } }
            }
        }
        p { a href="/periscolaire" { "← Tous les services" } }
    }
}

/// The effectifs du jour for the commune (screen and print).
pub fn headcount_page(day: Date, lines: &[Headcount]) -> Markup {
    html! {
        section.sheet {
            (crate::ui::heading(&format!("Effectifs du {}", dates::day_label(day)), Some("Inscrits, absents à l'appel, attendus, et présents une fois le pointage fait.")))
            p.actions.noprint {
                a.button href=(format!("/cantine/effectifs.csv?jour={day}")) { "Télécharger (CSV)" }
                " " a.button href=(format!("/cantine/effectifs?jour={}", crate::canteen::add_days(day, -1))) { "Jour précédent" }
                " " a.button href=(format!("/cantine/effectifs?jour={}", crate::canteen::add_days(day, 1))) { "Jour suivant" }
            }
            @if lines.is_empty() { p.empty { "Aucun service ce jour-là." } }
            @else {
                table.list.stack {
                    thead { tr { th scope="col" { "Service" } th scope="col" { "Inscrits" } th scope="col" { "Absents" } th scope="col" { "Attendus" } th scope="col" { "Présents (pointage)" } } }
                    tbody {
                        @for l in lines {
                            tr {
                                th scope="row" { (l.service.name) }
                                td data-label="Inscrits" { (l.booked) } td data-label="Absents" { (l.absent) } td data-label="Attendus" { (l.expected) }
                                td data-label="Présents (pointage)" { @match l.present {
                                    Some(n) => (n),
                                    None => @if l.late { span.badge.off { "en retard (attendu avant " (l.service.report_by.unwrap_or(0)) " h)" } } @else { span.badge { "pas encore fait" } },
                                } }
                            }
                        }
                    }
                }
            }
        }
    }
}
