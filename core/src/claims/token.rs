//! Decoding a session token (JWT) without verifying its signature, and normalising the v1
//! and v2 payloads into one [`SessionClaims`].

use crate::base64::{self, Alphabet};
use crate::json::{FromJson, Map, Value};

use crate::error::ClerkError;
use crate::models::Actor;

use super::{OrgClaims, SessionClaims};

/// The JOSE header of a session token (informational: signatures are not verified here).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JwtHeader {
    /// Signing algorithm, `RS256` for Clerk tokens; `None` when absent.
    pub alg: Option<String>,
    /// Id of the signing key in the instance's JWKS (`ins_...`): the key a verifier looks up.
    pub kid: Option<String>,
    /// Token type, `JWT` when present; informational.
    pub typ: Option<String>,
    /// Clerk's internal token-category tag (`cl_...`); clerk-js warns not to depend on it.
    pub cat: Option<String>,
    /// "Origin issued at" (session-minter tokens): used to order tokens by freshness.
    pub oiat: Option<i64>,
}

/// A session token: the raw JWT and its decoded claims.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken {
    raw: String,
    header: JwtHeader,
    claims: SessionClaims,
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionToken")
            .field("raw", &"<redacted>")
            .field("header", &self.header)
            .field("claims", &self.claims)
            .finish()
    }
}

impl SessionToken {
    /// Decodes a compact JWS (three base64url segments) without verifying its signature.
    ///
    /// Fails with [`ClerkError::InvalidJwt`] when there are not exactly three segments, when
    /// the header or payload is not base64url JSON objects, or when `sub`, `iat` or `exp` is
    /// missing or of the wrong type. Error messages never contain the token.
    pub fn decode(jwt: &str) -> Result<Self, ClerkError> {
        let jwt = jwt.trim();
        let segments: Vec<&str> = jwt.split('.').collect();
        if segments.len() != 3 {
            return Err(invalid(format!(
                "expected 3 dot-separated segments (header.payload.signature), got {}",
                segments.len()
            )));
        }
        let header = decode_object(segments[0], "header")?;
        let payload = decode_object(segments[1], "payload")?;
        let header = JwtHeader {
            alg: str_field(&header, "alg"),
            kid: str_field(&header, "kid"),
            typ: str_field(&header, "typ"),
            cat: str_field(&header, "cat"),
            oiat: int_field(&header, "oiat"),
        };
        let claims = claims_from_payload(payload)?;
        Ok(SessionToken {
            raw: jwt.to_string(),
            header,
            claims,
        })
    }

    /// The raw JWT.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The decoded header.
    pub fn header(&self) -> &JwtHeader {
        &self.header
    }

    /// The decoded claims.
    pub fn claims(&self) -> &SessionClaims {
        &self.claims
    }

    /// Consumes the token, returning its claims.
    pub fn into_claims(self) -> SessionClaims {
        self.claims
    }

    /// Seconds until expiry at `now_ms`.
    pub fn expires_in_secs(&self, now_ms: i64) -> i64 {
        self.claims.expires_in_secs(now_ms)
    }

    /// How fresh the token's claims are, for choosing between two tokens of one session and
    /// organization (another tab's, the cookie's, a response that raced a newer one). Larger
    /// is fresher; see [`TokenFreshness`].
    pub fn freshness(&self) -> TokenFreshness {
        TokenFreshness {
            oiat: self.header.oiat,
            iat: self.claims.iat,
        }
    }
}

/// The order clerk-js's `pickFreshestJwt` puts tokens in: by the `oiat` header ("origin
/// issued at": when the claims were last assembled from Clerk's database), a token without
/// it (minted before the header existed) being staler than any token with it; then, for an
/// equal or absent `oiat`, by `iat` (under the session minter a re-minted token keeps its
/// `oiat` and gets a new `iat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TokenFreshness {
    // Field order is the comparison order (derived `Ord`); `None < Some(_)`.
    oiat: Option<i64>,
    iat: i64,
}

impl TokenFreshness {
    /// The `oiat` header (seconds since the epoch), when the token has one.
    pub fn oiat(&self) -> Option<i64> {
        self.oiat
    }

    /// The `iat` claim (seconds since the epoch).
    pub fn iat(&self) -> i64 {
        self.iat
    }
}

fn invalid(message: String) -> ClerkError {
    ClerkError::InvalidJwt(message)
}

fn decode_object(segment: &str, what: &str) -> Result<Map, ClerkError> {
    // Refuse before allocating the decoded bytes: base64 of MAX_JSON_BYTES is 4/3 as long.
    if segment.len() / 4 * 3 > crate::json::MAX_JSON_BYTES {
        return Err(invalid(format!("{what} is too large")));
    }
    // JWS uses unpadded base64url; tolerate stray padding.
    let bytes = base64::decode(segment.trim_end_matches('='), Alphabet::UrlSafe)
        .ok_or_else(|| invalid(format!("{what} is not base64url")))?;
    // Through the crate's one JSON parser.
    let text =
        std::str::from_utf8(&bytes).map_err(|e| invalid(format!("{what} is not JSON: {e}")))?;
    let value = Value::parse(text).map_err(|e| invalid(format!("{what} is not JSON: {e}")))?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(invalid(format!("{what} is not a JSON object"))),
    }
}

fn str_field(map: &Map, key: &str) -> Option<String> {
    map.get(key).and_then(Value::as_str).map(str::to_string)
}

