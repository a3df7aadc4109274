//! OAuth / SSO by redirect: the sign-in and sign-up flows through the emulator's fake identity
//! provider and `GET /v1/oauth_callback`, the transfers both ways, and the bad callbacks
//! (denied, tampered, replayed, wrong strategy). Every FAPI body (including the callback's
//! errors) is validated against Clerk's OpenAPI document by `common::finish`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::{json, Value};

const CALLBACK: &str = "http://127.0.0.1:3000/sso-callback";

/// A client that does not follow redirects, to walk the provider and callback legs.
fn raw() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Starts an OAuth sign-in (`kind` = `sign_ins` or `sign_ups`); returns (attempt, provider URL).
async fn start(f: &Fapi, kind: &str, strategy: &str) -> (Value, String) {
    let r = f
        .post(
            &format!("/v1/client/{kind}"),
            &[
                ("strategy", strategy),
                ("redirect_url", CALLBACK),
                ("action_complete_redirect_url", "/dashboard"),
            ],
        )
        .await;
    r.expect(200);
    let attempt = r.json["response"].clone();
    let v = if kind == "sign_ins" {
        attempt["first_factor_verification"].clone()
    } else {
        attempt["verifications"]["external_account"].clone()
    };
    assert_eq!(v["object"], "verification_oauth", "{}", r.text);
    assert_eq!(v["status"], "unverified");
    assert_eq!(v["strategy"], strategy);
    let url = v["external_verification_redirect_url"]
        .as_str()
        .expect("external_verification_redirect_url")
        .to_string();
    assert!(
        url.starts_with(&format!("{}/oauth/authorize?", f.base)),
        "{url}"
    );
    (attempt, url)
}

