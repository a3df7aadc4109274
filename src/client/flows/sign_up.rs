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
    /// Left unfinished too long: Clerk gave it up; start a new sign-up.
    Abandoned,
    /// A status this version does not know, as sent.
    Other(String),
}

/// Verifications of a sign-up's identifiers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignUpVerifications {
    /// Verification of the sign-up's email address (`email_code`, `email_link`, or
    /// `from_oauth_<provider>` after OAuth); `None` until prepared.
    pub email_address: Option<Verification>,
    /// Verification of the sign-up's phone number (`phone_code`); `None` until prepared.
    pub phone_number: Option<Verification>,
    /// The OAuth verification of a sign-up by redirect (`oauth_google`, ...): its
    /// `external_verification_redirect_url`, then `verified`, `transferable` or `failed`.
    pub external_account: Option<Verification>,
}

/// The sign-up resource (the fields a custom sign-up form needs).
#[derive(Debug, Clone, PartialEq)]
pub struct SignUp {
    /// Sign-up attempt id (`sua_…`), named by every later step.
    pub id: String,
    /// Where the sign-up stands.
    pub status: SignUpStatus,
    /// Required fields not given yet (`first_name`, `password`, `username`,
    /// `legal_accepted`, …): the sign-up cannot complete without them.
    pub missing_fields: Vec<String>,
    /// Given identifiers still to verify (`email_address`, `phone_number`): prepare, then
    /// attempt, their verification.
    pub unverified_fields: Vec<String>,
    /// Every field the instance requires of a sign-up, given or not; what is left is
    /// `missing_fields` plus `unverified_fields`.
    pub required_fields: Vec<String>,
    /// The verification of each identifier; `None` when not sent.
    pub verifications: Option<SignUpVerifications>,
    /// The email address given, as Clerk stored it; `None` when none was.
    pub email_address: Option<String>,
    /// The new user's id (`user_…`), set only once `status` is `complete`.
    pub created_user_id: Option<String>,
    /// The new session's id, set only once `status` is `complete` (the flow functions then
    /// make it current).
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
///
/// `Debug` shows whether a password is set, never the password itself.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SignUpParams {
    /// The email address to sign up with; verify it next with an emailed code.
    pub email_address: Option<String>,
    /// The password; refused when too short (`form_password_length_too_short`) or found in
    /// data breaches (`form_password_pwned`).
    pub password: Option<String>,
    /// First name, when the instance collects names.
    pub first_name: Option<String>,
    /// Last name, when the instance collects names.
    pub last_name: Option<String>,
    /// Username, when the instance has usernames turned on.
    pub username: Option<String>,
}

impl std::fmt::Debug for SignUpParams {
    // The password is a secret: `{:?}` of the params (a log line, an error report) must not
    // carry it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignUpParams")
            .field("email_address", &self.email_address)
            .field("password", &self.password.as_ref().map(|_| Redacted))
            .field("first_name", &self.first_name)
            .field("last_name", &self.last_name)
            .field("username", &self.username)
            .finish()
    }
}

/// Shown as `..` in place of a secret.
struct Redacted;

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("..")
    }
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
