//! Property tests of what the engine does with messages from other tabs (untrusted input):
//! whatever arrives, nothing panics or hangs, and only a token that passes every rule of
//! `Clerk::adopt_token` replaces the one FAPI gave us. Host only (proptest);
//! `PROPTEST_CASES` raises the number of cases.

use std::time::{Duration, Instant};

use proptest::prelude::*;
use serde_json::json;

use super::fakes::*;
use crate::client::GetTokenOptions;
use crate::core::claims::SessionToken;

const PER_CASE: Duration = Duration::from_millis(500);

fn signed_in() -> (Harness, Tab) {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let tab = h.loaded_tab();
    (h, tab)
}

/// Claim times: boundaries, plausible values around now, and anything.
fn time() -> impl Strategy<Value = i64> {
    let now = T0 / 1000;
    prop_oneof![
        1 => Just(i64::MIN),
        1 => Just(i64::MAX),
        1 => Just(0),
        1 => Just(-1),
        8 => (now - 10)..(now + 40),
        1 => (now - 120)..(now + 120),
        1 => (now - 86_400 * 400)..(now + 86_400 * 400),
        1 => any::<i64>(),
    ]
}

fn token_id() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just("sess_1".to_string()),
        1 => Just("sess_1-org_9".to_string()),
        1 => Just("sess_2".to_string()),
        1 => any::<String>(),
    ]
}

fn claims() -> impl Strategy<Value = serde_json::Value> {
    (
        time(),
        // Half the time the expiry follows the issue time by a plausible-ish lifetime.
        prop_oneof![time().prop_map(Err), (-10i64..200).prop_map(Ok)],
        prop_oneof![
            4 => Just(json!("sess_1")),
            1 => Just(json!("sess_2")),
            1 => Just(json!(null)),
            1 => Just(json!(7)),
        ],
        prop_oneof![
            4 => Just(json!("https://clerk.example.test")),
            1 => Just(json!("https://clerk.evil.test")),
            1 => Just(json!(null)),
        ],
    )
        .prop_map(|(iat, exp, sid, iss)| {
            let exp = match exp {
                Ok(lifetime) => iat.saturating_add(lifetime),
                Err(exp) => exp,
            };
            json!({"sub": "user_1", "sid": sid, "iat": iat, "exp": exp, "iss": iss, "v": 2})
        })
}

/// The rules a token from another tab must pass (the engine's, restated).
fn acceptable(raw: &str, id: &str, server_now_ms: i64) -> bool {
    let Ok(t) = SessionToken::decode(raw) else {
        return false;
    };
    let c = t.claims();
    (id == "sess_1" || id.starts_with("sess_1-"))
        && c.sid.as_deref() == Some("sess_1")
        && c.iss.as_deref() == Some("https://clerk.example.test")
        && c.iat > 0
        && c.iat.saturating_mul(1000) <= server_now_ms + 30_000
        && c.exp > c.iat
        && c.exp - c.iat <= 86_400
        && c.exp.saturating_mul(1000) - server_now_ms > 5_000
}

proptest! {
    /// Arbitrary strings as token id and token: ignored, no panic.
    #[test]
    fn prop_arbitrary_tab_strings_are_ignored(id in token_id(), raw in any::<String>()) {
        let (h, tab) = signed_in();
        let own = h.session_cookie();
        let started = Instant::now();
        tab.clerk.adopt_token(&id, &raw);
        h.settle();
        prop_assert!(started.elapsed() < PER_CASE);
        prop_assert_eq!(h.session_cookie(), own);
    }

    /// Well-formed JWTs with arbitrary claims: adopted only when every rule holds.
    #[test]
    fn prop_tab_tokens_are_adopted_only_when_plausible(id in token_id(), payload in claims()) {
        let (h, tab) = signed_in();
        let own = h.session_cookie();
        let raw = jwt(payload);
        let started = Instant::now();
        tab.clerk.adopt_token(&id, &raw);
        h.settle();
        prop_assert!(started.elapsed() < PER_CASE);
        let c = tab.clerk.clone();
        let served = h.run(async move { c.get_token(GetTokenOptions::default()).await });
        let served = served.ok().flatten();
        if served.as_deref() == Some(raw.as_str()) {
            prop_assert!(acceptable(&raw, &id, T0), "adopted an implausible token");
            if std::env::var_os("TAB_PROPS_COUNT").is_some() {
                eprintln!("adopted");
            }
        }
        if !acceptable(&raw, &id, T0) {
            prop_assert_eq!(h.session_cookie(), own);
        }
    }
}
