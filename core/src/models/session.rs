use std::rc::Rc;

use super::{factor_ages, User};
use crate::json::{Fields, FromJson, JsonError, Value};

/// Session status. Open: a status Clerk adds later parses as [`SessionStatus::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SessionStatus {
    /// Signed in: the session can mint tokens.
    Active,
    /// Signed in, with tasks left (e.g. choose an organization). Reads as signed out by default.
    Pending,
    /// Signed out by the user.
    Ended,
    /// Reached `expire_at`: the user must sign in again.
    Expired,
    /// Removed from the client (multi-session sign-out).
    Removed,
    /// Replaced by another session of the same client (e.g. a new sign-in in single-session mode).
    Replaced,
    /// Revoked by your backend or the Dashboard (e.g. a ban, or "sign out everywhere").
    Revoked,
    /// Reached `abandon_at`: the user must sign in again.
    Abandoned,
    /// A status this version does not know, as sent; not signed in.
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

/// A session token as FAPI returns it (`{"object":"token","jwt":"..."}`). Its `Debug`
/// hides the JWT; decode the claims with
/// [`SessionToken::decode`](crate::claims::SessionToken::decode).
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    /// The JWT in compact form (`header.payload.signature`, base64url): a bearer credential,
    /// short-lived (60 s for Clerk session tokens). Never log it.
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
    /// Where the impersonation was started, e.g. `https://dashboard.clerk.com`, when given.
    pub iss: Option<String>,
    /// The actor's own session (e.g. the admin's Dashboard session), when given.
    pub sid: Option<String>,
    /// `"agent"` when an AI agent acts for the user (clerk-js's `session.agent`); `None` for
    /// an impersonating admin (wire `type`).
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub actor_type: Option<String>,
}

/// A step a `pending` session must finish before it counts as signed in (see
/// [`Session::current_task`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SessionTask {
    /// Which step: `choose-organization` (pick or create an organization when membership is
    /// required), `reset-password`, `setup-mfa`, ... Clerk adds new ones over time.
    pub key: String,
}

/// What anyone in a shared context may see of a user: the session's user (account
/// switchers) or another organization member (member lists). No metadata, no private
/// identifiers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PublicUserData {
    /// First name, when set.
    pub first_name: Option<String>,
    /// Last name, when set.
    pub last_name: Option<String>,
    /// URL of the profile picture (a default avatar when `has_image` is false).
    pub image_url: Option<String>,
    /// Whether `image_url` is a real picture (uploaded or from OAuth) rather than the default avatar.
    pub has_image: bool,
    /// The user's main identifier to show: email address, phone number or username (the one
    /// used to sign in, for a session).
    pub identifier: Option<String>,
    /// The user's id (`user_...`), when sent.
    pub user_id: Option<String>,
    /// Username, when the instance has usernames and the user set one.
    pub username: Option<String>,
    /// Whether the user is banned (cannot sign in).
    pub banned: bool,
    /// Whether the user was deprovisioned through SCIM (their identity provider) and cannot sign in.
    pub deprovisioned: bool,
}

/// One signed-in (or formerly signed-in) session of the client: a user on this device,
/// whose tokens authenticate requests. Only `active` and `pending` ones are signed in
/// ([`SessionStatus::is_signed_in`]); [`Client::current_session`](super::Client::current_session)
/// picks the current one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Session {
    /// Session id (`sess_...`), the `sid` claim of its tokens.
    pub id: String,
    /// Where the session stands; only `active` and `pending` count as signed in.
    pub status: SessionStatus,
    /// When the session expires (Unix epoch milliseconds), as the instance's session
    /// lifetime settings (maximum lifetime, inactivity timeout) put it; 0 when missing.
    pub expire_at: i64,
    /// When Clerk abandons the session if it is still around (Unix epoch milliseconds); 0
    /// when missing.
    pub abandon_at: i64,
    /// When the session was last used on its client (Unix epoch milliseconds); 0 when
    /// missing.
    pub last_active_at: i64,
    /// A fresh session token minted with the client payload; seeds the token cache at load.
    /// Left out by `Serialize` (feature `serde`): a serialized session tends to end up in a
    /// page or a log, and a credential must not; ask for a token with `get_token` instead.
    #[cfg_attr(feature = "serde", serde(skip_serializing))]
    pub last_active_token: Option<Token>,
    /// The session's active organization (`org_...`): the one its tokens and `has()` checks
    /// are about. `None` when the personal account is active.
    pub last_active_organization_id: Option<String>,
    /// Who acts as the user, when someone does: an admin impersonating them or an agent
    /// (the tokens' `act` claim). `None` for the user's own session.
    pub actor: Option<Actor>,
    /// Steps left before a `pending` session is signed in, first one first; empty otherwise.
    pub tasks: Vec<SessionTask>,
    /// Minutes since the user last verified their first and second factor,
    /// `[first, second]`; -1 for a factor never verified (e.g. no second factor). Read by
    /// reverification checks. `None` when absent, `null`, or not a pair of integers.
    pub factor_verification_age: Option<[i64; 2]>,
    /// The full user (embedded in every session). Behind an `Rc` like the sessions of a
    /// [`Client`](super::Client): the browser library keeps an unchanged user's `Rc` across
    /// re-reads and hands it to `use_user` without copying (build one with `Rc::new(user)`).
    pub user: Option<Rc<User>>,
    /// The user's public data (name, avatar, identifier), also present when `user` is not:
    /// what account switchers show.
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
