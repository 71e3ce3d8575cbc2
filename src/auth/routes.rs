//! /connexion and /deconnexion.

use std::time::Instant;

use maud::html;
use poem::web::{Data, Form, Query, Redirect};
use poem::{handler, IntoResponse, Response};
use serde::Deserialize;

use super::journal::{self, ConnectionEvent, ConnectionKind};
use super::throttle::french_wait;
use super::web::{cookie_header, safe_next, Member, Who};
use super::SESSION_COOKIE;
use crate::app::App;
use crate::error::AppResult;
use crate::routing::{Access, Routes};
use crate::ui::csrf_input;
use crate::ui::form::{Field, FormState};

/// `/connexion` and `/deconnexion`.
pub fn routes() -> Routes {
    Routes::new()
        .get("/connexion", login_form, Access::Public)
        .post("/connexion", login_submit, Access::Public)
        .post("/deconnexion", logout, Access::Member)
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    suite: Option<String>,
}

fn login_view(
    app: &App,
    who: &super::visitor::Visitor,
    form: &FormState,
    message: Option<&str>,
    next: &str,
) -> AppResult<Response> {
    let school = crate::school::get(&app.store)?;
    let body = html! {
        section.panel.narrow {
            h1 { "Connexion" }
            @if let Some(s) = &school { p.lead { (s.name) " — bienvenue dans l'espace numérique de l'école." } }
            @if let Some(m) = message { div.flash.error role="alert" { (m) } }
            form method="post" action="/connexion" novalidate {
                (csrf_input(who))
                input type="hidden" name="suite" value=(next);
                (Field::text("login", "Identifiant").required().autocomplete("username").render(form))
                (Field::text("password", "Mot de passe").kind("password").required().autocomplete("current-password").render(form))
                button.primary type="submit" { "Se connecter" }
            }
            // The parents' guide sends them here: « ouvrez l'adresse puis Activer mon compte ».
            p { "Vous avez reçu une lettre de l'école avec un code d'activation ? " a href="/activation" { "Activer mon compte" } }
            p.small { "Mot de passe oublié ? Demandez-en un nouveau à la direction de l'école." }
            @if app.ca_pem.is_some() {
                p.small { "Votre navigateur affiche un avertissement de sécurité ? "
                    a href="/certificat" { "Installez le certificat de l'école" } "." }
            }
        }
    };
    let status = if message.is_some() {
        poem::http::StatusCode::UNAUTHORIZED
    } else {
        poem::http::StatusCode::OK
    };
    let page = App::page_of(school.as_ref(), who, "Connexion", "", body);
    Ok((status, page).into_response())
}

