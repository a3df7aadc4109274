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

use crate::base64::{self, Alphabet};
use crate::json::{FromJson, Map, Value};

use crate::error::ClerkError;
use crate::models::Actor;

/// Organization claims, normalised from the v1 flat form and the v2 `o` object.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrgClaims {
    /// `org_...`
    pub id: String,
    /// Slug, when present.
    pub slug: Option<String>,
    /// Role with the `org:` prefix (v2 `rol` has none; it is added).
    pub role: Option<String>,
    /// Permissions with the `org:` prefix (v2: `org:<feature>:<permission>`).
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
    /// The `act` claim: who is acting as the user (impersonation by an admin or an agent).
    pub act: Option<Actor>,
    /// Factor verification age in minutes `[first, second]`, -1 = never.
    pub fva: Option<[i64; 2]>,
    /// Session status claim (`active`/`pending`).
    pub sts: Option<String>,
    /// Token version: 1 (no `v` claim) or the `v` claim (2 today).
    pub version: u8,
    /// Active organization.
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

/// Latest time a claim may hold to be plausible: 9999-12-31T23:59:59Z, in seconds. Keeps
/// every `* 1000` (to milliseconds) and every sum with a lifetime or a leeway far from
/// `i64::MAX`.
pub const MAX_CLAIM_TIME_SECS: i64 = 253_402_300_799;

/// Why the times of a token are not plausible (see [`SessionClaims::check_times`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ClaimTimeProblem {
    /// `iat`, `exp` or `nbf` is negative or after [`MAX_CLAIM_TIME_SECS`].
    OutOfRange,
    /// `exp` is before `iat`.
    ExpiresBeforeIssued,
    /// `nbf` is after `exp`: the token is never valid.
    NotBeforeAfterExpiry,
    /// `iat` is later than now plus the leeway (a forged or far-skewed token).
    IssuedInTheFuture,
    /// `nbf` is later than now plus the leeway.
    NotYetValid,
}

impl std::fmt::Display for ClaimTimeProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ClaimTimeProblem::OutOfRange => {
                "a token time (iat, exp or nbf) is negative or after the year 9999"
            }
            ClaimTimeProblem::ExpiresBeforeIssued => {
                "the token expires (exp) before it was issued (iat)"
            }
            ClaimTimeProblem::NotBeforeAfterExpiry => {
                "the token is valid from (nbf) after it expires (exp)"
            }
            ClaimTimeProblem::IssuedInTheFuture => "the token was issued (iat) in the future",
            ClaimTimeProblem::NotYetValid => "the token is not valid yet (nbf)",
        })
    }
}

impl SessionClaims {
    /// The plausibility rule for token times, without a clock: every time (`iat`, `exp`,
    /// `nbf`) is in `0..=MAX_CLAIM_TIME_SECS`, `iat <= exp`, and `nbf <= exp`.
    ///
    /// [`SessionToken::decode`] does not apply it (it reads any integer), so that the browser
    /// client and the server decide alike by calling this one rule on anything they did not
    /// mint themselves (other tabs, cookies, `Authorization` headers). Expiry is not part of
    /// it: use [`SessionClaims::is_expired`]. `fva` is checked where it is used (`has()` fails
    /// closed on ages below -1).
    pub fn check_times(&self) -> Result<(), ClaimTimeProblem> {
        let in_range = |t: i64| (0..=MAX_CLAIM_TIME_SECS).contains(&t);
        if !in_range(self.iat) || !in_range(self.exp) || !self.nbf.is_none_or(in_range) {
            return Err(ClaimTimeProblem::OutOfRange);
        }
        if self.exp < self.iat {
            return Err(ClaimTimeProblem::ExpiresBeforeIssued);
        }
        if self.nbf.is_some_and(|nbf| nbf > self.exp) {
            return Err(ClaimTimeProblem::NotBeforeAfterExpiry);
        }
        Ok(())
    }

    /// [`SessionClaims::check_times`], then against a clock: `iat` and `nbf` must not be
    /// later than `now_ms` (Unix ms) plus `leeway_secs` (the allowed clock skew; Clerk's
    /// backend SDKs default to 5 s). Saturating arithmetic: any `now_ms` and leeway are safe.
    pub fn check_times_at(&self, now_ms: i64, leeway_secs: i64) -> Result<(), ClaimTimeProblem> {
        self.check_times()?;
        let latest = now_ms.div_euclid(1000).saturating_add(leeway_secs);
        if self.iat > latest {
            return Err(ClaimTimeProblem::IssuedInTheFuture);
        }
        if self.nbf.is_some_and(|nbf| nbf > latest) {
            return Err(ClaimTimeProblem::NotYetValid);
        }
        Ok(())
    }

    /// Seconds until `exp` at `now_ms` (Unix ms); negative once expired. Saturates at the
    /// `i64` limits instead of overflowing on implausible times.
    pub fn expires_in_secs(&self, now_ms: i64) -> i64 {
        self.exp.saturating_sub(now_ms.div_euclid(1000))
    }

    /// Token lifetime `exp - iat` in seconds (60 for Clerk session tokens); saturating.
    pub fn lifetime_secs(&self) -> i64 {
        self.exp.saturating_sub(self.iat)
    }

    /// True when at most `leeway_secs` seconds are left before `exp` at `now_ms` (safe for
    /// any values: the comparison saturates).
    pub fn is_expired(&self, now_ms: i64, leeway_secs: i64) -> bool {
        self.expires_in_secs(now_ms) <= leeway_secs
    }

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

/// The JOSE header of a session token (informational: signatures are not verified here).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JwtHeader {
    /// Algorithm (`RS256`).
    pub alg: Option<String>,
    /// Key id (`ins_...`).
    pub kid: Option<String>,
    /// Type (`JWT`).
    pub typ: Option<String>,
    /// Clerk token category (`cl_...`).
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

