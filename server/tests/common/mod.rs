//! Test fixtures: RSA keys generated once per test binary, token minting, a local JWKS
//! server (counting its hits) and Clerk handles configured against them.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::routing::get;
use axum::Router;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::EncodePublicKey;
use rsa::traits::PublicKeyParts;
use serde_json::{json, Value};
use yew_clerk_server::{Clerk, ClerkConfig};

pub const KID: &str = "ins_test_a";
pub const ORIGIN: &str = "http://app.example.test";
pub const FAPI_HOST: &str = "clerk.example.test";

pub struct TestKey {
    pub private_pem: String,
    pub public_pem: String,
    pub n: String,
    pub e: String,
}

fn generate() -> TestKey {
    let mut rng = rand::thread_rng();
    let key = rsa::RsaPrivateKey::new(&mut rng, 2048).unwrap();
    let public = key.to_public_key();
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    TestKey {
        private_pem: key
            .to_pkcs1_pem(rsa::pkcs8::LineEnding::LF)
            .unwrap()
            .to_string(),
        public_pem: public
            .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
            .unwrap(),
        n: b64.encode(public.n().to_bytes_be()),
        e: b64.encode(public.e().to_bytes_be()),
    }
}

/// The instance key.
pub fn key_a() -> &'static TestKey {
    static K: OnceLock<TestKey> = OnceLock::new();
    K.get_or_init(generate)
}

/// A foreign key.
pub fn key_b() -> &'static TestKey {
    static K: OnceLock<TestKey> = OnceLock::new();
    K.get_or_init(generate)
}

pub fn jwks_json(keys: &[(&str, &TestKey)]) -> String {
    let keys: Vec<Value> = keys
        .iter()
        .map(|(kid, k)| json!({"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256", "n": k.n, "e": k.e}))
        .collect();
    json!({ "keys": keys }).to_string()
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub fn mint_with(kid: &str, key: &TestKey, claims: &Value) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.into());
    jsonwebtoken::encode(
        &header,
        claims,
        &EncodingKey::from_rsa_pem(key.private_pem.as_bytes()).unwrap(),
    )
    .unwrap()
}

pub fn mint(claims: &Value) -> String {
    mint_with(KID, key_a(), claims)
}

pub fn good_claims() -> Value {
    let t = now();
    json!({"azp": ORIGIN, "exp": t + 60, "iat": t - 1, "nbf": t - 10, "sid": "sess_1", "sub": "user_1",
           "sts": "active", "v": 2, "o": {"id": "org_1", "rol": "admin", "slg": "acme", "per": "read", "fpm": "1"},
           "fea": "o:invoices", "iss": format!("https://{FAPI_HOST}")})
}

pub fn claims_with(patch: Value) -> Value {
    let mut c = good_claims();
    for (k, v) in patch.as_object().unwrap() {
        if v.is_null() {
            c.as_object_mut().unwrap().remove(k);
        } else {
            c[k] = v.clone();
        }
    }
    c
}

pub fn publishable_key(host: &str) -> String {
    yew_clerk_core::key::build_publishable_key(host, yew_clerk_core::key::InstanceType::Development)
}

/// Networkless: the PEM key, a production-like (non dev-host) test instance.
pub fn local_config() -> ClerkConfig {
    ClerkConfig::default()
        .with_publishable_key(publishable_key(FAPI_HOST))
        .with_jwt_key(key_a().public_pem.clone())
        .with_authorized_parties([ORIGIN])
}

pub fn local_clerk() -> Clerk {
    local_config().build().unwrap()
}

pub async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// A JWKS server whose document can be swapped; returns (base URL, hits, document).
pub async fn jwks_server(doc: String) -> (String, Arc<AtomicUsize>, Arc<std::sync::Mutex<String>>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let doc = Arc::new(std::sync::Mutex::new(doc));
    let (h, d) = (hits.clone(), doc.clone());
    let app = Router::new().route(
        "/.well-known/jwks.json",
        get(move || {
            h.fetch_add(1, Ordering::SeqCst);
            let body = d.lock().unwrap().clone();
            async move { ([("content-type", "application/json")], body) }
        }),
    );
    (serve(app).await, hits, doc)
}

pub fn request(headers: &[(&str, &str)], uri: &str) -> http::Request<()> {
    let mut b = http::Request::builder().uri(uri);
    for (n, v) in headers {
        b = b.header(*n, *v);
    }
    b.body(()).unwrap()
}

pub const DOC: (&str, &str) = ("sec-fetch-dest", "document");
pub const API: (&str, &str) = ("sec-fetch-dest", "empty");
pub const HOST: (&str, &str) = ("host", "app.example.test");
