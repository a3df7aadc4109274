//! Session reverification (`/v1/client/sessions/{id}/verify…`, clerk-js's
//! `session.startVerification` and `prepare/attempt{First,Second}FactorVerification`): the
//! signed-in user proves again who they are so that the session token's factor verification
//! ages (`fva`) become fresh and an action guarded by `has(Reverification)` or Clerk's
//! reverification error can go ahead.
//!
//! Steps: [`Clerk::session_verify_start`] (`needs_first_factor` or `needs_second_factor`) →
//! first factor (password, email or phone code) → second factor for `multi_factor` (TOTP,
//! phone code, backup code) → `complete`, after which the session token is refreshed (new
//! `fva`). Errors are [`ClerkError::Api`] with Clerk's codes: `form_password_incorrect`,
//! `form_code_incorrect`, `verification_expired`, `verification_failed`,
//! `verification_already_verified`, `resource_not_found` (no verification started, or
//! another session).
//!
//! Each step is its own function so an app that does not reverify carries none of it.

use crate::core::authorization::VerificationLevel;
use crate::core::json::{Fields, FromJson, JsonError, Value};
use crate::core::models::Verification;

use super::sign_in::{factor, missing, second_factor_phone, SecondFactorStrategy, SignInFactor};
use crate::client::clerk::Clerk;
use crate::client::{GetTokenOptions, Method};
use crate::error::ClerkError;

/// Where a session verification stands. Open: an unknown status parses as `Other`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SessionVerificationStatus {
    /// A first factor must be verified (see `supported_first_factors`).
    #[default]
    NeedsFirstFactor,
    /// A second factor must be verified (see `supported_second_factors`).
    NeedsSecondFactor,
    /// Done: the session's factor verification is fresh.
    Complete,
    /// A status this version does not know, as sent.
    Other(String),
}

/// The session verification resource (`Client.SessionReverification`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SessionVerification {
    /// Where it stands: which factor is still to verify, or `complete`.
    pub status: SessionVerificationStatus,
    /// The level being verified (`first_factor` for a user without a second factor, whatever
    /// was asked).
    pub level: String,
    /// First factors the user can verify with (`password`, `email_code`, `phone_code`).
    pub supported_first_factors: Vec<SignInFactor>,
    /// Second factors the user can verify with (`totp`, `phone_code`, `backup_code`).
    pub supported_second_factors: Vec<SignInFactor>,
    /// The first factor being verified (strategy, attempts, expiry); `None` until one is
    /// prepared or attempted. `expired` or `failed` mean: prepare a new code.
    pub first_factor_verification: Option<Verification>,
    /// The second factor being verified; `None` until one is prepared or attempted.
    /// `expired` or `failed` mean: prepare a new code, or use another factor.
    pub second_factor_verification: Option<Verification>,
}

impl SessionVerification {
    /// The first factor with this strategy, if the user has one.
    pub fn first_factor(&self, strategy: &str) -> Option<&SignInFactor> {
        factor(&self.supported_first_factors, strategy)
    }

    /// The second factor with this strategy, if the user has one.
    pub fn second_factor(&self, strategy: SecondFactorStrategy) -> Option<&SignInFactor> {
        factor(&self.supported_second_factors, strategy.as_str())
    }
}

/// A first factor to attempt.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum FirstFactorAttempt<'a> {
    /// The account password (no preparation).
    Password(&'a str),
    /// The emailed code (after [`Clerk::session_verify_prepare_first_factor`] with
    /// `email_code`).
    EmailCode(&'a str),
    /// The texted code (after preparing `phone_code`).
    PhoneCode(&'a str),
}

impl std::fmt::Debug for FirstFactorAttempt<'_> {
    // Never the secret itself.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FirstFactorAttempt::Password(_) => "Password(..)",
            FirstFactorAttempt::EmailCode(_) => "EmailCode(..)",
            FirstFactorAttempt::PhoneCode(_) => "PhoneCode(..)",
        })
    }
}

impl FromJson for SessionVerificationStatus {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        Ok(match String::from_json(value)?.as_str() {
            "needs_first_factor" => SessionVerificationStatus::NeedsFirstFactor,
            "needs_second_factor" => SessionVerificationStatus::NeedsSecondFactor,
            "complete" => SessionVerificationStatus::Complete,
            other => SessionVerificationStatus::Other(other.to_string()),
        })
    }
}

impl FromJson for SessionVerification {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(SessionVerification {
            status: f.req("status"),
            level: f.req("level"),
            supported_first_factors: f.opt("supported_first_factors"),
            supported_second_factors: f.opt("supported_second_factors"),
            first_factor_verification: f.opt("first_factor_verification"),
            second_factor_verification: f.opt("second_factor_verification"),
        })
    }
}

