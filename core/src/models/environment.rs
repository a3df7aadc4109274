use crate::json::{Fields, FromJson, JsonError, Value};

/// The instance's environment (`GET /v1/environment`): the parts a headless client needs.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Environment {
    /// Instance-wide authentication settings (single or multi-session, reverification, ...).
    pub auth_config: AuthConfig,
    /// The application's name, branding and pages (hosted sign-in / sign-up, after-URLs).
    pub display_config: DisplayConfig,
    /// Whether organizations are on, and their defaults.
    pub organization_settings: OrganizationSettings,
    /// Whether Clerk has put the instance in maintenance mode (Clerk's components then show
    /// a notice); this library only reports it.
    pub maintenance_mode: bool,
    /// Whether clerk-js writes its cookies with the `Partitioned` attribute (CHIPS, for apps
    /// embedded in third-party iframes). Not acted on here: this library's cookies are
    /// `SameSite=Lax`, unpartitioned.
    pub partitioned_cookies: bool,
    /// Whether the instance turned on clerk-js's debug logger for its clients (Dashboard);
    /// not acted on here.
    pub client_debug_mode: bool,
}

/// The instance's `auth_config`: how users authenticate and how sessions behave.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AuthConfig {
    /// Whether a client holds at most one signed-in session (a new sign-in replaces it)
    /// rather than several; this library also throttles focus touches in this mode.
    pub single_session_mode: bool,
    /// Whether the instance mints tokens with Clerk's session minter. As clerk-js, this
    /// library then sends the session's last token in the body of each session-token
    /// request (`token`, plus `force_origin=true` when skipping FAPI's cache) and does not
    /// retry a `missing_expired_token` error with `expired_token` (it does without the minter).
    pub session_minter: bool,
    /// Whether reverification is on: session tokens carry `fva` and actions may demand a
    /// fresh factor ([`Check::Reverification`](crate::authorization::Check::Reverification)).
    pub reverification: bool,
    /// When a keyless development instance (created without an account) was claimed in the
    /// Dashboard (Unix epoch milliseconds); `None` if never, or not a keyless instance.
    pub claimed_at: Option<i64>,
}

/// The instance's `display_config`: its name, branding and pages, as set in the Dashboard
/// (absolute URLs; Account Portal pages unless you configured your own).
///
/// This library uses only `sign_in_url` and `sign_up_url` (hosted redirects and the
/// redirect policy, unless the `ClerkOptions` of the same names override them); the rest
/// is for your own navigation.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DisplayConfig {
    /// `development`, `staging` or `production`; `None` when missing.
    pub instance_environment_type: Option<String>,
    /// The application's name, e.g. for page titles.
    pub application_name: Option<String>,
    /// Your application's home page.
    pub home_url: Option<String>,
    /// The sign-in page that `redirect_to_sign_in` opens.
    pub sign_in_url: Option<String>,
    /// The sign-up page that `redirect_to_sign_up` opens.
    pub sign_up_url: Option<String>,
    /// The page where users manage their account.
    pub user_profile_url: Option<String>,
    /// Where to go after signing out of every session (this library's `sign_out` uses its
    /// `after_sign_out_url` option instead).
    pub after_sign_out_all_url: Option<String>,
    /// Where to go after signing out of one session while others stay (multi-session).
    pub after_sign_out_one_url: Option<String>,
    /// Default page after a sign-in.
    pub after_sign_in_url: Option<String>,
    /// Default page after a sign-up.
    pub after_sign_up_url: Option<String>,
    /// Page after switching to another signed-in session (multi-session).
    pub after_switch_session_url: Option<String>,
    /// The page where members manage the active organization.
    pub organization_profile_url: Option<String>,
    /// The page where a user creates an organization.
    pub create_organization_url: Option<String>,
    /// The waitlist page (instances in waitlist mode).
    pub waitlist_url: Option<String>,
    /// URL of the logo uploaded in the Dashboard; `None` when there is none.
    pub logo_image_url: Option<String>,
    /// URL of the favicon uploaded in the Dashboard; `None` when there is none.
    pub favicon_image_url: Option<String>,
    /// Support address to show users, when set in the Dashboard.
    pub support_email: Option<String>,
}

/// The instance's `organization_settings`.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct OrganizationSettings {
    /// Whether the Organizations feature is on (memberships, an active organization, org
    /// roles and permissions).
    pub enabled: bool,
    /// Default member limit of an organization; `None` when missing or not a non-negative integer.
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
