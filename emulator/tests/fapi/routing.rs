//! Unknown routes, shutdown, and the routing edge cases (method override, unknown
//! paths and methods, path shapes, what is not FAPI, the request log, faults,
//! production cookies) pinned as they answered before the FAPI routes became axum routes.

use crate::prelude::*;

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

// ---------------------------------------------------------------------------
// Routing edge cases pinned before the FAPI routes became axum routes: what each
// request answers today (status, error code and message, or the kind of body).

/// `status code: long_message` of a Clerk error, `status json:<keys>` of another
/// JSON body, else `status <content type>`; plus `+N cookies` when cookies are set
/// and the names of any unusual headers.
async fn sig(resp: reqwest::Response) -> String {
    let status = resp.status().as_u16();
    let ct = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let cookies = resp.headers().get_all("set-cookie").iter().count();
    // Headers beyond these (an `Allow` from a router, say) would be a change.
    let usual = [
        "content-type",
        "content-length",
        "date",
        "vary",
        "set-cookie",
        "cache-control",
        "cross-origin-resource-policy",
        "access-control-allow-origin",
        "access-control-allow-credentials",
        "access-control-expose-headers",
    ];
    let mut extra: Vec<String> = resp
        .headers()
        .keys()
        .map(|k| k.as_str().to_string())
        .filter(|k| !usual.contains(&k.as_str()))
        .collect();
    extra.sort();
    let text = resp.text().await.unwrap_or_default();
    let mut s = match serde_json::from_str::<Value>(&text) {
        Ok(v) if v["errors"][0]["code"].is_string() => format!(
            "{status} {}: {}",
            v["errors"][0]["code"].as_str().unwrap_or(""),
            v["errors"][0]["long_message"].as_str().unwrap_or("")
        ),
        Ok(Value::Object(m)) => {
            let keys: Vec<&str> = m.keys().map(String::as_str).take(3).collect();
            format!("{status} json:{}", keys.join(","))
        }
        _ if ct.is_empty() && text.is_empty() => format!("{status} empty"),
        _ => format!("{status} {}", ct.split(';').next().unwrap_or("")),
    };
    if cookies > 0 {
        s.push_str(&format!(" +{cookies} cookies"));
    }
    if !extra.is_empty() {
        s.push_str(&format!(" +{}", extra.join(",")));
    }
    s
}

/// Sends `method path_and_query` as is (no added query, no form), with `body` as
/// `(content type, body)`; returns [`sig`].
async fn raw(f: &Fapi, method: &str, pq: &str, body: Option<(&str, &str)>) -> String {
    let mut rb = f
        .http
        .request(method.parse().unwrap(), format!("{}{pq}", f.base))
        .header("origin", ORIGIN);
    if let Some((ct, b)) = body {
        rb = rb.header("content-type", ct).body(b.to_string());
    }
    sig(rb.send().await.unwrap()).await
}

