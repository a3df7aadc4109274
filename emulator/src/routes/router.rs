//! The FAPI routes as axum routes ([`router`]) and the axum handlers they go
//! through: [`Fapi`] (the checks every `/v1` route shares, see `routes::serve`)
//! and [`Public`] (nothing checked), with a route's [`Params`] read from its path.

use std::borrow::Cow;
use std::future::{ready, Ready};
use std::sync::Arc;

use axum::extract::Request;
use axum::handler::Handler;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, MethodFilter, MethodRouter};
use axum::Router;
use serde_json::json;

use super::{
    check_api_version, client, dev_browser, environment, handshake, jwks, me, oauth, serve,
    session_verify, sessions, sign_ins, sign_ups, Ctx,
};
use crate::errors::ApiError;
use crate::http::{Reply, Req, RouteResult};
use crate::state::{App, Store};

/// The FAPI routes as axum routes: `/v1/…` and `/.well-known/jwks.json`, matched on
/// the effective method and the path as FAPI reads it ([`route_path`]).
///
/// Every `/v1` path answers every method: a path or method that is no route
/// answers 404 `resource_not_found` after [`Fapi`]'s checks (API version, body,
/// dev browser first). Any other path is left to the router's fallback
/// (`server::other`).
pub fn router() -> Router {
    let public = Router::new()
        .route(
            "/.well-known/jwks.json",
            any(NOT_FOUND)
                .head(NOT_FOUND)
                .get(Public(|app, _| Ok(jwks::get(app)))),
        )
        .route(
            "/v1/dev_browser",
            v1().post(Public(|app, req| {
                check_api_version(req)?;
                dev_browser::create(app, req)
            })),
        )
        .route(
            "/v1/health",
            v1().get(Public(|_, _| Ok(Reply::json(json!({"status": "healthy"}))))),
        )
        // The provider sends the browser here: no dev browser, no API version.
        .route(
            "/v1/oauth_callback",
            v1().on(
                GET.or(POST),
                Public(|app, req| Ok(oauth::callback(app, req))),
            ),
        )
        .route("/v1", v1())
        .route("/v1/{*rest}", v1());
    ROUTES.iter().fold(public, |router, &(path, methods)| {
        let methods = methods.iter().fold(v1(), |mr, &(filter, route)| {
            mr.on(filter, Fapi { route, path })
        });
        router.route(path, methods)
    })
}

/// A FAPI route: the methods of a path and what each does once [`Fapi`]'s checks
/// passed, with the caller's context, the store and the path's parameters.
type Routes = &'static [(MethodFilter, Route)];

/// What a FAPI route does once [`Fapi`]'s checks passed.
pub type Route = fn(&mut Ctx<'_>, &mut Store, &Params<'_>) -> RouteResult;

const GET: MethodFilter = MethodFilter::GET;
const POST: MethodFilter = MethodFilter::POST;
const PUT: MethodFilter = MethodFilter::PUT;
const PATCH: MethodFilter = MethodFilter::PATCH;
const DELETE: MethodFilter = MethodFilter::DELETE;

