//! Talking to FAPI: building requests like clerk-js (only GET/POST on the wire, `_method`,
//! form bodies, `__clerk_db_jwt` in development), turning responses into values or
//! [`ClerkError`]s, the dev browser, and the generic `{response, client}` call that applies
//! the piggybacked client.

use crate::core::json::FromJson;

use super::clerk::{Clerk, Select};
use super::ports::{HttpResponse, TransportError};
use crate::core::models::ClientEnvelope;
#[cfg(feature = "dev-browser")]
use crate::core::models::ErrorEnvelope;
use crate::core::request::{
    client_from_error_body, parse_envelope, parse_plain, FapiRequest, Method, RequestBuilder,
};
use crate::error::ClerkError;

/// Deadline of every FAPI request: a request with no answer by then is dropped (the browser
/// transport aborts its fetch) and fails with [`ClerkError::Timeout`], so no caller, lock or
/// timer waits on a stalled connection.
pub(crate) const REQUEST_TIMEOUT_MS: u32 = 10_000;

/// The dev-browser error code that makes the client create a new dev browser and retry.
#[cfg(feature = "dev-browser")]
const DEV_BROWSER_UNAUTHENTICATED: &str = "dev_browser_unauthenticated";

impl Clerk {
    /// Builds the wire request with core's [`RequestBuilder`] (API version, `_method`,
    /// `__clerk_db_jwt` in development). `query` goes first in the query string.
    pub(crate) fn build_request(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        form: &[(&str, &str)],
    ) -> Result<FapiRequest, ClerkError> {
        let (_, endpoint) = self.inner.config.as_ref().map_err(Clone::clone)?;
        let dev_browser = if self.is_development() {
            self.dev_browser_id()
        } else {
            None
        };
        // `_clerk_session_id` (added by the builder on non-`/client` paths, e.g. `/v1/me`).
        let session_id = self.current_context().map(|(sid, _)| sid);
        Ok(RequestBuilder::new(endpoint.clone())
            .with_dev_browser(dev_browser)
            .with_session_id(session_id)
            .build(method, path, query, form))
    }

    /// Maps a transport failure (`Offline` also when the page says it is offline).
    pub(crate) fn transport_error(&self, request_path: &str, e: TransportError) -> ClerkError {
        match e {
            TransportError::Offline => ClerkError::Offline,
            TransportError::Network(_) if !self.inner.platform.page.is_online() => {
                ClerkError::Offline
            }
            TransportError::Network(message) => ClerkError::Network {
                url: request_path.to_string(),
                message,
            },
        }
    }

