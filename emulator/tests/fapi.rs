//! Integration tests of clerk-emulator over real HTTP. Every FAPI response body
//! is validated against Clerk's OpenAPI document (see `common/openapi.rs`).
//!
//! Custom harness (`harness = false`): runs each scenario in its own task,
//! prints libtest-like lines and, at the end, how many bodies were validated.
//! `cargo test -p clerk-emulator --test fapi -- NAME` runs the scenarios whose
//! name contains NAME.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use clerk_emulator::{ClaimsVersion, Config, InstanceType, SeedUser, Template};
use common::*;
use serde_json::{json, Value};

type Scenario = fn() -> Pin<Box<dyn Future<Output = ()> + Send>>;

macro_rules! scenarios {
    ($($name:ident),* $(,)?) => {
        vec![$((stringify!($name), (|| Box::pin($name()) as Pin<Box<dyn Future<Output = ()> + Send>>) as Scenario)),*]
    };
}

fn main() {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let all = scenarios![
        environment_get_and_patch,
        dev_browser_identity,
        api_versions_and_ignored_params,
        json_bodies_rejected,
        sign_in_password,
        sign_in_errors,
        sign_in_two_step_password,
        sign_in_email_code,
        multi_session,
        sign_up_email_code,
        sign_up_errors,
        touch_and_organizations,
        pending_session_tasks,
        v1_claims,
        tokens_and_templates,
        end_remove_and_sign_out,
        destroy_client,
        me_endpoint,
        revoke_and_expire,
        production_cookies,
        faults,
        request_log_and_reset,
        cors_headers,
        hosted_pages,
        control_api,
        control_api_hardening,
        body_size_limit,
        faults_html_and_stall,
        bapi_auth,
        bapi_users,
        bapi_sessions_and_revoke,
        bapi_organizations_and_jwks,
        handshake_development,
        handshake_nonce_and_production,
        unknown_routes,
        shutdown_stops_serving,
        validator_has_teeth,
        bapi_validator_has_teeth,
    ];
    // Failures are reported once, from the JoinError, without backtraces.
    std::panic::set_hook(Box::new(|_| {}));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let started = Instant::now();
    let (mut passed, mut failed) = (0, Vec::new());
    let selected: Vec<_> = all
        .into_iter()
        .filter(|(n, _)| filter.is_empty() || filter.iter().any(|f| n.contains(f.as_str())))
        .collect();
    println!("\nrunning {} tests", selected.len());
    for (name, f) in selected {
        let res = rt.block_on(async { tokio::spawn(f()).await });
        match res {
            Ok(()) => {
                passed += 1;
                println!("test {name} ... ok");
            }
            Err(e) => {
                println!("test {name} ... FAILED");
                failed.push((name, e));
            }
        }
    }
    let v = common::openapi::VALIDATED.load(Ordering::Relaxed);
    let fallback = common::openapi::VALIDATED_AS_CLERK_ERRORS.load(Ordering::Relaxed);
    let none = common::openapi::NO_SCHEMA.load(Ordering::Relaxed);
    if common::openapi::bapi_spec().is_some() {
        println!(
            "validated {} Backend API response bodies against the BAPI OpenAPI document",
            common::openapi::BAPI_VALIDATED.load(Ordering::Relaxed)
        );
    } else {
        println!("BAPI OpenAPI document absent: 0 Backend API bodies validated");
    }
    if common::openapi::spec().is_some() {
        println!(
            "\nvalidated {v} response bodies against the OpenAPI document ({fallback} error bodies of statuses the document does not list for their path were checked against ClerkErrors; {none} bodies had no schema in the document)"
        );
    } else {
        println!(
            "\nOpenAPI document absent: 0 response bodies validated (behavioural assertions ran)"
        );
    }
    for (name, e) in &failed {
        println!("---- {name} ----\n{e}");
    }
    let status = if failed.is_empty() { "ok" } else { "FAILED" };
    println!(
        "\ntest result: {status}. {passed} passed; {} failed; 0 ignored; 0 measured; 0 filtered out; finished in {:.2}s\n",
        failed.len(),
        started.elapsed().as_secs_f64()
    );
    if !failed.is_empty() {
        std::process::exit(101);
    }
}

// ---------------------------------------------------------------- environment

async fn environment_get_and_patch() {
    let f = dev().await;
    let r = f.get("/v1/environment").await;
    r.expect(200);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let dc = &r.json["display_config"];
    assert_eq!(dc["instance_environment_type"], "development");
    assert_eq!(dc["sign_in_url"], format!("{}/sign-in", f.base));
    assert_eq!(dc["sign_up_url"], format!("{}/sign-up", f.base));
    assert_eq!(r.json["auth_config"]["single_session_mode"], false);
    assert_eq!(r.json["organization_settings"]["enabled"], true);
    // clerk-js "touches" the environment in development: POST ?_method=PATCH.
    f.send("PATCH", "/v1/environment", &[], None)
        .await
        .expect(200);
}

async fn dev_browser_identity() {
    let mut f = start(Config::default()).await;
    // No dev browser → 401 dev_browser_unauthenticated, on every /v1 endpoint.
    for p in ["/v1/environment", "/v1/client", "/v1/me"] {
        f.get(p)
            .await
            .expect_err(401, "dev_browser_unauthenticated");
    }
    f.dvb = Some("dvb_unknown".into());
    f.get("/v1/client")
        .await
        .expect_err(401, "dev_browser_unauthenticated");
    let r = f.send("POST", "/v1/dev_browser", &[], None).await;
    r.expect(200);
    for k in ["id", "instance_id", "token", "created_at", "updated_at"] {
        assert!(!r.json[k].is_null(), "dev browser has {k}");
    }
    assert!(r.json["client_id"].is_null());
    assert!(r.json["home_origin"].is_null());
    f.dvb = Some(r.json["id"].as_str().unwrap().to_string());
    // A brand-new dev browser has no client yet.
    let c = f.get("/v1/client").await;
    c.expect(200);
    assert!(c.json["response"].is_null() && c.json["client"].is_null());
    // The older `token` form is accepted too, and the legacy `__dev_session` name.
    let token = r.json["token"].as_str().unwrap().to_string();
    f.send(
        "GET",
        "/v1/client",
        &[("__clerk_db_jwt", token.as_str())],
        None,
    )
    .await
    .expect(200);
    let id = f.dvb.take().unwrap();
    f.send("GET", "/v1/client", &[("__dev_session", id.as_str())], None)
        .await
        .expect(200);
}

async fn api_versions_and_ignored_params() {
    let f = dev().await;
    for v in [
        "2026-08-20",
        "2026-05-12",
        "2025-11-10",
        "2025-04-10",
        "2024-10-01",
        "2021-02-05",
    ] {
        let url = format!(
            "{}/v1/client?__clerk_api_version={v}&__clerk_db_jwt={}",
            f.base,
            f.dvb.as_deref().unwrap()
        );
        let r = finish("GET", "/v1/client", f.http.get(url).send().await.unwrap()).await;
        r.expect(200);
    }
    for bad in ["1999-01-01", "latest", "2026-13-45"] {
        let url = format!(
            "{}/v1/client?__clerk_api_version={bad}&__clerk_db_jwt={}",
            f.base,
            f.dvb.as_deref().unwrap()
        );
        finish("GET", "/v1/client", f.http.get(url).send().await.unwrap())
            .await
            .expect_err(400, "api_version_invalid");
    }
    // The header alone is fine; header + query parameter is not.
    let url = format!(
        "{}/v1/client?__clerk_db_jwt={}",
        f.base,
        f.dvb.as_deref().unwrap()
    );
    let r = finish(
        "GET",
        "/v1/client",
        f.http
            .get(&url)
            .header("Clerk-API-Version", "2026-05-12")
            .send()
            .await
            .unwrap(),
    )
    .await;
    r.expect(200);
    let url2 = format!("{url}&__clerk_api_version=2026-05-12");
    let r = finish(
        "GET",
        "/v1/client",
        f.http
            .get(&url2)
            .header("Clerk-API-Version", "2026-05-12")
            .send()
            .await
            .unwrap(),
    )
    .await;
    r.expect_err(400, "api_version_invalid");
    // What clerk-js adds besides: retries, debug, tab_state, locale/timezone.
    f.send(
        "GET",
        "/v1/client",
        &[("_clerk_retry_attempt", "2"), ("debug", "skip_cache")],
        None,
    )
    .await
    .expect(200);
}

async fn json_bodies_rejected() {
    let f = dev().await;
    let url = format!(
        "{}/v1/client/sign_ins?__clerk_api_version={API_VERSION}&__clerk_db_jwt={}",
        f.base,
        f.dvb.as_deref().unwrap()
    );
    let r = f
        .http
        .post(url)
        .header("content-type", "application/json")
        .body(
            json!({"identifier": EMAIL, "password": PASSWORD, "strategy": "password"}).to_string(),
        )
        .send()
        .await
        .unwrap();
    let r = finish("POST", "/v1/client/sign_ins", r).await;
    r.expect_err(400, "request_body_invalid");
}

// ---------------------------------------------------------------- sign-in

