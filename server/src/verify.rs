//! Session-token verification (`verifyToken` / `verifyJwt` of `@clerk/backend`), as pure
//! functions: the key and the current time are parameters, so every rule is unit-tested.
//!
//! Order of the checks (Clerk's `verifyJwt`): well-formed JWT (decoded by yew-clerk-core's
//! claims reader, the same code the browser runs), `typ` is `JWT` when present, `alg` is
//! RS256 (pinned: no HS256 with the public key as secret, no `none`), `azp` among the
//! authorized parties, the signature, then `exp`, `nbf` and `iat` with the clock skew.

use jsonwebtoken::{Algorithm, DecodingKey};
use yew_clerk_core::claims::SessionToken;

use crate::reason::Reason;

/// Default allowed clock difference between Clerk and this server (Clerk's 5 s).
pub const DEFAULT_CLOCK_SKEW_SECS: i64 = 5;

/// Why verification failed: a [`Reason`] and a message for people. The message never
/// contains the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}: {message}")]
pub struct VerifyError {
    /// Clerk's reason name.
    pub reason: Reason,
    /// What went wrong and what to do.
    pub message: String,
}

impl VerifyError {
    pub(crate) fn new(reason: Reason, message: impl Into<String>) -> Self {
        VerifyError {
            reason,
            message: message.into(),
        }
    }
}

/// The claim checks of a verification.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// Allowed `azp` values (page origins). Empty: `azp` is not checked (as in Clerk).
    pub authorized_parties: Vec<String>,
    /// Allowed clock skew for `exp`, `nbf` and `iat`, in seconds.
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

/// Decodes a JWT without verifying it (core's reader), mapping a malformed token to
/// [`Reason::TokenInvalid`].
pub fn decode(raw: &str) -> Result<SessionToken, VerifyError> {
    SessionToken::decode(raw).map_err(|e| VerifyError::new(Reason::TokenInvalid, e.to_string()))
}

/// The header checks that need no key: `typ` (when present) is `JWT` and `alg` is RS256.
/// Run before any key lookup so a forged header never costs a JWKS fetch.
pub fn check_header(token: &SessionToken) -> Result<(), VerifyError> {
    let header = token.header();
    if let Some(typ) = header.typ.as_deref() {
        if typ != "JWT" {
            return Err(VerifyError::new(
                Reason::TokenInvalid,
                format!("invalid JWT type {typ:?}; expected \"JWT\""),
            ));
        }
    }
    match header.alg.as_deref() {
        Some("RS256") => Ok(()),
        other => Err(VerifyError::new(
            Reason::TokenInvalidAlgorithm,
            format!(
                "invalid JWT algorithm {:?}; only RS256 is accepted",
                other.unwrap_or("")
            ),
        )),
    }
}

/// True when the RS256 signature of `raw` (`header.payload.signature`) verifies with `key`.
pub fn signature_is_valid(raw: &str, key: &DecodingKey) -> bool {
    let raw = raw.trim();
    let Some((message, signature)) = raw.rsplit_once('.') else {
        return false;
    };
    jsonwebtoken::crypto::verify(signature, message.as_bytes(), key, Algorithm::RS256)
        .unwrap_or(false)
}

/// Verifies a decoded token with `key` at `now` (seconds since the epoch): header, `azp`,
/// signature, then `exp`/`nbf`/`iat` with the clock skew.
pub fn verify_decoded(
    token: &SessionToken,
    key: &DecodingKey,
    options: &VerifyOptions,
    now: i64,
) -> Result<(), VerifyError> {
    check_header(token)?;
    let claims = token.claims();
    if claims.sub.is_empty() {
        return Err(VerifyError::new(
            Reason::TokenVerificationFailed,
            "subject claim (sub) is required and must be a non-empty string",
        ));
    }
    if let Some(azp) = claims.azp.as_deref() {
        if !options.authorized_parties.is_empty()
            && !options.authorized_parties.iter().any(|p| p == azp)
        {
            return Err(VerifyError::new(
                Reason::TokenInvalidAuthorizedParties,
                format!(
                    "invalid authorized party (azp) {azp:?}; expected one of {:?}",
                    options.authorized_parties
                ),
            ));
        }
    }
    if !signature_is_valid(token.raw(), key) {
        return Err(VerifyError::new(
            Reason::TokenInvalidSignature,
            "JWT signature is invalid",
        ));
    }
    check_times(token, options.clock_skew_secs, now)
}

/// `exp`, `nbf` and `iat` against `now` with `skew` seconds of tolerance.
pub fn check_times(token: &SessionToken, skew: i64, now: i64) -> Result<(), VerifyError> {
    let claims = token.claims();
    // Clerk: expired when `exp <= now - skew` (the boundary second is expired).
    if now >= claims.exp.saturating_add(skew) {
        return Err(VerifyError::new(
            Reason::TokenExpired,
            format!(
                "JWT is expired: expiry {}, now {now} (clock skew {skew} s)",
                claims.exp
            ),
        ));
    }
    if let Some(nbf) = claims.nbf {
        if nbf.saturating_sub(skew) > now {
            return Err(VerifyError::new(
                Reason::TokenNotActiveYet,
                format!("JWT cannot be used prior to not-before date {nbf}, now {now}"),
            ));
        }
    }
    if claims.iat.saturating_sub(skew) > now {
        return Err(VerifyError::new(
            Reason::TokenIatInTheFuture,
            format!(
                "JWT issued-at date {} is in the future, now {now}",
                claims.iat
            ),
        ));
    }
    Ok(())
}

/// Seconds since the Unix epoch (0 if the clock is before 1970).
pub(crate) fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
