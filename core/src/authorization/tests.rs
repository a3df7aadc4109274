#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::claims::SessionToken;
use base64::Engine as _;
use serde_json::json;

fn admin() -> AuthorizationInputs {
    AuthorizationInputs {
        user_id: Some("user_1".into()),
        org_id: Some("org_1".into()),
        org_role: Some("org:admin".into()),
        org_permissions: vec![
            "org:sys_memberships:manage".into(),
            "org:invoices:read".into(),
        ],
        factor_verification_age: Some([5, 30]),
        features: vec!["o:dashboard".into(), "u:export".into(), "ou:shared".into()],
        plans: vec!["u:free".into(), "o:pro".into()],
    }
}

fn s(v: &str) -> String {
    v.to_string()
}

#[test]
fn roles() {
    let i = admin();
    for (role, expected) in [
        ("org:admin", true),
        ("admin", true),
        ("org:org:admin", true),
        ("org:member", false),
        ("member", false),
        ("Admin", false),
        ("", false),
        ("org:", false),
    ] {
        assert_eq!(i.has(&Check::role(role)), expected, "{role}");
    }
    // An unprefixed role from the server compares equal too.
    let i = AuthorizationInputs {
        org_role: Some(s("admin")),
        ..admin()
    };
    assert!(i.has(&Check::role("org:admin")));
}

#[test]
fn permissions() {
    let i = admin();
    for (perm, expected) in [
        ("org:invoices:read", true),
        ("invoices:read", true),
        ("org:sys_memberships:manage", true),
        ("org:invoices:write", false),
        ("org:sys_memberships:read", false),
        ("", false),
    ] {
        assert_eq!(i.has(&Check::permission(perm)), expected, "{perm}");
    }
}

#[test]
fn no_active_org_fails_closed() {
    for org_id in [None, Some(s(""))] {
        let i = AuthorizationInputs { org_id, ..admin() };
        assert!(!i.has(&Check::role("admin")));
        assert!(!i.has(&Check::permission("org:invoices:read")));
        // Non-org checks are unaffected.
        assert!(i.has(&Check::feature("export")));
    }
    let i = AuthorizationInputs {
        org_role: None,
        ..admin()
    };
    assert!(!i.has(&Check::role("admin")));
    assert!(i.has(&Check::permission("org:invoices:read")));
    let i = AuthorizationInputs {
        org_role: Some(s("")),
        ..admin()
    };
    assert!(!i.has(&Check::role("admin")));
}

#[test]
fn no_user_or_no_checks_is_false() {
    for user_id in [None, Some(s(""))] {
        let i = AuthorizationInputs { user_id, ..admin() };
        assert!(!i.has(&Check::role("admin")));
        assert!(!i.has(&Check::feature("dashboard")));
    }
    assert!(!admin().has_all(&[]));
    assert!(!has(
        &AuthorizationInputs::default(),
        &[Check::role("admin")]
    ));
}

#[test]
fn and_across_checks() {
    let i = admin();
    assert!(i.has_all(&[
        Check::role("admin"),
        Check::permission("invoices:read"),
        Check::feature("dashboard"),
        Check::plan("pro"),
        Check::reverification(Reverification::Moderate),
    ]));
    assert!(!i.has_all(&[Check::role("admin"), Check::permission("invoices:write")]));
    assert!(!i.has_all(&[Check::role("member"), Check::permission("invoices:read")]));
    assert!(!i.has_all(&[
        Check::plan("pro"),
        Check::reverification(Reverification::Strict)
    ]));
}

#[test]
fn features_and_plans_with_scopes() {
    let i = admin();
    for (q, expected) in [
        ("dashboard", true),
        ("org:dashboard", true),
        ("o:dashboard", true),
        ("organization:dashboard", true),
        ("user:dashboard", false),
        ("u:dashboard", false),
        ("export", true),
        ("user:export", true),
        ("org:export", false),
        ("shared", true),
        ("org:shared", true),
        ("user:shared", true),
        ("missing", false),
        ("team:dashboard", false), // unknown scope
        ("org:", false),
        ("org:dashboard:extra", false),
        ("", false),
    ] {
        assert_eq!(i.has(&Check::feature(q)), expected, "feature {q}");
    }
    for (q, expected) in [
        ("free", true),
        ("user:free", true),
        ("org:free", false),
        ("pro", true),
        ("org:pro", true),
        ("user:pro", false),
        ("enterprise", false),
    ] {
        assert_eq!(i.has(&Check::plan(q)), expected, "plan {q}");
    }
}

