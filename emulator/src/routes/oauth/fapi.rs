//! The Frontend API's side of OAuth: `POST /v1/client/sign_ins|sign_ups` with
//! `strategy=oauth_*` (starting a flow), `/v1/oauth_callback` (settling it) and the
//! `transfer=true` creates (see the module docs of `routes::oauth`).

use serde_json::json;

use super::{
    idp, provider_name, provider_of, redirect, Attempt, Flow, Link, OAuthVerification,
    ProviderAccount, FLOW_MS,
};
use crate::errors::ApiError;
use crate::http::{Reply, Req, RouteResult};
use crate::models::sign_in_json;
use crate::routes::handshake::http_origin;
use crate::routes::Ctx;
use crate::state::{now_ms, random_hex, App, SignIn, SignUp, Store};

fn check_redirect_url(req: &Req) -> Result<String, ApiError> {
    let url = req
        .fv("redirect_url")
        .ok_or_else(|| ApiError::form_param_missing("redirect_url"))?;
    http_origin(url).ok_or_else(|| {
        ApiError::form_param_format_invalid(
            "redirect_url",
            "redirect_url must be an absolute http or https URL.",
        )
    })?;
    if let Some(done) = req.fv("action_complete_redirect_url") {
        // Clerk accepts paths here (clerk-js sends `redirectUrlComplete` as given).
        if !done.starts_with('/') && http_origin(done).is_none() {
            return Err(ApiError::form_param_format_invalid(
                "action_complete_redirect_url",
                "action_complete_redirect_url must be a path or an absolute http or https URL.",
            ));
        }
    }
    Ok(url.to_string())
}

fn check_strategy(strategy: &str) -> Result<&'static str, ApiError> {
    provider_of(strategy).ok_or_else(|| {
        ApiError::form_param_format_invalid(
            "strategy",
            &format!("{strategy} is not a supported strategy."),
        )
    })
}

/// Starts a flow for `attempt` (not stored yet) of the caller's client, created if need be,
/// once the strategy and URLs are valid: a new state, the attempt made the client's current
/// one, and the verification pointing at the provider page. Returns the client id and the
/// verification, the attempt's fields.
fn start(
    ctx: &mut Ctx<'_>,
    store: &mut Store,
    strategy: &str,
    attempt: Attempt,
) -> Result<(String, Option<OAuthVerification>), ApiError> {
    let provider = check_strategy(strategy)?;
    let redirect_url = check_redirect_url(ctx.req)?;
    let client_id = ctx.ensure_client(store);
    if let Some(c) = store.clients.get_mut(&client_id) {
        match &attempt {
            Attempt::SignIn(id) => c.sign_in_id = Some(id.clone()),
            Attempt::SignUp(id) => c.sign_up_id = Some(id.clone()),
        }
    }
    store.touch_client(&client_id);
    let state = random_hex(24);
    let expire_at = now_ms() + FLOW_MS;
    store.oauth.flows.insert(
        state.clone(),
        Flow {
            attempt,
            strategy: strategy.to_string(),
            redirect_url,
            expire_at,
            used: false,
        },
    );
    let oauth = OAuthVerification {
        strategy: strategy.to_string(),
        status: "unverified".into(),
        external_url: Some(idp::authorize_url(ctx.app, provider, &state)),
        error: None,
        expire_at,
        account: None,
    };
    Ok((client_id, Some(oauth)))
}

/// `POST /v1/client/sign_ins` with `strategy=oauth_*`.
pub fn sign_in_create(ctx: &mut Ctx<'_>, store: &mut Store, strategy: &str) -> RouteResult {
    let mut si = SignIn::new("");
    (si.client_id, si.oauth) = start(ctx, store, strategy, Attempt::SignIn(si.id.clone()))?;
    let id = store.add_sign_in(si);
    crate::routes::sign_ins::respond(ctx, store, &id)
}

/// `POST /v1/client/sign_ups` with `strategy=oauth_*`.
pub fn sign_up_create(ctx: &mut Ctx<'_>, store: &mut Store, strategy: &str) -> RouteResult {
    let mut su = SignUp::new("");
    (su.client_id, su.oauth) = start(ctx, store, strategy, Attempt::SignUp(su.id.clone()))?;
    let id = store.add_sign_up(su);
    crate::routes::sign_ups::respond(ctx, store, &id)
}

