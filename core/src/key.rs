//! Publishable keys (`pk_test_…` / `pk_live_…`) and the Frontend API address they encode.
//!
//! Validation follows clerk-js's `isPublishableKey` (`@clerk/shared` `keys.ts`):
//! 1. the key (trimmed) starts with `pk_test_` or `pk_live_`;
//! 2. splitting on `_` gives exactly three parts and the third one is non-empty;
//! 3. the third part decodes with the browser's forgiving `atob` (standard alphabet, padding
//!    optional but correct when present, ASCII white space ignored; the URL-safe alphabet is
//!    **not** accepted, exactly like `atob`);
//! 4. the decoded text ends with `$`, has no other `$`, and the host before it contains a `.`.

use crate::base64::{self, Alphabet};

use crate::error::{ClerkError, KeyError, KeyFormatProblem};

/// Prefix of development publishable keys.
pub const PUBLISHABLE_KEY_TEST_PREFIX: &str = "pk_test_";
/// Prefix of production publishable keys.
pub const PUBLISHABLE_KEY_LIVE_PREFIX: &str = "pk_live_";

/// Host suffixes of Clerk development and staging Frontend APIs (`DEV_OR_STAGING_SUFFIXES` of
/// `@clerk/shared`). The dev-browser machinery only runs for these hosts.
pub const DEV_OR_STAGING_SUFFIXES: &[&str] = &[
    ".lcl.dev",
    ".stg.dev",
    ".lclstage.dev",
    ".stgstage.dev",
    ".dev.lclclerk.com",
    ".stg.lclclerk.com",
    ".accounts.lclclerk.com",
    "accountsstage.dev",
    "accounts.dev",
];

/// Development or production instance, from the key prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InstanceType {
    /// `pk_test_` keys.
    Development,
    /// `pk_live_` keys.
    Production,
}

impl InstanceType {
    /// The key prefix of this instance type (`pk_test_` or `pk_live_`).
    pub fn key_prefix(self) -> &'static str {
        match self {
            InstanceType::Development => PUBLISHABLE_KEY_TEST_PREFIX,
            InstanceType::Production => PUBLISHABLE_KEY_LIVE_PREFIX,
        }
    }

    /// `"development"` or `"production"` (the wording of clerk-js and of
    /// `display_config.instance_environment_type`).
    pub fn as_str(self) -> &'static str {
        match self {
            InstanceType::Development => "development",
            InstanceType::Production => "production",
        }
    }
}

/// A validated publishable key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishableKey {
    raw: String,
    instance_type: InstanceType,
    frontend_api: String,
}

impl PublishableKey {
    /// Parses and validates a key with clerk-js's rules (`isPublishableKey`).
    ///
    /// The key is trimmed first. Each rule has its own [`KeyError`].
    pub fn parse(key: &str) -> Result<Self, KeyError> {
        let key = key.trim();
        if key.is_empty() {
            return Err(KeyError::Missing);
        }
        let instance_type = if key.starts_with(PUBLISHABLE_KEY_LIVE_PREFIX) {
            InstanceType::Production
        } else if key.starts_with(PUBLISHABLE_KEY_TEST_PREFIX) {
            InstanceType::Development
        } else {
            return Err(KeyError::InvalidPrefix {
                prefix: key.chars().take(8).collect(),
            });
        };
        let parts: Vec<&str> = key.split('_').collect();
        if parts.len() != 3 {
            return Err(KeyError::InvalidParts { parts: parts.len() });
        }
        let encoded = parts[2];
        if encoded.is_empty() {
            return Err(KeyError::EmptyEncodedPart);
        }
        let bytes = base64::decode(encoded, Alphabet::Standard).ok_or(KeyError::Decode)?;
        // `atob` yields a "binary string": one char per byte (Latin-1).
        let decoded: String = bytes.iter().map(|&b| char::from(b)).collect();
        let Some(host) = decoded.strip_suffix('$') else {
            return Err(KeyError::Format {
                decoded,
                problem: KeyFormatProblem::MissingTrailingDollar,
            });
        };
        if host.contains('$') {
            return Err(KeyError::Format {
                decoded,
                problem: KeyFormatProblem::ExtraDollar,
            });
        }
        if !host.contains('.') {
            return Err(KeyError::Format {
                decoded,
                problem: KeyFormatProblem::HostWithoutDot,
            });
        }
        Ok(PublishableKey {
            raw: key.to_string(),
            instance_type,
            frontend_api: host.to_string(),
        })
    }

