use serde::{Deserialize, Serialize};

use super::{factor_ages, null_as_default, User};

/// Session status. Open: a status Clerk adds later parses as [`SessionStatus::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
    #[serde(untagged)]
    Other(String),
}

impl SessionStatus {
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
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The actor's user id (empty if the server sent none: the session is still treated as
    /// impersonated).
    #[serde(default)]
    pub sub: String,
    /// Issuer, when given.
    #[serde(default)]
    pub iss: Option<String>,
    /// The actor's session id, when given.
    #[serde(default)]
    pub sid: Option<String>,
    /// `"agent"` for agent actors.
    #[serde(default, rename = "type")]
    pub actor_type: Option<String>,
}

/// A task of a `pending` session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionTask {
    /// e.g. `choose-organization`.
    pub key: String,
}

/// Public data of the session's user (shown in account switchers).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicUserData {
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Avatar URL.
    #[serde(default)]
    pub image_url: Option<String>,
    /// Whether the user uploaded an image.
    #[serde(default)]
    pub has_image: bool,
    /// The identifier used to sign in (email, phone, username).
    #[serde(default)]
    pub identifier: Option<String>,
    /// The user id.
    #[serde(default)]
    pub user_id: Option<String>,
    /// Username, when set.
    #[serde(default)]
    pub username: Option<String>,
    /// Whether the user is banned.
    #[serde(default)]
    pub banned: bool,
    /// Whether the user was deprovisioned via SCIM.
    #[serde(default)]
    pub deprovisioned: bool,
}

/// A session of the client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// `sess_...`
    pub id: String,
    /// Status (open enum).
    pub status: SessionStatus,
    /// ms
    #[serde(default)]
    pub expire_at: i64,
    /// ms
    #[serde(default)]
    pub abandon_at: i64,
    /// ms
    #[serde(default)]
    pub last_active_at: i64,
    /// A fresh session token minted with the client payload; seeds the token cache at load.
    #[serde(default)]
    pub last_active_token: Option<Token>,
    /// The active organization of the session.
    #[serde(default)]
    pub last_active_organization_id: Option<String>,
    /// Impersonator, if any.
    #[serde(default)]
    pub actor: Option<Actor>,
    /// Tasks of a pending session.
    #[serde(default, deserialize_with = "null_as_default")]
    pub tasks: Vec<SessionTask>,
    /// `[first_factor_age_minutes, second_factor_age_minutes]`, -1 = never. `None` when
    /// absent, `null`, or not a pair of integers.
    #[serde(default, deserialize_with = "factor_ages")]
    pub factor_verification_age: Option<[i64; 2]>,
    /// The full user (embedded in every session).
    #[serde(default)]
    pub user: Option<User>,
    /// Public data of the user.
    #[serde(default)]
    pub public_user_data: Option<PublicUserData>,
    /// ms
    #[serde(default)]
    pub created_at: i64,
    /// ms
    #[serde(default)]
    pub updated_at: i64,
}
