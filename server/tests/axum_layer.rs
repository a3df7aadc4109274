//! The axum layer and extractor through real sockets: `protect()` answers, handshake
//! redirects, the handshake round trip, typed custom claims, `has()`, `current_user()`
//! against a fake Backend API, and Backend API errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use common::*;
use serde::Deserialize;
use serde_json::{json, Value};
use yew_clerk_server::backend::UserListParams;
use yew_clerk_server::{Auth, BackendError, Check, Clerk, ClerkConfig, ClerkLayer};

async fn me(auth: Auth) -> Response {
    match auth.protect() {
        Ok(me) => Json(json!({
            "user_id": me.user_id(), "session_id": me.session_id(), "org_id": me.org_id(),
            "admin": me.has(&Check::role("admin")), "invoices": me.has(&Check::feature("invoices")),
        }))
        .into_response(),
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
struct Custom {
    plan_note: String,
}

async fn custom(auth: Auth) -> String {
    match auth.claims::<Custom>() {
        Some(Ok(c)) => c.plan_note,
        Some(Err(e)) => format!("bad: {e}"),
        None => "signed out".into(),
    }
}

async fn current(auth: Auth) -> Response {
    match auth.current_user().await {
        Ok(Some(u)) => {
            Json(json!({"id": u.id, "name": u.full_name(), "email": u.primary_email_address()}))
                .into_response()
        }
        Ok(None) => StatusCode::UNAUTHORIZED.into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response(),
    }
}

fn app(clerk: Clerk) -> Router {
    Router::new()
        .route("/api/me", get(me))
        .route("/page", get(me))
        .route("/custom", get(custom))
        .route("/user", get(current))
        .layer(ClerkLayer::new(clerk))
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get_json(
    c: &reqwest::Client,
    url: &str,
    headers: &[(&str, &str)],
) -> (u16, HeaderMap, Value) {
    let mut r = c.get(url);
    for (n, v) in headers {
        r = r.header(*n, *v);
    }
    let res = r.send().await.unwrap();
    let status = res.status().as_u16();
    let h = res.headers().clone();
    let text = res.text().await.unwrap();
    (
        status,
        h,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn protect_answers_401_json_for_api_and_redirects_documents() {
    let clerk = local_config()
        .with_sign_in_url("https://accounts.example.test/sign-in")
        .build()
        .unwrap();
    let base = serve(app(clerk)).await;
    let c = no_redirects();
    let (s, _, body) = get_json(&c, &format!("{base}/api/me"), &[API]).await;
    assert_eq!(s, 401);
    assert_eq!(body["error"], "Unauthorized");
    assert_eq!(body["reason"], "session-token-and-uat-missing");
    let (s, h, _) = get_json(&c, &format!("{base}/page"), &[DOC]).await;
    assert_eq!(s, 307);
    let loc = h["location"].to_str().unwrap();
    assert!(
        loc.starts_with(
            "https://accounts.example.test/sign-in?redirect_url=http%3A%2F%2F127.0.0.1"
        ),
        "{loc}"
    );
    // Bad token: 401 with the reason.
    let (s, _, body) = get_json(
        &c,
        &format!("{base}/api/me"),
        &[("authorization", "Bearer a.b.c")],
    )
    .await;
    assert_eq!((s, body["reason"].as_str()), (401, Some("token-invalid")));
}

#[tokio::test]
async fn signed_in_requests_reach_the_handler_with_claims_and_has() {
    let base = serve(app(local_clerk())).await;
    let t = mint(&claims_with(json!({"plan_note": "gold"})));
    let bearer = format!("Bearer {t}");
    let (s, _, body) = get_json(
        &reqwest::Client::new(),
        &format!("{base}/api/me"),
        &[("authorization", &bearer)],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(
        body,
        json!({"user_id": "user_1", "session_id": "sess_1", "org_id": "org_1", "admin": true, "invoices": true})
    );
    let (_, _, body) = get_json(
        &reqwest::Client::new(),
        &format!("{base}/custom"),
        &[("authorization", &bearer)],
    )
    .await;
    assert_eq!(body, "gold");
}

#[tokio::test]
async fn the_layer_redirects_documents_to_the_handshake_and_back() {
    let base = serve(app(local_clerk())).await;
    let c = no_redirects();
    let (s, h, _) = get_json(
        &c,
        &format!("{base}/page?x=1"),
        &[DOC, ("cookie", "__client_uat=10")],
    )
    .await;
    assert_eq!(s, 307);
    let loc = h["location"].to_str().unwrap();
    assert!(
        loc.starts_with(&format!(
            "https://{FAPI_HOST}/v1/client/handshake?redirect_url="
        )),
        "{loc}"
    );
    assert_eq!(h["cache-control"], "no-store");
    assert!(h["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("__clerk_redirect_count=1"));
    // FAPI comes back with a signed payload: cookies set, redirect to the clean URL.
    let t = mint(&good_claims());
    let cookies = vec![
        format!("__session={t}; Path=/"),
        format!("__client_uat={}; Path=/", now() - 5),
    ];
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some(KID.into());
    let hs = jsonwebtoken::encode(
        &header,
        &json!({"handshake": cookies}),
        &jsonwebtoken::EncodingKey::from_rsa_pem(key_a().private_pem.as_bytes()).unwrap(),
    )
    .unwrap();
    let (s, h, _) = get_json(
        &c,
        &format!("{base}/page?x=1&__clerk_handshake={hs}"),
        &[DOC],
    )
    .await;
    assert_eq!(s, 307);
    assert!(h["location"].to_str().unwrap().ends_with("/page?x=1"));
    let set: Vec<_> = h
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert_eq!(set, cookies);
    // The browser then sends the cookies: signed in.
    let cookie = format!("__client_uat={}; __session={t}", now() - 5);
    let (s, _, body) = get_json(&c, &format!("{base}/page?x=1"), &[DOC, ("cookie", &cookie)]).await;
    assert_eq!((s, body["user_id"].as_str()), (200, Some("user_1")));
}

#[tokio::test]
async fn jwks_outage_is_503_from_protect() {
    let clerk = ClerkConfig::default()
        .with_jwks_url("http://127.0.0.1:9/jwks")
        .build()
        .unwrap();
    let base = serve(app(clerk)).await;
    let bearer = format!("Bearer {}", mint(&good_claims()));
    let (s, _, body) = get_json(
        &no_redirects(),
        &format!("{base}/page"),
        &[DOC, ("authorization", &bearer)],
    )
    .await;
    assert_eq!(
        (s, body["reason"].as_str()),
        (503, Some("jwk-remote-failed-to-load"))
    );
}

#[tokio::test]
async fn auth_without_the_layer_is_signed_out_not_a_rejection() {
    let base = serve(Router::new().route("/api/me", get(me))).await;
    let (s, _, body) = get_json(&reqwest::Client::new(), &format!("{base}/api/me"), &[]).await;
    assert_eq!(
        (s, body["reason"].as_str()),
        (401, Some("unexpected-error"))
    );
}

/// A fake Backend API: `GET /v1/users/:id`, `GET /v1/users`, `GET /v1/sessions/:id`,
/// `POST /v1/sessions/:id/revoke`, `GET /v1/organizations/:id`, secret key required.
async fn fake_bapi() -> String {
    fn authed(h: &HeaderMap) -> bool {
        h.get("authorization").and_then(|v| v.to_str().ok()) == Some("Bearer sk_test_secret")
    }
    fn unauthorized() -> Response {
        (StatusCode::UNAUTHORIZED, Json(json!({"errors": [{"code": "authentication_invalid", "message": "Unauthorized request"}], "clerk_trace_id": "tr_1"}))).into_response()
    }
    let user = json!({"id": "user_1", "first_name": "Ada", "last_name": "Lovelace", "primary_email_address_id": "idn_1",
        "email_addresses": [{"id": "idn_0", "email_address": "old@example.test"}, {"id": "idn_1", "email_address": "ada@example.test"}],
        "public_metadata": {}, "private_metadata": {}, "created_at": 1, "object": "user"});
    let u1 = user.clone();
    let app = Router::new()
        .route("/v1/users/{id}", get(move |Path(id): Path<String>, h: HeaderMap| {
            let user = u1.clone();
            async move {
                if !authed(&h) { return unauthorized(); }
                if id == "user_slow" { tokio::time::sleep(Duration::from_secs(3)).await; }
                if id == "user_1" { return Json(user).into_response(); }
                (StatusCode::NOT_FOUND, Json(json!({"errors": [{"code": "resource_not_found", "message": "not found", "long_message": "User not found"}]}))).into_response()
            }
        }))
        .route("/v1/users", get(move |h: HeaderMap, q: axum::extract::RawQuery| {
            let user = user.clone();
            async move {
                if !authed(&h) { return unauthorized(); }
                assert_eq!(q.0.as_deref(), Some("email_address=ada%40example.test&limit=5"));
                Json(json!([user])).into_response()
            }
        }))
        .route("/v1/sessions/{id}", get(|Path(id): Path<String>| async move {
            Json(json!({"id": id, "user_id": "user_1", "client_id": "client_1", "status": "active", "object": "session"}))
        }))
        .route("/v1/sessions/{id}/revoke", post(|Path(id): Path<String>| async move {
            Json(json!({"id": id, "user_id": "user_1", "status": "revoked"}))
        }))
        .route("/v1/organizations/{id}", get(|Path(id): Path<String>| async move {
            Json(json!({"id": "org_1", "name": "Acme", "slug": id, "members_count": 3, "public_metadata": {}}))
        }));
    serve(app).await
}

#[tokio::test]
async fn current_user_and_the_backend_api_client() {
    let api = fake_bapi().await;
    let clerk = local_config()
        .with_secret_key("sk_test_secret")
        .with_api_url(&api)
        .build()
        .unwrap();
    let base = serve(app(clerk.clone())).await;
    let bearer = format!("Bearer {}", mint(&good_claims()));
    let (s, _, body) = get_json(
        &reqwest::Client::new(),
        &format!("{base}/user"),
        &[("authorization", &bearer)],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(
        body,
        json!({"id": "user_1", "name": "Ada Lovelace", "email": "ada@example.test"})
    );
    let (s, _, _) = get_json(&reqwest::Client::new(), &format!("{base}/user"), &[]).await;
    assert_eq!(s, 401);

    let bapi = clerk.backend().unwrap();
    let err = bapi.get_user("user_missing").await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.code(), Some("resource_not_found"));
    let users = bapi
        .list_users(&UserListParams {
            email_address: vec!["ada@example.test".into()],
            limit: Some(5),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(bapi.get_session("sess_1").await.unwrap().status, "active");
    assert_eq!(
        bapi.revoke_session("sess_1").await.unwrap().status,
        "revoked"
    );
    assert_eq!(
        bapi.get_organization("acme").await.unwrap().slug.as_deref(),
        Some("acme")
    );
    // Path segments are encoded: an id cannot walk the path.
    assert!(bapi.get_user("../users").await.unwrap_err().is_not_found());

    let wrong = ClerkConfig::default()
        .with_jwt_key(key_a().public_pem.clone())
        .with_secret_key("sk_test_wrong")
        .with_api_url(&api)
        .build()
        .unwrap();
    let err = wrong
        .backend()
        .unwrap()
        .get_user("user_1")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, BackendError::Api { status: 401, trace_id: Some(t), .. } if t == "tr_1"),
        "{err:?}"
    );
    assert_eq!(err.code(), Some("authentication_invalid"));
    assert!(!format!("{err} {err:?} {wrong:?}").contains("sk_test_wrong"));
}

#[tokio::test]
async fn backend_api_timeouts_and_outages_are_typed() {
    let api = fake_bapi().await;
    let mut config = local_config()
        .with_secret_key("sk_test_secret")
        .with_api_url(&api);
    config.api_timeout = Duration::from_millis(300);
    let clerk = config.build().unwrap();
    let start = std::time::Instant::now();
    let err = clerk
        .backend()
        .unwrap()
        .get_user("user_slow")
        .await
        .unwrap_err();
    assert_eq!(err, BackendError::Timeout);
    assert!(err.is_outage());
    assert!(start.elapsed() < Duration::from_secs(2));
    let down = local_config()
        .with_secret_key("sk_test_secret")
        .with_api_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let err = down
        .backend()
        .unwrap()
        .get_user("user_1")
        .await
        .unwrap_err();
    assert!(
        matches!(err, BackendError::Network(_)) && err.is_outage(),
        "{err:?}"
    );
    // No secret key: current_user says so.
    let auth = Auth::signed_out(yew_clerk_server::Reason::SessionTokenMissing, "");
    assert_eq!(auth.current_user().await.unwrap(), None);
}
