//! Against the workspace's Clerk emulator (in-process, port 0): a full handshake round trip
//! through `ClerkLayer` (app → FAPI `/v1/client/handshake` → app with `__clerk_handshake` →
//! clean URL with the cookies → signed in), verification with the Backend API JWKS, and the
//! Backend API client (users, sessions, organizations, Clerk's error codes).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use yew_clerk_server::backend::UserListParams;
use yew_clerk_server::{Auth, Clerk, ClerkConfig, ClerkLayer};

const APP_ORIGIN_PLACEHOLDER: &str = "http://app.invalid";

struct Emu {
    handle: clerk_emulator::Handle,
    http: reqwest::Client,
    dvb: String,
}

impl Emu {
    async fn start() -> Emu {
        let (_, handle) = clerk_emulator::spawn(clerk_emulator::config::Config::default())
            .await
            .unwrap();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let r = http
            .post(format!("{}/v1/dev_browser", handle.url()))
            .header("origin", APP_ORIGIN_PLACEHOLDER)
            .send()
            .await
            .unwrap();
        let v: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
        let dvb = v["id"].as_str().unwrap().to_string();
        Emu { handle, http, dvb }
    }

    async fn fapi_post(&self, path: &str, origin: &str, form: &[(&str, &str)]) -> Value {
        let url = format!("{}{path}?__clerk_db_jwt={}", self.handle.url(), self.dvb);
        let r = self
            .http
            .post(url)
            .header("origin", origin)
            .form(form)
            .send()
            .await
            .unwrap();
        let status = r.status();
        let text = r.text().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {text}");
        serde_json::from_str(&text).unwrap()
    }

    /// Signs in the default user; returns (session id, user id, a fresh session token).
    async fn sign_in(&self, origin: &str) -> (String, String, String) {
        let v = self
            .fapi_post(
                "/v1/client/sign_ins",
                origin,
                &[
                    ("identifier", "demo@example.com"),
                    ("password", "demo-password-123"),
                    ("strategy", "password"),
                ],
            )
            .await;
        let sid = v["response"]["created_session_id"]
            .as_str()
            .unwrap()
            .to_string();
        let t = self
            .fapi_post(&format!("/v1/client/sessions/{sid}/tokens"), origin, &[])
            .await;
        let jwt = t["jwt"].as_str().unwrap().to_string();
        let claims = yew_clerk_core::claims::SessionToken::decode(&jwt).unwrap();
        (sid, claims.claims().sub.clone(), jwt)
    }

    fn clerk(&self, authorized: &str) -> Clerk {
        ClerkConfig::default()
            .with_publishable_key(self.handle.publishable_key())
            .with_proxy_url(self.handle.url())
            .with_secret_key(self.handle.secret_key())
            .with_api_url(self.handle.backend_api_url())
            .with_authorized_parties([authorized])
            .build()
            .unwrap()
    }
}

async fn page(auth: Auth) -> Response {
    match auth.protect() {
        Ok(me) => {
            Json(json!({"user_id": me.user_id(), "session_id": me.session_id()})).into_response()
        }
        Err(e) => e.into_response(),
    }
}

fn set_cookies(h: &reqwest::header::HeaderMap) -> Vec<(String, String)> {
    h.get_all("set-cookie")
        .iter()
        .filter_map(|v| {
            let s = v.to_str().ok()?;
            let (n, v) = s.split(';').next()?.split_once('=')?;
            Some((n.trim().to_string(), v.trim().to_string()))
        })
        .collect()
}

#[tokio::test]
async fn handshake_round_trip_through_the_emulator() {
    let emu = Emu::start().await;
    // The app's address must be known before the Clerk config (authorized party).
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let app_origin = format!("http://{}", listener.local_addr().unwrap());
    let clerk = emu.clerk(&app_origin);
    let app = Router::new()
        .route("/dashboard", get(page))
        .layer(ClerkLayer::new(clerk));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let (sid, user_id, _) = emu.sign_in(&app_origin).await;
    let c = &emu.http;
    // 1. A page load with the dev-browser and __client_uat cookies but no __session (as after
    //    the session cookie expired or was never written on this site): handshake.
    let cookie = format!(
        "__clerk_db_jwt={}; __client_uat={}",
        emu.dvb,
        common::now() - 5
    );
    let r = c
        .get(format!("{app_origin}/dashboard?tab=2"))
        .header("sec-fetch-dest", "document")
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 307);
    let to_fapi = r.headers()["location"].to_str().unwrap().to_string();
    assert!(
        to_fapi.starts_with(&format!("{}/v1/client/handshake?", emu.handle.url())),
        "{to_fapi}"
    );
    // 2. FAPI mints a token from the client and sends the browser back with the payload.
    let r = c
        .get(&to_fapi)
        .header("origin", &app_origin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 307, "{}", r.text().await.unwrap_or_default());
    let back = r.headers()["location"].to_str().unwrap().to_string();
    assert!(
        back.starts_with(&format!("{app_origin}/dashboard?tab=2&__clerk_handshake=")),
        "{back}"
    );
    // 3. The app verifies the payload, sets the cookies and redirects to the clean URL.
    let r = c
        .get(&back)
        .header("sec-fetch-dest", "document")
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 307);
    assert_eq!(
        r.headers()["location"],
        format!("{app_origin}/dashboard?tab=2").as_str()
    );
    let set = set_cookies(r.headers());
    let session = set
        .iter()
        .find(|(n, v)| n == "__session" && !v.is_empty())
        .map(|(_, v)| v.clone())
        .expect("__session set");
    let uat = set
        .iter()
        .find(|(n, _)| n == "__client_uat")
        .map(|(_, v)| v.clone())
        .expect("__client_uat set");
    // 4. The browser follows with the new cookies: signed in.
    let cookie = format!(
        "__clerk_db_jwt={}; __client_uat={uat}; __session={session}",
        emu.dvb
    );
    let r = c
        .get(format!("{app_origin}/dashboard?tab=2"))
        .header("sec-fetch-dest", "document")
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(body, json!({"user_id": user_id, "session_id": sid}));
    emu.handle.shutdown().await;
}

