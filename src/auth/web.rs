//! The session middleware and the extractors handlers use to know who is asking.
//!
//! For every request it finds the visitor (session cookie → session → account), makes
//! sure a visitor without session has a CSRF token (`preau_pre` cookie), checks the CSRF
//! token of every unsafe request, then hands a [`Visitor`] to the rest of the chain.

use std::sync::Arc;

use poem::http::header::{COOKIE, SET_COOKIE, USER_AGENT};
use poem::http::{HeaderValue, StatusCode};
use poem::web::Redirect;
use poem::{Endpoint, FromRequest, IntoResponse, Request, RequestBody, Response};

use super::csrf::{self, Verdict};
use super::visitor::{SignedIn, Visitor};
use super::{PRE_COOKIE, SESSION_COOKIE};
use crate::app::{App, AppState};
use crate::directory::User;
use crate::policy::Actor;
use crate::school::School;
use crate::ui::errors::SchoolSource;

/// Reads one cookie from the request.
pub fn cookie<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers()
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Secure over HTTPS.
pub fn cookie_header(app: &App, name: &str, value: &str, max_age_secs: Option<i64>) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if app.secure_cookies {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age_secs {
        c.push_str(&format!("; Max-Age={age}"));
    }
    c
}

/// The client's address. Behind the school's or the collectivité's reverse proxy every
/// connection comes from the proxy: then, and only for a connection from this machine,
/// the address the proxy saw is read from the one header it is configured to overwrite
/// (`client_address_header`) — otherwise throttling, the logs, the class board and the
/// public blog would all see the proxy instead of the person. Any other header is the
/// client's own word and ignored: a spoofed `X-Real-IP` must not pass for the school
/// network nor reset the login throttle.
pub fn client_address(
    req: &Request,
    behind_proxy: bool,
    header: crate::config::ClientAddressHeader,
    trusted_proxies: &[ipnet::IpNet],
) -> String {
    let Some(peer) = req.remote_addr().as_socket_addr().map(|a| a.ip()) else {
        return "inconnue".into();
    };
    if behind_proxy && crate::config::from_proxy(peer, trusted_proxies) {
        // Several lines of the header are one list; its last hop is the proxy's.
        let last = req
            .headers()
            .get_all(header.header_name())
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .last();
        if let Some(ip) = last.and_then(|v| v.trim().parse::<std::net::IpAddr>().ok()) {
            return ip.to_string();
        }
    }
    peer.to_string()
}

