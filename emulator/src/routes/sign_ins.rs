//! `/v1/client/sign_ins…`: password, email code, phone code, reset password
//! (`reset_password_email_code` → `needs_new_password` → `reset_password`) and, for users
//! with MFA, the second factor (`totp`, `phone_code`, `backup_code`).
//!
//! Every code verification follows one rule (`attempt`): a wrong code is
//! `form_code_incorrect`, an expired one `verification_expired`, and the
//! [`MAX_ATTEMPTS`]th wrong one `verification_failed`; preparing again (or another strategy)
//! starts over.

use crate::errors::ApiError;
use crate::http::{Req, RouteResult};
use crate::models::sign_in_json;
use crate::routes::Ctx;
use crate::state::{new_code, now_ms, SessionStatus, SignIn, Store, User, Verification, CODE_MS};
use crate::totp;

/// Wrong codes a verification takes; the last one fails it (Clerk's count is NOT confirmed).
pub const MAX_ATTEMPTS: i64 = 5;
/// Minimum password length (environment `password_settings.min_length`).
const MIN_PASSWORD: usize = 8;

/// Which verification of a sign-in a step works on.
#[derive(Clone, Copy)]
enum Slot {
    First,
    Second,
}

fn slot_mut<'a>(
    store: &'a mut Store,
    id: &str,
    slot: Slot,
) -> Option<&'a mut Option<Verification>> {
    store.sign_ins.get_mut(id).map(|s| match slot {
        Slot::First => &mut s.first_factor,
        Slot::Second => &mut s.second_factor,
    })
}

/// Refuses a second session for a user already signed in on this client
/// (`identifier_already_signed_in`, with `meta.session_id` as clerk-js expects).
fn check_not_signed_in(store: &Store, client_id: &str, user_id: &str) -> Result<(), ApiError> {
    match store
        .signed_in_sessions(client_id)
        .iter()
        .find(|s| s.user_id == user_id)
    {
        Some(s) => Err(ApiError::identifier_already_signed_in(&s.id)),
        None => Ok(()),
    }
}

/// Completes a sign-in: creates the session (its strategy is the first factor's),
/// detaches the attempt from the client.
fn complete(store: &mut Store, sign_in_id: &str) {
    let Some(si) = store.sign_ins.get(sign_in_id).cloned() else {
        return;
    };
    let Some(user_id) = si.user_id.clone() else {
        return;
    };
    let strategy = si
        .first_factor
        .as_ref()
        .map_or("password", |v| v.strategy.as_str());
    let sid = store.create_session(&si.client_id, &user_id, strategy);
    // A sign-in through the second factor starts the session's second-factor age (`fva`).
    if si
        .second_factor
        .as_ref()
        .is_some_and(|v| v.status == "verified")
    {
        store
            .reverification
            .second_factor_at
            .insert(sid.clone(), now_ms());
    }
    if let Some(si) = store.sign_ins.get_mut(sign_in_id) {
        si.status = "complete".into();
        si.created_session_id = Some(sid);
    }
    if let Some(c) = store.clients.get_mut(&si.client_id) {
        if c.sign_in_id.as_deref() == Some(sign_in_id) {
            c.sign_in_id = None;
        }
    }
}

/// The first factor is verified: a user with MFA goes on to `needs_second_factor`, anyone
/// else is signed in.
pub(crate) fn first_factor_verified(store: &mut Store, id: &str) {
    let mfa = store
        .sign_ins
        .get(id)
        .and_then(|s| s.user_id.as_deref())
        .and_then(|u| store.user(u))
        .is_some_and(|u| u.mfa.enabled());
    if mfa {
        if let Some(si) = store.sign_ins.get_mut(id) {
            si.status = "needs_second_factor".into();
        }
    } else {
        complete(store, id);
    }
}

fn check_password(store: &Store, user_id: &str, password: Option<&str>) -> Result<(), ApiError> {
    let password = password.ok_or_else(|| ApiError::form_param_missing("password"))?;
    let user = store
        .user(user_id)
        .ok_or_else(ApiError::form_identifier_not_found)?;
    match &user.password {
        Some(p) if p == password => Ok(()),
        Some(_) => Err(ApiError::form_password_incorrect()),
        None => Err(ApiError::strategy_for_user_invalid()),
    }
}

