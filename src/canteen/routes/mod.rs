//! The canteen's routes (/cantine, /periscolaire), each with its rule: extract, ask
//! `access.rs` for the proof, call the model, answer with a view.

use maud::{html, Markup};
use poem::handler;
use poem::web::{Data, Query};
use serde::Deserialize;

use super::views::{self, Links};
use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::directory::people::People;
use crate::error::AppResult;
use crate::policy::{may, Action, Profile};
use crate::routing::{Access, Object, Routes};
use crate::ui::dates;

mod bookings;
mod manage;
mod staff;

pub fn routes() -> Routes {
    use Access::*;
    let m = Object(self::Object::CanteenManage);
    let child = Object(self::Object::CanteenChild);
    let service = Object(self::Object::CanteenService);
    let menus = Object(self::Object::CanteenMenus);
    Routes::new()
        .get("/cantine", week, Member)
        .get("/cantine/imprimer", print, Member)
        .get("/cantine/menus.ics", feed, Public)
        .get("/cantine/gestion", manage::home, m)
        .get("/cantine/gestion/menu", manage::menu_form, menus)
        .post("/cantine/gestion/menu", manage::menu_save, menus)
        .post("/cantine/gestion/copier", manage::copy, menus)
        .get("/cantine/gestion/import", manage::import_form, menus)
        .post("/cantine/gestion/import", manage::import, menus)
        .get("/cantine/gestion/modele.csv", manage::template, menus)
        .get("/cantine/gestion/services", manage::services, m)
        .post("/cantine/gestion/services", manage::service_create, m)
        .get("/cantine/gestion/services/:id", manage::service_edit, m)
        .post("/cantine/gestion/services/:id", manage::service_save, m)
        .post("/cantine/gestion/demandes", manage::decide, m)
        .post("/cantine/gestion/redacteurs", manage::editors_save, m)
        .get("/cantine/effectifs", staff::headcount, m)
        .get("/cantine/effectifs.csv", staff::headcount_csv, m)
        .get("/cantine/decompte.csv", staff::month_csv, m)
        .get("/cantine/inscriptions", bookings::children, Guardian)
        .get("/cantine/inscriptions/:id", bookings::child, child)
        .post("/cantine/inscriptions/:id", bookings::save, child)
        .get("/periscolaire", staff::home, Member)
        .get("/periscolaire/:id", staff::list, service)
        .post("/periscolaire/:id", staff::save, service)
}

fn frame(app: &App, member: &Member, title: &str, body: Markup) -> AppResult<Markup> {
    app.page(&member.visitor, title, "/cantine", body)
}

async fn flash(app: &App, member: &Member, f: Flash) -> AppResult<()> {
    auth::push_flash(&app.store, &member.me.session_key, f).await?;
    Ok(())
}

fn today() -> jiff::civil::Date {
    dates::local_day_and_hour(auth::now_micros()).0
}

#[derive(Deserialize)]
struct WeekQuery {
    semaine: Option<String>,
}

#[handler]
fn week(Data(app): Data<&App>, member: Member, Query(q): Query<WeekQuery>) -> AppResult<Markup> {
    let today = today();
    let monday = super::forms::week_of(q.semaine.as_deref(), today);
    let w = super::published_week(&app.store, monday)?;
    let actor = member.actor();
    let links = Links {
        manage: may(actor, Action::ManageCanteen),
        menus: super::access::menus(&app.store, actor).is_ok(),
        guardian: !actor.children.is_empty(),
        staff: actor.profile == Profile::Periscolaire,
    };
    let class_today = if actor.profile == Profile::Enseignant || actor.director {
        class_today(app, &member, today)?
    } else {
        html! {}
    };
    let body = views::week_page(monday, w.as_ref(), &links, class_today);
    frame(app, &member, "Cantine", body)
}

/// The teacher's classes: who eats at the canteen today.
fn class_today(app: &App, member: &Member, today: jiff::civil::Date) -> AppResult<Markup> {
    let people = People::load(&app.store)?;
    let canteens: Vec<_> = super::services::services(&app.store)?
        .into_iter()
        .filter(|s| s.kind == super::services::ServiceKind::Cantine)
        .collect();
    let mut eaters = std::collections::BTreeSet::new();
    let closures = super::services::SchoolClosures::of(&app.store)?;
    for s in &canteens {
        for p in super::register::booked_if_open(&app.store, s, &closures, today)? {
            eaters.insert(p);
        }
    }
    // Who is absent this morning at the appel does not eat at the canteen.
    for a in super::register::absent_on(&app.store, today)? {
        if !a.afternoon {
            eaters.remove(&a.pupil);
        }
    }
    let mut sections = Vec::new();
    for c in &member.actor().class_ids {
        if !may(member.actor(), Action::SeeCanteenClass { class_id: *c }) {
            continue;
        }
        let Some(class) = people.class(*c) else {
            continue;
        };
        let names: Vec<String> = people
            .pupils_of_class(*c)
            .into_iter()
            .filter(|p| eaters.contains(p))
            .filter_map(|p| people.user(p).map(|u| u.display_name()))
            .collect();
        sections.push((class.label.clone(), names));
    }
    Ok(views::staff::class_today(&sections))
}

#[handler]
fn print(Data(app): Data<&App>, member: Member, Query(q): Query<WeekQuery>) -> AppResult<Markup> {
    let monday = super::forms::week_of(q.semaine.as_deref(), today());
    let w = super::published_week(&app.store, monday)?;
    let school = crate::school::get(&app.store)?
        .map(|s| s.name)
        .unwrap_or_default();
    let body = views::print_page(&school, monday, w.as_ref());
    frame(app, &member, "Menus de la semaine", body)
}

/// The menus' iCalendar feed: four weeks back, twelve ahead, published weeks only. A
/// menu names nobody: no session is asked, so that a phone's calendar can subscribe.
#[handler]
fn feed(Data(app): Data<&App>, req: &poem::Request) -> AppResult<poem::Response> {
    let first = super::add_days(super::monday(today()), -28);
    let weeks = super::weeks_from(&app.store, first, 16)?;
    let school = crate::school::get(&app.store)?
        .map(|s| s.name)
        .unwrap_or_default();
    let host = req
        .uri()
        .host()
        .or_else(|| req.header("host"))
        .unwrap_or("preau")
        .to_string();
    Ok(poem::Response::builder()
        .header(
            poem::http::header::CONTENT_TYPE,
            "text/calendar; charset=utf-8",
        )
        .header(
            poem::http::header::CONTENT_DISPOSITION,
            "inline; filename=\"menus-cantine.ics\"",
        )
        .body(super::ical::feed(&school, &host, &weeks)))
}

/// « Aujourd'hui à la cantine » for a pupil's or a parent's home page (nothing for others,
/// nor when the service is off).
pub fn home_box(
    store: &crate::store::Store,
    actor: &crate::policy::Actor,
    enabled: bool,
    now: i64,
) -> AppResult<Markup> {
    if !enabled || (actor.profile != Profile::Eleve && actor.children.is_empty()) {
        return Ok(html! {});
    }
    let day = dates::local_day_and_hour(now).0;
    let menu = super::menu_of(store, day)?;
    Ok(views::today_box(menu.as_ref()))
}
