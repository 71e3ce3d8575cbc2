//! The commune's pages: the weeks of menus, the import, the services, the requests.

use jiff::civil::Date;
use maud::{html, Markup};

use super::week_title;
use crate::auth::visitor::Visitor;
use crate::canteen::services::{PeriService, Request, ServiceKind};
use crate::canteen::{key_day, weekday_name, Week};
use crate::directory::people::People;
use crate::ui::form::{checkboxes, select, Field, FormState};
use crate::ui::{csrf_input, dates};

/// One week's line on the management page.
pub struct WeekLine {
    pub monday: Date,
    pub week: Option<Week>,
}

fn status(w: Option<&Week>) -> Markup {
    match w {
        None => html! { span.badge.off { "à saisir" } },
        Some(w) if w.published.is_some() => html! { span.badge.ok { "publiée" } },
        Some(_) => html! { span.badge { "brouillon" } },
    }
}

pub fn home(
    visitor: &Visitor,
    people: &People,
    weeks: &[WeekLine],
    services: &[PeriService],
    requests: &[Request],
    today: Date,
) -> Markup {
    let month = format!("{:04}-{:02}", today.year(), today.month());
    html! {
        (crate::ui::heading("Gérer la cantine", Some("Les menus, les services du périscolaire, les demandes des familles, les effectifs.")))
        p.actions {
            a.button href="/cantine/gestion/import" { "Importer des menus (CSV)" }
            " " a.button href="/cantine/gestion/services" { "Services et inscriptions" }
            " " a.button href="/cantine/effectifs" { "Effectifs du jour" }
            " " a.button href="/periscolaire" { "Pointage" }
        }
        section.panel {
            h2 { "Menus" }
            table.list {
                caption { "Les semaines à venir" }
                thead { tr { th scope="col" { "Semaine" } th scope="col" { "État" } th scope="col" { "Remarque" } th scope="col" { "Action" } } }
                tbody {
                    @for l in weeks {
                        tr {
                            td { (week_title(l.monday)) }
                            td { (status(l.week.as_ref())) }
                            td { @if let Some(w) = l.week.as_ref().and_then(super::warning_of) { span.badge.off { "Aucun menu végétarien" } span.sr { (w) } } }
                            td { a href=(format!("/cantine/gestion/menu?semaine={}", l.monday)) { "Saisir " span.sr { "la " (week_title(l.monday).to_lowercase()) } } }
                        }
                    }
                }
            }
            form method="post" action="/cantine/gestion/copier" novalidate {
                (csrf_input(visitor))
                fieldset {
                    legend { "Copier une semaine" }
                    @let options: Vec<(String, String)> = weeks.iter().map(|l| (l.monday.to_string(), week_title(l.monday))).collect();
                    (select(&FormState::new(), "de", "Semaine à copier", &options, true))
                    (select(&FormState::new(), "vers", "Vers la semaine", &options, true))
                    button.button type="submit" { "Copier (en brouillon)" }
                }
            }
        }
        section.panel {
            h2 { "Demandes après la date limite" }
            @if requests.is_empty() { p.empty { "Aucune demande en attente." } }
            @else {
                table.list.stack {
                    thead { tr { th scope="col" { "Élève" } th scope="col" { "Service" } th scope="col" { "Jour" } th scope="col" { "Demande" } th scope="col" { "Par" } th scope="col" { "Réponse" } } }
                    tbody {
                        @for r in requests {
                            tr {
                                td data-label="Élève" { (people.user(r.pupil).map(|u| u.display_name()).unwrap_or_default()) }
                                td data-label="Service" { (services.iter().find(|s| s.id == r.service).map(|s| s.name.as_str()).unwrap_or("?")) }
                                td data-label="Jour" { (key_day(r.day).map(dates::day_label).unwrap_or_default()) }
                                td data-label="Demande" { @if r.add { "inscription" } @else { "désinscription" } }
                                td data-label="Par" { (people.user(r.by).map(|u| u.display_name()).unwrap_or_default()) ", " (dates::long_datetime(r.at)) }
                                td {
                                    form.inline method="post" action="/cantine/gestion/demandes" {
                                        (csrf_input(visitor))
                                        input type="hidden" name="service" value=(r.service);
                                        input type="hidden" name="jour" value=(r.day);
                                        input type="hidden" name="eleve" value=(r.pupil);
                                        button.button.primary type="submit" name="reponse" value="accepter" { "Accepter" }
                                        " "
                                        button.button type="submit" name="reponse" value="refuser" { "Refuser" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        section.panel {
            h2 { "Décompte mensuel" }
            p { "Le nombre de jours réservés par enfant et par service, pour la facturation de la mairie (la facturation reste hors de Préau)." }
            form method="get" action="/cantine/decompte.csv" {
                div.field {
                    label for="f-mois" { "Mois" }
                    input #f-mois type="month" name="mois" value=(month);
                }
                button.button type="submit" { "Télécharger le décompte (CSV)" }
            }
        }
    }
}

/// The import page, with the errors of a file refused (each with its line).
pub fn import_page(visitor: &Visitor, errors: &[String]) -> Markup {
    let action = format!(
        "/cantine/gestion/import?{}={}",
        crate::auth::csrf::FIELD,
        visitor.csrf
    );
    html! {
        (crate::ui::heading("Importer des menus", Some("Une semaine ou une période entière, depuis un fichier CSV (tableur : « enregistrer sous » CSV, séparateur point-virgule).")))
        @if !errors.is_empty() {
            div.flash.error role="alert" {
                p { "Le fichier n'a pas été importé (rien n'a été enregistré) : " (errors.len()) " ligne(s) à corriger." }
                ul { @for e in errors { li { (e) } } }
            }
        }
        p { a href="/cantine/gestion/modele.csv" download { "Télécharger le modèle (CSV)" } }
        p.hint { "Colonnes : date ; repas (entrée, plat, garniture, produit laitier, dessert, goûter, menu spécial, pas de cantine) ; plat ; végétarien ; bio ; label / local ; fait maison (oui ou vide) ; allergènes en toutes lettres, séparés par des virgules." }
        form method="post" action=(action) enctype="multipart/form-data" novalidate {
            (csrf_input(visitor))
            div.field {
                label for="f-fichier" { "Fichier CSV" }
                input #f-fichier type="file" name="fichier" accept=".csv,text/csv,text/plain";
            }
            div.check {
                input #f-publier type="checkbox" name="publier" value="oui";
                label for="f-publier" { "Publier les semaines importées" }
            }
            p.actions { button.button.primary type="submit" { "Importer" } }
        }
    }
}

fn kind_options() -> Vec<(String, String)> {
    ServiceKind::ALL
        .iter()
        .map(|k| (k.slug().to_string(), k.label().to_string()))
        .collect()
}

fn weekday_options(to: u8) -> Vec<(String, String)> {
    (1..=to)
        .map(|d| (d.to_string(), weekday_name(d).to_string()))
        .collect()
}

/// A service's form (a new one when `id` is 0).
pub fn service_form(
    visitor: &Visitor,
    people: &People,
    id: u64,
    form: &FormState,
    checked: (&[u8], &[u64], &[u64]),
) -> Markup {
    let action = if id == 0 {
        "/cantine/gestion/services".to_string()
    } else {
        format!("/cantine/gestion/services/{id}")
    };
    let classes: Vec<(String, String)> = people
        .classes
        .iter()
        .map(|c| (c.id.to_string(), c.label.clone()))
        .collect();
    let staff: Vec<(String, String)> = people
        .by_name
        .iter()
        .filter_map(|u| people.user(*u))
        .filter(|u| u.profile == crate::policy::Profile::Periscolaire)
        .map(|u| (u.id.to_string(), u.display_name()))
        .collect();
    let s = |v: &[u64]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let days: Vec<String> = checked.0.iter().map(|d| d.to_string()).collect();
    html! {
        (crate::ui::form::error_summary(form))
        form method="post" action=(action) novalidate {
            (csrf_input(visitor))
            (select(form, "genre", "Genre de service", &kind_options(), true))
            (Field::text("nom", "Nom affiché").hint("Par exemple « Cantine » ou « Garderie du soir (16 h 30 – 18 h 30) ».").render(form))
            (checkboxes(form, "jours", "Jours d'ouverture", &weekday_options(6), &days))
            (Field::text("places", "Places par jour").hint("Laissez vide : sans limite.").kind("number").render(form))
            (select(form, "limite_jour", "Date limite : le", &weekday_options(7), true))
            (Field::text("limite_heure", "à (heure)").hint("Par exemple 9 : « jeudi 9 h pour la semaine suivante ». Après, un changement devient une demande à la commune.").kind("number").render(form))
            (Field::text("annulation", "Annulation possible le matin même jusqu'à (heure)").hint("Laissez vide : pas d'annulation le jour même.").kind("number").render(form))
            (checkboxes(form, "classes", "Classes qui peuvent s'inscrire (aucune cochée : toutes)", &classes, &s(checked.1)))
            (checkboxes(form, "personnel", "Personnel périscolaire qui y travaille (fait le pointage)", &staff, &s(checked.2)))
            (Field::text("effectifs", "Pointage et effectifs attendus avant (heure)").hint("Par exemple 10 : le personnel enregistre le pointage du jour avant 10 h ; après, les effectifs le signalent en retard.").kind("number").render(form))
            (Field::text("fermetures", "Jours de fermeture du service").hint("Des dates séparées par des virgules (grève annoncée, travaux) : 2026-12-18, 2027-01-04. Les vacances de la zone sont déjà fermées.").render(form))
            p.actions { button.button.primary type="submit" { "Enregistrer le service" } }
        }
    }
}

/// The services page: the list, and the form for a new one.
pub fn services_page(
    visitor: &Visitor,
    people: &People,
    services: &[PeriService],
    form: &FormState,
) -> Markup {
    html! {
        (crate::ui::heading("Services du périscolaire", Some("Les jours, les places, la date limite d'inscription et le personnel de chaque service.")))
        @if services.is_empty() { p.empty { "Aucun service pour le moment." } }
        @else {
            table.list.stack {
                thead { tr { th scope="col" { "Service" } th scope="col" { "Jours" } th scope="col" { "Places" } th scope="col" { "Date limite" } th scope="col" { "Action" } } }
                tbody {
                    @for s in services {
                        tr {
                            td data-label="Service" { (s.name) }
                            td data-label="Jours" { (s.days_text()) }
                            td data-label="Places" { @if s.capacity == 0 { "sans limite" } @else { (s.capacity) } }
                            td data-label="Date limite" { (s.cutoff_text()) }
                            td { a href=(format!("/cantine/gestion/services/{}", s.id)) { "Modifier " span.sr { (s.name) } } }
                        }
                    }
                }
            }
        }
        h2 { "Nouveau service" }
        (service_form(visitor, people, 0, form, (&[1, 2, 4, 5], &[], &[])))
    }
}

/// The form's values of a stored service.
pub fn form_of_service(s: &PeriService) -> FormState {
    FormState::with_values([
        ("genre", s.kind.slug().to_string()),
        ("nom", s.name.clone()),
        (
            "places",
            if s.capacity == 0 {
                String::new()
            } else {
                s.capacity.to_string()
            },
        ),
        ("limite_jour", s.cutoff_weekday.to_string()),
        ("limite_heure", s.cutoff_hour.to_string()),
        (
            "annulation",
            s.cancel_until.map(|h| h.to_string()).unwrap_or_default(),
        ),
        (
            "fermetures",
            s.closed
                .iter()
                .filter_map(|k| key_day(*k))
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ])
}

/// Who may be named to write the menus: the school staff of the commune.
pub fn may_be_named(profile: crate::policy::Profile) -> bool {
    matches!(
        profile,
        crate::policy::Profile::Atsem | crate::policy::Profile::Periscolaire
    )
}

/// « Qui saisit les menus »: the ATSEM and périscolaire accounts, ticked when named.
pub fn editors_form(visitor: &Visitor, people: &People, named: &[u64]) -> Markup {
    let staff: Vec<&crate::directory::User> = people
        .users
        .values()
        .filter(|u| may_be_named(u.profile) && !u.disabled)
        .collect();
    html! {
        section.panel #redacteurs {
            h2 { "Qui saisit les menus" }
            p { "Outre la commune et la direction, les personnes cochées ici peuvent saisir, copier et importer les menus (et rien d'autre de la cantine)." }
            @if staff.is_empty() {
                p.small { "Aucun compte ATSEM ou périscolaire pour le moment." }
            } @else {
                form method="post" action="/cantine/gestion/redacteurs" {
                    (csrf_input(visitor))
                    fieldset {
                        legend { "Rédacteurs des menus" }
                        @for u in &staff {
                            div.check {
                                input type="checkbox" name="redacteurs" value=(u.id) id=(format!("redacteur-{}", u.id)) checked[named.contains(&u.id)];
                                label for=(format!("redacteur-{}", u.id)) { (u.display_name()) " (" (u.role_label()) ")" }
                            }
                        }
                    }
                    button.button type="submit" { "Enregistrer les rédacteurs" }
                }
            }
        }
    }
}
