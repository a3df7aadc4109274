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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_test::*;

    use super::*;
    use crate::client::ports::Transport;

    wasm_bindgen_test_configure!(run_in_browser);

    fn get(obj: &JsValue, key: &str) -> JsValue {
        js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap()
    }

    fn request() -> FapiRequest {
        FapiRequest {
            url: "http://127.0.0.1:9/v1/client".into(),
            path: "/v1/client".into(),
            post: false,
            body: None,
        }
    }

    /// Replaces `window.fetch` with a stub that never answers and records the signal it was
    /// given, runs `f`, and restores the real fetch.
    async fn with_stalled_fetch(f: impl std::future::Future<Output = ()>) -> JsValue {
        let window = web_sys::window().unwrap();
        let real = get(&window, "fetch");
        let stub = js_sys::Function::new_with_args(
            "url, init",
            "window.__yewClerkSignal = init && init.signal; return new Promise(() => {});",
        );
        js_sys::Reflect::set(&window, &"fetch".into(), &stub).unwrap();
        f.await;
        js_sys::Reflect::set(&window, &"fetch".into(), &real).unwrap();
        get(&window, "__yewClerkSignal")
    }

    #[wasm_bindgen_test]
    async fn dropping_a_pending_request_aborts_its_fetch() {
        let signal = with_stalled_fetch(async {
            let pending = FetchTransport::new().send(request());
            let timeout = gloo_timers::future::TimeoutFuture::new(20);
            match futures_util::future::select(pending, timeout).await {
                futures_util::future::Either::Left(_) => panic!("the stub never answers"),
                // The request future is dropped here, as the engine's deadline does.
                futures_util::future::Either::Right(_) => {}
            }
        })
        .await;
        let signal: web_sys::AbortSignal = signal.dyn_into().expect("fetch got a signal");
        assert!(signal.aborted(), "the fetch was aborted");
    }

    #[wasm_bindgen_test]
    async fn a_pending_request_is_not_aborted_while_awaited() {
        let signal = with_stalled_fetch(async {
            let pending = FetchTransport::new().send(request());
            let timeout = gloo_timers::future::TimeoutFuture::new(20);
            let (_timeout, pending) = match futures_util::future::select(timeout, pending).await {
                futures_util::future::Either::Left(((), pending)) => ((), pending),
                futures_util::future::Either::Right(_) => panic!("the stub never answers"),
            };
            let signal: web_sys::AbortSignal = get(&web_sys::window().unwrap(), "__yewClerkSignal")
                .dyn_into()
                .unwrap();
            assert!(!signal.aborted(), "still in flight");
            drop(pending);
        })
        .await;
        let signal: web_sys::AbortSignal = signal.dyn_into().unwrap();
        assert!(signal.aborted());
    }
}
