//! The one route table. Every route of Préau is declared here or in its feature's
//! `routes()`, with who may use it ([`Access`]); every nest carries its gates: the setup
//! gate on `/setup`, the installed gate on the school, a service's switch on its nest, the
//! director's gate on `/admin`. A handler cannot forget them, and the authorization matrix
//! (`tests/it/matrix.rs`) reads [`table`], the same tree.
//!
//! A request flows: security headers → (`/healthz` and `/static/*` straight to their
//! handler) → session & CSRF → error pages → gates of the nests → signed-in gate of the
//! route → handler (extract → authorize → call → respond).

use poem::endpoint::BoxEndpoint;
use poem::web::{Data, Json, Redirect};
use poem::{get, handler, Endpoint, EndpointExt, Request, Response, Route};

use crate::app::App;
use crate::routing::{Access, Gate, RouteInfo, Routes};
use crate::school::Service;

/// The school's site: every page, form and download, with the console's pages under
/// `/admin`.
pub fn tree() -> Routes {
    use Access::*;
    let school = Table::default()
        .merge(crate::auth::routes::routes())
        .merge(crate::home::routes())
        .mount("/compte", &[], crate::account::routes())
        .mount("/compte/mes-donnees", &[], crate::account::export::routes())
        .mount(
            "/compte/notifications-push",
            &[],
            crate::push::routes::routes(),
        )
        .mount("/activation", &[], crate::activation::routes())
        .merge(crate::classroom::routes())
        .mount("/tableau", &[], crate::board::routes())
        .merge(crate::charter::routes())
        .merge(crate::accessibility::routes())
        .merge(crate::help::routes())
        .merge(crate::stats::routes())
        .merge(crate::search::routes::routes())
        .merge(crate::archive::routes())
        .mount("/notifications", &[], crate::notify::routes::routes())
        .service(
            "/messagerie",
            Service::Messagerie,
            crate::messaging::routes::routes(),
        )
        .service("/carnet", Service::Carnet, crate::liaison::routes::routes())
        .service(
            "/mediatheque",
            Service::Mediatheque,
            crate::media::routes::routes(),
        )
        .service("/actualites", Service::Actualites, crate::news::routes())
        .service("/agenda", Service::Agenda, crate::agenda::routes::routes())
        .service("/blog", Service::Blog, crate::blog::routes::routes())
        .service(
            "/cahier-de-textes",
            Service::CahierDeTextes,
            crate::pedagogy::textbook::routes(),
        )
        .service(
            "/devoirs",
            Service::Devoirs,
            crate::pedagogy::homework::routes(),
        )
        .service(
            "/classeur",
            Service::Classeur,
            crate::pedagogy::lessons::routes(),
        )
        .service(
            "/exercices",
            Service::Exercices,
            crate::pedagogy::exercises::routes::routes(),
        )
        .service("", Service::Cantine, crate::canteen::routes::routes())
        .service("", Service::Absences, crate::attendance::routes::routes())
        .service("", Service::Rendezvous, crate::slots::routes::routes())
        .service("", Service::Commune, crate::commune::routes::routes())
        .service("", Service::Suivi, crate::progress::routes::routes())
        .service(
            "",
            Service::Suivi,
            crate::progress::livret::routes::routes(),
        )
        .merge(crate::directory::routes::routes())
        .merge(crate::reports::routes())
        .merge(crate::fleet::routes::routes())
        .merge(crate::net::acme::routes::routes());
    let site = school
        .site
        .gated("/admin", &[Gate::Director], school.console);
    Routes::new()
        .get("/", root, Public)
        .gated("/setup", &[Gate::SetupOpen], crate::setup::routes::routes())
        .nest("/certificat", crate::net::plain::routes())
        .gated("", &[Gate::Installed], site)
}

/// Every route: method, full path, gates, rule.
pub fn table() -> Vec<RouteInfo> {
    let mut table = tree().table();
    table.extend(light().table());
    table
}

/// What answers without the session: no store read for an asset or a health check; the
/// status for the technician's tools, by its own token; the installable app's manifest,
/// service worker and offline page, the same for everyone.
fn light() -> Routes {
    Routes::new()
        .get("/healthz", healthz, Access::Public)
        .get("/static/*path", crate::ui::assets::serve, Access::Public)
        .get(
            "/manifest.webmanifest",
            crate::pwa::manifest,
            Access::Public,
        )
        .get("/sw.js", crate::pwa::service_worker, Access::Public)
        .get(
            crate::pwa::OFFLINE_PATH,
            crate::pwa::offline_page,
            Access::Public,
        )
        .get(
            "/admin/etat",
            crate::fleet::routes::etat,
            Access::StatusToken,
        )
        .merge(crate::net::acme::routes::challenge_routes())
}