    /// Sends one request and returns the raw response (any status). Adopts a rotated
    /// dev browser (`Clerk-Db-Jwt` header); on `401 dev_browser_unauthenticated` creates a
    /// new dev browser and retries once.
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        form: &[(&str, &str)],
    ) -> Result<HttpResponse, ClerkError> {
        let mut retried = false;
        loop {
            let sent_with = self.dev_browser_id();
            let request = self.build_request(method, path, query, form)?;
            let response = self.transmit(request).await?;
            self.adopt_dev_browser_header(&response);
            if !retried && self.is_development() && is_dev_browser_unauthenticated(&response) {
                retried = true;
                self.replace_dev_browser(sent_with).await?;
                continue;
            }
            return Ok(response);
        }
    }

    /// Hands one request to the transport with the [`REQUEST_TIMEOUT_MS`] deadline, turning
    /// transport failures into `ClerkError`s.
    pub(crate) async fn transmit(&self, request: FapiRequest) -> Result<HttpResponse, ClerkError> {
        let path = request.path.clone();
        let sent = self.inner.platform.transport.send(request);
        let result = self
            .deadline(&path, REQUEST_TIMEOUT_MS, async move { Ok(sent.await) })
            .await?;
        result.map_err(|e| self.transport_error(&path, e))
    }

    /// `fut`, or [`ClerkError::Timeout`] after `ms` (then `fut` is dropped, which aborts a
    /// browser fetch).
    pub(crate) async fn deadline<T>(
        &self,
        path: &str,
        ms: u32,
        fut: impl std::future::Future<Output = Result<T, ClerkError>>,
    ) -> Result<T, ClerkError> {
        let mut timeout = self.inner.platform.clock.sleep(ms);
        let mut fut = std::pin::pin!(fut);
        // A two-way race polled by hand (`fut` first, as `futures_util::future::select`
        // did): it has no "polled twice" panic path to link.
        let timed_out = std::future::poll_fn(|cx| match fut.as_mut().poll(cx) {
            std::task::Poll::Ready(result) => std::task::Poll::Ready(Ok(result)),
            std::task::Poll::Pending => timeout.as_mut().poll(cx).map(Err),
        })
        .await;
        match timed_out {
            Ok(result) => result,
            Err(()) => Err(ClerkError::Timeout {
                url: path.to_string(),
                after_ms: ms,
            }),
        }
    }

    /// `send` + status check + JSON parsing.
    pub(crate) async fn fetch_json<T: FromJson>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        form: &[(&str, &str)],
    ) -> Result<T, ClerkError> {
        let response = self.send(method, path, query, form).await?;
        self.reading(|| parse_response(&response, path))
    }

    /// Runs a parse of a FAPI body and reports schema drift once per engine: optional fields
    /// that Clerk sent in a shape this version does not read fall back to their defaults
    /// (`core::json::collect_drift`) instead of failing the load, and the developer is told
    /// once with `console.warn` (the message names field paths and types, never values).
    pub(crate) fn reading<R>(&self, read: impl FnOnce() -> R) -> R {
        let (result, drift) = crate::core::json::collect_drift(read);
        self.report_drift(drift);
        result
    }

    /// The part of [`Clerk::reading`] that does not depend on what is read, out of line:
    /// compiled once instead of inlined into every caller (wasm size).
    #[inline(never)]
    fn report_drift(&self, drift: crate::core::json::Drift) {
        if !drift.is_empty() && !self.inner.once.drift_reported.replace(true) {
            self.inner.platform.page.warn(&format!(
                "yew-clerk: Clerk's response has fields this version does not read; they fall back to their defaults ({drift}). Upgrade yew-clerk if this persists."
            ));
        }
    }

    /// A `{response, client}` call: applies the piggybacked client (keeping the current
    /// session) and returns the resource.
    pub(crate) async fn call<T: FromJson>(
        &self,
        method: Method,
        path: &str,
        form: &[(&str, &str)],
        select: Select,
    ) -> Result<Option<T>, ClerkError> {
        let epoch = self.inner.current.epoch();
        let response = self.send(method, path, &[], form).await?;
        // The current session changed while this request was in flight (a sign-out, a
        // switch): its piggybacked client predates that and must not select a session again.
        let select = if self.inner.current.epoch() == epoch {
            select
        } else {
            Select::Ignore
        };
        let parsed: Result<ClientEnvelope<T>, ClerkError> = self.reading(|| {
            parse_envelope(
                response.status,
                &response.body,
                path,
                response.retry_after.as_deref(),
            )
        });
        let envelope = match parsed {
            Ok(envelope) => envelope,
            Err(e) => {
                // Some errors (sign-in attempts) still carry the updated client.
                if let Some(client) = client_from_error_body(&response.body) {
                    self.apply_client(Some(client), select);
                }
                return Err(e);
            }
        };
        if let Some(client) = envelope.client {
            self.apply_client(Some(client), select);
        }
        Ok(envelope.response)
    }

    /// Low-level FAPI call for flows built on top of the engine (sign-in, sign-up, profile):
    /// sends `form` to `path` (e.g. `/v1/client/sign_ins`), applies the piggybacked `client`
    /// of the `{response, client}` envelope to the state (keeping the current session), and
    /// returns the `response` resource. Waits for load; API errors come back as
    /// [`ClerkError::Api`].
    ///
    /// `T` is the resource's model: any of [`crate::core::models`] (`Session`, `Client`,
    /// `User`, …) or of the flows ([`SignIn`](crate::client::flows::SignIn),
    /// [`SignUp`](crate::client::flows::SignUp), …), which read themselves from FAPI's JSON
    /// through [`FromJson`](crate::core::models::FromJson). For a resource the library has
    /// no model of, read it as a [`JsonValue`](crate::core::models::JsonValue).
    pub async fn request<T: FromJson>(
        &self,
        method: Method,
        path: &str,
        form: &[(&str, &str)],
    ) -> Result<Option<T>, ClerkError> {
        self.wait_loaded().await;
        if let Err(e) = &self.inner.config {
            return Err(e.clone());
        }
        self.call(method, path, form, Select::Keep).await
    }
}

/// The wait a `Retry-After` header asks for (seconds on an API error), capped at `cap_ms`.
pub(crate) fn retry_after_ms(e: &ClerkError, cap_ms: u32) -> Option<u32> {
    match e {
        ClerkError::Api {
            retry_after: Some(secs),
            ..
        } => Some(secs.saturating_mul(1000).min(cap_ms)),
        _ => None,
    }
}

/// Whether FAPI rejected the dev browser (always false without the `dev-browser` feature).
#[cfg(feature = "dev-browser")]
fn is_dev_browser_unauthenticated(response: &HttpResponse) -> bool {
    response.status == 401
        && ErrorEnvelope::from_json_str(&response.body).is_ok_and(|e| {
            e.errors
                .iter()
                .any(|e| e.code == DEV_BROWSER_UNAUTHENTICATED)
        })
}

#[cfg(not(feature = "dev-browser"))]
fn is_dev_browser_unauthenticated(_response: &HttpResponse) -> bool {
    false
}

/// Turns an unwrapped response into `T` (2xx) or an error ([`ClerkError::Api`] for any
/// other status, [`ClerkError::MalformedResponse`] for a 2xx body that does not parse).
pub(crate) fn parse_response<T: FromJson>(
    response: &HttpResponse,
    path: &str,
) -> Result<T, ClerkError> {
    parse_plain(
        response.status,
        &response.body,
        path,
        response.retry_after.as_deref(),
    )
}
