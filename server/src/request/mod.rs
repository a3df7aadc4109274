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
//!
//! Files: this one holds the outcome ([`RequestState`]) and the decision table;
//! `reading.rs` what is read from the request (cookies, headers, query, the request URL);
//! `handshake.rs` the handshake redirect we build and the handshake payload we resolve.

mod handshake;
mod reading;

use http::header::{HeaderMap, HeaderName};
use http::{Method, Uri};
use yew_clerk_core::claims::SessionToken;

use crate::auth::{Auth, SignedInAuth};
use crate::config::Clerk;
use crate::reason::Reason;
use crate::verify::{self, VerifyError, VerifyOptions};

pub use reading::{is_document_request, names, parse_cookies, token_from_authorization};
use reading::{request_url, Context};

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
