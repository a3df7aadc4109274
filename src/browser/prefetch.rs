//! Prefetching the first requests from `index.html`.
//!
//! A Yew app starts only after its wasm has downloaded and compiled, often hundreds of
//! milliseconds after the HTML arrived. The [`SNIPPET`] below, pasted into `<head>`, starts
//! `GET /v1/client` and the environment request at once and stores the pending `fetch`
//! promises in `window.__clerk_prefetch` under their paths. At load the engine asks the page
//! port for them ([`Page::take_prefetched`](crate::client::ports::Page::take_prefetched)) and
//! uses those responses instead of sending the requests again, so the load costs no extra
//! round trip.
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

/// Takes (once) the prefetched response promise for a FAPI path (`/v1/client`,
/// `/v1/environment`) from `window.__clerk_prefetch`.
#[cfg(target_arch = "wasm32")]
pub(crate) fn take(path: &str) -> Option<js_sys::Promise> {
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
    value.dyn_into::<js_sys::Promise>().ok()
}

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
            s.len() < 1200,
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
