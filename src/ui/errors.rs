//! French error pages (404, 403, 500…) and the page shown when a form's CSRF token is
//! missing or wrong. Internal details go to the log, never to the page.

use std::sync::Arc;

use maud::html;
use poem::http::StatusCode;
use poem::{Endpoint, IntoResponse, Request, Response};

use super::{page, Frame};
use crate::auth::visitor::Visitor;
use crate::error::AppError;
use crate::school::School;

/// Where the error pages find the school shown in their layout. The session middleware
/// puts one in every request's extensions, so that the UI kit needs no application state.
pub trait SchoolSource: Send + Sync {
    fn school(&self) -> Option<School>;
}

fn title_for(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "Page introuvable",
        StatusCode::FORBIDDEN => "Accès refusé",
        StatusCode::BAD_REQUEST | StatusCode::CONFLICT => "Demande impossible",
        StatusCode::PAYLOAD_TOO_LARGE => "Envoi trop volumineux",
        StatusCode::METHOD_NOT_ALLOWED => "Action impossible",
        _ => "Une erreur est survenue",
    }
}

fn default_message(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "Cette page n'existe pas ou plus. Vérifiez l'adresse, ou revenez à l'accueil.",
        StatusCode::FORBIDDEN => "Vous n'avez pas accès à cette page avec votre compte.",
        StatusCode::METHOD_NOT_ALLOWED => "Cette adresse ne s'utilise pas ainsi. Revenez à la page précédente.",
        StatusCode::PAYLOAD_TOO_LARGE => "Le fichier ou le formulaire envoyé dépasse la taille permise.",
        s if s.is_server_error() => {
            "Préau n'a pas pu traiter la demande. Rien n'a été perdu de ce qui était déjà enregistré ; réessayez dans un instant. Si le problème continue, prévenez la direction de l'école."
        }
        _ => "La demande n'a pas pu aboutir.",
    }
}

/// An error page with the given status and message.
pub fn page_for(
    school: Option<&School>,
    visitor: Option<&Visitor>,
    status: StatusCode,
    message: &str,
) -> Response {
    let anon = Visitor::anonymous();
    let visitor = visitor.unwrap_or(&anon);
    let body = html! {
        section.panel.error-page {
            h1 { (title_for(status)) }
            p { (message) }
            p { a.button href="/" { "Revenir à l'accueil" } }
        }
    };
    let markup = page(
        Frame {
            school,
            visitor,
            title: title_for(status),
            section: "",
        },
        body,
    );
    (status, markup).into_response()
}

/// The CSRF refusal: explains, gives back what was typed (passwords excepted), and lets
/// the person go back to the form.
pub fn csrf_refused(
    school: Option<&School>,
    visitor: &Visitor,
    path: &str,
    typed: &[(String, String)],
) -> Response {
    let body = html! {
        section.panel.error-page {
            h1 { "Formulaire expiré" }
            p { "Pour votre sécurité, ce formulaire n'a pas été pris en compte : il a expiré ou a été envoyé depuis une autre page. Rien n'a été modifié." }
            @if !typed.is_empty() {
                p { "Voici ce que vous aviez saisi, pour le recopier :" }
                dl.typed {
                    @for (k, v) in typed {
                        dt { (k) }
                        dd { pre { (v) } }
                    }
                }
            }
            // The path comes from the request line: `//evil.example/x` would be a link to
            // another site, so only a path of this site is offered.
            p { a.button href=(crate::auth::web::safe_next(Some(path))) { "Revenir au formulaire" } }
        }
    };
    let markup = page(
        Frame {
            school,
            visitor,
            title: "Formulaire expiré",
            section: "",
        },
        body,
    );
    (StatusCode::FORBIDDEN, markup).into_response()
}

/// Middleware: turns every error into a French page.
pub async fn render_errors<E: Endpoint>(next: E, req: Request) -> poem::Result<Response> {
    let source = req.extensions().get::<Arc<dyn SchoolSource>>().cloned();
    let visitor = req.extensions().get::<Arc<Visitor>>().cloned();
    let path = req.uri().path().to_string();
    match next.call(req).await {
        Ok(r) => Ok(r.into_response()),
        Err(e) if e.is_from_response() => Ok(e.into_response()),
        Err(e) => {
            let status = e.status();
            let message: String = match e.downcast_ref::<AppError>() {
                Some(AppError::BadRequest(m)) => m.clone(),
                Some(AppError::Refused(r)) => r.message().to_string(),
                Some(e @ AppError::Closed) => e.to_string(),
                _ => default_message(status).to_string(),
            };
            if status.is_server_error() {
                tracing::error!(%path, "erreur : {e}");
            }
            match source {
                Some(source) => Ok(page_for(
                    source.school().as_ref(),
                    visitor.as_deref(),
                    status,
                    &message,
                )),
                None => Ok((status, message).into_response()),
            }
        }
    }
}
