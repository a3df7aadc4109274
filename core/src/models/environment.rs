use crate::json::{Fields, FromJson, JsonError, Value};

/// The instance's environment (`GET /v1/environment`): the parts a headless client needs.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Environment {
    /// Authentication settings.
    pub auth_config: AuthConfig,
    /// URLs and names of the Account Portal.
    pub display_config: DisplayConfig,
    /// Organization settings.
    pub organization_settings: OrganizationSettings,
    /// Whether the instance is in maintenance mode.
    pub maintenance_mode: bool,
    /// Whether cookies must be written with the `Partitioned` attribute (CHIPS).
    pub partitioned_cookies: bool,
    /// Whether the client should log debug information.
    pub client_debug_mode: bool,
}

/// `auth_config`.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AuthConfig {
    /// Only one session per client (controls touch throttling).
    pub single_session_mode: bool,
    /// Whether the instance uses the session minter (token requests then carry the last token).
    pub session_minter: bool,
    /// Whether reverification (`fva`) is enabled.
    pub reverification: bool,
    /// When a keyless development instance was claimed (ms), if ever.
    pub claimed_at: Option<i64>,
}

/// `display_config`: Account Portal URLs and names.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DisplayConfig {
    /// `development` or `production`.
    pub instance_environment_type: Option<String>,
    /// Application name.
    pub application_name: Option<String>,
    /// The app's home URL.
    pub home_url: Option<String>,
    /// Hosted sign-in page.
    pub sign_in_url: Option<String>,
    /// Hosted sign-up page.
    pub sign_up_url: Option<String>,
    /// Hosted user profile page.
    pub user_profile_url: Option<String>,
    /// Where to go after signing out of all sessions.
    pub after_sign_out_all_url: Option<String>,
    /// Where to go after signing out of one session.
    pub after_sign_out_one_url: Option<String>,
    /// Where to go after sign-in.
    pub after_sign_in_url: Option<String>,
    /// Where to go after sign-up.
    pub after_sign_up_url: Option<String>,
    /// Where to go after switching session.
    pub after_switch_session_url: Option<String>,
    /// Hosted organization profile page.
    pub organization_profile_url: Option<String>,
    /// Hosted "create organization" page.
    pub create_organization_url: Option<String>,
    /// Hosted waitlist page.
    pub waitlist_url: Option<String>,
    /// Logo image URL.
    pub logo_image_url: Option<String>,
    /// Favicon image URL.
    pub favicon_image_url: Option<String>,
    /// Support email address.
    pub support_email: Option<String>,
}

/// `organization_settings`.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct OrganizationSettings {
    /// Whether organizations are enabled.
    pub enabled: bool,
    /// Max members per organization, when limited.
    pub max_allowed_memberships: Option<u64>,
    /// Role given to the creator of an organization (e.g. `org:admin`).
    pub creator_role: Option<String>,
}

impl FromJson for Environment {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(Environment {
            auth_config: f.opt("auth_config"),
            display_config: f.opt("display_config"),
            organization_settings: f.opt("organization_settings"),
            maintenance_mode: f.opt("maintenance_mode"),
            partitioned_cookies: f.opt("partitioned_cookies"),
            client_debug_mode: f.opt("client_debug_mode"),
        })
    }
}

impl FromJson for AuthConfig {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(AuthConfig {
            single_session_mode: f.opt("single_session_mode"),
            session_minter: f.opt("session_minter"),
            reverification: f.opt("reverification"),
            claimed_at: f.opt("claimed_at"),
        })
    }
}

impl FromJson for DisplayConfig {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(DisplayConfig {
            instance_environment_type: f.opt("instance_environment_type"),
            application_name: f.opt("application_name"),
            home_url: f.opt("home_url"),
            sign_in_url: f.opt("sign_in_url"),
            sign_up_url: f.opt("sign_up_url"),
            user_profile_url: f.opt("user_profile_url"),
            after_sign_out_all_url: f.opt("after_sign_out_all_url"),
            after_sign_out_one_url: f.opt("after_sign_out_one_url"),
            after_sign_in_url: f.opt("after_sign_in_url"),
            after_sign_up_url: f.opt("after_sign_up_url"),
            after_switch_session_url: f.opt("after_switch_session_url"),
            organization_profile_url: f.opt("organization_profile_url"),
            create_organization_url: f.opt("create_organization_url"),
            waitlist_url: f.opt("waitlist_url"),
            logo_image_url: f.opt("logo_image_url"),
            favicon_image_url: f.opt("favicon_image_url"),
            support_email: f.opt("support_email"),
        })
    }
}

impl FromJson for OrganizationSettings {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(OrganizationSettings {
            enabled: f.opt("enabled"),
            max_allowed_memberships: f.opt("max_allowed_memberships"),
            creator_role: f.opt("creator_role"),
        })
    }
}
