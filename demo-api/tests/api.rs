//! HTTP-level tests: the router against a local JWKS server, through real sockets.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::routing::get;
use axum::Router;
use demo_api::{router, Config};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

const KEY_A: &str = include_str!("fixtures/test-key-a.pem");
const JWKS_A: &str = include_str!("fixtures/jwks-a.json");
const ORIGIN: &str = "http://127.0.0.1:8080";
/// `pk_test_` + base64("clerk.example.test$").
const PK: &str = "pk_test_Y2xlcmsuZXhhbXBsZS50ZXN0JA";

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// Starts a JWKS server (counting its hits) and the API; returns (api base URL, hit counter).
async fn start() -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let jwks = Router::new().route(
        "/.well-known/jwks.json",
        get(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async { ([("content-type", "application/json")], JWKS_A) }
        }),
    );
    let fapi = serve(jwks).await;
    let api = serve(
        router(Config {
            jwks_url: Some(format!("{fapi}/.well-known/jwks.json")),
            authorized_parties: vec![ORIGIN.into()],
            clock_skew_secs: 5,
            publishable_key: Some(PK.into()),
            proxy_url: Some(fapi.clone()),
            ..Config::default()
        })
        .unwrap(),
    )
    .await;
    (api, hits)
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn mint(kid: &str, claims: Value) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.into());
    jsonwebtoken::encode(
        &header,
        &claims,
        &EncodingKey::from_rsa_pem(KEY_A.as_bytes()).unwrap(),
    )
    .unwrap()
}

fn good_claims() -> Value {
    let t = now();
    json!({"azp": ORIGIN, "exp": t + 60, "iat": t, "nbf": t - 10, "sid": "sess_1", "sub": "user_1",
           "sts": "active", "v": 2, "o": {"id": "org_1", "rol": "admin", "slg": "acme"}})
}

async fn get_me(api: &str, auth: Option<&str>, cookie: Option<&str>) -> (u16, Value) {
    let mut req = reqwest::Client::new().get(format!("{api}/api/me"));
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let body = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    (status, body)
}

#[tokio::test]
async fn missing_token_is_401_with_reason() {
    let (api, hits) = start().await;
    let (status, body) = get_me(&api, None, None).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], "Unauthorized");
    // Clerk's reason for a request with neither a token nor __client_uat.
    assert_eq!(body["reason"], "session-token-and-uat-missing");
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "no JWKS fetch without a token"
    );
}

#[tokio::test]
async fn valid_bearer_token_is_200_with_ids_and_jwks_is_cached() {
    let (api, hits) = start().await;
    let token = mint("ins_test_a", good_claims());
    for _ in 0..3 {
        let (status, body) = get_me(&api, Some(&format!("Bearer {token}")), None).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["user_id"], "user_1");
        assert_eq!(body["session_id"], "sess_1");
        assert_eq!(body["org_id"], "org_1");
        assert_eq!(body["org_role"], "org:admin");
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "JWKS fetched once, then cached"
    );
}

