//! OAuth / SSO by redirect (`strategy=oauth_google`, `oauth_github`), as clerk-js drives it:
//!
//! 1. `POST /v1/client/sign_ins` (or `sign_ups`) with `strategy=oauth_<provider>`,
//!    `redirect_url` (required, absolute http(s)) and `action_complete_redirect_url`: the
//!    attempt's `first_factor_verification` (sign-up: `verifications.external_account`) is
//!    `unverified` with an `external_verification_redirect_url` pointing at the emulator's
//!    fake identity provider, `GET /oauth/authorize?…&state=…`.
//! 2. The provider page lists the provider accounts (`POST /__emulator/oauth/accounts`, or two
//!    built-in ones) and a "Deny" link; choosing goes through `GET /oauth/choose`, which
//!    redirects to the FAPI callback `GET /v1/oauth_callback?code=…&state=…` (denying:
//!    `error=access_denied`) as a real provider would.
//! 3. The callback settles the verification and answers **303** to the attempt's
//!    `redirect_url`; the attempt stays on the client (even `complete`) so the page there can
//!    read it with `handleRedirectCallback`:
//!    - sign-in, account linked or its email is a user's: `verified`, the sign-in completes
//!      (or `needs_second_factor`); email unknown: `transferable` + `external_account_not_found`;
//!    - sign-up, email unknown: the user and session are created (`complete`); email taken:
//!      `transferable` + `external_account_exists`;
//!    - denied: `failed` + `oauth_access_denied`; flow older than 10 minutes: `expired`.
//! 4. Transfers: `POST /v1/client/sign_ups` with `transfer=true` turns the client's transferable
//!    sign-in into a user (422 `form_identifier_exists` if the email was claimed meanwhile);
//!    `POST /v1/client/sign_ins` with `transfer=true` signs in the user of the client's
//!    transferable sign-up.
//!
//! Bad callbacks never change anything and never 500: an unknown state, or a code the
//! provider did not issue for that state, is 400 `oauth_state_invalid`; a second callback for
//! a state already used is 400 `oauth_state_already_used` (both codes NOT confirmed from Clerk).

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::errors::ApiError;
use crate::http::{Body, Reply, Req, RouteResult};
use crate::models::sign_in_json;
use crate::routes::handshake::http_origin;
use crate::routes::Ctx;
use crate::state::{new_id, now_ms, random_hex, App, SignIn, SignUp, Store, ATTEMPT_MS};

/// Providers this emulator enables (environment `user_settings.social`): id and display name.
pub const PROVIDERS: &[(&str, &str)] = &[("google", "Google"), ("github", "GitHub")];
/// How long an OAuth verification can be completed (Clerk's is NOT confirmed).
pub const FLOW_MS: i64 = 10 * 60 * 1000;

/// An account at a provider (what the fake identity provider offers to choose).
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct ProviderAccount {
    /// `google`, `github`.
    pub provider: String,
    /// The user's id at the provider.
    pub provider_user_id: String,
    /// Verified email address the provider reports.
    pub email: String,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
}

/// The OAuth verification of an attempt (`verification_oauth`).
#[derive(Debug, Clone)]
pub struct OAuthVerification {
    /// `oauth_google`, …
    pub strategy: String,
    /// `unverified`, `verified`, `failed`, `expired`, `transferable`.
    pub status: String,
    /// The provider URL (`external_verification_redirect_url`) while unverified.
    pub external_url: Option<String>,
    /// `error` of the verification.
    pub error: Option<ApiError>,
    /// Expiry, ms.
    pub expire_at: i64,
    /// The provider account, once the callback came back with one.
    pub account: Option<ProviderAccount>,
}

/// Which attempt a flow belongs to.
#[derive(Debug, Clone, PartialEq)]
enum Attempt {
    SignIn(String),
    SignUp(String),
}

#[derive(Debug, Clone)]
struct Flow {
    attempt: Attempt,
    strategy: String,
    redirect_url: String,
    expire_at: i64,
    used: bool,
}

