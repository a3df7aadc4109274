//! Sign-up flow (`/v1/client/sign_ups`): create with email/password/names → prepare the email
//! verification (`email_code`) → attempt it with the code → the new session becomes current.

use crate::core::json::{Fields, FromJson, JsonError, Value};

use super::sign_in::missing;
use crate::client::clerk::Clerk;
use crate::client::Method;
use crate::core::models::Verification;
use crate::error::ClerkError;

/// Status of a sign-up. Open: an unknown status parses as `Other`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignUpStatus {
    /// Fields are missing or unverified (see `missing_fields` / `unverified_fields`).
    MissingRequirements,
    /// Done: `created_session_id` is the new session.
    Complete,
    /// Abandoned.
    Abandoned,
    /// A status this version does not know.
    Other(String),
}

/// Verifications of a sign-up's identifiers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignUpVerifications {
    /// The email address verification.
    pub email_address: Option<Verification>,
    /// The phone number verification.
    pub phone_number: Option<Verification>,
    /// The OAuth verification of a sign-up by redirect (`oauth_google`, ...): its
    /// `external_verification_redirect_url`, then `verified`, `transferable` or `failed`.
    pub external_account: Option<Verification>,
}

/// The sign-up resource (the fields a custom sign-up form needs).
#[derive(Debug, Clone, PartialEq)]
pub struct SignUp {
    /// `sua_…`
    pub id: String,
    /// Where the sign-up stands.
    pub status: SignUpStatus,
    /// Required fields not given yet.
    pub missing_fields: Vec<String>,
    /// Given fields still to verify (`email_address`).
    pub unverified_fields: Vec<String>,
    /// Required fields of the instance.
    pub required_fields: Vec<String>,
    /// Verification states.
    pub verifications: Option<SignUpVerifications>,
    /// The email address given.
    pub email_address: Option<String>,
    /// The new user once complete.
    pub created_user_id: Option<String>,
    /// The new session once complete.
    pub created_session_id: Option<String>,
}

/// An empty `Other` (only used as the placeholder of a sign-up that failed to parse).
impl Default for SignUpStatus {
    fn default() -> Self {
        SignUpStatus::Other(String::new())
    }
}

impl FromJson for SignUpStatus {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        Ok(match String::from_json(value)?.as_str() {
            "missing_requirements" => SignUpStatus::MissingRequirements,
            "complete" => SignUpStatus::Complete,
            "abandoned" => SignUpStatus::Abandoned,
            other => SignUpStatus::Other(other.to_string()),
        })
    }
}

impl FromJson for SignUpVerifications {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(SignUpVerifications {
            email_address: f.opt("email_address"),
            phone_number: f.opt("phone_number"),
            external_account: f.opt("external_account"),
        })
    }
}

impl FromJson for SignUp {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(SignUp {
            id: f.req("id"),
            status: f.req("status"),
            missing_fields: f.opt("missing_fields"),
            unverified_fields: f.opt("unverified_fields"),
            required_fields: f.opt("required_fields"),
            verifications: f.opt("verifications"),
            email_address: f.opt("email_address"),
            created_user_id: f.opt("created_user_id"),
            created_session_id: f.opt("created_session_id"),
        })
    }
}

/// Parameters of [`Clerk::sign_up_create`]; `None` fields are not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignUpParams {
    /// Email address.
    pub email_address: Option<String>,
    /// Password.
    pub password: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Username.
    pub username: Option<String>,
}

impl Clerk {
    /// `POST /v1/client/sign_ups`. Errors such as `form_identifier_exists` or
    /// `form_password_pwned` come back as [`ClerkError::Api`] (see `.code()` and the
    /// error's `meta.param_name`).
    pub async fn sign_up_create(&self, params: &SignUpParams) -> Result<SignUp, ClerkError> {
        let fields = [
            ("email_address", &params.email_address),
            ("password", &params.password),
            ("first_name", &params.first_name),
            ("last_name", &params.last_name),
            ("username", &params.username),
        ];
        let form: Vec<(&str, &str)> = fields
            .iter()
            .filter_map(|(k, v)| v.as_deref().map(|v| (*k, v)))
            .collect();
        let path = "/v1/client/sign_ups";
        let sign_up: SignUp = self
            .request(Method::Post, path, &form)
            .await?
            .ok_or_else(|| missing(path))?;
        self.finish_sign_up(sign_up).await
    }

    /// Sends the email verification code (`prepare_verification`, `strategy=email_code`).
    pub async fn sign_up_prepare_email_code(&self, sign_up_id: &str) -> Result<SignUp, ClerkError> {
        let path = format!("/v1/client/sign_ups/{sign_up_id}/prepare_verification");
        self.request(Method::Post, &path, &[("strategy", "email_code")])
            .await?
            .ok_or_else(|| missing(&path))
    }

    /// Verifies the emailed code (`attempt_verification`); when that completes the sign-up,
    /// the new session becomes current.
    pub async fn sign_up_attempt_email_code(
        &self,
        sign_up_id: &str,
        code: &str,
    ) -> Result<SignUp, ClerkError> {
        let path = format!("/v1/client/sign_ups/{sign_up_id}/attempt_verification");
        let sign_up: SignUp = self
            .request(
                Method::Post,
                &path,
                &[("strategy", "email_code"), ("code", code)],
            )
            .await?
            .ok_or_else(|| missing(&path))?;
        self.finish_sign_up(sign_up).await
    }

    pub(crate) async fn finish_sign_up(&self, sign_up: SignUp) -> Result<SignUp, ClerkError> {
        if sign_up.status == SignUpStatus::Complete {
            if let Some(sid) = sign_up.created_session_id.clone() {
                self.activate_new_session(sid).await?;
                self.redirect_after_flow(crate::client::AuthFlow::SignUp);
            }
        }
        Ok(sign_up)
    }
}
