//! Options of [`Clerk`](super::Clerk) and parameters of its operations.

/// Configuration of a [`Clerk`](super::Clerk) instance (the props of `ClerkProvider`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClerkOptions {
    /// `pk_test_…` or `pk_live_…` from the Clerk dashboard.
    pub publishable_key: String,
    /// FAPI at `{proxy_url}/v1/...` (Clerk's `proxyUrl`); else `https://{frontend_api}`.
    /// Also how tests and the emulator point the client at a local server.
    pub proxy_url: Option<String>,
    /// Where `sign_out` navigates when no `redirect_url` is given.
    pub after_sign_out_url: Option<String>,
    /// Overrides the environment's `display_config.sign_in_url`.
    pub sign_in_url: Option<String>,
    /// Overrides the environment's `display_config.sign_up_url`.
    pub sign_up_url: Option<String>,
    /// Touch the session when the window gains focus (default `true`).
    pub touch_session: bool,
    /// Other origins the engine may navigate to (clerk-js's `allowedRedirectOrigins`), e.g.
    /// `https://app.example.com` or `https://*.example.com` (`*` matches any characters).
    /// The page's own origin and the Clerk instance's (Frontend API or proxy, Account Portal,
    /// `sign_in_url` / `sign_up_url`) are always allowed; empty (the default) also allows
    /// clerk-js's default, `https://<site>` and `https://*.<site>` for a Frontend API
    /// `clerk.<site>`. Anything else, and every non-http(s) URL, is refused with
    /// [`ClerkError::RedirectRefused`](crate::error::ClerkError::RedirectRefused).
    pub allowed_redirect_origins: Vec<String>,
    /// Where to go after every sign-in, whatever the `redirect_url` says (clerk-js's
    /// `signInForceRedirectUrl`). Precedence: force > the page's `redirect_url` query
    /// parameter > fallback; see [`Clerk::after_auth_url`](super::Clerk::after_auth_url).
    pub sign_in_force_redirect_url: Option<String>,
    /// Where to go after a sign-in when there is no `redirect_url` (clerk-js's
    /// `signInFallbackRedirectUrl`).
    pub sign_in_fallback_redirect_url: Option<String>,
    /// Where to go after every sign-up (clerk-js's `signUpForceRedirectUrl`).
    pub sign_up_force_redirect_url: Option<String>,
    /// Where to go after a sign-up when there is no `redirect_url` (clerk-js's
    /// `signUpFallbackRedirectUrl`).
    pub sign_up_fallback_redirect_url: Option<String>,
}

impl Default for ClerkOptions {
    fn default() -> Self {
        ClerkOptions {
            publishable_key: String::new(),
            proxy_url: None,
            after_sign_out_url: None,
            sign_in_url: None,
            sign_up_url: None,
            touch_session: true,
            allowed_redirect_origins: Vec::new(),
            sign_in_force_redirect_url: None,
            sign_in_fallback_redirect_url: None,
            sign_up_force_redirect_url: None,
            sign_up_fallback_redirect_url: None,
        }
    }
}

impl ClerkOptions {
    /// Options with only the publishable key set.
    pub fn new(publishable_key: impl Into<String>) -> Self {
        ClerkOptions {
            publishable_key: publishable_key.into(),
            ..Default::default()
        }
    }

    /// Sets [`ClerkOptions::proxy_url`].
    pub fn with_proxy_url(mut self, url: impl Into<String>) -> Self {
        self.proxy_url = Some(url.into());
        self
    }

    /// Sets [`ClerkOptions::after_sign_out_url`].
    pub fn with_after_sign_out_url(mut self, url: impl Into<String>) -> Self {
        self.after_sign_out_url = Some(url.into());
        self
    }

    /// Sets [`ClerkOptions::sign_in_url`].
    pub fn with_sign_in_url(mut self, url: impl Into<String>) -> Self {
        self.sign_in_url = Some(url.into());
        self
    }

    /// Sets [`ClerkOptions::sign_up_url`].
    pub fn with_sign_up_url(mut self, url: impl Into<String>) -> Self {
        self.sign_up_url = Some(url.into());
        self
    }

    /// Sets [`ClerkOptions::allowed_redirect_origins`].
    pub fn with_allowed_redirect_origins<S: Into<String>>(
        mut self,
        origins: impl IntoIterator<Item = S>,
    ) -> Self {
        self.allowed_redirect_origins = origins.into_iter().map(Into::into).collect();
        self
    }

