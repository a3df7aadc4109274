//! Faults, the request log, CORS, hosted pages and the control API (and its hardening, body limits).

use crate::prelude::*;

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
    let u = control_ok(&f, "/users", json!({"email": "meta@example.com", "password": "meta-password-1", "username": "meta", "public_metadata": {"plan": "pro"}})).await;
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
    let org = control_ok(&f, "/organizations", json!({"name": "Acme Inc", "members": [{"email": "ada@example.com", "role": "org:admin"}, {"user_id": u["id"], "role": "org:viewer", "permissions": ["org:reports:read"]}]})).await;
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
    control_ok(
        &f,
        "/settings",
        json!({"token_lifetime_secs": 315_360_000u64, "session_lifetime_secs": 315_360_000u64}),
    )
    .await;
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

pub(crate) fn trials() -> Vec<Trial> {
    trials![
        faults,
        request_log_and_reset,
        cors_headers,
        hosted_pages,
        control_api,
        control_api_hardening,
        body_size_limit,
        faults_html_and_stall
    ]
}
