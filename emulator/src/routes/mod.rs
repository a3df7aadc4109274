//! FAPI routes (`/v1/…`, `/.well-known/…`): the axum routes ([`fn@router`]), the
//! checks they share (`serve`) and the caller's context ([`Ctx`]); the handlers
//! by area; the hosted pages.

pub use router::router;

pub mod client;
pub mod dev_browser;
pub mod environment;
pub mod handshake;
pub mod hosted;
pub mod jwks;
pub mod me;
pub mod oauth;
pub mod router;
pub mod session_verify;
pub mod sessions;
pub mod sign_ins;
pub mod sign_ups;

use serde_json::{json, Value};

use crate::config::InstanceType;
use crate::errors::ApiError;
use crate::http::{Reply, Req, RouteResult};
use crate::models;
use crate::state::{App, Store};

/// API versions FAPI knows (`__clerk_api_version`). 2026-08-20 is what clerk-js
/// 6.40.0 sends; 2026-05-12 is the OpenAPI document's version.
pub const KNOWN_API_VERSIONS: &[&str] = &[
    "2021-02-05",
    "2024-10-01",
    "2025-04-10",
    "2025-11-10",
    "2026-05-12",
    "2026-08-20",
];

/// Per-request context: who is calling and what must be sent back besides the body.
pub struct Ctx<'a> {
    /// Shared state.
    pub app: &'a App,
    /// The request.
    pub req: &'a Req,
    /// Development: the caller's dev browser id.
    pub dev_browser: Option<String>,
    /// The caller's client, if it has one.
    pub client_id: Option<String>,
    /// Production: a client was created during this request (set the `__client` cookie).
    pub new_client: bool,
    /// Production: the client was destroyed (clear the cookies).
    pub client_destroyed: bool,
}

impl<'a> Ctx<'a> {
    /// `Origin` of the request (becomes the tokens' `azp`).
    pub fn origin(&self) -> Option<&'a str> {
        self.req.origin()
    }

    /// The caller's client id, creating (and linking) a client when there is none.
    pub fn ensure_client(&mut self, store: &mut Store) -> String {
        if let Some(id) = self
            .client_id
            .as_ref()
            .filter(|id| store.clients.contains_key(*id))
        {
            return id.clone();
        }
        let id = store.new_client();
        if let Some(dvb) = self
            .dev_browser
            .as_ref()
            .and_then(|d| store.dev_browsers.get_mut(d))
        {
            dvb.client_id = Some(id.clone());
            dvb.updated_at = crate::state::now_ms();
        }
        self.client_id = Some(id.clone());
        self.new_client = true;
        id
    }

    /// The caller's client JSON or `null`.
    pub fn client_json(&self, store: &Store) -> Value {
        models::client_or_null(self.app, store, self.client_id.as_deref(), self.origin())
    }

    /// `{"response": response, "client": <client>}`: the piggyback envelope.
    pub fn wrap(&self, store: &Store, response: Value) -> Reply {
        Reply::json(json!({"response": response, "client": self.client_json(store)}))
    }
}

/// Checks `__clerk_api_version` / `Clerk-API-Version`: known dates only, not both at once.
pub(crate) fn check_api_version(req: &Req) -> Result<(), ApiError> {
    let q = req.q("__clerk_api_version");
    let h = req.header("clerk-api-version");
    if q.is_some() && h.is_some() {
        return Err(ApiError::api_version_invalid(
            "The API version must be set either with the __clerk_api_version query parameter or the Clerk-API-Version header, not both.",
        ));
    }
    match q.or(h) {
        Some(v) if !KNOWN_API_VERSIONS.contains(&v) => {
            Err(ApiError::api_version_invalid(&format!(
                "{v} is not a valid API version. Valid versions are: {}.",
                KNOWN_API_VERSIONS.join(", ")
            )))
        }
        _ => Ok(()),
    }
}

/// Rejects non-form bodies: FAPI is "a Form Based API".
fn check_body(req: &Req) -> Result<(), ApiError> {
    if req.body.is_empty() {
        return Ok(());
    }
    let ct = req
        .header("content-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    if ct.starts_with("application/json") || ct.starts_with("text/json") || ct.ends_with("+json") {
        return Err(ApiError::request_body_invalid());
    }
    Ok(())
}

