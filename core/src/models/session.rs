use std::rc::Rc;

use super::{factor_ages, User};
use crate::json::{Fields, FromJson, JsonError, Value};

/// Session status. Open: a status Clerk adds later parses as [`SessionStatus::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SessionStatus {
    /// Signed in.
    Active,
    /// Signed in, with tasks left (e.g. choose an organization). Reads as signed out by default.
    Pending,
    /// Signed out by the user.
    Ended,
    /// Past `expire_at`.
    Expired,
    /// Removed from the client (multi-session sign-out).
    Removed,
    /// Replaced by another session.
    Replaced,
    /// Revoked from the backend.
    Revoked,
    /// Past `abandon_at`.
    Abandoned,
    /// A status this version does not know.
    Other(String),
}

impl SessionStatus {
    /// The status of a wire string (unknown strings give [`SessionStatus::Other`]).
    pub fn from_wire(s: &str) -> Self {
        match s {
            "active" => SessionStatus::Active,
            "pending" => SessionStatus::Pending,
            "ended" => SessionStatus::Ended,
            "expired" => SessionStatus::Expired,
            "removed" => SessionStatus::Removed,
            "replaced" => SessionStatus::Replaced,
            "revoked" => SessionStatus::Revoked,
            "abandoned" => SessionStatus::Abandoned,
            other => SessionStatus::Other(other.to_string()),
        }
    }

    /// `active` or `pending`: clerk-js's "signed-in sessions".
    pub fn is_signed_in(&self) -> bool {
        matches!(self, SessionStatus::Active | SessionStatus::Pending)
    }

    /// The wire string.
    pub fn as_str(&self) -> &str {
        match self {
            SessionStatus::Active => "active",
            SessionStatus::Pending => "pending",
            SessionStatus::Ended => "ended",
            SessionStatus::Expired => "expired",
            SessionStatus::Removed => "removed",
            SessionStatus::Replaced => "replaced",
            SessionStatus::Revoked => "revoked",
            SessionStatus::Abandoned => "abandoned",
            SessionStatus::Other(s) => s,
        }
    }
}

/// `{"object":"token","jwt":"..."}`.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    /// The compact JWS.
    pub jwt: String,
}

impl std::fmt::Debug for Token {
    // Never print a live credential.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token").field("jwt", &"<redacted>").finish()
    }
}

/// The impersonator of an impersonated session (`act` claim / `actor` field).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Actor {
    /// The actor's user id (empty if the server sent none: the session is still treated as
    /// impersonated).
    pub sub: String,
    /// Issuer, when given.
    pub iss: Option<String>,
    /// The actor's session id, when given.
    pub sid: Option<String>,
    /// `"agent"` for agent actors.
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub actor_type: Option<String>,
}

/// A task of a `pending` session.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SessionTask {
    /// e.g. `choose-organization`.
    pub key: String,
}

/// Public data of the session's user (shown in account switchers).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PublicUserData {
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Avatar URL.
    pub image_url: Option<String>,
    /// Whether the user uploaded an image.
    pub has_image: bool,
    /// The identifier used to sign in (email, phone, username).
    pub identifier: Option<String>,
    /// The user id.
    pub user_id: Option<String>,
    /// Username, when set.
    pub username: Option<String>,
    /// Whether the user is banned.
    pub banned: bool,
    /// Whether the user was deprovisioned via SCIM.
    pub deprovisioned: bool,
}

/// A session of the client.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Session {
    /// `sess_...`
    pub id: String,
    /// Status (open enum).
    pub status: SessionStatus,
    /// When it expires (Unix epoch milliseconds).
    pub expire_at: i64,
    /// When it is abandoned if left unused, whatever its activity (Unix epoch milliseconds).
    pub abandon_at: i64,
    /// When it was last used (Unix epoch milliseconds).
    pub last_active_at: i64,
    /// A fresh session token minted with the client payload; seeds the token cache at load.
    /// Left out by `Serialize` (feature `serde`): a serialized session tends to end up in a
    /// page or a log, and a credential must not; ask for a token with `get_token` instead.
    #[cfg_attr(feature = "serde", serde(skip_serializing))]
    pub last_active_token: Option<Token>,
    /// The active organization of the session.
    pub last_active_organization_id: Option<String>,
    /// Impersonator, if any.
    pub actor: Option<Actor>,
    /// Tasks of a pending session.
    pub tasks: Vec<SessionTask>,
    /// `[first_factor_age_minutes, second_factor_age_minutes]`, -1 = never. `None` when
    /// absent, `null`, or not a pair of integers.
    pub factor_verification_age: Option<[i64; 2]>,
    /// The full user (embedded in every session). Behind an `Rc` like the sessions of a
    /// [`Client`](super::Client): the browser library keeps an unchanged user's `Rc` across
    /// re-reads and hands it to `use_user` without copying (build one with `Rc::new(user)`).
    pub user: Option<Rc<User>>,
    /// Public data of the user.
    pub public_user_data: Option<PublicUserData>,
    /// When Clerk created it (Unix epoch milliseconds).
    pub created_at: i64,
    /// When it last changed (Unix epoch milliseconds).
    pub updated_at: i64,
}

impl Session {
    /// The task a `pending` session must finish first, e.g. `choose-organization` (clerk-js
    /// `session.currentTask`); `None` for a session without tasks.
    pub fn current_task(&self) -> Option<&SessionTask> {
        self.tasks.first()
    }
}

impl Default for SessionStatus {
    /// `active` (for sessions built in code; the wire field is required).
    fn default() -> Self {
        SessionStatus::Active
    }
}

impl FromJson for SessionStatus {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        String::from_json(value).map(|s| SessionStatus::from_wire(&s))
    }
}

impl FromJson for Token {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(Token { jwt: f.req("jwt") })
    }
}

impl FromJson for Actor {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(Actor {
            sub: f.opt("sub"),
            iss: f.opt("iss"),
            sid: f.opt("sid"),
            actor_type: f.opt("type"),
        })
    }
}

impl FromJson for SessionTask {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(SessionTask { key: f.req("key") })
    }
}

impl FromJson for PublicUserData {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(PublicUserData {
            first_name: f.opt("first_name"),
            last_name: f.opt("last_name"),
            image_url: f.opt("image_url"),
            has_image: f.opt("has_image"),
            identifier: f.opt("identifier"),
            user_id: f.opt("user_id"),
            username: f.opt("username"),
            banned: f.opt("banned"),
            deprovisioned: f.opt("deprovisioned"),
        })
    }
}

impl FromJson for Session {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(Session {
            id: f.req("id"),
            status: f.req("status"),
            expire_at: f.opt("expire_at"),
            abandon_at: f.opt("abandon_at"),
            last_active_at: f.opt("last_active_at"),
            last_active_token: f.opt("last_active_token"),
            last_active_organization_id: f.opt("last_active_organization_id"),
            actor: f.opt("actor"),
            tasks: f.opt("tasks"),
            factor_verification_age: factor_ages(f.raw("factor_verification_age")),
            user: f.opt("user"),
            public_user_data: f.opt("public_user_data"),
            created_at: f.opt("created_at"),
            updated_at: f.opt("updated_at"),
        })
    }
}
