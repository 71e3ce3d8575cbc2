//! /accueil: the home page of each person, by profile. A guardian's starts with « Pour
//! vous »: per child, the work due in the next days and the mots to sign (`family.rs`),
//! the unread messages, today's news.

mod family;
pub(crate) mod kid;
mod tour;

use maud::{html, Markup};
use poem::handler;
use poem::web::Data;

use crate::app::App;
use crate::auth::web::Member;
use crate::directory::people::People;
use crate::directory::Membership;
use crate::error::AppResult;
use crate::policy::{may, Action, Profile};
use crate::routing::{Access, Routes};
use crate::ui::dates;
use crate::ui::text::text;

pub fn routes() -> Routes {
    Routes::new().get("/accueil", show, Access::Member).post(
        "/accueil/visite",
        tour::close,
        Access::Member,
    )
}

#[handler]
pub fn show(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    render(app, &member)
}

fn render(app: &App, member: &Member) -> AppResult<Markup> {
    let school = crate::school::kept(&app.store)?;
    let school = school.as_ref();
    let user = member.user();
    let actor = member.actor();
    // Everything about people comes from the directory snapshot: no record read.
    let people = People::load(&app.store)?;
    let mut classes = Vec::new();
    for id in &actor.class_ids {
        if let Some(c) = people.class(*id) {
            let pupils = people.class_with(c.id, Membership::Pupil).len();
            let teachers: Vec<String> = people
                .class_with(c.id, Membership::Teacher)
                .iter()
                .filter_map(|t| people.user(*t))
                .map(|u| u.display_name())
                .collect();
            classes.push((c.clone(), pupils, teachers));
        }
    }
    let mut children = Vec::new();
    for id in &actor.children {
        if let Some(child) = people.user(*id) {
            let class = people
                .classes_of(*id)
                .first()
                .and_then(|c| people.class(*c))
                .map(|c| c.label.clone())
                .unwrap_or_default();
            children.push((child.clone(), class));
        }
    }
    let services = school
        .as_ref()
        .map(|s| s.menu_services())
        .unwrap_or_default()
        .into_iter()
        .filter(|s| s.concerns(user.profile) && !member.visitor.closed_services.contains(s))
        .collect::<Vec<_>>();
    let now = crate::auth::now_micros();
    if kid::is_for(&people, user, &actor.class_ids) {
        return kid::render(app, member, &people, school.as_ref(), &services, now);
    }
    let today = dates::long_date(now);
    // A service is shown when the school offers it and one of the person's classes opened
    // it to them; each block then reasons on the classes and children that did.
    let enabled = |s: crate::school::Service| {
        school
            .as_ref()
            .is_some_and(|sc| sc.enabled(s) && s.available())
            && !member.visitor.closed_services.contains(&s)
    };
    let within = |s: crate::school::Service| people.within(actor, s).actor;
    let unread_messages = if enabled(crate::school::Service::Messagerie) {
        crate::messaging::unread_in_inbox(&app.store, user.id)?
    } else {
        0
    };
    let (to_sign, family_mots) = if enabled(crate::school::Service::Carnet) {
        (
            crate::liaison::to_sign(
                &app.store,
                user.id,
                &within(crate::school::Service::Carnet).children,
                now,
            )?,
            crate::liaison::unread_from_families(&app.store, user.id)?,
        )
    } else {
        (Vec::new(), 0)
    };
    let news = if enabled(crate::school::Service::Actualites) {
        let viewer =
            crate::news::Viewer::of_actor(&app.store, &within(crate::school::Service::Actualites))?;
        crate::news::newest_for_viewer(&app.store, &viewer, now, 5)?
    } else {
        Vec::new()
    };
    let shown = family::WorkShown {
        textbook: enabled(crate::school::Service::CahierDeTextes),
        devoirs: enabled(crate::school::Service::Devoirs),
    };
    let (textbook_children, devoirs_children) = (
        within(crate::school::Service::CahierDeTextes).children,
        within(crate::school::Service::Devoirs).children,
    );
    let mut weeks = Vec::new();
    for (child, class) in &children {
        // Each child's work as far as their class opened it to families.
        let shown = family::WorkShown {
            textbook: shown.textbook && textbook_children.contains(&child.id),
            devoirs: shown.devoirs && devoirs_children.contains(&child.id),
        };
        let due = if shown.textbook || shown.devoirs {
            family::due_soon(&app.store, &people, child.id, shown, now)?
        } else {
            Vec::new()
        };
        weeks.push(family::ChildWeek {
            child: child.id,
            first_name: child.first_name.clone(),
            class: class.clone(),
            due,
            to_sign: to_sign
                .iter()
                .filter(|(_, c)| *c == child.id)
                .map(|(m, _)| m.clone())
                .collect(),
        });
    }
    let today_news = if weeks.is_empty() {
        Vec::new()
    } else {
        family::of_today(&news, now)
    };
    let director = may(actor, Action::OpenConsole);
    let console_counts = if director {
        Some((
            people.classes.len(),
            people
                .users
                .values()
                .filter(|u| u.profile == Profile::Eleve)
                .count(),
            people.users.len(),
        ))
    } else {
        None
    };
    let body = html! {
        div.heading {
            p.kicker { (capitalize(&today)) }
            h1 { "Bonjour " (text(&user.first_name)) }
        }
        // A bus cancelled this morning comes before the welcome tour.
        (crate::commune::home_box(&app.store, actor, enabled(crate::school::Service::Commune), now)?)
        (tour::panel(member))
        (crate::canteen::routes::home_box(&app.store, actor, enabled(crate::school::Service::Cantine), now)?)
        (crate::attendance::routes::home_reminder_or_nothing(app, member, now))
        (crate::slots::home_box(&app.store, actor, enabled(crate::school::Service::Rendezvous), now)?)
        @if unread_messages > 0 || !weeks.is_empty() || family_mots > 0 {
            section.panel.news #pour-vous {
                h2 { "Pour vous" }
                @if unread_messages > 0 || family_mots > 0 { ul {
                    @if unread_messages > 0 {
                        li { a href="/messagerie" { (unread_messages) " message" @if unread_messages > 1 { "s" } " non lu" @if unread_messages > 1 { "s" } } }
                    }
                    @if family_mots > 0 {
                        li { a href="/carnet" { (family_mots) " mot" @if family_mots > 1 { "s" } " de familles à lire" } }
                    }
                } }
                (family::children_block(&weeks, shown, now))
                (family::today_block(&today_news))
            }
        }
        @if !news.is_empty() {
            section.news-home {
                h2 { "Actualités" }
                @for n in &news { (crate::news::card(&app.store, &people, n)) }
                p { a href="/actualites" { "Toutes les actualités" } }
            }
        }
        @if let Some((n_classes, n_pupils, n_users)) = console_counts {
            section.panel {
                h2 { "Direction" }
                ul.stats {
                    li { strong { (n_classes) } " classe" @if n_classes > 1 { "s" } }
                    li { strong { (n_pupils) } " élève" @if n_pupils > 1 { "s" } }
                    li { strong { (n_users) } " compte" @if n_users > 1 { "s" } }
                }
                p { a.button href="/admin" { "Ouvrir l'administration" } }
            }
        }
        @if !children.is_empty() {
            section.panel {
                h2 { "Mes enfants" }
                ul.cards {
                    @for (child, class) in &children {
                        li.card {
                            h3 { a href=(format!("/eleves/{}", child.id)) { (text(&child.first_name)) " " (text(child.shown_last_name())) } }
                            p { (text(class)) }
                        }
                    }
                }
            }
        }
        @if !classes.is_empty() {
            section.panel {
                h2 { @if user.profile == Profile::Eleve { "Ma classe" } @else { "Mes classes" } }
                ul.cards {
                    @for (c, pupils, teachers) in &classes {
                        li.card {
                            h3 { @if user.profile == Profile::Eleve { (c.label) } @else { a href=(format!("/classes/{}", c.id)) { (c.label) } } }
                            p { (c.levels_text()) }
                            @if user.profile != Profile::Eleve { p { (pupils) " élève" @if *pupils > 1 { "s" } } }
                            @if !teachers.is_empty() { p.small { "Avec " (teachers.join(", ")) } }
                        }
                    }
                }
            }
        }
        section.panel {
            h2 { "Services" }
            @if services.is_empty() {
                p { "Aucun service n'est encore ouvert dans cette version de Préau. La messagerie, le carnet de liaison, le blog de classe et les autres services apparaîtront ici dès qu'ils seront disponibles et ouverts par la direction." }
            } @else {
                ul.tiles {
                    @for s in &services {
                        li { a.tile href=(text(s.path())) { strong { (text(s.label())) } span { (text(s.description())) } } }
                    }
                }
            }
        }
        section.panel {
            h2 { "Mon compte" }
            p { "Vous êtes connecté(e) en tant que " strong { (user.login) } " (" (user.role_label()) ")." }
            p { a href="/compte" { "Changer mon mot de passe, voir mes connexions" } }
        }
    };
    Ok(App::page_of(
        school.as_ref(),
        &member.visitor,
        "Accueil",
        "/accueil",
        body,
    ))
}

fn capitalize(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
