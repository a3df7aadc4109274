//! The redirect policy: the one rule every navigation of the engine follows (sign-out's
//! `redirect_url` / `after_sign_out_url`, the hosted sign-in / sign-up / task pages and the
//! `redirect_url` handed to them).
//!
//! Like clerk-js (`windowNavigate`'s `ALLOWED_PROTOCOLS`, `isAllowedRedirect` with
//! `allowedRedirectOrigins`):
//! - only `http:` and `https:` URLs and paths are followed: `javascript:`, `data:`, … and
//!   scheme-relative `//host` are refused, so a crafted `redirect_url` cannot run script;
//! - the origin must be the page's own (paths always are), the Clerk instance's (the Frontend
//!   API or proxy, the Account Portal pages of the environment, the configured
//!   `sign_in_url` / `sign_up_url`), or match [`ClerkOptions::allowed_redirect_origins`].
//!   When that list is empty, clerk-js's default applies: the Frontend API host without its
//!   `clerk.` label and its subdomains over https (`https://example.com`,
//!   `https://*.example.com` for `clerk.example.com`).
//!
//! A refused URL is not opened and the call reports
//! [`ClerkError::RedirectRefused`], which names the origin (or scheme) only: never the path or
//! query, where a dev-browser id or a token may be.

use super::clerk::Clerk;
use super::options::ClerkOptions;
use super::url::{self, Target, Unsafe};
use crate::error::ClerkError;

/// Which origins a navigation may go to (see the [module docs](self)).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RedirectPolicy {
    /// The page's origin, normalised like [`url::classify`] does.
    page_origin: Option<String>,
    /// Origins of the Clerk instance (exact).
    instance: Vec<String>,
    /// Patterns (`*` = any characters): the app's `allowed_redirect_origins`, else clerk-js's
    /// default.
    allowed: Vec<String>,
}

impl RedirectPolicy {
    /// A policy for a page on `page_origin` with the instance's own origins `instance` (full
    /// URLs are fine, only their origins count), the app's `allowed` patterns, and the
    /// patterns used when `allowed` is empty (`default_allowed`).
    pub(crate) fn new<'a>(
        page_origin: &str,
        instance: impl IntoIterator<Item = &'a str>,
        allowed: &[String],
        default_allowed: impl FnOnce() -> Vec<String>,
    ) -> Self {
        let allowed: Vec<String> = allowed
            .iter()
            .map(|p| p.trim().trim_end_matches('/').to_ascii_lowercase())
            .filter(|p| !p.is_empty())
            .collect();
        RedirectPolicy {
            page_origin: url::origin_of(page_origin),
            instance: instance.into_iter().filter_map(url::origin_of).collect(),
            allowed: if allowed.is_empty() {
                default_allowed()
            } else {
                allowed
            },
        }
    }

    /// `Ok` when a navigation to `target` is allowed, else why not.
    pub(crate) fn check(&self, target: &str) -> Result<(), ClerkError> {
        let origin = match url::classify(target) {
            Ok(Target::Relative) => return Ok(()),
            Ok(Target::Absolute(origin)) => origin,
            Err(why) => {
                let target = match why {
                    Unsafe::Scheme(s) => format!("a {s}: URL"),
                    Unsafe::SchemeRelative => "a scheme-relative (//host) URL".to_string(),
                    Unsafe::Malformed => "a malformed URL".to_string(),
                };
                return Err(ClerkError::RedirectRefused {
                    target,
                    foreign_origin: false,
                });
            }
        };
        let allowed = self.page_origin.as_deref() == Some(origin.as_str())
            || self.instance.contains(&origin)
            || self.allowed.iter().any(|p| glob_match(p, &origin));
        if allowed {
            Ok(())
        } else {
            Err(ClerkError::RedirectRefused {
                target: origin,
                foreign_origin: true,
            })
        }
    }
}

/// clerk-js's default `allowedRedirectOrigins` (`createAllowedRedirectOrigins`) beyond the
/// page's origin: `https://<etld+1>` and `https://*.<etld+1>`, the eTLD+1 being the Frontend
/// API host without its `clerk.` label (`clerk.example.com` → `example.com`,
/// `foo-1.clerk.accounts.dev` → `foo-1.accounts.dev`).
fn default_allowed(frontend_api: &str) -> Vec<String> {
    let host = frontend_api.to_ascii_lowercase();
    // The first `clerk.` label (a plain scan: no substring searcher in the wasm).
    let label = (0..host.len()).find(|&i| {
        (i == 0 || host.as_bytes()[i - 1] == b'.') && host.as_bytes()[i..].starts_with(b"clerk.")
    });
    let site = match label {
        Some(i) => format!("{}{}", &host[..i], &host[i + 6..]),
        None => host,
    };
    if site.is_empty() {
        return Vec::new();
    }
    vec![format!("https://{site}"), format!("https://*.{site}")]
}

/// Whether `text` matches `pattern`, where `*` stands for any run of characters (the only
/// wildcard of clerk-js's origin globs that can occur in an origin). Linear in practice:
/// the classic single-backtrack-point algorithm, no recursion.
fn glob_match(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&b| b == b'*')
}