/// A user's link to a provider account.
#[derive(Debug, Clone)]
pub struct Link {
    /// `user_…`
    pub user_id: String,
    /// `google`, …
    pub provider: String,
    /// The user's id at the provider.
    pub provider_user_id: String,
}

/// OAuth data of the store (cleared by `POST /__emulator/reset`).
#[derive(Debug, Default)]
pub struct OAuthStore {
    /// Accounts defined through the control API; empty = the built-in ones.
    pub accounts: Vec<ProviderAccount>,
    /// External accounts linked to users.
    pub links: Vec<Link>,
    /// Flows by `state`.
    flows: HashMap<String, Flow>,
    /// Codes issued by the provider page: code → (state, account).
    codes: HashMap<String, (String, ProviderAccount)>,
}

impl OAuthStore {
    /// The accounts offered for `provider`.
    pub fn accounts_for(&self, provider: &str) -> Vec<ProviderAccount> {
        if self.accounts.is_empty() {
            return builtin_accounts(provider);
        }
        self.accounts
            .iter()
            .filter(|a| a.provider == provider)
            .cloned()
            .collect()
    }
}

/// Two accounts per provider when none were defined: the seeded demo user's address
/// (signs in) and an unknown one (transfers to sign-up).
fn builtin_accounts(provider: &str) -> Vec<ProviderAccount> {
    [
        ("demo", "demo@example.com", "Demo", "User"),
        ("new", "new.user@example.com", "New", "User"),
    ]
    .iter()
    .map(|(id, email, first, last)| ProviderAccount {
        provider: provider.to_string(),
        provider_user_id: format!("{provider}_{id}"),
        email: (*email).to_string(),
        first_name: Some((*first).to_string()),
        last_name: Some((*last).to_string()),
    })
    .collect()
}

/// The provider of an `oauth_<provider>` strategy this instance enables.
pub fn provider_of(strategy: &str) -> Option<&'static str> {
    let p = strategy.strip_prefix("oauth_")?;
    PROVIDERS.iter().find(|(id, _)| *id == p).map(|(id, _)| *id)
}

fn provider_name(provider: &str) -> &'static str {
    PROVIDERS
        .iter()
        .find(|(id, _)| *id == provider)
        .map_or("the provider", |(_, name)| *name)
}

/// `verification_oauth` JSON.
pub fn verification_json(v: &OAuthVerification) -> Value {
    json!({
        "object": "verification_oauth",
        "status": v.status,
        "strategy": v.strategy,
        "external_verification_redirect_url": v.external_url,
        "error": v.error.as_ref().map(error_json),
        "expire_at": v.expire_at,
        "attempts": null,
    })
}

fn error_json(e: &ApiError) -> Value {
    json!({
        "code": e.code,
        "message": e.message,
        "long_message": e.long_message,
        "meta": e.meta,
    })
}

/// Puts an OAuth sign-in's verification into its JSON (`first_factor_verification`).
pub fn decorate_sign_in(si: &SignIn, out: &mut Value) {
    if let Some(v) = &si.oauth {
        out["first_factor_verification"] = verification_json(v);
    }
}

/// Puts an OAuth sign-up's verification into its JSON (`verifications.external_account`);
/// a verified one also verified the email (`from_oauth_<provider>`) and needs no password.
pub fn decorate_sign_up(su: &SignUp, out: &mut Value) {
    let Some(v) = &su.oauth else {
        return;
    };
    out["verifications"]["external_account"] = verification_json(v);
    if v.status == "verified" {
        out["missing_fields"] = json!([]);
        out["unverified_fields"] = json!([]);
        out["required_fields"] = json!(["email_address"]);
        if su.email.is_some() {
            out["verifications"]["email_address"] = json!({
                "object": "verification_from_oauth",
                "status": "verified",
                "strategy": format!("from_{}", v.strategy),
                "attempts": null,
                "expire_at": null,
                "next_action": "",
                "supported_strategies": [],
            });
        }
    } else {
        // Nothing is asked of the user until the provider answered.
        out["missing_fields"] = json!([]);
        out["unverified_fields"] = json!([]);
    }
}

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

