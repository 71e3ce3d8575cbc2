//! Resources: the list with one's bookings and the director's requests, a resource's week
//! (printable) with the booking form, the director's page of resources.

use jiff::civil::Date;
use maud::{html, Markup};

use super::super::availability::WEEKDAYS;
use super::super::clock;
use super::super::resources::{Booking, Kind, Resource, Status};
use crate::ui::dates;
use crate::ui::form::{error_summary, select, Field, FormState};

/// A booking as a list shows it: with the resource's and the author's names.
pub struct Line {
    pub booking: Booking,
    pub resource: String,
    pub author: String,
    pub cancellable: bool,
}

fn when(b: &Booking) -> String {
    b.when()
}

/// `/reservations`.
pub fn home(
    csrf: &Markup,
    resources: &[Resource],
    mine: &[Line],
    requests: &[Line],
    director: bool,
    commune: bool,
) -> Markup {
    html! {
        (crate::ui::heading("Réservations", Some("Les salles, le matériel et le minibus de l'école : voir leur semaine, les réserver.")))
        @if director || commune {
            p.actions {
                @if director { a.button href="/reservations/ressources" { "Gérer les ressources" } " " }
                @if commune { a.button href="/reservations/commune" { "Ressources de la commune" } }
            }
        }
        @if !requests.is_empty() {
            section.panel aria-labelledby="demandes" {
                h2 #demandes { "Demandes à valider" }
                ul {
                    @for l in requests {
                        li {
                            strong { (l.resource) } " — " (when(&l.booking)) " — " (l.author)
                            @if !l.booking.note.is_empty() { " (« " (l.booking.note) " »)" }
                            @if l.booking.series.is_some() { " — chaque semaine" }
                            form.inline method="post" action=(format!("/reservations/{}/decision", l.booking.id)) {
                                (csrf)
                                button type="submit" name="decision" value="valider" { "Valider" }
                                " "
                                button type="submit" name="decision" value="refuser" { "Refuser" }
                            }
                        }
                    }
                }
            }
        }
        section.panel aria-labelledby="ressources" {
            h2 #ressources { "Ressources" }
            @let offered: Vec<&Resource> = resources.iter().filter(|r| !r.retired).collect();
            @if offered.is_empty() {
                p.empty { "Aucune ressource n'est proposée pour le moment." }
            } @else {
                ul.cards {
                    @for r in offered {
                        li.card {
                            h3 { a href=(format!("/reservations/ressource/{}", r.id)) { (r.name) } }
                            p {
                                (r.kind.label())
                                @if r.commune { " de la commune" }
                                @if r.validation { " — validation par " (if r.commune { "la commune" } else { "la direction" }) }
                            }
                            @if let Some(rules) = r.availability.summary() { p.small { (rules) } }
                        }
                    }
                }
            }
        }
        section.panel aria-labelledby="mes-reservations" {
            h2 #mes-reservations { "Mes réservations" }
            @if mine.is_empty() { p.empty { "Aucune réservation à venir." } }
            @else { (list(csrf, mine)) }
        }
    }
}

