//! Every route the web application answers, listed as it is registered.
//!
//! Areas add routes through [`Routes`] rather than `Router::route`, so the list of
//! routes cannot drift from the router: the authorisation matrix test walks
//! [`route_table`](crate::route_table) and fails on any route it has no row for.

use axum::Router;
use axum::handler::Handler;

use crate::AppState;

/// One route: its method and path template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RouteInfo {
    /// `GET`, `POST` or `PUT`.
    pub method: &'static str,
    /// The path template, with `{name}` for each parameter.
    pub path: &'static str,
}

/// A router and the list of what it serves.
pub(crate) struct Routes {
    pub(crate) router: Router<AppState>,
    pub(crate) table: Vec<RouteInfo>,
}

impl Routes {
    pub(crate) fn new() -> Self {
        Self {
            router: Router::new(),
            table: Vec::new(),
        }
    }

    /// A page.
    pub(crate) fn get<H, T>(mut self, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, axum::routing::get(handler));
        self.table.push(RouteInfo {
            method: "GET",
            path,
        });
        self
    }

    /// A form's target.
    pub(crate) fn post<H, T>(mut self, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, axum::routing::post(handler));
        self.table.push(RouteInfo {
            method: "POST",
            path,
        });
        self
    }

    /// An API resource replaced in whole.
    pub(crate) fn put<H, T>(mut self, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, axum::routing::put(handler));
        self.table.push(RouteInfo {
            method: "PUT",
            path,
        });
        self
    }

    /// An API resource read and replaced at one path.
    pub(crate) fn get_and_put<G, TG, P, TP>(mut self, path: &'static str, get: G, put: P) -> Self
    where
        G: Handler<TG, AppState>,
        TG: 'static,
        P: Handler<TP, AppState>,
        TP: 'static,
    {
        self.router = self.router.route(path, axum::routing::get(get).put(put));
        self.table.push(RouteInfo {
            method: "GET",
            path,
        });
        self.table.push(RouteInfo {
            method: "PUT",
            path,
        });
        self
    }

    /// A page and its own form's target at one path.
    pub(crate) fn get_and_post<G, TG, P, TP>(mut self, path: &'static str, get: G, post: P) -> Self
    where
        G: Handler<TG, AppState>,
        TG: 'static,
        P: Handler<TP, AppState>,
        TP: 'static,
    {
        self.router = self.router.route(path, axum::routing::get(get).post(post));
        self.table.push(RouteInfo {
            method: "GET",
            path,
        });
        self.table.push(RouteInfo {
            method: "POST",
            path,
        });
        self
    }

    /// Adds another area's routes.
    pub(crate) fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.table.extend(other.table);
        self
    }
}