    /// Sets [`ClerkOptions::sign_in_force_redirect_url`].
    pub fn with_sign_in_force_redirect_url(mut self, url: impl Into<String>) -> Self {
        self.sign_in_force_redirect_url = Some(url.into());
        self
    }

    /// Sets [`ClerkOptions::sign_in_fallback_redirect_url`].
    pub fn with_sign_in_fallback_redirect_url(mut self, url: impl Into<String>) -> Self {
        self.sign_in_fallback_redirect_url = Some(url.into());
        self
    }

    /// Sets [`ClerkOptions::sign_up_force_redirect_url`].
    pub fn with_sign_up_force_redirect_url(mut self, url: impl Into<String>) -> Self {
        self.sign_up_force_redirect_url = Some(url.into());
        self
    }

    /// Sets [`ClerkOptions::sign_up_fallback_redirect_url`].
    pub fn with_sign_up_fallback_redirect_url(mut self, url: impl Into<String>) -> Self {
        self.sign_up_fallback_redirect_url = Some(url.into());
        self
    }

    /// Sets [`ClerkOptions::touch_session`].
    pub fn with_touch_session(mut self, touch: bool) -> Self {
        self.touch_session = touch;
        self
    }
}

/// Which organization a token or a session is for: one type for what clerk-js spells
/// `organizationId: ""` (get_token) and `organizationId: null` (setActive).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OrganizationSelection {
    /// The user's personal account (no organization).
    Personal,
    /// The organization with this id (`org_…`).
    Organization(String),
}

impl OrganizationSelection {
    /// The organization id; `None` for the personal account (an empty id is the personal
    /// account too, as on the wire).
    pub fn id(&self) -> Option<&str> {
        match self {
            OrganizationSelection::Personal => None,
            OrganizationSelection::Organization(id) => {
                Some(id.as_str()).filter(|id| !id.is_empty())
            }
        }
    }
}

/// `None` is the personal account, `Some(id)` that organization (e.g. from
/// `use_organization_list`'s memberships).
impl From<Option<&str>> for OrganizationSelection {
    fn from(id: Option<&str>) -> Self {
        match id {
            Some(id) if !id.is_empty() => OrganizationSelection::Organization(id.to_string()),
            _ => OrganizationSelection::Personal,
        }
    }
}

/// Options of [`Clerk::get_token`](super::Clerk::get_token) (clerk-js `GetTokenOptions`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GetTokenOptions {
    /// A JWT template name: `POST …/tokens/{template}`, cached separately, never written to
    /// the `__session` cookie.
    pub template: Option<String>,
    /// `None` = the session's active organization; otherwise a token for that organization
    /// or the personal account (the active organization does not change).
    pub organization: Option<OrganizationSelection>,
    /// Skip the cache read and always ask FAPI (the result still replaces the cache entry).
    pub skip_cache: bool,
}

impl GetTokenOptions {
    /// Options for a JWT template token.
    pub fn template(name: impl Into<String>) -> Self {
        GetTokenOptions {
            template: Some(name.into()),
            ..Default::default()
        }
    }

    /// Options that skip the cache: a freshly minted token, e.g. right after a change the
    /// token's claims must show (the new token still replaces the cached one).
    pub fn skip_cache() -> Self {
        GetTokenOptions {
            skip_cache: true,
            ..Default::default()
        }
    }

    /// These options for `organization` instead of the session's active organization.
    pub fn with_organization(mut self, organization: OrganizationSelection) -> Self {
        self.organization = Some(organization);
        self
    }
}

/// Options of [`Clerk::sign_out`](super::Clerk::sign_out).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignOutOptions {
    /// Sign out of this session only (multi-session apps). `None` = all sessions.
    pub session_id: Option<String>,
    /// Where to navigate afterwards; defaults to [`ClerkOptions::after_sign_out_url`]
    /// (no navigation when neither is set). Checked by the redirect policy (see
    /// [`ClerkOptions::allowed_redirect_origins`]).
    pub redirect_url: Option<String>,
}

/// Parameters of [`Clerk::set_active`](super::Clerk::set_active).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SetActiveParams {
    /// The session to make current; `None` keeps the current one.
    pub session_id: Option<String>,
    /// `None` keeps the session's active organization; otherwise the organization (or the
    /// personal account) to make active.
    pub organization: Option<OrganizationSelection>,
}
