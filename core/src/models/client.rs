use std::rc::Rc;

use super::Session;
use crate::json::{Fields, FromJson, JsonError, Value};

/// The browser's client: all sessions signed in on this device plus in-progress sign-ins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Client {
    /// Client id (`client_...`): one per browser, carried by the `__client` cookie (or the dev
    /// browser in development).
    pub id: String,
    /// Every session of the client, in any status. Each is behind an `Rc`: the browser
    /// library hands the current session to the UI and keeps an unchanged session's `Rc`
    /// across re-reads, so "did it change" is a pointer comparison (build one with
    /// `Rc::new(session)` or `session.into()`). This makes `Client` `!Send`.
    pub sessions: Vec<Rc<Session>>,
    /// The session last made active on this client; it may name one that is no longer
    /// signed in. [`Client::current_session`] applies clerk-js's choice.
    pub last_active_session_id: Option<String>,
    /// The in-progress sign-in, if any (kept as raw JSON: the sign-in flow reads it).
    pub sign_in: Option<Value>,
    /// The in-progress sign-up, if any (raw JSON too, read by the sign-up flow).
    pub sign_up: Option<Value>,
    /// How the user last authenticated on this client (`password`, `email_code`,
    /// `oauth_google`, ...), e.g. to offer it first; `None` when unknown.
    pub last_authentication_strategy: Option<String>,
    /// When the `__client` cookie, and so this client, expires (Unix epoch milliseconds).
    pub cookie_expires_at: Option<i64>,
    /// Whether the client may bypass CAPTCHA (testing tokens).
    pub captcha_bypass: bool,
    /// When Clerk created it (Unix epoch milliseconds).
    pub created_at: i64,
    /// When it last changed (Unix epoch milliseconds).
    pub updated_at: i64,
}

impl Client {
    /// Sessions that count as signed in (status `active` or `pending`), like clerk-js's
    /// `signedInSessions` (as their `Rc`s, so a caller can share one without copying it).
    pub fn signed_in_sessions(&self) -> impl Iterator<Item = &Rc<Session>> {
        self.sessions.iter().filter(|s| s.status.is_signed_in())
    }

    /// The session clerk-js would pick at load: `last_active_session_id` if it is signed in,
    /// else the first signed-in session.
    pub fn current_session(&self) -> Option<&Session> {
        let last = self.last_active_session_id.as_deref();
        self.signed_in_sessions()
            .find(|s| Some(s.id.as_str()) == last)
            .or_else(|| self.signed_in_sessions().next())
            .map(|s| &**s)
    }

    /// A session by id (any status).
    pub fn session(&self, id: &str) -> Option<&Session> {
        self.sessions.iter().find(|s| s.id == id).map(|s| &**s)
    }
}

impl FromJson for Client {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(Client {
            id: f.req("id"),
            // Strict: falling back to "no sessions" would sign the user out; a session that
            // does not read (no `id` or `status`) fails the client instead.
            sessions: f.opt_strict("sessions"),
            last_active_session_id: f.opt("last_active_session_id"),
            sign_in: f.opt("sign_in"),
            sign_up: f.opt("sign_up"),
            last_authentication_strategy: f.opt("last_authentication_strategy"),
            cookie_expires_at: f.opt("cookie_expires_at"),
            captcha_bypass: f.opt("captcha_bypass"),
            created_at: f.opt("created_at"),
            updated_at: f.opt("updated_at"),
        })
    }
}