#[test]
fn malformed_or_missing_entitlements_fail() {
    let i = AuthorizationInputs {
        features: vec![s("o:dashboard"), s("broken")],
        ..admin()
    };
    assert!(!i.has(&Check::feature("dashboard")));
    let i = AuthorizationInputs {
        features: vec![],
        plans: vec![],
        ..admin()
    };
    assert!(!i.has(&Check::feature("dashboard")));
    assert!(!i.has(&Check::plan("free")));
    // Unknown entry scopes are ignored, not malformed.
    let i = AuthorizationInputs {
        features: vec![s("x:dashboard"), s(" u:export ")],
        ..admin()
    };
    assert!(!i.has(&Check::feature("dashboard")));
    assert!(i.has(&Check::feature("export")));
}

#[test]
fn reverification_presets() {
    let with = |fva: Option<[i64; 2]>| AuthorizationInputs {
        factor_verification_age: fva,
        ..admin()
    };
    use Reverification::*;
    // (fva, strict_mfa, strict, moderate, lax)
    let table: &[(Option<[i64; 2]>, [bool; 4])] = &[
        (Some([0, 0]), [true, true, true, true]),
        (Some([5, 30]), [false, false, true, true]),
        (Some([30, 5]), [false, true, true, true]),
        (Some([9, -1]), [true, true, true, true]), // no 2FA: first factor stands in
        (Some([10, -1]), [false, false, true, true]), // strict: 10 > 10 is false
        (Some([100, -1]), [false, false, false, true]),
        (Some([-1, 5]), [false, true, true, true]), // 1FA not enrolled: mfa impossible
        (Some([-1, -1]), [false, false, false, false]),
        (Some([2000, 2000]), [false, false, false, false]),
        (Some([-2, 0]), [false, false, false, false]), // malformed age
        (Some([0, -5]), [false, false, false, false]),
        (None, [false, false, false, false]),
    ];
    for (fva, expected) in table {
        let i = with(*fva);
        let got = [StrictMfa, Strict, Moderate, Lax].map(|r| i.has(&Check::reverification(r)));
        assert_eq!(&got, expected, "fva {fva:?}");
    }
}

#[test]
fn reverification_custom() {
    let i = AuthorizationInputs {
        factor_verification_age: Some([5, 30]),
        ..admin()
    };
    let custom = |level, after_minutes| {
        Check::reverification(Reverification::Custom {
            level,
            after_minutes,
        })
    };
    assert!(i.has(&custom(VerificationLevel::FirstFactor, 6)));
    assert!(!i.has(&custom(VerificationLevel::FirstFactor, 5)));
    assert!(!i.has(&custom(VerificationLevel::SecondFactor, 30)));
    assert!(i.has(&custom(VerificationLevel::SecondFactor, 31)));
    assert!(!i.has(&custom(VerificationLevel::MultiFactor, 10)));
    assert!(i.has(&custom(VerificationLevel::MultiFactor, 31)));
    // Invalid age fails closed.
    assert!(!i.has(&custom(VerificationLevel::FirstFactor, 0)));
    assert!(!i.has(&custom(VerificationLevel::FirstFactor, -10)));
}

#[test]
fn parsing_helpers() {
    assert_eq!(
        Reverification::parse("strict_mfa"),
        Some(Reverification::StrictMfa)
    );
    assert_eq!(Reverification::parse("lax"), Some(Reverification::Lax));
    assert_eq!(Reverification::parse("relaxed"), None);
    assert_eq!(
        VerificationLevel::parse("multi_factor"),
        Some(VerificationLevel::MultiFactor)
    );
    assert_eq!(VerificationLevel::parse("third_factor"), None);
    for l in [
        VerificationLevel::FirstFactor,
        VerificationLevel::SecondFactor,
        VerificationLevel::MultiFactor,
    ] {
        assert_eq!(VerificationLevel::parse(l.as_str()), Some(l));
    }
    assert_eq!(
        Reverification::Lax.config(),
        Some((VerificationLevel::SecondFactor, 1440))
    );
}

fn claims(payload: serde_json::Value) -> SessionClaims {
    let enc = |v: &serde_json::Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let jwt = format!("{}.{}.sig", enc(&json!({"alg":"RS256"})), enc(&payload));
    SessionToken::decode(&jwt).unwrap().into_claims()
}

