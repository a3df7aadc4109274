//! `has()`: role / permission / feature / plan / reverification checks with Clerk's rules
//! (`createCheckAuthorization` in `@clerk/shared` `authorization.ts`).
//!
//! - Without a user id the answer is always `false`; with no check at all it is `false`.
//! - Every given check must pass (AND). Anything missing or malformed fails closed.
//! - Roles and permissions are compared with an `org:` prefix added when missing
//!   (`admin` ≡ `org:admin`), and need an active organization.
//! - Features and plans are looked up in the `fea` / `pla` entries (`o:x`, `u:x`, `ou:x`,
//!   `uo:x`). A query `x` matches org or user scope; `org:x` / `o:x` / `organization:x` only the
//!   org scope; `user:x` / `u:x` only the user scope. An entry without `:` makes the whole
//!   claim malformed (fails).
//! - Reverification compares the factor verification ages (`fva`, minutes, -1 = factor not
//!   enrolled) with a preset (`strict_mfa`, `strict`: 10 min; `moderate`: 60; `lax`: 1440) or a
//!   custom `{level, after_minutes}`.
//!
//! Deliberate strictness beyond clerk-js: a query with more than one `:` (clerk-js silently
//! reads `org:a:b` as `org:a`) or with an empty id (`org:`) fails, and an empty role or
//! permission query fails.

use crate::claims::SessionClaims;
use crate::models::Session;

/// What a reverification check requires to be fresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VerificationLevel {
    /// The first factor (password, email code, ...).
    FirstFactor,
    /// The second factor, or the first factor when no second factor is enrolled.
    SecondFactor,
    /// Both factors (only the first when no second factor is enrolled).
    MultiFactor,
}

impl VerificationLevel {
    /// Parses `first_factor` / `second_factor` / `multi_factor`.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "first_factor" => Some(VerificationLevel::FirstFactor),
            "second_factor" => Some(VerificationLevel::SecondFactor),
            "multi_factor" => Some(VerificationLevel::MultiFactor),
            _ => None,
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            VerificationLevel::FirstFactor => "first_factor",
            VerificationLevel::SecondFactor => "second_factor",
            VerificationLevel::MultiFactor => "multi_factor",
        }
    }
}

/// A reverification requirement: a preset or a custom level and age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reverification {
    /// Both factors within 10 minutes.
    StrictMfa,
    /// Second factor within 10 minutes.
    Strict,
    /// Second factor within 60 minutes.
    Moderate,
    /// Second factor within 24 hours.
    Lax,
    /// A custom requirement. `after_minutes` must be positive, else the check fails.
    Custom {
        /// Which factor(s) must be fresh.
        level: VerificationLevel,
        /// Maximum age in minutes (exclusive).
        after_minutes: i64,
    },
}

impl Reverification {
    /// Parses a preset name (`strict_mfa`, `strict`, `moderate`, `lax`).
    pub fn parse(preset: &str) -> Option<Self> {
        match preset {
            "strict_mfa" => Some(Reverification::StrictMfa),
            "strict" => Some(Reverification::Strict),
            "moderate" => Some(Reverification::Moderate),
            "lax" => Some(Reverification::Lax),
            _ => None,
        }
    }

    /// The `(level, after_minutes)` this requirement stands for, or `None` when invalid
    /// (a custom age that is not positive).
    pub fn config(self) -> Option<(VerificationLevel, i64)> {
        match self {
            Reverification::StrictMfa => Some((VerificationLevel::MultiFactor, 10)),
            Reverification::Strict => Some((VerificationLevel::SecondFactor, 10)),
            Reverification::Moderate => Some((VerificationLevel::SecondFactor, 60)),
            Reverification::Lax => Some((VerificationLevel::SecondFactor, 1_440)),
            Reverification::Custom {
                level,
                after_minutes,
            } => (after_minutes > 0).then_some((level, after_minutes)),
        }
    }
}

/// One authorization question.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Check {
    /// The active organization role (`admin` or `org:admin`).
    Role(String),
    /// A permission in the active organization (`org:invoices:read` or `invoices:read`).
    Permission(String),
    /// A feature entitlement (`dashboard`, `org:dashboard`, `user:dashboard`).
    Feature(String),
    /// A plan (`pro`, `org:pro`, `user:free`).
    Plan(String),
    /// Recent verification of the user's factors.
    Reverification(Reverification),
}

