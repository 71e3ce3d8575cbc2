//! `/classes/:id/memoire` (a class's teachers, the director; declared with the class's
//! routes in `classroom`) and `/admin/memoire` with `/admin/memoire/ecole` (the director):
//! extract → authorize → stream. Each download goes to the audit journal: a year of a
//! class's photos leaves the school.

use bytes::Bytes;
use poem::http::header;
use poem::web::{Data, Path, Query};
use poem::{handler, Body, Response};
use serde::Deserialize;

use super::views::{self, ClassRow};
use super::{chosen_year, file_name, years, ChannelWriter, SchoolYear, Scope};
use crate::app::App;
use crate::auth::web::Member;
use crate::directory::people::People;
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action};
use crate::refusal::Failure;
use crate::routing::{Access, Routes};

/// The console's page and the whole school's download; the class's download is declared
/// by `classroom::routes` (under its `/classes` nest).
pub fn routes() -> Routes {
    Routes::new().console(
        "/memoire",
        Routes::new().get("/", console_page, Access::Director).get(
            "/ecole",
            school_download,
            Access::Director,
        ),
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct YearChoice {
    annee: Option<String>,
}

/// Archives made at the same time: each holds a processor while it publishes pictures
/// not yet published, and the Pi has two.
static MAKING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// The archive as a response whose body is written while it is sent.
fn stream(app: &App, scope: Scope, year: SchoolYear) -> AppResult<Response> {
    let permit = MAKING.try_acquire().map_err(|_| {
        AppError::from(Failure::refused(
            "Deux archives sont déjà en cours de téléchargement : réessayez dans quelques minutes.",
        ))
    })?;
    let name = file_name(&app.store, scope, year)?;
    let (tx, mut rx) =
        tokio::sync::mpsc::channel::<std::io::Result<Bytes>>(super::writer::CHANNEL_CHUNKS);
    let store = app.store.clone();
    let failed = tx.clone();
    tokio::task::spawn_blocking(move || {
        let runtime = tokio::runtime::Handle::current();
        let made = super::write(
            &store,
            scope,
            year,
            &runtime,
            Box::new(ChannelWriter::new(tx)),
        );
        // The next archive may start once this one is written, before its last bytes
        // are read.
        drop(permit);
        if let Err(e) = made {
            // Cut the response short: the browser says the download failed rather than
            // keeping a ZIP without its end.
            tracing::info!("mémoire de l'année ({scope:?}, {}) : {e:#}", year.label());
            let _ = failed.blocking_send(Err(std::io::Error::other(e.to_string())));
        }
    });
    let chunks = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, "application/zip")
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        )
        .body(Body::from_bytes_stream(chunks)))
}

/// A class's archive: its teachers (`Teach`) and the director.
#[handler]
pub async fn class_download(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
    Query(q): Query<YearChoice>,
) -> AppResult<Response> {
    require(member.actor(), Action::Teach { class_id: id })?;
    let people = People::load(&app.store)?;
    let label = people
        .class(id)
        .map(|c| c.label.clone())
        .ok_or(AppError::NotFound)?;
    let year = chosen_year(&app.store, q.annee.as_deref())?;
    let response = stream(app, Scope::Class(id), year)?;
    crate::auth::journal::audit(
        app,
        &member,
        format!(
            "Mémoire de l'année {} de la classe {label} téléchargée",
            year.label()
        ),
    )
    .await?;
    Ok(response)
}

#[handler]
async fn school_download(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<YearChoice>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageClasses)?;
    let year = chosen_year(&app.store, q.annee.as_deref())?;
    let response = stream(app, Scope::School, year)?;
    crate::auth::journal::audit(
        app,
        &member,
        format!("Mémoire de l'année {} de l'école téléchargée", year.label()),
    )
    .await?;
    Ok(response)
}

#[handler]
fn console_page(
    Data(app): Data<&App>,
    member: Member,
    Query(q): Query<YearChoice>,
) -> AppResult<maud::Markup> {
    require(member.actor(), Action::ManageClasses)?;
    let years = years(&app.store)?;
    let chosen = chosen_year(&app.store, q.annee.as_deref())?;
    let people = People::load(&app.store)?;
    let classes: Vec<ClassRow> = people
        .classes
        .iter()
        .map(|c| ClassRow {
            id: c.id,
            label: c.label.clone(),
            levels: c.levels_text(),
        })
        .collect();
    app.console_page(
        &member.visitor,
        "Mémoire de l'année",
        "/admin/memoire",
        views::console(&years, chosen, &classes),
    )
}
