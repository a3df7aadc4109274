//! [`ClerkInstance`]: the action handle every hook hands out.

use std::rc::Rc;

use crate::client::{Clerk, GetTokenOptions, SetActiveParams, SignOutOptions};
use crate::error::ClerkError;

/// The future of a [`ClerkInstance`] operation: boxed, so that each place an app awaits
/// `get_token`/`sign_out`/`set_active` holds a pointer instead of a copy of the operation's
/// state machine (measured with `tools/size/measure.sh`: the size app's code around its two
/// call sites fell from 10.2 KB to 2.0 KB).
/// It owns what it needs (`'static`), so it can be spawned.
pub type ClerkFuture<T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, ClerkError>>>>;

/// Where a [`ClerkInstance`] sends its calls.
#[derive(Clone)]
pub(crate) enum Backend {
    /// The real engine (a `ClerkProvider` in a browser).
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    Real(Clerk),
    /// A `ClerkProvider` rendered outside a browser (server-side rendering, native code).
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    NotInBrowser,
    /// A hook used outside any provider.
    NoProvider(&'static str),
    /// `MockClerkProvider`.
    #[cfg(feature = "testing")]
    Mock(Rc<crate::testing::MockBackend>),
}

/// The stable action handle of a provider: `get_token`, `sign_out`, `set_active`, hosted
/// page URLs and redirects. Every hook exposes it (for example [`UseAuthHandle::clerk`]).
///
/// Cloning is cheap, and `==` compares **identity** (the same provider instance), never the
/// auth state: a clone can go into `use_effect_with` dependencies without re-running the
/// effect on every token refresh (the problem of clerk-react issue #201).
///
/// Outside a `<ClerkProvider>` every operation fails with
/// [`ClerkError::NoProvider`]; during server-side rendering with [`ClerkError::NotInBrowser`].
///
/// [`UseAuthHandle::clerk`]: crate::ui::hooks::UseAuthHandle::clerk
#[derive(Clone)]
pub struct ClerkInstance {
    pub(crate) backend: Backend,
    /// Identity for `PartialEq` of the backends without an `Rc` of their own.
    pub(crate) id: Rc<()>,
}

impl PartialEq for ClerkInstance {
    fn eq(&self, other: &Self) -> bool {
        match (&self.backend, &other.backend) {
            (Backend::Real(a), Backend::Real(b)) => a == b,
            #[cfg(feature = "testing")]
            (Backend::Mock(a), Backend::Mock(b)) => Rc::ptr_eq(a, b),
            (Backend::NoProvider(a), Backend::NoProvider(b)) => a == b,
            _ => Rc::ptr_eq(&self.id, &other.id),
        }
    }
}

impl std::fmt::Debug for ClerkInstance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.backend {
            Backend::Real(_) => "browser",
            Backend::NotInBrowser => "not-in-browser",
            Backend::NoProvider(_) => "no-provider",
            #[cfg(feature = "testing")]
            Backend::Mock(_) => "mock",
        };
        f.debug_struct("ClerkInstance")
            .field("backend", &kind)
            .finish_non_exhaustive()
    }
}

impl ClerkInstance {
    pub(crate) fn new(backend: Backend) -> Self {
        ClerkInstance {
            backend,
            id: Rc::new(()),
        }
    }

    /// The handle a hook gets outside a provider (also logs the error once per hook).
    pub(crate) fn missing(hook: &'static str) -> Self {
        report_missing_provider(hook);
        ClerkInstance::new(Backend::NoProvider(hook))
    }

    fn unavailable(&self) -> Option<ClerkError> {
        match &self.backend {
            Backend::NoProvider(hook) => Some(ClerkError::NoProvider { hook }),
            Backend::NotInBrowser => Some(ClerkError::NotInBrowser),
            _ => None,
        }
    }

    /// The engine behind a real provider (`None` outside a browser, outside a provider and
    /// under `MockClerkProvider`): the escape hatch to every engine operation.
    pub fn engine(&self) -> Option<&Clerk> {
        match &self.backend {
            Backend::Real(c) => Some(c),
            _ => None,
        }
    }