#[tokio::test]
async fn session_cookie_is_the_fallback() {
    let (api, _) = start().await;
    let token = mint("ins_test_a", good_claims());
    let (status, body) = get_me(
        &api,
        None,
        Some(&format!("__client_uat=1; __session={token}")),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user_id"], "user_1");
}

#[tokio::test]
async fn unknown_kid_refetches_once_then_401() {
    let (api, hits) = start().await;
    let good = mint("ins_test_a", good_claims());
    assert_eq!(
        get_me(&api, Some(&format!("Bearer {good}")), None).await.0,
        200
    );
    let bad = mint("ins_rotated", good_claims());
    let (status, body) = get_me(&api, Some(&format!("Bearer {bad}")), None).await;
    assert_eq!(status, 401);
    assert_eq!(body["reason"], "jwk-kid-mismatch");
    // The first fetch was < 5 s ago: an unknown kid does not hammer the JWKS endpoint.
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn expired_and_wrong_azp_are_401() {
    let (api, _) = start().await;
    let mut c = good_claims();
    c["exp"] = json!(now() - 30);
    let (status, body) = get_me(
        &api,
        Some(&format!("Bearer {}", mint("ins_test_a", c))),
        None,
    )
    .await;
    assert_eq!(
        (status, body["reason"].clone()),
        // Clerk's handleError turns token-expired into session-token-expired (a handshake
        // reason; signed out for a non-document request).
        (401, json!("session-token-expired"))
    );
    let mut c = good_claims();
    c["azp"] = json!("https://evil.example");
    let (status, body) = get_me(
        &api,
        Some(&format!("Bearer {}", mint("ins_test_a", c))),
        None,
    )
    .await;
    assert_eq!(
        (status, body["reason"].clone()),
        (401, json!("token-invalid-authorized-parties"))
    );
}

#[tokio::test]
async fn jwks_down_is_503() {
    let api = serve(
        router(Config {
            jwks_url: Some("http://127.0.0.1:9/.well-known/jwks.json".into()),
            clock_skew_secs: 5,
            ..Config::default()
        })
        .unwrap(),
    )
    .await;
    let token = mint("ins_test_a", good_claims());
    let (status, body) = get_me(&api, Some(&format!("Bearer {token}")), None).await;
    assert_eq!(status, 503);
    assert_eq!(body["reason"], "jwk-remote-failed-to-load");
}

#[tokio::test]
async fn config_and_cors() {
    let (api, _) = start().await;
    let res = reqwest::Client::new()
        .get(format!("{api}/api/config"))
        .header("origin", ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["access-control-allow-origin"], ORIGIN);
    let body: Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    assert_eq!(body["publishable_key"], PK);
    let res = reqwest::Client::new()
        .get(format!("{api}/api/config"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn api_user_reads_the_backend_api_user() {
    let bapi_hits = Arc::new(AtomicUsize::new(0));
    let hits = bapi_hits.clone();
    let bapi = serve(Router::new().route(
        "/v1/users/{id}",
        get(
            move |axum::extract::Path(id): axum::extract::Path<String>,
                  h: axum::http::HeaderMap| {
                hits.fetch_add(1, Ordering::SeqCst);
                let ok = h.get("authorization").and_then(|v| v.to_str().ok())
                    == Some("Bearer sk_test_demo");
                async move {
                    if !ok {
                        return (axum::http::StatusCode::UNAUTHORIZED, "{}".to_string());
                    }
                    (
                        axum::http::StatusCode::OK,
                        json!({"id": id, "first_name": "Ada", "last_name": "Lovelace",
                    "primary_email_address_id": "idn_1",
                    "email_addresses": [{"id": "idn_1", "email_address": "ada@example.test"}]})
                        .to_string(),
                    )
                }
            },
        ),
    ))
    .await;
    let jwks = serve(Router::new().route(
        "/.well-known/jwks.json",
        get(|| async { ([("content-type", "application/json")], JWKS_A) }),
    ))
    .await;
    let config = |secret: Option<&str>| Config {
        jwks_url: Some(format!("{jwks}/.well-known/jwks.json")),
        authorized_parties: vec![ORIGIN.into()],
        clock_skew_secs: 5,
        publishable_key: Some(PK.into()),
        secret_key: secret.map(String::from),
        api_url: Some(bapi.clone()),
        ..Config::default()
    };
    let api = serve(router(config(Some("sk_test_demo"))).unwrap()).await;
    let token = mint("ins_test_a", good_claims());
    let get_user = |api: String, auth: Option<String>| async move {
        let mut req = reqwest::Client::new().get(format!("{api}/api/user"));
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        (
            status,
            serde_json::from_str::<Value>(&res.text().await.unwrap()).unwrap(),
        )
    };
    let (status, body) = get_user(api.clone(), Some(format!("Bearer {token}"))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user_id"], "user_1");
    assert_eq!(body["name"], "Ada Lovelace");
    assert_eq!(body["email"], "ada@example.test");
    let (status, body) = get_user(api, None).await;
    assert_eq!(
        (status, body["reason"].clone()),
        (401, json!("session-token-and-uat-missing"))
    );
    assert_eq!(
        bapi_hits.load(Ordering::SeqCst),
        1,
        "no Backend API call when signed out"
    );
    // Without a secret key: 501, said so.
    let api = serve(router(config(None)).unwrap()).await;
    let (status, body) = get_user(api, Some(format!("Bearer {token}"))).await;
    assert_eq!(status, 501, "{body}");
}

#[tokio::test]
async fn sensitive_needs_a_recent_verification() {
    let (api, _) = start().await;
    let post = |auth: Option<String>| {
        let mut req = reqwest::Client::new().post(format!("{api}/api/sensitive"));
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        async move {
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            (status, res.text().await.unwrap())
        }
    };
    let (status, _) = post(None).await;
    assert_eq!(status, 401);
    let with_fva = |fva: Value| {
        let mut c = good_claims();
        c["fva"] = fva;
        format!("Bearer {}", mint("ins_test_a", c))
    };
    // 20 minutes since the first factor, no second factor: Clerk's reverification error.
    let (status, body) = post(Some(with_fva(json!([20, -1])))).await;
    assert_eq!(status, 403);
    assert_eq!(
        body,
        r#"{"clerk_error":{"type":"forbidden","reason":"reverification-error","metadata":{"reverification":"strict"}}}"#
    );
    // No fva claim at all fails closed.
    let (status, _) = post(Some(format!(
        "Bearer {}",
        mint("ins_test_a", good_claims())
    )))
    .await;
    assert_eq!(status, 403);
    let (status, body) = post(Some(with_fva(json!([2, -1])))).await;
    assert_eq!(status, 200, "{body}");
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["ok"], true);
    assert_eq!(body["fva"], json!([2, -1]));
}
