//! Sign-in flows (`/v1/client/sign_ins`): password; email or phone code (create → prepare
//! first factor → attempt first factor); reset password (`reset_password_email_code` →
//! `needs_new_password` → `reset_password`); and the second factor of users with MFA
//! (`needs_second_factor` → TOTP, phone code or backup code). A completed sign-in activates
//! its new session.
//!
//! Each flow is its own function so an app that does not call it carries none of its code.

use crate::core::json::{Fields, FromJson, JsonError, Value};

use crate::client::clerk::Clerk;
use crate::client::Method;
use crate::core::models::Verification;
use crate::error::ClerkError;

/// Status of a sign-in attempt. Open: an unknown status parses as `Other`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInStatus {
    /// The identifier is still missing.
    NeedsIdentifier,
    /// A first factor (password, email code, …) must be verified.
    NeedsFirstFactor,
    /// A second factor (TOTP, SMS code, backup code) must be verified.
    NeedsSecondFactor,
    /// The user must set a new password.
    NeedsNewPassword,
    /// Done: `created_session_id` is the new session.
    Complete,
    /// A status this version has no flow for, as sent (e.g. `needs_client_trust`,
    /// `needs_protect_check`, `abandoned`).
    Other(String),
}

/// A factor the user may verify (`supported_first_factors` / `supported_second_factors`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInFactor {
    /// How the factor is verified: first factors `password`, `email_code`, `email_link`,
    /// `phone_code`, `reset_password_email_code`, `oauth_<provider>`, `passkey`, …; second
    /// factors `totp`, `phone_code`, `backup_code`.
    pub strategy: String,
    /// Id (`idn_…`) of the email address a code or link goes to (`email_code`, `email_link`,
    /// `reset_password_email_code`): what preparing the factor sends.
    pub email_address_id: Option<String>,
    /// Id (`idn_…`) of the phone number a code is texted to (`phone_code`).
    pub phone_number_id: Option<String>,
    /// The address or number, partly masked for display (`a***@example.com`, `+1*****0100`);
    /// `None` for factors without one (`password`, `totp`).
    pub safe_identifier: Option<String>,
    /// Whether the factor's email address or phone number is the user's primary one; `None` when not sent.
    pub primary: Option<bool>,
    /// Second factors: whether it is the one to offer first when the user has several;
    /// `None` when not sent.
    pub default: Option<bool>,
}

/// The sign-in resource (the fields a custom sign-in form needs).
#[derive(Debug, Clone, PartialEq)]
pub struct SignIn {
    /// Sign-in attempt id (`sia_…`), named by every later step.
    pub id: String,
    /// Where the attempt stands.
    pub status: SignInStatus,
    /// The identifier the user gave (email address, phone number or username), as given;
    /// `None` until one is (an OAuth sign-in may never have one).
    pub identifier: Option<String>,
    /// How this user can pass the first factor, known once the identifier is (empty before);
    /// [`SignIn::first_factor`] picks one by strategy.
    pub supported_first_factors: Vec<SignInFactor>,
    /// How this user can pass the second factor, filled at `needs_second_factor` (empty
    /// before); [`SignIn::second_factor`] picks one.
    pub supported_second_factors: Vec<SignInFactor>,
    /// The first factor being verified (strategy, attempts, expiry); `None` until one is
    /// prepared or attempted. `expired` or `failed` mean: prepare a new code.
    pub first_factor_verification: Option<Verification>,
    /// The second factor being verified; `None` until one is prepared or attempted.
    /// `expired` or `failed` mean: prepare a new code, or use another factor.
    pub second_factor_verification: Option<Verification>,
    /// The new session's id, set only once `status` is `complete` (the flow functions then
    /// make it current).
    pub created_session_id: Option<String>,
}

/// A second factor a user with MFA can verify at `needs_second_factor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactorStrategy {
    /// A code from an authenticator app (RFC 6238).
    Totp,
    /// A code texted to the user's second-factor phone (send it first with
    /// [`Clerk::sign_in_prepare_phone_code_second_factor`]).
    PhoneCode,
    /// One of the user's single-use backup codes.
    BackupCode,
}

impl SecondFactorStrategy {
    /// The wire name (`totp`, `phone_code`, `backup_code`).
    pub fn as_str(self) -> &'static str {
        match self {
            SecondFactorStrategy::Totp => "totp",
            SecondFactorStrategy::PhoneCode => "phone_code",
            SecondFactorStrategy::BackupCode => "backup_code",
        }
    }
}

impl SignIn {
    /// The first factor with this strategy, if the user has one.
    pub fn first_factor(&self, strategy: &str) -> Option<&SignInFactor> {
        factor(&self.supported_first_factors, strategy)
    }

