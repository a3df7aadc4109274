//! axum integration: [`ClerkLayer`] runs [`Clerk::authenticate_request`] once per request
//! (answering handshake redirects itself), the [`Auth`] extractor hands the result to
//! handlers, and [`Auth::protect`] turns "signed out" into the right response.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::auth::{Auth, SignedInAuth};
use crate::config::Clerk;
use crate::reason::Reason;
use crate::request::{apply_headers, RequestState};

/// A tower layer that authenticates every request (see the module docs).
#[derive(Debug, Clone)]
pub struct ClerkLayer {
    clerk: Clerk,
}

impl ClerkLayer {
    /// A layer for `clerk`.
    pub fn new(clerk: Clerk) -> Self {
        ClerkLayer { clerk }
    }
}

impl<S> tower::Layer<S> for ClerkLayer {
    type Service = ClerkService<S>;
    fn layer(&self, inner: S) -> Self::Service {
        ClerkService {
            inner,
            clerk: self.clerk.clone(),
        }
    }
}

/// The service of [`ClerkLayer`].
#[derive(Debug, Clone)]
pub struct ClerkService<S> {
    inner: S,
    clerk: Clerk,
}

fn redirect(location: &str, state: &RequestState) -> Response {
    let mut res = StatusCode::TEMPORARY_REDIRECT.into_response();
    apply_headers(state, res.headers_mut());
    if let Ok(loc) = HeaderValue::from_str(location) {
        res.headers_mut().insert(axum::http::header::LOCATION, loc);
    }
    res
}

impl<S, B> tower::Service<Request<B>> for ClerkService<S>
where
    S: tower::Service<Request<B>, Response = Response> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<B>) -> Self::Future {
        // The clone is ready-polled; keep the ready one for this call (tower's idiom).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let clerk = self.clerk.clone();
        Box::pin(async move {
            // Parts, not the request: the body need not be Sync across the await.
            let (mut parts, body) = req.into_parts();
            let state = clerk
                .authenticate(&parts.method, &parts.uri, &parts.headers)
                .await;
            if let Some(location) = state.redirect_location() {
                let location = location.to_string();
                return Ok(redirect(&location, &state));
            }
            let auth = clerk.auth_for(&state, &parts.uri, &parts.headers);
            parts.extensions.insert(auth);
            let req = Request::from_parts(parts, body);
            let mut res = inner.call(req).await?;
            apply_headers(&state, res.headers_mut());
            Ok(res)
        })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = Infallible;

    /// Never rejects: without [`ClerkLayer`] the request is signed out with
    /// `unexpected-error` (add the layer).
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Auth>().cloned().unwrap_or_else(|| {
            Auth::signed_out(
                Reason::UnexpectedError,
                "no ClerkLayer on this route: add .layer(ClerkLayer::new(clerk))",
            )
        }))
    }
}

/// The response of a failed [`Auth::protect`]: 401 JSON for API requests, a redirect to the
/// sign-in URL for page loads (when one is configured), 503 JSON on a JWKS outage.
#[derive(Debug, Clone)]
pub struct Unauthorized {
    /// Why.
    pub reason: Reason,
    message: String,
    redirect: Option<String>,
}

impl IntoResponse for Unauthorized {
    fn into_response(self) -> Response {
        if let Some(location) = self.redirect {
            if let Ok(loc) = HeaderValue::from_str(&location) {
                let mut res = StatusCode::TEMPORARY_REDIRECT.into_response();
                res.headers_mut().insert(axum::http::header::LOCATION, loc);
                return res;
            }
        }
        let (status, error) = if self.reason.is_outage() {
            (StatusCode::SERVICE_UNAVAILABLE, "Unavailable")
        } else {
            (StatusCode::UNAUTHORIZED, "Unauthorized")
        };
        (
            status,
            Json(json!({"error": error, "reason": self.reason, "message": self.message})),
        )
            .into_response()
    }
}

impl Auth {
    /// `auth.protect()`: the signed-in auth, or the response to send instead (401 JSON,
    /// sign-in redirect for documents, 503 on an outage).
    pub fn protect(&self) -> Result<&SignedInAuth, Unauthorized> {
        match self.signed_in_auth() {
            Some(a) => Ok(a),
            None => {
                let reason = self.reason().unwrap_or(Reason::UnexpectedError);
                let redirect = (self.is_document_request() && !reason.is_outage())
                    .then(|| self.sign_in_redirect())
                    .flatten();
                Err(Unauthorized {
                    reason,
                    message: self.message().to_string(),
                    redirect,
                })
            }
        }
    }
}