/// The routes behind [`Fapi`]'s checks: (path, methods). A `{name}` segment
/// matches one segment, `{*name}` the rest ([`Params`]).
// One line per method: the table reads as the list of FAPI endpoints.
#[rustfmt::skip]
pub const ROUTES: &[(&str, Routes)] = &[
    ("/v1/environment", &[
        (GET, |c, s, _| Ok(environment::get(c, s))),
        (PATCH, |c, s, _| Ok(environment::get(c, s))),
    ]),
    ("/v1/client", &[
        (GET, |c, s, _| Ok(client::get(c, s))),
        (PUT.or(POST), |c, s, _| Ok(client::create(c, s))),
        (DELETE, |c, s, _| client::destroy(c, s)),
    ]),
    ("/v1/client/sign_ins", &[(POST, |c, s, _| sign_ins::create(c, s))]),
    ("/v1/client/sign_ins/{id}", &[(GET, |c, s, p| sign_ins::get(c, s, p.get("id")))]),
    ("/v1/client/sign_ins/{id}/prepare_first_factor", &[
        (POST, |c, s, p| sign_ins::prepare_first_factor(c, s, p.get("id"))),
    ]),
    ("/v1/client/sign_ins/{id}/attempt_first_factor", &[
        (POST, |c, s, p| sign_ins::attempt_first_factor(c, s, p.get("id"))),
    ]),
    ("/v1/client/sign_ins/{id}/prepare_second_factor", &[
        (POST, |c, s, p| sign_ins::prepare_second_factor(c, s, p.get("id"))),
    ]),
    ("/v1/client/sign_ins/{id}/attempt_second_factor", &[
        (POST, |c, s, p| sign_ins::attempt_second_factor(c, s, p.get("id"))),
    ]),
    ("/v1/client/sign_ins/{id}/reset_password", &[
        (POST, |c, s, p| sign_ins::reset_password(c, s, p.get("id"))),
    ]),
    ("/v1/client/sign_ups", &[(POST, |c, s, _| sign_ups::create(c, s))]),
    ("/v1/client/sign_ups/{id}", &[
        (GET, |c, s, p| sign_ups::get(c, s, p.get("id"))),
        (PATCH, |c, s, p| sign_ups::update(c, s, p.get("id"))),
    ]),
    ("/v1/client/sign_ups/{id}/prepare_verification", &[
        (POST, |c, s, p| sign_ups::prepare_verification(c, s, p.get("id"))),
    ]),
    ("/v1/client/sign_ups/{id}/attempt_verification", &[
        (POST, |c, s, p| sign_ups::attempt_verification(c, s, p.get("id"))),
    ]),
    ("/v1/client/sessions", &[(DELETE, |c, s, _| sessions::remove_all(c, s))]),
    ("/v1/client/sessions/{id}", &[(GET, |c, s, p| sessions::get(c, s, p.get("id")))]),
    ("/v1/client/sessions/{id}/touch", &[(POST, |c, s, p| sessions::touch(c, s, p.get("id")))]),
    ("/v1/client/sessions/{id}/end", &[(POST, |c, s, p| sessions::end(c, s, p.get("id")))]),
    ("/v1/client/sessions/{id}/remove", &[(POST, |c, s, p| sessions::remove(c, s, p.get("id")))]),
    ("/v1/client/sessions/{id}/tokens", &[
        (POST, |c, s, p| sessions::token(c, s, p.get("id"), None)),
    ]),
    ("/v1/client/sessions/{id}/tokens/{template}", &[
        (POST, |c, s, p| sessions::token(c, s, p.get("id"), Some(p.get("template")))),
    ]),
    // `session_verify` routes the steps itself (none: the reverification itself).
    ("/v1/client/sessions/{id}/verify", &[
        (POST, |c, s, p| session_verify::route(c, s, p.get("id"), &[])),
    ]),
    ("/v1/client/sessions/{id}/verify/{*step}", &[
        (POST, |c, s, p| session_verify::route(c, s, p.get("id"), &p.rest("step"))),
    ]),
    ("/v1/me", &[(GET, |c, s, _| me::get(c, s))]),
    ("/v1/client/handshake", &[(GET, |c, s, _| handshake::handshake(c, s))]),
];

/// The methods of a `/v1` path before its routes are added: anything but them is
/// unknown (404 after [`Fapi`]'s checks). `any` also keeps axum from adding the
/// `Allow` header FAPI does not send; `HEAD` is set explicitly because axum would
/// answer it with the `GET` route.
fn v1() -> MethodRouter {
    any(UNKNOWN).head(UNKNOWN)
}

/// A `/v1` path or method that is no route: 404 after the checks.
const UNKNOWN: Fapi = Fapi {
    route: |_, _, _| Err(ApiError::resource_not_found("Resource")),
    path: "",
};

