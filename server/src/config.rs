//! Configuration, from the environment like Clerk's SDKs or with a builder, and the
//! [`Clerk`] handle built from it (keys, JWKS cache, HTTP client, Backend API client).

use std::sync::Arc;
use std::time::Duration;

use yew_clerk_core::key::{FapiEndpoint, PublishableKey};

use crate::backend::BackendApi;
use crate::jwks::{JwksCache, JwksEndpoint, JwksSettings, KeySource};
use crate::verify::{VerifyOptions, DEFAULT_CLOCK_SKEW_SECS};

/// Clerk's production Backend API.
pub const DEFAULT_API_URL: &str = "https://api.clerk.com";

/// A configuration problem, found when the [`Clerk`] handle is built (not per request).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// `CLERK_PUBLISHABLE_KEY` is not a Clerk publishable key.
    #[error("invalid publishable key: {0} (copy it from the Clerk dashboard, API keys page)")]
    PublishableKey(String),
    /// `CLERK_SECRET_KEY` does not start with `sk_`.
    #[error("invalid secret key: it must start with sk_test_ or sk_live_")]
    SecretKey,
    /// `CLERK_PROXY_URL` is not an absolute http(s) URL.
    #[error("invalid proxy URL: {0}")]
    ProxyUrl(String),
    /// `CLERK_JWT_KEY` is not a PEM RSA public key.
    #[error("invalid JWT key: {0}")]
    JwtKey(String),
    /// Nothing to verify tokens with.
    #[error("no way to verify tokens: set CLERK_JWT_KEY, CLERK_SECRET_KEY or CLERK_PUBLISHABLE_KEY (or a JWKS URL)")]
    NoKeySource,
    /// The HTTP client could not be built.
    #[error("HTTP client: {0}")]
    Http(String),
}

/// What [`Clerk`] is built from. Start from [`ClerkConfig::from_env`] or
/// [`ClerkConfig::default`], then chain the `with_*` setters.
#[derive(Clone)]
pub struct ClerkConfig {
    /// `CLERK_PUBLISHABLE_KEY`: the instance (Frontend API host, cookie suffix, dev/prod).
    pub publishable_key: Option<String>,
    /// `CLERK_SECRET_KEY`: Backend API calls (and the Backend API JWKS).
    pub secret_key: Option<String>,
    /// `CLERK_API_URL`: the Backend API base (default [`DEFAULT_API_URL`]).
    pub api_url: String,
    /// `CLERK_PROXY_URL`: the Frontend API behind a proxy (also where handshakes go).
    pub proxy_url: Option<String>,
    /// `CLERK_JWT_KEY`: a PEM public key for networkless verification.
    pub jwt_key: Option<String>,
    /// A JWKS URL that overrides the derived one (e.g. `<fapi>/.well-known/jwks.json`).
    pub jwks_url: Option<String>,
    /// `CLERK_AUTHORIZED_PARTIES` (comma-separated): allowed `azp` origins.
    pub authorized_parties: Vec<String>,
    /// `CLERK_SIGN_IN_URL`: where `protect()` sends signed-out documents.
    pub sign_in_url: Option<String>,
    /// Clock skew for `exp`/`nbf`/`iat` (seconds).
    pub clock_skew_secs: i64,
    /// JWKS cache settings.
    pub jwks: JwksSettings,
    /// Timeout of each Backend API request.
    pub api_timeout: Duration,
    /// Accept `sts: pending` sessions as signed in (Clerk's `treatPendingAsSignedOut: false`).
    pub accept_pending_sessions: bool,
}

impl std::fmt::Debug for ClerkConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClerkConfig")
            .field("publishable_key", &self.publishable_key)
            .field(
                "secret_key",
                &self.secret_key.as_ref().map(|_| "<redacted>"),
            )
            .field("api_url", &self.api_url)
            .field("proxy_url", &self.proxy_url)
            .field("jwt_key", &self.jwt_key.as_ref().map(|_| "<set>"))
            .field("jwks_url", &self.jwks_url)
            .field("authorized_parties", &self.authorized_parties)
            .field("sign_in_url", &self.sign_in_url)
            .field("clock_skew_secs", &self.clock_skew_secs)
            .field("accept_pending_sessions", &self.accept_pending_sessions)
            .finish_non_exhaustive()
    }
}

