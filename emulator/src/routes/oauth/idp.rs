//! The fake identity provider: the account chooser (`GET /oauth/authorize`) and the choice
//! (`GET /oauth/choose`), which redirects to the FAPI callback with a code it issued, or with
//! `error=access_denied`, as a real provider would.

use super::{provider_name, redirect, PROVIDERS};
use crate::errors::ApiError;
use crate::http::{Reply, Req};
use crate::state::{random_hex, App};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The FAPI callback the provider redirects back to (under the emulator's proxy URL `base`).
fn callback_url(base: &str) -> String {
    format!("{base}/v1/oauth_callback")
}

/// The provider's authorization URL for a flow (`external_verification_redirect_url`), as the
/// FAPI side sends the browser there: the account chooser, with the redirect URI and `state`.
pub(super) fn authorize_url(app: &App, provider: &str, state: &str) -> String {
    let base = app.instance.proxy_url.trim_end_matches('/');
    let callback = callback_url(base);
    let query = serde_urlencoded::to_string([
        ("client_id", format!("emulator_{provider}").as_str()),
        ("redirect_uri", callback.as_str()),
        ("response_type", "code"),
        ("scope", "openid email profile"),
        ("provider", provider),
        ("state", state),
    ])
    .unwrap_or_default();
    format!("{base}/oauth/authorize?{query}")
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
            let callback = callback_url(base);
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
