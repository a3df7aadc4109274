//! Session-token (JWT) claims, decoded without signature verification (as clerk-js does:
//! the backend verifies; the client only reads expiry and identity).

use crate::core::models::Actor;
use crate::error::ClerkError;

/// Organization claims, normalised from the v1 flat form and the v2 `o` object.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrgClaims {
    /// `org_...`
    pub id: String,
    /// Slug, when present.
    pub slug: Option<String>,
    /// Role with the `org:` prefix (v2 `rol` has none; it is added).
    pub role: Option<String>,
    /// Permissions with the `org:` prefix.
    pub permissions: Vec<String>,
}

/// Claims of a Clerk session token.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionClaims {
    /// User id.
    pub sub: String,
    /// Session id.
    pub sid: Option<String>,
    /// Issued at (seconds).
    pub iat: i64,
    /// Not before (seconds).
    pub nbf: Option<i64>,
    /// Expiry (seconds).
    pub exp: i64,
    /// Issuer (`https://<frontend api>`).
    pub iss: Option<String>,
    /// Authorized party (the page origin).
    pub azp: Option<String>,
    /// Impersonator.
    pub act: Option<Actor>,
    /// Factor verification age in minutes `[first, second]`, -1 = never.
    pub fva: Option<[i64; 2]>,
    /// Session status claim (`active`/`pending`).
    pub sts: Option<String>,
    /// Token version: 1 (no `v` claim) or 2.
    pub version: u8,
    /// Active organization.
    pub org: Option<OrgClaims>,
    /// Features (`fea`), e.g. `o:dashboard`, `u:foo`.
    pub features: Vec<String>,
    /// Plans (`pla`), e.g. `u:free`, `o:pro`.
    pub plans: Vec<String>,
}

/// A session token: the raw JWT and its decoded claims.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken {
    raw: String,
    claims: SessionClaims,
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionToken")
            .field("raw", &"<redacted>")
            .field("claims", &self.claims)
            .finish()
    }
}

impl SessionToken {
    /// Decodes a compact JWS (three base64url segments) without verifying its signature.
    pub fn decode(jwt: &str) -> Result<Self, ClerkError> {
        let _ = jwt;
        Err(ClerkError::InvalidJwt("not decoded".into()))
    }

    /// The raw JWT.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The decoded claims.
    pub fn claims(&self) -> &SessionClaims {
        &self.claims
    }
}