impl Default for ClerkConfig {
    fn default() -> Self {
        ClerkConfig {
            publishable_key: None,
            secret_key: None,
            api_url: DEFAULT_API_URL.into(),
            proxy_url: None,
            jwt_key: None,
            jwks_url: None,
            authorized_parties: Vec::new(),
            sign_in_url: None,
            clock_skew_secs: DEFAULT_CLOCK_SKEW_SECS,
            jwks: JwksSettings::default(),
            api_timeout: Duration::from_secs(10),
            accept_pending_sessions: false,
        }
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl ClerkConfig {
    /// Reads `CLERK_PUBLISHABLE_KEY`, `CLERK_SECRET_KEY`, `CLERK_API_URL`, `CLERK_PROXY_URL`,
    /// `CLERK_JWT_KEY`, `CLERK_AUTHORIZED_PARTIES` and `CLERK_SIGN_IN_URL` (unset or empty
    /// variables keep the defaults).
    pub fn from_env() -> Self {
        let mut c = ClerkConfig {
            publishable_key: env("CLERK_PUBLISHABLE_KEY"),
            secret_key: env("CLERK_SECRET_KEY"),
            proxy_url: env("CLERK_PROXY_URL"),
            jwt_key: env("CLERK_JWT_KEY"),
            sign_in_url: env("CLERK_SIGN_IN_URL"),
            ..ClerkConfig::default()
        };
        if let Some(api) = env("CLERK_API_URL") {
            c.api_url = api;
        }
        if let Some(parties) = env("CLERK_AUTHORIZED_PARTIES") {
            c.authorized_parties = split_list(&parties);
        }
        c
    }

    /// Sets the publishable key.
    pub fn with_publishable_key(mut self, key: impl Into<String>) -> Self {
        self.publishable_key = Some(key.into());
        self
    }
    /// Sets the secret key.
    pub fn with_secret_key(mut self, key: impl Into<String>) -> Self {
        self.secret_key = Some(key.into());
        self
    }
    /// Sets the Backend API base URL.
    pub fn with_api_url(mut self, url: impl Into<String>) -> Self {
        self.api_url = url.into();
        self
    }
    /// Sets the Frontend API proxy URL.
    pub fn with_proxy_url(mut self, url: impl Into<String>) -> Self {
        self.proxy_url = Some(url.into());
        self
    }
    /// Sets the PEM public key (networkless verification).
    pub fn with_jwt_key(mut self, pem: impl Into<String>) -> Self {
        self.jwt_key = Some(pem.into());
        self
    }
    /// Sets an explicit JWKS URL.
    pub fn with_jwks_url(mut self, url: impl Into<String>) -> Self {
        self.jwks_url = Some(url.into());
        self
    }
    /// Sets the authorized parties (allowed `azp` origins).
    pub fn with_authorized_parties<I, S>(mut self, parties: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.authorized_parties = parties.into_iter().map(Into::into).collect();
        self
    }
    /// Sets the sign-in URL used by `protect()` for documents.
    pub fn with_sign_in_url(mut self, url: impl Into<String>) -> Self {
        self.sign_in_url = Some(url.into());
        self
    }
    /// Sets the clock skew (seconds).
    pub fn with_clock_skew_secs(mut self, secs: i64) -> Self {
        self.clock_skew_secs = secs;
        self
    }
    /// Sets the JWKS cache settings.
    pub fn with_jwks_settings(mut self, settings: JwksSettings) -> Self {
        self.jwks = settings;
        self
    }
    /// Accepts `sts: pending` sessions as signed in.
    pub fn with_pending_sessions_accepted(mut self, accept: bool) -> Self {
        self.accept_pending_sessions = accept;
        self
    }

    /// Validates the configuration and builds the handle.
    pub fn build(self) -> Result<Clerk, ConfigError> {
        Clerk::new(self)
    }
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The instance as the request logic needs it.
#[derive(Debug)]
pub(crate) struct Instance {
    pub key: Option<PublishableKey>,
    pub fapi: Option<FapiEndpoint>,
    pub cookie_suffix: Option<String>,
    pub verify: VerifyOptions,
    pub keys: KeySource,
    pub sign_in_url: Option<String>,
    pub accept_pending: bool,
}

impl Instance {
    /// Development instance on a Clerk dev host: the dev-browser rules apply (as clerk-js
    /// runs its dev-browser machinery only there).
    pub fn uses_dev_browser(&self) -> bool {
        self.key
            .as_ref()
            .is_some_and(|k| k.is_development() && k.is_dev_or_staging_host())
    }

    pub fn is_development(&self) -> bool {
        self.key
            .as_ref()
            .is_some_and(PublishableKey::is_development)
    }
}

pub(crate) struct ClerkInner {
    pub instance: Instance,
    pub backend: Option<BackendApi>,
}

/// The configured Clerk instance: cheap to clone (one `Arc`), shared by the layer, the
/// extractor and the Backend API client.
#[derive(Clone)]
pub struct Clerk {
    pub(crate) inner: Arc<ClerkInner>,
}

impl std::fmt::Debug for Clerk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clerk")
            .field("instance", &self.inner.instance)
            .finish_non_exhaustive()
    }
}

impl Clerk {
    /// Builds the handle from `ClerkConfig::from_env()`.
    pub fn from_env() -> Result<Clerk, ConfigError> {
        ClerkConfig::from_env().build()
    }

