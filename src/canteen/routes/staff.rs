//! The pointage du matin (/periscolaire), the effectifs du jour and the monthly count.

use maud::Markup;
use poem::http::header;
use poem::web::{Data, Path, Query, Redirect};
use poem::{handler, Response};
use serde::Deserialize;

use super::{flash, frame, today};
use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::canteen::access;
use crate::canteen::forms::RegisterFields;
use crate::canteen::register;
use crate::canteen::services;
use crate::canteen::views::staff::{self as views, Row};
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::policy::{may, Action};
use crate::ui::dates;
use crate::ui::input::FormInput;

#[handler]
pub(super) fn home(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    let mine = access::my_services(&app.store, member.actor())?;
    let manage = may(member.actor(), Action::ManageCanteen);
    frame(
        app,
        &member,
        "Périscolaire",
        views::home(&mine, today(), manage),
    )
}

#[handler]
pub(super) fn list(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Markup> {
    let granted = access::staff(&app.store, member.actor(), id)?;
    let s = granted.object();
    let people = People::load(&app.store)?;
    let day = today();
    let closures = services::SchoolClosures::of(&app.store)?;
    let booked = register::booked_if_open(&app.store, s, &closures, day)?;
    let absent = register::absent_on(&app.store, day)?;
    let (here, away) = register::expected(s, &booked, &absent);
    let mut rows = Vec::new();
    for p in here {
        rows.push(Row {
            pupil: p,
            family: services::family(&app.store, p)?,
        });
    }
    rows.sort_by_key(|r| {
        people
            .user(r.pupil)
            .map(|u| (u.last_name.clone(), u.first_name.clone()))
    });
    let done = register::register(&app.store, s.id, day)?;
    let body = views::list_page(
        &member.visitor,
        &people,
        s,
        day,
        &rows,
        &away,
        done.as_ref(),
    );
    frame(app, &member, &s.name, body)
}

#[handler]
pub(super) async fn save(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    FormInput(f): FormInput<RegisterFields>,
) -> AppResult<Redirect> {
    let granted = access::staff(&app.store, member.actor(), id)?;
    let n = register::save(
        &app.store,
        &granted,
        today(),
        &f.presents,
        auth::now_micros(),
    )
    .await?;
    flash(
        app,
        &member,
        Flash::success(format!("Pointage enregistré : {n} présent(s).")),
    )
    .await?;
    Ok(Redirect::see_other(format!("/periscolaire/{id}")))
}

#[derive(Deserialize)]
pub(super) struct DayQuery {
    jour: Option<String>,
    mois: Option<String>,
}

fn day_of(q: &DayQuery) -> jiff::civil::Date {
    q.jour
        .as_deref()
        .and_then(dates::parse_date)
        .unwrap_or_else(today)
}

#[handler]
pub(super) fn headcount(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<DayQuery>,
) -> AppResult<Markup> {
    access::manage(member.actor())?;
    let day = day_of(&q);
    let lines = register::headcounts(&app.store, day, auth::now_micros())?;
    frame(
        app,
        &member,
        "Effectifs du jour",
        views::headcount_page(day, &lines),
    )
}

/// A text cell that a spreadsheet will not take for a formula.
fn cell(text: String) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text
    }
}

fn csv_response(name: &str, rows: Vec<Vec<String>>) -> Response {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    for r in rows {
        let _ = w.write_record(r.into_iter().map(cell));
    }
    let body = String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
    Response::builder()
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        )
        .body(format!("\u{feff}{body}"))
}

#[handler]
pub(super) fn headcount_csv(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<DayQuery>,
) -> AppResult<Response> {
    access::manage(member.actor())?;
    let day = day_of(&q);
    let mut rows = vec![[
        "Jour",
        "Service",
        "Inscrits",
        "Absents",
        "Attendus",
        "Présents",
    ]
    .map(String::from)
    .to_vec()];
    for l in register::headcounts(&app.store, day, auth::now_micros())? {
        rows.push(vec![
            day.to_string(),
            l.service.name.clone(),
            l.booked.to_string(),
            l.absent.to_string(),
            l.expected.to_string(),
            l.present.map(|n| n.to_string()).unwrap_or_default(),
        ]);
    }
    Ok(csv_response(&format!("effectifs-{day}.csv"), rows))
}

#[handler]
pub(super) fn month_csv(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<DayQuery>,
) -> AppResult<Response> {
    access::manage(member.actor())?;
    let first = match q.mois.as_deref() {
        Some(m) => dates::parse_date(&format!("{m}-01"))
            .ok_or_else(|| AppError::BadRequest("Choisissez un mois (aaaa-mm).".into()))?,
        None => today().first_of_month(),
    };
    let people = People::load(&app.store)?;
    let all = services::services(&app.store)?;
    let mut rows = vec![[
        "Élève",
        "Classe",
        "Service",
        "Jours réservés",
        "Régime",
        "PAI",
    ]
    .map(String::from)
    .to_vec()];
    let mut total = 0;
    for (pupil, service, n) in register::month_count(&app.store, first)? {
        let u = people.user(pupil);
        let class = people
            .classes_of(pupil)
            .first()
            .and_then(|c| people.class(*c))
            .map(|c| c.label.clone())
            .unwrap_or_default();
        let fam = services::family(&app.store, pupil)?;
        total += n;
        rows.push(vec![
            u.map(|u| format!("{} {}", u.shown_last_name(), u.first_name))
                .unwrap_or_else(|| format!("élève n° {pupil}")),
            class,
            all.iter()
                .find(|s| s.id == service)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            n.to_string(),
            fam.diet.label().to_string(),
            if fam.pai { "oui".into() } else { "non".into() },
        ]);
    }
    rows.push(vec![
        "Total".into(),
        String::new(),
        String::new(),
        total.to_string(),
        String::new(),
        String::new(),
    ]);
    Ok(csv_response(
        &format!("decompte-{:04}-{:02}.csv", first.year(), first.month()),
        rows,
    ))
}