#[test]
fn from_v2_claims() {
    let c = claims(json!({
        "sub":"user_1","iat":1,"exp":61,"v":2,"fva":[3,-1],
        "fea":"o:impersonation,o:memberships,u:export","pla":"o:pro",
        "o":{"id":"org_1","rol":"admin","per":"read,manage","fpm":"1,3"}
    }));
    let i = AuthorizationInputs::from_claims(&c);
    assert!(i.has(&Check::role("admin")));
    assert!(i.has(&Check::permission("org:memberships:manage")));
    assert!(i.has(&Check::permission("impersonation:read")));
    assert!(!i.has(&Check::permission("org:impersonation:manage")));
    assert!(i.has(&Check::feature("user:export")));
    assert!(i.has(&Check::plan("org:pro")));
    assert!(i.has(&Check::reverification(Reverification::StrictMfa)));
}

#[test]
fn from_v1_claims_and_no_org() {
    let c = claims(json!({
        "sub":"user_1","iat":1,"exp":61,
        "org_id":"org_1","org_role":"org:member","org_permissions":["org:invoices:read"]
    }));
    let i = AuthorizationInputs::from_claims(&c);
    assert!(i.has(&Check::role("member")));
    assert!(i.has(&Check::permission("invoices:read")));
    assert!(!i.has(&Check::reverification(Reverification::Lax))); // no fva
    let c = claims(json!({"sub":"user_1","iat":1,"exp":61}));
    let i = AuthorizationInputs::from_claims(&c);
    assert!(!i.has(&Check::role("member")));
    assert!(!i.has(&Check::feature("x")));
}

#[test]
fn factor_ages_prefer_the_session_then_the_token() {
    let session = |fva: Option<[i64; 2]>| Session {
        id: "sess_1".into(),
        factor_verification_age: fva,
        ..Session::default()
    };
    let token = |fva: Option<[i64; 2]>| SessionClaims {
        sub: "user_1".into(),
        fva,
        ..SessionClaims::default()
    };
    let (fresh, stale) = (Some([0, -1]), Some([30, -1]));
    assert_eq!(
        factor_verification_age(Some(&session(fresh)), Some(&token(stale))),
        fresh
    );
    assert_eq!(
        factor_verification_age(Some(&session(None)), Some(&token(stale))),
        stale
    );
    assert_eq!(factor_verification_age(None, Some(&token(stale))), stale);
    assert_eq!(factor_verification_age(Some(&session(fresh)), None), fresh);
    assert_eq!(factor_verification_age(None, None), None);
    // Both constructors of the inputs follow it.
    let s = session(fresh);
    let c = token(stale);
    assert_eq!(
        AuthorizationInputs::from_session(&s, Some(&c)).factor_verification_age,
        fresh
    );
    assert_eq!(
        AuthorizationInputs::from_claims(&c).factor_verification_age,
        stale
    );
}

#[test]
fn from_session_uses_the_membership() {
    let session = <Session as crate::json::FromJson>::from_json_str(&json!({
        "id":"sess_1","status":"active","last_active_organization_id":"org_2",
        "factor_verification_age":[1,-1],
        "user":{"id":"user_1","organization_memberships":[
            {"id":"m1","role":"org:member","permissions":[],"organization":{"id":"org_1"}},
            {"id":"m2","role":"org:admin","permissions":["org:x:y"],"organization":{"id":"org_2"}}
        ]}
    })
    .to_string())
    .unwrap();
    let c = claims(json!({"sub":"user_1","iat":1,"exp":61,"fea":"u:a","pla":"u:free"}));
    let i = AuthorizationInputs::from_session(&session, Some(&c));
    assert_eq!(i.user_id.as_deref(), Some("user_1"));
    assert!(i.has(&Check::role("admin")));
    assert!(i.has(&Check::permission("x:y")));
    assert!(i.has(&Check::feature("a")));
    assert!(i.has(&Check::plan("free")));
    assert!(i.has(&Check::reverification(Reverification::Strict)));
    // Active org without a membership (e.g. just left it): fails closed.
    let mut s2 = session.clone();
    s2.last_active_organization_id = Some("org_9".into());
    let i = AuthorizationInputs::from_session(&s2, None);
    assert!(!i.has(&Check::role("admin")));
    assert!(!i.has(&Check::feature("a")));
    // Personal account.
    let mut s3 = session;
    s3.last_active_organization_id = None;
    let i = AuthorizationInputs::from_session(&s3, None);
    assert_eq!(i.org_id, None);
    assert!(!i.has(&Check::permission("x:y")));
}