    /// Validates `config` and builds the handle (nothing is fetched yet).
    pub fn new(config: ClerkConfig) -> Result<Clerk, ConfigError> {
        let key = match config.publishable_key.as_deref() {
            Some(k) => Some(
                PublishableKey::parse(k).map_err(|e| ConfigError::PublishableKey(e.to_string()))?,
            ),
            None => None,
        };
        if let Some(sk) = &config.secret_key {
            if !(sk.starts_with("sk_test_") || sk.starts_with("sk_live_")) {
                return Err(ConfigError::SecretKey);
            }
        }
        let fapi = match (&config.proxy_url, &key) {
            (Some(proxy), _) => Some(
                FapiEndpoint::from_proxy_url(proxy)
                    .map_err(|e| ConfigError::ProxyUrl(e.to_string()))?,
            ),
            (None, Some(key)) => Some(FapiEndpoint::from_key(key)),
            (None, None) => None,
        };
        let http = reqwest::Client::builder()
            .connect_timeout(config.jwks.timeout.min(config.api_timeout))
            .build()
            .map_err(|e| ConfigError::Http(e.to_string()))?;
        let api_url = config.api_url.trim_end_matches('/').to_string();
        // Clerk's order: the PEM key, else the Backend API JWKS (with the secret key), else
        // the Frontend API's public JWKS. An explicit JWKS URL wins over both remotes.
        let keys = if let Some(pem) = &config.jwt_key {
            KeySource::from_pem(pem).map_err(|e| ConfigError::JwtKey(e.message))?
        } else {
            let endpoint = if let Some(url) = &config.jwks_url {
                Some(JwksEndpoint {
                    url: url.clone(),
                    bearer: None,
                })
            } else if let Some(sk) = &config.secret_key {
                Some(JwksEndpoint {
                    url: format!("{api_url}/v1/jwks"),
                    bearer: Some(sk.clone()),
                })
            } else {
                fapi.as_ref().map(|f| JwksEndpoint {
                    url: format!("{}/.well-known/jwks.json", f.base()),
                    bearer: None,
                })
            };
            match endpoint {
                Some(e) => KeySource::Remote(JwksCache::new(e, config.jwks, http.clone())),
                None => return Err(ConfigError::NoKeySource),
            }
        };
        let backend = config
            .secret_key
            .as_ref()
            .map(|sk| BackendApi::new(http.clone(), &api_url, sk, config.api_timeout));
        Ok(Clerk {
            inner: Arc::new(ClerkInner {
                instance: Instance {
                    cookie_suffix: key.as_ref().map(PublishableKey::cookie_suffix),
                    key,
                    fapi,
                    verify: VerifyOptions {
                        authorized_parties: config.authorized_parties,
                        clock_skew_secs: config.clock_skew_secs,
                    },
                    keys,
                    sign_in_url: config.sign_in_url,
                    accept_pending: config.accept_pending_sessions,
                },
                backend,
            }),
        })
    }

    /// The Backend API client (`None` without a secret key).
    pub fn backend(&self) -> Option<&BackendApi> {
        self.inner.backend.as_ref()
    }

    /// How many JWKS fetches this instance has started (0 with a PEM key).
    pub fn jwks_fetch_count(&self) -> u64 {
        match &self.inner.instance.keys {
            KeySource::Remote(cache) => cache.fetch_count(),
            _ => 0,
        }
    }
}