/// An integer claim; JSON floats are floored (some issuers emit `1.7e9`-style numbers).
fn int_field(map: &Map, key: &str) -> Option<i64> {
    let v = map.get(key)?;
    match v {
        Value::Number(n) => n.floor_i64(),
        _ => None,
    }
}

fn required_int(map: &Map, key: &str) -> Result<i64, ClerkError> {
    match map.get(key) {
        None | Some(Value::Null) => Err(invalid(format!("missing `{key}` claim"))),
        Some(_) => {
            int_field(map, key).ok_or_else(|| invalid(format!("`{key}` claim is not a number")))
        }
    }
}

/// Splits a comma list, trimming entries and dropping empty ones.
fn comma_list(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => s
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect(),
        // Be lenient with an array form.
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

fn claims_from_payload(payload: Map) -> Result<SessionClaims, ClerkError> {
    let sub = match payload.get("sub") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::String(_)) => return Err(invalid("`sub` claim is empty".into())),
        None | Some(Value::Null) => return Err(invalid("missing `sub` claim".into())),
        Some(_) => return Err(invalid("`sub` claim is not a string".into())),
    };
    let iat = required_int(&payload, "iat")?;
    let exp = required_int(&payload, "exp")?;
    let version = match payload.get("v").and_then(Value::as_u64) {
        Some(v) => u8::try_from(v).unwrap_or(u8::MAX),
        None => 1,
    };
    let features = comma_list(payload.get("fea"));
    let plans = comma_list(payload.get("pla"));
    let org = if version == 2 {
        org_from_v2(payload.get("o"), &features)
    } else {
        org_from_v1(&payload)
    };
    let act = payload
        .get("act")
        .filter(|v| v.is_object())
        .and_then(|v| Actor::from_json(v).ok());
    let custom: Map = payload
        .iter()
        .filter(|(k, _)| !STANDARD_CLAIMS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let fva = crate::models::factor_ages(payload.get("fva"));
    Ok(SessionClaims {
        sub,
        sid: str_field(&payload, "sid"),
        iat,
        nbf: int_field(&payload, "nbf"),
        exp,
        iss: str_field(&payload, "iss"),
        azp: str_field(&payload, "azp"),
        act,
        fva,
        sts: str_field(&payload, "sts"),
        version,
        org,
        features,
        plans,
        custom,
    })
}

/// Claims decoded into typed fields (or deliberately dropped, like `jti`).
const STANDARD_CLAIMS: &[&str] = &[
    "sub",
    "sid",
    "iat",
    "nbf",
    "exp",
    "iss",
    "azp",
    "jti",
    "act",
    "fva",
    "sts",
    "v",
    "o",
    "fea",
    "pla",
    "org_id",
    "org_slug",
    "org_role",
    "org_permissions",
];

fn org_from_v1(payload: &Map) -> Option<OrgClaims> {
    let id = str_field(payload, "org_id").filter(|s| !s.is_empty())?;
    let permissions = match payload.get("org_permissions") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    Some(OrgClaims {
        id,
        slug: str_field(payload, "org_slug"),
        role: str_field(payload, "org_role").filter(|r| !r.is_empty()),
        permissions,
    })
}

fn org_from_v2(o: Option<&Value>, features: &[String]) -> Option<OrgClaims> {
    let o = o?.as_object()?;
    let id = str_field(o, "id").filter(|s| !s.is_empty())?;
    let role = str_field(o, "rol").filter(|r| !r.is_empty()).map(|r| {
        if r.starts_with("org:") {
            r
        } else {
            format!("org:{r}")
        }
    });
    let per = comma_list(o.get("per"));
    let fpm = comma_list(o.get("fpm"));
    let org_features: Vec<&str> = features
        .iter()
        .filter_map(|f| {
            let (scope, value) = f.split_once(':')?;
            (scope == "o" || scope == "ou" || scope == "uo").then_some(value)
        })
        .collect();
    let mut permissions = Vec::new();
    if !per.is_empty() && !fpm.is_empty() {
        for (feature, mask) in org_features.iter().zip(fpm.iter()) {
            // A mask that is not a number, or is wider than 128 bits, grants nothing.
            let Some(mask) = decimal_mask(mask) else {
                continue;
            };
            for (bit, permission) in per.iter().take(MAX_MASK_BITS).enumerate() {
                if mask >> bit & 1 == 1 {
                    permissions.push(format!("org:{feature}:{permission}"));
                }
            }
        }
    }
    Some(OrgClaims {
        id,
        slug: str_field(o, "slg"),
        role,
        permissions,
    })
}

/// Most permissions one `fpm` mask can select: masks wider than 128 bits are not read (no
/// Clerk feature has that many permissions), which also keeps reading a hostile mask linear.
pub(super) const MAX_MASK_BITS: usize = u128::BITS as usize;

/// A non-negative decimal mask (`"6"` → 6); leading zeros allowed. `None` for anything but
/// ASCII digits or a value of 2^128 or more.
pub(super) fn decimal_mask(decimal: &str) -> Option<u128> {
    if decimal.is_empty() {
        return None;
    }
    decimal.bytes().try_fold(0u128, |n, b| {
        let digit = b.checked_sub(b'0').filter(|d| *d <= 9)?;
        n.checked_mul(10)?.checked_add(u128::from(digit))
    })
}