fn password_verified(store: &mut Store, id: &str) {
    if let Some(v) = slot_mut(store, id, Slot::First) {
        *v = Some(Verification {
            strategy: "password".into(),
            status: "verified".into(),
            attempts: Some(1),
            expire_at: 0,
            code: None,
        });
    }
}

/// Where a code for `strategy` goes: the user's email address, or the phone number
/// `phone_number_id` (else the first one) usable in that slot (second-factor phones for
/// the second factor, the others for the first).
fn code_target(
    store: &Store,
    si: &SignIn,
    slot: Slot,
    strategy: &str,
    phone_number_id: Option<&str>,
) -> Result<String, ApiError> {
    let user = si
        .user_id
        .as_deref()
        .and_then(|u| store.user(u))
        .ok_or_else(ApiError::form_identifier_not_found)?;
    match (slot, strategy) {
        (Slot::First, "email_code" | "reset_password_email_code") => Ok(user.email.clone()),
        (_, "phone_code") => {
            let second = matches!(slot, Slot::Second);
            user.mfa
                .phones
                .iter()
                .filter(|p| p.second_factor == second)
                .find(|p| phone_number_id.is_none_or(|id| id == p.id))
                .map(|p| p.number.clone())
                .ok_or_else(ApiError::strategy_for_user_invalid)
        }
        _ => Err(ApiError::strategy_for_user_invalid()),
    }
}

/// Sends (records in the code log) a new code and resets the slot's verification.
fn send_code(store: &mut Store, id: &str, slot: Slot, strategy: &str, to: &str) {
    let code = new_code();
    store.remember_code(to, &code);
    if let Some(v) = slot_mut(store, id, slot) {
        *v = Some(Verification {
            strategy: strategy.into(),
            status: "unverified".into(),
            attempts: Some(0),
            expire_at: now_ms() + CODE_MS,
            code: Some(code),
        });
    }
}

/// Starts a code-less verification (`totp`, `backup_code`) unless one of that strategy is
/// under way (so its attempt count and `failed` state carry on).
fn start_codeless(store: &mut Store, id: &str, strategy: &str) {
    if let Some(v) = slot_mut(store, id, Slot::Second) {
        if v.as_ref().is_none_or(|v| v.strategy != strategy) {
            *v = Some(Verification {
                strategy: strategy.into(),
                status: "unverified".into(),
                attempts: Some(0),
                expire_at: 0,
                code: None,
            });
        }
    }
}

/// One attempt at the slot's verification of `strategy`; `correct` says whether the code
/// matched. Records the attempt and the resulting status.
fn attempt(
    store: &mut Store,
    id: &str,
    slot: Slot,
    strategy: &str,
    correct: bool,
) -> Result<(), ApiError> {
    let v = slot_mut(store, id, slot)
        .and_then(|v| v.as_mut())
        .filter(|v| v.strategy == strategy)
        // Attempting before preparing.
        .ok_or_else(ApiError::strategy_for_user_invalid)?;
    attempt_verification(v, correct)
}

/// The `strategy` and (trimmed) `code` of an attempt to verify a code.
pub(crate) fn strategy_and_code(req: &Req) -> Result<(&str, &str), ApiError> {
    let strategy = req
        .fv("strategy")
        .ok_or_else(|| ApiError::form_param_missing("strategy"))?;
    let code = req
        .fv("code")
        .map(str::trim)
        .ok_or_else(|| ApiError::form_param_missing("code"))?;
    Ok((strategy, code))
}

/// Whether `code` is the user's current TOTP code (422 `strategy_for_user_invalid` for a user
/// without TOTP).
pub(crate) fn totp_correct(user: &User, code: &str) -> Result<bool, ApiError> {
    let secret = user
        .mfa
        .totp_secret
        .as_deref()
        .ok_or_else(ApiError::strategy_for_user_invalid)?;
    let now = u64::try_from(now_ms() / 1000).unwrap_or(0);
    Ok(totp::verify(secret, code, now))
}

/// Whether `code` is one of the user's unused backup codes (422 `strategy_for_user_invalid`
/// for a user without any).
pub(crate) fn backup_code_correct(user: &User, code: &str) -> Result<bool, ApiError> {
    if user.mfa.backup_codes.is_empty() {
        return Err(ApiError::strategy_for_user_invalid());
    }
    Ok(user.mfa.backup_codes.iter().any(|c| c == code))
}

/// Spends a backup code: each works once.
pub(crate) fn use_backup_code(store: &mut Store, user_id: &str, code: &str) {
    if let Some(u) = store.users.iter_mut().find(|u| u.id == user_id) {
        u.mfa.backup_codes.retain(|c| c != code);
    }
}

