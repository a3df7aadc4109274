//! Where to go after a sign-in or a sign-up (clerk-js's `RedirectUrls`, read from
//! `@clerk/shared`'s `internal/clerk-js/redirectUrls.ts` and `clerk.ts`'s `buildSignInUrl`):
//!
//! 1. the flow's **force** URL (`sign_in_force_redirect_url` / `sign_up_force_redirect_url`),
//! 2. the `redirect_url` **query parameter** of the page the flow ran on (set by
//!    `redirect_to_sign_in` and by whoever linked there),
//! 3. the flow's **fallback** URL (`sign_in_fallback_redirect_url` / `…_sign_up_…`),
//! 4. the default: clerk-js goes to `/`; [`AfterAuthRedirect::url`] is `None` so the caller
//!    chooses (the headless flows stay on the page).
//!
//! Every candidate passes the redirect policy (`redirect.rs`); a refused one is skipped, the
//! next one is used, and the refusal is reported ([`AfterAuthRedirect::refused`], or a
//! `console.warn` where there is no caller to return it to). clerk-js drops refused URLs
//! silently.
//!
//! The hosted sign-in / sign-up URLs carry the four options as query parameters next to
//! `redirect_url` (clerk-js puts them in the hash; the Account Portal reads both), made
//! absolute against the page, so the Account Portal applies the same precedence.

use super::clerk::Clerk;
use super::options::ClerkOptions;
use super::redirect::RedirectPolicy;
use super::router::{in_app_path, Navigation};
use super::url;
use crate::error::ClerkError;

/// Which flow completed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthFlow {
    /// A sign-in.
    SignIn,
    /// A sign-up.
    SignUp,
}

/// Where to go after a sign-in or sign-up ([`Clerk::after_auth_url`]).
#[derive(Clone, Debug, PartialEq)]
pub struct AfterAuthRedirect {
    /// The first candidate the redirect policy allows; `None` when none is set (clerk-js then
    /// goes to `/`).
    pub url: Option<String>,
    /// The first candidate that was refused and skipped, if any
    /// ([`ClerkError::RedirectRefused`]: names the origin or scheme, never the path).
    pub refused: Option<ClerkError>,
}

/// The (force, fallback) options of `flow`.
fn options_of(options: &ClerkOptions, flow: AuthFlow) -> (Option<&str>, Option<&str>) {
    match flow {
        AuthFlow::SignIn => (
            options.sign_in_force_redirect_url.as_deref(),
            options.sign_in_fallback_redirect_url.as_deref(),
        ),
        AuthFlow::SignUp => (
            options.sign_up_force_redirect_url.as_deref(),
            options.sign_up_fallback_redirect_url.as_deref(),
        ),
    }
}

/// clerk-js's precedence over `candidates` (force, `redirect_url`, fallback): the first one
/// that is set (not blank) and that `check` allows.
pub(crate) fn pick(
    candidates: [Option<&str>; 3],
    check: impl Fn(&str) -> Result<(), ClerkError>,
) -> AfterAuthRedirect {
    let mut refused = None;
    for candidate in candidates.into_iter().flatten() {
        let candidate = candidate.trim();
        if candidate.is_empty() {
            continue;
        }
        match check(candidate) {
            Ok(()) => {
                return AfterAuthRedirect {
                    url: Some(candidate.to_string()),
                    refused,
                }
            }
            Err(e) => {
                refused.get_or_insert(e);
            }
        }
    }
    AfterAuthRedirect { url: None, refused }
}

/// The names of the options on the hosted pages' URLs, in clerk-js's order.
const HOSTED_PARAMS: [&str; 4] = [
    "sign_in_force_redirect_url",
    "sign_in_fallback_redirect_url",
    "sign_up_force_redirect_url",
    "sign_up_fallback_redirect_url",
];

impl Clerk {
    /// Where to go once a sign-in or sign-up completed (clerk-js's `buildAfterSignInUrl` /
    /// `buildAfterSignUpUrl`): the flow's force URL, else `redirect_url` (the `redirect_url`
    /// query parameter of the page the flow ran on; [`Clerk::page_redirect_url`] reads it),
    /// else the fallback URL, each only when the redirect policy allows it. The one function
    /// every flow (password, codes, OAuth callback) uses to decide where to go.
    pub fn after_auth_url(&self, flow: AuthFlow, redirect_url: Option<&str>) -> AfterAuthRedirect {
        let (force, fallback) = options_of(&self.inner.options, flow);
        let policy = self.redirect_policy();
        pick([force, redirect_url, fallback], |u| policy.check(u))
    }

    /// The `redirect_url` query parameter of the current page (where a hosted page, a
    /// `redirect_to_sign_in` or a link asked to come back to after signing in).
    pub fn page_redirect_url(&self) -> Option<String> {
        url::query_param(&self.inner.platform.page.url(), "redirect_url")
    }