impl Clerk {
    /// The redirect policy of this instance now (the environment's hosted pages count once it
    /// is known).
    pub(crate) fn redirect_policy(&self) -> RedirectPolicy {
        let options: &ClerkOptions = &self.inner.options;
        let state = self.state();
        let display = state.environment.as_ref().map(|e| &e.display_config);
        let fapi = self.inner.config.as_ref().ok().map(|(_, e)| e.base());
        let instance = [
            fapi,
            options.sign_in_url.as_deref(),
            options.sign_up_url.as_deref(),
            display.and_then(|d| d.sign_in_url.as_deref()),
            display.and_then(|d| d.sign_up_url.as_deref()),
        ];
        let frontend_api = self.key().map(|k| k.frontend_api().to_string());
        RedirectPolicy::new(
            &self.inner.platform.page.origin(),
            instance.into_iter().flatten(),
            &options.allowed_redirect_origins,
            || {
                frontend_api
                    .as_deref()
                    .map(default_allowed)
                    .unwrap_or_default()
            },
        )
    }

    /// Checks `url` against the redirect policy (http(s) only; the page's origin, the Clerk
    /// instance's, or one of [`ClerkOptions::allowed_redirect_origins`]): `Ok` when the engine
    /// would navigate there, else [`ClerkError::RedirectRefused`] saying why (and, for another origin, that it
    /// can be added to `allowed_redirect_origins`).
    pub fn check_redirect(&self, url: &str) -> Result<(), ClerkError> {
        self.redirect_policy().check(url)
    }

    /// How the engine navigates: checks `url` with the redirect policy, then goes there
    /// in-app (the app's router, same origin) or with `Page::navigate` (see `router.rs`).
    pub(crate) fn navigate(&self, url: &str) -> Result<(), ClerkError> {
        self.navigate_as(url, super::router::Navigation::Push)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn policy(allowed: &[&str]) -> RedirectPolicy {
        let allowed: Vec<String> = allowed.iter().map(|s| s.to_string()).collect();
        RedirectPolicy::new(
            "http://localhost:8080",
            [
                "https://clerk.example.com",
                "https://accounts.example.com/sign-in",
            ],
            &allowed,
            || default_allowed("clerk.example.com"),
        )
    }

    fn refused(target: &str, foreign_origin: bool) -> Result<(), ClerkError> {
        Err(ClerkError::RedirectRefused {
            target: target.into(),
            foreign_origin,
        })
    }

    #[test]
    fn same_origin_instance_and_listed_origins_are_followed() {
        let p = policy(&["https://partner.test/", "https://*.shop.test"]);
        for ok in [
            "/after",
            "after?x=1#y",
            "http://LOCALHOST:8080/x",
            "https://clerk.example.com/v1/x",
            "https://accounts.example.com/sign-up",
            "https://partner.test/x",
            "https://a.b.shop.test/x",
        ] {
            assert_eq!(p.check(ok), Ok(()), "{ok}");
        }
        // A list replaces clerk-js's default.
        assert_eq!(
            p.check("https://www.example.com/"),
            refused("https://www.example.com", true)
        );
    }

    #[test]
    fn other_origins_and_schemes_are_refused() {
        let p = policy(&[]);
        assert_eq!(p.check("https://www.example.com/x"), Ok(()), "default list");
        assert_eq!(p.check("https://example.com"), Ok(()), "default list");
        assert_eq!(
            p.check("https://evil.test/?__clerk_db_jwt=dvb_secret"),
            refused("https://evil.test", true)
        );
        assert_eq!(
            p.check("http://www.example.com/"),
            refused("http://www.example.com", true),
            "the default is https only"
        );
        assert_eq!(
            p.check("https://example.com.evil.test/"),
            refused("https://example.com.evil.test", true)
        );
        assert_eq!(
            p.check("javascript:alert(document.cookie)"),
            refused("a javascript: URL", false)
        );
        assert_eq!(
            p.check("//evil.test"),
            refused("a scheme-relative (//host) URL", false)
        );
        assert_eq!(
            p.check("https://localhost:8080@evil.test"),
            refused("a malformed URL", false)
        );
    }

    #[test]
    fn the_error_says_what_to_do_and_shows_no_path() {
        let e = policy(&[])
            .check("https://evil.test/p?__clerk_db_jwt=dvb_secret")
            .unwrap_err()
            .to_string();
        assert!(e.contains("https://evil.test"), "{e}");
        assert!(e.contains("allowed_redirect_origins"), "{e}");
        assert!(!e.contains("dvb_secret") && !e.contains("/p"), "{e}");
        let e = policy(&[]).check("javascript:x").unwrap_err().to_string();
        assert!(e.contains("javascript:") && e.contains("http"), "{e}");
    }

    #[test]
    fn defaults_follow_clerk_js() {
        assert_eq!(
            default_allowed("foo-1.clerk.accounts.dev"),
            ["https://foo-1.accounts.dev", "https://*.foo-1.accounts.dev"]
        );
        assert_eq!(
            default_allowed("clerk.example.com"),
            ["https://example.com", "https://*.example.com"]
        );
    }

    #[test]
    fn glob() {
        assert!(glob_match("https://*.a.test", "https://x.y.a.test"));
        assert!(!glob_match("https://*.a.test", "https://a.test"));
        assert!(glob_match("*", ""));
        assert!(!glob_match("a*b*c", "aXbY"));
        assert!(glob_match("a*b*c", "aXbYc"));
    }
}
