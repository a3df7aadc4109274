//! Session operations: `sign_out`, `set_active`, `handle_unauthenticated`, the focus
//! touch, and the hosted-page URLs.

use super::clerk::{Clerk, Select};
use super::load::Prefetched;
use super::options::{GetTokenOptions, SetActiveParams, SignOutOptions};
use super::ports::TabMessage;
use super::state::LoadStatus;
use super::url;
use crate::core::models::{Client, DisplayConfig, Session};
use crate::core::request::Method;
use crate::error::ClerkError;

/// clerk-js throttles focus touches in single-session mode to one per 5 s.
#[cfg(feature = "focus-touch")]
const TOUCH_THROTTLE_MS: i64 = 5_000;

impl Clerk {
    /// clerk-js `handleUnauthenticated`: re-read the client; when the current session is
    /// gone, go signed out (and tell the other tabs when `tabs` says so).
    pub(crate) async fn handle_unauthenticated(&self, tabs: OtherTabs) {
        let had_session = self.current_context().is_some();
        match self.fetch_client(Prefetched::Ignore).await {
            Ok(client) => {
                self.observe_client_time(client.as_ref());
                self.apply_client(client, Select::Keep);
            }
            Err(ClerkError::Api {
                status: 403 | 500, ..
            }) => {
                let client = self.state().client.as_deref().cloned();
                self.apply_client(client, Select::SignedOut);
            }
            Err(_) => return,
        }
        if had_session && self.current_context().is_none() && tabs == OtherTabs::Tell {
            self.post_to_tabs(TabMessage::SignOut);
        }
    }

    /// Signs out (clerk-js `signOut`): all sessions (`DELETE /v1/client/sessions`) unless
    /// `session_id` names one of several signed-in sessions (`…/remove`). Clears the ended
    /// sessions' tokens and, when the current session ended, the `__session` cookie; tells
    /// the other tabs; then navigates to `redirect_url` / `after_sign_out_url` when set.
    ///
    /// A target the redirect policy refuses (a `javascript:` URL, another origin not in
    /// `allowed_redirect_origins`) is not opened: the sessions are still signed out and the
    /// call returns [`ClerkError::RedirectRefused`].
    pub async fn sign_out(&self, options: SignOutOptions) -> Result<(), ClerkError> {
        self.wait_loaded().await;
        self.ensure_loaded()?;
        let state = self.state();
        let Some(client) = state.client.as_deref() else {
            return Ok(());
        };
        if client.sessions.is_empty() {
            return Ok(());
        }
        let signed_in = client.signed_in_sessions().count();
        let current = self.current_context().map(|(sid, _)| sid);
        let current_ended = match options.session_id.as_deref() {
            Some(sid) if signed_in > 1 => {
                let path = format!("/v1/client/sessions/{sid}/remove");
                self.call::<Session>(Method::Post, &path, &[], Select::Keep)
                    .await?;
                self.inner.tokens.cache.borrow_mut().remove_session(sid);
                if current.as_deref() == Some(sid) {
                    let client = self.state().client.as_deref().cloned();
                    self.apply_client(client, Select::SignedOut);
                    true
                } else {
                    false
                }
            }
            _ => {
                let envelope: crate::core::models::ClientEnvelope<Client> = self
                    .fetch_json(Method::Delete, "/v1/client/sessions", &[], &[])
                    .await?;
                self.inner.tokens.cache.borrow_mut().clear();
                let client = envelope.client.or(envelope.response);
                self.apply_client(client, Select::SignedOut);
                true
            }
        };
        if current_ended {
            self.write_session_cookie(None);
            self.post_to_tabs(TabMessage::SignOut);
            let target = options.redirect_url.or_else(|| self.after_sign_out_url());
            if let Some(target) = target {
                // The sign-out stands (the user asked for it); only a refused navigation is
                // reported.
                self.navigate(&target)?;
            }
        }
        Ok(())
    }

    fn after_sign_out_url(&self) -> Option<String> {
        let url = self.inner.options.after_sign_out_url.clone()?;
        Some(self.with_dev_browser(&url))
    }

    /// Makes a session (and/or organization) current (clerk-js `setActive`): touches it with
    /// `intent=select_session|select_org`, applies the returned client, then fetches a token
    /// for the new context (which writes the cookie).
    pub async fn set_active(&self, params: SetActiveParams) -> Result<(), ClerkError> {
        self.wait_loaded().await;
        self.ensure_loaded()?;
        let current = self.current_context().map(|(sid, _)| sid);
        let sid = params
            .session_id
            .clone()
            .or_else(|| current.clone())
            .ok_or_else(|| ClerkError::NoSession("there is no current session".into()))?;
        let state = self.state();
        let session = state
            .client
            .as_deref()
            .and_then(|c| c.signed_in_sessions().find(|s| s.id == sid))
            .ok_or_else(|| ClerkError::NoSession(sid.clone()))?;
        // FAPI's `active_organization_id`: empty for the personal account.
        let org = match &params.organization {
            None => session
                .last_active_organization_id
                .clone()
                .unwrap_or_default(),
            Some(selected) => selected.id().unwrap_or_default().to_string(),
        };
        let intent = if current.as_deref() == Some(sid.as_str()) {
            "select_org"
        } else {
            "select_session"
        };
        self.activate(sid, &org, intent).await
    }