/// Opens the provider page and follows the link for `email` (or "Deny"); returns the
/// callback URL the provider redirects to.
async fn choose(f: &Fapi, provider_url: &str, email: Option<&str>) -> String {
    let http = raw();
    let page = http.get(provider_url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let href = match email {
        Some(e) => {
            let at = html
                .find(&format!("data-email=\"{e}\""))
                .unwrap_or_else(|| panic!("{e} not offered: {html}"));
            let h = &html[at..];
            let start = h.find("href=\"").unwrap() + 6;
            h[start..start + h[start..].find('"').unwrap()].to_string()
        }
        None => {
            let at = html.find("id=\"deny\" href=\"").unwrap() + 16;
            html[at..at + html[at..].find('"').unwrap()].to_string()
        }
    };
    let href = href.replace("&amp;", "&");
    let r = http.get(format!("{}{href}", f.base)).send().await.unwrap();
    assert_eq!(r.status(), 302);
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    assert!(
        loc.starts_with(&format!("{}/v1/oauth_callback?", f.base)),
        "{loc}"
    );
    loc
}

/// Calls the callback; returns the validated response.
async fn callback(url: &str) -> Resp {
    let r = raw().get(url).send().await.unwrap();
    finish("GET", "/v1/oauth_callback", r).await
}

async fn follow_to_app(url: &str) {
    let r = callback(url).await;
    r.expect(303);
    assert_eq!(r.header("location"), Some(CALLBACK));
}

async fn client(f: &Fapi) -> Value {
    let r = f.get("/v1/client").await;
    r.expect(200);
    r.json["response"].clone()
}

#[tokio::test]
async fn environment_enables_google_and_github() {
    let f = dev().await;
    let r = f.get("/v1/environment").await;
    r.expect(200);
    let social = &r.json["user_settings"]["social"];
    for s in ["oauth_google", "oauth_github"] {
        assert_eq!(social[s]["enabled"], true, "{social}");
        assert_eq!(social[s]["authenticatable"], true);
        assert_eq!(social[s]["strategy"], s);
    }
}

#[tokio::test]
async fn sign_in_of_an_existing_user_completes_at_the_callback() {
    let f = dev().await;
    let (si, url) = start(&f, "sign_ins", "oauth_google").await;
    assert_eq!(si["status"], "needs_identifier");
    let cb = choose(&f, &url, Some(EMAIL)).await;
    follow_to_app(&cb).await;
    // The page at redirect_url reloads the client: the sign-in is still there, complete.
    let c = client(&f).await;
    let si2 = &c["sign_in"];
    assert_eq!(si2["id"], si["id"]);
    assert_eq!(si2["status"], "complete", "{c}");
    assert_eq!(si2["first_factor_verification"]["status"], "verified");
    assert!(si2["first_factor_verification"]["external_verification_redirect_url"].is_null());
    let sid = si2["created_session_id"].as_str().unwrap();
    assert_eq!(c["sessions"][0]["id"], sid);
    assert_eq!(c["last_active_session_id"], sid);
    assert_eq!(c["last_authentication_strategy"], "oauth_google");
    assert_eq!(
        c["sessions"][0]["user"]["email_addresses"][0]["email_address"],
        EMAIL
    );
}

#[tokio::test]
async fn unknown_account_is_transferable_then_sign_up_transfer_completes() {
    let f = dev().await;
    let (_, url) = start(&f, "sign_ins", "oauth_github").await;
    follow_to_app(&choose(&f, &url, Some("new.user@example.com")).await).await;
    let c = client(&f).await;
    let v = &c["sign_in"]["first_factor_verification"];
    assert_eq!(v["status"], "transferable", "{c}");
    assert_eq!(v["error"]["code"], "external_account_not_found");
    assert!(c["sessions"].as_array().unwrap().is_empty());
    // clerk-js: signUp.create({ transfer: true })
    let r = f.post("/v1/client/sign_ups", &[("transfer", "true")]).await;
    r.expect(200);
    let su = &r.json["response"];
    assert_eq!(su["status"], "complete", "{}", r.text);
    assert_eq!(su["email_address"], "new.user@example.com");
    assert_eq!(su["first_name"], "New");
    assert_eq!(
        su["verifications"]["external_account"]["status"],
        "verified"
    );
    assert_eq!(
        su["verifications"]["email_address"]["strategy"],
        "from_oauth_github"
    );
    let sid = su["created_session_id"].as_str().unwrap();
    assert_eq!(r.json["client"]["last_active_session_id"], sid);
    assert!(r.json["client"]["sign_in"].is_null());
    // The linked account signs in directly next time.
    f.post(&format!("/v1/client/sessions/{sid}/end"), &[])
        .await
        .expect(200);
    let (_, url) = start(&f, "sign_ins", "oauth_github").await;
    follow_to_app(&choose(&f, &url, Some("new.user@example.com")).await).await;
    assert_eq!(client(&f).await["sign_in"]["status"], "complete");
}

#[tokio::test]
async fn sign_up_of_a_new_account_completes_and_an_existing_one_transfers_to_sign_in() {
    let f = dev().await;
    let (su, url) = start(&f, "sign_ups", "oauth_google").await;
    assert_eq!(su["status"], "missing_requirements");
    follow_to_app(&choose(&f, &url, Some("new.user@example.com")).await).await;
    let c = client(&f).await;
    assert_eq!(c["sign_up"]["status"], "complete", "{c}");
    assert_eq!(c["sign_up"]["missing_fields"], json!([]));
    assert_eq!(c["sessions"].as_array().unwrap().len(), 1);

    // Signing up with the demo user's Google account: it exists, transfer to sign-in.
    let f = dev().await;
    let (_, url) = start(&f, "sign_ups", "oauth_google").await;
    follow_to_app(&choose(&f, &url, Some(EMAIL)).await).await;
    let c = client(&f).await;
    let v = &c["sign_up"]["verifications"]["external_account"];
    assert_eq!(v["status"], "transferable", "{c}");
    assert_eq!(v["error"]["code"], "external_account_exists");
    let r = f.post("/v1/client/sign_ins", &[("transfer", "true")]).await;
    r.expect(200);
    assert_eq!(r.json["response"]["status"], "complete", "{}", r.text);
    assert_eq!(r.json["response"]["identifier"], EMAIL);
    assert!(r.json["response"]["created_session_id"].is_string());
}

#[tokio::test]
async fn denied_at_the_provider_fails_with_oauth_access_denied() {
    let f = dev().await;
    let (_, url) = start(&f, "sign_ins", "oauth_google").await;
    let cb = choose(&f, &url, None).await;
    assert!(cb.contains("error=access_denied"), "{cb}");
    follow_to_app(&cb).await;
    let c = client(&f).await;
    let v = &c["sign_in"]["first_factor_verification"];
    assert_eq!(v["status"], "failed");
    assert_eq!(v["error"]["code"], "oauth_access_denied");
    assert!(c["sessions"].as_array().unwrap().is_empty());
    // The user can start over.
    let (_, url) = start(&f, "sign_ins", "oauth_google").await;
    follow_to_app(&choose(&f, &url, Some(EMAIL)).await).await;
    assert_eq!(client(&f).await["sign_in"]["status"], "complete");
}

#[tokio::test]
async fn tampered_and_replayed_callbacks_are_typed_errors_that_change_nothing() {
    let f = dev().await;
    let (_, url) = start(&f, "sign_ins", "oauth_google").await;
    let cb = choose(&f, &url, Some(EMAIL)).await;
    let base = format!("{}/v1/oauth_callback", f.base);
    // Unknown state, no state, a code issued for another state, a forged code.
    callback(&format!("{base}?state=forged&code=x"))
        .await
        .expect_err(400, "oauth_state_invalid");
    callback(&base).await.expect_err(422, "form_param_missing");
    let state = cb
        .split("state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    callback(&format!("{base}?state={state}&code=forged"))
        .await
        .expect_err(400, "oauth_state_invalid");
    let (_, other) = start(&f, "sign_ins", "oauth_google").await;
    let other_cb = choose(&f, &other, Some(EMAIL)).await;
    let other_code = other_cb
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    callback(&format!("{base}?state={state}&code={other_code}"))
        .await
        .expect_err(400, "oauth_state_invalid");
    assert!(client(&f).await["sessions"].as_array().unwrap().is_empty());
    // The genuine callback still works once; a replay is refused.
    follow_to_app(&cb).await;
    let sessions = client(&f).await["sessions"].as_array().unwrap().len();
    assert_eq!(sessions, 1);
    callback(&cb)
        .await
        .expect_err(400, "oauth_state_already_used");
    callback(&format!("{base}?state={state}&error=access_denied"))
        .await
        .expect_err(400, "oauth_state_already_used");
    let c = client(&f).await;
    assert_eq!(c["sessions"].as_array().unwrap().len(), 1);
    // A POST (form_post providers) is turned into the same GET.
    let r = raw()
        .post(&base)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("state=forged&code=x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        "/v1/oauth_callback?state=forged&code=x"
    );
}

#[tokio::test]
async fn wrong_strategy_and_bad_redirect_urls_are_refused() {
    let f = dev().await;
    for (form, status, code) in [
        (
            vec![("strategy", "oauth_facebook"), ("redirect_url", CALLBACK)],
            422,
            "form_param_format_invalid",
        ),
        (
            vec![("strategy", "oauth_google")],
            422,
            "form_param_missing",
        ),
        (
            vec![
                ("strategy", "oauth_google"),
                ("redirect_url", "javascript:alert(1)"),
            ],
            422,
            "form_param_format_invalid",
        ),
        (
            vec![("strategy", "oauth_google"), ("redirect_url", "/relative")],
            422,
            "form_param_format_invalid",
        ),
    ] {
        for kind in ["sign_ins", "sign_ups"] {
            f.post(&format!("/v1/client/{kind}"), &form)
                .await
                .expect_err(status, code);
        }
    }
    // transfer=true with nothing to transfer.
    for (kind, from) in [("sign_ins", "sign-up"), ("sign_ups", "sign-in")] {
        let r = f
            .post(&format!("/v1/client/{kind}"), &[("transfer", "true")])
            .await;
        r.expect_err(422, "form_param_format_invalid");
        assert_eq!(
            r.json["errors"][0]["long_message"],
            format!(
                "There is no {from} to transfer: transfer=true needs a {from} whose OAuth verification is transferable."
            ),
        );
    }
}

#[tokio::test]
async fn transfer_after_the_email_was_claimed_is_form_identifier_exists() {
    let f = dev().await;
    let (_, url) = start(&f, "sign_ins", "oauth_google").await;
    follow_to_app(&choose(&f, &url, Some("new.user@example.com")).await).await;
    control_ok(
        &f,
        "/users",
        json!({"email": "new.user@example.com", "password": "password-123"}),
    )
    .await;
    f.post("/v1/client/sign_ups", &[("transfer", "true")])
        .await
        .expect_err(422, "form_identifier_exists");
}

#[tokio::test]
async fn control_api_defines_provider_accounts_and_mfa_users_need_the_second_factor() {
    let f = dev().await;
    control_ok(
        &f,
        "/oauth/accounts",
        json!({"provider": "github", "email": "octo@example.com", "first_name": "Octo"}),
    )
    .await;
    let (st, list) = f
        .control("GET", "/oauth/accounts?provider=github", None)
        .await;
    assert_eq!(st, 200);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    let (st, _) = f
        .control(
            "POST",
            "/oauth/accounts",
            Some(json!({"provider": "myspace", "email": "a@b.c"})),
        )
        .await;
    assert_eq!(st, 400);
    let (_, url) = start(&f, "sign_ins", "oauth_github").await;
    follow_to_app(&choose(&f, &url, Some("octo@example.com")).await).await;
    assert_eq!(
        client(&f).await["sign_in"]["first_factor_verification"]["status"],
        "transferable"
    );

    // A user with TOTP stops at needs_second_factor after the provider.
    let f = dev().await;
    let (_, users) = f.control("GET", "/users", None).await;
    let uid = users[0]["id"].as_str().unwrap();
    control_ok(
        &f,
        &format!("/users/{uid}/mfa"),
        json!({"totp_secret": SECRET}),
    )
    .await;
    let (_, url) = start(&f, "sign_ins", "oauth_google").await;
    follow_to_app(&choose(&f, &url, Some(EMAIL)).await).await;
    let c = client(&f).await;
    assert_eq!(c["sign_in"]["status"], "needs_second_factor", "{c}");
    assert!(c["sessions"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn production_instance_callback_needs_no_cookie() {
    let f = prod().await;
    let (_, url) = start(&f, "sign_ins", "oauth_google").await;
    // The provider and callback legs carry no cookie (a top-level cross-site navigation
    // may not): the state alone identifies the attempt.
    follow_to_app(&choose(&f, &url, Some(EMAIL)).await).await;
    let c = client(&f).await;
    assert_eq!(c["sign_in"]["status"], "complete", "{c}");
}
