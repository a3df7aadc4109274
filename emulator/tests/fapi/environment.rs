//! The environment, dev browser identity, API versions and form-only bodies.

use crate::prelude::*;

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

/// The JWT header of `jwt`.
fn jwt_header(jwt: &str) -> Value {
    use base64::Engine;
    let h = jwt.split('.').next().unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(h)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

/// `auth_config.session_minter`, switched through the control API (the environment body
/// validated by `finish`), and the token route's `token` / `force_origin` fields: ignored
/// without the minter; with it, tokens carry `oiat`, a previous token of the session is
/// re-minted keeping its `oiat`, `force_origin=true` or any other token mints afresh.
async fn session_minter() {
    let f = dev().await;
    let env = f.get("/v1/environment").await;
    env.expect(200);
    assert!(env.json["auth_config"].get("session_minter").is_none());
    let (sid, _) = f.sign_in(EMAIL, PASSWORD).await;
    let path = format!("/v1/client/sessions/{sid}/tokens");
    let mint = |form: Vec<(&'static str, String)>| {
        let f = &f;
        let path = path.clone();
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let r = f.post(&path, &form).await;
            r.expect(200);
            r.json["jwt"].as_str().unwrap().to_string()
        }
    };
    // Off: the fields are accepted and change nothing.
    let t0 = mint(vec![]).await;
    let t = mint(vec![("token", t0.clone()), ("force_origin", "true".into())]).await;
    assert!(jwt_header(&t).get("oiat").is_none());

    let config = control_ok(&f, "/settings", json!({"session_minter": true})).await;
    assert_eq!(config["session_minter"], true);
    let env = f.get("/v1/environment").await;
    env.expect(200);
    assert_eq!(env.json["auth_config"]["session_minter"], true);

    let now = || {
        i64::try_from(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs(),
        )
        .unwrap()
    };
    let t1 = mint(vec![("organization_id", String::new())]).await;
    let oiat1 = jwt_header(&t1)["oiat"].as_i64().expect("oiat");
    assert!((now() - oiat1).abs() <= 1);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    // Re-minted at the edge: the origin time is kept (also from a token without `oiat`).
    let t2 = mint(vec![
        ("organization_id", String::new()),
        ("token", t1.clone()),
    ])
    .await;
    assert_eq!(jwt_header(&t2)["oiat"], oiat1);
    // Minter tokens verify with the JWKS like any other.
    f.verify(&t2).await;
    let iat0 = f.verify(&t0).await.1["iat"].as_i64().unwrap();
    let t3 = mint(vec![("token", t0.clone())]).await;
    assert_eq!(jwt_header(&t3)["oiat"], iat0);
    // force_origin, a token that is not one of ours, or none: minted at the origin.
    for form in [
        vec![("token", t1.clone()), ("force_origin", "true".to_string())],
        vec![("token", "not.a.jwt".to_string())],
        vec![],
    ] {
        let t = mint(form).await;
        assert!(jwt_header(&t)["oiat"].as_i64().unwrap() > oiat1);
    }
    // The client's `last_active_token` is minted at the origin too.
    let c = f.get("/v1/client").await;
    let last = c.json["response"]["sessions"][0]["last_active_token"]["jwt"]
        .as_str()
        .unwrap();
    assert!(jwt_header(last)["oiat"].as_i64().unwrap() > oiat1);
    // A reset restores the startup setting.
    let (st, _) = f.control("POST", "/reset", None).await;
    assert_eq!(st, 200);
    let (_, config) = f.control("GET", "/config", None).await;
    assert_eq!(config["session_minter"], false);
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

pub(crate) fn trials() -> Vec<Trial> {
    trials![
        environment_get_and_patch,
        session_minter,
        dev_browser_identity,
        api_versions_and_ignored_params,
        json_bodies_rejected
    ]
}
