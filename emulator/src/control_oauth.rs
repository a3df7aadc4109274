//! Control API of the fake identity provider (JSON in, JSON out):
//!
//! - `POST /__emulator/oauth/accounts` `{"provider": "google"|"github" (default google),
//!   "email", "first_name"?, "last_name"?, "provider_user_id"? (default derived from the
//!   email)}`: adds an account the provider page offers. Once one is defined, the built-in
//!   accounts (`demo@example.com`, `new.user@example.com`) are no longer offered.
//! - `GET /__emulator/oauth/accounts?provider=google`: the accounts offered.
//! - `DELETE /__emulator/oauth/accounts`: back to the built-in accounts.

use serde::Deserialize;
use serde_json::json;

use crate::control::{err, parse, ControlHandler};
use crate::http::{Reply, Req};
use crate::routes::oauth::{ProviderAccount, PROVIDERS};
use crate::state::App;

#[derive(Deserialize)]
struct AccountBody {
    provider: Option<String>,
    email: String,
    first_name: Option<String>,
    last_name: Option<String>,
    provider_user_id: Option<String>,
}

/// The control routes of the fake identity provider (see `control::ROUTES` for the table's form).
pub const ROUTES: &[(&str, &str, ControlHandler)] = &[
    ("POST", "/oauth/accounts", add),
    ("GET", "/oauth/accounts", list),
    ("DELETE", "/oauth/accounts", clear),
];

fn list(app: &App, req: &Req, _: &[&str]) -> Result<Reply, Reply> {
    let store = app.store();
    let list: Vec<ProviderAccount> = PROVIDERS
        .iter()
        .filter(|(id, _)| req.q("provider").is_none_or(|p| p == *id))
        .flat_map(|(id, _)| store.oauth.accounts_for(id))
        .collect();
    Ok(Reply::json(json!(list)))
}

fn clear(app: &App, _req: &Req, _: &[&str]) -> Result<Reply, Reply> {
    app.store().oauth.accounts.clear();
    Ok(Reply::json(json!({"deleted": true})))
}

fn add(app: &App, req: &Req, _: &[&str]) -> Result<Reply, Reply> {
    let body: AccountBody = parse(req)?;
    let provider = body.provider.unwrap_or_else(|| "google".into());
    if !PROVIDERS.iter().any(|(id, _)| *id == provider) {
        let known: Vec<&str> = PROVIDERS.iter().map(|(id, _)| *id).collect();
        return Err(err(
            400,
            format!(
                "unknown provider {provider:?}; enabled: {}",
                known.join(", ")
            ),
        ));
    }
    let email = body.email.trim().to_string();
    if !email.contains('@') || email.len() > 320 {
        return Err(err(400, "email must be an email address"));
    }
    let provider_user_id = body
        .provider_user_id
        .unwrap_or_else(|| format!("{provider}_{}", email.to_lowercase()));
    let account = ProviderAccount {
        provider,
        provider_user_id,
        email,
        first_name: body.first_name,
        last_name: body.last_name,
    };
    let mut store = app.store();
    if store
        .oauth
        .accounts
        .iter()
        .any(|a| a.provider == account.provider && a.provider_user_id == account.provider_user_id)
    {
        return Err(err(409, "that provider account already exists"));
    }
    store.oauth.accounts.push(account.clone());
    Ok(Reply::json(json!(account)))
}
