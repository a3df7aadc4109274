//! Clerk's backend decision table (`authenticateRequest`), case by case, networkless (PEM
//! key): header vs cookie, `__client_uat`, suffixed cookies, dev browser, document vs API,
//! the handshake redirect, its loop protection and the handshake resolution.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::json;
use yew_clerk_server::{Reason, RequestState};

fn query(location: &str, name: &str) -> Option<String> {
    let q = location.split_once('?')?.1;
    form_urlencoded::parse(q.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

async fn run(headers: &[(&str, &str)], uri: &str) -> RequestState {
    local_clerk()
        .authenticate_request(&request(headers, uri))
        .await
}

#[tokio::test]
async fn nothing_at_all_is_signed_out_token_and_uat_missing() {
    let s = run(&[HOST, DOC], "/").await;
    assert_eq!(s.reason(), Some(Reason::SessionTokenAndUatMissing), "{s:?}");
    let s = run(&[HOST, API, ("cookie", "__client_uat=0")], "/api").await;
    assert_eq!(s.reason(), Some(Reason::SessionTokenAndUatMissing), "{s:?}");
}

#[tokio::test]
async fn valid_bearer_is_signed_in_with_v2_org_claims() {
    let t = mint(&good_claims());
    let s = run(&[("authorization", &format!("Bearer {t}"))], "/api").await;
    let RequestState::SignedIn { auth, .. } = &s else {
        panic!("{s:?}")
    };
    assert_eq!(auth.user_id(), "user_1");
    assert_eq!(auth.session_id(), Some("sess_1"));
    assert_eq!(auth.org_id(), Some("org_1"));
    assert_eq!(auth.org_role(), Some("org:admin"));
    assert_eq!(auth.org_slug(), Some("acme"));
    assert_eq!(auth.org_permissions(), ["org:invoices:read".to_string()]);
    // A bare token (no scheme) is accepted too, as Clerk does.
    let s = run(&[("authorization", &t)], "/api").await;
    assert_eq!(s.user_id(), Some("user_1"));
}

#[tokio::test]
async fn v1_org_claims_read_the_same() {
    let t = mint(&claims_with(
        json!({"v": null, "o": null, "fea": null, "org_id": "org_9",
        "org_role": "org:member", "org_slug": "nine", "org_permissions": ["org:x:y"]}),
    ));
    let s = run(&[("authorization", &format!("Bearer {t}"))], "/api").await;
    let RequestState::SignedIn { auth, .. } = &s else {
        panic!("{s:?}")
    };
    assert_eq!(
        (auth.org_id(), auth.org_role(), auth.org_slug()),
        (Some("org_9"), Some("org:member"), Some("nine"))
    );
    assert!(auth.has(&yew_clerk_server::Check::permission("org:x:y")));
}

#[tokio::test]
async fn another_authorization_scheme_is_ignored() {
    let s = run(&[("authorization", "Basic dXNlcjpwYXNz")], "/api").await;
    assert_eq!(s.reason(), Some(Reason::SessionTokenAndUatMissing), "{s:?}");
}

#[tokio::test]
async fn session_cookie_with_client_uat_is_signed_in() {
    let t = mint(&good_claims());
    let cookie = format!("__client_uat={}; __session={t}", now() - 100);
    let s = run(&[HOST, API, ("cookie", &cookie)], "/api").await;
    assert_eq!(s.user_id(), Some("user_1"), "{s:?}");
}

#[tokio::test]
async fn session_without_client_uat_handshakes_documents_only() {
    let t = mint(&good_claims());
    let cookie = format!("__session={t}");
    let s = run(&[HOST, API, ("cookie", &cookie)], "/api").await;
    assert!(
        matches!(
            s,
            RequestState::SignedOut {
                reason: Reason::SessionTokenWithoutClientUat,
                ..
            }
        ),
        "{s:?}"
    );
    let s = run(&[HOST, DOC, ("cookie", &cookie)], "/page").await;
    assert!(
        matches!(
            s,
            RequestState::Handshake {
                reason: Reason::SessionTokenWithoutClientUat,
                ..
            }
        ),
        "{s:?}"
    );
}

#[tokio::test]
async fn client_uat_without_session_redirects_documents_to_the_handshake() {
    let s = run(
        &[HOST, DOC, ("cookie", "__client_uat=1700000000")],
        "/dashboard?tab=1",
    )
    .await;
    let RequestState::Handshake {
        location,
        reason,
        headers,
    } = &s
    else {
        panic!("{s:?}")
    };
    assert_eq!(*reason, Reason::ClientUatWithoutSessionToken);
    assert!(
        location.starts_with(&format!("https://{FAPI_HOST}/v1/client/handshake?")),
        "{location}"
    );
    assert_eq!(
        query(location, "redirect_url").as_deref(),
        Some("http://app.example.test/dashboard?tab=1")
    );
    assert_eq!(
        query(location, "suffixed_cookies").as_deref(),
        Some("false")
    );
    assert_eq!(
        query(location, "__clerk_hs_reason").as_deref(),
        Some("client-uat-but-no-session-token")
    );
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["location"], location.as_str());
    assert!(headers["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("__clerk_redirect_count=1;"));
    assert_eq!(s.redirect_location(), Some(location.as_str()));
    // The same request from fetch() is signed out with the same reason.
    let s = run(&[HOST, API, ("cookie", "__client_uat=1700000000")], "/api").await;
    assert!(
        matches!(
            s,
            RequestState::SignedOut {
                reason: Reason::ClientUatWithoutSessionToken,
                ..
            }
        ),
        "{s:?}"
    );
    // accept: text/html without fetch metadata counts as a document (old browsers).
    let s = run(
        &[
            HOST,
            ("accept", "text/html,*/*"),
            ("cookie", "__client_uat=1"),
        ],
        "/",
    )
    .await;
    assert_eq!(s.status(), "handshake");
}

#[tokio::test]
async fn handshake_loop_protection_after_three_redirects() {
    let s = run(
        &[
            HOST,
            DOC,
            ("cookie", "__client_uat=5; __clerk_redirect_count=2"),
        ],
        "/",
    )
    .await;
    assert!(s.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .starts_with("__clerk_redirect_count=3;"));
    let s = run(
        &[
            HOST,
            DOC,
            ("cookie", "__client_uat=5; __clerk_redirect_count=3"),
        ],
        "/",
    )
    .await;
    assert!(
        matches!(
            s,
            RequestState::SignedOut {
                reason: Reason::ClientUatWithoutSessionToken,
                ..
            }
        ),
        "{s:?}"
    );
    assert!(s.redirect_location().is_none());
}

#[tokio::test]
async fn token_older_than_client_uat_handshakes() {
    let t = mint(&good_claims());
    let cookie = format!("__client_uat={}; __session={t}", now() + 30);
    let s = run(&[HOST, DOC, ("cookie", &cookie)], "/").await;
    assert!(
        matches!(
            s,
            RequestState::Handshake {
                reason: Reason::SessionTokenIatBeforeClientUat,
                ..
            }
        ),
        "{s:?}"
    );
}

#[tokio::test]
async fn expired_cookie_handshakes_with_clerks_reason() {
    let t = mint(&claims_with(
        json!({"exp": now() - 60, "iat": now() - 120, "nbf": now() - 130}),
    ));
    let cookie = format!("__client_uat=1; __session={t}");
    let s = run(&[HOST, DOC, ("cookie", &cookie)], "/").await;
    let RequestState::Handshake {
        location, reason, ..
    } = &s
    else {
        panic!("{s:?}")
    };
    assert_eq!(*reason, Reason::SessionTokenExpired);
    assert_eq!(
        query(location, "__clerk_hs_reason").as_deref(),
        Some("session-token-expired-refresh-non-eligible-no-refresh-cookie")
    );
    let s = run(&[HOST, API, ("cookie", &cookie)], "/api").await;
    assert_eq!(s.reason(), Some(Reason::SessionTokenExpired));
    // The header carrier gets the same conversion (Clerk's handleError).
    let s = run(&[("authorization", &format!("Bearer {t}"))], "/api").await;
    assert_eq!(s.reason(), Some(Reason::SessionTokenExpired));
}

#[tokio::test]
async fn garbage_session_cookie_is_token_invalid() {
    for bad in ["x", "a.b.c", "....", "eyJ.eyJ.sig", "%%%"] {
        let cookie = format!("__client_uat=1; __session={bad}");
        let s = run(&[HOST, DOC, ("cookie", &cookie)], "/").await;
        assert_eq!(s.reason(), Some(Reason::TokenInvalid), "{bad}: {s:?}");
    }
}

#[tokio::test]
async fn suffixed_cookies_win_when_present() {
    let pk = publishable_key(FAPI_HOST);
    let suffix = yew_clerk_core::key::cookie_suffix(&pk);
    let t = mint(&good_claims());
    let cookie = format!(
        "__session=garbage; __client_uat=0; __session_{suffix}={t}; __client_uat_{suffix}=1"
    );
    let s = run(&[HOST, API, ("cookie", &cookie)], "/api").await;
    assert_eq!(s.user_id(), Some("user_1"), "{s:?}");
    // And the handshake says so.
    let cookie = format!("__client_uat_{suffix}=1");
    let s = run(&[HOST, DOC, ("cookie", &cookie)], "/").await;
    let RequestState::Handshake { location, .. } = &s else {
        panic!("{s:?}")
    };
    assert_eq!(query(location, "suffixed_cookies").as_deref(), Some("true"));
}

#[tokio::test]
async fn pending_sessions_are_signed_out_unless_accepted() {
    let t = mint(&claims_with(json!({"sts": "pending"})));
    let bearer = format!("Bearer {t}");
    let s = run(&[("authorization", &bearer)], "/api").await;
    assert_eq!(s.reason(), Some(Reason::SessionPending));
    let clerk = local_config()
        .with_pending_sessions_accepted(true)
        .build()
        .unwrap();
    let s = clerk
        .authenticate_request(&request(&[("authorization", &bearer)], "/api"))
        .await;
    assert_eq!(s.user_id(), Some("user_1"));
}

#[tokio::test]
async fn dev_instances_on_clerk_dev_hosts_need_a_dev_browser() {
    let clerk = local_config()
        .with_publishable_key(publishable_key("happy-hen-13.clerk.accounts.dev"))
        .build()
        .unwrap();
    let s = clerk
        .authenticate_request(&request(&[HOST, DOC], "/"))
        .await;
    assert!(
        matches!(
            s,
            RequestState::Handshake {
                reason: Reason::DevBrowserMissing,
                ..
            }
        ),
        "{s:?}"
    );
    let s = clerk
        .authenticate_request(&request(&[HOST, API], "/api"))
        .await;
    assert_eq!(s.reason(), Some(Reason::DevBrowserMissing));
    // A dev-browser id in the URL is synced by a handshake (and sent to FAPI, not echoed in
    // redirect_url).
    let s = clerk
        .authenticate_request(&request(&[HOST, DOC], "/p?__clerk_db_jwt=dvb_1&x=1"))
        .await;
    let RequestState::Handshake {
        location, reason, ..
    } = &s
    else {
        panic!("{s:?}")
    };
    assert_eq!(*reason, Reason::DevBrowserSync);
    assert_eq!(
        query(location, "redirect_url").as_deref(),
        Some("http://app.example.test/p?x=1")
    );
    assert_eq!(query(location, "__clerk_db_jwt").as_deref(), Some("dvb_1"));
    assert!(
        !format!("{s:?}").contains("dvb_1"),
        "Debug must not show the dev-browser id"
    );
    // With the dev-browser cookie the normal rules apply.
    let t = mint(&good_claims());
    let cookie = format!("__clerk_db_jwt=dvb_1; __client_uat=1; __session={t}");
    let s = clerk
        .authenticate_request(&request(&[HOST, DOC, ("cookie", &cookie)], "/"))
        .await;
    assert_eq!(s.user_id(), Some("user_1"), "{s:?}");
}

#[tokio::test]
async fn a_proxy_url_receives_the_handshake() {
    let clerk = local_config()
        .with_proxy_url("http://127.0.0.1:7500")
        .build()
        .unwrap();
    let s = clerk
        .authenticate_request(&request(&[HOST, DOC, ("cookie", "__client_uat=9")], "/"))
        .await;
    let loc = s.redirect_location().unwrap();
    assert!(
        loc.starts_with("http://127.0.0.1:7500/v1/client/handshake?"),
        "{loc}"
    );
}

#[tokio::test]
async fn forwarded_headers_build_the_redirect_url_and_bad_hosts_are_refused() {
    let s = run(
        &[
            ("host", "internal:8080"),
            ("x-forwarded-host", "app.example.com"),
            ("x-forwarded-proto", "https"),
            DOC,
            ("cookie", "__client_uat=9"),
        ],
        "/x",
    )
    .await;
    let loc = s.redirect_location().unwrap().to_string();
    assert_eq!(
        query(&loc, "redirect_url").as_deref(),
        Some("https://app.example.com/x")
    );
    // A host that could inject into a URL: no handshake, signed out.
    let s = run(
        &[("host", "evil.test/@x"), DOC, ("cookie", "__client_uat=9")],
        "/",
    )
    .await;
    assert_eq!(s.status(), "signed-out");
}

fn handshake_token(cookies: &[String], kid: &str, key: &TestKey) -> String {
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some(kid.into());
    jsonwebtoken::encode(
        &header,
        &json!({ "handshake": cookies }),
        &jsonwebtoken::EncodingKey::from_rsa_pem(key.private_pem.as_bytes()).unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn handshake_payload_sets_cookies_and_redirects_to_the_clean_url() {
    let t = mint(&good_claims());
    let cookies = vec![
        format!("__session={t}; Path=/; SameSite=Lax"),
        format!("__client_uat={}; Path=/; Max-Age=315360000", now() - 5),
        "__clerk_handshake=; Path=/; Max-Age=0".to_string(),
    ];
    let hs = handshake_token(&cookies, KID, key_a());
    let s = run(
        &[HOST, DOC],
        &format!("/dash?a=1&__clerk_handshake={hs}&__clerk_help=1"),
    )
    .await;
    let RequestState::SignedIn { auth, headers } = &s else {
        panic!("{s:?}")
    };
    assert_eq!(auth.user_id(), "user_1");
    assert_eq!(headers["location"], "http://app.example.test/dash?a=1");
    assert_eq!(headers["cache-control"], "no-store");
    let set: Vec<_> = headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert_eq!(set, cookies);
}

#[tokio::test]
async fn handshake_that_signs_out_is_signed_out_with_its_cookies() {
    let cookies = vec![
        "__session=; Path=/; Max-Age=0".to_string(),
        "__client_uat=0; Path=/".to_string(),
    ];
    let hs = handshake_token(&cookies, KID, key_a());
    let s = run(&[HOST, DOC], &format!("/?__clerk_handshake={hs}")).await;
    assert!(
        matches!(
            s,
            RequestState::SignedOut {
                reason: Reason::SessionTokenMissing,
                ..
            }
        ),
        "{s:?}"
    );
    assert_eq!(s.redirect_location(), Some("http://app.example.test/"));
    assert_eq!(s.headers().get_all("set-cookie").iter().count(), 2);
}

#[tokio::test]
async fn forged_handshake_payloads_set_nothing() {
    let t = mint(&good_claims());
    let cookies = vec![
        format!("__session={t}; Path=/"),
        "__client_uat=1; Path=/".to_string(),
    ];
    // Signed by a foreign key, or tampered, or alg none: ignored, the normal rules apply.
    let foreign = handshake_token(&cookies, KID, key_b());
    let good = handshake_token(&cookies, KID, key_a());
    let mut parts: Vec<&str> = good.split('.').collect();
    let other = handshake_token(&["__session=evil".to_string()], KID, key_a());
    let evil_payload = other.split('.').nth(1).unwrap().to_string();
    parts[1] = &evil_payload;
    let tampered = parts.join(".");
    for hs in [foreign, tampered, "a.b.c".to_string(), "x".to_string()] {
        let s = run(&[HOST, DOC], &format!("/?__clerk_handshake={hs}")).await;
        assert!(
            matches!(
                s,
                RequestState::SignedOut {
                    reason: Reason::SessionTokenAndUatMissing,
                    ..
                }
            ),
            "{s:?}"
        );
        assert!(s.headers().get("set-cookie").is_none());
    }
}