/// Starts a flow: a new state and the verification pointing at the provider page.
fn start(
    app: &App,
    store: &mut Store,
    attempt: Attempt,
    strategy: &str,
    redirect_url: String,
) -> OAuthVerification {
    let provider = provider_of(strategy).unwrap_or("google");
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
    let base = app.instance.proxy_url.trim_end_matches('/');
    let callback = format!("{base}/v1/oauth_callback");
    let query = serde_urlencoded::to_string([
        ("client_id", format!("emulator_{provider}").as_str()),
        ("redirect_uri", callback.as_str()),
        ("response_type", "code"),
        ("scope", "openid email profile"),
        ("provider", provider),
        ("state", state.as_str()),
    ])
    .unwrap_or_default();
    OAuthVerification {
        strategy: strategy.to_string(),
        status: "unverified".into(),
        external_url: Some(format!("{base}/oauth/authorize?{query}")),
        error: None,
        expire_at,
        account: None,
    }
}

/// `POST /v1/client/sign_ins` with `strategy=oauth_*`.
pub fn sign_in_create(ctx: &mut Ctx<'_>, store: &mut Store, strategy: &str) -> RouteResult {
    check_strategy(strategy)?;
    let redirect_url = check_redirect_url(ctx.req)?;
    let client_id = ctx.ensure_client(store);
    let id = new_id("sia");
    let oauth = start(
        ctx.app,
        store,
        Attempt::SignIn(id.clone()),
        strategy,
        redirect_url,
    );
    store.sign_ins.insert(
        id.clone(),
        SignIn {
            id: id.clone(),
            client_id: client_id.clone(),
            status: "needs_identifier".into(),
            identifier: None,
            user_id: None,
            first_factor: None,
            second_factor: None,
            created_session_id: None,
            abandon_at: now_ms() + ATTEMPT_MS,
            oauth: Some(oauth),
        },
    );
    if let Some(c) = store.clients.get_mut(&client_id) {
        c.sign_in_id = Some(id.clone());
    }
    store.touch_client(&client_id);
    let si = store
        .sign_ins
        .get(&id)
        .ok_or_else(|| ApiError::resource_not_found("Sign in"))?;
    Ok(ctx.wrap(store, sign_in_json(store, si)))
}

fn new_sign_up(client_id: &str) -> SignUp {
    SignUp {
        id: new_id("sua"),
        client_id: client_id.to_string(),
        status: "missing_requirements".into(),
        email: None,
        password: None,
        first_name: None,
        last_name: None,
        username: None,
        unsafe_metadata: json!({}),
        email_verification: None,
        created_user_id: None,
        created_session_id: None,
        abandon_at: now_ms() + ATTEMPT_MS,
        oauth: None,
    }
}

fn respond_sign_up(ctx: &Ctx<'_>, store: &Store, id: &str) -> RouteResult {
    let su = store
        .sign_ups
        .get(id)
        .ok_or_else(|| ApiError::resource_not_found("Sign up"))?;
    Ok(ctx.wrap(store, crate::models::sign_up_json(su)))
}