impl Check {
    /// `Check::Role`.
    pub fn role(role: impl Into<String>) -> Self {
        Check::Role(role.into())
    }

    /// `Check::Permission`.
    pub fn permission(permission: impl Into<String>) -> Self {
        Check::Permission(permission.into())
    }

    /// `Check::Feature`.
    pub fn feature(feature: impl Into<String>) -> Self {
        Check::Feature(feature.into())
    }

    /// `Check::Plan`.
    pub fn plan(plan: impl Into<String>) -> Self {
        Check::Plan(plan.into())
    }

    /// `Check::Reverification`.
    pub fn reverification(requirement: Reverification) -> Self {
        Check::Reverification(requirement)
    }
}

/// What `has()` decides from: the signed-in user's organization data, factor ages and
/// entitlements. Build it from a session's membership ([`AuthorizationInputs::from_session`],
/// like clerk-js in the browser) or from token claims ([`AuthorizationInputs::from_claims`],
/// like a backend).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthorizationInputs {
    /// The signed-in user; `None` makes every check fail.
    pub user_id: Option<String>,
    /// The active organization.
    pub org_id: Option<String>,
    /// The role in the active organization (`org:admin`).
    pub org_role: Option<String>,
    /// The permissions in the active organization (`org:invoices:read`).
    pub org_permissions: Vec<String>,
    /// `[first_factor_minutes, second_factor_minutes]`, -1 = not enrolled.
    pub factor_verification_age: Option<[i64; 2]>,
    /// Feature entries of the `fea` claim (`o:dashboard`, `u:export`).
    pub features: Vec<String>,
    /// Plan entries of the `pla` claim (`u:free`, `o:pro`).
    pub plans: Vec<String>,
}

impl AuthorizationInputs {
    /// From token claims: identity, organization, `fva`, `fea` and `pla` of the token.
    pub fn from_claims(claims: &SessionClaims) -> Self {
        AuthorizationInputs {
            user_id: Some(claims.sub.clone()).filter(|s| !s.is_empty()),
            org_id: claims.org_id().map(str::to_string),
            org_role: claims.org_role().map(str::to_string),
            org_permissions: claims.org_permissions().to_vec(),
            factor_verification_age: factor_verification_age(None, Some(claims)),
            features: claims.features.clone(),
            plans: claims.plans.clone(),
        }
    }

    /// As clerk-js does in the browser: the organization role and permissions come from the
    /// user's membership in the session's active organization (not from the token), the
    /// factor ages from the session, and features/plans from the latest token's claims.
    pub fn from_session(session: &Session, claims: Option<&SessionClaims>) -> Self {
        let user_id = session
            .user
            .as_ref()
            .map(|u| u.id.clone())
            .or_else(|| {
                session
                    .public_user_data
                    .as_ref()
                    .and_then(|p| p.user_id.clone())
            })
            .filter(|s| !s.is_empty());
        let org_id = session
            .last_active_organization_id
            .clone()
            .filter(|s| !s.is_empty());
        let membership = match (&session.user, &org_id) {
            (Some(user), Some(org)) => user.membership(org),
            _ => None,
        };
        AuthorizationInputs {
            user_id,
            org_role: membership.map(|m| m.role.clone()),
            org_permissions: membership
                .map(|m| m.permissions.clone())
                .unwrap_or_default(),
            org_id,
            factor_verification_age: factor_verification_age(Some(session), claims),
            features: claims.map(|c| c.features.clone()).unwrap_or_default(),
            plans: claims.map(|c| c.plans.clone()).unwrap_or_default(),
        }
    }

    /// True when the check passes.
    pub fn has(&self, check: &Check) -> bool {
        has(self, std::slice::from_ref(check))
    }

    /// True when every check passes (and there is at least one).
    pub fn has_all(&self, checks: &[Check]) -> bool {
        has(self, checks)
    }
}

/// The factor-verification ages (`[first, second]` in minutes, -1 = factor not enrolled) that
/// reverification checks read: the session resource's `factor_verification_age`, else the
/// latest token's `fva` claim. The only place this precedence is decided.
///
/// The session comes first because FAPI returns it, updated, from the very call that verifies
/// a factor, while a token keeps the ages it was minted with until the next refresh; clerk-js
/// reads the session's too (`Session.checkAuthorization`, `deriveState`). The token is the
/// fallback for a session known only from its token (the server, or a degraded load).
pub fn factor_verification_age(
    session: Option<&Session>,
    claims: Option<&SessionClaims>,
) -> Option<[i64; 2]> {
    session
        .and_then(|s| s.factor_verification_age)
        .or_else(|| claims.and_then(|c| c.fva))
}