/// Any other method on a public path: 404 without checks.
const NOT_FOUND: Public = Public(|_, _| Err(ApiError::resource_not_found("Resource")));

/// The path FAPI routes on: FAPI paths without trailing slashes (`/v1/client/` is
/// `/v1/client`, as the emulator has always read it); any other path as it is.
pub fn route_path(path: &str) -> Cow<'_, str> {
    let fapi = path.starts_with("/v1/") || path.starts_with("/.well-known/");
    if fapi && path.ends_with('/') {
        Cow::Owned(format!("/{}", path.trim_matches('/')))
    } else {
        Cow::Borrowed(path)
    }
}

/// A route's parameters as they are in the path, not percent-decoded (the ids
/// the handlers look up never need decoding, and an undecodable one is simply
/// not found): `{id}` by name, `{*step}` as the segments from there on.
pub struct Params<'r> {
    /// The matched route (`/v1/client/sign_ins/{id}`).
    template: &'static str,
    /// The path it matched ([`route_path`]).
    path: &'r str,
}

impl<'r> Params<'r> {
    /// Where `{name}` (or `{*name}`) is in the route, and the path's segments.
    fn find(&self, name: &str) -> Option<(usize, std::str::Split<'r, char>)> {
        let at = self.template.split('/').position(|seg| {
            seg.strip_prefix('{')
                .and_then(|s| s.strip_suffix('}'))
                .is_some_and(|s| s.trim_start_matches('*') == name)
        })?;
        Some((at, self.path.split('/')))
    }

    /// The segment matched by `{name}` (empty when the route has none).
    pub fn get(&self, name: &str) -> &'r str {
        self.find(name)
            .and_then(|(at, mut segs)| segs.nth(at))
            .unwrap_or("")
    }

    /// The segments matched by `{*name}` (none when the route has none).
    pub fn rest(&self, name: &str) -> Vec<&'r str> {
        self.find(name)
            .map(|(at, segs)| segs.skip(at).collect())
            .unwrap_or_default()
    }
}

/// A FAPI route's axum handler: the checks every `/v1` route shares (API version,
/// form body, the store locked and expired, the caller identified), then the
/// route with the caller's [`Ctx`], then the production cookies on its reply.
#[derive(Clone, Copy)]
pub struct Fapi {
    /// What the route does.
    route: Route,
    /// Its path, whose `{…}` names the route's [`Params`] are read by.
    path: &'static str,
}

impl Handler<(), ()> for Fapi {
    type Future = Ready<Response>;

    fn call(self, request: Request, (): ()) -> Self::Future {
        let reply = match parsed(&request) {
            Some((app, req)) => {
                let params = Params {
                    template: self.path,
                    path: request.uri().path(),
                };
                serve(app, req, |ctx, store| (self.route)(ctx, store, &params))
            }
            None => unparsed(),
        };
        ready(reply.into_response())
    }
}

/// An axum handler for what needs no identity (the public FAPI routes; the
/// router's fallback: the pages, the control API, BAPI): the app and the [`Req`],
/// nothing checked.
#[derive(Clone, Copy)]
pub struct Public(pub fn(&App, &Req) -> RouteResult);

impl Handler<(), ()> for Public {
    type Future = Ready<Response>;

    fn call(self, request: Request, (): ()) -> Self::Future {
        let reply = match parsed(&request) {
            Some((app, req)) => (self.0)(app, req).unwrap_or_else(Reply::from),
            None => unparsed(),
        };
        ready(reply.into_response())
    }
}

/// The app and the parsed request a routed request carries (`server::routed`).
fn parsed(request: &Request) -> Option<(&App, &Req)> {
    let app = request.extensions().get::<Arc<App>>()?;
    let req = request.extensions().get::<Arc<Req>>()?;
    Some((app, req))
}

/// A request that did not come through the body layer (`server::routed`): a bug.
fn unparsed() -> Reply {
    ApiError::for_status(500).into()
}
