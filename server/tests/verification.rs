//! Token verification against a JWKS served over a real socket: forged tokens, time
//! claims, `azp`, key rotation, unknown-`kid` floods and JWKS outages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use base64::Engine;
use common::*;
use serde_json::json;
use yew_clerk_server::jwks::JwksSettings;
use yew_clerk_server::{Clerk, ClerkConfig, Reason};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

async fn remote(
    settings: JwksSettings,
) -> (
    Clerk,
    std::sync::Arc<std::sync::atomic::AtomicUsize>,
    std::sync::Arc<std::sync::Mutex<String>>,
) {
    let (base, hits, doc) = jwks_server(jwks_json(&[(KID, key_a())])).await;
    let clerk = ClerkConfig::default()
        .with_jwks_url(format!("{base}/.well-known/jwks.json"))
        .with_authorized_parties([ORIGIN])
        .with_jwks_settings(settings)
        .build()
        .unwrap();
    (clerk, hits, doc)
}

async fn reason(clerk: &Clerk, token: &str) -> Option<Reason> {
    clerk
        .verify_session_token(token)
        .await
        .err()
        .map(|e| e.reason)
}

#[tokio::test]
async fn valid_token_verifies_and_the_jwks_is_cached() {
    let (clerk, hits, _) = remote(JwksSettings::default()).await;
    let t = mint(&good_claims());
    for _ in 0..5 {
        assert_eq!(
            clerk.verify_session_token(&t).await.unwrap().user_id(),
            "user_1"
        );
    }
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn alg_confusion_and_none_are_rejected_before_any_fetch() {
    let (clerk, hits, _) = remote(JwksSettings::default()).await;
    // HS256 "signed" with the RSA public key as the HMAC secret.
    let mut h = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    h.kid = Some(KID.into());
    let hs = jsonwebtoken::encode(
        &h,
        &good_claims(),
        &jsonwebtoken::EncodingKey::from_secret(key_a().public_pem.as_bytes()),
    )
    .unwrap();
    assert_eq!(
        reason(&clerk, &hs).await,
        Some(Reason::TokenInvalidAlgorithm)
    );
    // alg none, empty signature.
    let header = B64.encode(json!({"alg": "none", "kid": KID, "typ": "JWT"}).to_string());
    let payload = B64.encode(good_claims().to_string());
    assert_eq!(
        reason(&clerk, &format!("{header}.{payload}.")).await,
        Some(Reason::TokenInvalidAlgorithm)
    );
    // RS512, PS256: still only RS256.
    for alg in ["RS512", "PS256", "ES256", ""] {
        let header = B64.encode(json!({"alg": alg, "kid": KID}).to_string());
        assert_eq!(
            reason(&clerk, &format!("{header}.{payload}.c2ln")).await,
            Some(Reason::TokenInvalidAlgorithm),
            "{alg}"
        );
    }
    // typ other than JWT.
    let header = B64.encode(json!({"alg": "RS256", "kid": KID, "typ": "at+jwt"}).to_string());
    assert_eq!(
        reason(&clerk, &format!("{header}.{payload}.c2ln")).await,
        Some(Reason::TokenInvalid)
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "forged headers cost no JWKS fetch"
    );
}

#[tokio::test]
async fn foreign_key_with_the_real_kid_and_tampered_claims_fail_the_signature() {
    let (clerk, _, _) = remote(JwksSettings::default()).await;
    let foreign = mint_with(KID, key_b(), &good_claims());
    assert_eq!(
        reason(&clerk, &foreign).await,
        Some(Reason::TokenInvalidSignature)
    );
    let good = mint(&good_claims());
    let mut parts: Vec<String> = good.split('.').map(String::from).collect();
    parts[1] = B64.encode(claims_with(json!({"sub": "user_admin"})).to_string());
    assert_eq!(
        reason(&clerk, &parts.join(".")).await,
        Some(Reason::TokenInvalidSignature)
    );
    // Signature of another token.
    let other = mint(&claims_with(json!({"sub": "user_2"})));
    parts = good.split('.').map(String::from).collect();
    parts[2] = other.split('.').nth(2).unwrap().to_string();
    assert_eq!(
        reason(&clerk, &parts.join(".")).await,
        Some(Reason::TokenInvalidSignature)
    );
}

#[tokio::test]
async fn time_claims_with_clock_skew() {
    let (clerk, _, _) = remote(JwksSettings::default()).await;
    let t = now();
    let cases = [
        (json!({"exp": t - 10}), Some(Reason::TokenExpired)),
        (json!({"exp": t - 3}), None), // within the 5 s skew
        (json!({"exp": t - 5}), Some(Reason::TokenExpired)), // Clerk: exp <= now - skew
        (json!({"nbf": t + 30}), Some(Reason::TokenNotActiveYet)),
        (json!({"nbf": t + 3}), None),
        (
            json!({"iat": t + 30, "nbf": null}),
            Some(Reason::TokenIatInTheFuture),
        ),
        (json!({"iat": t + 3}), None),
        (json!({"nbf": null}), None),
    ];
    for (patch, want) in cases {
        let token = mint(&claims_with(patch.clone()));
        assert_eq!(reason(&clerk, &token).await, want, "{patch}");
    }
}

#[tokio::test]
async fn azp_must_be_an_authorized_party_when_present() {
    let (clerk, _, _) = remote(JwksSettings::default()).await;
    let evil = mint(&claims_with(json!({"azp": "https://evil.example"})));
    assert_eq!(
        reason(&clerk, &evil).await,
        Some(Reason::TokenInvalidAuthorizedParties)
    );
    let none = mint(&claims_with(json!({"azp": null})));
    assert_eq!(reason(&clerk, &none).await, None);
}

#[tokio::test]
async fn malformed_tokens_are_token_invalid() {
    let (clerk, hits, _) = remote(JwksSettings::default()).await;
    let no_sub = {
        let header = B64.encode(json!({"alg": "RS256", "kid": KID}).to_string());
        format!(
            "{header}.{}.c2ln",
            B64.encode(json!({"exp": now() + 60, "iat": now()}).to_string())
        )
    };
    for bad in [
        "",
        "a",
        "a.b",
        "a.b.c",
        "a.b.c.d",
        "...",
        "\u{0}.\u{1}.\u{2}",
        &no_sub,
        &"x".repeat(100_000),
    ] {
        assert_eq!(
            reason(&clerk, bad).await,
            Some(Reason::TokenInvalid),
            "{:?}",
            &bad[..bad.len().min(20)]
        );
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn rotated_key_is_fetched_once_the_refetch_interval_passed() {
    let settings = JwksSettings {
        min_refetch_interval: Duration::from_millis(200),
        ..JwksSettings::default()
    };
    let (clerk, hits, doc) = remote(settings).await;
    assert!(reason(&clerk, &mint(&good_claims())).await.is_none());
    *doc.lock().unwrap() = jwks_json(&[(KID, key_a()), ("ins_rotated", key_b())]);
    let rotated = mint_with("ins_rotated", key_b(), &good_claims());
    // Inside the interval: no fetch, kid mismatch.
    assert_eq!(reason(&clerk, &rotated).await, Some(Reason::JwkKidMismatch));
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert_eq!(reason(&clerk, &rotated).await, None);
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn unknown_kid_flood_costs_one_fetch() {
    let (clerk, hits, _) = remote(JwksSettings::default()).await;
    let tokens: Vec<String> = (0..1000)
        .map(|i| {
            mint_with(
                &format!("ins_random_{i}_{}", rand::random::<u64>()),
                key_a(),
                &good_claims(),
            )
        })
        .collect();
    let start = Instant::now();
    let mut tasks = Vec::new();
    for t in tokens {
        let c = clerk.clone();
        tasks.push(tokio::spawn(async move {
            c.verify_session_token(&t).await.err().map(|e| e.reason)
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), Some(Reason::JwkKidMismatch));
    }
    let fetches = hits.load(Ordering::SeqCst);
    println!(
        "unknown-kid flood: 1000 tokens, {fetches} JWKS fetch(es), {:?}",
        start.elapsed()
    );
    assert_eq!(fetches, 1, "single flight + rate limit");
    assert_eq!(clerk.jwks_fetch_count(), 1);
    // The real kid still verifies from the cache.
    assert!(reason(&clerk, &mint(&good_claims())).await.is_none());
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn jwks_outage_is_a_typed_error_never_a_hang() {
    // Connection refused.
    let clerk = ClerkConfig::default()
        .with_jwks_url("http://127.0.0.1:9/.well-known/jwks.json")
        .build()
        .unwrap();
    assert_eq!(
        reason(&clerk, &mint(&good_claims())).await,
        Some(Reason::JwkFailedToLoad)
    );
    // A server that accepts and never answers: the fetch timeout bounds it.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = listener.accept().await {
            held.push(s);
        }
    });
    let settings = JwksSettings {
        timeout: Duration::from_millis(300),
        ..JwksSettings::default()
    };
    let clerk = ClerkConfig::default()
        .with_jwks_url(format!("http://{addr}/jwks"))
        .with_jwks_settings(settings)
        .build()
        .unwrap();
    let start = Instant::now();
    let r = reason(&clerk, &mint(&good_claims())).await;
    assert_eq!(r, Some(Reason::JwkFailedToLoad));
    assert!(r.unwrap().is_outage());
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
    // Not a JWKS document.
    let (base, _, doc) = jwks_server("not json".into()).await;
    let clerk = ClerkConfig::default()
        .with_jwks_url(format!("{base}/.well-known/jwks.json"))
        .build()
        .unwrap();
    assert_eq!(
        reason(&clerk, &mint(&good_claims())).await,
        Some(Reason::JwkRemoteInvalid)
    );
    *doc.lock().unwrap() = jwks_json(&[(KID, key_a())]);
}

#[tokio::test]
async fn backend_api_jwks_is_fetched_with_the_secret_key() {
    use axum::http::HeaderMap;
    let jwks = jwks_json(&[(KID, key_a())]);
    let app = axum::Router::new().route(
        "/v1/jwks",
        axum::routing::get(move |h: HeaderMap| {
            let ok =
                h.get("authorization").and_then(|v| v.to_str().ok()) == Some("Bearer sk_test_abc");
            let body = jwks.clone();
            async move {
                if ok {
                    (axum::http::StatusCode::OK, body)
                } else {
                    (axum::http::StatusCode::UNAUTHORIZED, "{}".into())
                }
            }
        }),
    );
    let api = serve(app).await;
    let clerk = ClerkConfig::default()
        .with_secret_key("sk_test_abc")
        .with_api_url(&api)
        .build()
        .unwrap();
    assert_eq!(reason(&clerk, &mint(&good_claims())).await, None);
    assert!(
        !format!("{clerk:?}").contains("sk_test_abc"),
        "Debug must not show the secret key"
    );
}

#[tokio::test]
async fn pem_key_verifies_offline() {
    let clerk = local_clerk();
    assert_eq!(reason(&clerk, &mint(&good_claims())).await, None);
    assert_eq!(
        reason(&clerk, &mint_with("any_kid", key_b(), &good_claims())).await,
        Some(Reason::TokenInvalidSignature)
    );
    assert_eq!(clerk.jwks_fetch_count(), 0);
    // The bare base64 body as the dashboard shows it.
    let body: String = key_a()
        .public_pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let clerk = ClerkConfig::default().with_jwt_key(body).build().unwrap();
    assert_eq!(reason(&clerk, &mint(&good_claims())).await, None);
    assert!(ClerkConfig::default().with_jwt_key("nope").build().is_err());
}

#[tokio::test]
async fn a_slow_refetch_does_not_block_tokens_with_a_cached_kid() {
    use std::sync::atomic::AtomicUsize;
    use std::sync::Arc;
    // The second JWKS request takes 1.5 s; meanwhile cached-kid verifications must not wait.
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let doc = jwks_json(&[(KID, key_a())]);
    let app = axum::Router::new().route(
        "/jwks",
        axum::routing::get(move || {
            let n = h.fetch_add(1, Ordering::SeqCst);
            let body = doc.clone();
            async move {
                if n > 0 {
                    tokio::time::sleep(Duration::from_millis(1500)).await;
                }
                body
            }
        }),
    );
    let base = serve(app).await;
    let settings = JwksSettings {
        min_refetch_interval: Duration::from_millis(0),
        ..JwksSettings::default()
    };
    let clerk = ClerkConfig::default()
        .with_jwks_url(format!("{base}/jwks"))
        .with_jwks_settings(settings)
        .build()
        .unwrap();
    let good = mint(&claims_with(json!({"azp": null})));
    assert!(reason(&clerk, &good).await.is_none());
    let c2 = clerk.clone();
    let slow = tokio::spawn(async move {
        let t = mint_with("ins_unknown", key_a(), &good_claims());
        c2.verify_session_token(&t).await.err().map(|e| e.reason)
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(hits.load(Ordering::SeqCst), 2, "the refetch is in flight");
    let start = Instant::now();
    for _ in 0..20 {
        assert!(reason(&clerk, &good).await.is_none());
    }
    assert!(
        start.elapsed() < Duration::from_millis(500),
        "blocked for {:?}",
        start.elapsed()
    );
    assert_eq!(slow.await.unwrap(), Some(Reason::JwkKidMismatch));
}