    /// Navigates to [`Clerk::after_auth_url`] (clerk-js's `redirectToAfterSignIn` /
    /// `redirectToAfterSignUp`), `/` when no candidate is set; in-app through the router when
    /// it is on the page's origin.
    ///
    /// Returns [`ClerkError::RedirectRefused`] when a candidate was refused: the navigation to
    /// the next candidate has happened anyway (like `sign_out`, the action stands and the
    /// refusal is reported).
    pub fn redirect_after_auth(
        &self,
        flow: AuthFlow,
        redirect_url: Option<&str>,
    ) -> Result<(), ClerkError> {
        let target = self.after_auth_url(flow, redirect_url);
        let url = target.url.as_deref().unwrap_or("/");
        self.navigate_as(&self.with_dev_browser(url), Navigation::Push)?;
        target.refused.map_or(Ok(()), Err)
    }

    /// After a headless flow made its new session current: goes to [`Clerk::after_auth_url`]
    /// (with the page's `redirect_url`) when one is set, and stays on the page otherwise (a
    /// custom form re-renders signed in; clerk-js's components would go to `/`). A refused
    /// candidate is reported with `console.warn`: the flow itself succeeded.
    pub(crate) fn redirect_after_flow(&self, flow: AuthFlow) {
        let redirect_url = self.page_redirect_url();
        let target = self.after_auth_url(flow, redirect_url.as_deref());
        let navigated = target
            .url
            .as_deref()
            .map(|url| self.navigate_as(&self.with_dev_browser(url), Navigation::Push));
        for error in [target.refused, navigated.and_then(Result::err)]
            .into_iter()
            .flatten()
        {
            self.warn_redirect("the redirect after sign-in/up", &error);
        }
    }

    /// The query parameters the hosted sign-in / sign-up pages get besides `redirect_url`:
    /// the four options that the policy allows, absolute (a path means this page's origin,
    /// not the Account Portal's), a fallback dropped when its force URL is set (clerk-js).
    pub(crate) fn hosted_redirect_params(
        &self,
        policy: &RedirectPolicy,
    ) -> Vec<(&'static str, String)> {
        let o = &self.inner.options;
        let values = [
            o.sign_in_force_redirect_url.as_deref(),
            o.sign_in_fallback_redirect_url.as_deref(),
            o.sign_up_force_redirect_url.as_deref(),
            o.sign_up_fallback_redirect_url.as_deref(),
        ];
        let mut params = Vec::new();
        for (i, (name, value)) in HOSTED_PARAMS.into_iter().zip(values).enumerate() {
            let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
                continue;
            };
            // A fallback (odd index) is moot next to its force URL.
            if i % 2 == 1 && params.iter().any(|(n, _)| *n == HOSTED_PARAMS[i - 1]) {
                continue;
            }
            match policy.check(value) {
                Ok(()) => params.push((name, self.absolute(value))),
                Err(e) => self.warn_redirect(name, &e),
            }
        }
        params
    }

    /// `target` as an absolute URL: a path (`/x`) on the page's origin. Other relative forms
    /// are left as they are (rare in configuration; the Account Portal resolves them).
    pub(crate) fn absolute(&self, target: &str) -> String {
        let page = &self.inner.platform.page;
        if url::origin_of(target).is_some() {
            return target.to_string();
        }
        let origin = page.origin();
        match in_app_path(target, &origin) {
            Some(path) => [origin.trim_end_matches('/'), &path].concat(),
            None => target.to_string(),
        }
    }

    /// Reports a redirect that was skipped where no caller gets the error.
    fn warn_redirect(&self, what: &str, error: &ClerkError) {
        self.inner
            .platform
            .page
            .warn(&format!("yew-clerk: {what} was not followed: {error}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refuse_evil(u: &str) -> Result<(), ClerkError> {
        if u.contains("evil") {
            Err(ClerkError::RedirectRefused {
                target: "https://evil.test".into(),
                foreign_origin: true,
            })
        } else {
            Ok(())
        }
    }

    #[test]
    fn precedence_is_force_then_redirect_url_then_fallback() {
        let p = |c: [Option<&str>; 3]| pick(c, refuse_evil).url;
        assert_eq!(
            p([Some("/f"), Some("/q"), Some("/b")]).as_deref(),
            Some("/f")
        );
        assert_eq!(p([None, Some("/q"), Some("/b")]).as_deref(), Some("/q"));
        assert_eq!(p([None, None, Some("/b")]).as_deref(), Some("/b"));
        assert_eq!(p([Some(" "), Some(""), None]), None, "blank = unset");
        assert_eq!(p([None, None, None]), None);
    }

    #[test]
    fn a_refused_candidate_is_skipped_and_reported() {
        let r = pick(
            [
                Some("https://evil.test/f"),
                Some("https://evil.test/q"),
                Some("/b"),
            ],
            refuse_evil,
        );
        assert_eq!(r.url.as_deref(), Some("/b"));
        assert!(matches!(
            r.refused,
            Some(ClerkError::RedirectRefused { .. })
        ));
        let r = pick([None, Some("javascript:evil"), None], refuse_evil);
        assert_eq!(r.url, None);
        assert!(r.refused.is_some());
    }
}