    /// The second factor with this strategy, if the user has one (at `needs_second_factor`).
    pub fn second_factor(&self, strategy: SecondFactorStrategy) -> Option<&SignInFactor> {
        factor(&self.supported_second_factors, strategy.as_str())
    }
}

/// The factor of `factors` with this strategy (the lookup of sign-ins and session
/// verifications, which list factors alike).
pub(crate) fn factor<'a>(factors: &'a [SignInFactor], strategy: &str) -> Option<&'a SignInFactor> {
    factors.iter().find(|f| f.strategy == strategy)
}

/// The phone to text a second-factor code to: that of the default `phone_code` factor of
/// `factors`, else of the first one (sign-ins and session verifications alike).
pub(crate) fn second_factor_phone(factors: &[SignInFactor]) -> Option<&str> {
    let phones = || {
        factors
            .iter()
            .filter(|f| f.strategy == SecondFactorStrategy::PhoneCode.as_str())
    };
    phones()
        .find(|f| f.default == Some(true))
        .or_else(|| phones().next())
        .and_then(|f| f.phone_number_id.as_deref())
}

/// "This account cannot use `strategy`": the factors it can use, so the form can offer them.
fn factor_unavailable(strategy: &str, factors: &[SignInFactor]) -> ClerkError {
    ClerkError::FlowStep(format!(
        "{strategy} is not available for this account (factors: {})",
        factors
            .iter()
            .map(|f| f.strategy.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// A 2xx envelope without a resource (should not happen; reported, not panicked on).
pub(crate) fn missing(path: &str) -> ClerkError {
    ClerkError::MalformedResponse {
        url: path.to_string(),
        message: "the response carries no resource".into(),
    }
}

/// An empty `Other` (only used as the placeholder of a sign-in that failed to parse).
impl Default for SignInStatus {
    fn default() -> Self {
        SignInStatus::Other(String::new())
    }
}

impl FromJson for SignInStatus {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        Ok(match String::from_json(value)?.as_str() {
            "needs_identifier" => SignInStatus::NeedsIdentifier,
            "needs_first_factor" => SignInStatus::NeedsFirstFactor,
            "needs_second_factor" => SignInStatus::NeedsSecondFactor,
            "needs_new_password" => SignInStatus::NeedsNewPassword,
            "complete" => SignInStatus::Complete,
            other => SignInStatus::Other(other.to_string()),
        })
    }
}

impl FromJson for SignInFactor {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(SignInFactor {
            strategy: f.req("strategy"),
            email_address_id: f.opt("email_address_id"),
            phone_number_id: f.opt("phone_number_id"),
            safe_identifier: f.opt("safe_identifier"),
            primary: f.opt("primary"),
            default: f.opt("default"),
        })
    }
}

impl FromJson for SignIn {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(SignIn {
            id: f.req("id"),
            status: f.req("status"),
            identifier: f.opt("identifier"),
            supported_first_factors: f.opt("supported_first_factors"),
            supported_second_factors: f.opt("supported_second_factors"),
            first_factor_verification: f.opt("first_factor_verification"),
            second_factor_verification: f.opt("second_factor_verification"),
            created_session_id: f.opt("created_session_id"),
        })
    }
}

impl Clerk {
    /// `POST /v1/client/sign_ins` with any create parameters (`identifier`, `password`,
    /// `strategy`, …). Activates the session when the sign-in completes at once.
    pub async fn sign_in_create(&self, params: &[(&str, &str)]) -> Result<SignIn, ClerkError> {
        let path = "/v1/client/sign_ins";
        let sign_in: SignIn = self
            .request(Method::Post, path, params)
            .await?
            .ok_or_else(|| missing(path))?;
        self.finish_sign_in(sign_in).await
    }

    /// Password sign-in in one request (`strategy=password`). Wrong credentials come back
    /// as [`ClerkError::Api`] with codes such as `form_password_incorrect` or
    /// `form_identifier_not_found`. On `complete` the new session becomes current.
    pub async fn sign_in_with_password(
        &self,
        identifier: &str,
        password: &str,
    ) -> Result<SignIn, ClerkError> {
        self.sign_in_create(&[
            ("identifier", identifier),
            ("password", password),
            ("strategy", "password"),
        ])
        .await
    }

    /// Starts an email-code sign-in: creates the sign-in for `identifier`, then sends the
    /// code to the email address of its `email_code` factor. Returns the sign-in (status
    /// `needs_first_factor`); finish with [`Clerk::sign_in_attempt_email_code`].
    pub async fn sign_in_with_email_code(&self, identifier: &str) -> Result<SignIn, ClerkError> {
        let sign_in = self.sign_in_create(&[("identifier", identifier)]).await?;
        let Some(email_address_id) = sign_in
            .first_factor("email_code")
            .and_then(|f| f.email_address_id.clone())
        else {
            return Err(factor_unavailable(
                "email_code",
                &sign_in.supported_first_factors,
            ));
        };
        self.sign_in_prepare_first_factor(
            &sign_in.id,
            &[
                ("strategy", "email_code"),
                ("email_address_id", &email_address_id),
            ],
        )
        .await
    }

    /// Starts a phone-code sign-in: creates the sign-in for `identifier` (a phone number,
    /// email address or username), then texts a code to the phone number of its
    /// `phone_code` factor. Finish with [`Clerk::sign_in_attempt_phone_code`].
    pub async fn sign_in_with_phone_code(&self, identifier: &str) -> Result<SignIn, ClerkError> {
        let sign_in = self.sign_in_create(&[("identifier", identifier)]).await?;
        let Some(phone_number_id) = sign_in
            .first_factor("phone_code")
            .and_then(|f| f.phone_number_id.clone())
        else {
            return Err(factor_unavailable(
                "phone_code",
                &sign_in.supported_first_factors,
            ));
        };
        self.sign_in_prepare_first_factor(
            &sign_in.id,
            &[
                ("strategy", "phone_code"),
                ("phone_number_id", &phone_number_id),
            ],
        )
        .await
    }

    /// Verifies the texted code (`form_code_incorrect` on a wrong code,
    /// `verification_expired` on an old one: send a new one with
    /// [`Clerk::sign_in_prepare_first_factor`]).
    pub async fn sign_in_attempt_phone_code(
        &self,
        sign_in_id: &str,
        code: &str,
    ) -> Result<SignIn, ClerkError> {
        self.sign_in_attempt_first_factor(sign_in_id, &[("strategy", "phone_code"), ("code", code)])
            .await
    }

    /// "Forgot password?": creates a sign-in for `identifier` with the
    /// `reset_password_email_code` strategy, which emails a reset code in the same request.
    /// Then [`Clerk::sign_in_attempt_reset_password_email_code`] and
    /// [`Clerk::sign_in_reset_password`].
    pub async fn sign_in_reset_password_email_code(
        &self,
        identifier: &str,
    ) -> Result<SignIn, ClerkError> {
        self.sign_in_create(&[
            ("identifier", identifier),
            ("strategy", "reset_password_email_code"),
        ])
        .await
    }

    /// Verifies the emailed reset code; the sign-in then stands at `needs_new_password`.
    pub async fn sign_in_attempt_reset_password_email_code(
        &self,
        sign_in_id: &str,
        code: &str,
    ) -> Result<SignIn, ClerkError> {
        self.sign_in_attempt_first_factor(
            sign_in_id,
            &[("strategy", "reset_password_email_code"), ("code", code)],
        )
        .await
    }

    /// `POST /v1/client/sign_ins/{id}/reset_password` at `needs_new_password`: sets the new
    /// password (too short: `form_password_length_too_short`, the sign-in stays where it
    /// was), optionally signing the user out everywhere else. The sign-in then completes
    /// (its session becomes current) or asks for the second factor.
    pub async fn sign_in_reset_password(
        &self,
        sign_in_id: &str,
        password: &str,
        sign_out_of_other_sessions: bool,
    ) -> Result<SignIn, ClerkError> {
        let path = format!("/v1/client/sign_ins/{sign_in_id}/reset_password");
        let sign_out = if sign_out_of_other_sessions {
            "true"
        } else {
            "false"
        };
        let sign_in: SignIn = self
            .request(
                Method::Post,
                &path,
                &[
                    ("password", password),
                    ("sign_out_of_other_sessions", sign_out),
                ],
            )
            .await?
            .ok_or_else(|| missing(&path))?;
        self.finish_sign_in(sign_in).await
    }

    /// Sends a new code for the first factor `sign_in` is verifying (`email_code`,
    /// `phone_code` or `reset_password_email_code`), to the same address or number: the way
    /// back from `verification_expired` or `verification_failed` on the same sign-in.
    pub async fn sign_in_resend_first_factor_code(
        &self,
        sign_in: &SignIn,
    ) -> Result<SignIn, ClerkError> {
        let strategy = sign_in
            .first_factor_verification
            .as_ref()
            .and_then(|v| v.strategy.as_deref())
            .unwrap_or_default();
        let factor = sign_in.first_factor(strategy);
        let target = match strategy {
            "email_code" | "reset_password_email_code" => factor
                .and_then(|f| f.email_address_id.as_deref())
                .map(|id| ("email_address_id", id)),
            "phone_code" => factor
                .and_then(|f| f.phone_number_id.as_deref())
                .map(|id| ("phone_number_id", id)),
            _ => None,
        };
        let Some(target) = target else {
            return Err(ClerkError::FlowStep(
                "no code to send again: the sign-in is not verifying an email or phone code".into(),
            ));
        };
        self.sign_in_prepare_first_factor(&sign_in.id, &[("strategy", strategy), target])
            .await
    }

    /// `POST /v1/client/sign_ins/{id}/prepare_second_factor` (`strategy=phone_code` and
    /// `phone_number_id`).
    pub async fn sign_in_prepare_second_factor(
        &self,
        sign_in_id: &str,
        params: &[(&str, &str)],
    ) -> Result<SignIn, ClerkError> {
        let path = format!("/v1/client/sign_ins/{sign_in_id}/prepare_second_factor");
        self.request(Method::Post, &path, params)
            .await?
            .ok_or_else(|| missing(&path))
    }

    /// Texts a second-factor code to the phone of `sign_in`'s `phone_code` second factor
    /// (the default one when there are several).
    pub async fn sign_in_prepare_phone_code_second_factor(
        &self,
        sign_in: &SignIn,
    ) -> Result<SignIn, ClerkError> {
        let Some(phone_number_id) = second_factor_phone(&sign_in.supported_second_factors) else {
            return Err(factor_unavailable(
                "phone_code",
                &sign_in.supported_second_factors,
            ));
        };
        self.sign_in_prepare_second_factor(
            &sign_in.id,
            &[
                ("strategy", "phone_code"),
                ("phone_number_id", phone_number_id),
            ],
        )
        .await
    }

    /// `POST /v1/client/sign_ins/{id}/attempt_second_factor` with `strategy` and `code`.
    /// Completes the sign-in (its session becomes current). A wrong code is
    /// `form_code_incorrect`; too many are `verification_failed` (send a new phone code or
    /// use another factor); an old phone code is `verification_expired`.
    pub async fn sign_in_attempt_second_factor(
        &self,
        sign_in_id: &str,
        strategy: SecondFactorStrategy,
        code: &str,
    ) -> Result<SignIn, ClerkError> {
        let path = format!("/v1/client/sign_ins/{sign_in_id}/attempt_second_factor");
        let sign_in: SignIn = self
            .request(
                Method::Post,
                &path,
                &[("strategy", strategy.as_str()), ("code", code)],
            )
            .await?
            .ok_or_else(|| missing(&path))?;
        self.finish_sign_in(sign_in).await
    }

    /// `POST /v1/client/sign_ins/{id}/prepare_first_factor` (e.g. `strategy=email_code` and
    /// `email_address_id`).
    pub async fn sign_in_prepare_first_factor(
        &self,
        sign_in_id: &str,
        params: &[(&str, &str)],
    ) -> Result<SignIn, ClerkError> {
        let path = format!("/v1/client/sign_ins/{sign_in_id}/prepare_first_factor");
        self.request(Method::Post, &path, params)
            .await?
            .ok_or_else(|| missing(&path))
    }

    /// `POST /v1/client/sign_ins/{id}/attempt_first_factor`; activates the session when the
    /// sign-in completes.
    pub async fn sign_in_attempt_first_factor(
        &self,
        sign_in_id: &str,
        params: &[(&str, &str)],
    ) -> Result<SignIn, ClerkError> {
        let path = format!("/v1/client/sign_ins/{sign_in_id}/attempt_first_factor");
        let sign_in: SignIn = self
            .request(Method::Post, &path, params)
            .await?
            .ok_or_else(|| missing(&path))?;
        self.finish_sign_in(sign_in).await
    }

    /// Verifies the emailed code (`form_code_incorrect` on a wrong code).
    pub async fn sign_in_attempt_email_code(
        &self,
        sign_in_id: &str,
        code: &str,
    ) -> Result<SignIn, ClerkError> {
        self.sign_in_attempt_first_factor(sign_in_id, &[("strategy", "email_code"), ("code", code)])
            .await
    }

    async fn finish_sign_in(&self, sign_in: SignIn) -> Result<SignIn, ClerkError> {
        if sign_in.status == SignInStatus::Complete {
            if let Some(sid) = sign_in.created_session_id.clone() {
                self.activate_new_session(sid).await?;
                self.redirect_after_flow(crate::client::AuthFlow::SignIn);
            }
        }
        Ok(sign_in)
    }
}