/// Clerk's `has()`: `true` only with a user id, at least one check, and every check passing.
pub fn has(inputs: &AuthorizationInputs, checks: &[Check]) -> bool {
    if inputs.user_id.as_deref().is_none_or(str::is_empty) || checks.is_empty() {
        return false;
    }
    checks.iter().all(|check| passes(inputs, check))
}

fn passes(inputs: &AuthorizationInputs, check: &Check) -> bool {
    match check {
        Check::Role(role) => check_role(inputs, role),
        Check::Permission(permission) => check_permission(inputs, permission),
        Check::Feature(feature) => check_entitlement(&inputs.features, feature),
        Check::Plan(plan) => check_entitlement(&inputs.plans, plan),
        Check::Reverification(requirement) => {
            check_reverification(inputs.factor_verification_age, *requirement)
        }
    }
}

/// `org:` prefix added once (`admin`, `org:admin`, `org:org:admin` → `org:admin`).
fn prefix_with_org(value: &str) -> String {
    let mut rest = value;
    while let Some(stripped) = rest.strip_prefix("org:") {
        rest = stripped;
    }
    format!("org:{rest}")
}

fn has_org(inputs: &AuthorizationInputs) -> bool {
    inputs.org_id.as_deref().is_some_and(|id| !id.is_empty())
}

fn check_role(inputs: &AuthorizationInputs, role: &str) -> bool {
    if role.is_empty() || prefix_with_org(role) == "org:" || !has_org(inputs) {
        return false;
    }
    match inputs.org_role.as_deref() {
        Some(current) if !current.is_empty() => prefix_with_org(current) == prefix_with_org(role),
        _ => false,
    }
}

fn check_permission(inputs: &AuthorizationInputs, permission: &str) -> bool {
    if permission.is_empty() || prefix_with_org(permission) == "org:" || !has_org(inputs) {
        return false;
    }
    let wanted = prefix_with_org(permission);
    inputs.org_permissions.contains(&wanted)
}

/// Org- and user-scoped values of `fea`/`pla` entries, or `None` when an entry is malformed.
fn split_by_scope(entries: &[String]) -> Option<(Vec<&str>, Vec<&str>)> {
    let mut org = Vec::new();
    let mut user = Vec::new();
    for entry in entries {
        let entry = entry.trim();
        let (scope, value) = entry.split_once(':')?;
        match scope {
            "o" => org.push(value),
            "u" => user.push(value),
            "ou" | "uo" => {
                org.push(value);
                user.push(value);
            }
            _ => {}
        }
    }
    Some((org, user))
}

fn check_entitlement(entries: &[String], query: &str) -> bool {
    if entries.is_empty() || query.is_empty() {
        return false;
    }
    let Some((org, user)) = split_by_scope(entries) else {
        return false;
    };
    let mut parts = query.split(':');
    let (first, second, extra) = (parts.next(), parts.next(), parts.next());
    if extra.is_some() {
        return false;
    }
    match (first, second) {
        (Some(id), None) => org.contains(&id) || user.contains(&id),
        (Some(_), Some("")) => false,
        (Some("o" | "org" | "organization"), Some(id)) => org.contains(&id),
        (Some("u" | "user"), Some(id)) => user.contains(&id),
        _ => false,
    }
}

fn valid_factor_age(age: i64) -> bool {
    age == -1 || age >= 0
}

fn check_reverification(fva: Option<[i64; 2]>, requirement: Reverification) -> bool {
    let Some([factor1, factor2]) = fva else {
        return false;
    };
    if !valid_factor_age(factor1) || !valid_factor_age(factor2) {
        return false;
    }
    let Some((level, after_minutes)) = requirement.config() else {
        return false;
    };
    if factor1 == -1 && factor2 == -1 {
        return false;
    }
    let fresh1 = factor1 != -1 && after_minutes > factor1;
    let fresh2 = factor2 != -1 && after_minutes > factor2;
    match level {
        VerificationLevel::FirstFactor => fresh1,
        VerificationLevel::SecondFactor => {
            if factor2 == -1 {
                fresh1
            } else {
                fresh2
            }
        }
        VerificationLevel::MultiFactor => {
            if factor2 == -1 {
                fresh1
            } else if factor1 == -1 {
                false
            } else {
                fresh1 && fresh2
            }
        }
    }
}

