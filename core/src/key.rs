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
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use ::base64::Engine as _;

    const EXAMPLE: &str = "pk_test_ZXhhbXBsZS5hY2NvdW50cy5kZXYk"; // example.accounts.dev$

    fn b64(s: &str) -> String {
        ::base64::engine::general_purpose::STANDARD.encode(s)
    }

    #[test]
    fn parses_the_documented_example() {
        let key = PublishableKey::parse(EXAMPLE).unwrap();
        assert_eq!(key.instance_type(), InstanceType::Development);
        assert_eq!(key.frontend_api(), "example.accounts.dev");
        assert_eq!(key.as_str(), EXAMPLE);
        assert!(key.is_dev_or_staging_host());
        assert!(key.is_development());
    }

    #[test]
    fn parses_real_looking_keys() {
        let dev = build_publishable_key("foo-bar-13.clerk.accounts.dev", InstanceType::Development);
        let key = PublishableKey::parse(&dev).unwrap();
        assert_eq!(key.frontend_api(), "foo-bar-13.clerk.accounts.dev");
        let live = build_publishable_key("clerk.example.com", InstanceType::Production);
        assert!(live.starts_with("pk_live_"));
        let key = PublishableKey::parse(&live).unwrap();
        assert_eq!(key.instance_type(), InstanceType::Production);
        assert_eq!(key.frontend_api(), "clerk.example.com");
        assert!(!key.is_dev_or_staging_host());
        // A dev key on a non-Clerk host: development instance, but no dev-browser host.
        let local = build_publishable_key("clerk.127.0.0.1.nip.io", InstanceType::Development);
        let key = PublishableKey::parse(&local).unwrap();
        assert!(key.is_development());
        assert!(!key.is_dev_or_staging_host());
    }

    #[test]
    fn trims_white_space() {
        let key = PublishableKey::parse(&format!("  {EXAMPLE}\n")).unwrap();
        assert_eq!(key.as_str(), EXAMPLE);
        assert_eq!(
            PublishableKey::parse(" \t\n ").unwrap_err(),
            KeyError::Missing
        );
    }

    #[test]
    fn empty_is_missing() {
        assert_eq!(PublishableKey::parse("").unwrap_err(), KeyError::Missing);
        assert!(!PublishableKey::is_valid(""));
    }

    #[test]
    fn wrong_prefix() {
        for bad in [
            "sk_test_abc",
            "pk_prod_ZXhhbXBsZS5jb20k",
            "test_ZXhhbXBsZS5jb20k",
            "PK_TEST_x",
        ] {
            match PublishableKey::parse(bad).unwrap_err() {
                KeyError::InvalidPrefix { prefix } => {
                    assert!(prefix.chars().count() <= 8);
                    assert!(bad.starts_with(&prefix));
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
        let err = PublishableKey::parse("sk_test_secretsecretsecret").unwrap_err();
        assert!(!err.to_string().contains("secretsecret"));
        assert!(err.to_string().contains("pk_test_"));
    }

    #[test]
    fn wrong_number_of_parts() {
        let extra = format!("pk_test_{}_x", b64("example.com$"));
        assert_eq!(
            PublishableKey::parse(&extra).unwrap_err(),
            KeyError::InvalidParts { parts: 4 }
        );
        assert_eq!(
            PublishableKey::parse("pk_test_").unwrap_err(),
            KeyError::EmptyEncodedPart
        );
    }

    #[test]
    fn bad_base64() {
        for bad in [
            "pk_test_!!!!",
            "pk_test_ZXhhbXBsZS5jb20k-", // URL-safe alphabet: atob rejects it
            "pk_test_a",                 // 4n+1 length
            "pk_test_ZXhhbXBsZS5jb20k=", // padding on a length that is already complete
        ] {
            assert_eq!(
                PublishableKey::parse(bad).unwrap_err(),
                KeyError::Decode,
                "{bad}"
            );
        }
    }

    #[test]
    fn url_safe_characters_are_rejected_like_atob() {
        // "a.b?~$" encodes to "YS5iP34k" (no +/ needed); find one that needs them.
        let host = "a.b>>?$"; // standard base64 contains '+' or '/'
        let std = b64(host);
        assert!(std.contains('+') || std.contains('/'), "{std}");
        assert!(PublishableKey::parse(&format!("pk_test_{std}")).is_ok());
        let url_safe = std.replace('+', "-").replace('/', "_");
        assert!(PublishableKey::parse(&format!("pk_test_{url_safe}")).is_err());
    }

    #[test]
    fn padding_is_optional_but_must_be_right() {
        // "example.com$" is 12 bytes: no padding. "examples.com$" is 13: "==" padding.
        let padded = b64("examples.com$");
        assert!(padded.ends_with("=="));
        assert!(PublishableKey::parse(&format!("pk_live_{padded}")).is_ok());
        let unpadded = padded.trim_end_matches('=');
        assert!(PublishableKey::parse(&format!("pk_live_{unpadded}")).is_ok());
        let single = b64("example.co$"); // 11 bytes: one '='
        assert!(single.ends_with('=') && !single.ends_with("=="));
        assert!(PublishableKey::parse(&format!("pk_live_{single}")).is_ok());
        let single_unpadded = single.trim_end_matches('=');
        assert!(PublishableKey::parse(&format!("pk_live_{single_unpadded}")).is_ok());
        let too_much = format!("pk_live_{unpadded}=");
        assert_eq!(
            PublishableKey::parse(&too_much).unwrap_err(),
            KeyError::Decode
        );
    }

    #[test]
    fn missing_trailing_dollar() {
        let key = format!("pk_test_{}", b64("example.com"));
        match PublishableKey::parse(&key).unwrap_err() {
            KeyError::Format { decoded, problem } => {
                assert_eq!(decoded, "example.com");
                assert_eq!(problem, KeyFormatProblem::MissingTrailingDollar);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn extra_dollar() {
        for host in ["exa$mple.com$", "example.com$$"] {
            let key = format!("pk_test_{}", b64(host));
            match PublishableKey::parse(&key).unwrap_err() {
                KeyError::Format { problem, .. } => {
                    assert_eq!(problem, KeyFormatProblem::ExtraDollar)
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn host_without_dot() {
        let key = format!("pk_test_{}", b64("localhost$"));
        match PublishableKey::parse(&key).unwrap_err() {
            KeyError::Format { problem, .. } => {
                assert_eq!(problem, KeyFormatProblem::HostWithoutDot)
            }
            other => panic!("{other:?}"),
        }
        let msg = PublishableKey::parse(&key).unwrap_err().to_string();
        assert!(msg.contains("localhost$"), "{msg}");
        assert!(msg.contains('.'), "{msg}");
    }

    #[test]
    fn internal_white_space_is_ignored_by_atob() {
        let enc = b64("example.com$");
        let spaced = format!("pk_test_{} {}", &enc[..4], &enc[4..]);
        assert_eq!(
            PublishableKey::parse(&spaced).unwrap().frontend_api(),
            "example.com"
        );
    }

    #[test]
    fn error_messages_say_what_a_key_looks_like() {
        let all = [
            KeyError::Missing,
            KeyError::InvalidPrefix {
                prefix: "sk_test_".into(),
            },
            KeyError::InvalidParts { parts: 4 },
            KeyError::EmptyEncodedPart,
            KeyError::Decode,
            KeyError::Format {
                decoded: "x".into(),
                problem: KeyFormatProblem::HostWithoutDot,
            },
        ];
        for e in all {
            let m = e.to_string();
            assert!(m.contains("pk_test_") || m.contains("$"), "{m}");
        }
    }

    #[test]
    fn cookie_suffix_is_sha1_base64url_prefix() {
        // SHA-1("pk_test_ZXhhbXBsZS5hY2NvdW50cy5kZXYk"), computed independently.
        let key = PublishableKey::parse(EXAMPLE).unwrap();
        let suffix = key.cookie_suffix();
        assert_eq!(suffix.len(), 8);
        assert!(suffix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        let digest = sha1_smol::Sha1::from(EXAMPLE).digest().bytes();
        let expected: String = ::base64::engine::general_purpose::STANDARD
            .encode(digest)
            .replace('+', "-")
            .replace('/', "_")
            .chars()
            .take(8)
            .collect();
        assert_eq!(suffix, expected);
        assert_eq!(
            key.suffixed_cookie_name("__session"),
            format!("__session_{expected}")
        );
    }

    #[test]
    fn cookie_suffix_known_vector() {
        // SHA-1("abc") = a9993e364706816aba3e25717850c26c9cd0d89d → base64 "qZk+NkcGgWq6PiVxeFDCbJzQ2J0="
        assert_eq!(cookie_suffix("abc"), "qZk-NkcG");
    }

    #[test]
    fn dev_or_staging_hosts() {
        assert!(is_dev_or_staging_host("foo-bar-13.clerk.accounts.dev"));
        assert!(is_dev_or_staging_host("x.accountsstage.dev"));
        assert!(is_dev_or_staging_host("clerk.x.lcl.dev"));
        assert!(is_dev_or_staging_host("a.stg.dev"));
        assert!(!is_dev_or_staging_host("clerk.example.com"));
        assert!(!is_dev_or_staging_host("fapi.localtest.me"));
        assert!(!is_dev_or_staging_host(""));
    }

    #[test]
    fn build_key_round_trips() {
        for (host, it) in [
            ("clerk.example.com", InstanceType::Production),
            ("fapi.localtest.me", InstanceType::Development),
            ("a.b", InstanceType::Development),
        ] {
            let k = build_publishable_key(host, it);
            assert!(!k.ends_with('='));
            let parsed = PublishableKey::parse(&k).unwrap();
            assert_eq!(parsed.frontend_api(), host);
            assert_eq!(parsed.instance_type(), it);
            assert_eq!(k.parse::<PublishableKey>().unwrap(), parsed);
        }
    }

    #[test]
    fn endpoint_from_key() {
        let key = PublishableKey::parse(EXAMPLE).unwrap();
        let ep = FapiEndpoint::from_key(&key);
        assert_eq!(ep.base(), "https://example.accounts.dev");
        assert!(!ep.is_proxied());
        assert_eq!(ep.url("/client"), "https://example.accounts.dev/v1/client");
        assert_eq!(ep.url("client"), "https://example.accounts.dev/v1/client");
        assert_eq!(
            ep.url("/v1/client"),
            "https://example.accounts.dev/v1/client"
        );
        assert_eq!(
            ep.url("/v1environment"),
            "https://example.accounts.dev/v1/v1environment"
        );
    }

    #[test]
    fn endpoint_from_proxy_url() {
        for (input, base) in [
            ("http://127.0.0.1:7450", "http://127.0.0.1:7450"),
            ("http://127.0.0.1:7450/", "http://127.0.0.1:7450"),
            (
                "https://app.example.com/__clerk",
                "https://app.example.com/__clerk",
            ),
            (
                "https://app.example.com/__clerk/",
                "https://app.example.com/__clerk",
            ),
            (
                "HTTPS://App.Example.com/Api/Clerk//",
                "https://app.example.com/Api/Clerk",
            ),
            ("http://[::1]:8080/p", "http://[::1]:8080/p"),
            ("  http://localhost:3000  ", "http://localhost:3000"),
        ] {
            let ep = FapiEndpoint::from_proxy_url(input).unwrap();
            assert_eq!(ep.base(), base, "{input}");
            assert!(ep.is_proxied());
            assert_eq!(ep.url("/client"), format!("{base}/v1/client"));
        }
    }

    #[test]
    fn invalid_proxy_urls_are_config_errors() {
        for bad in [
            "",
            "127.0.0.1:7450",
            "ftp://example.com",
            "http://",
            "http:///path",
            "http://example.com:99999",
            "http://example.com:port",
            "http://user:pw@example.com",
            "http://example.com/p?x=1",
            "http://example.com/#frag",
            "http://exa mple.com",
            "http://example.com/../x",
            "//example.com",
        ] {
            match FapiEndpoint::from_proxy_url(bad) {
                Err(ClerkError::Config(msg)) => assert!(msg.contains("proxy_url"), "{msg}"),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn resolve_endpoint() {
        let key = PublishableKey::parse(EXAMPLE).unwrap();
        assert_eq!(
            FapiEndpoint::resolve(&key, None, None).unwrap().base(),
            "https://example.accounts.dev"
        );
        assert_eq!(
            FapiEndpoint::resolve(&key, Some(""), None).unwrap().base(),
            "https://example.accounts.dev"
        );
        assert_eq!(
            FapiEndpoint::resolve(&key, Some("http://127.0.0.1:7450"), None)
                .unwrap()
                .base(),
            "http://127.0.0.1:7450"
        );
        assert_eq!(
            FapiEndpoint::resolve(&key, Some("/__clerk/"), Some("https://app.example.com/"))
                .unwrap()
                .base(),
            "https://app.example.com/__clerk"
        );
        assert!(matches!(
            FapiEndpoint::resolve(&key, Some("/__clerk"), None),
            Err(ClerkError::Config(_))
        ));
    }
}

/// Property tests (`cargo test prop_`): arbitrary keys and proxy URLs.
#[cfg(test)]
mod props {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::test_support::{within, CASE_LIMIT};
    use proptest::prelude::*;

    fn arb_instance() -> impl Strategy<Value = InstanceType> {
        prop_oneof![
            Just(InstanceType::Development),
            Just(InstanceType::Production)
        ]
    }

    /// What every accepted key must satisfy (clerk-js's `isPublishableKey` rules).
    fn check_accepted(key: &PublishableKey) {
        assert!(key.frontend_api().contains('.'));
        assert!(!key.frontend_api().contains('$'));
        assert_eq!(key.cookie_suffix().len(), 8);
        assert!(key.as_str().starts_with(key.instance_type().key_prefix()));
        let endpoint = FapiEndpoint::from_key(key);
        assert!(endpoint.url("/v1/client").starts_with("https://"));
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn prop_parse_never_panics_on_arbitrary_keys(text in any::<String>()) {
            within(CASE_LIMIT, move || {
                if let Ok(key) = PublishableKey::parse(&text) {
                    check_accepted(&key);
                }
            });
        }

        #[test]
        fn prop_parse_never_panics_on_prefixed_garbage(
            prefix in prop_oneof![Just("pk_test_"), Just("pk_live_"), Just("pk_"), Just("")],
            rest in "[A-Za-z0-9+/=_$. \n-]{0,80}",
        ) {
            within(CASE_LIMIT, move || {
                if let Ok(key) = PublishableKey::parse(&format!("{prefix}{rest}")) {
                    check_accepted(&key);
                }
            });
        }

        #[test]
        fn prop_built_keys_round_trip(
            host in "[a-z0-9-]{1,20}(\\.[a-z0-9-]{1,20}){1,3}",
            instance in arb_instance(),
        ) {
            let raw = build_publishable_key(&host, instance);
            let key = PublishableKey::parse(&raw).unwrap();
            prop_assert_eq!(key.frontend_api(), host.as_str());
            prop_assert_eq!(key.instance_type(), instance);
            prop_assert_eq!(key.as_str(), raw.as_str());
            check_accepted(&key);
        }

        #[test]
        fn prop_endpoints_never_panic(
            proxy in prop_oneof![any::<String>(), "(https?://|/|//)?[a-z0-9.:/_?#-]{0,40}"],
            origin in proptest::option::of("[a-z:/.0-9]{0,30}"),
            path in any::<String>(),
        ) {
            within(CASE_LIMIT, move || {
                let key = PublishableKey::parse(&build_publishable_key("clerk.example.com", InstanceType::Production)).unwrap();
                if let Ok(endpoint) = FapiEndpoint::resolve(&key, Some(&proxy), origin.as_deref()) {
                    let _ = (endpoint.url(&path), endpoint.is_proxied(), endpoint.base().len());
                }
                let _ = FapiEndpoint::from_proxy_url(&proxy);
                let _ = is_dev_or_staging_host(&proxy);
            });
        }
    }
}