async fn sign_in_password() {
    let f = dev().await;
    let r = f
        .post(
            "/v1/client/sign_ins",
            &[
                ("identifier", EMAIL),
                ("password", PASSWORD),
                ("strategy", "password"),
                ("locale", "en-US"),
                ("timezone", "UTC"),
            ],
        )
        .await;
    r.expect(200);
    let si = &r.json["response"];
    assert_eq!(si["status"], "complete");
    assert_eq!(si["first_factor_verification"]["status"], "verified");
    let sid = si["created_session_id"].as_str().unwrap();
    let client = &r.json["client"];
    assert_eq!(client["last_active_session_id"], sid);
    assert_eq!(client["last_authentication_strategy"], "password");
    assert!(
        client["sign_in"].is_null(),
        "a completed sign-in is detached from the client"
    );
    let session = &client["sessions"][0];
    assert_eq!(session["status"], "active");
    assert_eq!(
        session["user"]["email_addresses"][0]["email_address"],
        EMAIL
    );
    assert_eq!(session["user"]["first_name"], "Demo");
    assert_eq!(session["public_user_data"]["identifier"], EMAIL);
    assert_eq!(
        session["user"]["organization_memberships"][0]["role"],
        "org:admin"
    );
    // Every client payload carries a fresh token for each active session.
    let jwt = session["last_active_token"]["jwt"].as_str().unwrap();
    let (header, claims) = f.verify(jwt).await;
    assert_eq!(header["typ"], "JWT");
    assert_eq!(claims["sid"], sid);
    assert_eq!(claims["sub"], session["user"]["id"]);
    assert_eq!(claims["azp"], ORIGIN);
    assert_eq!(claims["v"], 2);
    assert_eq!(claims["sts"], "active");
    assert_eq!(
        claims["iss"],
        "https://yew-clerk-emulator.clerk.accounts.dev"
    );
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        60
    );
    assert_eq!(
        claims["iat"].as_i64().unwrap() - claims["nbf"].as_i64().unwrap(),
        10
    );
    assert!(claims.get("o").is_none(), "personal account by default");
    // GET /v1/client mints a new token each time.
    let c1 = f.get("/v1/client").await;
    c1.expect(200);
    assert_eq!(c1.json["response"]["sessions"][0]["id"], sid);
    let c = f
        .get(&format!(
            "/v1/client/sign_ins/{}",
            si["id"].as_str().unwrap()
        ))
        .await;
    c.expect(200);
    assert_eq!(c.json["response"]["status"], "complete");
}

async fn sign_in_errors() {
    let f = dev().await;
    let r = f
        .post(
            "/v1/client/sign_ins",
            &[
                ("identifier", EMAIL),
                ("password", "wrong-password"),
                ("strategy", "password"),
            ],
        )
        .await;
    r.expect_err(422, "form_password_incorrect");
    assert_eq!(r.json["errors"][0]["meta"]["param_name"], "password");
    assert!(r.json["errors"][0]["long_message"].is_string());
    f.post(
        "/v1/client/sign_ins",
        &[
            ("identifier", "nobody@example.com"),
            ("password", "x"),
            ("strategy", "password"),
        ],
    )
    .await
    .expect_err(422, "form_identifier_not_found");
    f.post(
        "/v1/client/sign_ins",
        &[("identifier", EMAIL), ("strategy", "password")],
    )
    .await
    .expect_err(422, "form_param_missing");
    f.post(
        "/v1/client/sign_ins",
        &[("password", PASSWORD), ("strategy", "password")],
    )
    .await
    .expect_err(422, "form_param_missing");
    f.post(
        "/v1/client/sign_ins",
        &[("identifier", EMAIL), ("strategy", "oauth_nope")],
    )
    .await
    .expect_err(422, "form_param_format_invalid");
    f.get("/v1/client/sign_ins/sia_unknown")
        .await
        .expect_err(404, "resource_not_found");
    f.post(
        "/v1/client/sign_ins/sia_unknown/attempt_first_factor",
        &[("strategy", "password"), ("password", "x")],
    )
    .await
    .expect_err(404, "resource_not_found");
    // A sign-in with no identifier at all waits for one.
    let r = f.post("/v1/client/sign_ins", &[]).await;
    r.expect(200);
    assert_eq!(r.json["response"]["status"], "needs_identifier");
}

