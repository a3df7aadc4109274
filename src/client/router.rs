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
pub trait Router {
    /// Navigates in-app to `path` (the path, query and fragment on the page's origin, e.g.
    /// `/dashboard?tab=1`). Returns `false` when the router cannot take it (e.g. outside its
    /// base path): the engine then loads the page in full.
    fn navigate(&self, path: &str, how: Navigation) -> bool;
}

/// A [`Router`] made of two closures (clerk-react's `routerPush` / `routerReplace`); `replace`
/// defaults to `push`.
pub struct FnRouter {
    /// Takes [`Navigation::Push`] navigations (and `Replace` ones when `replace` is `None`).
    pub push: Rc<dyn Fn(String)>,
    /// Takes [`Navigation::Replace`] navigations.
    pub replace: Option<Rc<dyn Fn(String)>>,
}

impl Router for FnRouter {
    fn navigate(&self, path: &str, how: Navigation) -> bool {
        match (how, &self.replace) {
            (Navigation::Replace, Some(replace)) => replace(path.to_string()),
            _ => (self.push)(path.to_string()),
        }
        true
    }
}

impl Clerk {
    /// Sets (or, with `None`, removes) the router that takes the engine's same-origin
    /// navigations in-app. Without one, every navigation is a full page load
    /// (`location.assign`).
    pub fn set_router(&self, router: Option<Rc<dyn Router>>) {
        *self.inner.router.borrow_mut() = router;
    }

    /// Navigates to `url` as the engine does everywhere: refused by the redirect policy
    /// ([`ClerkError::RedirectRefused`], nothing opened), else in-app through the
    /// [router](Clerk::set_router) when `url` is on the page's origin, else a full page load.
    pub fn navigate_as(&self, url: &str, how: Navigation) -> Result<(), ClerkError> {
        self.check_redirect(url)?;
        let page = &self.inner.platform.page;
        // Cloned out of the cell: the router may re-enter the engine (a re-render reads it).
        let router = self.inner.router.borrow().clone();
        let in_app = router.and_then(|r| {
            let path = in_app_path(url, &page.url(), &page.origin())?;
            r.navigate(&path, how).then_some(())
        });
        if in_app.is_none() {
            page.navigate(url);
        }
        Ok(())
    }
}

/// The path, query and fragment that `target` leads to when it stays on `page_origin` (what a
/// router takes), resolved against the page's URL `page_url` like the browser's URL parser
/// does (`x` next to the current path, `?q` on it, `../x`, `/a/./b`). `None` for another
/// origin and for anything the redirect policy would refuse.
pub(crate) fn in_app_path(target: &str, page_url: &str, page_origin: &str) -> Option<String> {
    let page_origin = url::origin_of(page_origin)?;
    let page_path = match url::classify(page_url) {
        Ok(Target::Absolute(o)) if o == page_origin => after_authority(&clean(page_url)),
        _ => "/".to_string(),
    };
    let target_clean = clean(target);
    let joined = match url::classify(target).ok()? {
        Target::Absolute(origin) if origin == page_origin => after_authority(&target_clean),
        Target::Absolute(_) => return None,
        Target::Relative => join(&page_path, &target_clean),
    };
    let path = normalize(&joined);
    // `//x` would reach the router as another host (`pushState('//x')`): a full load instead.
    (!path.starts_with("//")).then_some(path)
}

/// The target as the URL parser reads it: surrounding C0 controls and spaces trimmed, tabs
/// and newlines removed, `\` as `/` (http(s) URLs only reach here).
fn clean(s: &str) -> String {
    s.trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect()
}

/// What follows `scheme://authority` of a cleaned absolute URL, starting with `/`.
fn after_authority(absolute: &str) -> String {
    let rest = absolute.find("//").map_or(absolute, |i| &absolute[i + 2..]);
    let rest = rest.find(['/', '?', '#']).map_or("", |i| &rest[i..]);
    if rest.starts_with('/') {
        rest.to_string()
    } else {
        format!("/{rest}")
    }
}

