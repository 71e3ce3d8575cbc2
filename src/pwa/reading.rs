//! Which pages may be read offline, and whose they are.
//!
//! Every page a signed-in person receives is sent `Cache-Control: no-store`
//! (`net::cache`): no browser cache, no proxy keeps a family's carnet. The offline copies
//! are another thing: the service worker writes them itself, on purpose, in the Cache
//! API, which HTTP caching rules do not govern. Préau allows it for a short list of pages
//! to read (this middleware marks them `Preau-Hors-Ligne: lisible`), never for a form, a
//! download, the console or the login, and under three locks:
//!
//! - every response says whose session it answers (`Preau-Lecteur`, a digest of the
//!   session's key, or `aucun`): the service worker keeps the copies of one session in
//!   its own cache and drops every other cache as soon as a page answers for someone
//!   else, or for no one (the login page after a logout or an expired session);
//! - a response that opens or closes a session (login, logout, a class board's or an
//!   activation's sign-in) carries `Clear-Site-Data: "cache", "storage"`: the browser
//!   itself empties the caches and the service worker, whatever the script does;
//! - the service worker drops every copy when the logout form is sent, even offline.
//!
//! `no-store` stays on those pages, so the HTTP cache still keeps nothing.

use std::sync::Arc;

use poem::http::header::{CONTENT_TYPE, SET_COOKIE};
use poem::http::{HeaderValue, Method, StatusCode};
use poem::{Endpoint, IntoResponse, Request, Response};

use crate::auth::visitor::Visitor;
use crate::auth::SESSION_COOKIE;

/// Names the session a response answers for: `aucun`, or [`crate::auth::reader_id`].
pub const READER_HEADER: &str = "preau-lecteur";
/// `lisible` on a page the service worker may keep for offline reading.
pub const READABLE_HEADER: &str = "preau-hors-ligne";
/// Sent when a session opens or closes: the browser drops the site's caches and storage.
pub const CLEAR_SITE_DATA: &str = "\"cache\", \"storage\"";
/// Sent instead when the person the phone remembers last signs in again
/// (`auth::routes`): the caches go, the service worker and its push subscription stay.
pub const CLEAR_CACHE_ONLY: &str = "\"cache\"";

/// The sections read offline: the section's page and one of its items (`/carnet/12`), not
/// their forms, files or sub-pages (`/carnet/12/suivi`, `/devoirs/3/rendre`).
const READABLE_SECTIONS: &[&str] = &[
    "/cahier-de-textes",
    "/devoirs",
    "/carnet",
    "/messagerie",
    "/agenda",
    "/actualites",
];
/// Pages read offline as they are, without items.
const READABLE_PAGES: &[&str] = &["/accueil", "/cantine"];

/// Whether the page at `path` is one a family or a pupil rereads offline.
pub fn readable_offline(path: &str) -> bool {
    if READABLE_PAGES.contains(&path) {
        return true;
    }
    READABLE_SECTIONS.iter().any(|section| {
        let Some(rest) = path.strip_prefix(section) else {
            return false;
        };
        let item = rest.strip_prefix('/').unwrap_or(rest);
        rest.is_empty()
            || rest == "/"
            || (rest.starts_with('/')
                && !item.is_empty()
                && item.bytes().all(|b| b.is_ascii_digit()))
    })
}

fn is_html(resp: &Response) -> bool {
    resp.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

fn sets_session_cookie(resp: &Response) -> bool {
    sets_cookie(resp, SESSION_COOKIE)
}

fn sets_cookie(resp: &Response, name: &str) -> bool {
    let prefix = format!("{name}=");
    resp.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.starts_with(&prefix))
}

/// Whether the response gives a new session (a cookie with a value, not one cleared).
fn opens_session(resp: &Response) -> bool {
    let prefix = format!("{SESSION_COOKIE}=");
    resp.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.strip_prefix(prefix.as_str()))
        .any(|rest| !rest.starts_with(';') && !rest.is_empty())
}

/// Marks the site's responses for the service worker (inside the session layer, which
/// tells who is asking).
pub async fn mark_offline_reading<E: Endpoint>(next: E, req: Request) -> poem::Result<Response> {
    let reader = req
        .extensions()
        .get::<Arc<Visitor>>()
        .map(|v| v.signed_in.as_ref().map(|me| me.reader.clone()));
    let readable = req.method() == Method::GET && readable_offline(req.uri().path());
    let app = req.data::<crate::app::App>().cloned();
    let mut resp = next.call(req).await?.into_response();
    let opens_or_closes = sets_session_cookie(&resp);
    if opens_or_closes && !resp.headers().contains_key("clear-site-data") {
        resp.headers_mut()
            .insert("clear-site-data", HeaderValue::from_static(CLEAR_SITE_DATA));
    }
    // A session opened elsewhere than at the login or an activation (a class board's
    // picture or card): the phone's memory of who signed in last no longer holds, so
    // that the next login is not taken for the same person's.
    if opens_session(&resp) && !sets_cookie(&resp, crate::account::switch::DEVICE_COOKIE) {
        if let Some(app) = &app {
            let forget = crate::auth::web::cookie_header(
                app,
                crate::account::switch::DEVICE_COOKIE,
                "",
                Some(0),
            );
            if let Ok(v) = HeaderValue::from_str(&forget) {
                resp.headers_mut().append(SET_COOKIE, v);
            }
        }
    }
    let h = resp.headers_mut();
    // A response that changes the session names no reader: the next page will.
    if let (Some(reader), false) = (reader, opens_or_closes) {
        let value = reader.unwrap_or_else(|| "aucun".to_string());
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(READER_HEADER, v);
        }
    }
    let keep = readable
        && resp.status() == StatusCode::OK
        && is_html(&resp)
        && resp.headers().contains_key(READER_HEADER)
        && resp.headers()[READER_HEADER] != "aucun";
    if keep {
        resp.headers_mut()
            .insert(READABLE_HEADER, HeaderValue::from_static("lisible"));
    }
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_pages_to_read_are_kept() {
        for path in [
            "/accueil",
            "/cantine",
            "/carnet",
            "/carnet/",
            "/carnet/12",
            "/messagerie/3",
            "/cahier-de-textes",
            "/devoirs/8",
            "/agenda",
            "/actualites/2",
        ] {
            assert!(readable_offline(path), "{path}");
        }
        for path in [
            "/carnet/12/suivi",
            "/carnet/nouveau",
            "/messagerie/ecrire",
            "/messagerie/3/pieces/0",
            "/devoirs/8/rendre",
            "/cantine/gestion",
            "/cantine/menus.ics",
            "/admin",
            "/connexion",
            "/compte",
            "/carnetx",
            "/agenda/ical/abc",
            "/mediatheque",
        ] {
            assert!(!readable_offline(path), "{path}");
        }
    }

    #[test]
    fn a_reader_id_is_stable_per_session_and_differs_between_sessions() {
        use crate::auth::reader_id;
        assert_eq!(reader_id("a"), reader_id("a"));
        assert_ne!(reader_id("a"), reader_id("b"));
        assert_eq!(reader_id("a").len(), 24);
    }
}
