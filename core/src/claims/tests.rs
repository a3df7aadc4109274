//! Tests of decoding (`token.rs`) and of the time rules (`times.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::token::decimal_mask;
use super::*;
use crate::error::ClerkError;
use ::base64::Engine as _;
use serde_json::{json, Value};

fn b64url(v: &Value) -> String {
    ::base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

fn jwt(payload: Value) -> String {
    let header = json!({"alg":"RS256","kid":"ins_2yQ0ab","typ":"JWT","cat":"cl_B7d4PD111AAA"});
    format!("{}.{}.c2lnbmF0dXJl", b64url(&header), b64url(&payload))
}

fn base() -> Value {
    json!({"sub":"user_1","sid":"sess_1","iat":1767312000,"exp":1767312060,"nbf":1767311990})
}

fn with(extra: Value) -> Value {
    let mut b = base();
    for (k, v) in extra.as_object().unwrap() {
        b[k] = v.clone();
    }
    b
}

#[test]
fn decodes_the_notes_example_token() {
    // §3.2 of the FAPI notes (signature replaced).
    let token = "eyJhbGciOiJSUzI1NiIsImNhdCI6ImNsX0I3ZDRQRDExMUFBQSIsImtpZCI6Imluc18yeVEwYWIiLCJ0eXAiOiJKV1QifQ.eyJhenAiOiJodHRwczovL2V4YW1wbGUuY29tIiwiZXhwIjoxNzY3MzEyMDYwLCJmdmEiOlswLC0xXSwiaWF0IjoxNzY3MzEyMDAwLCJpc3MiOiJodHRwczovL2NsZXJrLmV4YW1wbGUuY29tIiwianRpIjoiYTFiMmMzZDRlNWY2YTdiOGM5ZDAiLCJuYmYiOjE3NjczMTE5OTAsInNpZCI6InNlc3NfMnlROGNkIiwic3RzIjoiYWN0aXZlIiwic3ViIjoidXNlcl8yeVE5ZWYiLCJ2IjoyfQ.c2ln";
    let t = SessionToken::decode(token).unwrap();
    let c = t.claims();
    assert_eq!(c.sub, "user_2yQ9ef");
    assert_eq!(c.sid.as_deref(), Some("sess_2yQ8cd"));
    assert_eq!(c.iat, 1767312000);
    assert_eq!(c.exp, 1767312060);
    assert_eq!(c.nbf, Some(1767311990));
    assert_eq!(c.iss.as_deref(), Some("https://clerk.example.com"));
    assert_eq!(c.azp.as_deref(), Some("https://example.com"));
    assert!(c.custom.is_empty(), "jti is not a custom claim");
    assert_eq!(c.fva, Some([0, -1]));
    assert_eq!(c.sts.as_deref(), Some("active"));
    assert_eq!(c.version, 2);
    assert_eq!(c.org, None);
    assert_eq!(c.lifetime_secs(), 60);
    assert_eq!(t.header().kid.as_deref(), Some("ins_2yQ0ab"));
    assert_eq!(t.header().cat.as_deref(), Some("cl_B7d4PD111AAA"));
    assert_eq!(t.freshness().iat(), 1767312000);
    assert_eq!(t.freshness().oiat(), None);
    assert_eq!(t.raw(), token);
    assert!(!format!("{t:?}").contains(token));
}

#[test]
fn v1_org_claims() {
    let t = SessionToken::decode(&jwt(with(json!({
        "azp":"http://localhost:3000","iss":"https://wealthy-warthog-69.clerk.accounts.dev",
        "org_id":"org_1","org_permissions":["org:sys_memberships:read"],"org_role":"org:admin",
        "org_slug":"marine-projex"
    }))))
    .unwrap();
    let c = t.claims();
    assert_eq!(c.version, 1);
    assert_eq!(
        c.org,
        Some(OrgClaims {
            id: "org_1".into(),
            slug: Some("marine-projex".into()),
            role: Some("org:admin".into()),
            permissions: vec!["org:sys_memberships:read".into()],
        })
    );
    assert_eq!(c.org_id(), Some("org_1"));
    assert_eq!(c.org_role(), Some("org:admin"));
    assert_eq!(c.org_slug(), Some("marine-projex"));
}

#[test]
fn v1_with_null_permissions_and_no_org() {
    let c = SessionToken::decode(&jwt(with(json!({"org_id":"org_1","org_permissions":null}))))
        .unwrap()
        .into_claims();
    assert!(c.org_permissions().is_empty());
    assert_eq!(c.org_role(), None);
    let c = SessionToken::decode(&jwt(base())).unwrap().into_claims();
    assert_eq!(c.org, None);
    assert!(c.org_permissions().is_empty());
}

#[test]
fn v2_equals_v1() {
    // The `@clerk/shared` parser test "produced auth object is the same for v1 and v2".
    let v2 = SessionToken::decode(&jwt(with(json!({
        "v":2,"fea":"o:impersonation",
        "o":{"id":"org_xxxxxxx","rol":"admin","slg":"org_test","per":"read,manage","fpm":"3"}
    }))))
    .unwrap()
    .into_claims();
    let v1 = SessionToken::decode(&jwt(with(json!({
        "org_id":"org_xxxxxxx","org_role":"org:admin","org_slug":"org_test",
        "org_permissions":["org:impersonation:read","org:impersonation:manage"]
    }))))
    .unwrap()
    .into_claims();
    assert_eq!(v1.org, v2.org);
    assert_eq!(v2.features, vec!["o:impersonation"]);
}

#[test]
fn v2_permissions_from_features_and_masks() {
    let c = SessionToken::decode(&jwt(with(json!({
        "v":2,"fea":"o:impersonation, o:memberships,u:profile,uo:feature3,o:feature4",
        "pla":"u:free,o:pro",
        "o":{"id":"org_1","rol":"admin","slg":"acme","per":"read,manage","fpm":"1,3,2,0"}
    }))))
    .unwrap()
    .into_claims();
    let mut perms = c.org_permissions().to_vec();
    perms.sort();
    assert_eq!(
        perms,
        vec![
            "org:feature3:manage",
            "org:impersonation:read",
            "org:memberships:manage",
            "org:memberships:read",
        ]
    );
    assert_eq!(c.org_role(), Some("org:admin"));
    assert_eq!(c.org_slug(), Some("acme"));
    assert_eq!(
        c.features,
        vec![
            "o:impersonation",
            "o:memberships",
            "u:profile",
            "uo:feature3",
            "o:feature4"
        ]
    );
    assert_eq!(c.plans, vec!["u:free", "o:pro"]);
}

#[test]
fn v2_without_fpm_has_no_permissions() {
    let c = SessionToken::decode(&jwt(with(json!({
        "v":2,"fea":"o:a","o":{"id":"org_1","rol":"member","per":"read"}
    }))))
    .unwrap()
    .into_claims();
    assert!(c.org_permissions().is_empty());
    assert_eq!(c.org_role(), Some("org:member"));
}

#[test]
fn v2_large_masks() {
    let per: Vec<String> = (0..54).map(|i| format!("p{i}")).collect();
    // 2^53 selects p53 only: beyond f64 integer precision in JS's old parser.
    let c = SessionToken::decode(&jwt(with(json!({
        "v":2,"fea":"o:f","o":{"id":"org_1","rol":"admin","per":per.join(","),"fpm":"9007199254740992"}
    }))))
    .unwrap()
    .into_claims();
    assert_eq!(c.org_permissions(), ["org:f:p53"]);
}

#[test]
fn v2_without_org_and_malformed_entries() {
    let c = SessionToken::decode(&jwt(with(json!({"v":2,"fea":"u:a,broken,o:b"}))))
        .unwrap()
        .into_claims();
    assert_eq!(c.org, None);
    assert_eq!(c.features, vec!["u:a", "broken", "o:b"]);
    // Non-numeric mask and a feature without a colon are skipped.
    let c = SessionToken::decode(&jwt(with(json!({
        "v":2,"fea":"broken,o:x,o:y","o":{"id":"org_1","per":"read","fpm":"zz,1"}
    }))))
    .unwrap()
    .into_claims();
    assert_eq!(c.org_permissions(), ["org:y:read"]);
    assert_eq!(c.org_role(), None);
    // `o` that is not an object, or has no id.
    for o in [json!("org_1"), json!({"rol":"admin"}), json!(null)] {
        let c = SessionToken::decode(&jwt(with(json!({"v":2,"o":o}))))
            .unwrap()
            .into_claims();
        assert_eq!(c.org, None);
    }
}

#[test]
fn actor_fva_sts_and_custom_claims() {
    let c = SessionToken::decode(&jwt(with(json!({
        "act":{"sub":"user_admin","iss":"https://dashboard.clerk.com","sid":"sess_admin"},
        "fva":[670,-1],"sts":"pending","role":"editor"
    }))))
    .unwrap()
    .into_claims();
    let act = c.act.clone().unwrap();
    assert_eq!(act.sub, "user_admin");
    assert_eq!(act.sid.as_deref(), Some("sess_admin"));
    assert_eq!(c.fva, Some([670, -1]));
    assert_eq!(c.sts.as_deref(), Some("pending"));
    assert_eq!(c.get("role"), Some(&crate::json::Value::from("editor")));
    // Malformed optional claims are dropped, not fatal.
    let c = SessionToken::decode(&jwt(with(json!({"act":"x","fva":[1],"sts":3}))))
        .unwrap()
        .into_claims();
    assert_eq!((c.act, c.fva, c.sts), (None, None, None));
}

#[test]
fn wrong_segment_counts() {
    for bad in ["a.b", "a", "", "a.b.c.d"] {
        match SessionToken::decode(bad) {
            Err(ClerkError::InvalidJwt(m)) => assert!(m.contains("3"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn bad_base64_and_json() {
    let good_payload = b64url(&base());
    let good_header = b64url(&json!({"alg":"RS256"}));
    let cases = [
        format!("!!!.{good_payload}.sig"),
        format!("{good_header}.%%%.sig"),
        format!(
            "{good_header}.{}.sig",
            ::base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("not json")
        ),
        format!("{good_header}.{}.sig", b64url(&json!([1, 2]))),
        format!(
            "{good_header}.{}.sig",
            ::base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("{\"sub\":")
        ),
    ];
    for case in cases {
        match SessionToken::decode(&case) {
            Err(ClerkError::InvalidJwt(m)) => {
                assert!(!m.contains(&good_payload), "message leaks the token: {m}")
            }
            other => panic!("{case}: {other:?}"),
        }
    }
}

#[test]
fn padded_segments_are_tolerated() {
    let header =
        ::base64::engine::general_purpose::URL_SAFE.encode(json!({"alg":"RS256"}).to_string());
    let payload = ::base64::engine::general_purpose::URL_SAFE.encode(base().to_string());
    assert!(SessionToken::decode(&format!("{header}.{payload}.sig")).is_ok());
}

#[test]
fn required_claims() {
    for (missing, needle) in [("sub", "sub"), ("iat", "iat"), ("exp", "exp")] {
        let mut p = base();
        p.as_object_mut().unwrap().remove(missing);
        match SessionToken::decode(&jwt(p)) {
            Err(ClerkError::InvalidJwt(m)) => assert!(m.contains(needle), "{m}"),
            other => panic!("{other:?}"),
        }
    }
    assert!(SessionToken::decode(&jwt(with(json!({"exp":"soon"}))))
        .unwrap_err()
        .to_string()
        .contains("exp"));
    assert!(SessionToken::decode(&jwt(with(json!({"sub":5})))).is_err());
    assert!(SessionToken::decode(&jwt(with(json!({"sub":""})))).is_err());
    // Float timestamps are floored.
    let c = SessionToken::decode(&jwt(with(json!({"iat":1767312000.9}))))
        .unwrap()
        .into_claims();
    assert_eq!(c.iat, 1767312000);
}

#[test]
fn expiry_helpers() {
    let c = SessionToken::decode(&jwt(base())).unwrap().into_claims();
    assert_eq!(c.expires_in_secs(1_767_312_000_000), 60);
    assert_eq!(c.expires_in_secs(1_767_312_055_500), 5);
    assert!(c.is_expired(1_767_312_055_500, 5));
    assert!(!c.is_expired(1_767_312_054_000, 5));
    assert_eq!(c.expires_in_secs(1_767_312_070_000), -10);
}

#[test]
fn time_arithmetic_saturates_at_the_i64_limits() {
    // `exp`/`iat` come from cookies and other tabs: i64::MIN - now used to overflow.
    let c = SessionToken::decode(&jwt(with(
        json!({"iat": i64::MIN, "exp": i64::MAX, "nbf": i64::MIN}),
    )))
    .unwrap()
    .into_claims();
    assert_eq!(c.lifetime_secs(), i64::MAX);
    assert_eq!(c.expires_in_secs(i64::MIN), i64::MAX);
    let c = SessionClaims {
        exp: i64::MIN,
        iat: i64::MAX,
        ..c
    };
    assert_eq!(c.lifetime_secs(), i64::MIN);
    assert_eq!(c.expires_in_secs(i64::MAX), i64::MIN);
    assert!(c.is_expired(i64::MAX, i64::MAX));
    assert!(c.is_expired(0, 0));
    assert_eq!(c.check_times(), Err(ClaimTimeProblem::OutOfRange));
}

#[test]
fn the_time_plausibility_rule() {
    let now_ms = 1_767_312_000_000;
    let c = SessionToken::decode(&jwt(base())).unwrap().into_claims();
    assert_eq!(c.check_times(), Ok(()));
    assert_eq!(c.check_times_at(now_ms, 5), Ok(()));
    let at = |iat: i64, exp: i64, nbf: Option<i64>| SessionClaims {
        iat,
        exp,
        nbf,
        ..c.clone()
    };
    for (claims, problem) in [
        (at(-1, 60, None), ClaimTimeProblem::OutOfRange),
        (
            at(0, MAX_CLAIM_TIME_SECS + 1, None),
            ClaimTimeProblem::OutOfRange,
        ),
        (at(0, 60, Some(-5)), ClaimTimeProblem::OutOfRange),
        (at(0, 60, Some(i64::MAX)), ClaimTimeProblem::OutOfRange),
        (at(100, 60, None), ClaimTimeProblem::ExpiresBeforeIssued),
        (at(0, 60, Some(61)), ClaimTimeProblem::NotBeforeAfterExpiry),
    ] {
        assert_eq!(claims.check_times(), Err(problem), "{claims:?}");
        assert_eq!(claims.check_times_at(now_ms, 5), Err(problem));
    }
    // Zero lifetime and the largest time are still plausible.
    assert_eq!(at(0, 0, Some(0)).check_times(), Ok(()));
    assert_eq!(
        at(MAX_CLAIM_TIME_SECS, MAX_CLAIM_TIME_SECS, None).check_times(),
        Ok(())
    );
    // With a clock: issued or valid from later than now + leeway is refused; an expired
    // token is not this rule's business (`is_expired`).
    let now = 1_767_312_000;
    assert_eq!(
        at(now + 6, now + 66, None).check_times_at(now_ms, 5),
        Err(ClaimTimeProblem::IssuedInTheFuture)
    );
    assert_eq!(
        at(now + 5, now + 65, None).check_times_at(now_ms, 5),
        Ok(())
    );
    assert_eq!(
        at(now, now + 60, Some(now + 6)).check_times_at(now_ms, 5),
        Err(ClaimTimeProblem::NotYetValid)
    );
    assert_eq!(at(0, 60, None).check_times_at(now_ms, 5), Ok(()));
    // Extreme clocks and leeways do not overflow.
    assert_eq!(c.check_times_at(i64::MAX, i64::MAX), Ok(()));
    assert_eq!(
        c.check_times_at(i64::MIN, i64::MIN),
        Err(ClaimTimeProblem::IssuedInTheFuture)
    );
    assert!(!ClaimTimeProblem::OutOfRange.to_string().is_empty());
}

#[test]
fn huge_permission_masks_are_bounded() {
    // One long decimal mask used to be halved digit by digit: quadratic in its length.
    let per = vec!["p"; 50_000].join(",");
    let fpm = "7".repeat(200_000);
    let token = jwt(with(json!({
        "v":2,"fea":"o:f","o":{"id":"org_1","rol":"admin","per":per,"fpm":fpm}
    })));
    let c = crate::test_support::within(crate::test_support::CASE_LIMIT, move || {
        SessionToken::decode(&token).unwrap().into_claims()
    });
    // A mask wider than 128 bits is not a mask Clerk sends: it grants nothing.
    assert!(c.org_permissions().is_empty());
    assert_eq!(c.org_id(), Some("org_1"));
}

#[test]
fn oversized_segments_are_refused_before_decoding() {
    let huge = "A".repeat(2 * crate::json::MAX_JSON_BYTES);
    let e = SessionToken::decode(&format!("{huge}.{huge}.sig")).unwrap_err();
    assert!(e.to_string().contains("too large"), "{e}");
}

#[test]
fn decimal_bits() {
    assert_eq!(decimal_mask("0"), Some(0));
    assert_eq!(decimal_mask("6"), Some(6));
    assert_eq!(decimal_mask("007"), Some(7));
    assert_eq!(decimal_mask("-1"), None);
    assert_eq!(decimal_mask(""), None);
    assert_eq!(decimal_mask("18446744073709551616"), Some(1 << 64)); // 2^64
    assert_eq!(decimal_mask(&u128::MAX.to_string()), Some(u128::MAX));
    // 2^128 and longer texts are not masks.
    assert_eq!(
        decimal_mask("340282366920938463463374607431768211456"),
        None
    );
    assert_eq!(decimal_mask(&format!("{}1", "0".repeat(100))), Some(1));
}

/// A token with this `oiat` header (when given) and `iat` claim.
fn minted(oiat: Option<i64>, iat: i64) -> SessionToken {
    let mut header = json!({"alg":"RS256","kid":"ins_2yQ0ab","typ":"JWT"});
    if let Some(oiat) = oiat {
        header["oiat"] = json!(oiat);
    }
    let payload = with(json!({"iat": iat, "exp": iat + 60}));
    SessionToken::decode(&format!(
        "{}.{}.c2lnbmF0dXJl",
        b64url(&header),
        b64url(&payload)
    ))
    .unwrap()
}

#[test]
fn freshness_ranks_like_clerk_js_pick_freshest_jwt() {
    // Equal oiat (the session minter re-mints keeping it): the later mint is fresher.
    assert!(minted(Some(100), 300).freshness() > minted(Some(100), 200).freshness());
    // A token without oiat predates the header and is staler than any token that has it,
    // whatever their iat.
    assert!(minted(Some(100), 150).freshness() > minted(None, 500).freshness());
    // Otherwise oiat decides, then (without oiat on either side) iat.
    assert!(minted(Some(200), 210).freshness() > minted(Some(100), 900).freshness());
    assert!(minted(None, 300).freshness() > minted(None, 200).freshness());
    assert_eq!(
        minted(Some(100), 200).freshness(),
        minted(Some(100), 200).freshness()
    );
}