/// A relative reference resolved against `base` (a path with its query and fragment).
fn join(base: &str, relative: &str) -> String {
    let base_no_fragment = base.split('#').next().unwrap_or("/");
    let base_path = base_no_fragment.split('?').next().unwrap_or("/");
    match relative.as_bytes().first() {
        None => base_no_fragment.to_string(),
        Some(b'/') => relative.to_string(),
        Some(b'?') => format!("{base_path}{relative}"),
        Some(b'#') => format!("{base_no_fragment}{relative}"),
        Some(_) => {
            let dir = base_path.rfind('/').map_or("/", |i| &base_path[..=i]);
            format!("{dir}{relative}")
        }
    }
}

/// Removes `.` and `..` segments from the path part (RFC 3986 `remove_dot_segments`, as the
/// browser does); the query and fragment are kept as they are.
fn normalize(path_query: &str) -> String {
    let split = path_query.find(['?', '#']).unwrap_or(path_query.len());
    let (path, tail) = path_query.split_at(split);
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let mut out: Vec<&str> = Vec::with_capacity(segments.len());
    let last = segments.len().saturating_sub(1);
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            "." | ".." => {
                if *segment == ".." {
                    out.pop();
                }
                // A trailing `.`/`..` leaves a directory: `/a/b/..` is `/a/`.
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let mut result = String::with_capacity(path_query.len());
    for segment in &out {
        result.push('/');
        result.push_str(segment);
    }
    if result.is_empty() {
        result.push('/');
    }
    result.push_str(tail);
    result
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const PAGE: &str = "http://localhost:8080/app/page?x=1#h";
    const ORIGIN: &str = "http://localhost:8080";

    fn path(target: &str) -> Option<String> {
        in_app_path(target, PAGE, ORIGIN)
    }

    #[test]
    fn same_origin_targets_become_paths() {
        for (target, expected) in [
            ("/dashboard", "/dashboard"),
            ("/d?tab=1#top", "/d?tab=1#top"),
            ("http://LOCALHOST:8080/x", "/x"),
            ("http://localhost:8080", "/"),
            ("http://localhost:8080?q", "/?q"),
            ("other", "/app/other"),
            ("../up", "/up"),
            ("./here/", "/app/here/"),
            ("?y=2", "/app/page?y=2"),
            ("#frag", "/app/page?x=1#frag"),
            ("", "/app/page?x=1"),
            ("/a/./b/../c", "/a/c"),
            ("/a/b/..", "/a/"),
            (" /spaced\t\n", "/spaced"),
            ("\\x", "/x"),
        ] {
            assert_eq!(path(target).as_deref(), Some(expected), "{target:?}");
        }
    }

    #[test]
    fn other_origins_and_refused_urls_are_not_in_app() {
        for target in [
            "https://localhost:8080/x",
            "http://localhost:8081/x",
            "https://accounts.example.com/sign-in",
            "//evil.test/x",
            "javascript:alert(1)",
            "http://localhost:8080@evil.test/",
        ] {
            assert_eq!(path(target), None, "{target:?}");
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;
        use proptest::prelude::*;

        fn oracle(target: &str) -> Option<String> {
            let base = ::url::Url::parse(PAGE).ok()?;
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
            fn prop_in_app_path_is_total_and_a_path(target in any::<String>(), page in any::<String>()) {
                if let Some(p) = in_app_path(&target, &page, ORIGIN) {
                    prop_assert!(p.starts_with('/') && !p.starts_with("//"), "{p:?}");
                }
            }

            /// Plain paths and same-origin URLs resolve as the WHATWG URL parser does.
            #[test]
            fn prop_in_app_path_matches_the_url_parser(
                prefix in prop_oneof![Just(""), Just("/"), Just("http://localhost:8080/"), Just("./"), Just("../")],
                rest in "[a-z0-9./?#=&-]{0,24}",
            ) {
                let target = format!("{prefix}{rest}");
                // `//x` is another host for both, and refused by the policy.
                prop_assume!(!target.starts_with("//"));
                prop_assert_eq!(path(&target), oracle(&target), "{:?}", target);
            }
        }
    }
}