/// The user an account belongs to: linked, or by (verified) email address, which links it.
fn user_for(store: &mut Store, account: &ProviderAccount) -> Option<String> {
    if let Some(l) =
        store.oauth.links.iter().find(|l| {
            l.provider == account.provider && l.provider_user_id == account.provider_user_id
        })
    {
        return Some(l.user_id.clone());
    }
    let uid = store.user_by_identifier(&account.email)?.id.clone();
    link(store, &uid, account);
    Some(uid)
}

fn link(store: &mut Store, user_id: &str, account: &ProviderAccount) {
    store.oauth.links.push(Link {
        user_id: user_id.to_string(),
        provider: account.provider.clone(),
        provider_user_id: account.provider_user_id.clone(),
    });
}

fn external_account_not_found() -> ApiError {
    ApiError::new(
        422,
        "external_account_not_found",
        "The External Account was not found.",
        "The External Account was not found.",
    )
}

fn external_account_exists() -> ApiError {
    ApiError::new(
        422,
        "external_account_exists",
        "This account already exists.",
        "This account already exists. Sign in instead.",
    )
}

fn access_denied(provider: &str) -> ApiError {
    let msg = format!(
        "You did not grant access to your {} account.",
        provider_name(provider)
    );
    ApiError::new(403, "oauth_access_denied", &msg, &msg)
}

fn state_invalid(long: &str) -> ApiError {
    ApiError::new(400, "oauth_state_invalid", "Invalid OAuth callback", long)
}

/// Creates the user and session of an OAuth account: `(user_id, session_id)`.
fn create_user(
    store: &mut Store,
    client_id: &str,
    account: &ProviderAccount,
    strategy: &str,
) -> Result<(String, String), ApiError> {
    let uid = store
        .add_user(
            &account.email,
            None,
            account.first_name.as_deref(),
            account.last_name.as_deref(),
            None,
        )
        .map_err(|_| ApiError::form_identifier_exists("email_address"))?;
    link(store, &uid, account);
    let sid = store.create_session(client_id, &uid, strategy);
    Ok((uid, sid))
}

/// Marks a verified OAuth sign-in and signs it in (or asks for the second factor). The
/// sign-in stays on the client so the callback page can read it.
fn sign_in_verified(store: &mut Store, id: &str, user_id: &str, account: &ProviderAccount) {
    let Some(si) = store.sign_ins.get_mut(id) else {
        return;
    };
    si.identifier = Some(account.email.clone());
    si.user_id = Some(user_id.to_string());
    let strategy = si
        .oauth
        .as_ref()
        .map(|v| v.strategy.clone())
        .unwrap_or_default();
    if let Some(v) = si.oauth.as_mut() {
        v.status = "verified".into();
        v.external_url = None;
        v.account = Some(account.clone());
    }
    // The session's strategy is the first factor's.
    si.first_factor = Some(crate::state::Verification {
        strategy,
        status: "verified".into(),
        attempts: None,
        expire_at: 0,
        code: None,
    });
    let client_id = si.client_id.clone();
    crate::routes::sign_ins::first_factor_verified(store, id);
    if let Some(c) = store.clients.get_mut(&client_id) {
        c.sign_in_id = Some(id.to_string());
    }
}

/// The OAuth verification of the attempt a flow belongs to, if both still exist.
fn verification_mut<'s>(
    store: &'s mut Store,
    attempt: &Attempt,
) -> Option<&'s mut OAuthVerification> {
    match attempt {
        Attempt::SignIn(id) => store.sign_ins.get_mut(id)?.oauth.as_mut(),
        Attempt::SignUp(id) => store.sign_ups.get_mut(id)?.oauth.as_mut(),
    }
}

/// Sets the attempt's verification status and error.
fn settle(store: &mut Store, attempt: &Attempt, status: &str, error: Option<ApiError>) {
    if let Some(v) = verification_mut(store, attempt) {
        v.status = status.into();
        v.error = error;
        v.external_url = None;
    }
}

