//! `/compte/mes-donnees` (the person) and `/admin/mes-donnees` (the director for someone
//! who asks on paper): extract → authorize → call → respond.

use poem::http::header;
use poem::web::{Data, Path, Query, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::Deserialize;

use crate::app::App;
use crate::auth::web::Member;
use crate::auth::{self, now_micros, Flash};
use crate::error::{AppError, AppResult};
use crate::policy::{require, Action, Granted};
use crate::refusal::Failure;
use crate::routing::{Access, Object, Routes};
use crate::ui::input::FormInput;

use super::{access, views, Export};

pub fn routes() -> Routes {
    Routes::new()
        .get("/", page, Access::Member)
        .post("/", request, Access::Member)
        .get("/:id/archive", download, Access::Object(Object::OwnExport))
        .console(
            "/mes-donnees",
            Routes::new()
                .get("/", console_page, Access::Director)
                .post("/", console_request, Access::Director)
                .get("/:id/archive", console_download, Access::Director),
        )
}

/// While an archive is made, the browser asks the page again by itself.
fn refreshing(markup: maud::Markup, busy: bool) -> Response {
    let mut resp = markup.into_response();
    if busy {
        if let Ok(v) = header::HeaderValue::from_str("5") {
            resp.headers_mut().insert("refresh", v);
        }
    }
    resp
}

#[handler]
fn page(Data(app): Data<&App>, member: Member) -> AppResult<Response> {
    require(member.actor(), Action::ManageOwnAccount)?;
    let now = now_micros();
    let current = super::current(&app.store, member.user().id)?;
    let busy = current.as_ref().and_then(|e| e.preparing(now)).is_some();
    let body = views::page(&member.visitor, current.as_ref(), now);
    Ok(refreshing(
        app.page(&member.visitor, "Mes données", "/compte", body)?,
        busy,
    ))
}

/// Starts the export of `subject`, asked by `member` (the audit line is written with it);
/// a refusal (one already being made) comes back as a flash.
async fn start(
    app: &App,
    member: &Member,
    subject: &Granted<crate::directory::User>,
) -> AppResult<Flash> {
    let now = now_micros();
    let by = member.user().clone();
    let made = app
        .store
        .commit_checked(|tx| super::start(tx, subject.object(), &by, now))
        .await;
    match made {
        Ok((export, old)) => {
            if let Some(old) = old {
                let _ = std::fs::remove_file(super::file(&app.store, old));
            }
            super::spawn(app.store.clone(), export);
            Ok(Flash::success(
                "L'archive est en préparation : cette page indique quand elle est prête.",
            ))
        }
        Err(Failure::Refused(r)) => Ok(Flash::error(r.message())),
        Err(e) => Err(e.into()),
    }
}

#[handler]
async fn request(Data(app): Data<&App>, member: Member) -> AppResult<Redirect> {
    let me = require(member.actor(), Action::ManageOwnAccount)?.on(member.user().clone());
    let flash = start(app, &member, &me).await?;
    auth::push_flash(&app.store, &member.me.session_key, flash).await?;
    Ok(Redirect::see_other("/compte/mes-donnees"))
}

/// The archive as a download, written in the audit journal.
async fn send(app: &App, member: &Member, granted: Granted<Export>) -> AppResult<Response> {
    let e = granted.into_object();
    if e.ready(now_micros()).is_none() {
        return Err(AppError::NotFound);
    }
    let file = tokio::fs::File::open(super::file(&app.store, e.id))
        .await
        .map_err(|_| AppError::NotFound)?;
    let size = file.metadata().await.map_err(|_| AppError::NotFound)?.len();
    crate::auth::journal::audit(
        app,
        member,
        format!("Archive « Mes données » n° {} téléchargée", e.id),
    )
    .await?;
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, "application/zip")
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"mes-donnees-{}.zip\"", e.id),
        )
        .header(header::CONTENT_LENGTH, size)
        .header(header::CACHE_CONTROL, "private, no-store")
        .body(poem::Body::from_async_read(file)))
}

#[handler]
async fn download(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Response> {
    let granted = access::own(&app.store, &member, id)?;
    send(app, &member, granted).await
}

/// The console's search among the accounts (a GET form: no script needed).
#[derive(Deserialize, Default)]
#[serde(default)]
struct ConsoleSearch {
    q: String,
}

#[handler]
fn console_page(
    Data(app): Data<&App>,
    member: Member,
    Query(search): Query<ConsoleSearch>,
) -> AppResult<Response> {
    require(member.actor(), Action::ManageAccounts)?;
    let now = now_micros();
    let people = crate::directory::people::People::load(&app.store)?;
    let query = search.q.trim();
    // The accounts in name order from the console's roster (names folded once per
    // snapshot); a school of thousands gets the first ones and is asked for a name.
    let filter = crate::directory::roster::Filter {
        terms: crate::ui::search::Terms::parse(query),
        ..Default::default()
    };
    let roster = crate::directory::roster::Roster::of(&app.store)?;
    let found = roster.find(&people, &filter);
    let matching = found.len();
    let accounts: Vec<(u64, String)> = found
        .iter()
        .filter_map(|e| people.user(e.id))
        .take(crate::ui::pager::PER_PAGE)
        .map(|u| {
            (
                u.id,
                format!("{} ({}, {})", u.display_name(), u.role_label(), u.login),
            )
        })
        .collect();
    let exports: Vec<(Export, String)> = super::from_console(&app.store)?
        .into_iter()
        .map(|e| {
            let who = people
                .user(e.subject)
                .map(|u| u.display_name())
                .unwrap_or_default();
            (e, who)
        })
        .collect();
    let busy = exports.iter().any(|(e, _)| e.preparing(now).is_some());
    let body = views::console(&member.visitor, query, (&accounts, matching), &exports, now);
    Ok(refreshing(
        app.console_page(&member.visitor, "Mes données", "/admin/mes-donnees", body)?,
        busy,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ConsoleRequest {
    compte: String,
}

#[handler]
async fn console_request(
    Data(app): Data<&App>,
    member: Member,
    FormInput(f): FormInput<ConsoleRequest>,
) -> AppResult<Redirect> {
    let id: u64 = f
        .compte
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("Choisissez un compte.".into()))?;
    let subject = access::account(&app.store, &member, id)?;
    let flash = start(app, &member, &subject).await?;
    auth::push_flash(&app.store, &member.me.session_key, flash).await?;
    Ok(Redirect::see_other("/admin/mes-donnees"))
}

#[handler]
async fn console_download(
    Data(app): Data<&App>,
    member: Member,
    Path(id): Path<u64>,
) -> AppResult<Response> {
    let granted = access::console(&app.store, &member, id)?;
    send(app, &member, granted).await
}
