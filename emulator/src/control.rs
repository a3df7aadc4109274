//! The control API under `/__emulator/…` (JSON in, JSON out). See docs/ARCHITECTURE.md.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::errors::ApiError;
use crate::faults::Fault;
use crate::http::{Reply, Req};
use crate::models::{organization_json, user_json};
use crate::state::{admin_permissions, member_permissions, App, SessionStatus};

pub(crate) fn err(status: u16, msg: impl Into<String>) -> Reply {
    let mut r = Reply::json(json!({"error": msg.into()}));
    r.status = status;
    r
}

pub(crate) fn parse<T: for<'de> Deserialize<'de>>(req: &Req) -> Result<T, Reply> {
    let body: &[u8] = if req.body.is_empty() {
        b"{}"
    } else {
        &req.body
    };
    serde_json::from_slice(body).map_err(|e| err(400, format!("invalid JSON body: {e}")))
}

#[derive(Deserialize)]
struct NewUser {
    email: String,
    password: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    username: Option<String>,
    public_metadata: Option<Value>,
}

#[derive(Deserialize)]
struct NewMember {
    user_id: Option<String>,
    email: Option<String>,
    role: Option<String>,
    permissions: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct NewOrg {
    name: String,
    slug: Option<String>,
    #[serde(default)]
    members: Vec<NewMember>,
}

#[derive(Deserialize)]
struct Settings {
    token_lifetime_secs: Option<u64>,
    session_lifetime_secs: Option<u64>,
    force_organization_selection: Option<bool>,
    session_minter: Option<bool>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum FaultBody {
    One(Fault),
    Many(Vec<Fault>),
}

/// `GET /__emulator/config` body.
pub fn config_json(app: &App) -> Value {
    let i = &app.instance;
    // Read both settings under one lock (two `store()` calls in one expression would deadlock).
    let (token_lifetime, session_lifetime_ms, force_org, minter) = {
        let s = app.store();
        (
            s.token_lifetime_secs,
            s.session_lifetime_ms,
            s.force_organization_selection,
            s.session_minter,
        )
    };
    json!({
        "publishable_key": i.publishable_key,
        "frontend_api": i.frontend_api,
        "proxy_url": i.proxy_url,
        "instance_type": i.kind.as_str(),
        "instance_id": i.id,
        "token_lifetime_secs": token_lifetime,
        "session_lifetime_secs": session_lifetime_ms / 1000,
        "force_organization_selection": force_org,
        "session_minter": minter,
        "claims": match i.claims { crate::config::ClaimsVersion::V1 => "v1", crate::config::ClaimsVersion::V2 => "v2" },
        "templates": i.templates.iter().map(|t| json!({"name": t.name, "lifetime_secs": t.lifetime_secs})).collect::<Vec<_>>(),
        "jwks_url": format!("{}/.well-known/jwks.json", i.proxy_url),
        "secret_key": i.secret_key.expose(),
        "backend_api_url": i.backend_api_url(),
        "issuer": format!("https://{}", i.frontend_api),
    })
}

fn slugify(name: &str) -> String {
    let s: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    s.split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Largest accepted lifetime setting (token or session): 10 years. Keeps every
/// `iat + lifetime` and `now + lifetime` far from `i64` overflow.
pub const MAX_LIFETIME_SECS: u64 = 10 * 365 * 24 * 3600;

/// Checks a lifetime setting: 1..=[`MAX_LIFETIME_SECS`].
pub fn check_lifetime(name: &str, secs: u64) -> Result<u64, String> {
    if (1..=MAX_LIFETIME_SECS).contains(&secs) {
        Ok(secs)
    } else {
        Err(format!("{name} must be between 1 and {MAX_LIFETIME_SECS}"))
    }
}

/// Refuses control calls a foreign page could send without a CORS preflight
/// (which the emulator grants to local origins only). A browser sends text/plain,
/// form and body-less POSTs cross-site without asking, so:
/// - a call with a body must declare `Content-Type: application/json`;
/// - a body-less call other than `GET`/`HEAD`/`DELETE` (`DELETE` always needs a
///   preflight) must too when it carries an `Origin`, i.e. comes from a browser.
///   Body-less calls without `Origin` come from scripts and tests (node's fetch,
///   curl), which a web page cannot impersonate: browsers always send `Origin` on POST.
///
/// Refused calls get 415 `unsupported_media_type`.
fn check_content_type(req: &Req) -> Result<(), Reply> {
    let from_browser = req.headers.contains_key("origin");
    let needs_json = !req.body.is_empty()
        || (from_browser && !matches!(req.wire_method.as_str(), "GET" | "HEAD" | "DELETE"));
    let is_json = req
        .header("content-type")
        .and_then(|ct| ct.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    if needs_json && !is_json {
        return Err(ApiError::new(
            415,
            "unsupported_media_type",
            "Unsupported media type",
            "Control API calls from a browser or with a body need Content-Type: application/json.",
        )
        .into());
    }
    Ok(())
}

/// A control handler: the app, the request and the values of the route's `{…}`
/// segments, in order. `Err` is a reply too (an error reply).
pub type ControlHandler = fn(&App, &Req, &[&str]) -> Result<Reply, Reply>;

/// The control routes of this module: (wire method, path under `/__emulator`,
/// handler). A `{name}` segment matches any one segment and is passed to the handler.
/// Other areas keep their own tables (`control_mfa::ROUTES`); [`ROUTE_TABLES`] lists them.
pub const ROUTES: &[(&str, &str, ControlHandler)] = &[
    ("GET", "/config", get_config),
    ("POST", "/reset", reset),
    ("POST", "/settings", set_settings),
    ("GET", "/users", list_users),
    ("POST", "/users", create_user),
    ("POST", "/organizations", create_organization),
    ("GET", "/sessions", list_sessions),
    ("POST", "/sessions/{id}/revoke", revoke_session),
    ("POST", "/sessions/{id}/expire", expire_session),
    ("GET", "/faults", list_faults),
    ("POST", "/faults", add_faults),
    ("DELETE", "/faults", clear_faults),
    ("GET", "/requests", list_requests),
    ("DELETE", "/requests", clear_requests),
    ("GET", "/verification_codes", verification_code),
];

/// Every control route table, searched in order (first match wins).
pub const ROUTE_TABLES: &[&[(&str, &str, ControlHandler)]] = &[
    crate::control_mfa::ROUTES,
    crate::control_oauth::ROUTES,
    crate::control_reverify::ROUTES,
    ROUTES,
];

/// Handles `/__emulator/…`.
pub fn handle(app: &App, req: &Req) -> Reply {
    match check_content_type(req).and_then(|()| route(app, req)) {
        Ok(r) | Err(r) => r,
    }
}

/// The `{…}` values of `pattern` (a path under `/__emulator`) when it matches `segs`.
fn match_path<'a>(pattern: &str, segs: &[&'a str]) -> Option<Vec<&'a str>> {
    let pat: Vec<&str> = pattern.trim_matches('/').split('/').collect();
    if pat.len() != segs.len() {
        return None;
    }
    let mut params = Vec::new();
    for (p, s) in pat.iter().zip(segs) {
        if p.starts_with('{') && p.ends_with('}') {
            params.push(*s);
        } else if p != s {
            return None;
        }
    }
    Some(params)
}

fn route(app: &App, req: &Req) -> Result<Reply, Reply> {
    let segs: Vec<&str> = req.path.trim_matches('/').split('/').skip(1).collect();
    // The wire method: `_method` is a FAPI convention and would let a simple
    // POST act as a DELETE here.
    for (method, pattern, handler) in ROUTE_TABLES.iter().flat_map(|t| t.iter()) {
        if *method != req.wire_method {
            continue;
        }
        if let Some(params) = match_path(pattern, &segs) {
            return handler(app, req, &params);
        }
    }
    Err(err(
        404,
        format!("unknown control endpoint {} {}", req.method, req.path),
    ))
}

fn get_config(app: &App, _req: &Req, _: &[&str]) -> Result<Reply, Reply> {
    Ok(Reply::json(config_json(app)))
}

fn reset(app: &App, _req: &Req, _: &[&str]) -> Result<Reply, Reply> {
    app.reset();
    Ok(Reply::json(json!({"ok": true})))
}

fn set_settings(app: &App, req: &Req, _: &[&str]) -> Result<Reply, Reply> {
    let s: Settings = parse(req)?;
    // Check everything first: a rejected call changes nothing.
    let token = s
        .token_lifetime_secs
        .map(|t| check_lifetime("token_lifetime_secs", t))
        .transpose()
        .map_err(|e| err(400, e))?;
    let session = s
        .session_lifetime_secs
        .map(|t| check_lifetime("session_lifetime_secs", t))
        .transpose()
        .map_err(|e| err(400, e))?;
    let mut store = app.store();
    if let Some(t) = token {
        store.token_lifetime_secs = t;
    }
    if let Some(t) = session {
        // Bounded above, so this cannot overflow.
        store.session_lifetime_ms = i64::try_from(t * 1000).unwrap_or(i64::MAX);
    }
    if let Some(on) = s.force_organization_selection {
        store.force_organization_selection = on;
    }
    if let Some(on) = s.session_minter {
        store.session_minter = on;
    }
    drop(store);
    Ok(Reply::json(config_json(app)))
}

fn list_users(app: &App, _req: &Req, _: &[&str]) -> Result<Reply, Reply> {
    let store = app.store();
    Ok(Reply::json(Value::Array(
        store.users.iter().map(|u| user_json(&store, u)).collect(),
    )))
}

fn create_user(app: &App, req: &Req, _: &[&str]) -> Result<Reply, Reply> {
    let u: NewUser = parse(req)?;
    if !u.email.contains('@') {
        return Err(err(400, "email must be an email address"));
    }
    let mut store = app.store();
    let id = store
        .add_user(
            &u.email,
            u.password.as_deref(),
            u.first_name.as_deref(),
            u.last_name.as_deref(),
            u.username.as_deref(),
        )
        .map_err(|e| err(409, e))?;
    if let (Some(meta), Some(user)) = (
        u.public_metadata,
        store.users.iter_mut().find(|x| x.id == id),
    ) {
        user.public_metadata = meta;
    }
    let user = store
        .user(&id)
        .map(|x| user_json(&store, x))
        .unwrap_or(Value::Null);
    Ok(Reply::json(user))
}

fn create_organization(app: &App, req: &Req, _: &[&str]) -> Result<Reply, Reply> {
    let o: NewOrg = parse(req)?;
    let mut store = app.store();
    let slug = o.slug.unwrap_or_else(|| slugify(&o.name));
    if store.orgs.iter().any(|x| x.slug == slug) {
        return Err(err(409, format!("slug {slug} is taken")));
    }
    let mut members = Vec::new();
    for m in o.members {
        let uid = match (m.user_id, m.email) {
            (Some(id), _) if store.user(&id).is_some() => id,
            (None, Some(email)) => store
                .user_by_identifier(&email)
                .map(|u| u.id.clone())
                .ok_or_else(|| err(404, format!("no user {email}")))?,
            (id, _) => return Err(err(404, format!("no user {}", id.unwrap_or_default()))),
        };
        let role = m.role.unwrap_or_else(|| "org:member".into());
        let perms = m.permissions.unwrap_or_else(|| match role.as_str() {
            "org:admin" => admin_permissions(),
            "org:member" => member_permissions(),
            _ => Vec::new(),
        });
        members.push((uid, role, perms));
    }
    let org_id = store.add_org(&o.name, &slug);
    for (uid, role, perms) in members {
        store.add_membership(&org_id, &uid, &role, perms);
    }
    Ok(Reply::json(organization_json(&store, &org_id)))
}

fn list_sessions(app: &App, _req: &Req, _: &[&str]) -> Result<Reply, Reply> {
    let store = app.store();
    let list: Vec<Value> = store
        .sessions
        .values()
        .map(|s| json!({"id": s.id, "client_id": s.client_id, "user_id": s.user_id, "status": s.status.as_str(), "last_active_organization_id": s.active_org_id}))
        .collect();
    Ok(Reply::json(Value::Array(list)))
}

fn revoke_session(app: &App, _req: &Req, params: &[&str]) -> Result<Reply, Reply> {
    set_session_status(app, params, SessionStatus::Revoked)
}

fn expire_session(app: &App, _req: &Req, params: &[&str]) -> Result<Reply, Reply> {
    set_session_status(app, params, SessionStatus::Expired)
}

fn set_session_status(app: &App, params: &[&str], status: SessionStatus) -> Result<Reply, Reply> {
    let id = params.first().copied().unwrap_or_default();
    let mut store = app.store();
    if !store.sessions.contains_key(id) {
        return Err(err(404, format!("no session {id}")));
    }
    store.set_session_status(id, status);
    Ok(Reply::json(json!({"id": id, "status": status.as_str()})))
}

fn list_faults(app: &App, _req: &Req, _: &[&str]) -> Result<Reply, Reply> {
    let faults = app.faults.lock().unwrap_or_else(|e| e.into_inner());
    Ok(Reply::json(
        serde_json::to_value(&*faults).unwrap_or(Value::Null),
    ))
}

fn add_faults(app: &App, req: &Req, _: &[&str]) -> Result<Reply, Reply> {
    let body: FaultBody = parse(req)?;
    let new = match body {
        FaultBody::One(f) => vec![f],
        FaultBody::Many(v) => v,
    };
    for f in &new {
        f.validate().map_err(|e| err(400, e))?;
    }
    let mut faults = app.faults.lock().unwrap_or_else(|e| e.into_inner());
    faults.extend(new);
    Ok(Reply::json(json!({"ok": true, "faults": faults.len()})))
}

fn clear_faults(app: &App, _req: &Req, _: &[&str]) -> Result<Reply, Reply> {
    app.faults.lock().unwrap_or_else(|e| e.into_inner()).clear();
    Ok(Reply::json(json!({"ok": true})))
}

fn list_requests(app: &App, _req: &Req, _: &[&str]) -> Result<Reply, Reply> {
    let log = app.log.lock().unwrap_or_else(|e| e.into_inner());
    Ok(Reply::json(
        serde_json::to_value(&*log).unwrap_or(Value::Null),
    ))
}

fn clear_requests(app: &App, _req: &Req, _: &[&str]) -> Result<Reply, Reply> {
    app.log.lock().unwrap_or_else(|e| e.into_inner()).clear();
    Ok(Reply::json(json!({"ok": true})))
}

/// `?email=`; `?phone=` is the second-factor area's (`control_mfa::phone_code`).
fn verification_code(app: &App, req: &Req, params: &[&str]) -> Result<Reply, Reply> {
    if req.q("phone").is_some() {
        return crate::control_mfa::phone_code(app, req, params);
    }
    let email = req
        .q("email")
        .ok_or_else(|| err(400, "email query parameter required"))?;
    let store = app.store();
    let code = store
        .codes
        .get(&email.trim().to_lowercase())
        .ok_or_else(|| err(404, format!("no code sent to {email}")))?;
    Ok(Reply::json(json!({"email": email, "code": code})))
}