/// `GET|POST /v1/oauth_callback` (`state`, `code` or `error`): see the module docs.
pub fn callback(app: &App, req: &Req) -> Reply {
    if req.method == "POST" {
        // Clerk turns a provider's form POST (Apple) into a GET with the same parameters.
        let query = String::from_utf8_lossy(&req.body).into_owned();
        return redirect(303, &format!("/v1/oauth_callback?{query}"));
    }
    match settle_callback(app, req) {
        Ok(url) => redirect(303, &url),
        Err(e) => e.into(),
    }
}

fn settle_callback(app: &App, req: &Req) -> Result<String, ApiError> {
    let state = req
        .q("state")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::form_param_missing("state"))?;
    let mut guard = app.store();
    let store = &mut *guard;
    let flow = store.oauth.flows.get(state).cloned().ok_or_else(|| {
        state_invalid("The OAuth state does not belong to any sign-in or sign-up in progress.")
    })?;
    if flow.used {
        return Err(ApiError::new(
            400,
            "oauth_state_already_used",
            "OAuth callback already used",
            "This OAuth callback was already used; start the sign-in again.",
        ));
    }
    let provider = provider_of(&flow.strategy).unwrap_or("google");
    let account = if req.q("error").is_some() {
        None
    } else {
        let code = req.q("code").unwrap_or_default();
        match store.oauth.codes.get(code) {
            Some((s, account)) if s == state => Some(account.clone()),
            _ => {
                return Err(state_invalid(
                    "The OAuth code was not issued for this state.",
                ))
            }
        }
    };
    // From here on the state is spent, whatever the outcome.
    if let Some(f) = store.oauth.flows.get_mut(state) {
        f.used = true;
    }
    store.oauth.codes.retain(|_, (s, _)| s != state);
    let attempt = flow.attempt.clone();
    let client_id = match &attempt {
        Attempt::SignIn(id) => store.sign_ins.get(id).map(|s| s.client_id.clone()),
        Attempt::SignUp(id) => store.sign_ups.get(id).map(|s| s.client_id.clone()),
    }
    .ok_or_else(|| state_invalid("The attempt of this OAuth state no longer exists."))?;
    let Some(account) = account else {
        settle(store, &attempt, "failed", Some(access_denied(provider)));
        store.touch_client(&client_id);
        return Ok(flow.redirect_url);
    };
    if now_ms() > flow.expire_at {
        settle(store, &attempt, "expired", None);
        store.touch_client(&client_id);
        return Ok(flow.redirect_url);
    }
    if let Some(v) = verification_mut(store, &attempt) {
        v.account = Some(account.clone());
    }
    match &attempt {
        Attempt::SignIn(id) => match user_for(store, &account) {
            Some(uid) => {
                let signed_in = store
                    .signed_in_sessions(&client_id)
                    .iter()
                    .find(|s| s.user_id == uid)
                    .map(|s| s.id.clone());
                match signed_in {
                    // clerk-js's handleRedirectCallback makes that session current.
                    Some(sid) => settle(
                        store,
                        &attempt,
                        "failed",
                        Some(ApiError::identifier_already_signed_in(&sid)),
                    ),
                    None => sign_in_verified(store, id, &uid, &account),
                }
            }
            None => settle(
                store,
                &attempt,
                "transferable",
                Some(external_account_not_found()),
            ),
        },
        Attempt::SignUp(id) => {
            if user_for(store, &account).is_some() {
                settle(
                    store,
                    &attempt,
                    "transferable",
                    Some(external_account_exists()),
                );
            } else {
                let (uid, sid) = create_user(store, &client_id, &account, &flow.strategy)?;
                if let Some(su) = store.sign_ups.get_mut(id) {
                    su.email = Some(account.email.clone());
                    su.first_name = account.first_name.clone();
                    su.last_name = account.last_name.clone();
                    su.status = "complete".into();
                    su.created_user_id = Some(uid);
                    su.created_session_id = Some(sid);
                }
                settle(store, &attempt, "verified", None);
            }
        }
    }
    store.touch_client(&client_id);
    Ok(flow.redirect_url)
}

/// Which of the client's attempts a transfer starts from.
#[derive(Clone, Copy)]
enum From {
    SignIn,
    SignUp,
}