    /// True when [`PublishableKey::parse`] would accept the key (clerk-js's `isPublishableKey`).
    pub fn is_valid(key: &str) -> bool {
        Self::parse(key).is_ok()
    }

    /// The key as given (trimmed).
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// Development or production.
    pub fn instance_type(&self) -> InstanceType {
        self.instance_type
    }

    /// True for `pk_test_` keys.
    pub fn is_development(&self) -> bool {
        self.instance_type == InstanceType::Development
    }

    /// The Frontend API host, e.g. `clerk.example.com` or `foo-bar-13.clerk.accounts.dev`.
    pub fn frontend_api(&self) -> &str {
        &self.frontend_api
    }

    /// The cookie-name suffix of this key (clerk-js's `getCookieSuffix`): the SHA-1 of the whole
    /// key, base64url-encoded, first 8 characters. Cookies are written as `name_<suffix>`.
    pub fn cookie_suffix(&self) -> String {
        cookie_suffix(&self.raw)
    }

    /// `name_<cookie_suffix>` (clerk-js's `getSuffixedCookieName`).
    pub fn suffixed_cookie_name(&self, name: &str) -> String {
        format!("{name}_{}", self.cookie_suffix())
    }

    /// True when the Frontend API host is a Clerk development or staging host
    /// ([`DEV_OR_STAGING_SUFFIXES`]). clerk-js runs its dev-browser machinery only then, even
    /// for `pk_test_` keys.
    pub fn is_dev_or_staging_host(&self) -> bool {
        is_dev_or_staging_host(&self.frontend_api)
    }
}

impl std::fmt::Display for PublishableKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.raw)
    }
}

impl std::str::FromStr for PublishableKey {
    type Err = KeyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// The cookie suffix of a raw key string: SHA-1, base64url, first 8 characters.
pub fn cookie_suffix(publishable_key: &str) -> String {
    let digest = crate::sha1::digest(publishable_key.as_bytes());
    // 6 bytes are exactly the first 8 characters.
    base64::encode(&digest[..6], Alphabet::UrlSafe)
}

/// True when `host` ends with one of [`DEV_OR_STAGING_SUFFIXES`] (clerk-js's
/// `isDevOrStagingUrl`).
pub fn is_dev_or_staging_host(host: &str) -> bool {
    !host.is_empty() && DEV_OR_STAGING_SUFFIXES.iter().any(|s| host.ends_with(s))
}

/// Builds a publishable key for a Frontend API host: `pk_test_`/`pk_live_` followed by the
/// unpadded standard base64 of `<host>$` (like clerk's `buildPublishableKey`, with the
/// instance type given explicitly). For tests and emulators.
pub fn build_publishable_key(host: &str, instance_type: InstanceType) -> String {
    let encoded = base64::encode(format!("{host}$").as_bytes(), Alphabet::Standard);
    format!("{}{encoded}", instance_type.key_prefix())
}

/// The base URL of the Frontend API: `https://<frontend api host>` by default, or a proxy
/// (Clerk's `proxyUrl`): requests then go to `<proxy origin>/<proxy path>/v1/...`.
///
/// The stored base never ends with `/`; [`FapiEndpoint::url`] appends `/v1<path>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FapiEndpoint {
    base: String,
    proxied: bool,
}

impl FapiEndpoint {
    /// `https://<frontend api host>` (clerk-js hard-codes https).
    pub fn from_key(key: &PublishableKey) -> Self {
        FapiEndpoint {
            base: format!("https://{}", key.frontend_api()),
            proxied: false,
        }
    }