/// The one code-verification rule (also used by session reverification): a failed,
/// verified or expired verification refuses the attempt; a wrong code is
/// `form_code_incorrect` until the [`MAX_ATTEMPTS`]th, which fails it.
pub(crate) fn attempt_verification(v: &mut Verification, correct: bool) -> Result<(), ApiError> {
    match v.status.as_str() {
        "failed" => return Err(ApiError::verification_failed()),
        "verified" => return Err(ApiError::verification_already_verified()),
        "expired" => return Err(ApiError::verification_expired()),
        _ => {}
    }
    // expire_at 0: TOTP and backup codes do not expire.
    if v.expire_at > 0 && now_ms() > v.expire_at {
        v.status = "expired".into();
        v.code = None;
        return Err(ApiError::verification_expired());
    }
    let attempts = v.attempts.unwrap_or(0) + 1;
    v.attempts = Some(attempts);
    if !correct {
        if attempts >= MAX_ATTEMPTS {
            v.status = "failed".into();
            v.code = None;
            return Err(ApiError::verification_failed());
        }
        return Err(ApiError::form_code_incorrect());
    }
    v.status = "verified".into();
    v.code = None;
    Ok(())
}

/// The code of the slot's pending verification of `strategy`.
fn pending_code(si: &SignIn, slot: Slot, strategy: &str) -> Option<String> {
    let v = match slot {
        Slot::First => si.first_factor.as_ref(),
        Slot::Second => si.second_factor.as_ref(),
    };
    v.filter(|v| v.strategy == strategy)
        .and_then(|v| v.code.clone())
}

/// Strategies a sign-in can be created with (`reset_password_email_code` is how the
/// "forgot password" flow starts).
const CREATE_STRATEGIES: &[&str] = &[
    "password",
    "email_code",
    "phone_code",
    "reset_password_email_code",
];

/// `POST /v1/client/sign_ins` (`identifier`, `password`, `strategy`; `locale`
/// and `timezone` are accepted and ignored).
pub fn create(ctx: &mut Ctx<'_>, store: &mut Store) -> RouteResult {
    let req = ctx.req;
    let strategy = req.fv("strategy");
    if req.fv("transfer") == Some("true") {
        return crate::routes::oauth::sign_in_transfer(ctx, store);
    }
    if let Some(st) = strategy.filter(|s| s.starts_with("oauth_")) {
        return crate::routes::oauth::sign_in_create(ctx, store, st);
    }
    let identifier = req.fv("identifier").map(str::trim);
    if let Some(st) = strategy {
        if !CREATE_STRATEGIES.contains(&st) {
            return Err(ApiError::form_param_format_invalid(
                "strategy",
                &format!("{st} is not a supported strategy."),
            ));
        }
        if identifier.is_none() {
            return Err(ApiError::form_param_missing("identifier"));
        }
    }
    let user_id = match identifier {
        Some(ident) => Some(
            store
                .user_by_identifier(ident)
                .map(|u| u.id.clone())
                .ok_or_else(ApiError::form_identifier_not_found)?,
        ),
        None => None,
    };
    if strategy == Some("password") {
        if let Some(uid) = &user_id {
            check_password(store, uid, req.f("password"))?;
        }
    }
    let client_id = ctx.ensure_client(store);
    if let Some(uid) = &user_id {
        check_not_signed_in(store, &client_id, uid)?;
    }
    let mut si = SignIn::new(&client_id);
    let id = si.id.clone();
    if user_id.is_some() {
        si.status = "needs_first_factor".into();
    }
    si.identifier = identifier.map(str::to_string);
    si.user_id = user_id;
    // Check a code strategy's target before storing anything.
    let target = match strategy {
        Some(st @ ("email_code" | "phone_code" | "reset_password_email_code")) => {
            Some((st, code_target(store, &si, Slot::First, st, None)?))
        }
        _ => None,
    };
    store.sign_ins.insert(id.clone(), si);
    if let Some(c) = store.clients.get_mut(&client_id) {
        c.sign_in_id = Some(id.clone());
    }
    if strategy == Some("password") {
        password_verified(store, &id);
        first_factor_verified(store, &id);
    }
    if let Some((st, to)) = target {
        send_code(store, &id, Slot::First, st, &to);
    }
    store.touch_client(&client_id);
    respond(ctx, store, &id)
}