#[handler]
pub fn login_form(
    Data(app): Data<&App>,
    Who(who): Who,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    if who.signed_in.is_some() {
        return Ok(Redirect::see_other(safe_next(q.suite.as_deref())).into_response());
    }
    login_view(
        app,
        &who,
        &FormState::new(),
        None,
        &safe_next(q.suite.as_deref()),
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    suite: String,
    /// `changer-de-compte` when sent by the switcher (`account::switch`): a refusal then
    /// goes back there, the person still signed in, instead of to the login page.
    #[serde(default)]
    depuis: String,
}

#[handler]
pub async fn login_submit(
    Data(app): Data<&App>,
    Who(who): Who,
    req: &poem::Request,
    Form(f): Form<LoginForm>,
) -> AppResult<Response> {
    let login = f.login.trim().to_lowercase();
    let next = safe_next(Some(&f.suite));
    let mut form = FormState::with_values([("login", login.clone())]);
    let switching = match &who.signed_in {
        Some(me) if f.depuis == crate::account::switch::FROM_SWITCHER => Some(me),
        _ => None,
    };
    if let (Some(me), true) = (switching, login.is_empty() || f.password.is_empty()) {
        return back_to_switcher(app, me, "Indiquez le mot de passe du compte choisi.").await;
    }
    if login.is_empty() || f.password.is_empty() {
        if login.is_empty() {
            form.error("login", "Indiquez votre identifiant.");
        }
        if f.password.is_empty() {
            form.error("password", "Indiquez votre mot de passe.");
        }
        return login_view(app, &who, &form, None, &next);
    }
    // The attempt is counted before the password is checked, per (account, address), per
    // account from everywhere and per address: a burst of simultaneous guesses gets no
    // more checks than the same guesses one after the other.
    let reservation = match app.logins.login(
        &app.throttle_addresses,
        &login,
        &who.address,
        Instant::now(),
    ) {
        Ok(r) => r,
        Err(w) => {
            log(app, ConnectionKind::Throttled, &login, None, &who.address).await?;
            let msg = format!(
                "Trop de tentatives de connexion. Par sécurité, attendez {} avant de réessayer.",
                french_wait(w)
            );
            if let Some(me) = switching {
                return back_to_switcher(app, me, &msg).await;
            }
            return login_view(app, &who, &form, Some(&msg), &next);
        }
    };
    let user = crate::directory::user_by_login(&app.store, &login)?;
    let hash = match user.as_ref().and_then(|u| u.password_hash.clone()) {
        Some(h) => h,
        None => match app.dummy_hash.get() {
            Some(h) => h.clone(),
            // The first seconds after start: make one now (same cost as a real one).
            None => super::password::hash(super::random_token(), app.settings.bcrypt_cost).await?,
        },
    };
    let password_ok = super::password::verify(f.password.clone(), hash).await;
    match user {
        Some(u) if password_ok && !u.disabled && u.password_hash.is_some() => {
            reservation.succeed();
            // Signed in already: « Changer de compte » (account::switch). The session this
            // one replaces is closed, not left open behind a cookie the browser drops.
            if let Some(before) = &who.signed_in {
                super::close_session(&app.store, &before.session_key, before.user.id).await?;
                let login = before.user.login.clone();
                log(
                    app,
                    ConnectionKind::Logout,
                    &login,
                    Some(before.user.id),
                    &who.address,
                )
                .await?;
            }
            let token = super::open_session(
                &app.store,
                u.id,
                &who.address,
                &who.user_agent,
                super::now_micros(),
            )
            .await?;
            log(app, ConnectionKind::Login, &login, Some(u.id), &who.address).await?;
            let target = if u.must_change_password {
                "/compte?premiere=1".to_string()
            } else {
                next
            };
            let max_age = (app.settings.session_max_days * 86_400) as i64;
            // The same person signing in again on the phone they used last (a session
            // that expired overnight): nothing of anyone else can be on it, so its offline
            // copies go but the service worker stays, and with it the phone's push
            // subscription. Anyone else: the browser drops caches and storage
            // (`pwa::reading`).
            let last_here = crate::account::switch::remembered(app, req).await?;
            let same_person = last_here.first() == Some(&u.id)
                && who.signed_in.as_ref().is_none_or(|me| me.user.id == u.id);
            let device = crate::account::switch::remember(app, req, u.id).await?;
            let mut response = Redirect::see_other(target)
                .with_header(
                    "set-cookie",
                    cookie_header(app, SESSION_COOKIE, &token, Some(max_age)),
                )
                .with_header("set-cookie", device)
                .into_response();
            if same_person {
                response.headers_mut().insert(
                    "clear-site-data",
                    poem::http::HeaderValue::from_static(crate::pwa::reading::CLEAR_CACHE_ONLY),
                );
            }
            Ok(response)
        }
        other => {
            let user_id = other.as_ref().map(|u| u.id);
            let disabled = other
                .as_ref()
                .map(|u| u.disabled && password_ok)
                .unwrap_or(false);
            reservation.fail();
            log(app, ConnectionKind::Failure, &login, user_id, &who.address).await?;
            let msg = if disabled {
                "Ce compte est désactivé. Adressez-vous à la direction de l'école."
            } else {
                "Identifiant ou mot de passe incorrect."
            };
            if let Some(me) = switching {
                let text = format!(
                    "{msg} Vous êtes toujours connecté(e) en tant que {}.",
                    me.user.display_name()
                );
                return back_to_switcher(app, me, &text).await;
            }
            login_view(app, &who, &form, Some(msg), &next)
        }
    }
}

/// A switch of account refused: back to the switcher, with the reason, still signed in.
async fn back_to_switcher(
    app: &App,
    me: &super::visitor::SignedIn,
    text: &str,
) -> AppResult<Response> {
    super::push_flash(&app.store, &me.session_key, super::Flash::error(text)).await?;
    Ok(Redirect::see_other(crate::account::switch::PAGE).into_response())
}

async fn log(
    app: &App,
    kind: ConnectionKind,
    login: &str,
    user_id: Option<u64>,
    address: &str,
) -> AppResult<()> {
    journal::record_connection(
        &app.store,
        ConnectionEvent {
            at: super::now_micros(),
            kind,
            login: login.chars().take(60).collect(),
            user_id,
            address: address.to_string(),
        },
    )
    .await?;
    Ok(())
}

#[handler]
pub async fn logout(Data(app): Data<&App>, member: Member) -> AppResult<Response> {
    super::close_session(&app.store, &member.me.session_key, member.user().id).await?;
    log(
        app,
        ConnectionKind::Logout,
        &member.user().login,
        Some(member.user().id),
        &member.visitor.address,
    )
    .await?;
    Ok(Redirect::see_other("/connexion")
        .with_header(
            "set-cookie",
            cookie_header(app, SESSION_COOKIE, "", Some(0)),
        )
        .into_response())
}
