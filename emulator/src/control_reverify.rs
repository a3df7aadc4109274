//! Control API for session reverification (JSON in, JSON out):
//!
//! - `POST /__emulator/sessions/{id}/factor_age` `{"first_factor_minutes": 20,
//!   "second_factor_minutes": 20 | null}`: backdates the session's factor verifications
//!   (each given field; `null` = second factor never verified), so a test sees a stale
//!   `fva` without waiting. Answers `{"session_id", "fva"}`.
//! - `POST /__emulator/protected` `{"reverification": "strict" | {"level": "second_factor",
//!   "after_minutes": 10}}` with `Authorization: Bearer <session token>`: a stand-in for an
//!   app backend that guards a call with Clerk's `reverificationErrorResponse`. A valid
//!   token whose `fva` is fresh enough gets 200 `{"ok": true, "fva": [..]}`; a stale one 403
//!   `{"clerk_error": {"type": "forbidden", "reason": "reverification-error", "metadata":
//!   {"reverification": <the requirement as given: preset name or {level, afterMinutes}>}}}`;
//!   no valid token 401 `{"clerk_error": {"type": "unauthorized", …}}`. The freshness rule
//!   is Clerk's (`@clerk/shared` `authorization.ts`), read from the token, so a client must
//!   refresh its token after reverifying.

use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::control::{err, parse, ControlHandler};
use crate::http::{Reply, Req};
use crate::state::{now_ms, App};

#[derive(Deserialize)]
struct FactorAge {
    first_factor_minutes: Option<i64>,
    // `Some(None)` (explicit null): never verified.
    #[serde(default, deserialize_with = "some")]
    second_factor_minutes: Option<Option<i64>>,
}

fn some<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

#[derive(Deserialize)]
struct Protected {
    reverification: Value,
}

/// The reverification control routes (see `control::ROUTES` for the table's form).
pub const ROUTES: &[(&str, &str, ControlHandler)] = &[
    ("POST", "/sessions/{id}/factor_age", factor_age_route),
    ("POST", "/protected", protected_route),
];

fn factor_age_route(app: &App, req: &Req, params: &[&str]) -> Result<Reply, Reply> {
    factor_age(app, req, params.first().copied().unwrap_or_default())
}

fn protected_route(app: &App, req: &Req, _: &[&str]) -> Result<Reply, Reply> {
    protected(app, req)
}

/// At most ten years back; negative ages are refused.
const MAX_MINUTES: i64 = 10 * 365 * 24 * 60;

fn factor_age(app: &App, req: &Req, id: &str) -> Result<Reply, Reply> {
    let body: FactorAge = parse(req)?;
    let bad = |m: &i64| !(0..=MAX_MINUTES).contains(m);
    if body.first_factor_minutes.as_ref().is_some_and(bad)
        || body
            .second_factor_minutes
            .flatten()
            .as_ref()
            .is_some_and(bad)
    {
        return Err(err(400, format!("ages must be 0..={MAX_MINUTES} minutes")));
    }
    let now = now_ms();
    // Whole seconds: tokens compute `fva` from their `iat` (seconds).
    let base = now / 1000 * 1000;
    let mut store = app.store();
    let Some(s) = store.sessions.get_mut(id) else {
        return Err(err(404, format!("no session {id}")));
    };
    if let Some(m) = body.first_factor_minutes {
        s.first_factor_at = base - m * 60_000;
    }
    s.updated_at = now;
    let client_id = s.client_id.clone();
    match body.second_factor_minutes {
        Some(Some(m)) => {
            store
                .reverification
                .second_factor_at
                .insert(id.to_string(), base - m * 60_000);
        }
        Some(None) => {
            store.reverification.second_factor_at.remove(id);
        }
        None => {}
    }
    store.touch_client(&client_id);
    let fva = store
        .sessions
        .get(id)
        .map(|s| crate::routes::session_verify::fva(&store, s, now));
    Ok(Reply::json(json!({"session_id": id, "fva": fva})))
}

/// The requirement as `(level, after_minutes)`: a preset name or `{level, after_minutes}`
/// (`afterMinutes` also accepted, as Clerk spells it).
fn requirement(v: &Value) -> Option<(&'static str, i64, Value)> {
    let preset = |name: &str| match name {
        "strict_mfa" => Some(("multi_factor", 10)),
        "strict" => Some(("second_factor", 10)),
        "moderate" => Some(("second_factor", 60)),
        "lax" => Some(("second_factor", 1_440)),
        _ => None,
    };
    if let Some(name) = v.as_str() {
        let (level, after) = preset(name)?;
        return Some((level, after, json!(name)));
    }
    let level = match v.get("level")?.as_str()? {
        "first_factor" => "first_factor",
        "second_factor" => "second_factor",
        "multi_factor" => "multi_factor",
        _ => return None,
    };
    let after = v
        .get("after_minutes")
        .or_else(|| v.get("afterMinutes"))?
        .as_i64()
        .filter(|m| *m > 0)?;
    Some((level, after, json!({"level": level, "afterMinutes": after})))
}

/// Clerk's freshness rule for `fva` (`checkReverificationAuthorization`).
fn fresh(fva: [i64; 2], level: &str, after: i64) -> bool {
    let [f1, f2] = fva;
    if f1 == -1 && f2 == -1 {
        return false;
    }
    let fresh1 = f1 != -1 && after > f1;
    let fresh2 = f2 != -1 && after > f2;
    match level {
        "first_factor" => fresh1,
        "second_factor" if f2 == -1 => fresh1,
        "second_factor" => fresh2,
        _ if f2 == -1 => fresh1,
        _ => f1 != -1 && fresh1 && fresh2,
    }
}

fn clerk_error(status: u16, kind: &str, reason: &str, metadata: Value) -> Reply {
    let mut r = Reply::json(json!({
        "clerk_error": {"type": kind, "reason": reason, "metadata": metadata},
    }));
    r.status = status;
    r
}

fn protected(app: &App, req: &Req) -> Result<Reply, Reply> {
    let body: Protected = parse(req)?;
    let (level, after, given) = requirement(&body.reverification).ok_or_else(|| {
        err(
            400,
            "reverification must be a preset or {level, after_minutes}",
        )
    })?;
    let unauthorized = || clerk_error(401, "unauthorized", "session-token-missing", json!({}));
    let token = req
        .header("authorization")
        .and_then(|h| h.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim())
        .ok_or_else(unauthorized)?;
    let key =
        DecodingKey::from_rsa_components(&app.keys.n, &app.keys.e).map_err(|_| unauthorized())?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_aud = false;
    let claims = decode::<Value>(token, &key, &validation)
        .map_err(|_| unauthorized())?
        .claims;
    let fva = claims
        .get("fva")
        .and_then(Value::as_array)
        .and_then(|a| Some([a.first()?.as_i64()?, a.get(1)?.as_i64()?]));
    match fva {
        Some(fva) if fresh(fva, level, after) => Ok(Reply::json(json!({"ok": true, "fva": fva}))),
        _ => Ok(clerk_error(
            403,
            "forbidden",
            "reverification-error",
            json!({"reverification": given}),
        )),
    }
}