#[tokio::test]
async fn backend_api_jwks_and_client_against_the_emulator() {
    let emu = Emu::start().await;
    let origin = "http://127.0.0.1:8080";
    let clerk = emu.clerk(origin);
    let (sid, user_id, jwt) = emu.sign_in(origin).await;
    // Verification with the JWKS of the Backend API (secret key).
    let auth = clerk.verify_session_token(&jwt).await.unwrap();
    assert_eq!(auth.user_id(), user_id);
    assert_eq!(clerk.jwks_fetch_count(), 1);

    let bapi = clerk.backend().unwrap();
    let user = bapi.get_user(&user_id).await.unwrap();
    assert_eq!(user.primary_email_address(), Some("demo@example.com"));
    assert_eq!(user.full_name().as_deref(), Some("Demo User"));
    let users = bapi
        .list_users(&UserListParams {
            email_address: vec!["demo@example.com".into()],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        users.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(),
        [user_id.as_str()]
    );
    let err = bapi.get_user("user_nope").await.unwrap_err();
    assert_eq!(err.code(), Some("resource_not_found"), "{err:?}");
    let session = bapi.get_session(&sid).await.unwrap();
    assert_eq!(
        (session.status.as_str(), session.user_id.as_str()),
        ("active", user_id.as_str())
    );
    if let Some(org_id) = auth
        .org_id()
        .map(str::to_string)
        .or(session.last_active_organization_id.clone())
    {
        assert_eq!(bapi.get_organization(&org_id).await.unwrap().id, org_id);
    }
    assert_eq!(
        bapi.get_organization("org_nope").await.unwrap_err().code(),
        Some("resource_not_found")
    );
    assert_eq!(bapi.revoke_session(&sid).await.unwrap().status, "revoked");
    // A wrong secret key: Clerk's 401 code.
    let wrong = ClerkConfig::default()
        .with_secret_key("sk_test_wrong")
        .with_api_url(emu.handle.backend_api_url())
        .build()
        .unwrap();
    let err = wrong
        .backend()
        .unwrap()
        .get_user(&user_id)
        .await
        .unwrap_err();
    assert!(
        matches!(err, yew_clerk_server::BackendError::Api { status: 401, .. }),
        "{err:?}"
    );
    emu.handle.shutdown().await;
}

#[tokio::test]
async fn production_handshake_payload_comes_in_a_cookie() {
    use clerk_emulator::config::{Config, InstanceType};
    let (_, handle) = clerk_emulator::spawn(Config {
        instance: InstanceType::Production,
        ..Config::default()
    })
    .await
    .unwrap();
    let c = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let app_origin = format!("http://{}", listener.local_addr().unwrap());
    let clerk = ClerkConfig::default()
        .with_publishable_key(handle.publishable_key())
        .with_proxy_url(handle.url())
        .with_authorized_parties([app_origin.clone()])
        .build()
        .unwrap();
    let app = Router::new()
        .route("/dashboard", get(page))
        .layer(ClerkLayer::new(clerk));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    // Sign in on FAPI: production clients are the HttpOnly __client cookie.
    let r = c
        .post(format!("{}/v1/client/sign_ins", handle.url()))
        .header("origin", &app_origin)
        .form(&[
            ("identifier", "demo@example.com"),
            ("password", "demo-password-123"),
            ("strategy", "password"),
        ])
        .send()
        .await
        .unwrap();
    let client = set_cookies(r.headers())
        .into_iter()
        .find(|(n, _)| n == "__client")
        .map(|(_, v)| v)
        .expect("__client cookie");
    let v: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    let sid = v["response"]["created_session_id"]
        .as_str()
        .unwrap()
        .to_string();

    let uat = format!("__client_uat={}", common::now() - 5);
    let r = c
        .get(format!("{app_origin}/dashboard"))
        .header("sec-fetch-dest", "document")
        .header("cookie", &uat)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 307);
    let to_fapi = r.headers()["location"].to_str().unwrap().to_string();
    let r = c
        .get(&to_fapi)
        .header("cookie", format!("__client={client}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 307);
    assert_eq!(
        r.headers()["location"],
        format!("{app_origin}/dashboard").as_str()
    );
    let hs = set_cookies(r.headers())
        .into_iter()
        .find(|(n, _)| n == "__clerk_handshake")
        .map(|(_, v)| v)
        .expect("__clerk_handshake cookie");
    // Production: no redirect; the request is signed in and the response sets the cookies.
    let cookie = format!("{uat}; __clerk_handshake={hs}");
    let r = c
        .get(format!("{app_origin}/dashboard"))
        .header("sec-fetch-dest", "document")
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(set_cookies(r.headers())
        .iter()
        .any(|(n, v)| n == "__session" && !v.is_empty()));
    let body: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(body["session_id"], sid.as_str());
    handle.shutdown().await;
}