impl Clerk {
    /// The current session's id, or `NoSession` when signed out.
    fn verifying_session(&self) -> Result<String, ClerkError> {
        self.current_context()
            .map(|(sid, _)| sid)
            .ok_or_else(|| ClerkError::NoSession("no signed-in session to verify".into()))
    }

    async fn session_verify_step(
        &self,
        step: &str,
        params: &[(&str, &str)],
    ) -> Result<SessionVerification, ClerkError> {
        let sid = self.verifying_session()?;
        let path = format!("/v1/client/sessions/{sid}/verify{step}");
        let v: SessionVerification = self
            .request(Method::Post, &path, params)
            .await?
            .ok_or_else(|| missing(&path))?;
        if v.status == SessionVerificationStatus::Complete {
            // The new `fva` lives in a new token: fetch it now so `has()` and the retried
            // action see it (clerk-js's UI does this through `setActive`).
            self.get_token(GetTokenOptions {
                skip_cache: true,
                ..GetTokenOptions::default()
            })
            .await?;
        }
        Ok(v)
    }

    /// `POST /v1/client/sessions/{current}/verify` (`level`): starts a verification of the
    /// current session. A user without a second factor gets `first_factor` whatever the
    /// level.
    pub async fn session_verify_start(
        &self,
        level: VerificationLevel,
    ) -> Result<SessionVerification, ClerkError> {
        self.session_verify_step("", &[("level", level.as_str())])
            .await
    }

    /// Sends a first-factor code: `strategy` `email_code` (to the email address of that
    /// factor) or `phone_code` (its phone). [`ClerkError::FlowStep`] when the user has no such
    /// factor (nothing is sent).
    pub async fn session_verify_prepare_first_factor(
        &self,
        verification: &SessionVerification,
        strategy: &str,
    ) -> Result<SessionVerification, ClerkError> {
        let factor = verification.first_factor(strategy);
        let target = match strategy {
            "email_code" => factor
                .and_then(|f| f.email_address_id.as_deref())
                .map(|id| ("email_address_id", id)),
            "phone_code" => factor
                .and_then(|f| f.phone_number_id.as_deref())
                .map(|id| ("phone_number_id", id)),
            _ => None,
        };
        let Some(target) = target else {
            return Err(ClerkError::FlowStep(format!(
                "{strategy} is not a code factor of this account"
            )));
        };
        self.session_verify_step("/prepare_first_factor", &[("strategy", strategy), target])
            .await
    }

    /// Attempts the first factor. A wrong password is `form_password_incorrect`, a wrong
    /// code `form_code_incorrect` (try again), an old one `verification_expired` and too
    /// many wrong ones `verification_failed` (prepare again). On `complete` the session
    /// token is refreshed.
    pub async fn session_verify_attempt_first_factor(
        &self,
        attempt: FirstFactorAttempt<'_>,
    ) -> Result<SessionVerification, ClerkError> {
        let params = match attempt {
            FirstFactorAttempt::Password(p) => [("strategy", "password"), ("password", p)],
            FirstFactorAttempt::EmailCode(c) => [("strategy", "email_code"), ("code", c)],
            FirstFactorAttempt::PhoneCode(c) => [("strategy", "phone_code"), ("code", c)],
        };
        self.session_verify_step("/attempt_first_factor", &params)
            .await
    }

    /// Texts a second-factor code to the default (else first) `phone_code` second factor.
    pub async fn session_verify_prepare_second_factor(
        &self,
        verification: &SessionVerification,
    ) -> Result<SessionVerification, ClerkError> {
        let Some(phone_number_id) = second_factor_phone(&verification.supported_second_factors)
        else {
            return Err(ClerkError::FlowStep(
                "phone_code is not a second factor of this account".into(),
            ));
        };
        self.session_verify_step(
            "/prepare_second_factor",
            &[
                ("strategy", "phone_code"),
                ("phone_number_id", phone_number_id),
            ],
        )
        .await
    }

    /// Attempts the second factor (`totp`, `phone_code` after preparing, `backup_code`).
    /// Errors as for the first factor; on `complete` the session token is refreshed.
    pub async fn session_verify_attempt_second_factor(
        &self,
        strategy: SecondFactorStrategy,
        code: &str,
    ) -> Result<SessionVerification, ClerkError> {
        self.session_verify_step(
            "/attempt_second_factor",
            &[("strategy", strategy.as_str()), ("code", code)],
        )
        .await
    }
}
