//! `/v1/client/sessions/{id}/verify…`: session reverification (clerk-js's
//! `session.startVerification`, `prepare/attemptFirstFactorVerification`,
//! `prepare/attemptSecondFactorVerification`), and the session's factor verification ages
//! (`fva` in tokens, `factor_verification_age` in session JSON).
//!
//! - `POST …/verify` `level=first_factor|second_factor|multi_factor` starts (or restarts)
//!   the session's verification: `needs_first_factor` for `first_factor` and
//!   `multi_factor`, `needs_second_factor` for `second_factor`. A user without a second
//!   factor gets `first_factor` instead of `second_factor`/`multi_factor` (the OpenAPI
//!   document's rule).
//! - First factors: `password`, `email_code`, `phone_code` (non-2FA phones); second
//!   factors: `totp`, `phone_code` (2FA phones), `backup_code` (each works once). Codes
//!   follow the sign-in rule (`sign_ins::attempt_verification`).
//! - A verified first factor sets the session's first-factor time; a verified second
//!   factor its second-factor time; `multi_factor` goes on to `needs_second_factor`.
//! - A session of another client (or an unknown id) is 404 `resource_not_found`; a session
//!   that is not signed in is 401 `signed_out`; a step without a started verification is
//!   404 `resource_not_found` (Clerk's code there is NOT confirmed); a step for the wrong
//!   factor (`prepare_second_factor` at `needs_first_factor`, …) is 422
//!   `strategy_for_user_invalid` (NOT confirmed), a step after `complete`
//!   `verification_already_verified`.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::sign_ins::{
    attempt_verification, backup_code_correct, strategy_and_code, totp_correct, use_backup_code,
};
use crate::errors::ApiError;
use crate::http::RouteResult;
use crate::models::{session_json, verification_json};
use crate::routes::Ctx;
use crate::state::{new_code, now_ms, Session, Store, User, Verification, CODE_MS};

/// One session's reverification in progress.
#[derive(Debug, Clone)]
pub struct SessionVerification {
    /// The level after the no-second-factor fallback.
    pub level: &'static str,
    /// `needs_first_factor`, `needs_second_factor`, `complete`.
    pub status: &'static str,
    /// First factor verification.
    pub first_factor: Option<Verification>,
    /// Second factor verification.
    pub second_factor: Option<Verification>,
}

/// Reverification state of the store.
#[derive(Debug, Default)]
pub struct Reverifications {
    /// The current verification of each session (one at a time, like Clerk).
    pub by_session: HashMap<String, SessionVerification>,
    /// When each session last verified a second factor, ms (sign-in or reverification).
    pub second_factor_at: HashMap<String, i64>,
}

/// A session's factor verification ages in minutes at `now` (ms):
/// `[first_factor, second_factor]`, -1 for a factor never verified in this session.
pub fn fva(store: &Store, s: &Session, now: i64) -> [i64; 2] {
    let age = |at: i64| (now - at).max(0) / 60_000;
    let second = store
        .reverification
        .second_factor_at
        .get(&s.id)
        .map_or(-1, |at| age(*at));
    [age(s.first_factor_at), second]
}