    /// Makes a session that was just created (sign-in / sign-up complete) current, like
    /// clerk-js's `setActive({session: createdSessionId})` after a flow.
    pub(crate) async fn activate_new_session(&self, sid: String) -> Result<(), ClerkError> {
        let org = self
            .state()
            .client
            .as_deref()
            .and_then(|c| c.session(&sid))
            .and_then(|s| s.last_active_organization_id.clone())
            .unwrap_or_default();
        self.activate(sid, &org, "select_session").await
    }

    /// Touch with `intent`, apply the returned client with `sid` current, fetch its token.
    async fn activate(&self, sid: String, org: &str, intent: &str) -> Result<(), ClerkError> {
        let path = format!("/v1/client/sessions/{sid}/touch");
        let form = [("active_organization_id", org), ("intent", intent)];
        let envelope: crate::core::models::ClientEnvelope<Session> =
            self.fetch_json(Method::Post, &path, &[], &form).await?;
        match envelope.client {
            Some(client) => self.apply_client(Some(client), Select::Session(sid)),
            None => {
                // No piggyback: merge the returned session into the client we have.
                let mut client = self.state().client.as_deref().cloned();
                if let (Some(c), Some(s)) = (client.as_mut(), envelope.response) {
                    if let Some(slot) = c.sessions.iter_mut().find(|x| x.id == s.id) {
                        *slot = std::rc::Rc::new(s);
                    }
                }
                self.apply_client(client, Select::Session(sid));
            }
        }
        self.get_token(GetTokenOptions::default()).await?;
        Ok(())
    }

    /// On window focus: touch the session (throttled in single-session mode) and make sure
    /// the token is fresh.
    #[cfg(feature = "focus-touch")]
    pub(crate) async fn on_focus(&self) {
        if !self.state().is_loaded() {
            return;
        }
        let Some((sid, org)) = self.current_context() else {
            return;
        };
        if self.inner.options.touch_session {
            let now = self.now_ms();
            let single = self
                .state()
                .environment
                .as_ref()
                .is_some_and(|e| e.auth_config.single_session_mode);
            if self.inner.focus.claim(now, single, TOUCH_THROTTLE_MS) {
                let path = format!("/v1/client/sessions/{sid}/touch");
                let form = [
                    ("active_organization_id", org.as_deref().unwrap_or("")),
                    ("intent", "focus"),
                ];
                if let Err(e) = self
                    .call::<Session>(Method::Post, &path, &form, Select::Keep)
                    .await
                {
                    if e.is_unauthenticated() {
                        self.handle_unauthenticated(OtherTabs::Tell).await;
                        return;
                    }
                }
            }
        }
        let _ = self.get_token(GetTokenOptions::default()).await;
    }

    pub(crate) fn ensure_loaded(&self) -> Result<(), ClerkError> {
        let state = self.state();
        match state.status {
            LoadStatus::Ready | LoadStatus::Degraded => Ok(()),
            _ => Err(ClerkError::LoadFailed(state.error.as_ref().map_or_else(
                || "Clerk is not loaded".to_string(),
                ToString::to_string,
            ))),
        }
    }

    /// The hosted sign-in page (option override, else the environment's
    /// `display_config.sign_in_url`) with `redirect_url` and, for a development instance on
    /// another origin, `__clerk_db_jwt` (clerk-js `buildUrlWithAuth`). `None` before the
    /// environment is known when no override is set.
    pub fn sign_in_url(&self, redirect_url: Option<&str>) -> Option<String> {
        let option = self.inner.options.sign_in_url.as_deref();
        self.hosted_url(option, |d| d.sign_in_url.as_deref(), redirect_url)
    }

    /// The hosted sign-up page, like [`Clerk::sign_in_url`].
    pub fn sign_up_url(&self, redirect_url: Option<&str>) -> Option<String> {
        let option = self.inner.options.sign_up_url.as_deref();
        self.hosted_url(option, |d| d.sign_up_url.as_deref(), redirect_url)
    }

    /// Where the current `pending` session finishes its task (clerk-js `buildTasksUrl`): the
    /// sign-in page with the hash route `#/tasks/{key}`, e.g. `#/tasks/choose-organization`,
    /// which the Account Portal (and the emulator's hosted page) serves. `None` when the
    /// current session has no task or no sign-in URL is known.
    pub fn tasks_url(&self, redirect_url: Option<&str>) -> Option<String> {
        let key = self.state().session.as_ref()?.current_task()?.key.clone();
        let sign_in = self.sign_in_url(redirect_url)?;
        // The task route replaces any hash route of the sign-in URL.
        let base = sign_in.split('#').next().unwrap_or_default();
        Some(format!("{base}#/tasks/{key}"))
    }

