//! Prefetching the first requests from `index.html`.
//!
//! A Yew app starts only after its wasm has downloaded and compiled, often hundreds of
//! milliseconds after the HTML arrived. The [`SNIPPET`] below, pasted into `<head>`, starts
//! `GET /v1/client` and the environment request at once and stores, under their paths in
//! `window.__clerk_prefetch`, an entry per request: `{promise, status, db, text}` (`db`: the
//! `Clerk-Db-Jwt` header), the fields being filled in when the body has arrived. At load the
//! engine asks the page port for them
//! ([`Page::take_prefetched`](crate::client::ports::Page::take_prefetched)) and uses those
//! responses instead of sending the requests again, so the load costs no extra round trip.
//!
//! When both bodies are already there as the app starts, the load completes synchronously
//! while `ClerkProvider` creates the engine, and the provider's very first render is the
//! loaded state (in client-side rendering; a provider that hydrates server-rendered HTML
//! renders the loading state first, as the server did). Otherwise (the responses, or the
//! snippet's callbacks storing them, come after the wasm started: on a busy main thread they
//! queue behind it) the engine waits for the pending responses.
//!
//! Each prefetched response is used at most once; a prefetch that failed is reported as a
//! network error like any other. In development the snippet sends the `__clerk_db_jwt` cookie's
//! dev-browser id and does nothing when there is none yet (first visit). It never touches
//! tokens.
//!
//! # Example
//!
//! In `index.html` (replace the last line's arguments: the Frontend API base, i.e. your
//! `proxy_url` or `https://<frontend api host>`, and `true` for a development instance):
//!
//! ```html
#![doc = include_str!("prefetch.js")]
//! ```
//!
//! A server that renders the page can produce the configured snippet with [`snippet`].

/// The `<script>` element to paste into `index.html`, with the placeholder arguments
/// `'https://clerk.example.com', false` (see the [module docs](self)).
pub const SNIPPET: &str = include_str!("prefetch.js");

/// The name of the global the snippet fills.
pub const GLOBAL: &str = "__clerk_prefetch";

const PLACEHOLDER: &str = "('https://clerk.example.com', false)";

/// [`SNIPPET`] configured for a Frontend API base (`proxy_url`, or `https://<frontend api>`;
/// a trailing `/` is removed) and the instance type.
///
/// ```
/// let html = yew_clerk::browser::prefetch::snippet("http://127.0.0.1:7450", true);
/// assert!(html.contains("('http://127.0.0.1:7450', true)"));
/// ```
pub fn snippet(fapi_base: &str, development: bool) -> String {
    let base = fapi_base
        .trim_end_matches('/')
        .replace(['\'', '\\', '<', '>'], "");
    SNIPPET.replace(PLACEHOLDER, &format!("('{base}', {development})"))
}

/// Takes (once) the prefetched response for a FAPI path (`/v1/client`, `/v1/environment`)
/// from `window.__clerk_prefetch`.
///
/// An entry whose body has already arrived (`text` set) gives an already-resolved future:
/// polled once, it is ready, so a load that finds both responses there completes
/// synchronously (the provider then renders the loaded state in its first render). Otherwise
/// the future waits for the entry's `promise`. A bare promise of a `Response` (the snippet of
/// earlier versions) is still understood.
#[cfg(target_arch = "wasm32")]
pub(crate) fn take(
    path: &str,
) -> Option<crate::client::ports::LocalFuture<Result<HttpResponse, TransportError>>> {
    use wasm_bindgen::{JsCast, JsValue};

    let window = super::window()?;
    let store = js_sys::Reflect::get(&window, &JsValue::from_str(GLOBAL)).ok()?;
    if !store.is_object() {
        return None;
    }
    let key = JsValue::from_str(path);
    let value = js_sys::Reflect::get(&store, &key).ok()?;
    // Used once: a later request (a reload of the client) must hit the network.
    let _ = js_sys::Reflect::delete_property(store.unchecked_ref::<js_sys::Object>(), &key);
    if !value.is_object() {
        return None;
    }
    if let Some(promise) = value.dyn_ref::<js_sys::Promise>() {
        // Earlier snippet: a promise of the fetch `Response`.
        let promise = promise.clone();
        return Some(Box::pin(async move {
            let response = wasm_bindgen_futures::JsFuture::from(promise)
                .await
                .map_err(|e| super::transport::failure(&e))?;
            super::transport::read_response(response).await
        }));
    }
    if let Some(response) = settled(&value) {
        return Some(Box::pin(std::future::ready(Ok(response))));
    }
    let promise = js_sys::Reflect::get(&value, &JsValue::from_str("promise"))
        .ok()?
        .dyn_into::<js_sys::Promise>()
        .ok()?;
    Some(Box::pin(async move {
        wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map_err(|e| super::transport::failure(&e))?;
        settled(&value)
            .ok_or_else(|| TransportError::Network("the prefetch snippet gave no response".into()))
    }))
}

/// The response stored in a snippet entry (`{status, db, text}`), once its body has arrived.
#[cfg(target_arch = "wasm32")]
fn settled(entry: &wasm_bindgen::JsValue) -> Option<HttpResponse> {
    use wasm_bindgen::JsValue;

    let field = |name: &str| js_sys::Reflect::get(entry, &JsValue::from_str(name)).ok();
    let body = field("text")?.as_string()?;
    let status = field("status")?.as_f64()?;
    Some(HttpResponse {
        status: u16::try_from(status as i64).ok()?,
        retry_after: None,
        dev_browser: field("db").and_then(|v| v.as_string()),
        body,
    })
}

#[cfg(target_arch = "wasm32")]
use crate::client::ports::{HttpResponse, TransportError};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_is_configured() {
        let s = snippet("http://127.0.0.1:7450/", true);
        assert!(s.contains("('http://127.0.0.1:7450', true)"));
        assert!(!s.contains("clerk.example.com"));
        assert!(s.trim_start().starts_with("<script>"));
        assert!(
            s.len() < 1300,
            "snippet should stay tiny: {} bytes",
            s.len()
        );
    }

    #[test]
    fn snippet_sends_the_supported_api_version() {
        let v = crate::core::request::SUPPORTED_FAPI_VERSION;
        assert!(
            SNIPPET.contains(&format!("__clerk_api_version={v}")),
            "update prefetch.js to {v}"
        );
    }

    #[test]
    fn snippet_escapes_quotes() {
        let s = snippet("https://x.example.com'</script>", false);
        assert!(s.contains("('https://x.example.com/script', false)"));
    }
}
