//! `authenticate_request`: Clerk's backend decision table (`tokens/request.ts`,
//! `authenticateContext.ts`, `handshake.ts` of `@clerk/backend`), on `http` types so any
//! framework can call it.
//!
//! - `Authorization` header (`Bearer <jwt>` or a bare token) → verify it; no cookie rules.
//! - Otherwise the cookies: a `__clerk_handshake` payload is resolved first; then (development
//!   instances on Clerk's dev hosts) the dev-browser rules; then `__client_uat` (the client's
//!   last update, 0 = signed out) against `__session`:
//!
//!   | `__client_uat` | `__session` | result |
//!   |---|---|---|
//!   | 0 / missing | missing | signed out `session-token-and-uat-missing` |
//!   | 0 / missing | present | handshake `session-token-but-no-client-uat` |
//!   | > 0 | missing | handshake `client-uat-but-no-session-token` |
//!   | > 0 | `iat` < uat | handshake `session-token-iat-before-client-uat` |
//!   | > 0 | expired / nbf / iat in the future | handshake `session-token-expired` / ... |
//!   | > 0 | valid | signed in |
//!
//!   "Handshake" only for document requests (page loads); anything else is signed out with
//!   the same reason. After three handshake redirects within seconds (the
//!   `__clerk_redirect_count` cookie), the request is signed out instead (loop protection).
//!
//! Not implemented from Clerk's table: satellite domains, organization sync and the
//! refresh-token cookie (handshakes carry `-refresh-non-eligible-no-refresh-cookie` then, as
//! Clerk's do without that cookie).

use http::header::{HeaderMap, HeaderName, HeaderValue};
use http::{Method, Uri};
use serde::Deserialize;
use yew_clerk_core::claims::SessionToken;

use crate::auth::{Auth, SignedInAuth};
use crate::config::Clerk;
use crate::reason::Reason;
use crate::verify::{self, VerifyError, VerifyOptions};

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

/// Clerk stops handshaking after this many redirects in a row.
const MAX_HANDSHAKE_REDIRECTS: u32 = 3;
/// Bounds on a handshake payload (it is signed, but a bug must not balloon a response).
const MAX_HANDSHAKE_COOKIES: usize = 32;

/// The outcome of [`Clerk::authenticate_request`].
#[derive(Clone)]
pub enum RequestState {
    /// A verified session. `headers` may carry `Set-Cookie` (and, after a development
    /// handshake, a `Location` to the clean URL: see [`RequestState::redirect_location`]).
    SignedIn {
        /// The verified token and its claims.
        auth: Box<SignedInAuth>,
        /// Headers to add to the response.
        headers: HeaderMap,
    },
    /// No (valid) session.
    SignedOut {
        /// Clerk's reason.
        reason: Reason,
        /// Details for logs (never the token).
        message: String,
        /// Headers to add to the response.
        headers: HeaderMap,
    },
    /// The page must go through the Frontend API's handshake to get a fresh token: answer
    /// with a 307 to `location` and `headers`.
    Handshake {
        /// `<fapi>/v1/client/handshake?redirect_url=…`.
        location: String,
        /// Why.
        reason: Reason,
        /// `Location`, `Cache-Control: no-store` and the loop-counter cookie.
        headers: HeaderMap,
    },
}

impl std::fmt::Debug for RequestState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RequestState::SignedIn { auth, .. } => f
                .debug_struct("SignedIn")
                .field("user_id", &auth.user_id())
                .field("session_id", &auth.session_id())
                .finish_non_exhaustive(),
            RequestState::SignedOut {
                reason, message, ..
            } => f
                .debug_struct("SignedOut")
                .field("reason", reason)
                .field("message", message)
                .finish_non_exhaustive(),
            // The location may carry the dev-browser id: show only its path.
            RequestState::Handshake {
                location, reason, ..
            } => f
                .debug_struct("Handshake")
                .field("location", &location.split('?').next().unwrap_or(""))
                .field("reason", reason)
                .finish_non_exhaustive(),
        }
    }
}