    /// Freshness for cross-tab comparisons (clerk-js `tokenFreshness`): `oiat` from the
    /// header when present, else `iat`. Larger is fresher.
    pub fn freshness(&self) -> i64 {
        self.header.oiat.unwrap_or(self.claims.iat)
    }
}

/// The id of one cached session token, as clerk-js builds it (`utils/tokenId.ts`): the
/// non-empty parts of `[session_id, template, organization_id]` joined with `-`, e.g.
/// `sess_1`, `sess_1-supabase`, `sess_1-org_9`, `sess_1-supabase-org_9`.
///
/// The same text keys the token cache and names a token in clerk-js's cross-tab messages
/// (`tokenId`), so it is built and taken apart only here. A token id read from another tab is
/// untrusted: [`TokenId::parse`] accepts any text and never fails; the engine judges the
/// token itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct TokenId(String);

impl TokenId {
    /// The id of the token for this session, JWT template (`None`: the session token) and
    /// organization (`None`: the personal account or the session's active one, whichever
    /// the token is for). Empty parts are left out.
    pub fn new(session_id: &str, template: Option<&str>, organization_id: Option<&str>) -> Self {
        TokenId(
            [Some(session_id), template, organization_id]
                .into_iter()
                .flatten()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("-"),
        )
    }

    /// A token id as text (from the cache or another tab's message).
    pub fn parse(text: impl Into<String>) -> Self {
        TokenId(text.into())
    }

    /// The text form (`sess_1-supabase-org_9`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text form, owned.
    pub fn into_string(self) -> String {
        self.0
    }

    /// The session part: everything before the first `-`.
    pub fn session_id(&self) -> &str {
        self.parts().0
    }

    /// The JWT template part, when there is one.
    pub fn template(&self) -> Option<&str> {
        self.parts().1
    }

    /// The organization part (`org_…`), when there is one.
    pub fn organization_id(&self) -> Option<&str> {
        self.parts().2
    }

    /// `(session, template, organization)`: after the session, a rest that starts with
    /// `org_` is an organization; otherwise the last `-org_…` is the organization and what
    /// comes before it the template (template names may contain `-`).
    fn parts(&self) -> (&str, Option<&str>, Option<&str>) {
        let (session, rest) = self.0.split_once('-').unwrap_or((&self.0, ""));
        if rest.is_empty() {
            (session, None, None)
        } else if rest.starts_with("org_") {
            (session, None, Some(rest))
        } else {
            match rest.rfind("-org_") {
                Some(at) => (session, Some(&rest[..at]), Some(&rest[at + 1..])),
                None => (session, Some(rest), None),
            }
        }
    }

    /// Whether the token id `token_id` is one of `session_id`'s tokens (`sess_1`,
    /// `sess_1-…`; not `sess_10`). On the text form, for caches keyed by it.
    pub fn is_of_session(token_id: &str, session_id: &str) -> bool {
        token_id == session_id
            || token_id
                .strip_prefix(session_id)
                .is_some_and(|rest| rest.starts_with('-'))
    }
}

impl std::fmt::Display for TokenId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
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
const MAX_MASK_BITS: usize = u128::BITS as usize;

/// A non-negative decimal mask (`"6"` → 6); leading zeros allowed. `None` for anything but
/// ASCII digits or a value of 2^128 or more.
fn decimal_mask(decimal: &str) -> Option<u128> {
    if decimal.is_empty() {
        return None;
    }
    decimal.bytes().try_fold(0u128, |n, b| {
        let digit = b.checked_sub(b'0').filter(|d| *d <= 9)?;
        n.checked_mul(10)?.checked_add(u128::from(digit))
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
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
        assert_eq!(t.freshness(), 1767312000);
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
    fn token_ids() {
        let id = |s, t, o| TokenId::new(s, t, o).into_string();
        assert_eq!(id("sess_1", None, None), "sess_1");
        assert_eq!(id("sess_1", Some("supabase"), None), "sess_1-supabase");
        assert_eq!(id("sess_1", None, Some("org_9")), "sess_1-org_9");
        assert_eq!(
            id("sess_1", Some("supabase"), Some("org_9")),
            "sess_1-supabase-org_9"
        );
        assert_eq!(id("sess_1", Some(""), Some("")), "sess_1");
    }

    #[test]
    fn token_ids_parse_back_into_their_parts() {
        let cases: [(&str, Option<&str>, Option<&str>); 6] = [
            ("sess_1", None, None),
            ("sess_1", Some("tmpl"), None),
            ("sess_1", None, Some("org_2")),
            ("sess_1", Some("tmpl"), Some("org_2")),
            ("sess_1", Some("my-tmpl"), Some("org_2")),
            ("sess_1", Some("my-tmpl"), None),
        ];
        for (session, template, org) in cases {
            let parsed = TokenId::parse(TokenId::new(session, template, org).into_string());
            assert_eq!(
                (
                    parsed.session_id(),
                    parsed.template(),
                    parsed.organization_id()
                ),
                (session, template, org),
                "{parsed}"
            );
        }
        // Any text parses (it may come from another tab).
        for text in ["", "-", "--org_", "sess_1-", "-org_x"] {
            let t = TokenId::parse(text);
            let _ = (t.session_id(), t.template(), t.organization_id());
        }
        assert!(TokenId::is_of_session("sess_1", "sess_1"));
        assert!(TokenId::is_of_session("sess_1-org_9", "sess_1"));
        assert!(!TokenId::is_of_session("sess_10", "sess_1"));
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
}

/// Property tests (`cargo test prop_`): arbitrary JWT-like strings and claim sets.
#[cfg(test)]
mod props {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

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
}
