//! Sign-in flows (`/v1/client/sign_ins`): password, and email code (create → prepare first
//! factor → attempt first factor). A completed sign-in activates its new session.

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
    /// A status this version does not know.
    Other(String),
}

/// A factor the user may verify (`supported_first_factors` / `supported_second_factors`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInFactor {
    /// `password`, `email_code`, `phone_code`, `totp`, …
    pub strategy: String,
    /// The email address to send a code to (`email_code`, `email_link`).
    pub email_address_id: Option<String>,
    /// The phone number to send a code to (`phone_code`).
    pub phone_number_id: Option<String>,
    /// A masked identifier to show (`a***@example.com`).
    pub safe_identifier: Option<String>,
    /// Whether it is the user's primary identifier.
    pub primary: Option<bool>,
}

/// The sign-in resource (the fields a custom sign-in form needs).
#[derive(Debug, Clone, PartialEq)]
pub struct SignIn {
    /// `sia_…`
    pub id: String,
    /// Where the attempt stands.
    pub status: SignInStatus,
    /// The identifier given.
    pub identifier: Option<String>,
    /// First factors the user can use.
    pub supported_first_factors: Vec<SignInFactor>,
    /// Second factors the user can use.
    pub supported_second_factors: Vec<SignInFactor>,
    /// State of the first-factor verification.
    pub first_factor_verification: Option<Verification>,
    /// State of the second-factor verification.
    pub second_factor_verification: Option<Verification>,
    /// The new session once `status` is `complete`.
    pub created_session_id: Option<String>,
}

impl SignIn {
    /// The first factor with this strategy, if the user has one.
    pub fn first_factor(&self, strategy: &str) -> Option<&SignInFactor> {
        self.supported_first_factors
            .iter()
            .find(|f| f.strategy == strategy)
    }
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
            return Err(ClerkError::Config(format!(
                "email code sign-in is not available for this account (first factors: {})",
                sign_in
                    .supported_first_factors
                    .iter()
                    .map(|f| f.strategy.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
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
            }
        }
        Ok(sign_in)
    }
}
