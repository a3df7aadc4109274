//! The fake FAPI routes of OAuth / SSO by redirect (see `oauth_tests.rs`): built in every
//! configuration, since `flows_fake.rs` routes through them.

pub(super) use std::cell::Cell;

pub(super) use serde_json::{json, Value};

use super::fakes::*;
pub(super) use crate::client::ports::{HttpResponse, TransportError};

pub(super) const PROVIDER: &str = "https://accounts.google.test/o/oauth2/auth?state=s1";
pub(super) const NOW: i64 = 1_700_000_000_000;

thread_local! {
    pub(super) static ON: Cell<bool> = const { Cell::new(false) };
    /// The email at sign-up transfer is taken (`form_identifier_exists`).
    pub(super) static CLAIMED: Cell<bool> = const { Cell::new(false) };
}

/// Turns the OAuth routes on for this thread until dropped.
pub(super) struct OAuth;

impl OAuth {
    pub(super) fn on() -> OAuth {
        ON.with(|o| o.set(true));
        CLAIMED.with(|o| o.set(false));
        OAuth
    }
}

impl Drop for OAuth {
    fn drop(&mut self) {
        ON.with(|o| o.set(false));
    }
}

/// A harness on a development instance where the build has the dev browser, else on a
/// production one: the sign-in / sign-up / OAuth flows behave alike on both, so their tests
/// run in every configuration (`--no-default-features` too).
pub(super) fn flow_harness() -> Harness {
    Harness::new(cfg!(feature = "dev-browser"))
}

/// A 2xx answer carrying `response` and the fake's client (as FAPI's flow routes answer).
pub(super) fn ok(
    fapi: &FakeFapi,
    response: &Value,
    now: i64,
) -> Result<HttpResponse, TransportError> {
    Ok(FakeFapi::respond_ok(
        json!({"response": response, "client": fapi.client_json(now)}),
    ))
}

pub(super) fn oauth_verification(
    strategy: &str,
    status: &str,
    url: Option<&str>,
    error: Option<&str>,
) -> Value {
    json!({"object": "verification_oauth", "status": status, "strategy": strategy,
        "external_verification_redirect_url": url, "expire_at": NOW + 600_000, "attempts": null,
        "error": error.map(|c| json!({"code": c, "message": c, "long_message": format!("{c} (long)"), "meta": {}}))})
}

/// The OAuth routes (`None`: not handled here).
pub(crate) fn route(
    fapi: &mut FakeFapi,
    method: &str,
    parts: &[&str],
    rec: &Rec,
    now: i64,
) -> Option<Result<HttpResponse, TransportError>> {
    if method != "POST" || !ON.with(Cell::get) {
        return None;
    }
    let strategy = rec.form("strategy").unwrap_or_default();
    let transfer = rec.form("transfer").as_deref() == Some("true");
    Some(match parts {
        ["client", "sign_ins"] if transfer => {
            let transferable = fapi.sign_up.as_ref().is_some_and(|s| {
                s["verifications"]["external_account"]["status"] == "transferable"
            });
            if !transferable {
                return Some(Ok(FakeFapi::respond_err(422, "form_param_format_invalid")));
            }
            let sid = fapi.sign_in_session("user_1", now);
            fapi.sign_up = None;
            let si = json!({"object": "sign_in_attempt", "id": fapi.next_id("sia"), "status": "complete",
                "identifier": "ada@example.com", "created_session_id": sid,
                "first_factor_verification": oauth_verification("oauth_google", "verified", None, None)});
            ok(fapi, &si, now)
        }
        ["client", "sign_ups"] if transfer => {
            let transferable = fapi
                .sign_in
                .as_ref()
                .is_some_and(|s| s["first_factor_verification"]["status"] == "transferable");
            if !transferable {
                return Some(Ok(FakeFapi::respond_err(422, "form_param_format_invalid")));
            }
            if CLAIMED.with(Cell::get) {
                return Some(Ok(FakeFapi::respond_err(422, "form_identifier_exists")));
            }
            fapi.add_user("user_new", "new@example.com");
            let sid = fapi.sign_in_session("user_new", now);
            fapi.sign_in = None;
            let su = json!({"object": "sign_up_attempt", "id": fapi.next_id("sua"), "status": "complete",
                "email_address": "new@example.com", "created_session_id": sid, "created_user_id": "user_new",
                "verifications": {"external_account": oauth_verification("oauth_google", "verified", None, None)}});
            ok(fapi, &su, now)
        }
        ["client", kind @ ("sign_ins" | "sign_ups")] if strategy.starts_with("oauth_") => {
            fapi.has_client = true;
            // A provider URL FAPI should never send, to test the scheme check.
            let url = if rec
                .form("redirect_url")
                .is_some_and(|u| u.contains("evil-provider"))
            {
                "javascript:alert(1)"
            } else {
                PROVIDER
            };
            let v = oauth_verification(&strategy, "unverified", Some(url), None);
            let resource = if *kind == "sign_ins" {
                let si = json!({"object": "sign_in_attempt", "id": fapi.next_id("sia"),
                    "status": "needs_identifier", "first_factor_verification": v});
                fapi.sign_in = Some(si.clone());
                si
            } else {
                let su = json!({"object": "sign_up_attempt", "id": fapi.next_id("sua"),
                    "status": "missing_requirements", "verifications": {"external_account": v}});
                fapi.sign_up = Some(su.clone());
                su
            };
            ok(fapi, &resource, now)
        }
        _ => return None,
    })
}
