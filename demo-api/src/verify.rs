//! Session-token verification, the Rust counterpart of Clerk's `getAuth(req)`/`verifyToken`.
//!
//! Pure functions: no I/O, and the current time is a parameter, so every rule is unit-tested.
//! Rules (from Clerk's backend SDK): RS256 only; the `kid` must be in the instance's JWKS; `exp` and
//! `nbf` are checked with a small clock skew; `azp`, when present, must be one of the authorized
//! parties (when any are configured). Reasons use Clerk's `TokenVerificationErrorReason` names.

use std::collections::HashMap;

use jsonwebtoken::{jwk::JwkSet, Algorithm, DecodingKey, Validation};
use serde::{Deserialize, Serialize};

/// Allowed clock difference between the token issuer and this server, in seconds.
pub const DEFAULT_CLOCK_SKEW_SECS: i64 = 5;

/// Why a request is not authenticated. Serialized with Clerk's reason names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Reason {
    /// No `Authorization: Bearer` header and no `__session` cookie.
    #[serde(rename = "session-token-missing")]
    TokenMissing,
    /// Not a JWT, or its header or claims can't be decoded.
    #[serde(rename = "token-invalid")]
    TokenInvalid,
    /// `alg` is not RS256.
    #[serde(rename = "token-invalid-algorithm")]
    InvalidAlgorithm,
    /// The header's `kid` is not in the JWKS (even after refetching it).
    #[serde(rename = "jwk-kid-mismatch")]
    KidMismatch,
    /// The signature does not verify with the JWKS key.
    #[serde(rename = "token-invalid-signature")]
    InvalidSignature,
    /// `exp` is in the past (beyond the clock skew).
    #[serde(rename = "token-expired")]
    Expired,
    /// `nbf` is in the future (beyond the clock skew).
    #[serde(rename = "token-not-active-yet")]
    NotActiveYet,
    /// `azp` is not one of the authorized parties.
    #[serde(rename = "token-invalid-authorized-parties")]
    InvalidAuthorizedParty,
    /// The session is `pending` (has open tasks); treated as signed out, like Clerk's default.
    #[serde(rename = "session-pending")]
    SessionPending,
    /// The JWKS could not be fetched.
    #[serde(rename = "jwk-remote-failed-to-load")]
    JwksUnavailable,
}

impl Reason {
    /// A short human-readable message.
    pub fn message(self) -> &'static str {
        match self {
            Reason::TokenMissing => "no session token: send Authorization: Bearer <token>",
            Reason::TokenInvalid => "the session token is malformed",
            Reason::InvalidAlgorithm => "the session token is not signed with RS256",
            Reason::KidMismatch => "the session token's key id is not in the instance's JWKS",
            Reason::InvalidSignature => "the session token's signature is invalid",
            Reason::Expired => "the session token has expired",
            Reason::NotActiveYet => "the session token is not valid yet (nbf)",
            Reason::InvalidAuthorizedParty => "the session token's azp is not an authorized party",
            Reason::SessionPending => "the session is pending (open tasks)",
            Reason::JwksUnavailable => "the instance's JWKS could not be loaded",
        }
    }
}

/// Verification settings.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Allowed `azp` values (page origins). Empty: `azp` is not checked.
    pub authorized_parties: Vec<String>,
    /// Allowed clock skew for `exp` and `nbf`, in seconds.
    pub clock_skew_secs: i64,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            authorized_parties: Vec::new(),
            clock_skew_secs: DEFAULT_CLOCK_SKEW_SECS,
        }
    }
}

/// The verified identity: what `getAuth(req)` returns for a signed-in request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Auth {
    /// `sub`.
    pub user_id: String,
    /// `sid`.
    pub session_id: String,
    /// `sts` (v2 tokens), when present.
    pub session_status: Option<String>,
    /// Active organization (`o.id` in v2, `org_id` in v1).
    pub org_id: Option<String>,
    /// Role in the active organization, with the `org:` prefix.
    pub org_role: Option<String>,
    /// Slug of the active organization.
    pub org_slug: Option<String>,
    /// `azp`: the origin the token was minted for.
    pub azp: Option<String>,
    /// `exp`, seconds since the epoch.
    pub expires_at: i64,
}

