//! A Backend API (BAPI) subset under `/bapi/v1/…`, authenticated with the
//! instance's secret key (`Authorization: Bearer sk_test_…`).
//!
//! Clerk's real Backend API lives at `https://api.clerk.com/v1` (`CLERK_API_URL` is
//! `https://api.clerk.com`, the SDKs append `/v1`); here the API URL is
//! `{emulator}/bapi`. Bodies follow Clerk's BAPI OpenAPI document (2026-05-12):
//! `User`, `Session`, `Organization`, `JWKS`, and `ClerkErrors` for failures.

use serde_json::{json, Value};

use crate::errors::ApiError;
use crate::http::{Reply, Req, RouteResult};
use crate::models::{organization_json, user_json, CHOOSE_ORGANIZATION_TASK};
use crate::state::{App, Session, SessionStatus, Store, User};

/// Path prefix of the Backend API on the emulator (the `CLERK_API_URL` path).
pub const BASE_PATH: &str = "/bapi";

/// Whether `path` is a Backend API path.
pub fn is_bapi(path: &str) -> bool {
    path == BASE_PATH || path.starts_with("/bapi/")
}

/// Largest `limit` of list endpoints (the document's `LimitParameter`).
const MAX_LIMIT: usize = 500;
/// Default `limit`.
const DEFAULT_LIMIT: usize = 10;

/// 401 for a request without a usable `Authorization: Bearer` header. The code
/// is NOT confirmed from Clerk sources (the document only names the response
/// `AuthenticationInvalid`).
fn authentication_missing() -> ApiError {
    ApiError::new(
        401,
        "authentication_invalid",
        "Invalid authentication",
        "Unable to authenticate the request, you need to supply an active API key.",
    )
}

/// 401 `clerk_key_invalid` for a wrong secret key: code and message as real BAPI
/// sends them (`@clerk/backend` `TokenVerificationErrorCode.InvalidSecretKey`).
fn clerk_key_invalid() -> ApiError {
    ApiError::new(
        401,
        "clerk_key_invalid",
        "The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.",
        "The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.",
    )
}

fn check_secret_key(app: &App, req: &Req) -> Result<(), ApiError> {
    let given = req
        .header("authorization")
        .and_then(|h| {
            let (scheme, rest) = h.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then_some(rest.trim())
        })
        .filter(|k| !k.is_empty())
        .ok_or_else(authentication_missing)?;
    if app.instance.secret_key.matches(given) {
        Ok(())
    } else {
        Err(clerk_key_invalid())
    }
}

/// `User` as the Backend API returns it (no memberships unless asked; the
/// BAPI-only properties added).
pub fn bapi_user_json(store: &Store, user: &User) -> Value {
    let mut v = user_json(store, user);
    if let Value::Object(m) = &mut v {
        // FAPI embeds memberships; BAPI's `User` carries its own membership shape only on request.
        m.remove("organization_memberships");
        m.insert("private_metadata".into(), json!({}));
        m.insert("locale".into(), Value::Null);
        m.insert("password_last_updated_at".into(), Value::Null);
        m.insert("create_organizations_limit".into(), Value::Null);
        m.insert("bypass_client_trust".into(), json!(false));
    }
    v
}

/// `Session` as the Backend API returns it.
pub fn bapi_session_json(s: &Session) -> Value {
    json!({
        "object": "session",
        "id": s.id,
        "user_id": s.user_id,
        "client_id": s.client_id,
        "actor": null,
        "status": s.status.as_str(),
        "last_active_organization_id": s.active_org_id,
        "last_active_at": s.last_active_at,
        "latest_activity": null,
        "expire_at": s.expire_at,
        "abandon_at": s.abandon_at,
        "updated_at": s.updated_at,
        "created_at": s.created_at,
        "tasks": if s.status == SessionStatus::Pending {
            json!([{"key": CHOOSE_ORGANIZATION_TASK}])
        } else {
            Value::Null
        },
    })
}

/// Parses a non-negative integer query parameter within `max`; 422 like
/// BAPI's parameter validation otherwise.
fn int_param(
    req: &Req,
    name: &str,
    default: usize,
    min: usize,
    max: usize,
) -> Result<usize, ApiError> {
    match req.q(name) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| {
                ApiError::form_param_format_invalid(
                    name,
                    &format!("{name} must be an integer between {min} and {max}."),
                )
            }),
    }
}

/// Every value of a repeated query parameter (`user_id=a&user_id=b`; `user_id[]` too).
fn multi<'a>(req: &'a Req, name: &str) -> Vec<&'a str> {
    let bracketed = format!("{name}[]");
    req.query
        .iter()
        .filter(|(k, _)| k == name || *k == bracketed)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// `GET /v1/users`: `limit`, `offset`, `user_id`, `email_address`, `username`,
