//! `Cache-Control` of the site's pages: nothing a person sees behind the login (a pupil's
//! carnet, a family's messages) may stay in a shared computer's cache, nor in a proxy's.
//! Every response of the site gets `no-store`, unless its handler chose a `private`
//! policy on purpose (a calendar feed polled by its app, an attachment with a range);
//! `/static/*` and `/healthz` do not go through here and keep their own caching.

use poem::http::header::CACHE_CONTROL;
use poem::http::HeaderValue;
use poem::{Endpoint, IntoResponse, Request, Response};

pub async fn no_store<E: Endpoint>(next: E, req: Request) -> poem::Result<Response> {
    let mut resp = next.call(req).await?.into_response();
    let kept = resp
        .headers()
        .get(CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("private") || v.contains("no-store")
        });
    if !kept {
        resp.headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(resp)
}
