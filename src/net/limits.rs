//! How much a request may bring: a text form (urlencoded, or anything but multipart) is
//! refused beyond [`FORM_LIMIT`], told by its `Content-Length` or counted as it arrives;
//! a multipart form's text fields are bounded by the one multipart reader
//! (`attachments::read_form`, [`TEXT_FIELD_LIMIT`], [`TEXT_TOTAL_LIMIT`], [`FIELD_COUNT_LIMIT`])
//! and its files are streamed to disk within their own limits. Whoever crosses a limit
//! stops reading at once and calls [`crossed`]; the request then ends with a French 413
//! page, whatever the handler made of the part it read.
//!
//! Why: one parent sending 1 500 text fields of 200 kB took the server from 32 MB to
//! 406 MB; nothing bounded the text fields of a multipart form.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use futures_util::StreamExt;
use poem::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use poem::http::StatusCode;
use poem::{Body, Endpoint, IntoResponse, Request, Response};

use crate::app::App;
use crate::ui::errors::SchoolSource;

/// The largest text form (urlencoded, JSON…): the same bound as `ui::input`'s reader.
pub const FORM_LIMIT: usize = crate::ui::input::FORM_LIMIT;
/// The largest text field of a multipart form (a mot, a message: far more than a page).
pub const TEXT_FIELD_LIMIT: usize = 200_000;
/// All the text fields of one multipart form together.
pub const TEXT_TOTAL_LIMIT: usize = 1024 * 1024;
/// Most fields (texts and files) in one multipart form: a school's recipients, checkboxes
/// and picked files stay far below.
pub const FIELD_COUNT_LIMIT: usize = 1000;

pub const TOO_LARGE: &str = "Le formulaire envoyé est trop volumineux : il dépasse la taille permise. Raccourcissez le texte ou envoyez les documents en pièces jointes, puis réessayez.";

tokio::task_local! {
    /// Set when a reader of this request crossed a limit.
    static CROSSED: Arc<AtomicBool>;
}

/// Tells the middleware that the request crossed a limit (the reader has stopped reading).
/// Outside a request (unit tests of a reader) it does nothing.
pub fn crossed() {
    let _ = CROSSED.try_with(|flag| flag.store(true, Ordering::Release));
}

fn is_multipart(req: &Request) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/")
        })
}

fn too_large(app: Option<&App>) -> Response {
    let school = app.and_then(|a| a.school());
    crate::ui::errors::page_for(
        school.as_ref(),
        None,
        StatusCode::PAYLOAD_TOO_LARGE,
        TOO_LARGE,
    )
    .into_response()
}

/// Middleware of the site (outside the session layer, so that the CSRF check reads a
/// body that is already bounded).
pub async fn bound_bodies<E: Endpoint>(next: E, mut req: Request) -> poem::Result<Response> {
    let app = req.data::<App>().cloned();
    let flag = Arc::new(AtomicBool::new(false));
    if !is_multipart(&req) {
        let declared = req
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > FORM_LIMIT as u64) {
            // Refused before a byte of the body is read.
            return Ok(too_large(app.as_ref()));
        }
        let body = req.take_body();
        req.set_body(capped(body, FORM_LIMIT, flag.clone()));
    }
    let result = CROSSED
        .scope(flag.clone(), async move {
            next.call(req).await.map(IntoResponse::into_response)
        })
        .await;
    if flag.load(Ordering::Acquire) {
        tracing::info!("formulaire refusé : limite de taille dépassée");
        return Ok(too_large(app.as_ref()));
    }
    result
}

/// The body, failing as soon as more than `limit` bytes came (nothing beyond is read).
fn capped(body: Body, limit: usize, flag: Arc<AtomicBool>) -> Body {
    let mut seen = 0usize;
    let stream = body.into_bytes_stream().map(move |chunk| {
        let chunk = chunk?;
        seen = seen.saturating_add(chunk.len());
        if seen > limit {
            flag.store(true, Ordering::Release);
            return Err(std::io::Error::other("corps de requête trop volumineux"));
        }
        Ok(chunk)
    });
    Body::from_bytes_stream(stream)
}

#[cfg(test)]
mod tests {
    use super::*;
    use poem::{handler, EndpointExt, Route};

    #[handler]
    async fn echo(body: Body) -> poem::Result<String> {
        Ok(format!("{}", body.into_bytes().await?.len()))
    }

    #[tokio::test]
    async fn a_text_body_is_cut_at_the_limit_and_refused_with_413() {
        let ep = Route::new().at("/", echo).around(bound_bodies);
        let ok = ep
            .call(
                Request::builder()
                    .method(poem::http::Method::POST)
                    .body("a=b"),
            )
            .await
            .unwrap();
        assert_eq!(ok.status(), StatusCode::OK);
        // Streamed without a length: counted as it arrives.
        let chunks = futures_util::stream::iter(
            (0..40).map(|_| Ok::<_, std::io::Error>(vec![b'a'; 64 * 1024])),
        );
        let resp = ep
            .call(
                Request::builder()
                    .method(poem::http::Method::POST)
                    .body(Body::from_bytes_stream(chunks)),
            )
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let resp = ep
            .call(
                Request::builder()
                    .method(poem::http::Method::POST)
                    .header(CONTENT_LENGTH, "5000000")
                    .body("a=b"),
            )
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
}
