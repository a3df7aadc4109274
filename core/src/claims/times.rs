//! The plausibility rule for token times and the expiry arithmetic of [`SessionClaims`]:
//! every computation saturates instead of overflowing (times come from cookies and other tabs).

use super::SessionClaims;

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
    /// [`SessionToken::decode`](super::SessionToken::decode) does not apply it (it reads any
    /// integer), so that the browser client and the server decide alike by calling this one
    /// rule on anything they did not mint themselves (other tabs, cookies, `Authorization`
    /// headers). Expiry is not part of it: use [`SessionClaims::is_expired`]. `fva` is checked
    /// where it is used (`has()` fails closed on ages below -1).
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
}
