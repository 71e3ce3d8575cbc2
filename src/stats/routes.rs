//! `/admin/statistiques` (the director's console) and its CSV export.

use maud::Markup;
use poem::http::header;
use poem::web::{Data, Query};
use poem::{handler, IntoResponse, Response};
use serde::Deserialize;

use super::{activation_kept, csv, figures, views, Period};
use crate::app::App;
use crate::auth::web::Member;
use crate::directory::people::People;
use crate::error::AppResult;
use crate::policy::{require, Action};
use crate::routing::{Access, Routes};

pub fn routes() -> Routes {
    Routes::new().console(
        "/statistiques",
        Routes::new()
            .get("/", page, Access::Director)
            .get("/export.csv", export, Access::Director),
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Chosen {
    periode: String,
}

impl Chosen {
    fn period(&self) -> Period {
        Period::from_slug(&self.periode).unwrap_or(Period::Week)
    }
}

#[handler]
fn page(Data(app): Data<&App>, member: Member, Query(q): Query<Chosen>) -> AppResult<Markup> {
    require(member.actor(), Action::ReadLogs)?;
    let period = q.period();
    let people = People::load(&app.store)?;
    let now = crate::auth::now_micros();
    let buckets = figures(&app.store, &people, period, now)?;
    let body = views::page(period, &buckets, &activation_kept(&app.store)?);
    app.console_page(&member.visitor, "Statistiques", "/admin/statistiques", body)
}

#[handler]
fn export(Data(app): Data<&App>, member: Member, Query(q): Query<Chosen>) -> AppResult<Response> {
    require(member.actor(), Action::ReadLogs)?;
    let period = q.period();
    let people = People::load(&app.store)?;
    let buckets = figures(&app.store, &people, period, crate::auth::now_micros())?;
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .header(
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"statistiques-par-{}.csv\"",
                period.slug()
            ),
        )
        .body(csv(&buckets))
        .into_response())
}
