//! The boundaries of the state machine. Everything is single-threaded (`Rc`, `!Send`
//! futures) because the browser is.

use std::rc::Rc;

use crate::core::request::FapiRequest;

/// A boxed, non-`Send` future (the browser is single-threaded).
pub type LocalFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T>>>;

/// A raw HTTP response. Its `Debug` shows the status and `Retry-After` but only the lengths
/// of the body and of the dev-browser header (a body may hold session JWTs).
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// `Retry-After` header, when present.
    pub retry_after: Option<String>,
    /// `Clerk-Db-Jwt` header (a rotated dev-browser id), when present.
    pub dev_browser: Option<String>,
    /// Body text.
    pub body: String,
}

impl std::fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("retry_after", &self.retry_after)
            .field(
                "dev_browser",
                &self.dev_browser.as_ref().map(|v| Redacted(v.len())),
            )
            .field("body", &Redacted(self.body.len()))
            .finish()
    }
}

/// Prints `<redacted N bytes>` in place of a secret (token, dev-browser id, response body).
struct Redacted(usize);

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<redacted {} bytes>", self.0)
    }
}

/// Why no response came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// The browser reports it is offline.
    Offline,
    /// Any other failure to get a response (refused, DNS, CORS, aborted).
    Network(String),
}

/// Sends FAPI requests (fetch with `credentials: include` in the browser).
pub trait Transport {
    /// Sends one request.
    fn send(&self, request: FapiRequest) -> LocalFuture<Result<HttpResponse, TransportError>>;
}

/// Time and timers.
pub trait Clock {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;
    /// Resolves after `ms` milliseconds.
    fn sleep(&self, ms: u32) -> LocalFuture<()>;
}

/// Non-sensitive persistent key/value storage (localStorage in the browser). Never used for
/// session tokens.
pub trait KeyValueStore {
    /// Reads a value.
    fn get(&self, key: &str) -> Option<String>;
    /// Writes a value (errors are ignored: storage may be full or disabled).
    fn set(&self, key: &str, value: &str);
    /// Removes a value.
    fn remove(&self, key: &str);
}

/// Cookies of the page's site, written by JavaScript (not HttpOnly).
pub trait CookieJar {
    /// Reads a cookie.
    fn get(&self, name: &str) -> Option<String>;
    /// Writes a cookie with `path=/`, `SameSite=Lax` and the given lifetime in seconds
    /// (`Secure` when the page is https).
    fn set(&self, name: &str, value: &str, max_age_secs: i64);
    /// Deletes a cookie.
    fn remove(&self, name: &str);
}

/// A message between tabs of the same app. Its `Debug` shows the token's length, never the
/// token.
#[derive(Clone, PartialEq, Eq)]
pub enum TabMessage {
    /// `{type: "signout"}` on `BroadcastChannel("clerk")`.
    SignOut,
    /// A fresh token on `BroadcastChannel("clerk:session_token")`.
    Token {
        /// The cache key (`sess_1`, `sess_1-template`, `sess_1-org_9`).
        token_id: String,
        /// The raw JWT.
        token: String,
    },
}

impl std::fmt::Debug for TabMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TabMessage::SignOut => f.write_str("SignOut"),
            TabMessage::Token { token_id, token } => f
                .debug_struct("Token")
                .field("token_id", token_id)
                .field("token", &Redacted(token.len()))
                .finish(),
        }
    }
}

/// Cross-tab messaging.
pub trait Broadcast {
    /// Posts to the other tabs (never delivered to this one).
    fn post(&self, message: TabMessage);
    /// Listens for messages from other tabs until the returned guard is dropped.
    fn subscribe(&self, listener: Rc<dyn Fn(TabMessage)>) -> Box<dyn std::any::Any>;
}

/// A [`Broadcast`] that reaches no other tab: the browser platform's without the `cross-tab`
/// feature (which also keeps `BroadcastChannel` out of the build).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoBroadcast;

impl Broadcast for NoBroadcast {
    fn post(&self, message: TabMessage) {
        drop(message);
    }

    fn subscribe(&self, listener: Rc<dyn Fn(TabMessage)>) -> Box<dyn std::any::Any> {
        drop(listener);
        Box::new(())
    }
}

/// The page: URL, navigation, focus and connectivity.
pub trait Page {
    /// The current URL.
    fn url(&self) -> String;
    /// The page origin, e.g. `http://127.0.0.1:8080`.
    fn origin(&self) -> String;
    /// Replaces the URL in the address bar without navigating (history.replaceState).
    fn replace_url(&self, url: &str);
    /// Navigates away (location.assign).
    fn navigate(&self, url: &str);
    /// `navigator.onLine`.
    fn is_online(&self) -> bool;
    /// `document.hasFocus()` and visible.
    fn has_focus(&self) -> bool;
    /// Calls `listener` on window focus / visibility change to visible, until the guard drops.
    /// The default never calls it (the engine listens only with the `focus-touch` feature).
    fn on_focus(&self, listener: Rc<dyn Fn()>) -> Box<dyn std::any::Any> {
        drop(listener);
        Box::new(())
    }
    /// Shows a warning to the developer (`console.warn` in the browser). The default drops it.
    fn warn(&self, message: &str) {
        let _ = message;
    }
    /// Calls `listener` when the browser comes back online (the window's `online` event),
    /// until the guard drops. The default never calls it.
    fn on_online(&self, listener: Rc<dyn Fn()>) -> Box<dyn std::any::Any> {
        drop(listener);
        Box::new(())
    }
    /// Takes (once) a response prefetched by an inline script of the page before the wasm
    /// arrived, for the FAPI `path` (`/v1/client` or `/v1/environment`, no query string).
    /// The browser reads `window.__clerk_prefetch[path]` and deletes it; when the response
    /// has already arrived the returned future is ready at its first poll, so a load whose
    /// responses are all there completes synchronously. `None` (the default) means "fetch it
    /// yourself".
    fn take_prefetched(
        &self,
        path: &str,
    ) -> Option<LocalFuture<Result<HttpResponse, TransportError>>> {
        let _ = path;
        None
    }
}

/// Runs background tasks (token refresh timer, focus touch, cross-tab handling, degraded
/// retry). `wasm_bindgen_futures::spawn_local` in the browser, a `LocalPool` spawner in tests.
pub trait Spawner {
    /// Starts `task`; it runs to completion unless the executor is dropped.
    fn spawn(&self, task: LocalFuture<()>);
}

/// Everything the state machine needs from its environment.
#[derive(Clone)]
pub struct Platform {
    /// HTTP.
    pub transport: Rc<dyn Transport>,
    /// Time.
    pub clock: Rc<dyn Clock>,
    /// localStorage.
    pub storage: Rc<dyn KeyValueStore>,
    /// document.cookie.
    pub cookies: Rc<dyn CookieJar>,
    /// BroadcastChannel.
    pub broadcast: Rc<dyn Broadcast>,
    /// window / location / navigator.
    pub page: Rc<dyn Page>,
    /// Background tasks.
    pub spawner: Rc<dyn Spawner>,
}

impl std::fmt::Debug for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Platform").finish_non_exhaustive()
    }
}
