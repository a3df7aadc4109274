//! `/v1/client/sign_ins…`: password and email-code sign-in.

use crate::errors::ApiError;
use crate::http::RouteResult;
use crate::models::sign_in_json;
use crate::routes::Ctx;
use crate::state::{new_code, new_id, now_ms, SignIn, Store, Verification, ATTEMPT_MS, CODE_MS};

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

/// Completes a sign-in: creates the session, detaches the attempt from the client.
fn complete(store: &mut Store, sign_in_id: &str, strategy: &str) {
    let Some(si) = store.sign_ins.get(sign_in_id).cloned() else {
        return;
    };
    let Some(user_id) = si.user_id.clone() else {
        return;
    };
    let sid = store.create_session(&si.client_id, &user_id, strategy);
    if let Some(si) = store.sign_ins.get_mut(sign_in_id) {
        si.status = "complete".into();
        si.created_session_id = Some(sid);
        if strategy == "password" {
            si.first_factor = Some(Verification {
                strategy: "password".into(),
                status: "verified".into(),
                attempts: Some(1),
                expire_at: 0,
                code: None,
            });
        }
    }
    if let Some(c) = store.clients.get_mut(&si.client_id) {
        if c.sign_in_id.as_deref() == Some(sign_in_id) {
            c.sign_in_id = None;
        }
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

/// Sends (records) an email code for the sign-in's user.
fn prepare_email_code(store: &mut Store, sign_in_id: &str) -> Result<(), ApiError> {
    let user_id = store
        .sign_ins
        .get(sign_in_id)
        .and_then(|s| s.user_id.clone())
        .ok_or_else(ApiError::form_identifier_not_found)?;
    let email = store
        .user(&user_id)
        .map(|u| u.email.clone())
        .ok_or_else(ApiError::form_identifier_not_found)?;
    let code = new_code();
    store.remember_code(&email, &code);
    if let Some(si) = store.sign_ins.get_mut(sign_in_id) {
        si.first_factor = Some(Verification {
            strategy: "email_code".into(),
            status: "unverified".into(),
            attempts: Some(0),
            expire_at: now_ms() + CODE_MS,
            code: Some(code),
        });
    }
    Ok(())
}

/// `POST /v1/client/sign_ins` (`identifier`, `password`, `strategy`; `locale`
/// and `timezone` are accepted and ignored).
pub fn create(ctx: &mut Ctx<'_>, store: &mut Store) -> RouteResult {
    let req = ctx.req;
    let strategy = req.fv("strategy");
    let identifier = req.fv("identifier").map(str::trim);
    if let Some(st) = strategy {
        if !matches!(st, "password" | "email_code") {
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
    let id = new_id("sia");
    let status = if user_id.is_some() {
        "needs_first_factor"
    } else {
        "needs_identifier"
    };
    store.sign_ins.insert(
        id.clone(),
        SignIn {
            id: id.clone(),
            client_id: client_id.clone(),
            status: status.into(),
            identifier: identifier.map(str::to_string),
            user_id,
            first_factor: None,
            created_session_id: None,
            abandon_at: now_ms() + ATTEMPT_MS,
        },
    );
    if let Some(c) = store.clients.get_mut(&client_id) {
        c.sign_in_id = Some(id.clone());
    }
    match strategy {
        Some("password") => complete(store, &id, "password"),
        Some("email_code") => prepare_email_code(store, &id)?,
        _ => {}
    }
    store.touch_client(&client_id);
    respond(ctx, store, &id)
}

fn respond(ctx: &Ctx<'_>, store: &Store, id: &str) -> RouteResult {
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

/// `GET /v1/client/sign_ins/{id}`.
pub fn get(ctx: &Ctx<'_>, store: &Store, id: &str) -> RouteResult {
    own(ctx, store, id)?;
    respond(ctx, store, id)
}

/// `POST …/prepare_first_factor` (`strategy=email_code`).
pub fn prepare_first_factor(ctx: &mut Ctx<'_>, store: &mut Store, id: &str) -> RouteResult {
    let si = own(ctx, store, id)?;
    if si.status == "complete" {
        return Err(ApiError::verification_already_verified());
    }
    match ctx.req.fv("strategy") {
        None => return Err(ApiError::form_param_missing("strategy")),
        Some("email_code") => prepare_email_code(store, id)?,
        // Nothing to send for a password; Clerk accepts it as a no-op.
        Some("password") => {}
        Some(_) => return Err(ApiError::strategy_for_user_invalid()),
    }
    store.touch_client(&si.client_id);
    respond(ctx, store, id)
}

/// `POST …/attempt_first_factor` (`strategy=password&password=…` or `strategy=email_code&code=…`).
pub fn attempt_first_factor(ctx: &mut Ctx<'_>, store: &mut Store, id: &str) -> RouteResult {
    let si = own(ctx, store, id)?;
    if si.status == "complete" {
        return Err(ApiError::verification_already_verified());
    }
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
            complete(store, id, "password");
        }
        Some("email_code") => {
            let code = req
                .fv("code")
                .ok_or_else(|| ApiError::form_param_missing("code"))?;
            let Some(v) = si
                .first_factor
                .as_ref()
                .filter(|v| v.strategy == "email_code")
            else {
                // Attempting before preparing: Clerk answers with a verification error.
                return Err(ApiError::strategy_for_user_invalid());
            };
            if v.code.as_deref() != Some(code) || now_ms() > v.expire_at {
                if let Some(Some(ff)) = store.sign_ins.get_mut(id).map(|s| s.first_factor.as_mut())
                {
                    ff.attempts = Some(ff.attempts.unwrap_or(0) + 1);
                }
                return Err(ApiError::form_code_incorrect());
            }
            check_not_signed_in(store, &si.client_id, &user_id)?;
            if let Some(Some(ff)) = store.sign_ins.get_mut(id).map(|s| s.first_factor.as_mut()) {
                ff.status = "verified".into();
                ff.attempts = Some(ff.attempts.unwrap_or(0) + 1);
                ff.code = None;
            }
            complete(store, id, "email_code");
        }
        Some(_) => return Err(ApiError::strategy_for_user_invalid()),
    }
    store.touch_client(&si.client_id);
    respond(ctx, store, id)
}
