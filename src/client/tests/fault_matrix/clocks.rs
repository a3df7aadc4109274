//! The fault matrix: clocks.

use super::*;

/// A `/v1/client` body as FAPI produced it `age_ms` ago.
fn old_client_response(h: &Harness, age_ms: i64) -> crate::client::ports::HttpResponse {
    let body = json!({"response": h.fapi.borrow().client_json(T0 - age_ms), "client": null});
    crate::client::ports::HttpResponse {
        status: 200,
        retry_after: None,
        dev_browser: None,
        body: body.to_string(),
    }
}

#[test]
fn old_prefetched_client_does_not_make_an_expired_token_look_fresh() {
    let page = page();
    let (h, tab) = signed_in_unloaded(false, page.clone());
    // The prefetch snippet's response sat 10 minutes in a background tab.
    let old = old_client_response(&h, 600_000);
    page.prefetched
        .borrow_mut()
        .insert("/v1/client".into(), Ok(old));
    let c = tab.clerk.clone();
    h.run(async move { c.load().await });
    assert_eq!(is_signed_in(&tab), Some(true));
    let token = get_token(&h, &tab, GetTokenOptions::default())
        .unwrap()
        .unwrap();
    let claims = crate::core::claims::SessionToken::decode(&token).unwrap();
    assert!(
        claims.claims().exp * 1000 > T0,
        "an unexpired token (FAPI's clock is the device's)"
    );
    assert_eq!(h.fapi.borrow().count(TOKENS), 1);
}

fn clock_off_by(offset_ms: i64) {
    let h = Harness::new(false);
    {
        let mut f = h.fapi.borrow_mut();
        f.server_offset_ms = -offset_ms; // FAPI minus device
        f.sign_in_session("user_1", T0 - offset_ms);
    }
    let tab = h.loaded_tab();
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    assert_eq!(is_signed_in(&tab), Some(true));
    // The seeded token is used as is, and the timer refreshes about once a minute.
    assert!(get_token(&h, &tab, GetTokenOptions::default())
        .unwrap()
        .is_some());
    assert_eq!(h.fapi.borrow().count(TOKENS), 0);
    h.advance(120_000);
    let refreshes = h.fapi.borrow().count(TOKENS);
    assert!(
        (2..=3).contains(&refreshes),
        "{refreshes} refreshes in 2 min"
    );
    assert!(get_token(&h, &tab, GetTokenOptions::default())
        .unwrap()
        .is_some());
    assert_eq!(h.fapi.borrow().count(TOKENS), refreshes);
}

#[test]
fn device_clock_10_minutes_fast_is_tolerated() {
    clock_off_by(600_000);
}

#[test]
fn device_clock_10_minutes_slow_is_tolerated() {
    clock_off_by(-600_000);
}
