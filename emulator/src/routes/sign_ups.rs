//! `/v1/client/sign_ups…`: email + password sign-up with an email code.

use crate::errors::ApiError;
use crate::http::RouteResult;
use crate::models::sign_up_json;
use crate::routes::Ctx;
use crate::state::{new_code, now_ms, SignUp, Store, Verification, CODE_MS};

/// Minimum password length (environment `password_settings.min_length`).
const MIN_PASSWORD: usize = 8;

/// Applies the form fields of a create/update to `su`.
fn apply_fields(ctx: &Ctx<'_>, store: &Store, su: &mut SignUp) -> Result<(), ApiError> {
    let req = ctx.req;
    if let Some(email) = req.fv("email_address").map(str::trim) {
        if !email.contains('@') || email.starts_with('@') || email.ends_with('@') {
            return Err(ApiError::form_param_format_invalid(
                "email_address",
                "email_address must be a valid email address.",
            ));
        }
        if store.user_by_identifier(email).is_some() {
            return Err(ApiError::form_identifier_exists("email_address"));
        }
        if su.email.as_deref() != Some(email) {
            su.email = Some(email.to_string());
            su.email_verification = None;
        }
    }
    if let Some(pw) = req.f("password") {
        if pw.chars().count() < MIN_PASSWORD {
            return Err(ApiError::form_password_length_too_short(MIN_PASSWORD));
        }
        su.password = Some(pw.to_string());
    }
    if let Some(v) = req.fv("first_name") {
        su.first_name = Some(v.to_string());
    }
    if let Some(v) = req.fv("last_name") {
        su.last_name = Some(v.to_string());
    }
    if let Some(v) = req.fv("username") {
        su.username = Some(v.to_string());
    }
    if let Some(v) = req.fv("unsafe_metadata") {
        su.unsafe_metadata = serde_json::from_str(v).map_err(|_| {
            ApiError::form_param_format_invalid(
                "unsafe_metadata",
                "unsafe_metadata must be a JSON object.",
            )
        })?;
    }
    Ok(())
}

/// Creates the user and session once the email is verified and a password is set.
fn maybe_complete(store: &mut Store, id: &str) -> Result<(), ApiError> {
    let Some(su) = store.sign_ups.get(id).cloned() else {
        return Ok(());
    };
    let verified = su
        .email_verification
        .as_ref()
        .is_some_and(|v| v.status == "verified");
    let (Some(email), Some(_), true) = (su.email.as_deref(), su.password.as_deref(), verified)
    else {
        return Ok(());
    };
    let user_id = store
        .add_user(
            email,
            su.password.as_deref(),
            su.first_name.as_deref(),
            su.last_name.as_deref(),
            su.username.as_deref(),
        )
        .map_err(|_| ApiError::form_identifier_exists("email_address"))?;
    if let Some(u) = store.users.iter_mut().find(|u| u.id == user_id) {
        u.unsafe_metadata = su.unsafe_metadata.clone();
    }
    let sid = store.create_session(&su.client_id, &user_id, "email_code");
    if let Some(s) = store.sign_ups.get_mut(id) {
        s.status = "complete".into();
        s.created_user_id = Some(user_id);
        s.created_session_id = Some(sid);
    }
    if let Some(c) = store.clients.get_mut(&su.client_id) {
        if c.sign_up_id.as_deref() == Some(id) {
            c.sign_up_id = None;
        }
    }
    Ok(())
}

/// Answers with the sign-up `id` (wrapped with the client).
pub(crate) fn respond(ctx: &Ctx<'_>, store: &Store, id: &str) -> RouteResult {
    let su = store
        .sign_ups
        .get(id)
        .ok_or_else(|| ApiError::resource_not_found("Sign up"))?;
    Ok(ctx.wrap(store, sign_up_json(su)))
}

fn own(ctx: &Ctx<'_>, store: &Store, id: &str) -> Result<SignUp, ApiError> {
    store
        .sign_ups
        .get(id)
        .filter(|s| ctx.client_id.as_deref() == Some(s.client_id.as_str()))
        .cloned()
        .ok_or_else(|| ApiError::resource_not_found("Sign up"))
}

