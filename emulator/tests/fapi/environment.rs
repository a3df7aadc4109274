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
        dev_browser_identity,
        api_versions_and_ignored_params,
        json_bodies_rejected
    ]
}
