//! Why a request is not signed in: Clerk's reason names (`AuthErrorReason` and
//! `TokenVerificationErrorReason` of `@clerk/backend`), one enum so a handler can match on it
//! and a JSON body can carry the same string Clerk's SDKs put in `x-clerk-auth-reason`.

use serde::{Serialize, Serializer};

/// A signed-out (or handshake) reason, serialized with Clerk's name (see [`Reason::as_str`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    // ---- request-level (AuthErrorReason) ----
    /// `__client_uat` says signed in but there is no `__session` cookie.
    ClientUatWithoutSessionToken,
    /// Development instance without a dev-browser token.
    DevBrowserMissing,
    /// Development: a `__clerk_db_jwt` query parameter must be synced by a handshake.
    DevBrowserSync,
    /// No `__session` cookie and no (or a zero) `__client_uat`: a visitor who never signed in.
    SessionTokenAndUatMissing,
    /// No session token at all (also: a handshake that set no `__session`).
    SessionTokenMissing,
    /// The session token has expired (needs a refresh).
    SessionTokenExpired,
    /// The token was minted before the client's last update (`iat < __client_uat`).
    SessionTokenIatBeforeClientUat,
    /// `nbf` is in the future.
    SessionTokenNbf,
    /// `iat` is in the future.
    SessionTokenIatInTheFuture,
    /// A `__session` cookie without `__client_uat`.
    SessionTokenWithoutClientUat,
    /// The session is `pending` (`sts: pending`, open session tasks): signed out unless the
    /// configuration accepts pending sessions (Clerk's `treatPendingAsSignedOut`).
    SessionPending,
    /// Anything else (a bug, or an input nothing else covers).
    UnexpectedError,
    // ---- token-level (TokenVerificationErrorReason) ----
    /// `exp` is in the past (beyond the clock skew).
    TokenExpired,
    /// Not a well-formed JWT (segments, base64url, JSON, required claims).
    TokenInvalid,
    /// `alg` is not RS256.
    TokenInvalidAlgorithm,
    /// `azp` is not one of the authorized parties.
    TokenInvalidAuthorizedParties,
    /// The signature does not verify.
    TokenInvalidSignature,
    /// `nbf` is in the future (beyond the clock skew).
    TokenNotActiveYet,
    /// `iat` is in the future (beyond the clock skew).
    TokenIatInTheFuture,
    /// The token failed another check (e.g. its `typ` is not `JWT`).
    TokenVerificationFailed,
    /// The PEM public key (`CLERK_JWT_KEY`) could not be read.
    JwkLocalMissing,
    /// The JWKS could not be fetched (network, timeout, non-2xx): an outage, not the caller's
    /// fault; `protect()` answers 503.
    JwkFailedToLoad,
    /// The JWKS was fetched but is not a usable JWKS document.
    JwkRemoteInvalid,
    /// The token's `kid` is not in the JWKS (even after a refetch).
    JwkKidMismatch,
    /// No way to get a key: neither a JWT key, a secret key, a publishable key nor a JWKS URL.
    JwkFailedToResolve,
}

impl Reason {
    /// Clerk's name for the reason (`session-token-expired`, `jwk-kid-mismatch`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::ClientUatWithoutSessionToken => "client-uat-but-no-session-token",
            Reason::DevBrowserMissing => "dev-browser-missing",
            Reason::DevBrowserSync => "dev-browser-sync",
            Reason::SessionTokenAndUatMissing => "session-token-and-uat-missing",
            Reason::SessionTokenMissing => "session-token-missing",
            Reason::SessionTokenExpired => "session-token-expired",
            Reason::SessionTokenIatBeforeClientUat => "session-token-iat-before-client-uat",
            Reason::SessionTokenNbf => "session-token-nbf",
            Reason::SessionTokenIatInTheFuture => "session-token-iat-in-the-future",
            Reason::SessionTokenWithoutClientUat => "session-token-but-no-client-uat",
            Reason::SessionPending => "session-pending",
            Reason::UnexpectedError => "unexpected-error",
            Reason::TokenExpired => "token-expired",
            Reason::TokenInvalid => "token-invalid",
            Reason::TokenInvalidAlgorithm => "token-invalid-algorithm",
            Reason::TokenInvalidAuthorizedParties => "token-invalid-authorized-parties",
            Reason::TokenInvalidSignature => "token-invalid-signature",
            Reason::TokenNotActiveYet => "token-not-active-yet",
            Reason::TokenIatInTheFuture => "token-iat-in-the-future",
            Reason::TokenVerificationFailed => "token-verification-failed",
            Reason::JwkLocalMissing => "jwk-local-missing",
            Reason::JwkFailedToLoad => "jwk-remote-failed-to-load",
            Reason::JwkRemoteInvalid => "jwk-remote-invalid",
            Reason::JwkKidMismatch => "jwk-kid-mismatch",
            Reason::JwkFailedToResolve => "jwk-failed-to-resolve",
        }
    }

    /// True when the reason is an outage of Clerk (JWKS unreachable or broken), not a problem
    /// of the request: retrying later may succeed; `protect()` answers 503.
    pub fn is_outage(self) -> bool {
        matches!(self, Reason::JwkFailedToLoad | Reason::JwkRemoteInvalid)
    }

    /// A token error that a handshake can fix by minting a fresh token (Clerk hands these
    /// to the handshake as `session-token-expired` / `-nbf` / `-iat-in-the-future`).
    pub(crate) fn to_handshake_reason(self) -> Option<Reason> {
        match self {
            Reason::TokenExpired => Some(Reason::SessionTokenExpired),
            Reason::TokenNotActiveYet => Some(Reason::SessionTokenNbf),
            Reason::TokenIatInTheFuture => Some(Reason::SessionTokenIatInTheFuture),
            _ => None,
        }
    }
}

// By hand so that Clerk's names live in one place ([`Reason::as_str`]).
impl Serialize for Reason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_clerks_name() {
        for (r, name) in [
            (
                Reason::ClientUatWithoutSessionToken,
                "client-uat-but-no-session-token",
            ),
            (
                Reason::SessionTokenIatBeforeClientUat,
                "session-token-iat-before-client-uat",
            ),
            (Reason::JwkFailedToLoad, "jwk-remote-failed-to-load"),
            (Reason::TokenExpired, "token-expired"),
        ] {
            assert_eq!(
                serde_json::to_value(r).ok(),
                Some(serde_json::Value::String(name.into()))
            );
        }
    }
}