    /// A proxy URL with Clerk's `proxyUrl` semantics: an absolute `http://` or `https://` URL,
    /// with or without a path prefix and a trailing slash (`http://127.0.0.1:7450`,
    /// `https://app.example.com/__clerk/`). Query strings, fragments, user info and bad ports are
    /// rejected with [`ClerkError::Config`].
    pub fn from_proxy_url(proxy_url: &str) -> Result<Self, ClerkError> {
        let trimmed = proxy_url.trim();
        let invalid = |why: &str| {
            ClerkError::Config(format!(
                "invalid proxy_url {trimmed:?}: {why} (expected an absolute URL such as \
                 \"https://app.example.com/__clerk\" or \"http://127.0.0.1:7450\")"
            ))
        };
        if trimmed.is_empty() {
            return Err(invalid("it is empty"));
        }
        let lower = trimmed.to_ascii_lowercase();
        let (scheme, rest) = if lower.starts_with("https://") {
            ("https", &trimmed[8..])
        } else if lower.starts_with("http://") {
            ("http", &trimmed[7..])
        } else {
            return Err(invalid("the scheme must be http or https"));
        };
        if rest
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
        {
            return Err(invalid("it contains white space or invalid characters"));
        }
        if rest.contains('?') || rest.contains('#') {
            return Err(invalid("it must not contain a query string or a fragment"));
        }
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        if authority.contains('@') {
            return Err(invalid("it must not contain user info"));
        }
        let host =
            parse_authority(authority).ok_or_else(|| invalid("the host or port is invalid"))?;
        let path = path.trim_end_matches('/');
        if path.split('/').any(|seg| seg == "." || seg == "..") {
            return Err(invalid("the path must not contain . or .. segments"));
        }
        Ok(FapiEndpoint {
            base: format!("{scheme}://{host}{path}"),
            proxied: true,
        })
    }

    /// Resolves the endpoint from options: the proxy URL when given (a relative proxy path such
    /// as `/__clerk` is resolved against `page_origin`, like clerk-js does with
    /// `window.location.origin`), else `https://<frontend api>`.
    pub fn resolve(
        key: &PublishableKey,
        proxy_url: Option<&str>,
        page_origin: Option<&str>,
    ) -> Result<Self, ClerkError> {
        match proxy_url.map(str::trim).filter(|p| !p.is_empty()) {
            None => Ok(Self::from_key(key)),
            Some(proxy) if proxy.starts_with('/') && !proxy.starts_with("//") => {
                match page_origin {
                    Some(origin) => Self::from_proxy_url(&format!(
                        "{}{proxy}",
                        origin.trim().trim_end_matches('/')
                    )),
                    None => Err(ClerkError::Config(format!(
                        "relative proxy_url {proxy:?} needs the page origin to be resolved"
                    ))),
                }
            }
            Some(proxy) => Self::from_proxy_url(proxy),
        }
    }

    /// The base without a trailing slash, e.g. `https://clerk.example.com` or
    /// `http://127.0.0.1:7450/__clerk`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// True when the endpoint is a proxy URL.
    pub fn is_proxied(&self) -> bool {
        self.proxied
    }

    /// `<base>/v1<path>` for a FAPI path such as `/client` (a leading `/v1` in `path` is
    /// accepted and not doubled).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, v1_path(path))
    }
}

/// Normalises a FAPI path to `/v1/...`: adds the leading `/` and the `/v1` prefix when
/// missing.
pub(crate) fn v1_path(path: &str) -> String {
    let path = path.trim();
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    if path == "/v1" || path.starts_with("/v1/") {
        path
    } else if path == "/" {
        "/v1".to_string()
    } else {
        format!("/v1{path}")
    }
}

/// Validates `host[:port]` (hostname, IPv4 or `[IPv6]`) and returns it lower-cased.
fn parse_authority(authority: &str) -> Option<String> {
    if authority.is_empty() {
        return None;
    }
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let end = rest.find(']')?;
        let inner = &rest[..end];
        if inner.is_empty()
            || !inner
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return None;
        }
        let after = &rest[end + 1..];
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (&authority[..end + 2], port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return None;
    }
    if !host.starts_with('[')
        && !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
    {
        return None;
    }
    if let Some(port) = port {
        if port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u32 = port.parse().ok()?;
        if n > 65535 {
            return None;
        }
        return Some(format!("{}:{port}", host.to_ascii_lowercase()));
    }
    Some(host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests;

/// Property tests (`cargo test prop_`): arbitrary keys and proxy URLs.
#[cfg(test)]
mod props;