/// Routes `POST /v1/client/sessions/{id}/verify` and its steps.
pub fn route(ctx: &mut Ctx<'_>, store: &mut Store, id: &str, step: &[&str]) -> RouteResult {
    let (session, user) = own_signed_in(ctx, store, id)?;
    match step {
        [] => start(ctx, store, &session, &user),
        ["prepare_first_factor"] => prepare(ctx, store, &session, &user, Slot::First),
        ["attempt_first_factor"] => attempt_first(ctx, store, &session, &user),
        ["prepare_second_factor"] => prepare(ctx, store, &session, &user, Slot::Second),
        ["attempt_second_factor"] => attempt_second(ctx, store, &session, &user),
        _ => Err(ApiError::resource_not_found("Resource")),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Slot {
    First,
    Second,
}

/// The caller's own, signed-in session and its user.
fn own_signed_in(ctx: &Ctx<'_>, store: &Store, id: &str) -> Result<(Session, User), ApiError> {
    let s = store
        .sessions
        .get(id)
        .filter(|s| ctx.client_id.as_deref() == Some(s.client_id.as_str()))
        .ok_or_else(|| ApiError::resource_not_found("Session"))?;
    if !s.status.is_signed_in() {
        return Err(ApiError::signed_out());
    }
    let user = store
        .user(&s.user_id)
        .cloned()
        .ok_or_else(|| ApiError::resource_not_found("User"))?;
    Ok((s.clone(), user))
}

fn start(ctx: &Ctx<'_>, store: &mut Store, s: &Session, user: &User) -> RouteResult {
    let level = match ctx.req.fv("level") {
        None => return Err(ApiError::form_param_missing("level")),
        Some("first_factor") => "first_factor",
        Some("second_factor") => "second_factor",
        Some("multi_factor") => "multi_factor",
        Some(_) => {
            return Err(ApiError::form_param_format_invalid(
                "level",
                "level must be one of first_factor, second_factor, multi_factor.",
            ))
        }
    };
    let level = if user.mfa.enabled() {
        level
    } else {
        "first_factor"
    };
    let status = if level == "second_factor" {
        "needs_second_factor"
    } else {
        "needs_first_factor"
    };
    store.reverification.by_session.insert(
        s.id.clone(),
        SessionVerification {
            level,
            status,
            first_factor: None,
            second_factor: None,
        },
    );
    respond(ctx, store, s)
}

/// The verification in progress, checked to be at `slot`'s step.
fn due<'s>(
    store: &'s mut Store,
    sid: &str,
    slot: Slot,
) -> Result<&'s mut SessionVerification, ApiError> {
    let v = store
        .reverification
        .by_session
        .get_mut(sid)
        .ok_or_else(|| ApiError::resource_not_found("Session verification"))?;
    match (v.status, slot) {
        ("complete", _) => Err(ApiError::verification_already_verified()),
        ("needs_first_factor", Slot::First) | ("needs_second_factor", Slot::Second) => Ok(v),
        _ => Err(ApiError::strategy_for_user_invalid()),
    }
}

/// The phone number (E.164) for a `phone_code` factor of `slot`: 2FA phones for the second
/// factor, the others for the first; `phone_number_id` picks one (else the first).
fn phone_for(user: &User, slot: Slot, phone_number_id: Option<&str>) -> Result<String, ApiError> {
    user.mfa
        .phones
        .iter()
        .filter(|p| p.second_factor == (slot == Slot::Second))
        .find(|p| phone_number_id.is_none_or(|id| id == p.id))
        .map(|p| p.number.clone())
        .ok_or_else(ApiError::strategy_for_user_invalid)
}

fn prepare(ctx: &Ctx<'_>, store: &mut Store, s: &Session, user: &User, slot: Slot) -> RouteResult {
    due(store, &s.id, slot)?;
    let req = ctx.req;
    let strategy = req
        .fv("strategy")
        .ok_or_else(|| ApiError::form_param_missing("strategy"))?;
    let (strategy, to) = match (slot, strategy) {
        (Slot::First, "email_code") => {
            if req
                .fv("email_address_id")
                .is_some_and(|id| id != user.email_id)
            {
                return Err(ApiError::resource_not_found("Email address"));
            }
            ("email_code", user.email.clone())
        }
        (_, "phone_code") => (
            "phone_code",
            phone_for(user, slot, req.fv("phone_number_id"))?,
        ),
        _ => return Err(ApiError::strategy_for_user_invalid()),
    };
    let code = new_code();
    store.remember_code(&to, &code);
    let v = due(store, &s.id, slot)?;
    let fresh = Some(Verification {
        strategy: strategy.into(),
        status: "unverified".into(),
        attempts: Some(0),
        expire_at: now_ms() + CODE_MS,
        code: Some(code),
    });
    match slot {
        Slot::First => v.first_factor = fresh,
        Slot::Second => v.second_factor = fresh,
    }
    respond(ctx, store, s)
}

/// The slot's verification of `strategy`, started here when it needs no preparation
/// (password, TOTP, backup code) or when another strategy was under way.
fn slot_for<'v>(
    v: &'v mut SessionVerification,
    slot: Slot,
    strategy: &str,
    needs_prepare: bool,
) -> Result<&'v mut Verification, ApiError> {
    let current = match slot {
        Slot::First => &mut v.first_factor,
        Slot::Second => &mut v.second_factor,
    };
    if current.as_ref().is_none_or(|c| c.strategy != strategy) {
        if needs_prepare {
            // Attempting a code before preparing it.
            return Err(ApiError::strategy_for_user_invalid());
        }
        *current = Some(Verification {
            strategy: strategy.into(),
            status: "unverified".into(),
            attempts: Some(0),
            expire_at: 0,
            code: None,
        });
    }
    current
        .as_mut()
        .ok_or_else(ApiError::strategy_for_user_invalid)
}

