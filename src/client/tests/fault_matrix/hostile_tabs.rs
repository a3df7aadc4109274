//! The fault matrix: hostile tabs.

use super::*;

fn token_message(token_id: &str, token: String) -> crate::client::ports::TabMessage {
    crate::client::ports::TabMessage::Token {
        token_id: token_id.into(),
        token,
    }
}

/// The tab still serves FAPI's own token and the cookie holds it.
fn assert_own_token_kept(h: &Harness, tab: &Tab, own: &str) {
    assert_eq!(h.session_cookie().as_deref(), Some(own));
    let got = get_token(h, tab, GetTokenOptions::default()).unwrap();
    assert_eq!(got.as_deref(), Some(own));
    assert_eq!(is_signed_in(tab), Some(true));
}

#[test]
fn hostile_tab_token_with_extreme_times_is_ignored() {
    let (h, tab) = signed_in(false);
    let own = h.session_cookie().unwrap();
    for (iat, exp) in [
        (i64::MAX, i64::MAX),
        (i64::MIN, i64::MAX),
        (0, i64::MIN),
        (i64::MAX, i64::MIN),
        (i64::MIN, i64::MIN),
    ] {
        post_from_other_tab(
            &h,
            token_message("sess_1", forged(json!({"iat": iat, "exp": exp}))),
        );
    }
    assert_own_token_kept(&h, &tab, &own);
}

#[test]
fn hostile_tab_token_with_future_iat_does_not_pin_the_cache() {
    let (h, tab) = signed_in(false);
    let now = T0 / 1000;
    // Plausible expiry, but "minted" a year from now: fresher than anything FAPI will mint.
    let pin = forged(json!({"iat": now + 365 * 86_400, "exp": now + 60}));
    post_from_other_tab(&h, token_message("sess_1", pin.clone()));
    assert_ne!(h.session_cookie().as_deref(), Some(pin.as_str()));
    let fresh = get_token(&h, &tab, skip_cache()).unwrap().unwrap();
    assert_own_token_kept(&h, &tab, &fresh);
}

#[test]
fn hostile_tab_token_with_future_oiat_header_does_not_pin_the_cache() {
    let (h, tab) = signed_in(false);
    let own = h.session_cookie().unwrap();
    let payload = forged(json!({}));
    let body = payload.split('.').nth(1).unwrap();
    let header = b64(&json!({"alg":"RS256","kid":"ins_test","typ":"JWT","oiat": i64::MAX / 2}));
    post_from_other_tab(&h, token_message("sess_1", format!("{header}.{body}.c2ln")));
    assert_own_token_kept(&h, &tab, &own);
}

#[test]
fn hostile_tab_token_for_another_session_is_ignored() {
    let (h, tab) = signed_in(false);
    let own = h.session_cookie().unwrap();
    let now = T0 / 1000 + 1;
    post_from_other_tab(
        &h,
        token_message("sess_1", forged(json!({"sid": "sess_2", "iat": now}))),
    );
    post_from_other_tab(
        &h,
        token_message("sess_2", forged(json!({"sid": "sess_2", "iat": now}))),
    );
    assert_own_token_kept(&h, &tab, &own);
}

#[test]
fn hostile_tab_token_from_another_issuer_is_ignored() {
    let (h, tab) = signed_in(false);
    let own = h.session_cookie().unwrap();
    let now = T0 / 1000 + 1;
    let evil = forged(json!({"iat": now, "iss": "https://clerk.evil.test"}));
    post_from_other_tab(&h, token_message("sess_1", evil));
    let no_iss = forged(json!({"iat": now, "iss": null}));
    post_from_other_tab(&h, token_message("sess_1", no_iss));
    assert_own_token_kept(&h, &tab, &own);
}

#[test]
fn hostile_tab_token_with_inverted_or_huge_lifetime_is_ignored() {
    let (h, tab) = signed_in(false);
    let own = h.session_cookie().unwrap();
    let now = T0 / 1000 + 1;
    post_from_other_tab(
        &h,
        token_message("sess_1", forged(json!({"iat": now, "exp": now - 1}))),
    );
    post_from_other_tab(
        &h,
        token_message(
            "sess_1",
            forged(json!({"iat": now, "exp": now + 10 * 365 * 86_400})),
        ),
    );
    assert_own_token_kept(&h, &tab, &own);
}

#[test]
fn hostile_tab_garbage_messages_are_ignored() {
    let (h, tab) = signed_in(false);
    let own = h.session_cookie().unwrap();
    for (id, token) in [
        ("", String::new()),
        ("sess_1", "not a jwt".to_string()),
        ("sess_1", "a.b.c".to_string()),
        ("sess_1", "x".repeat(1 << 20)),
        ("sess_1-", forged(json!({"iat": T0 / 1000 + 1}))),
        ("\u{0}\u{ffff}", "..".to_string()),
    ] {
        post_from_other_tab(&h, token_message(id, token));
    }
    assert_own_token_kept(&h, &tab, &own);
}

#[test]
fn valid_token_from_another_tab_is_still_adopted() {
    let (h, tab) = signed_in(false);
    h.advance(2_000);
    let theirs = h.fapi.borrow().mint("sess_1", None, T0 + 2_000, None);
    post_from_other_tab(&h, token_message("sess_1", theirs.clone()));
    assert_own_token_kept(&h, &tab, &theirs);
    assert_eq!(h.fapi.borrow().count(TOKENS), 0);
}

#[test]
fn hostile_refresh_lock_held_forever_does_not_stop_the_refresh() {
    let (h, tab) = signed_in(false);
    h.storage.set_raw(
        crate::client::tab_sync::REFRESH_LOCK_KEY,
        &format!("evil|sess_1|{}", i64::MAX),
    );
    h.advance(50_000);
    assert_eq!(
        h.fapi.borrow().count(TOKENS),
        1,
        "refreshed despite the lock"
    );
    assert_eq!(is_signed_in(&tab), Some(true));
}

#[test]
fn tampered_refresh_lock_garbage_is_ignored() {
    let (h, tab) = signed_in(false);
    h.storage.set_raw(
        crate::client::tab_sync::REFRESH_LOCK_KEY,
        "|||\u{0}|-99999999999999999999999|",
    );
    h.advance(50_000);
    assert_eq!(h.fapi.borrow().count(TOKENS), 1);
    assert_eq!(is_signed_in(&tab), Some(true));
}
