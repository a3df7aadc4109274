//! Host tests: token requests under Clerk's session minter (`auth_config.session_minter`),
//! as clerk-js's `Session.#createTokenResolver` sends them. Built in every configuration
//! (nothing here depends on an optional feature).

use super::fakes::*;
use crate::client::{GetTokenOptions, OrganizationSelection};

const TOKENS: &str = "POST /v1/client/sessions/sess_1/tokens";

/// The field names, in order, of a token request's form under the minter, as clerk-js sends
/// them (the conformance row in `tools/conformance/clerk-js.test.mjs` checks clerk-js
/// against the same file). `kind`: `skip_cache`, `refresh` or `template`.
fn clerk_js_form(kind: &str) -> Vec<String> {
    let forms: serde_json::Value = serde_json::from_str(include_str!(
        "../../../tools/conformance/session-minter-forms.json"
    ))
    .unwrap();
    forms[kind]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// The field names of a recorded request's form, in order.
fn form_names(rec: &Rec) -> Vec<String> {
    rec.body
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split('=').next().unwrap_or_default().to_string())
        .collect()
}

/// A signed-in, loaded tab of an instance whose environment says `session_minter`.
fn signed_in(minter: bool) -> (Harness, Tab) {
    let h = Harness::new(false);
    {
        let mut f = h.fapi.borrow_mut();
        f.session_minter = minter;
        f.sign_in_session("user_1", T0);
    }
    let tab = h.loaded_tab();
    (h, tab)
}

fn get(h: &Harness, tab: &Tab, options: GetTokenOptions) -> Option<String> {
    let c = tab.clerk.clone();
    h.run(async move { c.get_token(options).await }).unwrap()
}

fn skip_cache() -> GetTokenOptions {
    GetTokenOptions {
        skip_cache: true,
        ..Default::default()
    }
}

/// The last token request, which must not carry a token in its URL.
fn last_token_request(h: &Harness) -> Rec {
    let f = h.fapi.borrow();
    let rec = f
        .log
        .iter()
        .rev()
        .find(|r| format!("{} {}", r.method, r.path).starts_with(TOKENS))
        .cloned()
        .unwrap();
    assert_eq!(rec.query("expired_token"), None);
    assert_eq!(rec.query("token"), None);
    assert!(!rec.url.contains("eyJ"), "no JWT in the URL: {}", rec.url);
    rec
}

#[test]
fn skip_cache_sends_the_last_token_and_force_origin() {
    let (h, tab) = signed_in(true);
    let previous = h.session_cookie().unwrap();
    // The fake mints `iat` in seconds: a second later its token differs.
    h.advance(1_000);
    let fresh = get(&h, &tab, skip_cache()).unwrap();
    assert_ne!(fresh, previous);
    let rec = last_token_request(&h);
    assert_eq!(form_names(&rec), clerk_js_form("skip_cache"));
    assert_eq!(rec.form("token"), Some(previous));
    assert_eq!(rec.form("force_origin").as_deref(), Some("true"));
    assert_eq!(rec.form("organization_id").as_deref(), Some(""));
    assert_eq!(rec.query("debug").as_deref(), Some("skip_cache"));
    // The token just minted is the last active token of the next request.
    h.advance(1_000);
    get(&h, &tab, skip_cache());
    assert_eq!(last_token_request(&h).form("token"), Some(fresh));
}

#[test]
fn a_refresh_sends_the_last_token_without_force_origin() {
    let (h, tab) = signed_in(true);
    let previous = h.session_cookie().unwrap();
    // The proactive refresh before expiry (FAPI's cache allowed).
    h.advance(60_000);
    assert_eq!(h.fapi.borrow().count(TOKENS), 1);
    let rec = last_token_request(&h);
    assert_eq!(form_names(&rec), clerk_js_form("refresh"));
    assert_eq!(rec.form("token"), Some(previous));
    assert_eq!(rec.form("force_origin"), None);
    assert_eq!(rec.query("debug"), None);
    drop(tab);
}

#[test]
fn a_token_of_another_organization_sends_the_session_token() {
    // clerk-js's `lastActiveToken` belongs to the session, not to the organization asked for.
    let (h, tab) = signed_in(true);
    let previous = h.session_cookie().unwrap();
    let org = GetTokenOptions {
        organization: Some(OrganizationSelection::Organization("org_9".into())),
        ..Default::default()
    };
    get(&h, &tab, org).unwrap();
    let rec = last_token_request(&h);
    assert_eq!(rec.form("organization_id").as_deref(), Some("org_9"));
    assert_eq!(rec.form("token"), Some(previous));
    assert_eq!(rec.form("force_origin"), None);
}

#[test]
fn template_tokens_keep_an_empty_body() {
    let (h, tab) = signed_in(true);
    let options = GetTokenOptions {
        template: Some("supabase".into()),
        skip_cache: true,
        ..Default::default()
    };
    get(&h, &tab, options).unwrap();
    let f = h.fapi.borrow();
    let rec = f.log.last().unwrap();
    assert_eq!(rec.path, "/v1/client/sessions/sess_1/tokens/supabase");
    assert_eq!(rec.body, "");
    assert_eq!(form_names(rec), clerk_js_form("template"));
    assert_eq!(rec.query("expired_token"), None);
}

#[test]
fn missing_expired_token_is_not_retried() {
    let (h, tab) = signed_in(true);
    h.fapi.borrow_mut().fault(
        TOKENS,
        Fault::Status(422, "missing_expired_token".into()),
        1,
    );
    let c = tab.clerk.clone();
    let r = h.run(async move { c.get_token(skip_cache()).await });
    let err = r.unwrap_err();
    assert_eq!(err.code(), Some("missing_expired_token"));
    assert_eq!(h.fapi.borrow().count(TOKENS), 1);
    last_token_request(&h);
    // The error does not repeat the token sent.
    let previous = h.session_cookie().unwrap();
    assert!(!err.to_string().contains(&previous));
    assert!(!format!("{err:?}").contains(&previous));
}

#[test]
fn without_the_minter_the_body_is_unchanged() {
    let (h, tab) = signed_in(false);
    get(&h, &tab, skip_cache()).unwrap();
    let f = h.fapi.borrow();
    let rec = f.log.last().unwrap();
    assert_eq!(rec.path, "/v1/client/sessions/sess_1/tokens");
    assert_eq!(rec.body, "organization_id=");
}
