//! The gates on the nests of the route table: middleware that guards every route under
//! a nest, so that a handler cannot forget them.

use std::sync::Arc;

use poem::endpoint::BoxEndpoint;
use poem::http::StatusCode;
use poem::web::Redirect;
use poem::{Endpoint, EndpointExt, IntoResponse, Request, Response};

use crate::app::App;
use crate::auth::visitor::Visitor;
use crate::auth::web::urlencode;
use crate::error::AppError;
use crate::policy::{may, Action};
use crate::school::Service;

/// A gate guarding a nest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gate {
    /// The service must be switched on by the director (404 otherwise), for its pages,
    /// its forms and its downloads alike; and opened to the person by one of their classes
    /// (403 otherwise), who is seen inside with only those classes.
    Service(Service),
    /// The director's console: sign-in, then the policy's `OpenConsole`.
    Director,
    /// The setup wizard, open only before installation (404 afterwards).
    SetupOpen,
    /// Everything but the wizard and the certificate: before installation it leads to
    /// `/setup`.
    Installed,
}

impl Gate {
    /// Lets the request through (`None`), answers it here (`Some`: the wizard's redirect),
    /// or refuses it (`Err`).
    fn check(self, req: &mut Request) -> poem::Result<Option<Response>> {
        match self {
            Gate::Service(service) => service_check(req, service).map(|()| None),
            Gate::Director => director_check(req).map(|()| None),
            Gate::SetupOpen => setup_open_check(req).map(|()| None),
            Gate::Installed => installed_check(req),
        }
    }
}

/// `ep` behind `gates`, the first listed running first: one layer for all of them (each
/// gate a check on the request, none of them waits), so that a request under two gates
/// goes through one boxed future, not three.
pub(super) fn wrap(
    gates: &[Gate],
    ep: BoxEndpoint<'static, Response>,
) -> BoxEndpoint<'static, Response> {
    if gates.is_empty() {
        return ep;
    }
    let gates: Arc<[Gate]> = gates.into();
    ep.around(move |next, mut req| {
        let gates = gates.clone();
        async move {
            for gate in gates.iter() {
                if let Some(answer) = gate.check(&mut req)? {
                    return Ok(answer);
                }
            }
            next.call(req).await.map(IntoResponse::into_response)
        }
    })
    .boxed()
}

fn app(req: &Request) -> poem::Result<&App> {
    req.data::<App>()
        .ok_or_else(|| poem::Error::from_status(StatusCode::INTERNAL_SERVER_ERROR))
}

fn visitor(req: &Request) -> Option<&Arc<Visitor>> {
    req.extensions().get::<Arc<Visitor>>()
}

/// To the login page, then back here: the original address, since a nest has already
/// stripped its prefix from `uri()`.
fn to_login(req: &Request) -> poem::Error {
    let back = req
        .original_uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/accueil");
    let target = format!("/connexion?suite={}", urlencode(back));
    poem::Error::from_response(Redirect::see_other(target).into_response())
}

pub(super) async fn signed_in<E: Endpoint>(next: E, req: Request) -> poem::Result<Response> {
    if visitor(&req).is_some_and(|v| v.signed_in.is_some()) {
        next.call(req).await.map(IntoResponse::into_response)
    } else {
        Err(to_login(&req))
    }
}

fn service_check(req: &mut Request, service: Service) -> poem::Result<()> {
    let store = &app(req)?.store;
    let school = crate::school::kept(store).map_err(AppError::from)?;
    if !school.as_ref().as_ref().is_some_and(|s| s.enabled(service)) {
        return Err(AppError::NotFound.into());
    }
    if let Some(narrowed) = within_service(req, store, service)? {
        req.extensions_mut().insert(narrowed);
    }
    Ok(())
}

/// The visitor as the service sees them, when their classes chose who uses it: only the
/// classes and children that opened it to them (`policy::openings`), so that every page
/// and form of the service reasons on those alone. `None` while no class has chosen.
/// Refused when every class of theirs keeps it closed to them.
fn within_service(
    req: &Request,
    store: &crate::store::Store,
    service: Service,
) -> poem::Result<Option<Arc<Visitor>>> {
    let Some(v) = visitor(req) else {
        return Ok(None);
    };
    let Some(me) = &v.signed_in else {
        return Ok(None);
    };
    if !service.per_class() {
        return Ok(None);
    }
    if v.closed_services.contains(&service) {
        return Err(AppError::Closed.into());
    }
    let people = crate::directory::people::People::load(store).map_err(AppError::from)?;
    if people.openings.is_empty() {
        return Ok(None);
    }
    let within = people.within(&me.actor, service);
    if within.shut_out {
        return Err(AppError::Closed.into());
    }
    let mut narrowed = Visitor::clone(v);
    if let Some(me) = narrowed.signed_in.as_mut() {
        me.actor = within.actor;
    }
    Ok(Some(Arc::new(narrowed)))
}

fn director_check(req: &Request) -> poem::Result<()> {
    let Some(me) = visitor(req).and_then(|v| v.signed_in.as_ref()) else {
        return Err(to_login(req));
    };
    if !may(&me.actor, Action::OpenConsole) {
        return Err(AppError::Forbidden.into());
    }
    Ok(())
}

fn setup_open_check(req: &Request) -> poem::Result<()> {
    if app(req)?.is_installed() {
        return Err(AppError::NotFound.into());
    }
    Ok(())
}

/// Before installation, every page leads to the wizard.
fn installed_check(req: &Request) -> poem::Result<Option<Response>> {
    if app(req)?.is_installed() {
        return Ok(None);
    }
    Ok(Some(Redirect::see_other("/setup").into_response()))
}