pub async fn session_layer<E: Endpoint>(next: E, mut req: Request) -> poem::Result<Response> {
    let Some(app) = req.data::<App>().cloned() else {
        return Err(poem::Error::from_status(StatusCode::INTERNAL_SERVER_ERROR));
    };
    let now = super::now_micros();
    let address = client_address(
        &req,
        app.settings.behind_https_proxy,
        app.settings.client_address_header,
        &app.settings.trusted_proxies,
    );
    let by_public_name = crate::net::request_host(&req).is_some_and(|h| app.acme.is_public_host(h));
    let user_agent = req
        .headers()
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let is_static = req.uri().path().starts_with("/static/") || req.uri().path() == "/healthz";

    let mut signed_in = None;
    let mut closed_services = Vec::new();
    let mut clear_session_cookie = false;
    let mut session_csrf = None;
    let mut flashes = Vec::new();
    if let Some(token) = cookie(&req, SESSION_COOKIE).map(str::to_string) {
        match super::load_session(&app.store, &token, now, app.lifetimes).map_err(internal)? {
            Some((key, session)) => {
                // Everything else about the person comes from the directory's snapshot.
                let people =
                    crate::directory::people::People::load(&app.store).map_err(internal)?;
                match people.actor_of(session.user_id, now) {
                    Some(actor) => {
                        let user = people.user(session.user_id).cloned().ok_or_else(|| {
                            internal(crate::store::StoreError::Engine("compte".into()))
                        })?;
                        super::touch(&app.store, &key, &session, now).map_err(internal)?;
                        // Only a session with messages waiting pays for a write.
                        if req.method() == poem::http::Method::GET
                            && !is_static
                            && !session.flashes.is_empty()
                        {
                            flashes = super::take_flashes(&app.store, &key).map_err(internal)?;
                        }
                        session_csrf = Some(session.csrf.clone());
                        closed_services = people.closed_services(&actor);
                        let kid_mode = crate::home::kid::is_for(&people, &user, &actor.class_ids);
                        let reader = if session.reader.is_empty() {
                            super::reader_id(&key)
                        } else {
                            session.reader.clone()
                        };
                        signed_in = Some(SignedIn {
                            actor,
                            user,
                            session_key: key,
                            reader,
                            kid_mode,
                        });
                    }
                    None => clear_session_cookie = true,
                }
            }
            None => clear_session_cookie = true,
        }
    }
    let mut new_pre = None;
    let csrf_token = match session_csrf {
        Some(t) => t,
        None => match cookie(&req, PRE_COOKIE) {
            Some(t) if t.len() >= 32 => t.to_string(),
            _ => {
                let t = super::random_token();
                new_pre = Some(t.clone());
                t
            }
        },
    };

    let unread_notifications = match &signed_in {
        Some(me) if !is_static => {
            crate::notify::unread_count(&app.store, me.user.id).map_err(internal)?
        }
        _ => 0,
    };
    let mut visitor = Visitor {
        signed_in,
        csrf: csrf_token,
        flashes,
        address,
        by_public_name,
        user_agent,
        unread_notifications,
        closed_services,
    };
    // Someone who must choose their own password or accept a new charter goes there
    // first, whatever the method: a form posted meanwhile (a message, a mot…) is refused
    // as a page would be. Only those pages, logout and public pages stay usable.
    if !is_static {
        if let Some(me) = &visitor.signed_in {
            if let Some(to) = held_back(&app, &me.user, req.method(), req.uri()) {
                return Ok(Redirect::see_other(to).into_response());
            }
        }
    }
    // The error pages inside find the school's layout through it, without knowing `App`.
    let source: Arc<dyn SchoolSource> = app.0.clone();
    req.extensions_mut().insert(source);
    let mut response = if csrf::is_safe(req.method()) {
        req.extensions_mut().insert(Arc::new(visitor));
        next.call(req).await.map(IntoResponse::into_response)
    } else {
        match csrf::verify(&mut req, &visitor.csrf).await {
            Verdict::Valid => {
                req.extensions_mut().insert(Arc::new(visitor));
                next.call(req).await.map(IntoResponse::into_response)
            }
            Verdict::TooLarge => Ok(crate::ui::errors::page_for(
                app.school().as_ref(),
                None,
                StatusCode::PAYLOAD_TOO_LARGE,
                "Le formulaire envoyé est trop volumineux.",
            )),
            Verdict::Refused(typed) => {
                tracing::info!(path = %req.uri().path(), "jeton CSRF absent ou invalide");
                // A fresh token so that the next try works even if the old one was lost.
                if visitor.signed_in.is_none() && new_pre.is_none() {
                    let t = super::random_token();
                    new_pre = Some(t.clone());
                    visitor.csrf = t;
                }
                Ok(crate::ui::errors::csrf_refused(
                    app.school().as_ref(),
                    &visitor,
                    req.uri().path(),
                    &typed,
                ))
            }
        }
    };
    if let Ok(resp) = response.as_mut() {
        if let Some(t) = new_pre {
            if let Ok(v) = HeaderValue::from_str(&cookie_header(&app, PRE_COOKIE, &t, None)) {
                resp.headers_mut().append(SET_COOKIE, v);
            }
        }
        if clear_session_cookie && !resp.headers().contains_key(SET_COOKIE) {
            if let Ok(v) = HeaderValue::from_str(&cookie_header(&app, SESSION_COOKIE, "", Some(0)))
            {
                resp.headers_mut().append(SET_COOKIE, v);
            }
        }
    }
    response
}

/// Where someone who still has a step to take is sent instead (`None`: on their way).
/// The password change form and the charter (pages and their POSTs), logout, the RGPD
/// notice and the certificate page are the only ones open meanwhile.
fn held_back(
    app: &App,
    user: &User,
    method: &poem::http::Method,
    uri: &poem::http::Uri,
) -> Option<String> {
    // Asked of every request of everyone signed in: what they still owe first (two flags
    // in memory), the pages open meanwhile only then.
    let owes_password = user.must_change_password;
    let owes_charter = !owes_password && crate::charter::must_accept(&app.store, user);
    if !owes_password && !owes_charter {
        return None;
    }
    let path = uri.path();
    let always = [
        "/charte",
        "/compte",
        "/informations",
        "/certificat",
        "/deconnexion",
    ];
    if always.iter().any(|p| {
        path.strip_prefix(p)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }) {
        return None;
    }
    if owes_password {
        return Some("/compte?premiere=1".into());
    }
    if owes_charter {
        // After the charter, a page asked for is shown; a form posted is not replayed.
        let back = match *method {
            poem::http::Method::GET | poem::http::Method::HEAD => uri
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/accueil"),
            _ => "/accueil",
        };
        return Some(format!("/charte?suite={}", urlencode(back)));
    }
    None
}