fn list(csrf: &Markup, lines: &[Line]) -> Markup {
    html! {
        table.list.stack {
            thead { tr { th scope="col" { "Ressource" } th scope="col" { "Quand" } th scope="col" { "État" } th scope="col" { "Annuler" } } }
            tbody {
                @for l in lines {
                    tr {
                        td data-label="Ressource" { (l.resource) @if !l.booking.note.is_empty() { " — " (l.booking.note) } }
                        td data-label="Quand" { (when(&l.booking)) }
                        td data-label="État" { (l.booking.status.label()) }
                        td data-label="Annuler" {
                            @if l.cancellable && l.booking.status.live() {
                                form.inline method="post" action=(format!("/reservations/{}/annuler", l.booking.id)) {
                                    (csrf)
                                    button type="submit" { "Annuler" }
                                    @if l.booking.series.is_some() {
                                        " "
                                        button type="submit" name="serie" value="1" { "Annuler cette date et les suivantes" }
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

/// A resource's week: each day with its bookings, then the booking form.
pub struct Week<'a> {
    pub resource: &'a Resource,
    pub monday: Date,
    pub days: Vec<(Date, Vec<Line>)>,
}

pub fn week(csrf: &Markup, w: &Week<'_>, form: &FormState, refusal: Option<&str>) -> Markup {
    let r = w.resource;
    let prev = super::super::add_days(w.monday, -7);
    let next = super::super::add_days(w.monday, 7);
    let weekly = !form.value("chaque_semaine").is_empty();
    html! {
        (crate::ui::heading(&format!("{} — semaine du {}", r.name, dates::day_label(w.monday)), None))
        p {
            (r.kind.label())
            @if r.commune { " de la commune" }
            @if r.validation { " — chaque réservation est validée par " (if r.commune { "la commune" } else { "la direction" }) }
        }
        @if let Some(rules) = r.availability.summary() { p { (rules) } }
        nav.noprint aria-label="Semaines" {
            a href=(format!("/reservations/ressource/{}?semaine={prev}", r.id)) { "Semaine précédente" }
            " · "
            a href=(format!("/reservations/ressource/{}?semaine={next}", r.id)) { "Semaine suivante" }
            " · "
            a href="/reservations" { "Toutes les ressources" }
        }
        p.noprint { "Imprimez cette page (Ctrl+P) pour afficher le planning de la semaine." }
        table.list.stack.week-plan {
            caption { "Planning de la semaine du " (dates::day_label(w.monday)) }
            thead { tr { th scope="col" { "Jour" } th scope="col" { "Réservations" } } }
            tbody {
                @for (day, lines) in &w.days {
                    tr {
                        th scope="row" data-label="Jour" { (dates::day_label(*day)) }
                        td data-label="Réservations" {
                            @if lines.is_empty() { "libre" } @else {
                                ul {
                                    @for l in lines {
                                        li {
                                            strong { (clock(l.booking.from)) " – " (clock(l.booking.to)) }
                                            " " (l.author)
                                            @if !l.booking.note.is_empty() { " — " (l.booking.note) }
                                            @if l.booking.status == Status::Demandee { " (demandée)" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !r.retired {
            section.panel.noprint aria-labelledby="reserver" {
                h2 #reserver { "Réserver " (r.name) }
                @if let Some(why) = refusal { div.flash.error role="alert" { (why) } }
                (error_summary(form))
                form.stack method="post" action=(format!("/reservations/ressource/{}", r.id)) novalidate {
                    (csrf)
                    (Field::text("jour", "Date").kind("date").required().render(form))
                    (Field::text("de", "De").kind("time").required().render(form))
                    (Field::text("a", "À").kind("time").required().render(form))
                    (Field::text("note", "Pour quoi (facultatif)").hint("Par exemple : Sciences CM1-CM2").render(form))
                    div.check {
                        input #f-chaque_semaine type="checkbox" name="chaque_semaine" value="1" checked[weekly];
                        label for="f-chaque_semaine" { "Chaque semaine, le même jour et aux mêmes heures (hors vacances)" }
                    }
                    (Field::text("jusqu_au", "Jusqu'au").kind("date").hint("Dernière date, pour une réservation chaque semaine").render(form))
                    button.primary type="submit" { "Réserver" }
                }
            }
        }
    }
}

/// Whose resources a management page runs: the school's (the director) or the
/// commune's.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    School,
    Commune,
}

impl Owner {
    fn path(self) -> &'static str {
        match self {
            Owner::School => "/reservations/ressources",
            Owner::Commune => "/reservations/commune",
        }
    }
    fn validation(self) -> &'static str {
        match self {
            Owner::School => "Validation par la direction",
            Owner::Commune => "Validation par la commune",
        }
    }
}

/// A management page of resources: the list, each editable, and a form to add one.
pub fn manage(csrf: &Markup, owner: Owner, resources: &[Resource], form: &FormState) -> Markup {
    let kinds: Vec<(String, String)> = std::iter::once((String::new(), "Choisir…".to_string()))
        .chain(
            Kind::ALL
                .iter()
                .map(|k| (k.slug().to_string(), k.label().to_string())),
        )
        .collect();
    let (title, intro, example) = match owner {
        Owner::School => ("Ressources à réserver", "Les salles, le matériel et le minibus que l'équipe réserve.", "Par exemple : Salle de motricité"),
        Owner::Commune => ("Ressources de la commune", "Le minibus communal, la salle des fêtes, le gymnase : partagez-les avec l'école, validez les demandes de l'équipe.", "Par exemple : Minibus communal"),
    };
    html! {
        (crate::ui::heading(title, Some(intro)))
        p { a href="/reservations" { "Retour aux réservations" } }
        @for r in resources {
            section.panel aria-labelledby={ "r-" (r.id) } {
                h2 id={ "r-" (r.id) } { (r.name) @if r.retired { " (retirée)" } }
                @let state = state_of(r);
                form.stack method="post" action=(format!("{}/{}", owner.path(), r.id)) {
                    (csrf)
                    (edit_fields(&state, &kinds, owner, r, &format!("-{}", r.id)))
                    button type="submit" { "Enregistrer" }
                }
            }
        }
        section.panel aria-labelledby="nouvelle" {
            h2 #nouvelle { "Nouvelle ressource" }
            (error_summary(form))
            form.stack method="post" action=(owner.path()) novalidate {
                (csrf)
                (Field::text("nom", "Nom").required().hint(example).render(form))
                (select(form, "genre", "Type", &kinds, true))
                div.check {
                    input #f-validation type="checkbox" name="validation" value="1" checked[!form.value("validation").is_empty()];
                    label for="f-validation" { (owner.validation()) }
                }
                @if owner == Owner::Commune {
                    div.check {
                        input #f-partagee type="checkbox" name="partagee" value="1" checked[!form.value("partagee").is_empty()];
                        label for="f-partagee" { "Partagée avec l'école (l'équipe la voit et la réserve)" }
                    }
                }
                (availability_fields(form, ""))
                button.primary type="submit" { "Ajouter" }
            }
        }
    }
}

/// A resource's form, filled with what it is.
fn state_of(r: &Resource) -> FormState {
    let mut state = FormState::with_values([
        ("nom", r.name.clone()),
        ("genre", r.kind.slug().to_string()),
    ]);
    r.availability.fill(&mut state);
    state
}

fn edit_fields(
    state: &FormState,
    kinds: &[(String, String)],
    owner: Owner,
    r: &Resource,
    suffix: &str,
) -> Markup {
    let id = |n: &str| format!("f-{n}{suffix}");
    html! {
        div.field {
            label for=(id("nom")) { "Nom" }
            input id=(id("nom")) name="nom" type="text" value=(state.value("nom")) required;
        }
        div.field {
            label for=(id("genre")) { "Type" }
            select id=(id("genre")) name="genre" {
                @for (v, l) in kinds.iter().filter(|(v, _)| !v.is_empty()) {
                    option value=(v) selected[v == state.value("genre")] { (l) }
                }
            }
        }
        div.check {
            input id=(id("validation")) type="checkbox" name="validation" value="1" checked[r.validation];
            label for=(id("validation")) { (owner.validation()) }
        }
        @if owner == Owner::Commune {
            div.check {
                input id=(id("partagee")) type="checkbox" name="partagee" value="1" checked[r.shared];
                label for=(id("partagee")) { "Partagée avec l'école" }
            }
        }
        (availability_fields(state, suffix))
        div.check {
            input id=(id("retiree")) type="checkbox" name="retiree" value="1" checked[r.retired];
            label for=(id("retiree")) { "Ne plus proposer" }
        }
    }
}

/// The rules of availability: period, weekdays, hours, delays (each error beside its
/// field; `suffix` keeps the ids unique when a page holds several forms).
fn availability_fields(state: &FormState, suffix: &str) -> Markup {
    let field = |name: &str, label: &str, kind: &str| {
        let id = format!("f-{name}{suffix}");
        let error = state.errors.get(name);
        html! {
            div class=(if error.is_some() { "field has-error" } else { "field" }) {
                label for=(id) { (label) }
                @if let Some(e) = error { p.error id=(format!("{id}-erreur")) { (e) } }
                input id=(id) name=(name) type=(kind) value=(state.value(name))
                    min=[(kind == "number").then_some("0")]
                    aria-describedby=[error.map(|_| format!("{id}-erreur"))];
            }
        }
    };
    html! {
        fieldset {
            legend { "Disponibilité (facultatif : laissez vide pour « toujours »)" }
            (field("disponible_du", "Réservable à partir du", "date"))
            (field("disponible_au", "Réservable jusqu'au", "date"))
            fieldset.days {
                legend { "Jours où elle se réserve (aucun coché : tous les jours)" }
                @for (_, day) in WEEKDAYS {
                    @let id = format!("f-jour_{day}{suffix}");
                    span.check {
                        input id=(id) type="checkbox" name="jours" value=(day) checked[!state.value(&format!("jour_{day}")).is_empty()];
                        label for=(id) { (day) }
                    }
                }
            }
            (field("heure_debut", "Réservable de (heure)", "time"))
            (field("heure_fin", "Jusqu'à (heure)", "time"))
            (field("delai_min", "Délai minimal (jours à l'avance)", "number"))
            (field("delai_max", "Délai maximal (jours à l'avance)", "number"))
        }
    }
}
