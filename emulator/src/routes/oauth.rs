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
//!
//! Two sides, as in the real thing: `idp` is the fake identity provider's pages (account
//! chooser, consent, the code it issues), `fapi` the Frontend API's part (starting an attempt
//! by redirect, `/v1/oauth_callback`, transfers). This module holds what both use: the
//! provider accounts, flows and codes of the store and the verification's JSON.

mod fapi;
mod idp;

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::errors::ApiError;
use crate::http::{Body, Reply};
use crate::state::{SignIn, SignUp};

pub use fapi::{callback, sign_in_create, sign_in_transfer, sign_up_create, sign_up_transfer};
pub use idp::idp;

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

impl OAuthVerification {
    /// This verification at `status` once the provider is behind it: no error, no provider URL.
    fn done_with_provider(self, status: &str) -> OAuthVerification {
        OAuthVerification {
            status: status.into(),
            error: None,
            external_url: None,
            ..self
        }
    }
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