/// Answers with the sign-in `id` (wrapped with the client).
pub(crate) fn respond(ctx: &Ctx<'_>, store: &Store, id: &str) -> RouteResult {
    let si = store
        .sign_ins
        .get(id)
        .ok_or_else(|| ApiError::resource_not_found("Sign in"))?;
    Ok(ctx.wrap(store, sign_in_json(store, si)))
}

/// The sign-in `id` if it belongs to the caller's client.
fn own(ctx: &Ctx<'_>, store: &Store, id: &str) -> Result<SignIn, ApiError> {
    store
        .sign_ins
        .get(id)
        .filter(|s| ctx.client_id.as_deref() == Some(s.client_id.as_str()))
        .cloned()
        .ok_or_else(|| ApiError::resource_not_found("Sign in"))
}

/// A first-factor step on a sign-in past its first factor fails like Clerk's: already
/// verified.
fn check_first_factor_due(si: &SignIn) -> Result<(), ApiError> {
    match si.status.as_str() {
        "complete" | "needs_second_factor" | "needs_new_password" => {
            Err(ApiError::verification_already_verified())
        }
        _ => Ok(()),
    }
}

/// A second-factor step needs `needs_second_factor`. The code Clerk answers otherwise is
/// NOT confirmed; the emulator says the strategy is not valid yet.
fn check_second_factor_due(si: &SignIn) -> Result<(), ApiError> {
    match si.status.as_str() {
        "complete" => Err(ApiError::verification_already_verified()),
        "needs_second_factor" => Ok(()),
        _ => Err(ApiError::strategy_for_user_invalid()),
    }
}

/// `GET /v1/client/sign_ins/{id}`.
pub fn get(ctx: &Ctx<'_>, store: &Store, id: &str) -> RouteResult {
    own(ctx, store, id)?;
    respond(ctx, store, id)
}

/// `POST …/prepare_first_factor` (`strategy` = `email_code`, `reset_password_email_code`,
/// `phone_code` with an optional `phone_number_id`, or `password`).
pub fn prepare_first_factor(ctx: &mut Ctx<'_>, store: &mut Store, id: &str) -> RouteResult {
    let si = own(ctx, store, id)?;
    check_first_factor_due(&si)?;
    match ctx.req.fv("strategy") {
        None => return Err(ApiError::form_param_missing("strategy")),
        Some(st @ ("email_code" | "reset_password_email_code" | "phone_code")) => {
            let to = code_target(store, &si, Slot::First, st, ctx.req.fv("phone_number_id"))?;
            send_code(store, id, Slot::First, st, &to);
        }
        // Nothing to send for a password; Clerk accepts it as a no-op.
        Some("password") => {}
        Some(_) => return Err(ApiError::strategy_for_user_invalid()),
    }
    store.touch_client(&si.client_id);
    respond(ctx, store, id)
}

/// `POST …/attempt_first_factor` (`strategy=password&password=…` or a code strategy with
/// `code=…`). A verified `reset_password_email_code` leaves the sign-in at
/// `needs_new_password`.
pub fn attempt_first_factor(ctx: &mut Ctx<'_>, store: &mut Store, id: &str) -> RouteResult {
    let si = own(ctx, store, id)?;
    check_first_factor_due(&si)?;
    let user_id = si
        .user_id
        .clone()
        .ok_or_else(|| ApiError::form_param_missing("identifier"))?;
    let req = ctx.req;
    match req.fv("strategy") {
        None => return Err(ApiError::form_param_missing("strategy")),
        Some("password") => {
            check_password(store, &user_id, req.f("password"))?;
            check_not_signed_in(store, &si.client_id, &user_id)?;
            password_verified(store, id);
            first_factor_verified(store, id);
        }
        Some(st @ ("email_code" | "phone_code" | "reset_password_email_code")) => {
            let code = req
                .fv("code")
                .ok_or_else(|| ApiError::form_param_missing("code"))?;
            let correct = pending_code(&si, Slot::First, st).as_deref() == Some(code);
            attempt(store, id, Slot::First, st, correct)?;
            if st == "reset_password_email_code" {
                if let Some(s) = store.sign_ins.get_mut(id) {
                    s.status = "needs_new_password".into();
                }
            } else {
                check_not_signed_in(store, &si.client_id, &user_id)?;
                first_factor_verified(store, id);
            }
        }
        Some(_) => return Err(ApiError::strategy_for_user_invalid()),
    }
    store.touch_client(&si.client_id);
    respond(ctx, store, id)
}

