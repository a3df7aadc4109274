//! Session tokens: shared requests, refresh after expiry, no re-render of `use_user` consumers,
//! revoked sessions, a second provider.

use super::*;

#[wasm_bindgen_test]
async fn concurrent_get_token_calls_share_one_request() {
    reset().await;
    reset_grabbed();
    sign_in(EMAIL, PASSWORD).await;
    let (handle, root) = mount(views()).await;
    wait_signed_in(&root).await;
    clear_requests().await;
    let clerk = grabbed(0);
    let calls: Vec<_> = (0..20)
        .map(|_| clerk.get_token(GetTokenOptions::template("test")))
        .collect();
    let results = futures::future::join_all(calls).await;
    let first = results[0].clone().unwrap().expect("a template token");
    assert!(results
        .iter()
        .all(|r| r.as_ref().ok() == Some(&Some(first.clone()))));
    assert_eq!(
        count("POST", |p| p.ends_with("/tokens/test")).await,
        1,
        "20 calls, one request"
    );
    // The template token is cached afterwards.
    let again = clerk
        .get_token(GetTokenOptions::template("test"))
        .await
        .unwrap();
    assert_eq!(again, Some(first));
    assert_eq!(count("POST", is_tokens).await, 1);
    // The default token was seeded from the client at load: no request either.
    let default = clerk.get_token(GetTokenOptions::default()).await.unwrap();
    assert!(default.is_some());
    assert_eq!(count("POST", is_tokens).await, 1);
    handle.destroy();
}

#[wasm_bindgen_test]
async fn get_token_after_expiry_fetches_a_new_one() {
    reset().await;
    reset_grabbed();
    control("POST", "settings", Some(json!({"token_lifetime_secs": 7}))).await;
    sign_in(EMAIL, PASSWORD).await;
    let (handle, root) = mount(views()).await;
    wait_signed_in(&root).await;
    let clerk = grabbed(0);
    let t1 = clerk
        .get_token(GetTokenOptions::default())
        .await
        .unwrap()
        .unwrap();
    // A token with 5 s or less left is never returned.
    sleep(2_500).await;
    clear_requests().await;
    // 20 concurrent calls for the expiring default token: one request.
    let calls: Vec<_> = (0..20)
        .map(|_| clerk.get_token(GetTokenOptions::default()))
        .collect();
    let results = futures::future::join_all(calls).await;
    let shared = results[0].clone().unwrap().unwrap();
    assert!(results
        .iter()
        .all(|r| r.as_ref().ok() == Some(&Some(shared.clone()))));
    assert_eq!(count("POST", is_tokens).await, 1, "20 calls, one /tokens");
    let t2 = clerk
        .get_token(GetTokenOptions::default())
        .await
        .unwrap()
        .unwrap();
    assert_ne!(t1, t2, "a token about to expire must be replaced");
    assert!(count("POST", is_tokens).await >= 1);
    handle.destroy();
}

#[wasm_bindgen_test]
async fn token_refresh_does_not_rerender_use_user_consumers() {
    reset().await;
    reset_grabbed();
    sign_in(EMAIL, PASSWORD).await;
    let (handle, root) = mount(views()).await;
    wait_signed_in(&root).await;
    sleep(200).await;
    let before = USER_RENDERS.with(|c| c.get());
    assert!(
        before >= 2,
        "UserView rendered loading and signed-in: {before}"
    );
    clear_requests().await;
    let clerk = grabbed(0);
    let fresh = clerk
        .get_token(GetTokenOptions {
            skip_cache: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(fresh.is_some());
    assert_eq!(
        count("POST", is_tokens).await,
        1,
        "skip_cache went to the network"
    );
    sleep(300).await;
    yew::scheduler::flush().await;
    let after = USER_RENDERS.with(|c| c.get());
    assert_eq!(
        before, after,
        "a token refresh re-rendered a use_user consumer"
    );
    handle.destroy();
}

#[wasm_bindgen_test]
async fn revoked_session_signs_out_on_next_token_fetch() {
    reset().await;
    reset_grabbed();
    let sid = sign_in(EMAIL, PASSWORD).await;
    let (handle, root) = mount(views()).await;
    wait_signed_in(&root).await;
    control("POST", &format!("sessions/{sid}/revoke"), Some(json!({}))).await;
    let result = grabbed(0)
        .get_token(GetTokenOptions {
            skip_cache: true,
            ..Default::default()
        })
        .await;
    assert!(
        !matches!(result, Ok(Some(_))),
        "a revoked session got a token: {result:?}"
    );
    wait_text(&root, 10_000, |t| t.contains("[auth:signed-out]")).await;
    handle.destroy();
}

#[wasm_bindgen_test]
async fn a_fresh_token_reaches_a_second_provider_in_the_same_page() {
    let ((a, _), (b, _)) = two_signed_in_providers().await;
    // A newer `iat` than the tokens both providers got at load.
    sleep(1_100).await;
    clear_requests().await;
    let fresh = grabbed(0)
        .get_token(GetTokenOptions {
            skip_cache: true,
            ..Default::default()
        })
        .await
        .unwrap()
        .unwrap();
    sleep(200).await;
    // B got it on BroadcastChannel("clerk:session_token"): no request of its own.
    let from_b = grabbed(1)
        .get_token(GetTokenOptions::default())
        .await
        .unwrap();
    assert_eq!(from_b.as_deref(), Some(fresh.as_str()));
    assert_eq!(count("POST", is_tokens).await, 1);
    a.destroy();
    b.destroy();
}
