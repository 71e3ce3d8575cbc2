//! The machinery of the one route table (`crate::routes`): a tree where every route
//! declares who may use it ([`Access`]) and every nest the gates that guard all it holds.
//!
//! The same tree becomes the poem endpoint ([`Routes::into_route`]) and the table that
//! tests and the authorization matrix read ([`Routes::table`]), so what is declared is what
//! is served.

mod access;
pub mod gates;

use std::collections::BTreeMap;

use poem::endpoint::BoxEndpoint;
use poem::http::Method;
use poem::{EndpointExt, IntoEndpoint, Response, Route, RouteMethod};

pub use access::{Access, Object};
pub use gates::Gate;

use crate::school::Service;

type Handler = BoxEndpoint<'static, Response>;

/// One route as the table shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: Method,
    /// The full path, in poem's syntax (`/carnet/:id/signer`).
    pub path: String,
    /// The gates of the nests it sits in, outermost first.
    pub gates: Vec<Gate>,
    pub access: Access,
}

impl RouteInfo {
    /// The service whose switch guards the route, if any.
    pub fn service(&self) -> Option<Service> {
        self.gates.iter().find_map(|g| match g {
            Gate::Service(s) => Some(*s),
            _ => None,
        })
    }
}

/// A tree of routes under construction.
#[derive(Default)]
pub struct Routes {
    /// Path → its methods, each with its rule and handler, in declaration order.
    paths: BTreeMap<String, Vec<(Method, Access, Handler)>>,
    nests: Vec<(String, Vec<Gate>, Routes)>,
    /// A feature's console pages, mounted under `/admin` by the route table.
    console: Vec<(String, Routes)>,
}

impl Routes {
    pub fn new() -> Routes {
        Routes::default()
    }

    /// A `GET` route (answering `HEAD` too) with its rule.
    pub fn get(
        self,
        path: &str,
        ep: impl IntoEndpoint<Endpoint: 'static>,
        access: Access,
    ) -> Routes {
        self.method(Method::GET, path, ep, access)
    }

    /// A `POST` route with its rule.
    pub fn post(
        self,
        path: &str,
        ep: impl IntoEndpoint<Endpoint: 'static>,
        access: Access,
    ) -> Routes {
        self.method(Method::POST, path, ep, access)
    }

    fn method(
        mut self,
        method: Method,
        path: &str,
        ep: impl IntoEndpoint<Endpoint: 'static>,
        access: Access,
    ) -> Routes {
        // The sign-in gate goes around the boxed handler: put around each handler's own
        // type, it was compiled once per handler (a megabyte more of binary for no
        // instruction less).
        let handler = ep.into_endpoint().map_to_response().boxed();
        let handler = if access.needs_sign_in() {
            handler.around(gates::signed_in).map_to_response().boxed()
        } else {
            handler
        };
        self.paths
            .entry(path.to_string())
            .or_default()
            .push((method, access, handler));
        self
    }

    /// Routes under `path` with no gate of their own.
    pub fn nest(self, path: &str, inner: Routes) -> Routes {
        self.gated(path, &[], inner)
    }

    /// Routes under `path`, every one of them behind `gates` (outermost first). An empty
    /// `path` makes a group: its routes sit at this level, each behind the gates.
    pub fn gated(mut self, path: &str, gates: &[Gate], inner: Routes) -> Routes {
        self.nests.push((path.to_string(), gates.to_vec(), inner));
        self
    }

    /// Routes at this level as well (a feature with several top-level paths).
    pub fn merge(mut self, other: Routes) -> Routes {
        for (path, methods) in other.paths {
            self.paths.entry(path).or_default().extend(methods);
        }
        self.nests.extend(other.nests);
        self.console.extend(other.console);
        self
    }

    /// The feature's console pages, mounted under `/admin/<path>` by the route table.
    pub fn console(mut self, path: &str, inner: Routes) -> Routes {
        self.console.push((path.to_string(), inner));
        self
    }

    /// Takes the console pages of this tree and of every nest in it.
    pub fn take_console(&mut self) -> Vec<(String, Routes)> {
        let mut out = std::mem::take(&mut self.console);
        for (_, _, inner) in &mut self.nests {
            out.extend(inner.take_console());
        }
        out
    }

    /// The table of every route: method, full path, gates, rule.
    pub fn table(&self) -> Vec<RouteInfo> {
        let mut out = Vec::new();
        self.collect("", &[], &mut out);
        out
    }

    fn collect(&self, prefix: &str, gates: &[Gate], out: &mut Vec<RouteInfo>) {
        for (path, methods) in &self.paths {
            for (method, access, _) in methods {
                out.push(RouteInfo {
                    method: method.clone(),
                    path: join(prefix, path),
                    gates: gates.to_vec(),
                    access: *access,
                });
            }
        }
        for (path, nest_gates, inner) in &self.nests {
            let mut all = gates.to_vec();
            all.extend_from_slice(nest_gates);
            // A group (empty path) sits at this level.
            let inner_prefix = if path.is_empty() {
                prefix.to_string()
            } else {
                join(prefix, path)
            };
            inner.collect(&inner_prefix, &all, out);
        }
    }

    /// The poem route: each method behind the signed-in gate when its rule asks for it
    /// (put on by `method`), each nest behind its gates.
    pub fn into_route(self) -> Route {
        self.build(Route::new(), &[])
    }

    /// Adds this tree to `route`, every endpoint of it behind `outer` (a group's gates).
    fn build(self, mut route: Route, outer: &[Gate]) -> Route {
        for (path, methods) in self.paths {
            let mut endpoint = RouteMethod::new();
            for (method, _, handler) in methods {
                endpoint = endpoint.method(method, handler);
            }
            // poem boxes what it is given: boxed here only when gates go around it.
            route = if outer.is_empty() {
                route.at(path, endpoint)
            } else {
                route.at(path, gates::wrap(outer, endpoint.boxed()))
            };
        }
        for (path, nest_gates, inner) in self.nests {
            let mut all = outer.to_vec();
            all.extend(nest_gates);
            if path.is_empty() {
                route = inner.build(route, &all);
            } else {
                let inner = inner.build(Route::new(), &[]);
                route = if all.is_empty() {
                    route.nest(path, inner)
                } else {
                    route.nest(path, gates::wrap(&all, inner.map_to_response().boxed()))
                };
            }
        }
        route
    }
}

fn join(prefix: &str, path: &str) -> String {
    let joined = format!("{prefix}{}", if path == "/" { "" } else { path });
    if joined.is_empty() {
        "/".into()
    } else {
        joined
    }
}
