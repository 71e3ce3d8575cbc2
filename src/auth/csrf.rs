//! CSRF protection, checked centrally for every request that is not GET/HEAD/OPTIONS.
//!
//! The expected token is the session's (signed-in visitors) or the `preau_pre` cookie's
//! (visitors without a session: login form, setup wizard). Forms carry it in the `_csrf`
//! field; multipart forms (file uploads) carry it in the action URL's query
//! (`?_csrf=…`) so that the check never has to parse a file upload; scripts may send the
//! `X-CSRF-Token` header.

use poem::http::Method;
use poem::{Body, Request};
use subtle::ConstantTimeEq;

pub const FIELD: &str = "_csrf";
pub const HEADER: &str = "x-csrf-token";
/// Largest urlencoded form read for its token: the same bound as every text form (file
/// uploads are multipart, never read here: their token is in the query). The body is
/// already capped by `net::limits` before this check; this bound keeps the check safe
/// on its own.
const FORM_LIMIT: usize = crate::ui::input::FORM_LIMIT;

pub fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// What happened to a request's token.
pub enum Verdict {
    Valid,
    /// Missing or wrong: the fields the person had typed, so that the refusal page can
    /// give them back (passwords left out).
    Refused(Vec<(String, String)>),
    /// The form was too large to read.
    TooLarge,
}

fn same(a: &str, b: &str) -> bool {
    !a.is_empty() && a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// Checks the token of an unsafe request. Reads an urlencoded body and puts it back.
pub async fn verify(req: &mut Request, expected: &str) -> Verdict {
    if let Some(h) = req.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        if same(h, expected) {
            return Verdict::Valid;
        }
    }
    if let Some(q) = req.uri().query() {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(q).unwrap_or_default();
        if pairs.iter().any(|(k, v)| k == FIELD && same(v, expected)) {
            return Verdict::Valid;
        }
    }
    let is_form = req
        .content_type()
        .map(|c| c.starts_with("application/x-www-form-urlencoded"))
        .unwrap_or(false);
    if !is_form {
        return Verdict::Refused(Vec::new());
    }
    let body = match req.take_body().into_bytes_limit(FORM_LIMIT).await {
        Ok(b) => b,
        Err(_) => return Verdict::TooLarge,
    };
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    req.set_body(Body::from_bytes(body));
    if pairs.iter().any(|(k, v)| k == FIELD && same(v, expected)) {
        Verdict::Valid
    } else {
        let typed = pairs
            .into_iter()
            .filter(|(k, v)| {
                k != FIELD
                    && !k.contains("password")
                    && !k.contains("passe")
                    && !v.trim().is_empty()
            })
            .collect();
        Verdict::Refused(typed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn form_field_header_and_query_are_accepted_and_body_is_kept() {
        let mut req = Request::builder()
            .method(Method::POST)
            .content_type("application/x-www-form-urlencoded")
            .body("nom=Lou&_csrf=abc");
        assert!(matches!(verify(&mut req, "abc").await, Verdict::Valid));
        assert_eq!(
            req.take_body().into_string().await.unwrap(),
            "nom=Lou&_csrf=abc"
        );

        let mut req = Request::builder()
            .method(Method::POST)
            .header(HEADER, "abc")
            .finish();
        assert!(matches!(verify(&mut req, "abc").await, Verdict::Valid));

        let mut req = Request::builder()
            .method(Method::POST)
            .uri(poem::http::Uri::from_static("/envoi?_csrf=abc"))
            .content_type("multipart/form-data; boundary=x")
            .finish();
        assert!(matches!(verify(&mut req, "abc").await, Verdict::Valid));
    }

    #[tokio::test]
    async fn a_multipart_body_is_never_read_for_its_token() {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::Arc;
        let read = Arc::new(AtomicBool::new(false));
        let flag = read.clone();
        let body = futures_util::stream::once(async move {
            flag.store(true, Ordering::SeqCst);
            Ok::<_, std::io::Error>(vec![b'a'; 1024])
        });
        let mut req = Request::builder()
            .method(Method::POST)
            .content_type("multipart/form-data; boundary=x")
            .body(Body::from_bytes_stream(body));
        assert!(matches!(verify(&mut req, "abc").await, Verdict::Refused(_)));
        assert!(!read.load(Ordering::SeqCst), "the upload was not touched");
    }

    #[tokio::test]
    async fn wrong_token_gives_back_what_was_typed_but_not_passwords() {
        let mut req = Request::builder()
            .method(Method::POST)
            .content_type("application/x-www-form-urlencoded")
            .body("titre=Sortie&password=secret&_csrf=bad");
        match verify(&mut req, "abc").await {
            Verdict::Refused(fields) => {
                assert_eq!(fields, vec![("titre".to_string(), "Sortie".to_string())]);
            }
            _ => panic!("a wrong token must be refused"),
        }
        let mut req = Request::builder().method(Method::POST).finish();
        assert!(
            matches!(verify(&mut req, "").await, Verdict::Refused(_)),
            "empty expected token never matches"
        );
    }
}