#[derive(Debug, Deserialize)]
struct OrgClaimV2 {
    id: Option<String>,
    slg: Option<String>,
    rol: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Claims {
    sub: Option<String>,
    sid: Option<String>,
    exp: Option<i64>,
    nbf: Option<i64>,
    azp: Option<String>,
    sts: Option<String>,
    o: Option<OrgClaimV2>,
    org_id: Option<String>,
    org_role: Option<String>,
    org_slug: Option<String>,
}

/// Public keys by `kid`, built from a JWKS document.
#[derive(Clone, Default)]
pub struct KeySet {
    keys: HashMap<String, DecodingKey>,
}

impl std::fmt::Debug for KeySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySet")
            .field("kids", &self.keys.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl KeySet {
    /// Parses a JWKS JSON document, keeping the RSA keys that have a `kid`.
    pub fn from_jwks_json(json: &str) -> Result<KeySet, String> {
        let set: JwkSet = serde_json::from_str(json).map_err(|e| format!("invalid JWKS: {e}"))?;
        let mut keys = HashMap::new();
        for jwk in &set.keys {
            let Some(kid) = jwk.common.key_id.clone() else {
                continue;
            };
            if let Ok(key) = DecodingKey::from_jwk(jwk) {
                keys.insert(kid, key);
            }
        }
        Ok(KeySet { keys })
    }

    /// Adds one key (tests, or a PEM-configured key).
    pub fn insert(&mut self, kid: impl Into<String>, key: DecodingKey) {
        self.keys.insert(kid.into(), key);
    }

    /// The key for `kid`.
    pub fn get(&self, kid: &str) -> Option<&DecodingKey> {
        self.keys.get(kid)
    }

    /// Number of usable keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when no key is usable.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// Picks the session token from a request the way Clerk's backend does: the `Authorization`
/// header (`Bearer <jwt>`, or a bare token) wins; otherwise the `__session` cookie.
pub fn token_from_request<'a>(
    authorization: Option<&'a str>,
    cookie_header: Option<&'a str>,
) -> Option<&'a str> {
    if let Some(value) = authorization {
        let value = value.trim();
        let token = match value.split_once(char::is_whitespace) {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
            _ if value.eq_ignore_ascii_case("bearer") => "",
            _ => value,
        };
        if !token.is_empty() {
            return Some(token);
        }
    }
    cookie_header?.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == "__session" && !value.is_empty()).then_some(value)
    })
}

/// The `kid` of a token's header, after checking the algorithm is RS256.
pub fn token_kid(token: &str) -> Result<String, Reason> {
    let header = jsonwebtoken::decode_header(token).map_err(|_| Reason::TokenInvalid)?;
    if header.alg != Algorithm::RS256 {
        return Err(Reason::InvalidAlgorithm);
    }
    header.kid.ok_or(Reason::KidMismatch)
}