/// `order_by` (`±created_at`, `±updated_at`, `±last_sign_in_at`; default `-created_at`).
fn list_users(store: &Store, req: &Req) -> RouteResult {
    let limit = int_param(req, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)?;
    let offset = int_param(req, "offset", 0, 0, usize::MAX)?;
    let ids = multi(req, "user_id");
    let emails: Vec<String> = multi(req, "email_address")
        .iter()
        .map(|e| e.trim().to_lowercase())
        .collect();
    let usernames = multi(req, "username");
    let mut users: Vec<&User> = store
        .users
        .iter()
        .filter(|u| ids.is_empty() || ids.contains(&u.id.as_str()))
        .filter(|u| emails.is_empty() || emails.contains(&u.email.to_lowercase()))
        .filter(|u| {
            usernames.is_empty()
                || u.username
                    .as_deref()
                    .is_some_and(|n| usernames.contains(&n))
        })
        .collect();
    let order = req.q("order_by").unwrap_or("-created_at");
    let (desc, field) = match order.strip_prefix('-') {
        Some(f) => (true, f),
        None => (false, order.strip_prefix('+').unwrap_or(order)),
    };
    let key = |u: &User| -> i64 {
        match field {
            "updated_at" => u.updated_at,
            "last_sign_in_at" => u.last_sign_in_at.unwrap_or(0),
            _ => u.created_at,
        }
    };
    // Stable sort: users created in the same millisecond keep insertion order.
    users.sort_by_key(|u| key(u));
    if desc {
        users.reverse();
    }
    let page: Vec<Value> = users
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|u| bapi_user_json(store, u))
        .collect();
    Ok(Reply::json(Value::Array(page)))
}

/// Routes `/bapi/…`.
pub fn handle(app: &App, req: &Req) -> Reply {
    match route(app, req) {
        Ok(r) => r,
        Err(e) => e.into(),
    }
}

fn route(app: &App, req: &Req) -> RouteResult {
    let rest = req.path.strip_prefix(BASE_PATH).unwrap_or("");
    let segs: Vec<&str> = rest.trim_matches('/').split('/').collect();
    if segs.first() != Some(&"v1") {
        return Err(ApiError::resource_not_found("Resource"));
    }
    check_secret_key(app, req)?;
    let mut store = app.store();
    store.enforce_expiry(crate::state::now_ms());
    // BAPI is JSON over real methods: the wire method, never `_method`.
    match (req.wire_method.as_str(), &segs[1..]) {
        ("GET", ["jwks"]) => Ok(Reply::json(app.keys.jwks())),
        ("GET", ["clients", "handshake_payload"]) => {
            crate::routes::handshake::payload(&mut store, req.q("nonce"))
        }
        ("GET", ["users"]) => list_users(&store, req),
        ("GET", ["users", id]) => store
            .user(id)
            .map(|u| Reply::json(bapi_user_json(&store, u)))
            .ok_or_else(|| ApiError::resource_not_found("User")),
        ("GET", ["sessions", id]) => store
            .sessions
            .get(*id)
            .map(|s| Reply::json(bapi_session_json(s)))
            .ok_or_else(|| ApiError::resource_not_found("Session")),
        ("POST", ["sessions", id, "revoke"]) => {
            let status = store
                .sessions
                .get(*id)
                .map(|s| s.status)
                .ok_or_else(|| ApiError::resource_not_found("Session"))?;
            // Only a signed-in session changes; revoking an ended one returns it as it is.
            if status.is_signed_in() {
                store.set_session_status(id, SessionStatus::Revoked);
            }
            store
                .sessions
                .get(*id)
                .map(|s| Reply::json(bapi_session_json(s)))
                .ok_or_else(|| ApiError::resource_not_found("Session"))
        }
        ("GET", ["organizations", id_or_slug]) => {
            let org_id = store
                .orgs
                .iter()
                .find(|o| o.id == *id_or_slug || o.slug == *id_or_slug)
                .map(|o| o.id.clone())
                .ok_or_else(|| ApiError::resource_not_found("Organization"))?;
            let mut v = organization_json(&store, &org_id);
            let with_count = req
                .q("include_members_count")
                .is_some_and(|b| b.eq_ignore_ascii_case("true"));
            if let Value::Object(m) = &mut v {
                m.insert("private_metadata".into(), json!({}));
                if !with_count {
                    m.remove("members_count");
                }
            }
            Ok(Reply::json(v))
        }
        _ => Err(ApiError::resource_not_found("Resource")),
    }
}