impl RequestState {
    /// Clerk's status name: `signed-in`, `signed-out` or `handshake`.
    pub fn status(&self) -> &'static str {
        match self {
            RequestState::SignedIn { .. } => "signed-in",
            RequestState::SignedOut { .. } => "signed-out",
            RequestState::Handshake { .. } => "handshake",
        }
    }

    /// The reason (`None` when signed in).
    pub fn reason(&self) -> Option<Reason> {
        match self {
            RequestState::SignedIn { .. } => None,
            RequestState::SignedOut { reason, .. } | RequestState::Handshake { reason, .. } => {
                Some(*reason)
            }
        }
    }

    /// The user id when signed in.
    pub fn user_id(&self) -> Option<&str> {
        match self {
            RequestState::SignedIn { auth, .. } => Some(auth.user_id()),
            _ => None,
        }
    }

    /// Headers to add to the response (Set-Cookie, Location, Cache-Control).
    pub fn headers(&self) -> &HeaderMap {
        match self {
            RequestState::SignedIn { headers, .. }
            | RequestState::SignedOut { headers, .. }
            | RequestState::Handshake { headers, .. } => headers,
        }
    }

    /// Where the response must redirect instead of running the handler: the handshake, or the
    /// clean URL after a handshake was resolved.
    pub fn redirect_location(&self) -> Option<&str> {
        self.headers()
            .get(http::header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    /// The handler-facing [`Auth`] (a handshake is signed out with its reason).
    pub fn to_auth(&self) -> Auth {
        match self {
            RequestState::SignedIn { auth, .. } => Auth::signed_in((**auth).clone()),
            RequestState::SignedOut {
                reason, message, ..
            } => Auth::signed_out(*reason, message.clone()),
            RequestState::Handshake { reason, .. } => Auth::signed_out(*reason, ""),
        }
    }
}

fn signed_out(reason: Reason, message: impl Into<String>) -> RequestState {
    RequestState::SignedOut {
        reason,
        message: message.into(),
        headers: HeaderMap::new(),
    }
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
fn request_url(uri: &Uri, headers: &HeaderMap) -> Option<String> {
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

/// `url` without the query parameters in `drop`.
fn without_params(url: &str, drop: &[&str]) -> String {
    let (base, rest) = match url.split_once('?') {
        Some((b, q)) => (b, q),
        None => return url.to_string(),
    };
    let (query, fragment) = match rest.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (rest, None),
    };
    let kept: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| !drop.contains(&k.as_ref()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut out = base.to_string();
    if !kept.is_empty() {
        out.push('?');
        out.push_str(
            &form_urlencoded::Serializer::new(String::new())
                .extend_pairs(kept)
                .finish(),
        );
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

fn query_param(uri: &Uri, name: &str) -> Option<String> {
    form_urlencoded::parse(uri.query()?.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .filter(|v| !v.is_empty())
}

/// What the decision table reads from a request (`AuthenticateContext`).
struct Context<'a> {
    header_token: Option<&'a str>,
    session_cookie: Option<&'a str>,
    client_uat: i64,
    suffixed: bool,
    dev_browser: Option<String>,
    dev_browser_in_query: bool,
    handshake_token: Option<String>,
    redirect_count: u32,
    is_document: bool,
    url: Option<String>,
}

impl<'a> Context<'a> {
    fn new(clerk: &Clerk, uri: &'a Uri, headers: &'a HeaderMap) -> Self {
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

fn header_value(s: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(s).ok()
}

#[derive(Deserialize)]
struct HandshakeHeader {
    #[serde(default)]
    alg: Option<String>,
    #[serde(default)]
    typ: Option<String>,
    #[serde(default)]
    kid: Option<String>,
}

#[derive(Deserialize)]
struct HandshakePayload {
    handshake: Vec<String>,
}

fn b64_json<T: serde::de::DeserializeOwned>(segment: &str) -> Option<T> {
    let bytes = base64::Engine::decode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        segment.trim_end_matches('='),
    )
    .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// `name` and `value` of a `Set-Cookie` string.
fn set_cookie_pair(s: &str) -> Option<(&str, &str)> {
    let first = s.split(';').next()?;
    let (n, v) = first.split_once('=')?;
    Some((n.trim(), v.trim()))
}

impl Clerk {
    /// Clerk's `authenticateRequest` for any framework: give the request, get signed in /
    /// signed out (with Clerk's reason) / handshake. Never panics, whatever the headers.
    pub async fn authenticate_request<B>(&self, request: &http::Request<B>) -> RequestState {
        self.authenticate(request.method(), request.uri(), request.headers())
            .await
    }

    /// [`Clerk::authenticate_request`] from [`http::request::Parts`] (axum's `Parts`
    /// extractor): use this in a handler, where the request body is not `Sync`.
    pub async fn authenticate_parts(&self, parts: &http::request::Parts) -> RequestState {
        self.authenticate(&parts.method, &parts.uri, &parts.headers)
            .await
    }

    /// [`Clerk::authenticate_request`] from the method, URI and headers of a request.
    pub async fn authenticate(
        &self,
        _method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
    ) -> RequestState {
        let ctx = Context::new(self, uri, headers);
        if let Some(token) = ctx.header_token {
            return match self.verify_session_token(token).await {
                Ok(auth) => self.signed_in(auth, HeaderMap::new()),
                Err(e) => self.handle_error(&ctx, e),
            };
        }
        self.authenticate_cookies(&ctx).await
    }

    /// Builds the [`Auth`] for a state, with the request facts `protect()` needs.
    pub fn auth_for(&self, state: &RequestState, uri: &Uri, headers: &HeaderMap) -> Auth {
        let mut auth = state.to_auth();
        auth.is_document = is_document_request(headers);
        auth.url = request_url(uri, headers);
        auth.clerk = Some(self.clone());
        auth
    }

    /// `verifyToken`: a session token verified with the instance's keys and rules.
    pub async fn verify_session_token(&self, raw: &str) -> Result<SignedInAuth, VerifyError> {
        self.verify_with(raw, &self.inner.instance.verify).await
    }

    async fn verify_with(
        &self,
        raw: &str,
        options: &VerifyOptions,
    ) -> Result<SignedInAuth, VerifyError> {
        let token = verify::decode(raw)?;
        // Header first: a forged alg or typ never costs a JWKS lookup.
        verify::check_header(&token)?;
        let key_ref = self
            .inner
            .instance
            .keys
            .key_for(token.header().kid.as_deref())
            .await?;
        let key = key_ref
            .key()
            .ok_or_else(|| VerifyError::new(Reason::JwkKidMismatch, "no key for this kid"))?;
        verify::verify_decoded(&token, key, options, verify::now_secs())?;
        Ok(SignedInAuth::new(token))
    }

    fn signed_in(&self, auth: SignedInAuth, headers: HeaderMap) -> RequestState {
        if !self.inner.instance.accept_pending
            && auth.session_claims().sts.as_deref() == Some("pending")
        {
            return RequestState::SignedOut {
                reason: Reason::SessionPending,
                message: "the session has pending tasks; it is treated as signed out".into(),
                headers,
            };
        }
        RequestState::SignedIn {
            auth: Box::new(auth),
            headers,
        }
    }

    fn handle_error(&self, ctx: &Context<'_>, e: VerifyError) -> RequestState {
        match e.reason.to_handshake_reason() {
            Some(reason) => self.maybe_handshake(ctx, reason, e.message),
            None => signed_out(e.reason, e.message),
        }
    }

    /// `handleMaybeHandshakeStatus`: a handshake for documents (unless looping), else
    /// signed out with the same reason.
    fn maybe_handshake(&self, ctx: &Context<'_>, reason: Reason, message: String) -> RequestState {
        if !ctx.is_document {
            return signed_out(reason, message);
        }
        let (Some(fapi), Some(url)) = (&self.inner.instance.fapi, &ctx.url) else {
            return signed_out(reason, message);
        };
        if ctx.redirect_count >= MAX_HANDSHAKE_REDIRECTS {
            return signed_out(
                reason,
                "handshake redirect loop: the instance keys of this server and the browser \
                 probably do not match",
            );
        }
        let redirect_url = without_params(url, &[names::DEV_BROWSER, names::LEGACY_DEV_BROWSER]);
        let hs_reason = if reason == Reason::SessionTokenExpired {
            // We have no refresh-token flow: say so, as Clerk does without the cookie.
            format!("{}-refresh-non-eligible-no-refresh-cookie", reason.as_str())
        } else {
            reason.as_str().to_string()
        };
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("redirect_url", &redirect_url);
        q.append_pair(
            names::SUFFIXED_COOKIES,
            if ctx.suffixed { "true" } else { "false" },
        );
        q.append_pair(names::HANDSHAKE_REASON, &hs_reason);
        if self.inner.instance.is_development() {
            if let Some(db) = &ctx.dev_browser {
                q.append_pair(names::DEV_BROWSER, db);
            }
        }
        let location = format!("{}?{}", fapi.url("/client/handshake"), q.finish());
        let mut headers = HeaderMap::new();
        let Some(loc) = header_value(&location) else {
            return signed_out(reason, message);
        };
        headers.insert(http::header::LOCATION, loc);
        headers.insert(
            http::header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        );
        if let Some(c) = header_value(&format!(
            "{}={}; SameSite=Lax; HttpOnly; Max-Age=3",
            names::REDIRECT_COUNT,
            ctx.redirect_count + 1
        )) {
            headers.append(http::header::SET_COOKIE, c);
        }
        RequestState::Handshake {
            location,
            reason,
            headers,
        }
    }

    async fn authenticate_cookies(&self, ctx: &Context<'_>) -> RequestState {
        if let Some(token) = &ctx.handshake_token {
            // Clerk: an unresolvable handshake falls through to the cookie rules.
            if let Ok(state) = self.resolve_handshake(ctx, token).await {
                return state;
            }
        }
        let instance = &self.inner.instance;
        if instance.uses_dev_browser() && ctx.dev_browser_in_query {
            return self.maybe_handshake(ctx, Reason::DevBrowserSync, String::new());
        }
        if instance.uses_dev_browser() && ctx.dev_browser.is_none() {
            return self.maybe_handshake(ctx, Reason::DevBrowserMissing, String::new());
        }
        let has_client = ctx.client_uat > 0;
        let Some(raw) = ctx.session_cookie else {
            return if has_client {
                self.maybe_handshake(ctx, Reason::ClientUatWithoutSessionToken, String::new())
            } else {
                signed_out(Reason::SessionTokenAndUatMissing, "")
            };
        };
        if !has_client {
            return self.maybe_handshake(ctx, Reason::SessionTokenWithoutClientUat, String::new());
        }
        let decoded: SessionToken = match verify::decode(raw) {
            Ok(t) => t,
            Err(e) => return signed_out(e.reason, e.message),
        };
        if decoded.claims().iat < ctx.client_uat {
            return self.maybe_handshake(
                ctx,
                Reason::SessionTokenIatBeforeClientUat,
                String::new(),
            );
        }
        match self.verify_session_token(raw).await {
            Ok(auth) => self.signed_in(auth, HeaderMap::new()),
            Err(e) => self.handle_error(ctx, e),
        }
    }

    /// Verifies the `__clerk_handshake` JWT (signed by the instance key; its `handshake`
    /// claim is a list of `Set-Cookie` strings), sets those cookies and, in development (the
    /// payload came in the URL), redirects to the URL without it.
    async fn resolve_handshake(
        &self,
        ctx: &Context<'_>,
        token: &str,
    ) -> Result<RequestState, VerifyError> {
        let invalid = |m: &str| VerifyError::new(Reason::TokenInvalid, m.to_string());
        let mut parts = token.trim().split('.');
        let (Some(h), Some(p), Some(_), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid("the handshake token is not a JWT"));
        };
        let header: HandshakeHeader =
            b64_json(h).ok_or_else(|| invalid("the handshake token header is not JSON"))?;
        if header.typ.as_deref().is_some_and(|t| t != "JWT") {
            return Err(invalid("the handshake token type is not JWT"));
        }
        if header.alg.as_deref() != Some("RS256") {
            return Err(VerifyError::new(
                Reason::TokenInvalidAlgorithm,
                "the handshake token is not RS256",
            ));
        }
        let key_ref = self
            .inner
            .instance
            .keys
            .key_for(header.kid.as_deref())
            .await?;
        let key = key_ref
            .key()
            .ok_or_else(|| VerifyError::new(Reason::JwkKidMismatch, "no key for this kid"))?;
        if !verify::signature_is_valid(token, key) {
            return Err(VerifyError::new(
                Reason::TokenInvalidSignature,
                "the handshake signature is invalid",
            ));
        }
        let payload: HandshakePayload =
            b64_json(p).ok_or_else(|| invalid("the handshake payload has no cookie list"))?;
        let mut headers = HeaderMap::new();
        let mut session = String::new();
        for cookie in payload.handshake.iter().take(MAX_HANDSHAKE_COOKIES) {
            let Some(value) = header_value(cookie) else {
                continue;
            };
            headers.append(http::header::SET_COOKIE, value);
            if let Some((name, v)) = set_cookie_pair(cookie) {
                if name.starts_with(names::SESSION) {
                    session = v.to_string();
                }
            }
        }
        if ctx.dev_browser_in_query && !sets_cookie(&headers, names::DEV_BROWSER) {
            // Development FAPI sends the dev browser back in the URL; the clean URL drops it
            // (else the next load would be a dev-browser sync handshake again), so keep it
            // in a cookie as clerk-js would.
            if let Some(db) = &ctx.dev_browser {
                if let Some(v) = header_value(&format!(
                    "{}={db}; Path=/; SameSite=Lax",
                    names::DEV_BROWSER
                )) {
                    headers.append(http::header::SET_COOKIE, v);
                }
            }
        }
        if let Some(url) = &ctx.url {
            if self.inner.instance.is_development() || url.contains(names::HANDSHAKE) {
                let clean = without_params(
                    url,
                    &[
                        names::HANDSHAKE,
                        names::HANDSHAKE_HELP,
                        names::DEV_BROWSER,
                        names::LEGACY_DEV_BROWSER,
                    ],
                );
                if let Some(loc) = header_value(&clean) {
                    headers.insert(http::header::LOCATION, loc);
                    headers.insert(
                        http::header::CACHE_CONTROL,
                        HeaderValue::from_static("no-store"),
                    );
                }
            }
        }
        if session.is_empty() {
            return Ok(RequestState::SignedOut {
                reason: Reason::SessionTokenMissing,
                message: "the handshake set no session cookie (signed out)".into(),
                headers,
            });
        }
        match self.verify_session_token(&session).await {
            Ok(auth) => Ok(self.signed_in(auth, headers)),
            Err(e)
                if self.inner.instance.is_development()
                    && e.reason.to_handshake_reason().is_some() =>
            {
                // Clerk: in development a clock skew must not lock the developer out.
                let lenient = VerifyOptions {
                    clock_skew_secs: 86_400,
                    ..self.inner.instance.verify.clone()
                };
                let auth = self.verify_with(&session, &lenient).await?;
                Ok(self.signed_in(auth, headers))
            }
            Err(e) => Err(e),
        }
    }
}

/// True when a `Set-Cookie` in `headers` sets `name` (or its suffixed twin).
fn sets_cookie(headers: &HeaderMap, name: &str) -> bool {
    headers
        .get_all(http::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(set_cookie_pair)
        .any(|(n, _)| n == name || n.strip_prefix(name).is_some_and(|r| r.starts_with('_')))
}

/// Adds `state`'s response headers to `target` (`Set-Cookie` appended, others replaced).
pub fn apply_headers(state: &RequestState, target: &mut HeaderMap) {
    for (name, value) in state.headers() {
        if name == http::header::SET_COOKIE {
            target.append(name, value.clone());
        } else if name != http::header::LOCATION {
            target.insert::<HeaderName>(name.clone(), value.clone());
        }
    }
}