/// The features' pages, and their console pages gathered for `/admin`.
struct Table {
    site: Routes,
    console: Routes,
}

impl Default for Table {
    fn default() -> Table {
        Table {
            site: Routes::new(),
            console: crate::admin::routes(),
        }
    }
}

impl Table {
    fn mount(mut self, path: &str, gates: &[Gate], mut routes: Routes) -> Table {
        for (page, console) in routes.take_console() {
            self.console = self.console.nest(&page, console);
        }
        self.site = self.site.gated(path, gates, routes);
        self
    }

    /// A service's nest, behind its switch.
    fn service(self, path: &str, service: Service, routes: Routes) -> Table {
        self.mount(path, &[Gate::Service(service)], routes)
    }

    /// A feature whose routes sit at the top level.
    fn merge(self, routes: Routes) -> Table {
        self.mount("", &[], routes)
    }
}

/// The application endpoint (the HTTPS listener's, or the HTTP one's with `--no-tls`).
pub fn endpoint(app: App) -> impl Endpoint {
    let site = tree()
        .into_route()
        .around(crate::ui::errors::render_errors)
        .around(crate::pwa::reading::mark_offline_reading)
        .around(crate::auth::web::session_layer)
        .around(crate::net::limits::bound_bodies)
        .around(crate::net::cache::no_store)
        .map_to_response()
        .boxed();
    Split {
        light: light().into_route(),
        site,
    }
    .around(crate::ui::headers::security_headers)
    .data(app)
}

/// The plain-HTTP site beside HTTPS: the CA certificate page (to trust the school's
/// certificate before anything else), health, and a redirect to HTTPS for the rest.
pub fn plain_endpoint(app: App, https_port: u16) -> impl Endpoint {
    app.https_port
        .store(https_port, std::sync::atomic::Ordering::Release);
    use crate::net::plain::redirect;
    Route::new()
        .nest("/certificat", crate::net::plain::routes().into_route())
        .at("/healthz", get(healthz))
        // HTTP-01: the authority asks on port 80 and must not be sent to HTTPS.
        .at(
            "/.well-known/acme-challenge/:token",
            get(crate::net::acme::routes::http_challenge),
        )
        .at("/*", get(redirect).post(redirect))
        .at("/", get(redirect))
        .around(crate::ui::headers::security_headers)
        .data(app)
}

/// The light routes' paths to them, the rest to the site.
struct Split {
    light: Route,
    site: BoxEndpoint<'static, Response>,
}

impl Endpoint for Split {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Response> {
        let path = req.uri().path();
        let light = ["/healthz", "/admin/etat", "/manifest.webmanifest", "/sw.js"];
        if light.contains(&path)
            || path.starts_with("/static/")
            || path == crate::pwa::OFFLINE_PATH
            || path.starts_with("/.well-known/acme-challenge/")
        {
            self.light.call(req).await
        } else {
            self.site.call(req).await
        }
    }
}

#[handler]
pub fn healthz(Data(app): Data<&App>) -> Json<serde_json::Value> {
    let schema = app.store.schema_version().unwrap_or(0);
    Json(serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "schema_version": schema,
        "installed": app.is_installed(),
    }))
}

#[handler]
fn root(Data(app): Data<&App>) -> Redirect {
    if app.is_installed() {
        Redirect::see_other("/accueil")
    } else {
        Redirect::see_other("/setup")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_declared_once() {
        let table = table();
        let mut seen = std::collections::BTreeSet::new();
        for r in &table {
            assert!(
                r.path.starts_with('/') && !r.path.starts_with("//"),
                "{}",
                r.path
            );
            assert!(
                seen.insert((r.method.clone(), r.path.clone())),
                "{} {} is declared twice",
                r.method,
                r.path
            );
        }
        assert!(table.len() > 200, "{} routes", table.len());
    }

    #[test]
    fn the_console_is_behind_the_directors_gate_and_services_behind_their_switch() {
        let table = table();
        assert!(
            table
                .iter()
                .filter(|r| r.path.starts_with("/admin"))
                .count()
                > 50
        );
        for service in Service::ALL {
            assert!(
                table.iter().any(|r| r.service() == Some(service)),
                "{service:?}"
            );
        }
        for r in table {
            if r.path.starts_with("/admin") && r.access != Access::StatusToken {
                assert!(r.gates.contains(&Gate::Director), "{} {}", r.method, r.path);
            }
            for service in Service::ALL {
                if r.path.starts_with(service.path()) {
                    assert_eq!(r.service(), Some(service), "{} {}", r.method, r.path);
                }
            }
            if r.path.starts_with("/setup") {
                assert_eq!(r.gates, vec![Gate::SetupOpen]);
                assert_eq!(r.access, Access::SetupOnly);
            }
        }
    }

    #[test]
    fn the_tree_builds() {
        let _ = tree().into_route();
    }
}
