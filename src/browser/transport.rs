use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::client::ports::{HttpResponse, LocalFuture, Transport, TransportError};
use crate::core::request::FapiRequest;

/// [`Transport`] on the browser's `fetch`.
///
/// Every request is sent with `credentials: "include"` (production auth rides on the HttpOnly
/// `__client` cookie of the Frontend API host) and **no custom header**: GET has none, POST has
/// only `content-type: application/x-www-form-urlencoded`, a CORS-safelisted value, so the
/// browser never sends a preflight. `Retry-After` and `Clerk-Db-Jwt` are read from the response
/// when the server exposes them.
///
/// Each fetch carries an `AbortController` signal and is aborted when its future is dropped
/// before the response body was read: the engine drops a request that passed its deadline
/// (or whose caller went away), so no stalled connection outlives its request.
#[derive(Debug, Default)]
pub struct FetchTransport {
    _private: (),
}

impl FetchTransport {
    /// A transport on `window.fetch`.
    pub fn new() -> Self {
        Self { _private: () }
    }
}

impl Transport for FetchTransport {
    fn send(&self, request: FapiRequest) -> LocalFuture<Result<HttpResponse, TransportError>> {
        Box::pin(send(request))
    }
}

fn is_online() -> bool {
    super::window().is_none_or(|w| w.navigator().on_line())
}

pub(crate) fn failure(value: &JsValue) -> TransportError {
    if is_online() {
        TransportError::Network(super::js_error_message(value))
    } else {
        TransportError::Offline
    }
}

/// Aborts the fetch when dropped while armed (the request future was dropped mid-flight).
struct AbortOnDrop(Option<web_sys::AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = self.0.take() {
            controller.abort();
        }
    }
}

async fn send(request: FapiRequest) -> Result<HttpResponse, TransportError> {
    let Some(window) = super::window() else {
        return Err(TransportError::Network(
            "no window: fetch is not available here".into(),
        ));
    };
    let init = web_sys::RequestInit::new();
    init.set_credentials(web_sys::RequestCredentials::Include);
    init.set_mode(web_sys::RequestMode::Cors);
    if request.post {
        init.set_method("POST");
        let headers = web_sys::Headers::new().map_err(|e| failure(&e))?;
        headers
            .set("content-type", "application/x-www-form-urlencoded")
            .map_err(|e| failure(&e))?;
        init.set_headers(&headers);
        init.set_body(&JsValue::from_str(request.body.as_deref().unwrap_or("")));
    } else {
        init.set_method("GET");
    }
    // Where AbortController is missing the fetch simply cannot be aborted.
    let mut abort = AbortOnDrop(web_sys::AbortController::new().ok());
    if let Some(controller) = &abort.0 {
        init.set_signal(Some(&controller.signal()));
    }
    let value = JsFuture::from(window.fetch_with_str_and_init(&request.url, &init))
        .await
        .map_err(|e| failure(&e))?;
    let response = read_response(value).await;
    // Complete: nothing left to abort.
    abort.0 = None;
    response
}

/// Turns a `Response` into an [`HttpResponse`] (reads the whole body as text).
pub(crate) async fn read_response(value: JsValue) -> Result<HttpResponse, TransportError> {
    let response: web_sys::Response = value
        .dyn_into()
        .map_err(|v| TransportError::Network(format!("fetch gave no Response: {v:?}")))?;
    let headers = response.headers();
    let header = |name: &str| headers.get(name).ok().flatten();
    let retry_after = header("retry-after");
    let dev_browser = header("clerk-db-jwt");
    let text = response.text().map_err(|e| failure(&e))?;
    let body = JsFuture::from(text)
        .await
        .map_err(|e| failure(&e))?
        .as_string()
        .unwrap_or_default();
    Ok(HttpResponse {
        status: response.status(),
        retry_after,
        dev_browser,
        body,
    })
}
