//! The one reader of urlencoded forms: the body read up to a limit, then deserialized into
//! the handler's typed input. Repeated fields (checkboxes, multiple selects) become `Vec`s,
//! which `poem::web::Form` cannot do.

use poem::http::StatusCode;
use poem::{FromRequest, Request, RequestBody};
use serde::de::DeserializeOwned;

/// The largest urlencoded form accepted: forms carry text, files go through multipart.
pub const FORM_LIMIT: usize = 1024 * 1024;

/// A form's fields, typed: `FormInput(form): FormInput<NewFolder>`.
pub struct FormInput<T>(pub T);

fn unreadable() -> poem::Error {
    poem::Error::from_string(
        "Le formulaire envoyé est illisible ou trop long.",
        StatusCode::BAD_REQUEST,
    )
}

impl<'a, T: DeserializeOwned> FromRequest<'a> for FormInput<T> {
    async fn from_request(req: &'a Request, body: &mut RequestBody) -> poem::Result<Self> {
        let bytes = if req.method() == poem::http::Method::GET {
            req.uri().query().unwrap_or_default().as_bytes().to_vec()
        } else {
            body.take()?
                .into_bytes_limit(FORM_LIMIT)
                .await
                .map_err(|_| unreadable())?
                .to_vec()
        };
        serde_html_form::from_bytes(&bytes)
            .map(FormInput)
            .map_err(|_| unreadable())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Chosen {
        name: String,
        #[serde(default)]
        ids: Vec<u64>,
    }

    #[tokio::test]
    async fn repeated_fields_become_a_list_and_an_oversized_form_is_refused() {
        let req = Request::builder()
            .method(poem::http::Method::POST)
            .content_type("application/x-www-form-urlencoded")
            .body("name=Classe&ids=1&ids=2");
        let (req, mut body) = req.split();
        let FormInput(chosen) = FormInput::<Chosen>::from_request(&req, &mut body)
            .await
            .unwrap();
        assert_eq!(
            chosen,
            Chosen {
                name: "Classe".into(),
                ids: vec![1, 2]
            }
        );
        let huge = format!("name={}", "a".repeat(FORM_LIMIT + 1));
        let (req, mut body) = Request::builder()
            .method(poem::http::Method::POST)
            .body(huge)
            .split();
        assert!(FormInput::<Chosen>::from_request(&req, &mut body)
            .await
            .is_err());
    }
}