/// Who is calling: the dev browser (development) or the `__client` cookie (production).
fn identify(
    app: &App,
    store: &Store,
    req: &Req,
) -> Result<(Option<String>, Option<String>), ApiError> {
    match app.instance.kind {
        InstanceType::Development => {
            // `__dev_session` is the legacy name the OpenAPI security scheme still uses.
            let id = req
                .q("__clerk_db_jwt")
                .or_else(|| req.q("__dev_session"))
                .filter(|v| !v.is_empty())
                .ok_or_else(ApiError::dev_browser_unauthenticated)?;
            let dvb = store
                .dev_browsers
                .get(id)
                .or_else(|| {
                    dev_browser::resolve_token(id).and_then(|real| store.dev_browsers.get(&real))
                })
                .ok_or_else(ApiError::dev_browser_unauthenticated)?;
            let client = dvb
                .client_id
                .clone()
                .filter(|c| store.clients.contains_key(c));
            Ok((Some(dvb.id.clone()), client))
        }
        InstanceType::Production => {
            let token = req.cookie("__client");
            let client = token.and_then(|t| {
                store
                    .clients
                    .values()
                    .find(|c| c.cookie_token == t)
                    .map(|c| c.id.clone())
            });
            Ok((None, client))
        }
    }
}

/// The checks every `/v1` route shares, around `route`: the API version, a form
/// body, the store locked with expired sessions ended, the caller identified;
/// then `route` with the caller's [`Ctx`], and the production cookies on its
/// reply. Errors become replies. ([`router::Fapi`] runs the routes through it.)
pub(crate) fn serve(
    app: &App,
    req: &Req,
    route: impl FnOnce(&mut Ctx<'_>, &mut Store) -> RouteResult,
) -> Reply {
    let checked = || -> RouteResult {
        check_api_version(req)?;
        check_body(req)?;
        let mut store = app.store();
        store.enforce_expiry(crate::state::now_ms());
        let (dev_browser, client_id) = identify(app, &store, req)?;
        let mut ctx = Ctx {
            app,
            req,
            dev_browser,
            client_id,
            new_client: false,
            client_destroyed: false,
        };
        let s = &mut *store;
        let mut reply = route(&mut ctx, s)?;
        if app.instance.kind == InstanceType::Production {
            add_production_cookies(&ctx, s, &mut reply);
        }
        Ok(reply)
    };
    checked().unwrap_or_else(Reply::from)
}

/// Production identity: the HttpOnly `__client` cookie (set when a client is
/// created, cleared when it is destroyed) and `__client_uat` (seconds of the
/// client's last change while signed in, else 0) on every mutating request.
/// `Secure` only when the emulator is served over https, since browsers drop
/// Secure cookies set over plain http (except on localhost).
fn add_production_cookies(ctx: &Ctx<'_>, store: &Store, reply: &mut Reply) {
    let secure = if ctx.app.instance.proxy_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    if ctx.client_destroyed {
        reply.headers.push((
            "set-cookie".into(),
            format!("__client=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
        ));
        reply.headers.push((
            "set-cookie".into(),
            format!("__client_uat=0; Path=/; SameSite=Lax; Max-Age=31536000{secure}"),
        ));
        return;
    }
    let Some(client) = ctx.client_id.as_ref().and_then(|id| store.clients.get(id)) else {
        return;
    };
    if ctx.new_client {
        reply.headers.push((
            "set-cookie".into(),
            format!(
                "__client={}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000{secure}",
                client.cookie_token
            ),
        ));
    }
    if ctx.req.method != "GET" {
        let uat = if store.signed_in_sessions(&client.id).is_empty() {
            0
        } else {
            client.updated_at / 1000
        };
        reply.headers.push((
            "set-cookie".into(),
            format!("__client_uat={uat}; Path=/; SameSite=Lax; Max-Age=31536000{secure}"),
        ));
    }
}
