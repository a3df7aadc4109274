//! What the decision table reads from a request: Clerk's cookie and query names, the
//! cookies (plain or suffixed), the `Authorization` header, the request URL.

use http::header::HeaderMap;
use http::Uri;

use crate::config::Clerk;

/// Cookie and query names of Clerk's protocol.
pub mod names {
    /// The session token cookie.
    pub const SESSION: &str = "__session";
    /// The client's last update time (seconds; 0 = signed out).
    pub const CLIENT_UAT: &str = "__client_uat";
    /// The dev-browser token (development), cookie and query parameter.
    pub const DEV_BROWSER: &str = "__clerk_db_jwt";
    /// Legacy dev-browser query parameter.
    pub const LEGACY_DEV_BROWSER: &str = "__dev_session";
    /// The handshake payload, query parameter (development) or cookie (production).
    pub const HANDSHAKE: &str = "__clerk_handshake";
    /// Handshake debugging query parameter.
    pub const HANDSHAKE_HELP: &str = "__clerk_help";
    /// The handshake reason query parameter.
    pub const HANDSHAKE_REASON: &str = "__clerk_hs_reason";
    /// The suffixed-cookies query parameter.
    pub const SUFFIXED_COOKIES: &str = "suffixed_cookies";
    /// The handshake loop counter cookie.
    pub const REDIRECT_COUNT: &str = "__clerk_redirect_count";
}

/// True for page loads, with Clerk's rule (`isRequestEligibleForHandshake`).
pub fn is_document_request(headers: &HeaderMap) -> bool {
    let get = |n: &str| headers.get(n).and_then(|v| v.to_str().ok());
    match get("sec-fetch-dest") {
        Some("document") | Some("iframe") => true,
        Some(_) => false,
        None => get("accept").is_some_and(|a| a.starts_with("text/html")),
    }
}

/// Every `name=value` of the `Cookie` headers, in order (first wins on duplicates, as the
/// browser sends the most specific cookie first). Values that are not visible ASCII are
/// skipped.
pub fn parse_cookies(headers: &HeaderMap) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    for value in headers.get_all(http::header::COOKIE) {
        let Ok(value) = value.to_str() else { continue };
        for pair in value.split(';') {
            let Some((name, v)) = pair.trim().split_once('=') else {
                continue;
            };
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .unwrap_or(v);
            out.push((name.trim(), v));
        }
    }
    out
}

/// The session token of an `Authorization` header (Clerk's parsing: `Bearer <token>`, or a
/// bare token; another scheme is ignored).
pub fn token_from_authorization(headers: &HeaderMap) -> Option<&str> {
    let value = headers
        .get(http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .trim();
    let token = match value.split_once(' ') {
        None => value,
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
        Some(_) => return None,
    };
    (!token.is_empty()).then_some(token)
}

/// A host (and port) safe to put in a URL we build: letters, digits, `.-:[]` only.
fn safe_host(h: &str) -> Option<&str> {
    let ok = !h.is_empty()
        && h.len() <= 255
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    ok.then_some(h)
}

/// The absolute URL of the request (`clerkUrl`), from the `X-Forwarded-*` / `Host` headers.
pub(super) fn request_url(uri: &Uri, headers: &HeaderMap) -> Option<String> {
    let first = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let host = first("x-forwarded-host")
        .or_else(|| first("host"))
        .or_else(|| uri.authority().map(|a| a.as_str()))
        .and_then(safe_host)?;
    let scheme = match first("x-forwarded-proto").or_else(|| uri.scheme_str()) {
        Some(s) if s.eq_ignore_ascii_case("https") => "https",
        _ => "http",
    };
    let path_and_query = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    Some(format!("{scheme}://{host}{path_and_query}"))
}

fn query_param(uri: &Uri, name: &str) -> Option<String> {
    form_urlencoded::parse(uri.query()?.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .filter(|v| !v.is_empty())
}

/// What the decision table reads from a request (`AuthenticateContext`).
pub(super) struct Context<'a> {
    pub(super) header_token: Option<&'a str>,
    pub(super) session_cookie: Option<&'a str>,
    pub(super) client_uat: i64,
    pub(super) suffixed: bool,
    pub(super) dev_browser: Option<String>,
    pub(super) dev_browser_in_query: bool,
    pub(super) handshake_token: Option<String>,
    pub(super) redirect_count: u32,
    pub(super) is_document: bool,
    pub(super) url: Option<String>,
}

impl<'a> Context<'a> {
    pub(super) fn new(clerk: &Clerk, uri: &'a Uri, headers: &'a HeaderMap) -> Self {
        let cookies = parse_cookies(headers);
        let cookie = |name: &str| {
            cookies
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| *v)
                .filter(|v| !v.is_empty())
        };
        let suffix = clerk.inner.instance.cookie_suffix.as_deref();
        let suffixed_name = |name: &str| suffix.map(|s| format!("{name}_{s}"));
        let suffixed_cookie = |name: &str| suffixed_name(name).and_then(|n| cookie(&n));
        // Clerk's `usesSuffixedCookies`, in short: the suffixed cookies win when they exist,
        // unless the suffixed client is signed out while the plain one is not (an app that
        // moved back to an older SDK).
        let s_uat = suffixed_cookie(names::CLIENT_UAT);
        let uat = cookie(names::CLIENT_UAT);
        let s_session = suffixed_cookie(names::SESSION);
        let suffixed = match (s_uat, s_session) {
            (None, None) => false,
            (Some("0"), _) if uat.is_some_and(|u| u != "0") => false,
            (None, Some(_)) => false,
            _ => true,
        };
        let pick = |name: &str| {
            if suffixed {
                suffixed_cookie(name)
            } else {
                cookie(name)
            }
        };
        let client_uat = pick(names::CLIENT_UAT)
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
            .max(0);
        let db_query = query_param(uri, names::DEV_BROWSER);
        let dev_browser = db_query
            .clone()
            .or_else(|| suffixed_cookie(names::DEV_BROWSER).map(str::to_string))
            .or_else(|| cookie(names::DEV_BROWSER).map(str::to_string));
        Context {
            header_token: token_from_authorization(headers),
            session_cookie: pick(names::SESSION),
            client_uat,
            suffixed,
            dev_browser,
            dev_browser_in_query: db_query.is_some(),
            handshake_token: query_param(uri, names::HANDSHAKE)
                .or_else(|| cookie(names::HANDSHAKE).map(str::to_string)),
            redirect_count: cookie(names::REDIRECT_COUNT)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            is_document: is_document_request(headers),
            url: request_url(uri, headers),
        }
    }
}
