//! The families' pages: a child's sign-ups per service, the recurring pattern, the diet,
//! and the history both guardians see.

use jiff::civil::Date;
use maud::{html, Markup};

use crate::auth::visitor::Visitor;
use crate::canteen::services::{Change, Diet, Family, PeriService};
use crate::canteen::{key_day, weekday_name, weekday_number};
use crate::directory::people::People;
use crate::ui::{csrf_input, dates};

/// One day of a service in the child's grid.
pub struct DayState {
    pub day: Date,
    /// Who booked it, if booked.
    pub booked_by: Option<u64>,
    /// Why it cannot be booked (holidays, closed), if so.
    pub closed: Option<String>,
    /// After the cut-off: a change becomes a request.
    pub late: bool,
    /// A request waiting for the commune: true to sign up, false to cancel.
    pub pending: Option<bool>,
}

/// A service with the child's weeks.
pub struct ServiceGrid {
    pub service: PeriService,
    pub weeks: Vec<(Date, Vec<DayState>)>,
}

pub fn children_page(people: &People, children: &[u64]) -> Markup {
    html! {
        (crate::ui::heading("Inscriptions cantine et périscolaire", Some("Inscrivez chaque enfant aux services de la commune : les deux responsables voient les mêmes inscriptions.")))
        ul.cards {
            @for c in children {
                @if let Some(u) = people.user(*c) {
                    li.card { h2 { a href=(format!("/cantine/inscriptions/{c}")) { (u.display_name()) } } }
                }
            }
        }
    }
}

fn day_check(s: &PeriService, d: &DayState, name: &str) -> Markup {
    let id = format!("j-{}-{}", s.id, d.day);
    let label = format!(
        "{} {}",
        &weekday_name(weekday_number(d.day))[..3],
        d.day.day()
    );
    html! {
        div.check.day {
            @if let Some(why) = &d.closed {
                input type="checkbox" id=(id) disabled aria-describedby=(format!("{id}-f"));
                label for=(id) { (label) }
                span.small id=(format!("{id}-f")) { " fermé (" (why) ")" }
            } @else {
                input type="hidden" name="affiches" value=(d.day.to_string());
                input type="checkbox" id=(id) name=(name) value=(d.day.to_string()) checked[d.booked_by.is_some()];
                label for=(id) { (label) }
                @if let Some(add) = d.pending {
                    " " span.badge { @if add { "inscription demandée" } @else { "annulation demandée" } }
                } @else if d.late {
                    " " span.badge.off { "après la date limite" }
                }
            }
        }
    }
}

fn history(people: &People, services: &[ServiceGrid], changes: &[Change]) -> Markup {
    let name = |id: u64| {
        people
            .user(id)
            .map(|u| u.display_name())
            .unwrap_or_else(|| "?".into())
    };
    html! {
        section.panel {
            h2 { "Dernières modifications" }
            @if changes.is_empty() { p.empty { "Aucune modification pour le moment." } }
            @else {
                ul {
                    @for c in changes {
                        li {
                            (dates::short_datetime(c.at)) " — " (name(c.by)) " : "
                            @if c.add { "inscription" } @else { "désinscription" }
                            " au service « " (services.iter().find(|g| g.service.id == c.service).map(|g| g.service.name.as_str()).unwrap_or("?")) " » le "
                            (key_day(c.day).map(dates::day_label).unwrap_or_default())
                            " (" (c.outcome.label()) ")"
                        }
                    }
                }
            }
        }
    }
}