#[cfg(test)]
mod tests {
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
}

/// Property tests (`cargo test prop_`): arbitrary inputs and checks, no panic, fail closed.
#[cfg(test)]
mod props {
    use super::*;
    use crate::test_support::{within, CASE_LIMIT};
    use proptest::prelude::*;

    fn arb_name() -> impl Strategy<Value = String> {
        prop_oneof![
            "(org:|o:|u:|user:|organization:|ou:|uo:)?[a-z:]{0,6}",
            any::<String>()
        ]
    }

    fn arb_age() -> impl Strategy<Value = i64> {
        prop_oneof![-3i64..2_000, any::<i64>(), Just(i64::MIN), Just(i64::MAX)]
    }

    fn arb_check() -> impl Strategy<Value = Check> {
        let level = prop_oneof![
            Just(VerificationLevel::FirstFactor),
            Just(VerificationLevel::SecondFactor),
            Just(VerificationLevel::MultiFactor),
        ];
        let requirement = prop_oneof![
            Just(Reverification::StrictMfa),
            Just(Reverification::Strict),
            Just(Reverification::Moderate),
            Just(Reverification::Lax),
            (level, arb_age()).prop_map(|(level, after_minutes)| Reverification::Custom {
                level,
                after_minutes
            }),
        ];
        prop_oneof![
            arb_name().prop_map(Check::Role),
            arb_name().prop_map(Check::Permission),
            arb_name().prop_map(Check::Feature),
            arb_name().prop_map(Check::Plan),
            requirement.prop_map(Check::Reverification),
        ]
    }

    fn arb_inputs() -> impl Strategy<Value = AuthorizationInputs> {
        (
            proptest::option::of(prop_oneof![Just(String::new()), "user_[a-z0-9]{1,8}"]),
            proptest::option::of(prop_oneof![Just(String::new()), "org_[a-z]{1,4}"]),
            proptest::option::of(arb_name()),
            proptest::collection::vec(arb_name(), 0..6),
            proptest::option::of((arb_age(), arb_age()).prop_map(|(a, b)| [a, b])),
            proptest::collection::vec(arb_name(), 0..6),
            proptest::collection::vec(arb_name(), 0..6),
        )
            .prop_map(
                |(user_id, org_id, org_role, org_permissions, fva, features, plans)| {
                    AuthorizationInputs {
                        user_id,
                        org_id,
                        org_role,
                        org_permissions,
                        factor_verification_age: fva,
                        features,
                        plans,
                    }
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn prop_has_never_panics_and_fails_closed(
            inputs in arb_inputs(),
            checks in proptest::collection::vec(arb_check(), 0..5),
        ) {
            let (all, each) = within(CASE_LIMIT, {
                let (inputs, checks) = (inputs.clone(), checks.clone());
                move || {
                    let each: Vec<bool> = checks.iter().map(|c| inputs.has(c)).collect();
                    (inputs.has_all(&checks), each)
                }
            });
            // AND of the single checks, false with no check or no user.
            prop_assert_eq!(all, !each.is_empty() && each.iter().all(|b| *b));
            if inputs.user_id.as_deref().is_none_or(str::is_empty) {
                prop_assert!(!all && each.iter().all(|b| !b));
            }
            for (check, passed) in checks.iter().zip(&each) {
                match check {
                    Check::Role(_) | Check::Permission(_) if *passed => {
                        prop_assert!(inputs.org_id.as_deref().is_some_and(|o| !o.is_empty()));
                    }
                    Check::Feature(_) if *passed => prop_assert!(!inputs.features.is_empty()),
                    Check::Plan(_) if *passed => prop_assert!(!inputs.plans.is_empty()),
                    Check::Reverification(r) if *passed => {
                        let [a, b] = inputs.factor_verification_age.unwrap_or([-2, -2]);
                        prop_assert!(a >= -1 && b >= -1 && (a >= 0 || b >= 0));
                        prop_assert!(r.config().is_some());
                    }
                    _ => {}
                }
            }
        }
    }
}
