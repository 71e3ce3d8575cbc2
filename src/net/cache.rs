//! `Cache-Control` of the site's responses: nothing a signed-in person receives (a
//! pupil's carnet, a family's messages, a class's photos) may stay in a shared
//! computer's cache, nor in a proxy's. Every response to a request carrying a session
//! gets `no-store`, whatever its handler chose; the others (the login page, the
//! redirects to it, public pages) get it too unless their handler chose a `private`
//! policy on purpose (the calendar feed, read by a calendar app with its token and no
//! session). `/static/*` and `/healthz` do not go through here and keep their caching.
//! The offline copies of a few pages that the installable app's service worker keeps are
//! not HTTP caching: see `pwa::reading` for why and how they stay private.

use poem::http::header::CACHE_CONTROL;
use poem::http::HeaderValue;
use poem::{Endpoint, IntoResponse, Request, Response};

use crate::auth::web::cookie;
use crate::auth::SESSION_COOKIE;

pub async fn no_store<E: Endpoint>(next: E, req: Request) -> poem::Result<Response> {
    let with_session = cookie(&req, SESSION_COOKIE).is_some_and(|v| !v.is_empty());
    let mut resp = next.call(req).await?.into_response();
    let chosen_private = resp
        .headers()
        .get(CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("private"));
    if with_session || !chosen_private {
        resp.headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use poem::{handler, EndpointExt, Route};

    #[handler]
    fn photo() -> Response {
        Response::builder()
            .header(CACHE_CONTROL, "private, max-age=3600")
            .body("jpeg")
    }

    #[tokio::test]
    async fn a_session_always_gets_no_store_and_a_tokens_feed_keeps_its_policy() {
        let ep = Route::new().at("/", photo).around(no_store);
        let signed_in = ep
            .call(
                Request::builder()
                    .header("cookie", "preau_session=abc")
                    .finish(),
            )
            .await
            .unwrap();
        assert_eq!(signed_in.headers()[CACHE_CONTROL], "no-store");
        let app = ep.call(Request::builder().finish()).await.unwrap();
        assert_eq!(app.headers()[CACHE_CONTROL], "private, max-age=3600");
    }
}
