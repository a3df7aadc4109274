//! In-app navigation: the app's router (clerk-react's `routerPush` / `routerReplace`) takes
//! the engine's same-origin navigations; the others stay full page loads.
//!
//! Every navigation of the engine (sign-out's redirect, the hosted pages, the redirect after
//! a sign-in or sign-up) goes through [`Clerk::navigate_as`]: the redirect policy first
//! (`redirect.rs`), then, like clerk-js's `navigate`, a target on the page's own origin goes
//! to the [`Router`] when one is set (as a path: `/dashboard?tab=1#top`), and anything else
//! (the Account Portal, an identity provider, a listed partner origin) to
//! [`Page::navigate`](super::ports::Page::navigate), a full page load.

use std::rc::Rc;

use super::clerk::Clerk;
use super::url::{self, Target};
use crate::error::ClerkError;

/// How a navigation changes the history: a new entry, or in place of the current one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Navigation {
    /// A new history entry (clerk-react's `routerPush`).
    Push,
    /// In place of the current entry (clerk-react's `routerReplace`).
    Replace,
}

/// The app's router: takes the engine's same-origin navigations in-app (set with
/// [`Clerk::set_router`]; `ClerkProvider`'s `router_push` / `router_replace` props and the
/// `yew-router` feature's `ClerkRouterBridge` install one).
///
/// ```
/// use yew_clerk::client::{Navigation, Router};
///
/// /// Hands every same-origin path to the app's own router.
/// struct MyRouter;
/// impl Router for MyRouter {
///     fn navigate(&self, path: &str, how: Navigation) -> bool {
///         println!("{how:?} {path}"); // e.g. history.pushState + re-render
///         true
///     }
/// }
/// ```
pub trait Router {
    /// Navigates in-app to `path` (the path, query and fragment on the page's origin, e.g.
    /// `/dashboard?tab=1`). Returns `false` when the router cannot take it (e.g. outside its
    /// base path): the engine then loads the page in full.
    fn navigate(&self, path: &str, how: Navigation) -> bool;
}

impl Clerk {
    /// Sets (or, with `None`, removes) the router that takes the engine's same-origin
    /// navigations in-app. Without one, every navigation is a full page load
    /// (`location.assign`).
    pub fn set_router(&self, router: Option<Rc<dyn Router>>) {
        self.inner.router.set(router);
    }

    /// Navigates to `url` as the engine does everywhere: refused by the redirect policy
    /// ([`ClerkError::RedirectRefused`], nothing opened), else in-app through the
    /// [router](Clerk::set_router) when `url` is on the page's origin, else a full page load.
    pub fn navigate_as(&self, url: &str, how: Navigation) -> Result<(), ClerkError> {
        self.check_redirect(url)?;
        let page = &self.inner.platform.page;
        // Cloned out of the cell: the router may re-enter the engine (a re-render reads it).
        let router = self.inner.router.get();
        let in_app = router.and_then(|r| {
            let path = in_app_path(url, &page.origin())?;
            r.navigate(&path, how).then_some(())
        });
        if in_app.is_none() {
            page.navigate(url);
        }
        Ok(())
    }
}

