//! Sign-up flow (`/v1/client/sign_ups`): create with email/password/names → prepare the email
//! verification (`email_code`) → attempt it with the code → the new session becomes current.

use serde::Deserialize;

use super::sign_in::{missing, null_as_empty};
use crate::client::clerk::Clerk;
use crate::client::Method;
use crate::core::models::Verification;
use crate::error::ClerkError;

/// Status of a sign-up. Open: an unknown status parses as `Other`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignUpStatus {
    /// Fields are missing or unverified (see `missing_fields` / `unverified_fields`).
    MissingRequirements,
    /// Done: `created_session_id` is the new session.
    Complete,
    /// Abandoned.
    Abandoned,
    /// A status this version does not know.
    #[serde(untagged)]
    Other(String),
}

/// Verifications of a sign-up's identifiers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct SignUpVerifications {
    /// The email address verification.
    #[serde(default)]
    pub email_address: Option<Verification>,
    /// The phone number verification.
    #[serde(default)]
    pub phone_number: Option<Verification>,
}

/// The sign-up resource (the fields a custom sign-up form needs).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SignUp {
    /// `sua_…`
    pub id: String,
    /// Where the sign-up stands.
    pub status: SignUpStatus,
    /// Required fields not given yet.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub missing_fields: Vec<String>,
    /// Given fields still to verify (`email_address`).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub unverified_fields: Vec<String>,
    /// Required fields of the instance.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub required_fields: Vec<String>,
    /// Verification states.
    #[serde(default)]
    pub verifications: Option<SignUpVerifications>,
    /// The email address given.
    #[serde(default)]
    pub email_address: Option<String>,
    /// The new user once complete.
    #[serde(default)]
    pub created_user_id: Option<String>,
    /// The new session once complete.
    #[serde(default)]
    pub created_session_id: Option<String>,
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

    async fn finish_sign_up(&self, sign_up: SignUp) -> Result<SignUp, ClerkError> {
        if sign_up.status == SignUpStatus::Complete {
            if let Some(sid) = sign_up.created_session_id.clone() {
                self.activate_new_session(sid).await?;
            }
        }
        Ok(sign_up)
    }
}