impl SchoolSource for AppState {
    fn school(&self) -> Option<School> {
        // An error page still shows, without the school's name, if the store fails.
        crate::school::get(&self.store).ok().flatten()
    }
}

fn internal(e: crate::store::StoreError) -> poem::Error {
    tracing::error!("session : {e}");
    poem::Error::from_status(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The visitor, signed in or not.
pub struct Who(pub Arc<Visitor>);

impl<'a> FromRequest<'a> for Who {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        req.extensions()
            .get::<Arc<Visitor>>()
            .cloned()
            .map(Who)
            .ok_or_else(|| poem::Error::from_status(StatusCode::INTERNAL_SERVER_ERROR))
    }
}

/// A signed-in visitor; anyone else is sent to the login page, then brought back.
#[derive(Clone)]
pub struct Member {
    pub visitor: Arc<Visitor>,
    pub me: SignedIn,
}

impl Member {
    pub fn user(&self) -> &User {
        &self.me.user
    }
    pub fn actor(&self) -> &Actor {
        &self.me.actor
    }
}

impl<'a> FromRequest<'a> for Member {
    async fn from_request(req: &'a Request, body: &mut RequestBody) -> poem::Result<Self> {
        let Who(v) = Who::from_request(req, body).await?;
        if let Some(me) = v.signed_in.clone() {
            return Ok(Member { visitor: v, me });
        }
        let back = req
            .original_uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/accueil");
        let target = format!("/connexion?suite={}", urlencode(back));
        Err(poem::Error::from_response(
            Redirect::see_other(target).into_response(),
        ))
    }
}

pub fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|s| s.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

/// Only paths of this site are followed after login, after the charter, or offered as
/// « Revenir au formulaire » (no open redirect to another site). Browsers forgive a lot
/// in a `Location`: they drop tabs and newlines (`/\t/evil.example` becomes
/// `//evil.example`, another host), read `\` as `/`, and take `//host` or `scheme:` as
/// another site. So: one leading `/`, no `/` or `\` right after it, no backslash, no
/// whitespace or control character anywhere; anything else goes to `/accueil`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(p) if is_local_path(p) => p.to_string(),
        _ => "/accueil".to_string(),
    }
}

fn is_local_path(p: &str) -> bool {
    let mut chars = p.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/') | Some('\\'))
        && !p
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control() || is_invisible(c))
}

/// Characters a browser may drop or that disguise an address (bidi controls, zero-width).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/compte")), "/compte");
        assert_eq!(safe_next(Some("//evil.example")), "/accueil");
        assert_eq!(safe_next(Some("https://evil.example")), "/accueil");
        assert_eq!(safe_next(Some("/\\evil")), "/accueil");
        assert_eq!(safe_next(None), "/accueil");
    }

    #[test]
    fn hostile_suites_all_land_home() {
        for hostile in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/ /evil.example",
            "/\\evil.example",
            "/\\/evil.example",
            "//evil.example/x",
            "///evil.example",
            "\\\\evil.example",
            "\t//evil.example",
            " /accueil",
            "javascript:alert(1)",
            "https://evil.example/",
            "evil.example",
            "",
            "/a\u{0}b",
            "/a\u{7f}b",
            "/\u{202E}lmth.exe",
            "/messagerie\\..\\x",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/accueil", "{hostile:?}");
        }
        for kept in [
            "/messagerie/4",
            "/messagerie?dossier=envoyes",
            "/agenda?vue=semaine&date=2026-11-30",
            "/mediatheque/dossier/3#haut",
            "/",
            "/actualit%C3%A9s",
        ] {
            assert_eq!(safe_next(Some(kept)), kept);
        }
    }

    #[test]
    fn cookies_are_read_among_others() {
        let req = Request::builder()
            .header(COOKIE, "a=1; preau_session=xyz; b=2")
            .finish();
        assert_eq!(cookie(&req, SESSION_COOKIE), Some("xyz"));
        assert_eq!(cookie(&req, "c"), None);
    }
}