/// The path, query and fragment that `target` leads to when it stays on `page_origin` (what a
/// router takes): a path (`/dashboard?tab=1#top`) as it is, a URL on the page's origin
/// without its origin. `None` (a full page load, always correct) for another origin, for
/// anything the redirect policy would refuse, and for the forms a router might read
/// differently from the browser: relative references (`x`, `?q`, `../x`), dot segments,
/// `\`, control characters and spaces.
pub(crate) fn in_app_path(target: &str, page_origin: &str) -> Option<String> {
    // Byte-wise checks, no substring searcher: this runs in every app that signs out.
    let bytes = target.as_bytes();
    let plain = bytes.iter().all(|&b| b > b' ' && b != b'\\' && b != 0x7f)
        // `%2e` is a dot to the URL parser.
        && !bytes.windows(3).any(|w| w[0] == b'%' && w[1] == b'2' && w[2] | 0x20 == b'e');
    if !plain {
        return None;
    }
    let (path, absolute) = match url::classify(target).ok()? {
        Target::Relative => (target, false),
        // `location.origin` is already in the classifier's form (lower case, no default port).
        Target::Absolute(origin) if origin == page_origin => {
            // `scheme://authority`: the authority ends at the first `/`, `?` or `#` after the
            // `://` (plain, so the classifier's two slashes are `//`).
            let start = bytes.iter().position(|&b| b == b':')? + 3;
            let end = (start..bytes.len())
                .find(|&i| matches!(bytes[i], b'/' | b'?' | b'#'))
                .unwrap_or(bytes.len());
            (target.get(end..)?, true)
        }
        Target::Absolute(_) => return None,
    };
    let path_end = path
        .bytes()
        .position(|b| b == b'?' || b == b'#')
        .unwrap_or(path.len());
    let dots = path.as_bytes()[..path_end]
        .split(|&b| b == b'/')
        .any(|segment| segment == b"." || segment == b"..");
    match path.as_bytes() {
        _ if dots => None,
        [] if absolute => Some("/".to_string()),
        [b'/', b'/', ..] => None,
        [b'/', ..] => Some(path.to_string()),
        [b'?' | b'#', ..] if absolute => {
            let mut rooted = String::from("/");
            rooted.push_str(path);
            Some(rooted)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const ORIGIN: &str = "http://localhost:8080";

    fn path(target: &str) -> Option<String> {
        in_app_path(target, ORIGIN)
    }

    #[test]
    fn same_origin_targets_become_paths() {
        for (target, expected) in [
            ("/dashboard", "/dashboard"),
            ("/d?tab=1#top", "/d?tab=1#top"),
            ("http://LOCALHOST:8080/x", "/x"),
            ("http://localhost:8080", "/"),
            ("http://localhost:8080?q", "/?q"),
            ("http://localhost:8080#f", "/#f"),
            ("/a/..b/c.", "/a/..b/c."),
            ("/p?next=../x#./y", "/p?next=../x#./y"),
        ] {
            assert_eq!(path(target).as_deref(), Some(expected), "{target:?}");
        }
    }

    #[test]
    fn other_origins_refused_urls_and_unusual_forms_are_full_loads() {
        for target in [
            "https://localhost:8080/x",
            "http://localhost:8081/x",
            "https://accounts.example.com/sign-in",
            "//evil.test/x",
            "http://localhost:8080//evil.test/x",
            "javascript:alert(1)",
            "http://localhost:8080@evil.test/",
            "other",
            "?q",
            "#f",
            "",
            "../up",
            "/a/./b",
            "/a/..",
            " /spaced",
            "/tab\tbed",
            "\\x",
            "/a/%2E%2e/b",
        ] {
            assert_eq!(path(target), None, "{target:?}");
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;
        use proptest::prelude::*;

        fn oracle(target: &str) -> Option<String> {
            let base = ::url::Url::parse("http://localhost:8080/app/page?x=1#h").ok()?;
            let joined = base.join(target).ok()?;
            if joined.origin().ascii_serialization() != ORIGIN {
                return None;
            }
            let mut out = joined.path().to_string();
            if let Some(q) = joined.query() {
                out.push('?');
                out.push_str(q);
            }
            if let Some(f) = joined.fragment() {
                out.push('#');
                out.push_str(f);
            }
            (!out.starts_with("//")).then_some(out)
        }

        proptest! {
            /// Any input: no panic, and a result is always an absolute path (never `//host`,
            /// which a router would hand to the browser as another host).
            #[test]
            fn prop_in_app_path_is_total_and_a_path(target in any::<String>(), origin in any::<String>()) {
                for origin in [origin.as_str(), ORIGIN] {
                    if let Some(p) = in_app_path(&target, origin) {
                        prop_assert!(p.starts_with('/') && !p.starts_with("//"), "{p:?}");
                        prop_assert!(p.bytes().all(|b| b > b' '), "{p:?}");
                    }
                }
            }

            /// A path handed to the router is where the browser's URL parser (the `url`
            /// crate) says `target` leads on this page.
            #[test]
            fn prop_in_app_path_agrees_with_the_url_parser(
                prefix in prop_oneof![
                    Just(""), Just("/"), Just("http://localhost:8080"), Just("http://localhost:8080/"),
                    Just("HTTP://LocalHost:8080/"), Just("https://localhost:8080/"), Just("./"), Just("../"),
                ],
                rest in "[a-zA-Z0-9./?#=&%-]{0,24}",
            ) {
                let target = format!("{prefix}{rest}");
                if let Some(p) = path(&target) {
                    prop_assert_eq!(Some(p), oracle(&target), "{:?}", target);
                }
            }
        }
    }
}