/// The client id, OAuth verification and provider account of the client's current sign-in
/// or sign-up (`from`) if its verification is `transferable`; otherwise the 422
/// `transfer=true` gets.
fn transferable(
    ctx: &Ctx<'_>,
    store: &Store,
    from: From,
) -> Result<(String, OAuthVerification, ProviderAccount), ApiError> {
    let client = ctx.client_id.as_ref().and_then(|c| store.clients.get(c));
    let (what, attempt) = match from {
        From::SignIn => (
            "sign-in",
            client
                .and_then(|c| store.sign_ins.get(c.sign_in_id.as_ref()?))
                .map(|s| (&s.client_id, s.oauth.as_ref())),
        ),
        From::SignUp => (
            "sign-up",
            client
                .and_then(|c| store.sign_ups.get(c.sign_up_id.as_ref()?))
                .map(|s| (&s.client_id, s.oauth.as_ref())),
        ),
    };
    let (client_id, v) = attempt
        .and_then(|(client_id, v)| Some((client_id, v?)))
        .filter(|(_, v)| v.status == "transferable")
        .ok_or_else(|| {
            ApiError::form_param_format_invalid(
                "transfer",
                &format!(
                    "There is no {what} to transfer: transfer=true needs a {what} whose OAuth verification is transferable."
                ),
            )
        })?;
    let account = v
        .account
        .clone()
        .ok_or_else(ApiError::strategy_for_user_invalid)?;
    Ok((client_id.clone(), v.clone(), account))
}

/// `POST /v1/client/sign_ups` with `transfer=true`: the client's sign-in whose OAuth
/// verification is `transferable` becomes a user.
pub fn sign_up_transfer(ctx: &mut Ctx<'_>, store: &mut Store) -> RouteResult {
    let (client_id, v, account) = transferable(ctx, store, From::SignIn)?;
    let (uid, sid) = create_user(store, &client_id, &account, &v.strategy)?;
    let mut su = SignUp::new(&client_id);
    su.email = Some(account.email.clone());
    su.first_name = account.first_name.clone();
    su.last_name = account.last_name.clone();
    if let Some(m) = ctx.req.fv("unsafe_metadata") {
        su.unsafe_metadata = serde_json::from_str(m).unwrap_or_else(|_| json!({}));
    }
    su.status = "complete".into();
    su.created_user_id = Some(uid);
    su.created_session_id = Some(sid);
    su.oauth = Some(v.done_with_provider("verified"));
    let id = store.add_sign_up(su);
    if let Some(c) = store.clients.get_mut(&client_id) {
        c.sign_in_id = None;
    }
    store.touch_client(&client_id);
    crate::routes::sign_ups::respond(ctx, store, &id)
}

/// `POST /v1/client/sign_ins` with `transfer=true`: signs in the user of the client's
/// sign-up whose OAuth verification is `transferable` (the account exists).
pub fn sign_in_transfer(ctx: &mut Ctx<'_>, store: &mut Store) -> RouteResult {
    let (client_id, v, account) = transferable(ctx, store, From::SignUp)?;
    let uid = user_for(store, &account).ok_or_else(ApiError::form_identifier_not_found)?;
    if let Some(s) = store
        .signed_in_sessions(&client_id)
        .iter()
        .find(|s| s.user_id == uid)
    {
        return Err(ApiError::identifier_already_signed_in(&s.id));
    }
    let mut si = SignIn::new(&client_id);
    si.oauth = Some(v.done_with_provider("unverified"));
    let id = store.add_sign_in(si);
    sign_in_verified(store, &id, &uid, &account);
    if let Some(c) = store.clients.get_mut(&client_id) {
        c.sign_up_id = None;
    }
    // Answered like any create: a completed sign-in leaves the client.
    let si = store
        .sign_ins
        .get(&id)
        .cloned()
        .ok_or_else(|| ApiError::resource_not_found("Sign in"))?;
    if si.status == "complete" {
        if let Some(c) = store.clients.get_mut(&client_id) {
            c.sign_in_id = None;
        }
    }
    store.touch_client(&client_id);
    Ok(ctx.wrap(store, sign_in_json(store, &si)))
}
