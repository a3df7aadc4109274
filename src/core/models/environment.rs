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
}

/// `auth_config`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuthConfig {
    /// Only one session per client (controls touch throttling).
    #[serde(default)]
    pub single_session_mode: bool,
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
}