fn attempt_first(ctx: &Ctx<'_>, store: &mut Store, s: &Session, user: &User) -> RouteResult {
    let req = ctx.req;
    let strategy = req
        .fv("strategy")
        .ok_or_else(|| ApiError::form_param_missing("strategy"))?;
    let v = due(store, &s.id, Slot::First)?;
    match strategy {
        "password" => {
            let password = req
                .f("password")
                .ok_or_else(|| ApiError::form_param_missing("password"))?;
            let Some(expected) = &user.password else {
                return Err(ApiError::strategy_for_user_invalid());
            };
            let f = slot_for(v, Slot::First, "password", false)?;
            if f.status == "verified" {
                return Err(ApiError::verification_already_verified());
            }
            f.attempts = Some(f.attempts.unwrap_or(0) + 1);
            if expected != password {
                return Err(ApiError::form_password_incorrect());
            }
            f.status = "verified".into();
        }
        "email_code" | "phone_code" => {
            let code = req
                .fv("code")
                .map(str::trim)
                .ok_or_else(|| ApiError::form_param_missing("code"))?;
            let f = slot_for(v, Slot::First, strategy, true)?;
            let correct = f.code.as_deref() == Some(code);
            attempt_verification(f, correct)?;
        }
        _ => return Err(ApiError::strategy_for_user_invalid()),
    }
    let now = now_ms();
    let next = if v.level == "multi_factor" {
        "needs_second_factor"
    } else {
        "complete"
    };
    v.status = next;
    if let Some(session) = store.sessions.get_mut(&s.id) {
        session.first_factor_at = now;
        session.updated_at = now;
    }
    store.touch_client(&s.client_id);
    respond(ctx, store, s)
}

fn attempt_second(ctx: &Ctx<'_>, store: &mut Store, s: &Session, user: &User) -> RouteResult {
    let (strategy, code) = strategy_and_code(ctx.req)?;
    let v = due(store, &s.id, Slot::Second)?;
    match strategy {
        "phone_code" => {
            let f = slot_for(v, Slot::Second, "phone_code", true)?;
            let correct = f.code.as_deref() == Some(code);
            attempt_verification(f, correct)?;
        }
        "totp" => {
            let correct = totp_correct(user, code)?;
            let f = slot_for(v, Slot::Second, "totp", false)?;
            attempt_verification(f, correct)?;
        }
        "backup_code" => {
            let correct = backup_code_correct(user, code)?;
            let f = slot_for(v, Slot::Second, "backup_code", false)?;
            attempt_verification(f, correct)?;
        }
        _ => return Err(ApiError::strategy_for_user_invalid()),
    }
    v.status = "complete";
    if strategy == "backup_code" {
        use_backup_code(store, &user.id, code);
    }
    let now = now_ms();
    store
        .reverification
        .second_factor_at
        .insert(s.id.clone(), now);
    if let Some(session) = store.sessions.get_mut(&s.id) {
        session.updated_at = now;
    }
    store.touch_client(&s.client_id);
    respond(ctx, store, s)
}

/// `Client.SessionReverification` in the piggyback envelope.
fn respond(ctx: &Ctx<'_>, store: &Store, s: &Session) -> RouteResult {
    let v = store
        .reverification
        .by_session
        .get(&s.id)
        .ok_or_else(|| ApiError::resource_not_found("Session verification"))?;
    let session = store
        .sessions
        .get(&s.id)
        .ok_or_else(|| ApiError::resource_not_found("Session"))?;
    let user = store.user(&s.user_id);
    let body = json!({
        "object": "session_reverification",
        "level": v.level,
        "status": v.status,
        "supported_first_factors": user.map(first_factors),
        "supported_second_factors": user.and_then(second_factors),
        "first_factor_verification": v.first_factor.as_ref().map(verification_json),
        "second_factor_verification": v.second_factor.as_ref().map(verification_json),
        "session": session_json(ctx.app, store, session, ctx.origin()),
    });
    Ok(ctx.wrap(store, body))
}

/// `supported_first_factors`: the user's first factors (`models::first_factors`).
fn first_factors(u: &User) -> Value {
    Value::Array(crate::models::first_factors(u))
}

/// `supported_second_factors`: the user's second factors (`models::second_factors`), `None`
/// without MFA.
fn second_factors(u: &User) -> Option<Value> {
    u.mfa
        .enabled()
        .then(|| Value::Array(crate::models::second_factors(u)))
}
