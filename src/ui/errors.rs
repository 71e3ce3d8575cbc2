//! French error pages (404, 403, 500…) and the page shown when a form's CSRF token is
//! missing or wrong. Internal details go to the log, never to the page.

use std::sync::Arc;

use maud::html;
use poem::http::StatusCode;
use poem::{Endpoint, IntoResponse, Request, Response};

use super::{page, Frame};
use crate::app::App;
use crate::auth::web::Visitor;
use crate::error::AppError;
use crate::store::StoreError;

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

fn anonymous() -> Visitor {
    Visitor {
        signed_in: None,
        csrf: String::new(),
        flashes: Vec::new(),
        address: String::new(),
        user_agent: String::new(),
        unread_notifications: 0,
    }
}

/// An error page with the given status and message.
pub fn page_for(
    app: &App,
    visitor: Option<&Visitor>,
    status: StatusCode,
    message: &str,
) -> Response {
    let school = crate::school::get(&app.store).ok().flatten();
    let anon = anonymous();
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
            school: school.as_ref(),
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
    app: &App,
    visitor: &Visitor,
    path: &str,
    typed: &[(String, String)],
) -> Response {
    let school = crate::school::get(&app.store).ok().flatten();
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
            p { a.button href=(path) { "Revenir au formulaire" } }
        }
    };
    let markup = page(
        Frame {
            school: school.as_ref(),
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
    let app = req.data::<App>().cloned();
    let visitor = req.extensions().get::<Arc<Visitor>>().cloned();
    let path = req.uri().path().to_string();
    match next.call(req).await {
        Ok(r) => Ok(r.into_response()),
        Err(e) if e.is_from_response() => Ok(e.into_response()),
        Err(e) => {
            let status = e.status();
            let message: String = match e.downcast_ref::<AppError>() {
                Some(AppError::BadRequest(m)) => m.clone(),
                Some(AppError::Store(StoreError::Rejected(m))) => m.clone(),
                _ => default_message(status).to_string(),
            };
            if status.is_server_error() {
                tracing::error!(%path, "erreur : {e}");
            }
            match app {
                Some(app) => Ok(page_for(&app, visitor.as_deref(), status, &message)),
                None => Ok((status, message).into_response()),
            }
        }
    }
}
