//! `/admin/etat` (the status for the technician's tools, by token, off by default) and
//! the console page where the director makes or withdraws that token.

use maud::Markup;
use poem::http::{header, StatusCode};
use poem::web::Data;
use poem::{handler, IntoResponse, Request, Response};

use crate::app::App;
use crate::auth::journal::audit;
use crate::auth::web::Member;
use crate::auth::{self, Flash};
use crate::error::AppResult;
use crate::policy::{require, Action};
use crate::routing::{Access, Routes};

use super::TokenCheck;

/// The console page, mounted under `/admin/supervision`.
pub fn routes() -> Routes {
    use Access::Director;
    Routes::new().console(
        "/supervision",
        Routes::new()
            .get("/", page, Director)
            .post("/jeton", make_token, Director)
            .post("/desactiver", revoke_token, Director),
    )
}

/// The token of an `Authorization: Bearer …` header (the scheme in any case, as HTTP
/// says: `bearer` from a script is the same).
fn bearer(req: &Request) -> Option<&str> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim_start().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// The status: 404 while no token is set (nothing tells the status exists), 401 without
/// the right token, counts and dates otherwise.
#[handler]
pub async fn etat(req: &Request, Data(app): Data<&App>) -> Response {
    let plain = |status: StatusCode, text: &'static str| {
        Response::builder()
            .status(status)
            .header(header::CACHE_CONTROL, "no-store")
            .content_type("text/plain; charset=utf-8")
            .body(text)
    };
    if !app.is_installed() {
        return plain(StatusCode::NOT_FOUND, "introuvable");
    }
    match super::check_token(&app.store, bearer(req)) {
        Ok(TokenCheck::Off) => return plain(StatusCode::NOT_FOUND, "introuvable"),
        Ok(TokenCheck::Refused) => {
            let mut r = plain(StatusCode::UNAUTHORIZED, "jeton d'état absent ou inexact");
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
            return r;
        }
        Ok(TokenCheck::Granted) => {}
        Err(e) => {
            tracing::error!("état de l'école : {e}");
            return plain(StatusCode::INTERNAL_SERVER_ERROR, "erreur interne");
        }
    }
    let a = app.clone();
    let gathered = tokio::task::spawn_blocking(move || super::gather(&a, auth::now_micros())).await;
    match gathered {
        Ok(Ok(etat)) => match serde_json::to_vec(&etat) {
            Ok(body) => Response::builder()
                .header(header::CACHE_CONTROL, "no-store")
                .content_type("application/json")
                .body(body),
            Err(_) => plain(StatusCode::INTERNAL_SERVER_ERROR, "erreur interne"),
        },
        Ok(Err(e)) => {
            tracing::error!("état de l'école : {e}");
            plain(StatusCode::INTERNAL_SERVER_ERROR, "erreur interne")
        }
        Err(_) => plain(StatusCode::INTERNAL_SERVER_ERROR, "erreur interne"),
    }
}

#[handler]
fn page(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    require(member.actor(), Action::EditSchool)?;
    let since = super::token_since(&app.store)?;
    app.console_page(
        &member.visitor,
        "Supervision",
        "/admin/supervision",
        super::views::page(&member.visitor, &app.settings.public_url(), since, None),
    )
}

/// A new token, shown on this one page and never again (only its hash is kept).
#[handler]
async fn make_token(Data(app): Data<&App>, member: Member) -> AppResult<Markup> {
    require(member.actor(), Action::EditSchool)?;
    let now = auth::now_micros();
    let token = super::new_token(&app.store, now).await?;
    audit(app, &member, "Jeton d'état de supervision créé".into()).await?;
    app.console_page(
        &member.visitor,
        "Supervision",
        "/admin/supervision",
        super::views::page(
            &member.visitor,
            &app.settings.public_url(),
            Some(now),
            Some(&token),
        ),
    )
}

#[handler]
async fn revoke_token(Data(app): Data<&App>, member: Member) -> AppResult<Response> {
    require(member.actor(), Action::EditSchool)?;
    super::revoke(&app.store).await?;
    audit(app, &member, "Jeton d'état de supervision retiré".into()).await?;
    auth::push_flash(
        &app.store,
        &member.me.session_key,
        Flash::success("La supervision est désactivée : l'ancien jeton ne répond plus."),
    )
    .await?;
    Ok(poem::web::Redirect::see_other("/admin/supervision").into_response())
}