/// Runs `cases` (method, path and query with `{q}` for the API version and dev
/// browser, expected [`sig`]) and reports every mismatch at once.
async fn check_cases(f: &Fapi, cases: &[(&str, &str, &str)]) {
    let q = format!(
        "__clerk_api_version={API_VERSION}&__clerk_db_jwt={}",
        f.dvb.clone().unwrap_or_default()
    );
    let mut wrong = Vec::new();
    for (m, pq, want) in cases {
        let pq = pq.replace("{q}", &q);
        let got = raw(f, m, &pq, None).await;
        if got != *want {
            wrong.push(format!("{m} {pq}\n   got:  {got}\n   want: {want}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

const NF: &str = "404 resource_not_found: Resource not found";
const PAGE: &str = "404 resource_not_found: Page not found";
const DVB: &str = "401 dev_browser_unauthenticated: Unable to authenticate this browser for your development instance. Check your Clerk cookies and try again. If the issue persists, reach out to support@clerk.com.";

/// `_method` on a POST reaches the overridden route; elsewhere it is ignored.
async fn method_override() {
    let f = dev().await;
    check_cases(
        &f,
        &[
            (
                "POST",
                "/v1/environment?_method=PATCH&{q}",
                "200 json:api_keys_settings,auth_config,client_debug_mode",
            ),
            (
                "POST",
                "/v1/environment?_method=patch&{q}",
                "200 json:api_keys_settings,auth_config,client_debug_mode",
            ),
            (
                "POST",
                "/v1/environment?_method=GET&{q}",
                "200 json:api_keys_settings,auth_config,client_debug_mode",
            ),
            ("POST", "/v1/environment?{q}&_method=PUT", NF),
            ("POST", "/v1/environment?_method=POST&{q}", NF),
            ("POST", "/v1/environment?_method=HEAD&{q}", NF),
            ("POST", "/v1/environment?_method=&{q}", NF),
            (
                "GET",
                "/v1/environment?_method=PATCH&{q}",
                "200 json:api_keys_settings,auth_config,client_debug_mode",
            ),
            ("PUT", "/v1/environment?_method=PATCH&{q}", NF),
            (
                "PATCH",
                "/v1/environment?{q}",
                "200 json:api_keys_settings,auth_config,client_debug_mode",
            ),
            (
                "POST",
                "/v1/client?_method=PUT&{q}",
                "200 json:client,response",
            ),
            (
                "POST",
                "/v1/client?_method=GET&{q}",
                "200 json:client,response",
            ),
            (
                "POST",
                "/v1/client/sign_ups/sua_nope?_method=PATCH&{q}",
                "404 resource_not_found: Sign up not found",
            ),
            (
                "PATCH",
                "/v1/client/sign_ups/sua_nope?{q}",
                "404 resource_not_found: Sign up not found",
            ),
            ("POST", "/v1/client/sign_ups/sua_nope?{q}", NF),
            (
                "POST",
                "/v1/client/sessions?_method=DELETE&{q}",
                "200 json:client,response",
            ),
            ("POST", "/v1/dev_browser?_method=GET&{q}", NF),
            ("POST", "/v1/oauth_callback?_method=PATCH", DVB),
            (
                "POST",
                "/v1/client?_method=DELETE&{q}",
                "200 json:client,response",
            ),
        ],
    )
    .await;
}

/// Unknown paths and known paths with a wrong method, and the order of the checks
/// before them (API version, body, dev browser).
async fn unknown_paths_and_methods() {
    let f = dev().await;
    check_cases(
        &f,
        &[
            ("GET", "/v1/nope?{q}", NF),
            ("GET", "/v1/nope?__clerk_db_jwt=", DVB),
            ("GET", "/v1/nope", DVB),
            ("GET", "/v1/nope?__clerk_api_version=1999-01-01", "400 api_version_invalid: 1999-01-01 is not a valid API version. Valid versions are: 2021-02-05, 2024-10-01, 2025-04-10, 2025-11-10, 2026-05-12, 2026-08-20."),
            ("GET", "/v1/nope?__clerk_db_jwt=dvb_unknown", DVB),
            ("GET", "/v1?{q}", NF),
            ("GET", "/v1", DVB),
            ("GET", "/v1/?{q}", NF),
            ("GET", "/v1x?{q}", PAGE),
            ("GET", "/v1/users?{q}", NF),
            ("DELETE", "/v1/environment?{q}", NF),
            ("DELETE", "/v1/environment", DVB),
            ("GET", "/v1/client/sign_ins?{q}", NF),
            ("PUT", "/v1/client/sign_ins/sia_nope?{q}", NF),
            ("POST", "/v1/health?{q}", NF),
            ("POST", "/v1/health", DVB),
            ("GET", "/v1/dev_browser?{q}", NF),
            ("GET", "/v1/dev_browser", DVB),
            ("PUT", "/v1/oauth_callback", DVB),
            ("PUT", "/v1/oauth_callback?{q}", NF),
            ("FOO", "/v1/environment?{q}", NF),
            ("FOO", "/v1/nope", DVB),
            ("HEAD", "/v1/environment?{q}", "404 application/json"),
            ("HEAD", "/v1/health", "401 application/json"),
            ("HEAD", "/v1/health?{q}", "404 application/json"),
            ("HEAD", "/.well-known/jwks.json", "404 application/json"),
            ("POST", "/.well-known/jwks.json", NF),
            ("GET", "/.well-known/other", NF),
            ("GET", "/.well-known", PAGE),
            ("DELETE", "/v1/client/sessions/sess_nope?{q}", NF),
            ("POST", "/v1/client/sessions/sess_nope/tokens/a/b?{q}", NF),
        ],
    )
    .await;
    // The body check comes after the API version and before the dev browser.
    let json = Some(("application/json", "{}"));
    let mut got = Vec::new();
    for pq in [
        "/v1/nope",
        "/v1/nope?__clerk_api_version=1999-01-01",
        "/.well-known/nope",
        "/v1/health",
        "/v1/dev_browser",
    ] {
        got.push(raw(&f, "POST", pq, json).await);
    }
    let body_invalid = "400 request_body_invalid: The request body is invalid. The Frontend API accepts application/x-www-form-urlencoded bodies only.";
    assert_eq!(
        got,
        [
            body_invalid,
            "400 api_version_invalid: 1999-01-01 is not a valid API version. Valid versions are: 2021-02-05, 2024-10-01, 2025-04-10, 2025-11-10, 2026-05-12, 2026-08-20.",
            NF,
            body_invalid,
            // The public routes take any body.
            "200 json:client_id,created_at,home_origin",
        ]
    );
}

/// Trailing and doubled slashes, empty and escaped ids, rest segments.
async fn path_shapes() {
    let f = dev().await;
    check_cases(
        &f,
        &[
            ("GET", "/v1/client/?{q}", "200 json:client,response"),
            (
                "GET",
                "/v1/environment/?{q}",
                "200 json:api_keys_settings,auth_config,client_debug_mode",
            ),
            ("GET", "/v1/health/", "200 json:status"),
            ("GET", "/.well-known/jwks.json/", "200 json:keys"),
            ("GET", "//v1/client?{q}", PAGE),
            ("GET", "/v1//client?{q}", NF),
            ("GET", "/v1/client//?{q}", "200 json:client,response"),
            ("GET", "/v1/client/sign_ins/?{q}", NF),
            (
                "GET",
                "/v1/client/sign_ins/sia_nope?{q}",
                "404 resource_not_found: Sign in not found",
            ),
            (
                "GET",
                "/v1/client/sign_ins/sia_nope/?{q}",
                "404 resource_not_found: Sign in not found",
            ),
            (
                "POST",
                "/v1/client/sign_ins//attempt_first_factor?{q}",
                "404 resource_not_found: Sign in not found",
            ),
            (
                "POST",
                "/v1/client/sign_ins/%FF/attempt_first_factor?{q}",
                "404 resource_not_found: Sign in not found",
            ),
            (
                "POST",
                "/v1/client/sign_ins/sia%5Fx/attempt_first_factor?{q}",
                "404 resource_not_found: Sign in not found",
            ),
            (
                "POST",
                "/v1/client/sign_ins/a%2Fb/attempt_first_factor?{q}",
                "404 resource_not_found: Sign in not found",
            ),
            (
                "GET",
                "/v1/client/sign_ups/%zz?{q}",
                "404 resource_not_found: Sign up not found",
            ),
            (
                "POST",
                "/v1/client/sessions/sess_nope/tokens?{q}",
                "404 resource_not_found: Session not found",
            ),
            (
                "POST",
                "/v1/client/sessions/sess_nope/tokens/?{q}",
                "404 resource_not_found: Session not found",
            ),
            (
                "POST",
                "/v1/client/sessions/sess_nope/tokens/supabase?{q}",
                "404 resource_not_found: Session not found",
            ),
            (
                "POST",
                "/v1/client/sessions/sess_nope/verify?{q}",
                "404 resource_not_found: Session not found",
            ),
            (
                "POST",
                "/v1/client/sessions/sess_nope/verify/prepare_first_factor?{q}",
                "404 resource_not_found: Session not found",
            ),
            (
                "POST",
                "/v1/client/sessions/sess_nope/verify/a/b/c?{q}",
                "404 resource_not_found: Session not found",
            ),
            (
                "POST",
                "/v1/client/sessions//touch?{q}",
                "404 resource_not_found: Session not found",
            ),
            ("GET", "/v1/me?{q}", "401 signed_out: You are signed out"),
            (
                "GET",
                "/v1/client/handshake?{q}",
                "422 form_param_missing: redirect_url must be included.",
            ),
        ],
    )
    .await;
}

/// What is not FAPI still reaches the hosted pages, the OAuth IdP pages, the control
/// API and the Backend API.
async fn non_fapi_paths() {
    let f = dev().await;
    check_cases(
        &f,
        &[
            ("GET", "/", "200 text/html"),
            ("GET", "/sign-in", "200 text/html"),
            ("GET", "/sign-in/", "200 text/html"),
            ("GET", "/sign-up?redirect_url=x", "200 text/html"),
            ("POST", "/sign-in", PAGE),
            ("GET", "/sign-in//", PAGE),
            ("GET", "/elsewhere", PAGE),
            ("HEAD", "/", "404 application/json"),
            ("GET", "/oauth/authorize", "200 text/html"),
            ("POST", "/oauth/token", PAGE),
            ("GET", "/oauth/nope", PAGE),
            ("GET", "/__emulator/config", "200 json:backend_api_url,claims,force_organization_selection"),
            ("GET", "/__emulator/nope", "404 json:error"),
            ("GET", "/__emulator/", "404 json:error"),
            ("GET", "/bapi/v1/users", "401 authentication_invalid: Unable to authenticate the request, you need to supply an active API key."),
            ("GET", "/bapi", NF),
            ("GET", "/bapi/nope", NF),
        ],
    )
    .await;
}

/// The request log keeps the effective and the wire method and the raw path.
async fn request_log_entries() {
    let f = dev().await;
    f.control("DELETE", "/requests", None).await;
    let q = format!(
        "__clerk_api_version={API_VERSION}&__clerk_db_jwt={}",
        f.dvb.clone().unwrap()
    );
    for (m, p) in [
        ("POST", "/v1/environment?_method=PATCH"),
        ("GET", "/v1/nope"),
        ("HEAD", "/v1/health"),
        ("GET", "/v1/client/"),
        ("POST", "/.well-known/jwks.json"),
        ("GET", "/sign-in"),
        ("GET", "/__emulator/config"),
        ("GET", "/v1/health"),
    ] {
        let sep = if p.contains('?') { '&' } else { '?' };
        raw(&f, m, &format!("{p}{sep}{q}"), None).await;
    }
    let (_, log) = f.control("GET", "/requests", None).await;
    let got: Vec<String> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {} {} {}",
                e["method"].as_str().unwrap(),
                e["wire_method"].as_str().unwrap(),
                e["path"].as_str().unwrap(),
                e["status"]
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "PATCH POST /v1/environment 200",
            "GET GET /v1/nope 404",
            "HEAD HEAD /v1/health 404",
            "GET GET /v1/client/ 200",
            "POST POST /.well-known/jwks.json 404",
            "GET GET /v1/health 200",
        ]
    );
}

/// Faults apply to every FAPI and BAPI path (known, unknown, wrong method), matched
/// on the effective method; never to the hosted pages or the control API.
async fn faults_on_every_route() {
    let f = dev().await;
    f.control(
        "POST",
        "/faults",
        Some(json!([{"path": "/v1/environment", "method": "PATCH", "kind": "status", "status": 502}])),
    )
    .await;
    check_cases(
        &f,
        &[
            ("POST", "/v1/environment?_method=PATCH&{q}", "502 internal_clerk_error: There was an internal error on our servers. We've been notified and are working on fixing it."),
            ("GET", "/v1/environment?{q}", "200 json:api_keys_settings,auth_config,client_debug_mode"),
        ],
    )
    .await;
    f.control("DELETE", "/faults", None).await;
    f.control(
        "POST",
        "/faults",
        Some(json!({"path": "*", "kind": "status", "status": 503})),
    )
    .await;
    check_cases(
        &f,
        &[
            ("GET", "/v1/environment?{q}", "503 internal_clerk_error: There was an internal error on our servers. We've been notified and are working on fixing it."),
            ("DELETE", "/v1/environment?{q}", "503 internal_clerk_error: There was an internal error on our servers. We've been notified and are working on fixing it."),
            ("GET", "/v1/nope", "503 internal_clerk_error: There was an internal error on our servers. We've been notified and are working on fixing it."),
            ("GET", "/v1", "503 internal_clerk_error: There was an internal error on our servers. We've been notified and are working on fixing it."),
            ("GET", "/.well-known/jwks.json", "503 internal_clerk_error: There was an internal error on our servers. We've been notified and are working on fixing it."),
            ("GET", "/.well-known/nope", "503 internal_clerk_error: There was an internal error on our servers. We've been notified and are working on fixing it."),
            ("GET", "/bapi/v1/users", "503 internal_clerk_error: There was an internal error on our servers. We've been notified and are working on fixing it."),
            ("GET", "/sign-in", "200 text/html"),
            ("GET", "/oauth/authorize", "200 text/html"),
            ("GET", "/elsewhere", PAGE),
            ("GET", "/__emulator/config", "200 json:backend_api_url,claims,force_organization_selection"),
        ],
    )
    .await;
    f.control("DELETE", "/faults", None).await;
    f.control(
        "POST",
        "/faults",
        Some(json!({"path": "/v1/nope", "kind": "drop"})),
    )
    .await;
    let r = f.http.get(format!("{}/v1/nope", f.base)).send().await;
    assert!(r.is_err(), "dropped: {r:?}");
}

/// Production: cookies only on replies of known routes, never on errors.
async fn production_cookies_by_route() {
    let f = prod().await;
    let q = format!("__clerk_api_version={API_VERSION}");
    let put = f
        .http
        .post(format!("{}/v1/client?_method=PUT&{q}", f.base))
        .header("origin", ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(sig(put).await, "200 json:client,response +2 cookies");
    check_cases(
        &f,
        &[
            (
                "POST",
                "/v1/environment?_method=PATCH&{q}",
                "200 json:api_keys_settings,auth_config,client_debug_mode +1 cookies",
            ),
            (
                "GET",
                "/v1/environment?{q}",
                "200 json:api_keys_settings,auth_config,client_debug_mode",
            ),
            ("POST", "/v1/environment?{q}", NF),
            ("POST", "/v1/nope?{q}", NF),
            (
                "POST",
                "/v1/client/sign_ins?{q}",
                "200 json:client,response +1 cookies",
            ),
            (
                "POST",
                "/v1/client?_method=DELETE&{q}",
                "200 json:client,response +2 cookies",
            ),
        ],
    )
    .await;
}

pub(crate) fn trials() -> Vec<Trial> {
    trials![
        unknown_routes,
        shutdown_stops_serving,
        method_override,
        unknown_paths_and_methods,
        path_shapes,
        non_fapi_paths,
        request_log_entries,
        faults_on_every_route,
        production_cookies_by_route,
    ]
}