    /// The engine for operations that only a real provider has (the sign-in/up flows).
    pub(crate) fn require_engine(&self) -> Result<Clerk, ClerkError> {
        if let Some(e) = self.unavailable() {
            return Err(e);
        }
        match &self.backend {
            Backend::Real(c) => Ok(c.clone()),
            _ => Err(ClerkError::Config(
                "sign-in and sign-up flows need a real ClerkProvider (not MockClerkProvider)"
                    .into(),
            )),
        }
    }

    /// A session token for the current session (clerk-js `getToken`): waits for load, returns
    /// `Ok(None)` when signed out, a cached token while it has more than 5 s left, and shares
    /// one request between concurrent callers. Offline gives [`ClerkError::Offline`].
    ///
    /// The future owns what it needs (`'static`), so it can be spawned.
    pub fn get_token(&self, options: GetTokenOptions) -> ClerkFuture<Option<String>> {
        let this = self.clone();
        Box::pin(async move {
            if let Some(e) = this.unavailable() {
                return Err(e);
            }
            match &this.backend {
                Backend::Real(c) => c.get_token(options).await,
                #[cfg(feature = "testing")]
                Backend::Mock(m) => m.get_token(options),
                _ => Err(ClerkError::NotInBrowser),
            }
        })
    }

    /// Signs out (all sessions, or `options.session_id` only), then navigates to
    /// `options.redirect_url` / the provider's `after_sign_out_url` when one is set.
    pub fn sign_out(&self, options: SignOutOptions) -> ClerkFuture<()> {
        let this = self.clone();
        Box::pin(async move {
            if let Some(e) = this.unavailable() {
                return Err(e);
            }
            match &this.backend {
                Backend::Real(c) => c.sign_out(options).await,
                #[cfg(feature = "testing")]
                Backend::Mock(m) => m.sign_out(options),
                _ => Err(ClerkError::NotInBrowser),
            }
        })
    }

    /// Switches the current session and/or the active organization.
    pub fn set_active(&self, params: SetActiveParams) -> ClerkFuture<()> {
        let this = self.clone();
        Box::pin(async move {
            if let Some(e) = this.unavailable() {
                return Err(e);
            }
            match &this.backend {
                Backend::Real(c) => c.set_active(params).await,
                #[cfg(feature = "testing")]
                Backend::Mock(m) => m.set_active(params),
                _ => Err(ClerkError::NotInBrowser),
            }
        })
    }

    /// The hosted sign-in page with `redirect_url` (the provider's `sign_in_url`, else the
    /// instance's). `None` before the environment is known or outside a browser.
    pub fn sign_in_url(&self, redirect_url: Option<&str>) -> Option<String> {
        match &self.backend {
            Backend::Real(c) => c.sign_in_url(redirect_url),
            #[cfg(feature = "testing")]
            Backend::Mock(m) => m.sign_in_url.clone(),
            _ => None,
        }
    }

    /// The hosted sign-up page, like [`ClerkInstance::sign_in_url`].
    pub fn sign_up_url(&self, redirect_url: Option<&str>) -> Option<String> {
        match &self.backend {
            Backend::Real(c) => c.sign_up_url(redirect_url),
            #[cfg(feature = "testing")]
            Backend::Mock(m) => m.sign_up_url.clone(),
            _ => None,
        }
    }

    /// Where the current `pending` session finishes its task, e.g. choosing an organization
    /// (clerk-js `buildTasksUrl`): the sign-in page with the route `#/tasks/{key}`. `None`
    /// when the session has no task, before the environment is known, or outside a browser.
    pub fn tasks_url(&self, redirect_url: Option<&str>) -> Option<String> {
        match &self.backend {
            Backend::Real(c) => c.tasks_url(redirect_url),
            _ => None,
        }
    }