async fn sign_in_two_step_password() {
    let f = dev().await;
    let r = f
        .post("/v1/client/sign_ins", &[("identifier", EMAIL)])
        .await;
    r.expect(200);
    let si = &r.json["response"];
    assert_eq!(si["status"], "needs_first_factor");
    let strategies: Vec<&str> = si["supported_first_factors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["strategy"].as_str().unwrap())
        .collect();
    assert_eq!(strategies, ["password", "email_code"]);
    assert_eq!(
        si["supported_first_factors"][1]["safe_identifier"],
        "d***@example.com"
    );
    assert_eq!(r.json["client"]["sign_in"]["id"], si["id"]);
    let id = si["id"].as_str().unwrap().to_string();
    let path = format!("/v1/client/sign_ins/{id}/attempt_first_factor");
    f.post(&path, &[("strategy", "password"), ("password", "nope")])
        .await
        .expect_err(422, "form_password_incorrect");
    f.post(&path, &[("strategy", "password")])
        .await
        .expect_err(422, "form_param_missing");
    f.post(&path, &[])
        .await
        .expect_err(422, "form_param_missing");
    let ok = f
        .post(&path, &[("strategy", "password"), ("password", PASSWORD)])
        .await;
    ok.expect(200);
    assert_eq!(ok.json["response"]["status"], "complete");
    assert!(ok.json["response"]["created_session_id"].is_string());
    f.post(&path, &[("strategy", "password"), ("password", PASSWORD)])
        .await
        .expect_err(422, "verification_already_verified");
}

async fn sign_in_email_code() {
    let f = dev().await;
    let r = f
        .post("/v1/client/sign_ins", &[("identifier", EMAIL)])
        .await;
    let id = r.json["response"]["id"].as_str().unwrap().to_string();
    let p = f
        .post(
            &format!("/v1/client/sign_ins/{id}/prepare_first_factor"),
            &[("strategy", "email_code")],
        )
        .await;
    p.expect(200);
    let ffv = &p.json["response"]["first_factor_verification"];
    assert_eq!(ffv["strategy"], "email_code");
    assert_eq!(ffv["status"], "unverified");
    f.post(
        &format!("/v1/client/sign_ins/{id}/prepare_first_factor"),
        &[("strategy", "phone_code")],
    )
    .await
    .expect_err(422, "strategy_for_user_invalid");
    let code = f.code_for(EMAIL).await;
    assert_eq!(code.len(), 6);
    let attempt = format!("/v1/client/sign_ins/{id}/attempt_first_factor");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    f.post(&attempt, &[("strategy", "email_code"), ("code", wrong)])
        .await
        .expect_err(422, "form_code_incorrect");
    f.post(&attempt, &[("strategy", "email_code")])
        .await
        .expect_err(422, "form_param_missing");
    let ok = f
        .post(&attempt, &[("strategy", "email_code"), ("code", &code)])
        .await;
    ok.expect(200);
    assert_eq!(ok.json["response"]["status"], "complete");
    assert_eq!(
        ok.json["client"]["last_authentication_strategy"],
        "email_code"
    );
    // Creating a sign-in with strategy=email_code prepares the code at once.
    let f2 = dev().await;
    let r = f2
        .post(
            "/v1/client/sign_ins",
            &[("identifier", EMAIL), ("strategy", "email_code")],
        )
        .await;
    r.expect(200);
    assert_eq!(
        r.json["response"]["first_factor_verification"]["strategy"],
        "email_code"
    );
}

async fn multi_session() {
    let f = dev().await;
    let (st, _) = f.control("POST", "/users", Some(json!({"email": "second@example.com", "password": "second-password-1", "first_name": "Second"}))).await;
    assert_eq!(st, 200);
    let (s1, u1) = f.sign_in(EMAIL, PASSWORD).await;
    // The same user again on the same client: identifier_already_signed_in with meta.session_id.
    let again = f
        .post(
            "/v1/client/sign_ins",
            &[
                ("identifier", EMAIL),
                ("password", PASSWORD),
                ("strategy", "password"),
            ],
        )
        .await;
    again.expect_err(400, "identifier_already_signed_in");
    assert_eq!(again.json["errors"][0]["meta"]["session_id"], s1.as_str());
    let (s2, u2) = f.sign_in("second@example.com", "second-password-1").await;
    assert_ne!(u1, u2);
    let c = f.get("/v1/client").await;
    let sessions = c.json["response"]["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2, "signing in again adds a session");
    assert_eq!(c.json["response"]["last_active_session_id"], s2.as_str());
    for s in sessions {
        assert!(s["last_active_token"]["jwt"].is_string());
    }
    // Select the first session again.
    let t = f
        .post(
            &format!("/v1/client/sessions/{s1}/touch"),
            &[("intent", "select_session"), ("active_organization_id", "")],
        )
        .await;
    t.expect(200);
    assert_eq!(t.json["client"]["last_active_session_id"], s1.as_str());
}

// ---------------------------------------------------------------- sign-up

async fn sign_up_email_code() {
    let f = dev().await;
    let r = f
        .post(
            "/v1/client/sign_ups",
            &[
                ("email_address", "new@example.com"),
                ("password", "new-password-123"),
                ("first_name", "New"),
                ("last_name", "Person"),
                ("locale", "en-US"),
            ],
        )
        .await;
    r.expect(200);
    let su = &r.json["response"];
    assert_eq!(su["status"], "missing_requirements");
    assert_eq!(su["unverified_fields"], json!(["email_address"]));
    assert_eq!(
        su["verifications"]["email_address"]["next_action"],
        "needs_prepare"
    );
    let id = su["id"].as_str().unwrap().to_string();
    assert_eq!(r.json["client"]["sign_up"]["id"], id.as_str());
    let g = f.get(&format!("/v1/client/sign_ups/{id}")).await;
    g.expect(200);
    let u = f
        .send(
            "PATCH",
            &format!("/v1/client/sign_ups/{id}"),
            &[],
            Some(&[("last_name", "Renamed")]),
        )
        .await;
    u.expect(200);
    assert_eq!(u.json["response"]["last_name"], "Renamed");
    let p = f
        .post(
            &format!("/v1/client/sign_ups/{id}/prepare_verification"),
            &[("strategy", "email_code")],
        )
        .await;
    p.expect(200);
    assert_eq!(
        p.json["response"]["verifications"]["email_address"]["next_action"],
        "needs_attempt"
    );
    let code = f.code_for("new@example.com").await;
    let attempt = format!("/v1/client/sign_ups/{id}/attempt_verification");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    f.post(&attempt, &[("strategy", "email_code"), ("code", wrong)])
        .await
        .expect_err(422, "form_code_incorrect");
    let ok = f
        .post(&attempt, &[("strategy", "email_code"), ("code", &code)])
        .await;
    ok.expect(200);
    let su = &ok.json["response"];
    assert_eq!(su["status"], "complete");
    assert!(su["created_user_id"].as_str().unwrap().starts_with("user_"));
    let sid = su["created_session_id"].as_str().unwrap();
    assert_eq!(ok.json["client"]["last_active_session_id"], sid);
    assert_eq!(
        ok.json["client"]["sessions"][0]["user"]["last_name"],
        "Renamed"
    );
    // The new user can sign in with a password from another browser.
    let mut f = f;
    f.new_dev_browser().await;
    f.sign_in("new@example.com", "new-password-123").await;
}

async fn sign_up_errors() {
    let f = dev().await;
    f.post(
        "/v1/client/sign_ups",
        &[("email_address", EMAIL), ("password", "whatever-123")],
    )
    .await
    .expect_err(422, "form_identifier_exists");
    f.post(
        "/v1/client/sign_ups",
        &[
            ("email_address", "short@example.com"),
            ("password", "short"),
        ],
    )
    .await
    .expect_err(422, "form_password_length_too_short");
    f.post("/v1/client/sign_ups", &[("email_address", "not-an-email")])
        .await
        .expect_err(422, "form_param_format_invalid");
    let r = f
        .post(
            "/v1/client/sign_ups",
            &[("email_address", "nopass@example.com")],
        )
        .await;
    r.expect(200);
    assert_eq!(r.json["response"]["missing_fields"], json!(["password"]));
    let id = r.json["response"]["id"].as_str().unwrap();
    f.post(
        &format!("/v1/client/sign_ups/{id}/attempt_verification"),
        &[("strategy", "email_code"), ("code", "123456")],
    )
    .await
    .expect_err(422, "strategy_for_user_invalid");
    f.post(
        &format!("/v1/client/sign_ups/{id}/prepare_verification"),
        &[],
    )
    .await
    .expect_err(422, "form_param_missing");
    f.get("/v1/client/sign_ups/sua_unknown")
        .await
        .expect_err(404, "resource_not_found");
}

// ---------------------------------------------------------------- sessions

async fn touch_and_organizations() {
    let f = dev().await;
    let (sid, uid) = f.sign_in(EMAIL, PASSWORD).await;
    let c = f.get("/v1/client").await;
    let org_id = c.json["response"]["sessions"][0]["user"]["organization_memberships"][0]
        ["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let other = f
        .control(
            "POST",
            "/organizations",
            Some(json!({"name": "Other Org", "members": []})),
        )
        .await
        .1;
    let other_id = other["id"].as_str().unwrap().to_string();
    let touch = format!("/v1/client/sessions/{sid}/touch");
    let before = c.json["response"]["updated_at"].as_i64().unwrap();
    let t = f.select_org(&sid, &org_id).await;
    t.expect(200);
    assert_eq!(
        t.json["response"]["last_active_organization_id"],
        org_id.as_str()
    );
    assert!(
        t.json["client"]["updated_at"].as_i64().unwrap() > before,
        "touch bumps updated_at"
    );
    let jwt = t.json["response"]["last_active_token"]["jwt"]
        .as_str()
        .unwrap();
    let (_, claims) = f.verify(jwt).await;
    assert_eq!(claims["o"]["id"], org_id.as_str());
    assert_eq!(claims["o"]["slg"], "demo-org");
    assert_eq!(claims["o"]["rol"], "admin");
    assert!(claims["o"]["per"]
        .as_str()
        .unwrap()
        .contains("sys_memberships:manage"));
    f.post(&touch, &[("active_organization_id", &other_id)])
        .await
        .expect_err(403, "not_a_member_in_organization");
    // Token for the active org (absent), for the personal account (empty), for a foreign org.
    let tokens = format!("/v1/client/sessions/{sid}/tokens");
    let (_, c1) = f
        .verify(
            f.post(&tokens, &[("tab_state", "focused")]).await.json["jwt"]
                .as_str()
                .unwrap(),
        )
        .await;
    assert_eq!(c1["o"]["id"], org_id.as_str());
    let (_, c2) = f
        .verify(
            f.post(&tokens, &[("organization_id", "")]).await.json["jwt"]
                .as_str()
                .unwrap(),
        )
        .await;
    assert!(c2.get("o").is_none());
    f.post(&tokens, &[("organization_id", &other_id)])
        .await
        .expect_err(403, "not_a_member_in_organization");
    // …without changing the session's active org.
    let g = f.get(&format!("/v1/client/sessions/{sid}")).await;
    g.expect(200);
    assert_eq!(
        g.json["response"]["last_active_organization_id"],
        org_id.as_str()
    );
    // Back to the personal account.
    let t = f
        .post(
            &touch,
            &[("active_organization_id", ""), ("intent", "select_org")],
        )
        .await;
    assert!(t.json["response"]["last_active_organization_id"].is_null());
    // A member added through the control API.
    let (st, _) = f.control("POST", "/organizations", Some(json!({"name": "Team", "slug": "team", "members": [{"user_id": uid, "role": "org:member"}]}))).await;
    assert_eq!(st, 200);
    let me = f.get("/v1/me").await;
    assert_eq!(
        me.json["response"]["organization_memberships"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    f.get("/v1/client/sessions/sess_unknown")
        .await
        .expect_err(404, "resource_not_found");
}

async fn pending_session_tasks() {
    let f = dev().await;
    let (st, config) = f
        .control(
            "POST",
            "/settings",
            Some(json!({"force_organization_selection": true})),
        )
        .await;
    assert_eq!(st, 200);
    assert_eq!(config["force_organization_selection"], true);
    let (sid, _) = f.sign_in(EMAIL, PASSWORD).await;
    let c = f.get("/v1/client").await;
    c.expect(200);
    let session = &c.json["response"]["sessions"][0];
    assert_eq!(c.json["response"]["last_active_session_id"], sid.as_str());
    assert_eq!(session["status"], "pending");
    assert_eq!(session["tasks"], json!([{"key": "choose-organization"}]));
    assert!(session["last_active_organization_id"].is_null());
    let (_, claims) = f
        .verify(session["last_active_token"]["jwt"].as_str().unwrap())
        .await;
    assert_eq!(claims["sts"], "pending");
    // A pending session mints tokens (with `sts: pending`) and reads /v1/me.
    let tokens = format!("/v1/client/sessions/{sid}/tokens");
    let t = f.post(&tokens, &[]).await;
    t.expect(200);
    assert_eq!(
        f.verify(t.json["jwt"].as_str().unwrap()).await.1["sts"],
        "pending"
    );
    f.get("/v1/me").await.expect(200);
    // The personal account does not complete the task; an organization does.
    let touch = format!("/v1/client/sessions/{sid}/touch");
    let t = f.post(&touch, &[("active_organization_id", "")]).await;
    assert_eq!(t.json["response"]["status"], "pending");
    let org_id = session["user"]["organization_memberships"][0]["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let t = f.select_org(&sid, &org_id).await;
    t.expect(200);
    assert_eq!(t.json["response"]["status"], "active");
    assert!(t.json["response"]["tasks"].is_null());
    let (_, claims) = f
        .verify(
            t.json["response"]["last_active_token"]["jwt"]
                .as_str()
                .unwrap(),
        )
        .await;
    assert_eq!(claims["sts"], "active");
    assert_eq!(claims["o"]["id"], org_id.as_str());
    // A pending session signs out like an active one; reset restores the startup setting.
    f.send("DELETE", "/v1/client/sessions", &[], None)
        .await
        .expect(200);
    let (sid2, _) = f.sign_in(EMAIL, PASSWORD).await;
    f.send("DELETE", "/v1/client/sessions", &[], None)
        .await
        .expect(200);
    let g = f.get(&format!("/v1/client/sessions/{sid2}")).await;
    assert_eq!(g.json["response"]["status"], "removed");
    f.control("POST", "/reset", None).await;
    let (_, config) = f.control("GET", "/config", None).await;
    assert_eq!(config["force_organization_selection"], false);
}

async fn v1_claims() {
    let mut f = start(Config {
        claims: ClaimsVersion::V1,
        token_lifetime_secs: 120,
        ..Config::default()
    })
    .await;
    f.new_dev_browser().await;
    let (sid, _) = f.sign_in(EMAIL, PASSWORD).await;
    let c = f.get("/v1/client").await;
    let org_id = c.json["response"]["sessions"][0]["user"]["organization_memberships"][0]
        ["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = f
        .post(
            &format!("/v1/client/sessions/{sid}/tokens"),
            &[("organization_id", &org_id)],
        )
        .await;
    let (_, claims) = f.verify(r.json["jwt"].as_str().unwrap()).await;
    assert!(claims.get("v").is_none());
    assert_eq!(claims["org_id"], org_id.as_str());
    assert_eq!(claims["org_role"], "org:admin");
    assert_eq!(claims["org_slug"], "demo-org");
    assert!(claims["org_permissions"].as_array().unwrap().len() > 1);
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        120
    );
}

async fn tokens_and_templates() {
    let mut f = start(Config {
        templates: vec![
            Template {
                name: "supabase".into(),
                lifetime_secs: None,
            },
            Template {
                name: "long".into(),
                lifetime_secs: Some(3600),
            },
        ],
        ..Config::default()
    })
    .await;
    f.new_dev_browser().await;
    let (sid, uid) = f.sign_in(EMAIL, PASSWORD).await;
    let r = f
        .post(
            &format!("/v1/client/sessions/{sid}/tokens"),
            &[("organization_id", "")],
        )
        .await;
    r.expect(200);
    assert_eq!(r.json["object"], "token");
    let r = f
        .post(&format!("/v1/client/sessions/{sid}/tokens/supabase"), &[])
        .await;
    r.expect(200);
    let (_, c) = f.verify(r.json["jwt"].as_str().unwrap()).await;
    assert_eq!(c["sub"], uid.as_str());
    assert_eq!(c["aud"], "authenticated");
    assert_eq!(c["email"], EMAIL);
    let r = f
        .post(&format!("/v1/client/sessions/{sid}/tokens/long"), &[])
        .await;
    let (_, c) = f.verify(r.json["jwt"].as_str().unwrap()).await;
    assert_eq!(
        c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(),
        3600
    );
    f.post(&format!("/v1/client/sessions/{sid}/tokens/nope"), &[])
        .await
        .expect_err(404, "resource_not_found");
    f.post("/v1/client/sessions/sess_unknown/tokens", &[])
        .await
        .expect_err(404, "resource_not_found");
    // Another client cannot mint tokens for this session.
    let mut g = start(Config::default()).await;
    g.base = f.base.clone();
    g.new_dev_browser().await;
    g.post(&format!("/v1/client/sessions/{sid}/tokens"), &[])
        .await
        .expect_err(404, "resource_not_found");
}

async fn end_remove_and_sign_out() {
    let f = dev().await;
    let (st, _) = f
        .control(
            "POST",
            "/users",
            Some(json!({"email": "b@example.com", "password": "b-password-123"})),
        )
        .await;
    assert_eq!(st, 200);
    let (s1, _) = f.sign_in(EMAIL, PASSWORD).await;
    let (s2, _) = f.sign_in("b@example.com", "b-password-123").await;
    let e = f.post(&format!("/v1/client/sessions/{s1}/end"), &[]).await;
    e.expect(200);
    assert_eq!(e.json["response"]["status"], "ended");
    assert!(e.json["response"]["last_active_token"].is_null());
    assert_eq!(e.json["client"]["sessions"].as_array().unwrap().len(), 1);
    f.post(&format!("/v1/client/sessions/{s1}/tokens"), &[])
        .await
        .expect_err(401, "signed_out");
    f.post(&format!("/v1/client/sessions/{s1}/touch"), &[])
        .await
        .expect_err(401, "signed_out");
    let rm = f
        .post(&format!("/v1/client/sessions/{s2}/remove"), &[])
        .await;
    rm.expect(200);
    assert_eq!(rm.json["response"]["status"], "removed");
    assert!(rm.json["client"]["last_active_session_id"].is_null());
    f.post(&format!("/v1/client/sessions/{s2}/tokens"), &[])
        .await
        .expect_err(401, "signed_out");
    // Sign out of everything: DELETE /v1/client/sessions keeps the client.
    let (s3, _) = f.sign_in(EMAIL, PASSWORD).await;
    let d = f.send("DELETE", "/v1/client/sessions", &[], None).await;
    d.expect(200);
    assert!(d.json["client"].is_null());
    assert_eq!(d.json["response"]["sessions"], json!([]));
    assert!(d.json["response"]["last_active_session_id"].is_null());
    f.post(&format!("/v1/client/sessions/{s3}/tokens"), &[])
        .await
        .expect_err(401, "signed_out");
    let c = f.get("/v1/client").await;
    assert!(c.json["response"]["id"].is_string(), "client kept");
}

async fn destroy_client() {
    let f = dev().await;
    f.send("DELETE", "/v1/client", &[], None)
        .await
        .expect_err(404, "resource_not_found");
    let (sid, _) = f.sign_in(EMAIL, PASSWORD).await;
    let d = f.send("DELETE", "/v1/client", &[], None).await;
    d.expect(200);
    assert!(d.json["client"].is_null());
    let c = f.get("/v1/client").await;
    assert!(c.json["response"].is_null(), "client dropped");
    f.post(&format!("/v1/client/sessions/{sid}/tokens"), &[])
        .await
        .expect_err(404, "resource_not_found");
    f.send("DELETE", "/v1/client/sessions", &[], None)
        .await
        .expect_err(404, "resource_not_found");
    // PUT/POST /v1/client create a fresh client.
    let n = f.post("/v1/client", &[]).await;
    n.expect(200);
    assert!(n.json["response"]["id"]
        .as_str()
        .unwrap()
        .starts_with("client_"));
    let p = f.send("PUT", "/v1/client", &[], None).await;
    p.expect(200);
    assert_ne!(p.json["response"]["id"], n.json["response"]["id"]);
}

async fn me_endpoint() {
    let f = dev().await;
    f.get("/v1/me").await.expect_err(401, "signed_out");
    let (s1, u1) = f.sign_in(EMAIL, PASSWORD).await;
    let (st, _) = f
        .control(
            "POST",
            "/users",
            Some(json!({"email": "c@example.com", "password": "c-password-123"})),
        )
        .await;
    assert_eq!(st, 200);
    let (_s2, u2) = f.sign_in("c@example.com", "c-password-123").await;
    let me = f.get("/v1/me").await;
    me.expect(200);
    assert_eq!(me.json["response"]["id"], u2.as_str());
    assert!(me.json["client"]["id"].is_string());
    let me1 = f
        .send("GET", "/v1/me", &[("_clerk_session_id", s1.as_str())], None)
        .await;
    assert_eq!(me1.json["response"]["id"], u1.as_str());
}

async fn revoke_and_expire() {
    let f = dev().await;
    let (sid, _) = f.sign_in(EMAIL, PASSWORD).await;
    let (st, v) = f
        .control("POST", &format!("/sessions/{sid}/revoke"), None)
        .await;
    assert_eq!((st, v["status"].as_str()), (200, Some("revoked")));
    f.post(&format!("/v1/client/sessions/{sid}/tokens"), &[])
        .await
        .expect_err(401, "signed_out");
    let c = f.get("/v1/client").await;
    assert_eq!(c.json["response"]["sessions"], json!([]));
    assert!(c.json["response"]["last_active_session_id"].is_null());
    let g = f.get(&format!("/v1/client/sessions/{sid}")).await;
    assert_eq!(g.json["response"]["status"], "revoked");
    let (sid2, _) = f.sign_in(EMAIL, PASSWORD).await;
    f.control("POST", &format!("/sessions/{sid2}/expire"), None)
        .await;
    f.post(&format!("/v1/client/sessions/{sid2}/tokens"), &[])
        .await
        .expect_err(401, "signed_out");
    let g = f.get(&format!("/v1/client/sessions/{sid2}")).await;
    assert_eq!(g.json["response"]["status"], "expired");
    let (st, _) = f.control("POST", "/sessions/sess_nope/revoke", None).await;
    assert_eq!(st, 404);
    // expire_at is enforced: a 1-second session expires on its own.
    let (st, cfg) = f
        .control(
            "POST",
            "/settings",
            Some(json!({"session_lifetime_secs": 1})),
        )
        .await;
    assert_eq!((st, cfg["session_lifetime_secs"].as_i64()), (200, Some(1)));
    let (sid3, _) = f.sign_in(EMAIL, PASSWORD).await;
    f.post(&format!("/v1/client/sessions/{sid3}/tokens"), &[])
        .await
        .expect(200);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    f.post(&format!("/v1/client/sessions/{sid3}/tokens"), &[])
        .await
        .expect_err(401, "signed_out");
    let g = f.get(&format!("/v1/client/sessions/{sid3}")).await;
    assert_eq!(g.json["response"]["status"], "expired");
}

// ---------------------------------------------------------------- production

async fn production_cookies() {
    let f = prod().await;
    assert!(f.handle.publishable_key().starts_with("pk_live_"));
    let env = f.get("/v1/environment").await;
    env.expect(200);
    assert_eq!(
        env.json["display_config"]["instance_environment_type"],
        "production"
    );
    let c = f.get("/v1/client").await;
    c.expect(200);
    assert!(c.json["response"].is_null());
    f.post("/v1/dev_browser", &[]).await.expect(400);
    let r = f
        .post(
            "/v1/client/sign_ins",
            &[
                ("identifier", EMAIL),
                ("password", PASSWORD),
                ("strategy", "password"),
            ],
        )
        .await;
    r.expect(200);
    let cookies: Vec<&str> = r
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let client_cookie = cookies
        .iter()
        .find(|c| c.starts_with("__client="))
        .expect("__client cookie");
    assert!(
        client_cookie.contains("HttpOnly")
            && client_cookie.contains("SameSite=Lax")
            && !client_cookie.contains("Secure"),
        "{client_cookie}"
    );
    let uat = cookies
        .iter()
        .find(|c| c.starts_with("__client_uat="))
        .expect("__client_uat cookie");
    assert!(!uat.starts_with("__client_uat=0;"), "{uat}");
    // The cookie jar now identifies the client.
    let c = f.get("/v1/client").await;
    assert_eq!(c.json["response"]["sessions"].as_array().unwrap().len(), 1);
    let (_, claims) = f
        .verify(
            c.json["response"]["sessions"][0]["last_active_token"]["jwt"]
                .as_str()
                .unwrap(),
        )
        .await;
    assert_eq!(claims["iss"], "https://clerk.yew-clerk-emulator.test");
    // A request without cookies is a different (absent) client.
    let bare = reqwest::Client::new();
    let url = format!("{}/v1/client?__clerk_api_version={API_VERSION}", f.base);
    let r = finish("GET", "/v1/client", bare.get(url).send().await.unwrap()).await;
    assert!(r.json["response"].is_null());
    // Sign out → __client_uat=0.
    let d = f.send("DELETE", "/v1/client/sessions", &[], None).await;
    let uat = d
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("__client_uat="))
        .unwrap()
        .to_string();
    assert!(uat.starts_with("__client_uat=0;"), "{uat}");
    // Destroying the client clears __client.
    let d = f.send("DELETE", "/v1/client", &[], None).await;
    d.expect(200);
    assert!(d
        .headers
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap_or("").starts_with("__client=;")));
}

// ---------------------------------------------------------------- faults, log, control

async fn faults() {
    let f = dev().await;
    let add = |body: Value| f.control("POST", "/faults", Some(body));
    // latency
    assert_eq!(
        add(json!({"path": "/v1/environment", "kind": "latency", "latency_ms": 300, "times": 1}))
            .await
            .0,
        200
    );
    let t = Instant::now();
    f.get("/v1/environment").await.expect(200);
    assert!(t.elapsed() >= Duration::from_millis(300));
    let t = Instant::now();
    f.get("/v1/environment").await.expect(200);
    assert!(t.elapsed() < Duration::from_millis(300), "times=1 consumed");
    // 5xx
    add(
        json!({"path": "/v1/client", "method": "GET", "kind": "status", "status": 500, "times": 1}),
    )
    .await;
    f.get("/v1/client")
        .await
        .expect_err(500, "internal_clerk_error");
    add(json!({"path": "/v1/client", "kind": "status", "status": 503, "times": 1})).await;
    f.get("/v1/client").await.expect(503);
    // 429 + Retry-After
    add(json!({"path": "/v1/client/sessions/*", "kind": "rate_limit", "retry_after": 7, "times": 1})).await;
    let (sid, _) = f.sign_in(EMAIL, PASSWORD).await;
    let r = f
        .post(&format!("/v1/client/sessions/{sid}/tokens"), &[])
        .await;
    r.expect_err(429, "rate_limit_exceeded");
    assert_eq!(r.header("retry-after"), Some("7"));
    f.post(&format!("/v1/client/sessions/{sid}/tokens"), &[])
        .await
        .expect(200);
    // Network drop: the connection closes with no response.
    add(json!({"path": "/v1/client", "kind": "drop", "times": 1})).await;
    let url = format!(
        "{}/v1/client?__clerk_api_version={API_VERSION}&__clerk_db_jwt={}",
        f.base,
        f.dvb.as_deref().unwrap()
    );
    assert!(
        reqwest::Client::new().get(&url).send().await.is_err(),
        "dropped connection is a network error"
    );
    // Malformed body.
    add(json!({"path": "/v1/client", "kind": "malformed", "times": 1})).await;
    let r = reqwest::Client::new().get(&url).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(serde_json::from_str::<Value>(&r.text().await.unwrap()).is_err());
    // Method filter: a DELETE-only fault does not hit GET.
    add(
        json!({"path": "/v1/client/sessions", "method": "DELETE", "kind": "status", "status": 502}),
    )
    .await;
    f.get("/v1/client").await.expect(200);
    f.send("DELETE", "/v1/client/sessions", &[], None)
        .await
        .expect(502);
    let (_, list) = f.control("GET", "/faults", None).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    f.control("DELETE", "/faults", None).await;
    f.send("DELETE", "/v1/client/sessions", &[], None)
        .await
        .expect(200);
}

async fn request_log_and_reset() {
    let f = dev().await;
    f.control("DELETE", "/requests", None).await;
    let (sid, _) = f.sign_in(EMAIL, PASSWORD).await;
    f.send("DELETE", "/v1/client/sessions", &[], None)
        .await
        .expect(200);
    let (_, log) = f.control("GET", "/requests", None).await;
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[0]["method"], "POST");
    assert_eq!(log[0]["path"], "/v1/client/sign_ins");
    assert_eq!(log[0]["status"], 200);
    assert_eq!(log[1]["method"], "DELETE");
    assert_eq!(log[1]["wire_method"], "POST");
    assert!(log[1]["query"].as_str().unwrap().contains("_method=DELETE"));
    assert!(log[1]["at_ms"].as_i64().unwrap() > 0);
    // Reset drops clients, sessions and dev browsers; users come back to the seed.
    f.control(
        "POST",
        "/users",
        Some(json!({"email": "tmp@example.com", "password": "tmp-password-1"})),
    )
    .await;
    f.control(
        "POST",
        "/faults",
        Some(json!({"path": "/v1/client", "kind": "status", "status": 500})),
    )
    .await;
    let (st, _) = f.control("POST", "/reset", None).await;
    assert_eq!(st, 200);
    f.get("/v1/client")
        .await
        .expect_err(401, "dev_browser_unauthenticated");
    let (_, users) = f.control("GET", "/users", None).await;
    assert_eq!(users.as_array().unwrap().len(), 1);
    let (_, log) = f.control("GET", "/requests", None).await;
    assert_eq!(
        log.as_array().unwrap().len(),
        1,
        "log restarted after reset"
    );
    let (_, sessions) = f.control("GET", "/sessions", None).await;
    assert!(sessions
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["id"] != sid.as_str()));
}

async fn cors_headers() {
    let f = dev().await;
    let pre = f
        .http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/__emulator/users", f.base),
        )
        .header("origin", "http://localhost:8080")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(pre.status().as_u16(), 204);
    let h = pre.headers();
    assert_eq!(h["access-control-allow-origin"], "http://localhost:8080");
    assert_eq!(h["access-control-allow-credentials"], "true");
    assert!(h["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .contains("content-type"));
    let r = f.get("/v1/environment").await;
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    assert_eq!(
        r.header("cross-origin-resource-policy"),
        Some("cross-origin")
    );
    let exposed = r.header("access-control-expose-headers").unwrap();
    assert!(exposed.contains("Retry-After") && exposed.contains("Clerk-Db-Jwt"));
    // Errors carry CORS too (clerk-js must be able to read them).
    let e = f.get("/v1/client/sign_ins/sia_x").await;
    assert_eq!(e.header("access-control-allow-origin"), Some(ORIGIN));
    // Foreign origins get no CORS grant; CORP stays.
    let url = format!("{}/.well-known/jwks.json", f.base);
    let r = finish(
        "GET",
        "/.well-known/jwks.json",
        f.http
            .get(url)
            .header("origin", "https://evil.example")
            .send()
            .await
            .unwrap(),
    )
    .await;
    r.expect(200);
    assert!(r.header("access-control-allow-origin").is_none());
    assert_eq!(
        r.header("cross-origin-resource-policy"),
        Some("cross-origin")
    );
    assert_eq!(r.json["keys"][0]["kty"], "RSA");
    assert_eq!(r.json["keys"][0]["alg"], "RS256");
}

async fn hosted_pages() {
    let mut f = dev().await;
    for p in ["/sign-in", "/sign-up", "/"] {
        let r = f.http.get(format!("{}{p}", f.base)).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        let body = r.text().await.unwrap();
        assert!(body.contains("data-instance=\"development\""));
        if p != "/" {
            assert!(body.contains("__clerk_db_jwt") && body.contains("redirect_url"));
        }
    }
    // The pages use plain FAPI calls; the dev browser in their URL ties the
    // session to the app's client. Simulate what their JS sends.
    let app_dvb = f.dvb.clone().unwrap();
    f.sign_in(EMAIL, PASSWORD).await;
    f.dvb = Some(app_dvb);
    let c = f.get("/v1/client").await;
    assert_eq!(c.json["response"]["sessions"].as_array().unwrap().len(), 1);
}

async fn control_api() {
    let f = start(Config {
        users: vec![SeedUser::parse("ada@example.com:ada-password-1:Ada:Lovelace").unwrap()],
        seed_org: false,
        ..Config::default()
    })
    .await;
    let (st, cfg) = f.control("GET", "/config", None).await;
    assert_eq!(st, 200);
    assert_eq!(cfg["instance_type"], "development");
    assert_eq!(cfg["proxy_url"], f.base.as_str());
    assert_eq!(cfg["frontend_api"], "yew-clerk-emulator.clerk.accounts.dev");
    assert_eq!(cfg["token_lifetime_secs"], 60);
    let pk = cfg["publishable_key"].as_str().unwrap();
    assert!(pk.starts_with("pk_test_"));
    use base64::Engine;
    let decoded = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(pk.trim_start_matches("pk_test_"))
        .unwrap();
    assert_eq!(
        String::from_utf8(decoded).unwrap(),
        "yew-clerk-emulator.clerk.accounts.dev$"
    );
    let (st, cfg) = f
        .control("POST", "/settings", Some(json!({"token_lifetime_secs": 5})))
        .await;
    assert_eq!((st, cfg["token_lifetime_secs"].as_u64()), (200, Some(5)));
    let (st, u) = f.control("POST", "/users", Some(json!({"email": "meta@example.com", "password": "meta-password-1", "username": "meta", "public_metadata": {"plan": "pro"}}))).await;
    assert_eq!(st, 200);
    assert_eq!(u["public_metadata"]["plan"], "pro");
    assert_eq!(
        f.control("POST", "/users", Some(json!({"email": "meta@example.com"})))
            .await
            .0,
        409
    );
    assert_eq!(
        f.control("POST", "/users", Some(json!({"nope": 1})))
            .await
            .0,
        400
    );
    let (st, org) = f.control("POST", "/organizations", Some(json!({"name": "Acme Inc", "members": [{"email": "ada@example.com", "role": "org:admin"}, {"user_id": u["id"], "role": "org:viewer", "permissions": ["org:reports:read"]}]}))).await;
    assert_eq!(st, 200);
    assert_eq!(org["slug"], "acme-inc");
    assert_eq!(org["members_count"], 2);
    assert_eq!(
        f.control("GET", "/verification_codes?email=none@example.com", None)
            .await
            .0,
        404
    );
    assert_eq!(f.control("GET", "/nope", None).await.0, 404);
    // The seeded user works, and the new lifetime applies; a username is an identifier too.
    let mut f = f;
    f.new_dev_browser().await;
    let (sid, _) = f.sign_in("ada@example.com", "ada-password-1").await;
    let r = f
        .post(&format!("/v1/client/sessions/{sid}/tokens"), &[])
        .await;
    let (_, c) = f.verify(r.json["jwt"].as_str().unwrap()).await;
    assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 5);
    f.sign_in("meta", "meta-password-1").await;
}

/// Issue 10: the control API must not be reachable by cross-site "simple" requests
/// (text/plain or form POSTs need no preflight) and must refuse settings that overflow.
async fn control_api_hardening() {
    let f = dev().await;
    let raw =
        |method: &'static str, path: &'static str, ct: Option<&'static str>, body: &'static str| {
            let mut rb = f
                .http
                .request(
                    method.parse().unwrap(),
                    format!("{}/__emulator{path}", f.base),
                )
                .header("origin", "https://evil.example");
            if let Some(ct) = ct {
                rb = rb.header("content-type", ct);
            }
            async move {
                let r = rb.body(body).send().await.unwrap();
                let st = r.status().as_u16();
                (st, r.json::<Value>().await.unwrap_or(Value::Null))
            }
        };
    // A cross-site form POST with a JSON-looking text/plain body.
    let (st, body) = raw(
        "POST",
        "/settings",
        Some("text/plain"),
        r#"{"token_lifetime_secs": 1}"#,
    )
    .await;
    assert_eq!(st, 415, "{body}");
    assert_eq!(
        body["errors"][0]["code"], "unsupported_media_type",
        "{body}"
    );
    let (st, _) = raw(
        "POST",
        "/reset",
        Some("application/x-www-form-urlencoded"),
        "a=b",
    )
    .await;
    assert_eq!(st, 415);
    let (st, _) = raw("POST", "/reset", None, "").await;
    assert_eq!(st, 415, "a body-less POST is a simple request too");
    let (st, _) = raw("POST", "/reset", None, "null").await;
    assert_eq!(st, 415);
    // Scripts (no Origin: node's fetch, curl) may send body-less calls without a type,
    // as tools/conformance does for `POST /sessions/{id}/revoke`.
    let r = f
        .http
        .post(format!("{}/__emulator/sessions/sess_x/revoke", f.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404, "reaches the route");
    // ...but never a body without the JSON type.
    let r = f
        .http
        .post(format!("{}/__emulator/settings", f.base))
        .header("content-type", "text/plain")
        .body(r#"{"token_lifetime_secs": 1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 415);
    // `_method` must not turn a simple POST into a DELETE of the faults.
    let (st, _) = raw("POST", "/faults?_method=DELETE", Some("text/plain"), "").await;
    assert_eq!(st, 415);
    let (_, cfg) = f.control("GET", "/config", None).await;
    assert_eq!(cfg["token_lifetime_secs"], 60, "nothing changed");
    // JSON with parameters is fine.
    let (st, _) = raw(
        "POST",
        "/settings",
        Some("application/json; charset=utf-8"),
        "{}",
    )
    .await;
    assert_eq!(st, 200);
    // Out-of-range settings: 400, nothing applied (u64::MAX used to overflow the token `exp`).
    for bad in [
        json!({"token_lifetime_secs": u64::MAX}),
        json!({"token_lifetime_secs": 0}),
        json!({"token_lifetime_secs": -1}),
        json!({"token_lifetime_secs": 1.5}),
        json!({"session_lifetime_secs": u64::MAX}),
        json!({"session_lifetime_secs": 9_223_372_036_854_775u64}),
        json!({"token_lifetime_secs": "60"}),
    ] {
        let (st, body) = f.control("POST", "/settings", Some(bad.clone())).await;
        assert_eq!(st, 400, "{bad} → {body}");
    }
    let (_, cfg) = f.control("GET", "/config", None).await;
    assert_eq!(cfg["token_lifetime_secs"], 60);
    assert_eq!(cfg["session_lifetime_secs"], 7 * 24 * 3600);
    // The largest accepted values still mint tokens and sessions.
    let (st, cfg) = f
        .control("POST", "/settings", Some(json!({"token_lifetime_secs": 315_360_000u64, "session_lifetime_secs": 315_360_000u64})))
        .await;
    assert_eq!(st, 200, "{cfg}");
    let (sid, _) = f.sign_in(EMAIL, PASSWORD).await;
    let r = f
        .post(&format!("/v1/client/sessions/{sid}/tokens"), &[])
        .await;
    r.expect(200);
    let (_, c) = f.verify(r.json["jwt"].as_str().unwrap()).await;
    assert_eq!(
        c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(),
        315_360_000
    );
    // Faults: bounded numbers and statuses.
    for bad in [
        json!({"path": "/v1/client", "kind": "latency", "latency_ms": u64::MAX}),
        json!({"path": "/v1/client", "kind": "latency", "latency_ms": 120_001}),
        json!({"path": "/v1/client", "kind": "status", "status": 1000}),
        json!({"path": "/v1/client", "kind": "status", "status": 99}),
        json!({"path": "/v1/client", "kind": "html", "status": 302}),
        json!({"path": "/v1/client", "kind": "nope"}),
        json!([{"path": "/v1/client", "kind": "drop"}, {"path": "/v1/client", "kind": "latency", "latency_ms": 200_000}]),
    ] {
        let (st, body) = f.control("POST", "/faults", Some(bad.clone())).await;
        assert_eq!(st, 400, "{bad} → {body}");
    }
    let (_, list) = f.control("GET", "/faults", None).await;
    assert_eq!(list, json!([]), "a rejected batch adds nothing");
}

/// Every route refuses bodies over the limit with a Clerk-style 413, without reading them all.
async fn body_size_limit() {
    let f = dev().await;
    let big = "a=".to_string() + &"x".repeat(2 << 20);
    for path in ["/__emulator/settings", "/v1/client/sign_ins", "/sign-in"] {
        let ct = if path.starts_with("/__emulator") {
            "application/json"
        } else {
            "application/x-www-form-urlencoded"
        };
        let r = f
            .http
            .post(format!(
                "{}{path}?__clerk_db_jwt={}",
                f.base,
                f.dvb.as_deref().unwrap()
            ))
            .header("content-type", ct)
            .body(big.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 413, "{path}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(
            body["errors"][0]["code"], "request_body_too_large",
            "{path}: {body}"
        );
        assert!(body["errors"][0]["long_message"].is_string());
    }
    // The server still answers afterwards.
    f.get("/v1/environment").await.expect(200);
}

/// `html` answers an HTML page (a proxy error page) with the given status; `stall`
/// holds the response until the client gives up, and ends by itself at its bound.
async fn faults_html_and_stall() {
    let f = dev().await;
    let add = |body: Value| f.control("POST", "/faults", Some(body));
    let url = format!(
        "{}/v1/client?__clerk_api_version={API_VERSION}&__clerk_db_jwt={}",
        f.base,
        f.dvb.as_deref().unwrap()
    );
    assert_eq!(
        add(json!({"path": "/v1/client", "kind": "html", "status": 502, "times": 1}))
            .await
            .0,
        200
    );
    let r = reqwest::get(&url).await.unwrap();
    assert_eq!(r.status().as_u16(), 502);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let text = r.text().await.unwrap();
    assert!(text.contains("<html") && text.contains("502"), "{text}");
    add(json!({"path": "/v1/client", "kind": "html", "times": 1})).await;
    let r = reqwest::get(&url).await.unwrap();
    assert_eq!(
        r.status().as_u16(),
        200,
        "html defaults to 200 (captive portal / login page)"
    );
    assert!(serde_json::from_str::<Value>(&r.text().await.unwrap()).is_err());
    // Stall: the client's own timeout fires first.
    add(json!({"path": "/v1/client", "kind": "stall", "times": 1})).await;
    let t = Instant::now();
    let r = reqwest::Client::new()
        .get(&url)
        .timeout(Duration::from_millis(400))
        .send()
        .await;
    assert!(r.unwrap_err().is_timeout());
    assert!(t.elapsed() < Duration::from_secs(3));
    // A bounded stall (latency_ms caps it) ends with a closed connection, never an answer.
    add(json!({"path": "/v1/client", "kind": "stall", "latency_ms": 300, "times": 1})).await;
    let t = Instant::now();
    let r = reqwest::Client::new()
        .get(&url)
        .timeout(Duration::from_secs(5))
        .send()
        .await;
    let e = r.unwrap_err();
    assert!(!e.is_timeout(), "the stall ended by itself: {e}");
    assert!(t.elapsed() >= Duration::from_millis(300));
    let (_, log) = f.control("GET", "/requests", None).await;
    assert!(
        log.as_array().unwrap().iter().any(|e| e["status"] == 0),
        "stalls are logged as dropped"
    );
    f.get("/v1/client").await.expect(200);
}

// ---------------------------------------------------------------- Backend API

async fn bapi_auth() {
    let f = dev().await;
    let key = f.handle.secret_key().to_string();
    assert!(
        key.starts_with("sk_test_") && key.len() == "sk_test_".len() + 40,
        "{key}"
    );
    assert_eq!(f.handle.backend_api_url(), format!("{}/bapi", f.base));
    let (_, cfg) = f.control("GET", "/config", None).await;
    assert_eq!(cfg["secret_key"], key.as_str());
    assert_eq!(cfg["backend_api_url"], format!("{}/bapi", f.base));
    assert!(
        !format!("{:?}", f.handle.app().instance).contains(&key),
        "Debug hides the key"
    );
    let (parts, ()) = hyper::Request::builder()
        .uri("/bapi/v1/users?__clerk_db_jwt=dvb_secret")
        .header("authorization", format!("Bearer {key}"))
        .header("cookie", "__session=eyJ.secret")
        .body(())
        .unwrap()
        .into_parts();
    let req = clerk_emulator::server::parse_parts(parts, bytes::Bytes::from("password=hunter2"));
    let shown = format!("{req:?}");
    for secret in [key.as_str(), "dvb_secret", "eyJ.secret", "hunter2"] {
        assert!(!shown.contains(secret), "Req Debug shows {secret}: {shown}");
    }
    f.bapi("GET", "/users", Some(""))
        .await
        .expect_err(401, "authentication_invalid");
    f.bapi("GET", "/users", Some("sk_test_wrong"))
        .await
        .expect_err(401, "clerk_key_invalid");
    let other = start(Config::default()).await;
    f.bapi("GET", "/users", Some(other.handle.secret_key()))
        .await
        .expect_err(401, "clerk_key_invalid");
    // The publishable key is not a secret key; neither is Basic auth.
    f.bapi("GET", "/users", Some(f.handle.publishable_key()))
        .await
        .expect_err(401, "clerk_key_invalid");
    let r = f
        .http
        .get(format!("{}/v1/users", f.handle.backend_api_url()))
        .header("authorization", format!("Basic {key}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    f.bapi("GET", "/users", None).await.expect(200);
    // Production keys are sk_live_.
    let p = prod().await;
    assert!(p.handle.secret_key().starts_with("sk_live_"));
    p.bapi("GET", "/users", None).await.expect(200);
    // Faults apply to the Backend API too (an outage for the server SDK).
    f.control(
        "POST",
        "/faults",
        Some(json!({"path": "/bapi/v1/users/*", "kind": "status", "status": 503, "times": 1})),
    )
    .await;
    f.bapi("GET", "/users/user_x", None).await.expect(503);
    f.bapi("GET", "/users/user_x", None)
        .await
        .expect_err(404, "resource_not_found");
}

async fn bapi_users() {
    let f = start(Config {
        users: vec![
            SeedUser::parse("ada@example.com:ada-password-1:Ada:Lovelace").unwrap(),
            SeedUser::parse("bob@example.com:bob-password-1:Bob").unwrap(),
            SeedUser::parse("cy@example.com:cy-password-12").unwrap(),
        ],
        ..Config::default()
    })
    .await;
    let all = f.bapi("GET", "/users", None).await;
    all.expect(200);
    let list = all.json.as_array().unwrap();
    assert_eq!(list.len(), 3);
    // Default order: newest first.
    assert_eq!(
        list[0]["email_addresses"][0]["email_address"],
        "cy@example.com"
    );
    let ada = list
        .iter()
        .find(|u| u["first_name"] == "Ada")
        .unwrap()
        .clone();
    let ada_id = ada["id"].as_str().unwrap();
    assert_eq!(ada["object"], "user");
    assert_eq!(ada["last_name"], "Lovelace");
    assert_eq!(
        ada["primary_email_address_id"],
        ada["email_addresses"][0]["id"]
    );
    assert_eq!(ada["private_metadata"], json!({}));
    let one = f.bapi("GET", &format!("/users/{ada_id}"), None).await;
    one.expect(200);
    assert_eq!(one.json, ada);
    f.bapi("GET", "/users/user_nope", None)
        .await
        .expect_err(404, "resource_not_found");
    // Filters (repeated parameters, as @clerk/backend sends arrays) and paging.
    let r = f
        .bapi(
            "GET",
            "/users?email_address=ADA@example.com&email_address=bob@example.com",
            None,
        )
        .await;
    let mut emails: Vec<&str> = r
        .json
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email_addresses"][0]["email_address"].as_str().unwrap())
        .collect();
    emails.sort();
    assert_eq!(emails, ["ada@example.com", "bob@example.com"]);
    let r = f
        .bapi("GET", &format!("/users?user_id={ada_id}"), None)
        .await;
    assert_eq!(r.json.as_array().unwrap().len(), 1);
    let r = f
        .bapi("GET", "/users?email_address=none@example.com", None)
        .await;
    assert_eq!(r.json, json!([]));
    let r = f
        .bapi("GET", "/users?limit=2&order_by=created_at", None)
        .await;
    let page1: Vec<Value> = r.json.as_array().unwrap().clone();
    assert_eq!(page1.len(), 2);
    assert_eq!(page1[0]["first_name"], "Ada");
    let r = f
        .bapi("GET", "/users?limit=2&offset=2&order_by=created_at", None)
        .await;
    assert_eq!(r.json.as_array().unwrap().len(), 1);
    assert_eq!(
        r.json[0]["email_addresses"][0]["email_address"],
        "cy@example.com"
    );
    let r = f.bapi("GET", "/users?offset=99", None).await;
    assert_eq!(r.json, json!([]));
    for bad in [
        "limit=0",
        "limit=501",
        "limit=x",
        "offset=-1",
        &format!("limit={}", u128::MAX),
    ] {
        f.bapi("GET", &format!("/users?{bad}"), None)
            .await
            .expect_err(422, "form_param_format_invalid");
    }
    // A user signed in through FAPI has last_sign_in_at.
    let mut f = f;
    f.new_dev_browser().await;
    f.sign_in("bob@example.com", "bob-password-1").await;
    let r = f
        .bapi("GET", "/users?email_address=bob@example.com", None)
        .await;
    assert!(r.json[0]["last_sign_in_at"].is_i64(), "{}", r.text);
}

async fn bapi_sessions_and_revoke() {
    let f = dev().await;
    let (sid, uid) = f.sign_in(EMAIL, PASSWORD).await;
    let r = f.bapi("GET", &format!("/sessions/{sid}"), None).await;
    r.expect(200);
    assert_eq!(r.json["object"], "session");
    assert_eq!(r.json["status"], "active");
    assert_eq!(r.json["user_id"], uid.as_str());
    assert!(r.json["client_id"].as_str().unwrap().starts_with("client_"));
    f.bapi("GET", "/sessions/sess_nope", None)
        .await
        .expect_err(404, "resource_not_found");
    f.bapi("POST", "/sessions/sess_nope/revoke", None)
        .await
        .expect_err(404, "resource_not_found");
    let r = f
        .bapi("POST", &format!("/sessions/{sid}/revoke"), None)
        .await;
    r.expect(200);
    assert_eq!(r.json["status"], "revoked");
    // FAPI sees it: no more tokens, the client has no signed-in session.
    f.post(&format!("/v1/client/sessions/{sid}/tokens"), &[])
        .await
        .expect(401);
    let c = f.get("/v1/client").await;
    assert_eq!(c.json["response"]["sessions"], json!([]));
    // Revoking again is harmless.
    let r = f
        .bapi("POST", &format!("/sessions/{sid}/revoke"), None)
        .await;
    assert_eq!(r.json["status"], "revoked");
    // GET on revoke / POST on a session is not a route.
    f.bapi("GET", &format!("/sessions/{sid}/revoke"), None)
        .await
        .expect(404);
}

async fn bapi_organizations_and_jwks() {
    let f = dev().await;
    let by_slug = f.bapi("GET", "/organizations/demo-org", None).await;
    by_slug.expect(200);
    assert_eq!(by_slug.json["object"], "organization");
    assert_eq!(by_slug.json["name"], "Demo Org");
    assert!(by_slug.json.get("members_count").is_none());
    let id = by_slug.json["id"].as_str().unwrap();
    let by_id = f
        .bapi(
            "GET",
            &format!("/organizations/{id}?include_members_count=true"),
            None,
        )
        .await;
    by_id.expect(200);
    assert_eq!(by_id.json["slug"], "demo-org");
    assert_eq!(by_id.json["members_count"], 1);
    f.bapi("GET", "/organizations/nope", None)
        .await
        .expect_err(404, "resource_not_found");
    let jwks = f.bapi("GET", "/jwks", None).await;
    jwks.expect(200);
    let fapi_jwks = f.get("/.well-known/jwks.json").await;
    assert_eq!(jwks.json, fapi_jwks.json, "one key for FAPI and BAPI");
    f.bapi("GET", "/nope", None)
        .await
        .expect_err(404, "resource_not_found");
}

// ---------------------------------------------------------------- handshake

/// Sends `GET /v1/client/handshake` without following the redirect.
async fn handshake(f: &Fapi, query: &[(&str, &str)]) -> reqwest::Response {
    let mut q: Vec<(&str, &str)> = vec![("__clerk_api_version", "2026-05-12")];
    q.extend_from_slice(query);
    if let Some(d) = &f.dvb {
        q.push(("__clerk_db_jwt", d));
    }
    let url = format!(
        "{}/v1/client/handshake?{}",
        f.base,
        serde_urlencoded::to_string(&q).unwrap()
    );
    // Same cookie jar semantics as the browser: send the emulator's cookies by hand.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut rb = client
        .get(url)
        .header("accept", "text/html")
        .header("sec-fetch-dest", "document");
    if let Some(c) = &f.client_cookie {
        rb = rb.header("cookie", format!("__client={c}"));
    }
    rb.send().await.unwrap()
}

/// Verifies the handshake JWT (RS256, instance kid, JWKS from FAPI) and returns its directives.
async fn handshake_directives(f: &Fapi, jwt: &str) -> Vec<String> {
    let jwks = f.get("/.well-known/jwks.json").await.json;
    let header = jsonwebtoken::decode_header(jwt).unwrap();
    assert_eq!(header.alg, jsonwebtoken::Algorithm::RS256);
    assert_eq!(header.typ.as_deref(), Some("JWT"));
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"].as_str() == header.kid.as_deref())
        .expect("kid in JWKS");
    let dk = jsonwebtoken::DecodingKey::from_rsa_components(
        key["n"].as_str().unwrap(),
        key["e"].as_str().unwrap(),
    )
    .unwrap();
    let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    v.validate_exp = false;
    v.validate_aud = false;
    v.required_spec_claims.clear();
    let data = jsonwebtoken::decode::<Value>(jwt, &dk, &v).expect("handshake JWT verifies");
    data.claims["handshake"]
        .as_array()
        .expect("handshake array")
        .iter()
        .map(|d| d.as_str().unwrap().to_string())
        .collect()
}

fn query_param(location: &str, name: &str) -> Option<String> {
    let q = location.split_once('?')?.1.split('#').next()?;
    serde_urlencoded::from_str::<Vec<(String, String)>>(q)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn cookie_value<'a>(directives: &'a [String], name: &str) -> Option<&'a str> {
    directives.iter().find_map(|d| {
        let (n, rest) = d.split_once('=')?;
        (n == name).then(|| rest.split(';').next().unwrap_or(""))
    })
}

async fn handshake_development() {
    let f = dev().await;
    let app = "http://localhost:3000/dashboard?tab=1#top";
    // Signed out: clearing cookies, 307 back to the app with the payload in the query.
    let r = handshake(
        &f,
        &[
            ("redirect_url", app),
            ("suffixed_cookies", "false"),
            (
                "__clerk_hs_reason",
                "session-token-expired-refresh-non-eligible-no-refresh-cookie",
            ),
        ],
    )
    .await;
    assert_eq!(r.status().as_u16(), 307);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    assert!(
        loc.starts_with("http://localhost:3000/dashboard?tab=1&"),
        "{loc}"
    );
    assert!(loc.ends_with("#top"), "{loc}");
    assert_eq!(
        query_param(&loc, "__clerk_db_jwt").as_deref(),
        f.dvb.as_deref()
    );
    let d = handshake_directives(
        &f,
        &query_param(&loc, "__clerk_handshake").expect("payload"),
    )
    .await;
    assert_eq!(cookie_value(&d, "__session"), Some(""), "{d:?}");
    assert!(
        d.iter()
            .any(|c| c.starts_with("__session=;") && c.contains("Max-Age=0")),
        "{d:?}"
    );
    assert_eq!(cookie_value(&d, "__client_uat"), Some("0"));
    assert_eq!(d.len(), 2, "no suffixed cookies unless asked: {d:?}");
    // Signed in, suffixed cookies: a fresh token for the session, azp = the app's origin.
    let (sid, uid) = f.sign_in(EMAIL, PASSWORD).await;
    let r = handshake(
        &f,
        &[
            ("redirect_url", app),
            ("suffixed_cookies", "true"),
            ("__clerk_hs_reason", "session-token-expired"),
        ],
    )
    .await;
    assert_eq!(r.status().as_u16(), 307);
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    let d = handshake_directives(&f, &query_param(&loc, "__clerk_handshake").unwrap()).await;
    assert_eq!(d.len(), 4, "{d:?}");
    let token = cookie_value(&d, "__session").unwrap().to_string();
    let (_, claims) = f.verify(&token).await;
    assert_eq!(claims["sid"], sid.as_str());
    assert_eq!(claims["sub"], uid.as_str());
    assert_eq!(claims["azp"], "http://localhost:3000");
    assert!(claims["exp"].as_i64().unwrap() > claims["iat"].as_i64().unwrap());
    // The suffix is Clerk's getCookieSuffix of the publishable key (vectors in the unit tests).
    let sfx = clerk_emulator::routes::handshake::cookie_suffix(f.handle.publishable_key());
    assert_eq!(
        cookie_value(&d, &format!("__session_{sfx}")),
        Some(token.as_str())
    );
    let uat: i64 = cookie_value(&d, "__client_uat").unwrap().parse().unwrap();
    assert!(uat > 0);
    assert_eq!(
        cookie_value(&d, &format!("__client_uat_{sfx}")),
        Some(uat.to_string().as_str())
    );
    assert!(
        d.iter()
            .all(|c| c.contains("Path=/") && !c.contains("Secure")),
        "http app: no Secure: {d:?}"
    );
    // https app: Secure cookies.
    let r = handshake(&f, &[("redirect_url", "https://app.example/")]).await;
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    let d = handshake_directives(&f, &query_param(&loc, "__clerk_handshake").unwrap()).await;
    assert!(d.iter().all(|c| c.contains("; Secure")), "{d:?}");
    // organization_id (organizationSyncOptions): slug or id of a membership activates it.
    let r = handshake(
        &f,
        &[("redirect_url", app), ("organization_id", "demo-org")],
    )
    .await;
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    let d = handshake_directives(&f, &query_param(&loc, "__clerk_handshake").unwrap()).await;
    let (_, claims) = f.verify(cookie_value(&d, "__session").unwrap()).await;
    assert_eq!(claims["o"]["slg"], "demo-org", "{claims}");
    let r = handshake(&f, &[("redirect_url", app), ("organization_id", "")]).await;
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    let d = handshake_directives(&f, &query_param(&loc, "__clerk_handshake").unwrap()).await;
    let (_, claims) = f.verify(cookie_value(&d, "__session").unwrap()).await;
    assert!(claims.get("o").is_none(), "personal account: {claims}");
    // Only absolute http(s) redirect URLs; a bad one is an error, never a redirect.
    for bad in [
        "javascript:alert(1)",
        "/dashboard",
        "//evil.example/",
        "https://app@evil.example/",
        "data:text/html,hi",
        "",
    ] {
        // `finish` validates the error body against the document's 422 ClerkErrors.
        let r = finish(
            "GET",
            "/v1/client/handshake",
            handshake(&f, &[("redirect_url", bad)]).await,
        )
        .await;
        assert_eq!(r.status, 422, "{bad:?}");
        assert!(r.header("location").is_none());
        assert!(r.code().starts_with("form_param_"), "{}", r.text);
    }
    let r = handshake(&f, &[("redirect_url", app), ("format", "xml")]).await;
    assert_eq!(r.status().as_u16(), 422);
    // Signed out again after sign-out.
    f.send("DELETE", "/v1/client/sessions", &[], None)
        .await
        .expect(200);
    let r = handshake(&f, &[("redirect_url", app)]).await;
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    let d = handshake_directives(&f, &query_param(&loc, "__clerk_handshake").unwrap()).await;
    assert_eq!(cookie_value(&d, "__client_uat"), Some("0"));
    // A missing or unknown dev browser is Clerk's 401.
    let mut g = dev().await;
    g.dvb = Some("dvb_unknown".into());
    assert_eq!(
        handshake(&g, &[("redirect_url", app)])
            .await
            .status()
            .as_u16(),
        401
    );
}

async fn handshake_nonce_and_production() {
    let f = dev().await;
    let (sid, _) = f.sign_in(EMAIL, PASSWORD).await;
    let app = "http://localhost:3000/";
    let r = handshake(
        &f,
        &[
            ("redirect_url", app),
            ("format", "nonce"),
            ("suffixed_cookies", "true"),
        ],
    )
    .await;
    assert_eq!(r.status().as_u16(), 307);
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    assert!(query_param(&loc, "__clerk_handshake").is_none());
    let nonce = query_param(&loc, "__clerk_handshake_nonce").expect("nonce");
    let p = f
        .bapi(
            "GET",
            &format!("/clients/handshake_payload?nonce={nonce}"),
            None,
        )
        .await;
    p.expect(200);
    let d: Vec<String> = p.json["directives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(d.len(), 4);
    let (_, claims) = f.verify(cookie_value(&d, "__session").unwrap()).await;
    assert_eq!(claims["sid"], sid.as_str());
    f.bapi("GET", "/clients/handshake_payload?nonce=nope", None)
        .await
        .expect_err(404, "resource_not_found");
    f.bapi(
        "GET",
        &format!("/clients/handshake_payload?nonce={nonce}"),
        Some("sk_test_wrong"),
    )
    .await
    .expect(401);

    // Production: the `__client` cookie identifies the browser; the payload is a cookie.
    let mut p = prod().await;
    let r = handshake(&p, &[("redirect_url", app)]).await;
    assert_eq!(r.status().as_u16(), 307);
    assert_eq!(
        r.headers()["location"],
        app,
        "production: the URL stays clean"
    );
    let set: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let hs = set
        .iter()
        .find(|c| c.starts_with("__clerk_handshake="))
        .expect("handshake cookie");
    let jwt = hs
        .trim_start_matches("__clerk_handshake=")
        .split(';')
        .next()
        .unwrap();
    let d = handshake_directives(&p, jwt).await;
    assert_eq!(
        cookie_value(&d, "__client_uat"),
        Some("0"),
        "no __client cookie: signed out"
    );
    let (psid, _) = p.sign_in(EMAIL, PASSWORD).await;
    p.client_cookie = p.client_cookie_from_jar();
    assert!(p.client_cookie.is_some(), "sign-in set __client");
    let r = handshake(&p, &[("redirect_url", app), ("format", "nonce")]).await;
    let set: Vec<String> = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let nonce_cookie = set
        .iter()
        .find(|c| c.starts_with("__clerk_handshake_nonce="))
        .expect("nonce cookie");
    assert!(nonce_cookie.contains("HttpOnly"));
    let nonce = nonce_cookie
        .trim_start_matches("__clerk_handshake_nonce=")
        .split(';')
        .next()
        .unwrap();
    let pl = p
        .bapi(
            "GET",
            &format!("/clients/handshake_payload?nonce={nonce}"),
            None,
        )
        .await;
    let d: Vec<String> = pl.json["directives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let (_, claims) = p.verify(cookie_value(&d, "__session").unwrap()).await;
    assert_eq!(claims["sid"], psid.as_str());
}

async fn unknown_routes() {
    let f = dev().await;
    let h = f.get("/v1/health").await;
    h.expect(200);
    assert_eq!(h.json["status"], "healthy");
    f.get("/v1/nope").await.expect(404);
    assert_eq!(f.get("/v1/nope").await.code(), "resource_not_found");
    let r = f
        .http
        .get(format!("{}/elsewhere", f.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
}

async fn shutdown_stops_serving() {
    let f = start(Config {
        instance: InstanceType::Development,
        ..Config::default()
    })
    .await;
    let url = format!("{}/.well-known/jwks.json", f.base);
    assert!(reqwest::get(&url).await.is_ok());
    f.handle.shutdown().await;
    assert!(reqwest::Client::new()
        .get(&url)
        .timeout(Duration::from_secs(2))
        .send()
        .await
        .is_err());
}

/// The BAPI validator must reject bodies that break its document too, and admit
/// `null` where Clerk marks `nullable` beside `allOf` (as real Clerk sends it).
async fn bapi_validator_has_teeth() {
    let Some(spec) = common::openapi::bapi_spec() else {
        return;
    };
    let f = dev().await;
    let (sid, uid) = f.sign_in(EMAIL, PASSWORD).await;
    let user = f.bapi("GET", &format!("/users/{uid}"), None).await.json;
    let path = format!("/users/{uid}");
    let mut ok = user.clone();
    ok["scim"] = Value::Null;
    assert!(
        spec.validate("GET", &path, 200, &ok).is_ok(),
        "nullable allOf admits null"
    );
    let mut bad = user.clone();
    bad["surprise"] = json!(1);
    assert!(
        spec.validate("GET", &path, 200, &bad).is_err(),
        "User is closed"
    );
    let mut bad = user.clone();
    bad.as_object_mut().unwrap().remove("banned");
    assert!(
        spec.validate("GET", &path, 200, &bad).is_err(),
        "required property"
    );
    let mut bad = user;
    bad["scim"] = json!("x");
    assert!(
        spec.validate("GET", &path, 200, &bad).is_err(),
        "nullable allOf still checks values"
    );
    let session = f.bapi("GET", &format!("/sessions/{sid}"), None).await.json;
    let mut bad = session;
    bad["status"] = json!("bogus");
    assert!(
        spec.validate("GET", &format!("/sessions/{sid}"), 200, &bad)
            .is_err(),
        "session status enum"
    );
    assert!(
        spec.validate("GET", "/users", 200, &json!({"data": []}))
            .is_err(),
        "a list is an array"
    );
}

/// The validator must reject bodies that break the document (else every count above is hollow).
async fn validator_has_teeth() {
    let Some(spec) = common::openapi::spec() else {
        return;
    };
    let f = dev().await;
    f.sign_in(EMAIL, PASSWORD).await;
    let good = f.get("/v1/client").await.json;
    let mut bad = good.clone();
    bad["response"]["sessions"][0]["status"] = json!("bogus");
    assert!(
        spec.validate("GET", "/v1/client", 200, &bad).is_err(),
        "unknown session status"
    );
    let mut bad = good.clone();
    bad["response"]
        .as_object_mut()
        .unwrap()
        .remove("last_active_session_id");
    assert!(
        spec.validate("GET", "/v1/client", 200, &bad).is_err(),
        "missing required property"
    );
    let mut bad = good.clone();
    bad["response"]["sessions"][0]["user"]["email_addresses"][0]["surprise"] = json!(1);
    assert!(
        spec.validate("GET", "/v1/client", 200, &bad).is_err(),
        "additionalProperties: false"
    );
    let mut bad = good.clone();
    bad["extra"] = json!(true);
    assert!(
        spec.validate("GET", "/v1/client", 200, &bad).is_err(),
        "envelope is closed"
    );
    let mut bad = good;
    bad["response"]["sign_in"] = json!({"object": "sign_in_attempt"});
    assert!(
        spec.validate("GET", "/v1/client", 200, &bad).is_err(),
        "nullable allOf still checks objects"
    );
    assert!(
        spec.validate(
            "POST",
            "/v1/client/sign_ins",
            422,
            &json!({"errors": [{"code": "x"}]})
        )
        .is_err(),
        "ClerkError needs messages"
    );
}
