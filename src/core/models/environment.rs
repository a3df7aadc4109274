use serde::{Deserialize, Serialize};

/// The instance's environment (`GET /v1/environment`): the parts a headless client needs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    /// Authentication settings.
    #[serde(default)]
    pub auth_config: AuthConfig,
    /// URLs and names of the Account Portal.
    #[serde(default)]
    pub display_config: DisplayConfig,
    /// Organization settings.
    #[serde(default)]
    pub organization_settings: OrganizationSettings,
    /// Whether the instance is in maintenance mode.
    #[serde(default)]
    pub maintenance_mode: bool,
    /// Whether cookies must be written with the `Partitioned` attribute (CHIPS).
    #[serde(default)]
    pub partitioned_cookies: bool,
    /// Whether the client should log debug information.
    #[serde(default)]
    pub client_debug_mode: bool,
}

/// `auth_config`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuthConfig {
    /// Only one session per client (controls touch throttling).
    #[serde(default)]
    pub single_session_mode: bool,
    /// Whether the instance uses the session minter (token requests then carry the last token).
    #[serde(default)]
    pub session_minter: bool,
    /// Whether reverification (`fva`) is enabled.
    #[serde(default)]
    pub reverification: bool,
    /// When a keyless development instance was claimed (ms), if ever.
    #[serde(default)]
    pub claimed_at: Option<i64>,
}

/// `display_config`: Account Portal URLs and names.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DisplayConfig {
    /// `development` or `production`.
    #[serde(default)]
    pub instance_environment_type: Option<String>,
    /// Application name.
    #[serde(default)]
    pub application_name: Option<String>,
    /// The app's home URL.
    #[serde(default)]
    pub home_url: Option<String>,
    /// Hosted sign-in page.
    #[serde(default)]
    pub sign_in_url: Option<String>,
    /// Hosted sign-up page.
    #[serde(default)]
    pub sign_up_url: Option<String>,
    /// Hosted user profile page.
    #[serde(default)]
    pub user_profile_url: Option<String>,
    /// Where to go after signing out of all sessions.
    #[serde(default)]
    pub after_sign_out_all_url: Option<String>,
    /// Where to go after signing out of one session.
    #[serde(default)]
    pub after_sign_out_one_url: Option<String>,
    /// Where to go after sign-in.
    #[serde(default)]
    pub after_sign_in_url: Option<String>,
    /// Where to go after sign-up.
    #[serde(default)]
    pub after_sign_up_url: Option<String>,
    /// Where to go after switching session.
    #[serde(default)]
    pub after_switch_session_url: Option<String>,
    /// Hosted organization profile page.
    #[serde(default)]
    pub organization_profile_url: Option<String>,
    /// Hosted "create organization" page.
    #[serde(default)]
    pub create_organization_url: Option<String>,
    /// Hosted waitlist page.
    #[serde(default)]
    pub waitlist_url: Option<String>,
    /// Logo image URL.
    #[serde(default)]
    pub logo_image_url: Option<String>,
    /// Favicon image URL.
    #[serde(default)]
    pub favicon_image_url: Option<String>,
    /// Support email address.
    #[serde(default)]
    pub support_email: Option<String>,
}

/// `organization_settings`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrganizationSettings {
    /// Whether organizations are enabled.
    #[serde(default)]
    pub enabled: bool,
    /// Max members per organization, when limited.
    #[serde(default)]
    pub max_allowed_memberships: Option<u64>,
    /// Role given to the creator of an organization (e.g. `org:admin`).
    #[serde(default)]
    pub creator_role: Option<String>,
}