    /// Navigates to the sign-in page, coming back to `redirect_url` (default: the current
    /// page). Fails with [`ClerkError::Config`] when no sign-in URL is known yet, and with
    /// [`ClerkError::RedirectRefused`] when the redirect policy refuses `redirect_url` or the
    /// page (see the `allowed_redirect_origins` prop of `ClerkProvider`).
    pub fn redirect_to_sign_in(&self, redirect_url: Option<&str>) -> Result<(), ClerkError> {
        self.redirect(HostedPage::SignIn, redirect_url)
    }

    /// Navigates to the sign-up page, like [`ClerkInstance::redirect_to_sign_in`].
    pub fn redirect_to_sign_up(&self, redirect_url: Option<&str>) -> Result<(), ClerkError> {
        self.redirect(HostedPage::SignUp, redirect_url)
    }

    /// Navigates a `pending` session to the page of its task ([`ClerkInstance::tasks_url`]),
    /// coming back to `redirect_url` (default: the current page) once it is done (clerk-js
    /// `redirectToTasks`). Does nothing when the current session has no task.
    pub fn redirect_to_tasks(&self, redirect_url: Option<&str>) -> Result<(), ClerkError> {
        self.redirect(HostedPage::Tasks, redirect_url)
    }

    /// Navigates to a hosted page through the engine's redirect policy
    /// ([`Clerk::redirect_to_sign_in`]).
    pub(crate) fn redirect(
        &self,
        page: HostedPage,
        redirect_url: Option<&str>,
    ) -> Result<(), ClerkError> {
        if let Some(e) = self.unavailable() {
            return Err(e);
        }
        match &self.backend {
            Backend::Real(c) => c.redirect_to(page, redirect_url),
            #[cfg(feature = "testing")]
            Backend::Mock(m) => {
                let target = match page {
                    HostedPage::SignIn => m.sign_in_url.clone(),
                    HostedPage::SignUp => m.sign_up_url.clone(),
                    HostedPage::Tasks => return Ok(()),
                };
                m.on_navigate
                    .emit(target.ok_or_else(|| page.missing_url())?);
                Ok(())
            }
            _ => Err(ClerkError::NotInBrowser),
        }
    }
}

pub(crate) use crate::client::HostedPage;

/// Logs `"<hook> must be used inside a <ClerkProvider> component"` to the browser console,
/// once per hook name and page.
fn report_missing_provider(hook: &'static str) {
    report_once(hook, || {
        format!("yew-clerk: {}", ClerkError::NoProvider { hook })
    });
}

/// Logs that a `ClerkProvider` was rendered inside another one (once per page).
pub(crate) fn report_nested_provider() {
    report_once("ClerkProvider", || {
        "yew-clerk: a ClerkProvider was rendered inside another ClerkProvider; the inner one is \
         ignored (its children use the outer one). Render a single ClerkProvider at the root."
            .to_string()
    });
}

/// Logs a failed action that has no caller to return its error to (a button, a redirect
/// component) with `console.error`: `yew-clerk: <what> failed: <error>`. Error texts carry
/// no token or dev-browser id.
pub(crate) fn report_error(what: &str, error: &ClerkError) {
    let message = format!("yew-clerk: {what} failed: {error}");
    #[cfg(target_arch = "wasm32")]
    web_sys::console::error_1(&message.into());
    #[cfg(not(target_arch = "wasm32"))]
    let _ = message;
}

/// Logs `message()` with `console.error` the first time `key` is reported on this page.
fn report_once(key: &'static str, message: impl FnOnce() -> String) {
    thread_local! {
        static REPORTED: std::cell::RefCell<Vec<&'static str>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    // `try_with`: `with` links a panic for a thread whose storage is gone (then: no log).
    let first = REPORTED
        .try_with(|r| {
            let mut r = r.borrow_mut();
            let first = !r.contains(&key);
            if first {
                r.push(key);
            }
            first
        })
        .unwrap_or(false);
    if first {
        let message = message();
        #[cfg(target_arch = "wasm32")]
        web_sys::console::error_1(&message.into());
        #[cfg(not(target_arch = "wasm32"))]
        let _ = message;
    }
}