/// Verifies `token` with the keys in `keys` at time `now` (seconds since the epoch).
pub fn verify_token(
    token: &str,
    keys: &KeySet,
    options: &VerifyOptions,
    now: i64,
) -> Result<Auth, Reason> {
    let kid = token_kid(token)?;
    let key = keys.get(&kid).ok_or(Reason::KidMismatch)?;

    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_exp = false; // checked below against `now`, with our own skew
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let data = jsonwebtoken::decode::<Claims>(token, key, &validation).map_err(|e| {
        use jsonwebtoken::errors::ErrorKind;
        match e.kind() {
            ErrorKind::InvalidSignature => Reason::InvalidSignature,
            ErrorKind::InvalidAlgorithm => Reason::InvalidAlgorithm,
            _ => Reason::TokenInvalid,
        }
    })?;
    let claims = data.claims;

    let exp = claims.exp.ok_or(Reason::TokenInvalid)?;
    if now > exp + options.clock_skew_secs {
        return Err(Reason::Expired);
    }
    if let Some(nbf) = claims.nbf {
        if nbf > now + options.clock_skew_secs {
            return Err(Reason::NotActiveYet);
        }
    }
    if let Some(azp) = &claims.azp {
        if !options.authorized_parties.is_empty()
            && !options
                .authorized_parties
                .iter()
                .any(|p| p.trim_end_matches('/') == azp)
        {
            return Err(Reason::InvalidAuthorizedParty);
        }
    }
    let (Some(user_id), Some(session_id)) = (claims.sub, claims.sid) else {
        return Err(Reason::TokenInvalid);
    };
    if claims.sts.as_deref() == Some("pending") {
        return Err(Reason::SessionPending);
    }

    let (org_id, org_role, org_slug) = match claims.o {
        Some(o) => (
            o.id,
            o.rol.map(|r| {
                if r.starts_with("org:") {
                    r
                } else {
                    format!("org:{r}")
                }
            }),
            o.slg,
        ),
        None => (claims.org_id, claims.org_role, claims.org_slug),
    };
    Ok(Auth {
        user_id,
        session_id,
        session_status: claims.sts,
        org_id,
        org_role,
        org_slug,
        azp: claims.azp,
        expires_at: exp,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{EncodingKey, Header};
    use serde_json::{json, Value};

    const KEY_A: &str = include_str!("../tests/fixtures/test-key-a.pem");
    const KEY_B: &str = include_str!("../tests/fixtures/test-key-b.pem");
    const JWKS_A: &str = include_str!("../tests/fixtures/jwks-a.json");
    const KID: &str = "ins_test_a";
    const NOW: i64 = 1_767_312_000;
    const ORIGIN: &str = "http://127.0.0.1:8080";

    fn mint(pem: &str, kid: Option<&str>, claims: &Value) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = kid.map(str::to_owned);
        let key = EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap_or_else(|e| unreachable!("{e}"));
        jsonwebtoken::encode(&header, claims, &key).unwrap_or_else(|e| unreachable!("{e}"))
    }

    fn claims() -> Value {
        json!({"azp": ORIGIN, "exp": NOW + 60, "iat": NOW, "nbf": NOW - 10,
               "iss": "https://clerk.example.test", "sid": "sess_1", "sts": "active",
               "sub": "user_1", "v": 2, "fva": [0, -1]})
    }

    fn keys() -> KeySet {
        KeySet::from_jwks_json(JWKS_A).unwrap_or_else(|e| unreachable!("{e}"))
    }

    fn opts() -> VerifyOptions {
        VerifyOptions {
            authorized_parties: vec![ORIGIN.into()],
            ..VerifyOptions::default()
        }
    }

    fn check(token: &str) -> Result<Auth, Reason> {
        verify_token(token, &keys(), &opts(), NOW)
    }

    #[test]
    fn valid_token_gives_user_and_session() {
        let auth =
            check(&mint(KEY_A, Some(KID), &claims())).unwrap_or_else(|r| unreachable!("{r:?}"));
        assert_eq!(auth.user_id, "user_1");
        assert_eq!(auth.session_id, "sess_1");
        assert_eq!(auth.session_status.as_deref(), Some("active"));
        assert_eq!(auth.org_id, None);
        assert_eq!(auth.azp.as_deref(), Some(ORIGIN));
    }

    #[test]
    fn expired_token_is_rejected_beyond_the_skew() {
        let mut c = claims();
        c["exp"] = json!(NOW - 6);
        assert_eq!(check(&mint(KEY_A, Some(KID), &c)), Err(Reason::Expired));
        c["exp"] = json!(NOW - 5); // within the 5 s skew
        assert!(check(&mint(KEY_A, Some(KID), &c)).is_ok());
    }

    #[test]
    fn nbf_in_the_future_is_rejected_beyond_the_skew() {
        let mut c = claims();
        c["nbf"] = json!(NOW + 6);
        assert_eq!(
            check(&mint(KEY_A, Some(KID), &c)),
            Err(Reason::NotActiveYet)
        );
        c["nbf"] = json!(NOW + 5);
        assert!(check(&mint(KEY_A, Some(KID), &c)).is_ok());
    }

    #[test]
    fn wrong_azp_is_rejected_missing_azp_is_allowed() {
        let mut c = claims();
        c["azp"] = json!("https://evil.example");
        assert_eq!(
            check(&mint(KEY_A, Some(KID), &c)),
            Err(Reason::InvalidAuthorizedParty)
        );
        c.as_object_mut().map(|m| m.remove("azp"));
        assert!(check(&mint(KEY_A, Some(KID), &c)).is_ok());
        // No authorized parties configured: azp is not checked.
        let c = json!({"azp": "https://evil.example", "exp": NOW + 60, "sid": "s", "sub": "u"});
        let any = VerifyOptions::default();
        assert!(verify_token(&mint(KEY_A, Some(KID), &c), &keys(), &any, NOW).is_ok());
    }

    #[test]
    fn unknown_or_missing_kid_is_a_kid_mismatch() {
        assert_eq!(
            check(&mint(KEY_A, Some("ins_other"), &claims())),
            Err(Reason::KidMismatch)
        );
        assert_eq!(
            check(&mint(KEY_A, None, &claims())),
            Err(Reason::KidMismatch)
        );
    }

    #[test]
    fn token_signed_by_another_key_has_a_bad_signature() {
        assert_eq!(
            check(&mint(KEY_B, Some(KID), &claims())),
            Err(Reason::InvalidSignature)
        );
    }

    #[test]
    fn tampered_payload_has_a_bad_signature() {
        let token = mint(KEY_A, Some(KID), &claims());
        let parts: Vec<&str> = token.split('.').collect();
        let other = mint(
            KEY_A,
            Some(KID),
            &json!({"sub": "user_admin", "sid": "s", "exp": NOW + 60}),
        );
        let other_payload = other.split('.').nth(1).unwrap_or_default();
        let forged = format!("{}.{}.{}", parts[0], other_payload, parts[2]);
        assert_eq!(check(&forged), Err(Reason::InvalidSignature));
    }

    #[test]
    fn garbage_and_hs256_are_rejected() {
        assert_eq!(check("not-a-jwt"), Err(Reason::TokenInvalid));
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(KID.into());
        let hs = jsonwebtoken::encode(&header, &claims(), &EncodingKey::from_secret(b"k"))
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(check(&hs), Err(Reason::InvalidAlgorithm));
    }

    #[test]
    fn missing_sub_or_exp_is_invalid() {
        let mut c = claims();
        c.as_object_mut().map(|m| m.remove("sub"));
        assert_eq!(
            check(&mint(KEY_A, Some(KID), &c)),
            Err(Reason::TokenInvalid)
        );
        let mut c = claims();
        c.as_object_mut().map(|m| m.remove("exp"));
        assert_eq!(
            check(&mint(KEY_A, Some(KID), &c)),
            Err(Reason::TokenInvalid)
        );
    }

    #[test]
    fn pending_session_counts_as_signed_out() {
        let mut c = claims();
        c["sts"] = json!("pending");
        assert_eq!(
            check(&mint(KEY_A, Some(KID), &c)),
            Err(Reason::SessionPending)
        );
    }

    #[test]
    fn org_claims_v2_and_v1() {
        let mut c = claims();
        c["o"] = json!({"id": "org_1", "slg": "acme", "rol": "admin", "per": "read"});
        let auth = check(&mint(KEY_A, Some(KID), &c)).unwrap_or_else(|r| unreachable!("{r:?}"));
        assert_eq!(auth.org_id.as_deref(), Some("org_1"));
        assert_eq!(auth.org_role.as_deref(), Some("org:admin"));
        assert_eq!(auth.org_slug.as_deref(), Some("acme"));
        let c = json!({"exp": NOW + 60, "sid": "s", "sub": "u", "org_id": "org_2",
                       "org_role": "org:member", "org_slug": "beta", "org_permissions": []});
        let auth = check(&mint(KEY_A, Some(KID), &c)).unwrap_or_else(|r| unreachable!("{r:?}"));
        assert_eq!(auth.org_id.as_deref(), Some("org_2"));
        assert_eq!(auth.org_role.as_deref(), Some("org:member"));
    }

    #[test]
    fn token_comes_from_header_then_session_cookie() {
        assert_eq!(
            token_from_request(Some("Bearer abc"), Some("__session=def")),
            Some("abc")
        );
        assert_eq!(
            token_from_request(None, Some("a=1; __session=def; b=2")),
            Some("def")
        );
        assert_eq!(
            token_from_request(Some("Bearer "), Some("__session=def")),
            Some("def")
        );
        assert_eq!(
            token_from_request(None, Some("__session_x=1; __client_uat=0")),
            None
        );
        assert_eq!(token_from_request(None, None), None);
    }

    #[test]
    fn jwks_without_usable_keys_is_empty() {
        let set = KeySet::from_jwks_json(r#"{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}"#)
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert!(set.is_empty());
        assert!(KeySet::from_jwks_json("{").is_err());
        assert_eq!(keys().len(), 1);
    }

    #[test]
    fn reasons_serialize_with_clerks_names() {
        let s = serde_json::to_string(&Reason::InvalidAuthorizedParty).unwrap_or_default();
        assert_eq!(s, "\"token-invalid-authorized-parties\"");
    }
}
