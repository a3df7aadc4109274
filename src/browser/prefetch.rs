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
//! network error like any other. In development the snippet sends the dev-browser id of the
//! cookie the engine reads (`__clerk_db_jwt_<suffix>`, else `__clerk_db_jwt`), URL-encoded,
//! and does nothing when there is none yet (first visit). It never touches tokens.
//!
//! # Example
//!
//! In `index.html` (replace the last line's arguments: the Frontend API base, i.e. your
//! `proxy_url` or `https://<frontend api host>`, `true` for a development instance, and the
//! key's cookie suffix, `yew_clerk::core::key::cookie_suffix(key)`; or let
//! [`snippet_for_key`] fill them in):
//!
//! ```html
#![doc = include_str!("prefetch.js")]
//! ```
//!
//! A server that renders the page can produce the configured snippet with [`snippet`].

/// The `<script>` element to paste into `index.html`, with the placeholder arguments
/// `'https://clerk.example.com', false, ''` (see the [module docs](self)).
pub const SNIPPET: &str = include_str!("prefetch.js");

/// The name of the global the snippet fills.
pub const GLOBAL: &str = "__clerk_prefetch";

const PLACEHOLDER: &str = "('https://clerk.example.com', false, '')";

/// [`SNIPPET`] configured for a publishable key and the provider's `proxy_url` (absolute, or
/// a path such as `/__clerk` on the page's origin): the Frontend API base, the instance type
/// and the key's cookie suffix, so that in development the snippet reads the dev browser from
/// the app's own `__clerk_db_jwt_<suffix>` cookie first, as the engine does (several apps on
/// one host each have theirs), then from `__clerk_db_jwt`.
///
/// ```
/// let key = "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k";
/// let html = yew_clerk::browser::prefetch::snippet_for_key(key, Some("http://127.0.0.1:7450")).unwrap();
/// let suffix = yew_clerk::core::key::cookie_suffix(key);
/// assert!(html.contains(&format!("('http://127.0.0.1:7450', true, '{suffix}')")));
/// ```
///
/// # Errors
///
/// [`ClerkError::InvalidKey`](crate::error::ClerkError::InvalidKey) or
/// [`ClerkError::Config`](crate::error::ClerkError::Config) (a bad `proxy_url`), as
/// `ClerkProvider` would report them.
pub fn snippet_for_key(
    publishable_key: &str,
    proxy_url: Option<&str>,
) -> Result<String, crate::error::ClerkError> {
    use crate::core::key::{FapiEndpoint, PublishableKey};

    let key = PublishableKey::parse(publishable_key)?;
    let base = match proxy_url.map(str::trim).filter(|p| !p.is_empty()) {
        // A path on the page's origin works as it is in `fetch`.
        Some(p) if p.starts_with('/') && !p.starts_with("//") => p.to_string(),
        Some(p) => FapiEndpoint::from_proxy_url(p)?.base().to_string(),
        None => FapiEndpoint::from_key(&key).base().to_string(),
    };
    Ok(configure(&base, key.is_development(), &key.cookie_suffix()))
}

/// [`SNIPPET`] configured for a Frontend API base (`proxy_url`, or `https://<frontend api>`;
/// a trailing `/` is removed) and the instance type. It reads only the unsuffixed
/// `__clerk_db_jwt` cookie (the engine's fallback); [`snippet_for_key`] also reads the app's
/// suffixed one.
///
/// ```
/// let html = yew_clerk::browser::prefetch::snippet("http://127.0.0.1:7450", true);
/// assert!(html.contains("('http://127.0.0.1:7450', true, '')"));
/// ```
pub fn snippet(fapi_base: &str, development: bool) -> String {
    configure(fapi_base, development, "")
}

/// Fills in the snippet's arguments; quotes, backslashes and angle brackets are dropped from
/// the base, and the suffix keeps only base64url characters, so neither can leave its string.
fn configure(fapi_base: &str, development: bool, cookie_suffix: &str) -> String {
    let base = fapi_base
        .trim_end_matches('/')
        .replace(['\'', '\\', '<', '>'], "");
    let suffix: String = cookie_suffix
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    SNIPPET.replace(
        PLACEHOLDER,
        &format!("('{base}', {development}, '{suffix}')"),
    )
}

/// Takes (once) the prefetched response for a FAPI path (`/v1/client`, `/v1/environment`)
/// from `window.__clerk_prefetch`.
///
/// An entry whose body has already arrived (`text` set) gives an already-resolved future:
/// polled once, it is ready, so a load that finds both responses there completes
/// synchronously (the provider then renders the loaded state in its first render). Otherwise
/// the future waits for the entry's `promise`. A bare promise of a `Response` (the snippet of
/// earlier versions) is still understood.
#[cfg(all(target_arch = "wasm32", feature = "prefetch"))]
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
#[cfg(all(target_arch = "wasm32", feature = "prefetch"))]
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

#[cfg(all(target_arch = "wasm32", feature = "prefetch"))]
use crate::client::ports::{HttpResponse, TransportError};

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn snippet_is_configured() {
        let s = snippet("http://127.0.0.1:7450/", true);
        assert!(s.contains("('http://127.0.0.1:7450', true, '')"));
        assert!(!s.contains("clerk.example.com"));
        assert!(s.trim_start().starts_with("<script>"));
        assert!(
            s.len() < 1450,
            "snippet should stay tiny: {} bytes",
            s.len()
        );
    }

    #[test]
    fn snippet_for_key_reads_the_engines_cookie_names_and_encodes() {
        use crate::core::key::{build_publishable_key, cookie_suffix, InstanceType};

        let key = build_publishable_key("clerk.example.test", InstanceType::Development);
        let suffix = cookie_suffix(&key);
        let s = snippet_for_key(&key, Some("http://127.0.0.1:7450/")).unwrap();
        assert!(
            s.contains(&format!("('http://127.0.0.1:7450', true, '{suffix}')")),
            "{s}"
        );
        // The suffixed name is the engine's (client/cookies.rs), the plain one its fallback.
        assert!(s.contains("c('__clerk_db_jwt_' + S)") && s.contains("c('__clerk_db_jwt')"));
        assert!(s.contains("encodeURIComponent(j)"), "{s}");
        let live = build_publishable_key("clerk.example.test", InstanceType::Production);
        let s = snippet_for_key(&live, None).unwrap();
        assert!(s.contains("('https://clerk.example.test', false, '"), "{s}");
        let s = snippet_for_key(&key, Some("/__clerk/")).unwrap();
        assert!(s.contains("('/__clerk', true, '"), "{s}");
        assert!(snippet_for_key("sk_test_x", None).is_err());
        assert!(snippet_for_key(&key, Some("javascript:alert(1)")).is_err());
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
        assert!(s.contains("('https://x.example.com/script', false, '')"));
        assert!(configure("x", true, "a'b<c").contains("('x', true, 'abc')"));
    }
}