/// `POST …/prepare_second_factor` (`strategy=phone_code`, optional `phone_number_id`):
/// texts (logs) a code to the user's second-factor phone.
pub fn prepare_second_factor(ctx: &mut Ctx<'_>, store: &mut Store, id: &str) -> RouteResult {
    let si = own(ctx, store, id)?;
    check_second_factor_due(&si)?;
    match ctx.req.fv("strategy") {
        None => return Err(ApiError::form_param_missing("strategy")),
        Some("phone_code") => {
            let to = code_target(
                store,
                &si,
                Slot::Second,
                "phone_code",
                ctx.req.fv("phone_number_id"),
            )?;
            send_code(store, id, Slot::Second, "phone_code", &to);
        }
        Some(_) => return Err(ApiError::strategy_for_user_invalid()),
    }
    store.touch_client(&si.client_id);
    respond(ctx, store, id)
}

/// `POST …/attempt_second_factor` (`strategy` = `totp`, `phone_code` or `backup_code`, and
/// `code`). Completes the sign-in; a backup code works once.
pub fn attempt_second_factor(ctx: &mut Ctx<'_>, store: &mut Store, id: &str) -> RouteResult {
    let si = own(ctx, store, id)?;
    check_second_factor_due(&si)?;
    let user = si
        .user_id
        .as_deref()
        .and_then(|u| store.user(u))
        .cloned()
        .ok_or_else(ApiError::form_identifier_not_found)?;
    let (strategy, code) = strategy_and_code(ctx.req)?;
    match strategy {
        "phone_code" => {
            let correct = pending_code(&si, Slot::Second, "phone_code").as_deref() == Some(code);
            attempt(store, id, Slot::Second, "phone_code", correct)?;
        }
        "totp" => {
            let correct = totp_correct(&user, code)?;
            start_codeless(store, id, "totp");
            attempt(store, id, Slot::Second, "totp", correct)?;
        }
        "backup_code" => {
            let correct = backup_code_correct(&user, code)?;
            start_codeless(store, id, "backup_code");
            attempt(store, id, Slot::Second, "backup_code", correct)?;
            use_backup_code(store, &user.id, code);
        }
        _ => return Err(ApiError::strategy_for_user_invalid()),
    }
    check_not_signed_in(store, &si.client_id, &user.id)?;
    complete(store, id);
    store.touch_client(&si.client_id);
    respond(ctx, store, id)
}

/// `POST …/reset_password` (`password`, optional `sign_out_of_other_sessions`) on a
/// sign-in at `needs_new_password`: sets the password, revokes the user's other sessions
/// when asked, then signs in (or asks for the second factor).
pub fn reset_password(ctx: &mut Ctx<'_>, store: &mut Store, id: &str) -> RouteResult {
    let si = own(ctx, store, id)?;
    if si.status != "needs_new_password" {
        // Clerk's code for this case is NOT confirmed.
        return Err(ApiError::strategy_for_user_invalid());
    }
    let req = ctx.req;
    let password = req
        .fv("password")
        .ok_or_else(|| ApiError::form_param_missing("password"))?;
    if password.chars().count() < MIN_PASSWORD {
        return Err(ApiError::form_password_length_too_short(MIN_PASSWORD));
    }
    let sign_out_others = match req.fv("sign_out_of_other_sessions") {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            return Err(ApiError::form_param_format_invalid(
                "sign_out_of_other_sessions",
                "sign_out_of_other_sessions must be true or false.",
            ))
        }
    };
    let user_id = si
        .user_id
        .clone()
        .ok_or_else(ApiError::form_identifier_not_found)?;
    if let Some(u) = store.users.iter_mut().find(|u| u.id == user_id) {
        u.password = Some(password.to_string());
        u.updated_at = now_ms();
    }
    if sign_out_others {
        let others: Vec<String> = store
            .sessions
            .values()
            .filter(|s| s.user_id == user_id && s.status.is_signed_in())
            .map(|s| s.id.clone())
            .collect();
        for sid in others {
            store.set_session_status(&sid, SessionStatus::Revoked);
        }
    }
    check_not_signed_in(store, &si.client_id, &user_id)?;
    first_factor_verified(store, id);
    store.touch_client(&si.client_id);
    respond(ctx, store, id)
}
