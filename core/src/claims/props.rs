//! Property tests (`cargo test prop_`): arbitrary JWT-like strings and claim sets.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::token::MAX_MASK_BITS;
use super::*;
use crate::authorization::{AuthorizationInputs, Check, Reverification};
use crate::base64::{encode, Alphabet};
use crate::json::props::{arb_number_text, arb_value};
use crate::test_support::{within, CASE_LIMIT};
use proptest::prelude::*;

/// Times from everyday to the i64 limits, as numbers of every shape.
fn arb_time() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0i64..4_000_000_000).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        Just(Value::from(i64::MAX)),
        Just(Value::from(i64::MIN)),
        arb_number_text().prop_map(|t| Value::parse(&t).unwrap()),
        arb_value(),
    ]
}

/// Payloads mixing the standard claims (with hostile values) and arbitrary extra ones.
fn arb_payload() -> impl Strategy<Value = String> {
    let claim = prop_oneof![
        Just("sub"),
        Just("sid"),
        Just("iss"),
        Just("azp"),
        Just("act"),
        Just("fva"),
        Just("sts"),
        Just("v"),
        Just("o"),
        Just("fea"),
        Just("pla"),
        Just("org_id"),
        Just("org_role"),
        Just("org_permissions"),
        Just("custom"),
    ];
    (
        arb_time(),
        arb_time(),
        proptest::option::of(arb_time()),
        proptest::collection::vec((claim, arb_value()), 0..6),
        any::<bool>(),
        "[a-z:,]{0,40}",
        "[0-9,]{0,60}",
    )
        .prop_map(|(iat, exp, nbf, extra, v2, per, fpm)| {
            let mut map: Map = extra.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            map.insert("sub", Value::from("user_1"));
            map.insert("iat", iat);
            map.insert("exp", exp);
            if let Some(nbf) = nbf {
                map.insert("nbf", nbf);
            }
            if v2 {
                map.insert("v", Value::from(2));
                map.insert("fea", Value::from("o:a,o:b,u:c"));
                let mut o = Map::new();
                o.insert("id", Value::from("org_1"));
                o.insert("per", Value::from(per));
                o.insert("fpm", Value::from(fpm));
                map.insert("o", Value::Object(o));
            }
            Value::Object(map).to_string()
        })
}

fn jwt_of(payload: &str) -> String {
    let header = encode(br#"{"alg":"RS256","oiat":1}"#, Alphabet::UrlSafe);
    format!(
        "{header}.{}.c2ln",
        encode(payload.as_bytes(), Alphabet::UrlSafe)
    )
}

/// Everything a caller may do with decoded claims, at any clock: must not panic
/// (overflow panics in these debug test builds) and must stay consistent.
fn exercise(token: &SessionToken, now_ms: i64, leeway: i64) {
    let c = token.claims();
    let _ = (
        c.expires_in_secs(now_ms),
        c.lifetime_secs(),
        token.freshness(),
    );
    let _ = c.is_expired(now_ms, leeway);
    if c.check_times().is_ok() {
        assert!(c.iat <= c.exp && c.lifetime_secs() >= 0);
        // Plausible times convert to milliseconds without overflow.
        assert!(c.exp.checked_mul(1000).is_some());
    }
    if c.check_times_at(now_ms, leeway).is_ok() {
        assert!(c.check_times().is_ok());
    }
    let inputs = AuthorizationInputs::from_claims(c);
    for check in [
        Check::role("admin"),
        Check::permission("org:a:read"),
        Check::feature("a"),
        Check::plan("pro"),
        Check::reverification(Reverification::StrictMfa),
    ] {
        let _ = inputs.has(&check);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn prop_decode_never_panics_on_arbitrary_strings(text in any::<String>()) {
        within(CASE_LIMIT, move || { let _ = SessionToken::decode(&text); });
    }

    #[test]
    fn prop_decode_never_panics_on_jwt_shaped_strings(
        parts in proptest::collection::vec("[A-Za-z0-9_=-]{0,120}", 1..5)
    ) {
        within(CASE_LIMIT, move || { let _ = SessionToken::decode(&parts.join(".")); });
    }

    #[test]
    fn prop_claim_times_never_overflow(
        payload in arb_payload(),
        now_ms in prop_oneof![any::<i64>(), 0i64..4_000_000_000_000],
        leeway in prop_oneof![any::<i64>(), 0i64..600],
    ) {
        within(CASE_LIMIT, move || {
            if let Ok(token) = SessionToken::decode(&jwt_of(&payload)) {
                exercise(&token, now_ms, leeway);
                // Org permissions come only from masks: at most one per (feature, bit).
                assert!(token.claims().org_permissions().len() <= 3 * MAX_MASK_BITS);
            }
        });
    }

    #[test]
    fn prop_masks_read_in_linear_time(per_count in 0usize..5_000, mask in "[0-9]{0,3000}") {
        let per = vec!["p"; per_count].join(",");
        let payload = format!(
            r#"{{"sub":"u","iat":1,"exp":2,"v":2,"fea":"o:f","o":{{"id":"org_1","per":"{per}","fpm":"{mask}"}}}}"#
        );
        within(CASE_LIMIT, move || { let _ = SessionToken::decode(&jwt_of(&payload)); });
    }
}
