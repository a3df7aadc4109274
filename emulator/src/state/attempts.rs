//! Sign-in and sign-up attempts and their code verifications.

use serde_json::Value;

use super::{new_id, now_ms, Store, ATTEMPT_MS};

/// A one-time-code verification (sign-in first factor or sign-up email).
#[derive(Debug, Clone)]
pub struct Verification {
    /// `password`, `email_code`, `phone_code`, `reset_password_email_code`, `totp`,
    /// `backup_code`.
    pub strategy: String,
    /// `unverified`, `verified`, `failed`, `expired`.
    pub status: String,
    /// Attempts so far.
    pub attempts: Option<i64>,
    /// Expiry, ms.
    pub expire_at: i64,
    /// Pending code for `email_code`.
    pub code: Option<String>,
}

/// A sign-in attempt.
#[derive(Debug, Clone)]
pub struct SignIn {
    /// `sia_…`
    pub id: String,
    /// Owning client.
    pub client_id: String,
    /// `needs_identifier`, `needs_first_factor`, `needs_second_factor`,
    /// `needs_new_password`, `complete`.
    pub status: String,
    /// Identifier as given.
    pub identifier: Option<String>,
    /// Resolved user.
    pub user_id: Option<String>,
    /// First factor verification.
    pub first_factor: Option<Verification>,
    /// Second factor verification (`totp`, `phone_code`, `backup_code`).
    pub second_factor: Option<Verification>,
    /// Session created on completion.
    pub created_session_id: Option<String>,
    /// Abandon time, ms.
    pub abandon_at: i64,
    /// OAuth first factor (`strategy=oauth_*`), see `routes/oauth.rs`.
    pub oauth: Option<crate::routes::oauth::OAuthVerification>,
}

/// A sign-up attempt.
#[derive(Debug, Clone)]
pub struct SignUp {
    /// `sua_…`
    pub id: String,
    /// Owning client.
    pub client_id: String,
    /// `missing_requirements` or `complete`.
    pub status: String,
    /// Email address.
    pub email: Option<String>,
    /// Password.
    pub password: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Username.
    pub username: Option<String>,
    /// `unsafe_metadata`.
    pub unsafe_metadata: Value,
    /// Email verification.
    pub email_verification: Option<Verification>,
    /// User created on completion.
    pub created_user_id: Option<String>,
    /// Session created on completion.
    pub created_session_id: Option<String>,
    /// Abandon time, ms.
    pub abandon_at: i64,
    /// External account verification (`strategy=oauth_*`), see `routes/oauth.rs`.
    pub oauth: Option<crate::routes::oauth::OAuthVerification>,
}

impl SignIn {
    /// A new sign-in of `client_id` that knows nothing yet (`needs_identifier`), abandoned
    /// after [`ATTEMPT_MS`].
    pub fn new(client_id: &str) -> SignIn {
        SignIn {
            id: new_id("sia"),
            client_id: client_id.to_string(),
            status: "needs_identifier".into(),
            identifier: None,
            user_id: None,
            first_factor: None,
            second_factor: None,
            created_session_id: None,
            abandon_at: now_ms() + ATTEMPT_MS,
            oauth: None,
        }
    }
}

impl SignUp {
    /// A new, empty sign-up of `client_id` (`missing_requirements`), abandoned after
    /// [`ATTEMPT_MS`].
    pub fn new(client_id: &str) -> SignUp {
        SignUp {
            id: new_id("sua"),
            client_id: client_id.to_string(),
            status: "missing_requirements".into(),
            email: None,
            password: None,
            first_name: None,
            last_name: None,
            username: None,
            unsafe_metadata: Value::Object(serde_json::Map::new()),
            email_verification: None,
            created_user_id: None,
            created_session_id: None,
            abandon_at: now_ms() + ATTEMPT_MS,
            oauth: None,
        }
    }
}

impl Store {
    /// Stores a new sign-in; returns its id.
    pub fn add_sign_in(&mut self, si: SignIn) -> String {
        let id = si.id.clone();
        self.sign_ins.insert(id.clone(), si);
        id
    }

    /// Stores a new sign-up; returns its id.
    pub fn add_sign_up(&mut self, su: SignUp) -> String {
        let id = su.id.clone();
        self.sign_ups.insert(id.clone(), su);
        id
    }

    /// Remembers the last email code sent to an address (readable via the control API).
    pub fn remember_code(&mut self, email: &str, code: &str) {
        self.codes
            .insert(email.trim().to_lowercase(), code.to_string());
    }
}
