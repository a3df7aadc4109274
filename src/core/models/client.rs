use serde::{Deserialize, Serialize};

use super::{null_as_default, Session};

/// The browser's client: all sessions signed in on this device plus in-progress sign-ins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Client {
    /// `client_...`
    pub id: String,
    /// Every session of the client, in any status.
    #[serde(default, deserialize_with = "null_as_default")]
    pub sessions: Vec<Session>,
    /// The session the user used last.
    #[serde(default)]
    pub last_active_session_id: Option<String>,
    /// The in-progress sign-in, if any (kept as raw JSON: the sign-in flow reads it).
    #[serde(default)]
    pub sign_in: Option<serde_json::Value>,
    /// The in-progress sign-up, if any.
    #[serde(default)]
    pub sign_up: Option<serde_json::Value>,
    /// Strategy of the last successful authentication (`password`, `email_code`, ...).
    #[serde(default)]
    pub last_authentication_strategy: Option<String>,
    /// When the `__client` cookie expires (ms).
    #[serde(default)]
    pub cookie_expires_at: Option<i64>,
    /// Whether the client may bypass CAPTCHA (testing tokens).
    #[serde(default)]
    pub captcha_bypass: bool,
    /// ms
    #[serde(default)]
    pub created_at: i64,
    /// ms
    #[serde(default)]
    pub updated_at: i64,
}

impl Client {
    /// Sessions that count as signed in (status `active` or `pending`), like clerk-js's
    /// `signedInSessions`.
    pub fn signed_in_sessions(&self) -> impl Iterator<Item = &Session> {
        self.sessions.iter().filter(|s| s.status.is_signed_in())
    }

    /// The session clerk-js would pick at load: `last_active_session_id` if it is signed in,
    /// else the first signed-in session.
    pub fn current_session(&self) -> Option<&Session> {
        let last = self.last_active_session_id.as_deref();
        self.signed_in_sessions()
            .find(|s| Some(s.id.as_str()) == last)
            .or_else(|| self.signed_in_sessions().next())
    }

    /// A session by id (any status).
    pub fn session(&self, id: &str) -> Option<&Session> {
        self.sessions.iter().find(|s| s.id == id)
    }
}
