//! Session-token (JWT) claims, decoded without signature verification (as clerk-js does:
//! the backend verifies; the client only reads expiry and identity).
//!
//! Both token versions are understood and normalised into one [`SessionClaims`]:
//! - **v1** (no `v` claim): `org_id`, `org_slug`, `org_role` (`org:admin`),
//!   `org_permissions` (array);
//! - **v2** (`"v": 2`): `o: {id, slg, rol, per, fpm}` plus `fea` / `pla`. As in
//!   `@clerk/shared`'s `jwtPayloadParser.ts`, `rol` gets the `org:` prefix and the organization
//!   permissions are rebuilt from the org-scoped features of `fea`, the `per` list and the
//!   `fpm` bit masks (one decimal mask per org feature, bit `i` (least significant first)
//!   selecting `per[i]`), giving `org:<feature>:<permission>`. A mask of 2^128 or more
//!   grants nothing (no feature has that many permissions; reading stays linear).
//!
//! Token times are read as any integer; [`SessionClaims::check_times`] is the one
//! plausibility rule that the browser client and the server apply to tokens they did not
//! mint, and every time computation here saturates instead of overflowing.
//!
//! # Layout
//!
//! - this file: [`SessionClaims`] and [`OrgClaims`], the normalised claims, and their accessors;
//! - `times`: the plausibility rule for token times ([`SessionClaims::check_times`],
//!   [`ClaimTimeProblem`], [`MAX_CLAIM_TIME_SECS`]) and the expiry arithmetic;
//! - `token`: [`SessionToken::decode`] (JWT segments, base64url, JSON) and the v1/v2
//!   normalisation of the payload, with [`JwtHeader`];
//! - `token_id`: [`TokenId`], the id of one cached token;
//! - `tests`, `props`: the unit and property tests (`prop_*`) of decoding and times.

use crate::json::{Map, Value};

use crate::models::Actor;

mod times;
mod token;
mod token_id;

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;

pub use times::{ClaimTimeProblem, MAX_CLAIM_TIME_SECS};
pub use token::{JwtHeader, SessionToken, TokenFreshness};
pub use token_id::TokenId;

/// Organization claims, normalised from the v1 flat form and the v2 `o` object.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrgClaims {
    /// The active organization's id (`org_...`; v1 `org_id`, v2 `o.id`).
    pub id: String,
    /// Its slug (v1 `org_slug`, v2 `o.slg`), when the token carries one.
    pub slug: Option<String>,
    /// Role with the `org:` prefix (v2 `rol` has none; it is added).
    pub role: Option<String>,
    /// Permissions with the `org:` prefix (v2: `org:<feature>:<permission>`). Custom ones
    /// only: system permissions (`org:sys_*`) are never in tokens.
    pub permissions: Vec<String>,
}

/// Claims of a Clerk session token.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionClaims {
    /// The user's id (`user_...`); never empty (decoding refuses a token without it).
    pub sub: String,
    /// The session's id (`sess_...`); `None` in tokens that are not session tokens.
    pub sid: Option<String>,
    /// When the token was minted (Unix epoch **seconds**, unlike the models' milliseconds).
    pub iat: i64,
    /// Not valid before this time (Unix epoch seconds; Clerk puts it a little before `iat`
    /// for clock skew); `None` when absent.
    pub nbf: Option<i64>,
    /// When the token expires (Unix epoch seconds): 60 s after `iat` for Clerk session tokens.
    /// See [`SessionClaims::is_expired`].
    pub exp: i64,
    /// Issuer: the instance's Frontend API URL (`https://clerk.example.com`); a backend
    /// checks it is its own instance. `None` when absent.
    pub iss: Option<String>,
    /// Authorized party: the origin of the page the token was minted for
    /// (`https://app.example.com`); a backend may check it against its allowed origins.
    pub azp: Option<String>,
    /// The `act` claim: who is acting as the user (impersonation by an admin or an agent).
    pub act: Option<Actor>,
    /// Minutes since the first and second factor were last verified, `[first, second]`; -1
    /// for a factor never verified (no second factor). `None` when absent (reverification
    /// off) or not a pair of integers.
    pub fva: Option<[i64; 2]>,
    /// The session's status when minted (`active` or `pending`); `None` in tokens without
    /// it, which count as `active`.
    pub sts: Option<String>,
    /// Token version: 1 (no `v` claim) or the `v` claim (2 today).
    pub version: u8,
    /// The session's active organization, from either token version; `None` for the personal account.
    pub org: Option<OrgClaims>,
    /// Features (`fea`), raw scoped entries, e.g. `o:dashboard`, `u:foo`, `ou:bar`.
    pub features: Vec<String>,
    /// Plans (`pla`), raw scoped entries, e.g. `u:free`, `o:pro`.
    pub plans: Vec<String>,
    /// Custom claims (session-token customisation): every payload claim other than the
    /// standard ones above (`sub`, `sid`, `iat`, `nbf`, `exp`, `iss`, `azp`, `jti`, `act`,
    /// `fva`, `sts`, `v`, `o`, `fea`, `pla`, `org_*`). Empty for default tokens, so that
    /// claims of two refreshes of the same session compare equal apart from `iat`/`nbf`/`exp`.
    pub custom: Map,
}

impl SessionClaims {
    /// The active organization id, when any.
    pub fn org_id(&self) -> Option<&str> {
        self.org.as_ref().map(|o| o.id.as_str())
    }

    /// The active organization role (`org:` prefixed), when any.
    pub fn org_role(&self) -> Option<&str> {
        self.org.as_ref().and_then(|o| o.role.as_deref())
    }

    /// The active organization slug, when any.
    pub fn org_slug(&self) -> Option<&str> {
        self.org.as_ref().and_then(|o| o.slug.as_deref())
    }

    /// The active organization permissions (empty without an org).
    pub fn org_permissions(&self) -> &[String] {
        self.org
            .as_ref()
            .map(|o| o.permissions.as_slice())
            .unwrap_or(&[])
    }

    /// A custom claim (see [`SessionClaims::custom`]).
    pub fn get(&self, claim: &str) -> Option<&Value> {
        self.custom.get(claim)
    }
}