/// `POST /v1/client/sign_ups` (`email_address`, `password`, `first_name`, `last_name`, …).
pub fn create(ctx: &mut Ctx<'_>, store: &mut Store) -> RouteResult {
    if ctx.req.fv("transfer") == Some("true") {
        return crate::routes::oauth::sign_up_transfer(ctx, store);
    }
    if let Some(st) = ctx.req.fv("strategy").filter(|s| s.starts_with("oauth_")) {
        return crate::routes::oauth::sign_up_create(ctx, store, st);
    }
    // Its client is set once the fields are valid (a refused sign-up creates no client).
    let mut su = SignUp::new("");
    apply_fields(ctx, store, &mut su)?;
    let client_id = ctx.ensure_client(store);
    su.client_id = client_id.clone();
    let id = store.add_sign_up(su);
    if let Some(c) = store.clients.get_mut(&client_id) {
        c.sign_up_id = Some(id.clone());
    }
    store.touch_client(&client_id);
    respond(ctx, store, &id)
}

/// `GET /v1/client/sign_ups/{id}`.
pub fn get(ctx: &Ctx<'_>, store: &Store, id: &str) -> RouteResult {
    own(ctx, store, id)?;
    respond(ctx, store, id)
}

/// `PATCH /v1/client/sign_ups/{id}`: adds missing fields.
pub fn update(ctx: &mut Ctx<'_>, store: &mut Store, id: &str) -> RouteResult {
    let mut su = own(ctx, store, id)?;
    if su.status == "complete" {
        return Err(ApiError::verification_already_verified());
    }
    apply_fields(ctx, store, &mut su)?;
    let client_id = su.client_id.clone();
    store.sign_ups.insert(id.to_string(), su);
    maybe_complete(store, id)?;
    store.touch_client(&client_id);
    respond(ctx, store, id)
}

/// `POST …/prepare_verification` (`strategy=email_code`): "sends" a code,
/// readable at `GET /__emulator/verification_codes?email=`.
pub fn prepare_verification(ctx: &mut Ctx<'_>, store: &mut Store, id: &str) -> RouteResult {
    let su = own(ctx, store, id)?;
    match ctx.req.fv("strategy") {
        None => return Err(ApiError::form_param_missing("strategy")),
        Some("email_code") => {}
        Some(_) => return Err(ApiError::strategy_for_user_invalid()),
    }
    let email = su
        .email
        .clone()
        .ok_or_else(|| ApiError::form_param_missing("email_address"))?;
    if su.status == "complete" {
        return Err(ApiError::verification_already_verified());
    }
    let code = new_code();
    store.remember_code(&email, &code);
    if let Some(s) = store.sign_ups.get_mut(id) {
        s.email_verification = Some(Verification {
            strategy: "email_code".into(),
            status: "unverified".into(),
            attempts: Some(0),
            expire_at: now_ms() + CODE_MS,
            code: Some(code),
        });
    }
    store.touch_client(&su.client_id);
    respond(ctx, store, id)
}

/// `POST …/attempt_verification` (`strategy=email_code&code=…`).
pub fn attempt_verification(ctx: &mut Ctx<'_>, store: &mut Store, id: &str) -> RouteResult {
    let su = own(ctx, store, id)?;
    if su.status == "complete" {
        return Err(ApiError::verification_already_verified());
    }
    match ctx.req.fv("strategy") {
        None => return Err(ApiError::form_param_missing("strategy")),
        Some("email_code") => {}
        Some(_) => return Err(ApiError::strategy_for_user_invalid()),
    }
    let code = ctx
        .req
        .fv("code")
        .ok_or_else(|| ApiError::form_param_missing("code"))?;
    let Some(v) = su.email_verification.as_ref().filter(|v| v.code.is_some()) else {
        return Err(ApiError::strategy_for_user_invalid());
    };
    let ok = v.code.as_deref() == Some(code) && now_ms() <= v.expire_at;
    if let Some(Some(ev)) = store
        .sign_ups
        .get_mut(id)
        .map(|s| s.email_verification.as_mut())
    {
        ev.attempts = Some(ev.attempts.unwrap_or(0) + 1);
        if ok {
            ev.status = "verified".into();
            ev.code = None;
        }
    }
    if !ok {
        return Err(ApiError::form_code_incorrect());
    }
    maybe_complete(store, id)?;
    store.touch_client(&su.client_id);
    respond(ctx, store, id)
}
