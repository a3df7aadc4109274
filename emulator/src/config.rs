//! Emulator configuration: what the CLI parses and what [`crate::spawn`] takes.

use std::net::SocketAddr;

/// Development (`pk_test_`, dev browser) or production (`pk_live_`, `__client` cookie).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceType {
    /// `pk_test_` key on a `*.clerk.accounts.dev` host: clients identify with `__clerk_db_jwt`.
    Development,
    /// `pk_live_` key: clients identify with the HttpOnly `__client` cookie.
    Production,
}

impl InstanceType {
    /// `"development"` or `"production"`, as in `display_config.instance_environment_type`.
    pub fn as_str(self) -> &'static str {
        match self {
            InstanceType::Development => "development",
            InstanceType::Production => "production",
        }
    }
}

/// Session token claim profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimsVersion {
    /// Flat `org_id`, `org_slug`, `org_role`, `org_permissions` (deprecated by Clerk).
    V1,
    /// `v: 2`, `fva`, `sts` and the compact `o: {id, slg, rol, per}` object (Clerk's default).
    V2,
}

/// A user created at startup (and again after `POST /__emulator/reset`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedUser {
    /// Primary (verified) email address.
    pub email: String,
    /// Password for the `password` strategy.
    pub password: String,
    /// First name, if any.
    pub first_name: Option<String>,
    /// Last name, if any.
    pub last_name: Option<String>,
}

impl SeedUser {
    /// Parses `EMAIL:PASSWORD[:FIRST[:LAST]]`.
    pub fn parse(s: &str) -> Result<SeedUser, String> {
        let mut parts = s.splitn(4, ':');
        let email = parts.next().unwrap_or_default().trim().to_string();
        let password = parts.next().unwrap_or_default().to_string();
        if !email.contains('@') || password.is_empty() {
            return Err(format!(
                "--user expects EMAIL:PASSWORD[:FIRST[:LAST]], got {s:?}"
            ));
        }
        let opt = |p: Option<&str>| p.filter(|v| !v.is_empty()).map(str::to_string);
        Ok(SeedUser {
            email,
            password,
            first_name: opt(parts.next()),
            last_name: opt(parts.next()),
        })
    }

    /// The documented default user: `demo@example.com` / `demo-password-123`, "Demo User".
    pub fn demo() -> SeedUser {
        SeedUser {
            email: "demo@example.com".into(),
            password: "demo-password-123".into(),
            first_name: Some("Demo".into()),
            last_name: Some("User".into()),
        }
    }
}

/// A JWT template served at `POST /v1/client/sessions/{id}/tokens/{name}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// Template name (URL segment).
    pub name: String,
    /// Token lifetime in seconds; `None` uses the session token lifetime.
    pub lifetime_secs: Option<u64>,
}

impl Template {
    /// Parses `NAME[:LIFETIME]`.
    pub fn parse(s: &str) -> Result<Template, String> {
        let (name, life) = match s.split_once(':') {
            Some((n, l)) => (n, Some(l)),
            None => (s, None),
        };
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(format!(
                "--template expects NAME[:LIFETIME_SECS], got {s:?}"
            ));
        }
        let lifetime_secs = match life {
            Some(l) => Some(
                l.parse::<u64>()
                    .ok()
                    .and_then(|l| crate::control::check_lifetime("lifetime", l).ok())
                    .ok_or_else(|| {
                        format!("bad template lifetime in {s:?} (1 to 315360000 seconds)")
                    })?,
            ),
            None => None,
        };
        Ok(Template {
            name: name.to_string(),
            lifetime_secs,
        })
    }
}

/// Everything the emulator needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to bind (`127.0.0.1:0` picks a free port).
    pub addr: SocketAddr,
    /// Public base URL clients use as `proxyUrl` (default `http://<bound addr>`).
    pub public_url: Option<String>,
    /// Development or production instance.
    pub instance: InstanceType,
    /// Session token lifetime in seconds (Clerk: 60).
    pub token_lifetime_secs: u64,
    /// Users created at startup; empty means the default demo user.
    pub users: Vec<SeedUser>,
    /// JWT templates.
    pub templates: Vec<Template>,
    /// Claim profile of session tokens.
    pub claims: ClaimsVersion,
    /// Seed the demo organization (`Demo Org`, slug `demo-org`) with the first user as `org:admin`.
    pub seed_org: bool,
    /// Frontend API host encoded in the publishable key; default depends on the instance.
    pub frontend_api: Option<String>,
    /// Clerk's "force organization selection": new sessions are `pending` with the
    /// `choose-organization` task until one is selected (`POST …/touch`).
    pub force_organization_selection: bool,
    /// Clerk's session minter (`auth_config.session_minter`): session tokens carry the
    /// `oiat` header, and a token request's `token` (the previous token) is re-minted
    /// "at the edge", keeping its `oiat`, unless `force_origin=true`.
    pub session_minter: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            public_url: None,
            instance: InstanceType::Development,
            token_lifetime_secs: 60,
            users: Vec::new(),
            templates: default_templates(),
            claims: ClaimsVersion::V2,
            seed_org: true,
            frontend_api: None,
            force_organization_selection: false,
            session_minter: false,
        }
    }
}

/// Templates present when none are configured: `supabase` and `test`.
pub fn default_templates() -> Vec<Template> {
    vec![
        Template {
            name: "supabase".into(),
            lifetime_secs: None,
        },
        Template {
            name: "test".into(),
            lifetime_secs: None,
        },
    ]
}

/// Default frontend API host: a `*.clerk.accounts.dev` host for development
/// (so clerk-js takes its dev-browser path), a `clerk.*.test` host for production.
/// Both contain a '.' as clerk-js requires.
pub fn default_frontend_api(instance: InstanceType) -> &'static str {
    match instance {
        InstanceType::Development => "yew-clerk-emulator.clerk.accounts.dev",
        InstanceType::Production => "clerk.yew-clerk-emulator.test",
    }
}