/// `POST /v1/client/sign_ups` with `strategy=oauth_*`.
pub fn sign_up_create(ctx: &mut Ctx<'_>, store: &mut Store, strategy: &str) -> RouteResult {
    check_strategy(strategy)?;
    let redirect_url = check_redirect_url(ctx.req)?;
    let client_id = ctx.ensure_client(store);
    let mut su = new_sign_up(&client_id);
    su.oauth = Some(start(
        ctx.app,
        store,
        Attempt::SignUp(su.id.clone()),
        strategy,
        redirect_url,
    ));
    let id = su.id.clone();
    store.sign_ups.insert(id.clone(), su);
    if let Some(c) = store.clients.get_mut(&client_id) {
        c.sign_up_id = Some(id.clone());
    }
    store.touch_client(&client_id);
    respond_sign_up(ctx, store, &id)
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

/// Sets the attempt's verification status and error.
fn settle(store: &mut Store, attempt: &Attempt, status: &str, error: Option<ApiError>) {
    let v = match attempt {
        Attempt::SignIn(id) => store.sign_ins.get_mut(id).and_then(|s| s.oauth.as_mut()),
        Attempt::SignUp(id) => store.sign_ups.get_mut(id).and_then(|s| s.oauth.as_mut()),
    };
    if let Some(v) = v {
        v.status = status.into();
        v.error = error;
        v.external_url = None;
    }
}

fn set_account(store: &mut Store, attempt: &Attempt, account: &ProviderAccount) {
    let v = match attempt {
        Attempt::SignIn(id) => store.sign_ins.get_mut(id).and_then(|s| s.oauth.as_mut()),
        Attempt::SignUp(id) => store.sign_ups.get_mut(id).and_then(|s| s.oauth.as_mut()),
    };
    if let Some(v) = v {
        v.account = Some(account.clone());
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

fn redirect(status: u16, location: &str) -> Reply {
    Reply {
        status,
        body: Body::Empty,
        headers: vec![
            ("location".into(), location.to_string()),
            ("cache-control".into(), "no-store".into()),
        ],
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
    set_account(store, &attempt, &account);
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

/// `POST /v1/client/sign_ups` with `transfer=true`: the client's sign-in whose OAuth
/// verification is `transferable` becomes a user.
pub fn sign_up_transfer(ctx: &mut Ctx<'_>, store: &mut Store) -> RouteResult {
    let si = ctx
        .client_id
        .as_ref()
        .and_then(|c| store.clients.get(c))
        .and_then(|c| c.sign_in_id.as_ref())
        .and_then(|id| store.sign_ins.get(id))
        .filter(|s| s.oauth.as_ref().is_some_and(|v| v.status == "transferable"))
        .cloned()
        .ok_or_else(|| {
            ApiError::form_param_format_invalid(
                "transfer",
                "There is no sign-in to transfer: transfer=true needs a sign-in whose OAuth verification is transferable.",
            )
        })?;
    let v = si
        .oauth
        .clone()
        .ok_or_else(ApiError::strategy_for_user_invalid)?;
    let account = v
        .account
        .clone()
        .ok_or_else(ApiError::strategy_for_user_invalid)?;
    let client_id = si.client_id.clone();
    let (uid, sid) = create_user(store, &client_id, &account, &v.strategy)?;
    let mut su = new_sign_up(&client_id);
    su.email = Some(account.email.clone());
    su.first_name = account.first_name.clone();
    su.last_name = account.last_name.clone();
    if let Some(m) = ctx.req.fv("unsafe_metadata") {
        su.unsafe_metadata = serde_json::from_str(m).unwrap_or_else(|_| json!({}));
    }
    su.status = "complete".into();
    su.created_user_id = Some(uid);
    su.created_session_id = Some(sid);
    su.oauth = Some(OAuthVerification {
        status: "verified".into(),
        error: None,
        external_url: None,
        ..v
    });
    let id = su.id.clone();
    store.sign_ups.insert(id.clone(), su);
    if let Some(c) = store.clients.get_mut(&client_id) {
        c.sign_in_id = None;
    }
    store.touch_client(&client_id);
    respond_sign_up(ctx, store, &id)
}

/// `POST /v1/client/sign_ins` with `transfer=true`: signs in the user of the client's
/// sign-up whose OAuth verification is `transferable` (the account exists).
pub fn sign_in_transfer(ctx: &mut Ctx<'_>, store: &mut Store) -> RouteResult {
    let su = ctx
        .client_id
        .as_ref()
        .and_then(|c| store.clients.get(c))
        .and_then(|c| c.sign_up_id.as_ref())
        .and_then(|id| store.sign_ups.get(id))
        .filter(|s| s.oauth.as_ref().is_some_and(|v| v.status == "transferable"))
        .cloned()
        .ok_or_else(|| {
            ApiError::form_param_format_invalid(
                "transfer",
                "There is no sign-up to transfer: transfer=true needs a sign-up whose OAuth verification is transferable.",
            )
        })?;
    let v = su
        .oauth
        .clone()
        .ok_or_else(ApiError::strategy_for_user_invalid)?;
    let account = v
        .account
        .clone()
        .ok_or_else(ApiError::strategy_for_user_invalid)?;
    let uid = user_for(store, &account).ok_or_else(ApiError::form_identifier_not_found)?;
    let client_id = su.client_id.clone();
    if let Some(s) = store
        .signed_in_sessions(&client_id)
        .iter()
        .find(|s| s.user_id == uid)
    {
        return Err(ApiError::identifier_already_signed_in(&s.id));
    }
    let id = new_id("sia");
    store.sign_ins.insert(
        id.clone(),
        SignIn {
            id: id.clone(),
            client_id: client_id.clone(),
            status: "needs_identifier".into(),
            identifier: None,
            user_id: None,
            first_factor: None,
            second_factor: None,
            created_session_id: None,
            abandon_at: now_ms() + ATTEMPT_MS,
            oauth: Some(OAuthVerification {
                status: "unverified".into(),
                error: None,
                external_url: None,
                ..v
            }),
        },
    );
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

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The fake identity provider: `GET /oauth/authorize` (the account chooser) and
/// `GET /oauth/choose?state=…&account=<provider_user_id>` or `…&deny=1` (redirects to the
/// FAPI callback with a code, or `error=access_denied`).
pub fn idp(app: &App, req: &Req) -> Reply {
    let state = req.q("state").unwrap_or_default();
    let provider = req
        .q("provider")
        .and_then(|p| PROVIDERS.iter().find(|(id, _)| *id == p).map(|(id, _)| *id))
        .unwrap_or("google");
    let base = app.instance.proxy_url.trim_end_matches('/');
    match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/oauth/authorize") => {
            let accounts = app.store().oauth.accounts_for(provider);
            let link = |extra: &[(&str, &str)]| {
                let mut q = vec![("provider", provider), ("state", state)];
                q.extend_from_slice(extra);
                format!(
                    "/oauth/choose?{}",
                    serde_urlencoded::to_string(q).unwrap_or_default()
                )
            };
            let items: String = accounts
                .iter()
                .map(|a| {
                    let name = [a.first_name.as_deref(), a.last_name.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ");
                    format!(
                        "<li><a class=\"account\" data-email=\"{e}\" href=\"{h}\">{n} &lt;{e}&gt;</a></li>",
                        e = esc(&a.email),
                        n = esc(&name),
                        h = esc(&link(&[("account", a.provider_user_id.as_str())])),
                    )
                })
                .collect();
            let name = provider_name(provider);
            Reply::html(format!(
                "<!doctype html><html><head><meta charset=\"utf-8\"><title>Sign in with {name} (emulated)</title></head>\
                 <body><h1>Sign in with {name} (emulated)</h1><p>Choose an account to continue to the app.</p>\
                 <ul id=\"accounts\">{items}</ul><p><a id=\"deny\" href=\"{deny}\">Deny</a></p></body></html>",
                deny = esc(&link(&[("deny", "1")])),
            ))
        }
        ("GET", "/oauth/choose") => {
            let callback = format!("{base}/v1/oauth_callback");
            let query = if req.q("deny").is_some() {
                serde_urlencoded::to_string([
                    ("error", "access_denied"),
                    ("error_description", "The user denied access."),
                    ("state", state),
                ])
            } else {
                let mut store = app.store();
                let account = req.q("account").and_then(|id| {
                    store
                        .oauth
                        .accounts_for(provider)
                        .into_iter()
                        .find(|a| a.provider_user_id == id)
                });
                let Some(account) = account else {
                    return ApiError::resource_not_found("Provider account").into();
                };
                let code = random_hex(16);
                store
                    .oauth
                    .codes
                    .insert(code.clone(), (state.to_string(), account));
                serde_urlencoded::to_string([
                    ("code", code.as_str()),
                    ("scope", "openid email profile"),
                    ("state", state),
                ])
            };
            redirect(302, &format!("{callback}?{}", query.unwrap_or_default()))
        }
        _ => ApiError::resource_not_found("Page").into(),
    }
}