    /// A hosted page: the `option` override, else the environment's page (`from_environment`),
    /// with `redirect_url` and the dev browser when needed. `None` when the page or
    /// `redirect_url` is refused by the redirect policy.
    fn hosted_url(
        &self,
        option: Option<&str>,
        from_environment: impl Fn(&DisplayConfig) -> Option<&str>,
        redirect_url: Option<&str>,
    ) -> Option<String> {
        let state = self.state();
        let base = match option {
            Some(base) => base,
            None => from_environment(&state.environment.as_ref()?.display_config)?,
        };
        let policy = self.redirect_policy();
        policy.check(base).ok()?;
        let mut url = match redirect_url.filter(|r| !r.is_empty()) {
            Some(r) => {
                policy.check(r).ok()?;
                // Absolute: a path must come back to this page's origin, not the portal's.
                url::set_param(base, "redirect_url", &self.absolute(r))
            }
            None => base.to_string(),
        };
        for (name, value) in self.hosted_redirect_params(&policy) {
            url = url::set_param(&url, name, &value);
        }
        Some(self.with_dev_browser(&url))
    }

    /// Navigates to the hosted sign-in page (clerk-js `redirectToSignIn`), coming back to
    /// `redirect_url` (default: the current page) afterwards.
    ///
    /// Errors: [`ClerkError::RedirectRefused`] when `redirect_url` or the page is refused by
    /// the redirect policy (nothing is opened), [`ClerkError::Config`] when no sign-in URL is
    /// known (no `sign_in_url` option and the environment not loaded).
    pub fn redirect_to_sign_in(&self, redirect_url: Option<&str>) -> Result<(), ClerkError> {
        self.redirect_to(HostedPage::SignIn, redirect_url)
    }

    /// Navigates to the hosted sign-up page, like [`Clerk::redirect_to_sign_in`].
    pub fn redirect_to_sign_up(&self, redirect_url: Option<&str>) -> Result<(), ClerkError> {
        self.redirect_to(HostedPage::SignUp, redirect_url)
    }

    /// Navigates a `pending` session to the page of its task ([`Clerk::tasks_url`]), like
    /// [`Clerk::redirect_to_sign_in`]; does nothing when the current session has no task.
    pub fn redirect_to_tasks(&self, redirect_url: Option<&str>) -> Result<(), ClerkError> {
        self.redirect_to(HostedPage::Tasks, redirect_url)
    }

    pub(crate) fn redirect_to(
        &self,
        page: HostedPage,
        redirect_url: Option<&str>,
    ) -> Result<(), ClerkError> {
        let here = self.inner.platform.page.url();
        let back = redirect_url
            .or(Some(here.as_str()))
            .filter(|r| !r.is_empty());
        if let Some(back) = back {
            // Checked first so the error says why (the URL getters only give `None`).
            self.check_redirect(back)?;
        }
        let target = match page {
            HostedPage::SignIn => self.sign_in_url(back),
            HostedPage::SignUp => self.sign_up_url(back),
            HostedPage::Tasks if !self.has_task() => return Ok(()),
            HostedPage::Tasks => self.tasks_url(back),
        };
        let target = target.ok_or_else(|| page.missing_url())?;
        self.navigate(&target)
    }

    fn has_task(&self) -> bool {
        self.state()
            .session
            .as_ref()
            .is_some_and(|s| s.current_task().is_some())
    }

    /// Development: appends `__clerk_db_jwt` to a URL on another origin (the hosted pages
    /// need the dev browser to know the client).
    pub(crate) fn with_dev_browser(&self, target: &str) -> String {
        if !self.is_development() {
            return target.to_string();
        }
        let Some(id) = self.dev_browser_id() else {
            return target.to_string();
        };
        let target_origin = url::origin_of(target);
        let page_origin = self.inner.platform.page.origin().to_ascii_lowercase();
        match target_origin {
            Some(o) if o != page_origin => url::set_param(target, "__clerk_db_jwt", &id),
            _ => target.to_string(),
        }
    }
}

/// Whether a sign-out found by [`Clerk::handle_unauthenticated`] is told to the other tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OtherTabs {
    /// Post it (this tab found out first).
    Tell,
    /// Keep quiet (another tab told us: no echo; only with `cross-tab`).
    #[cfg_attr(not(feature = "cross-tab"), allow(dead_code))]
    Quiet,
}

/// A hosted page the engine navigates to ([`Clerk::redirect_to_sign_in`] and friends).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum HostedPage {
    SignIn,
    SignUp,
    /// The current session's task (on the sign-in page).
    Tasks,
}

impl HostedPage {
    /// The error when no URL is known for the page.
    pub(crate) fn missing_url(self) -> ClerkError {
        // The task page is on the sign-in page too.
        let (what, prop) = match self {
            HostedPage::SignUp => ("sign-up", "sign_up_url"),
            HostedPage::SignIn | HostedPage::Tasks => ("sign-in", "sign_in_url"),
        };
        ClerkError::Config(format!(
            "no {what} URL: set the `{prop}` prop of ClerkProvider or configure it in the Clerk dashboard"
        ))
    }
}
