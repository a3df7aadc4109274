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
    /// A [`Check::Role`], e.g. `Check::role("admin")` (the `org:` prefix is optional).
    pub fn role(role: impl Into<String>) -> Self {
        Check::Role(role.into())
    }

    /// A [`Check::Permission`], e.g. `Check::permission("org:invoices:read")`.
    pub fn permission(permission: impl Into<String>) -> Self {
        Check::Permission(permission.into())
    }

    /// A [`Check::Feature`], e.g. `Check::feature("user:export")`.
    pub fn feature(feature: impl Into<String>) -> Self {
        Check::Feature(feature.into())
    }

    /// A [`Check::Plan`], e.g. `Check::plan("org:pro")`.
    pub fn plan(plan: impl Into<String>) -> Self {
        Check::Plan(plan.into())
    }

    /// A [`Check::Reverification`], e.g. `Check::reverification(Reverification::Strict)`.
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
    /// The active organization's id (`org_...`); `None` for the personal account, where role
    /// and permission checks fail.
    pub org_id: Option<String>,
    /// The role in the active organization (`org:admin`).
    pub org_role: Option<String>,
    /// The permissions in the active organization (`org:invoices:read`).
    pub org_permissions: Vec<String>,
    /// `[first_factor_minutes, second_factor_minutes]`, -1 = not enrolled; `None` (no ages
    /// known) fails every reverification check.
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
mod tests;

/// Property tests (`cargo test prop_`): arbitrary inputs and checks, no panic, fail closed.
#[cfg(test)]
mod props;