/// The child's page.
#[allow(clippy::too_many_arguments)]
pub fn child_page(
    visitor: &Visitor,
    people: &People,
    pupil: u64,
    family: &Family,
    grids: &[ServiceGrid],
    changes: &[Change],
    period: (Date, Date),
) -> Markup {
    let child = people
        .user(pupil)
        .map(|u| u.display_name())
        .unwrap_or_default();
    let action = format!("/cantine/inscriptions/{pupil}");
    let booker = |id: u64| {
        people
            .user(id)
            .map(|u| u.display_name())
            .unwrap_or_default()
    };
    html! {
        (crate::ui::heading(&format!("Inscriptions de {child}"), Some("Cochez les jours, puis enregistrez. Après la date limite d'un service, un changement est envoyé à la commune comme une demande.")))
        @if grids.is_empty() { p.empty { "La commune n'a ouvert aucun service à cette classe pour le moment." } }
        @for g in grids {
            @let s = &g.service;
            section.panel.service {
                h2 { (s.name) }
                p.small { "Jours : " (s.days_text()) ". Date limite : " (s.cutoff_text()) "."
                    @if let Some(h) = s.cancel_until { " Annulation possible le matin même jusqu'à " (h) " h." }
                    @if s.capacity > 0 { " " (s.capacity) " places par jour." } }
                form method="post" action=(action) novalidate {
                    (csrf_input(visitor))
                    input type="hidden" name="action" value="jours";
                    input type="hidden" name="service" value=(s.id);
                    @for (monday, days) in &g.weeks {
                        fieldset.week {
                            legend { (crate::canteen::views::week_title(*monday)) }
                            div.options { @for d in days { (day_check(s, d, "jours")) } }
                        }
                    }
                    button.button.primary type="submit" { "Enregistrer les jours " span.sr { "du service " (s.name) } }
                }
                @let booked: Vec<(Date, u64)> = g.weeks.iter().flat_map(|(_, ds)| ds.iter().filter_map(|d| d.booked_by.map(|b| (d.day, b)))).collect();
                @if !booked.is_empty() {
                    details {
                        summary { "Qui a inscrit " (child) " ?" }
                        ul { @for (d, b) in &booked { li { (dates::day_label(*d)) " : " (booker(*b)) } } }
                    }
                }
                form method="post" action=(action) novalidate {
                    (csrf_input(visitor))
                    input type="hidden" name="action" value="regulier";
                    input type="hidden" name="service" value=(s.id);
                    fieldset.field.checks {
                        legend { "Inscription régulière au service " (s.name) }
                        @if let Some(p) = family.patterns.iter().find(|p| p.service == s.id) {
                            p.small { "Actuellement : " (p.weekdays.iter().map(|d| weekday_name(*d)).collect::<Vec<_>>().join(", ")) ", du " (key_day(p.from).map(dates::calendar_date).unwrap_or_default()) " au " (key_day(p.until).map(dates::calendar_date).unwrap_or_default()) "." }
                        }
                        div.options {
                            @for d in &s.weekdays {
                                @let id = format!("r-{}-{d}", s.id);
                                div.check { input type="checkbox" id=(id) name="semaine" value=(d) checked[family.patterns.iter().any(|p| p.service == s.id && p.weekdays.contains(d))]; label for=(id) { (weekday_name(*d)) } }
                            }
                        }
                    }
                    div.field { label for=(format!("du-{}", s.id)) { "Du" } input id=(format!("du-{}", s.id)) type="date" name="du" value=(period.0.to_string()); }
                    div.field { label for=(format!("au-{}", s.id)) { "Au" } input id=(format!("au-{}", s.id)) type="date" name="au" value=(period.1.to_string()); }
                    p.hint { "Les vacances et les jours de fermeture sont sautés. Les jours non cochés de la période sont désinscrits." }
                    button.button type="submit" { "Appliquer l'inscription régulière " span.sr { "au service " (s.name) } }
                }
            }
        }
        section.panel {
            h2 { "Régime à la cantine" }
            form method="post" action=(action) novalidate {
                (csrf_input(visitor))
                input type="hidden" name="action" value="regime";
                div.field {
                    label for="f-regime" { "Repas" }
                    select #f-regime name="regime" {
                        @for d in Diet::ALL { option value=(d.slug()) selected[d == family.diet] { (d.label()) } }
                    }
                }
                fieldset.field.checks {
                    legend { "PAI (projet d'accueil individualisé)" }
                    p.hint { "Oui ou non seulement : le détail médical reste entre la famille, le médecin scolaire et la mairie, pas dans l'ENT." }
                    div.options {
                        div.check { input #f-pai-non type="radio" name="pai" value="non" checked[!family.pai]; label for="f-pai-non" { "Non" } }
                        div.check { input #f-pai-oui type="radio" name="pai" value="oui" checked[family.pai]; label for="f-pai-oui" { "Oui" } }
                    }
                }
                button.button type="submit" { "Enregistrer le régime" }
            }
        }
        (history(people, grids, changes))
    }
}
