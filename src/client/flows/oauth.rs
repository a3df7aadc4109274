//! OAuth / SSO by redirect (clerk-js's `authenticateWithRedirect` + `handleRedirectCallback`).
//!
//! 1. [`Clerk::sign_in_authenticate_with_redirect`] (or the sign-up one) creates the attempt
//!    with `strategy=oauth_<provider>`, `redirect_url` (the app's callback page) and
//!    `action_complete_redirect_url`, then sends the browser to the identity provider
//!    (`first_factor_verification.external_verification_redirect_url`).
//! 2. The provider returns to FAPI (`/v1/oauth_callback`), which settles the verification and
//!    sends the browser to `redirect_url`.
//! 3. There, [`Clerk::handle_redirect_callback`] reads the attempt from the loaded client and
//!    finishes: a complete sign-in or sign-up becomes the current session and the browser goes
//!    to the after-sign-in/up URL; an unknown account is transferred to a sign-up
//!    (`external_account_not_found`), an existing one to a sign-in (`external_account_exists`);
//!    a denied or failed verification is [`ClerkError::ExternalVerification`]
//!    (`oauth_access_denied`, ...).
//!
//! URL rules: `redirect_url` and `redirect_url_complete` must pass the
//! [redirect policy](crate::client::Clerk::check_redirect) (http(s), this page's origin, the
//! instance's or an allowed one); paths are made absolute on the page's origin (FAPI needs an
//! absolute `redirect_url`) and, in development, a `redirect_url` on another origin carries
//! the dev browser (clerk-js's `buildUrlWithAuth`). The provider URL FAPI returns is on the
//! provider's origin by design, so, like clerk-js's `windowNavigate`, only its scheme is
//! checked (absolute http(s)): FAPI is the instance's own origin and the one that chose it.
//!
//! Not done (clerk-js does): popups (`authenticateWithPopup`), enterprise SSO / SAML,
//! `oidc_prompt` / `login_hint`, the native `__internal_oauthTransport`, protect-check gates,
//! `user_locked` routing and navigating to the hosted `#/factor-two`, `#/continue` pages by
//! default: a step left for the user comes back as a [`RedirectCallbackOutcome`] (and
//! navigates only to the continue URL the app gave).

use crate::core::json::FromJson;
use crate::core::models::{ApiError, VerificationStatus};

use super::sign_in::{missing, SignIn, SignInStatus};
use super::sign_up::{SignUp, SignUpStatus};
use crate::client::clerk::Clerk;
use crate::client::url::{self, Target};
use crate::client::Method;
use crate::error::ClerkError;

/// Where [`Clerk::handle_redirect_callback`] sends the browser (clerk-js's
/// `handleRedirectCallback` params). Every URL passes the redirect policy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RedirectCallbackParams {
    /// After a completed sign-in (default `/`).
    pub after_sign_in_url: Option<String>,
    /// After a completed sign-up (default: `after_sign_in_url`).
    pub after_sign_up_url: Option<String>,
    /// The app's sign-in form, for a sign-in that needs another step (first or second factor,
    /// new password). `None`: no navigation, the outcome says what is left.
    pub continue_sign_in_url: Option<String>,
    /// The app's sign-up form, for a sign-up that misses fields. `None`: no navigation.
    pub continue_sign_up_url: Option<String>,
}

/// How [`Clerk::handle_redirect_callback`] ended (errors are `Err`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RedirectCallbackOutcome {
    /// Signed in (directly, by a transfer from sign-up, or already signed in): the session
    /// is current and the browser goes to `after_sign_in_url`.
    SignedIn {
        /// The session made current.
        session_id: String,
    },
    /// Signed up (directly or by a transfer from sign-in): the session is current and the
    /// browser goes to `after_sign_up_url`.
    SignedUp {
        /// The session made current.
        session_id: String,
    },
    /// The sign-in needs another step (`needs_first_factor`, `needs_second_factor`,
    /// `needs_new_password`): continue it with `use_sign_in` / the flow functions.
    SignInContinues(Box<SignIn>),
    /// The sign-up misses fields (`missing_requirements`).
    SignUpContinues(Box<SignUp>),
    /// The client has no OAuth attempt to finish (the page was opened directly, or the
    /// attempt was replaced). Nothing was done.
    NothingToHandle,
}

/// `oauth_<provider>` (lower-case letters, digits, `_`): the strategies FAPI knows the shape of.
fn check_strategy(strategy: &str) -> Result<(), ClerkError> {
    let ok = strategy.strip_prefix("oauth_").is_some_and(|p| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    });
    if ok {
        Ok(())
    } else {
        Err(ClerkError::FlowStep(
            "not an OAuth strategy: use oauth_<provider>, e.g. oauth_google or oauth_github".into(),
        ))
    }
}

/// FAPI's answer lacks the provider URL (clerk-js: `clerkInvalidFAPIResponse`).
fn no_provider_url(path: &str) -> ClerkError {
    ClerkError::MalformedResponse {
        url: path.to_string(),
        message:
            "the OAuth verification is not unverified with an external_verification_redirect_url"
                .into(),
    }
}

impl Clerk {
    /// Checks an app URL with the redirect policy and makes it absolute on the page's origin.
    fn absolute_app_url(&self, target: &str) -> Result<String, ClerkError> {
        self.check_redirect(target)?;
        Ok(match url::classify(target) {
            Ok(Target::Absolute(_)) => target.to_string(),
            _ => {
                let origin = self.inner.platform.page.origin();
                let sep = if target.starts_with('/') { "" } else { "/" };
                format!("{origin}{sep}{target}")
            }
        })
    }

    /// The create form of an OAuth attempt, its URLs checked.
    fn oauth_form(
        &self,
        strategy: &str,
        redirect_url: &str,
        redirect_url_complete: &str,
    ) -> Result<[(&'static str, String); 3], ClerkError> {
        check_strategy(strategy)?;
        let callback = self.absolute_app_url(redirect_url)?;
        let callback = self.with_dev_browser(&callback);
        let complete = self.absolute_app_url(redirect_url_complete)?;
        Ok([
            ("strategy", strategy.to_string()),
            ("redirect_url", callback),
            ("action_complete_redirect_url", complete),
        ])
    }

    /// Sends the browser to the identity provider: only absolute http(s) URLs (see the
    /// [module docs](self)).
    fn navigate_to_provider(&self, provider_url: &str) -> Result<(), ClerkError> {
        match url::classify(provider_url) {
            Ok(Target::Absolute(_)) => {
                self.inner.platform.page.navigate(provider_url);
                Ok(())
            }
            _ => Err(ClerkError::RedirectRefused {
                target: "an identity provider URL that is not absolute http(s)".into(),
                foreign_origin: false,
            }),
        }
    }

    /// Sign-in with an OAuth provider by redirect (clerk-js's
    /// `signIn.authenticateWithRedirect({strategy, redirectUrl, redirectUrlComplete})`):
    /// creates the sign-in and navigates to the provider. `redirect_url` is the app page
    /// that calls [`Clerk::handle_redirect_callback`] (or renders
    /// `AuthenticateWithRedirectCallback`); `redirect_url_complete` is sent to Clerk as
    /// `action_complete_redirect_url`.
    ///
    /// Errors: [`ClerkError::FlowStep`] for a strategy that is not `oauth_<provider>`,
    /// [`ClerkError::RedirectRefused`] for a URL the redirect policy refuses (nothing is
    /// sent), [`ClerkError::Api`] from FAPI (`form_param_format_invalid` for a provider the
    /// instance does not enable).
    pub async fn sign_in_authenticate_with_redirect(
        &self,
        strategy: &str,
        redirect_url: &str,
        redirect_url_complete: &str,
    ) -> Result<SignIn, ClerkError> {
        let form = self.oauth_form(strategy, redirect_url, redirect_url_complete)?;
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let path = "/v1/client/sign_ins";
        let sign_in: SignIn = self
            .request(Method::Post, path, &form)
            .await?
            .ok_or_else(|| missing(path))?;
        let provider = sign_in
            .first_factor_verification
            .as_ref()
            .filter(|v| v.status == VerificationStatus::Unverified)
            .and_then(|v| v.external_verification_redirect_url.as_deref())
            .ok_or_else(|| no_provider_url(path))?;
        self.navigate_to_provider(provider)?;
        Ok(sign_in)
    }

    /// Sign-up with an OAuth provider by redirect (clerk-js's
    /// `signUp.authenticateWithRedirect`), like [`Clerk::sign_in_authenticate_with_redirect`];
    /// the provider URL is `verifications.external_account.external_verification_redirect_url`.
    pub async fn sign_up_authenticate_with_redirect(
        &self,
        strategy: &str,
        redirect_url: &str,
        redirect_url_complete: &str,
    ) -> Result<SignUp, ClerkError> {
        let form = self.oauth_form(strategy, redirect_url, redirect_url_complete)?;
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let path = "/v1/client/sign_ups";
        let sign_up: SignUp = self
            .request(Method::Post, path, &form)
            .await?
            .ok_or_else(|| missing(path))?;
        let provider = sign_up
            .verifications
            .as_ref()
            .and_then(|v| v.external_account.as_ref())
            .filter(|v| v.status == VerificationStatus::Unverified)
            .and_then(|v| v.external_verification_redirect_url.as_deref())
            .ok_or_else(|| no_provider_url(path))?;
        self.navigate_to_provider(provider)?;
        Ok(sign_up)
    }

    /// Finishes an OAuth redirect on the page at `redirect_url` (clerk-js's
    /// `handleRedirectCallback`), from the client loaded on this page; see the
    /// [module docs](self) for the cases. Waits for load.
    ///
    /// Errors: [`ClerkError::ExternalVerification`] when the provider step failed
    /// (`oauth_access_denied`, `verification_expired`, ...), [`ClerkError::Api`] when a
    /// transfer fails (`form_identifier_exists`: the email was claimed meanwhile),
    /// [`ClerkError::RedirectRefused`] for a refused after-URL (the session is current anyway).
    pub async fn handle_redirect_callback(
        &self,
        params: &RedirectCallbackParams,
    ) -> Result<RedirectCallbackOutcome, ClerkError> {
        self.wait_loaded().await;
        self.ensure_loaded()?;
        let state = self.state();
        let client = state.client.as_deref();
        let (si, su) = self.reading(|| {
            let si = client
                .and_then(|c| c.sign_in.as_ref())
                .and_then(|v| SignIn::from_json(v).ok());
            let su = client
                .and_then(|c| c.sign_up.as_ref())
                .and_then(|v| SignUp::from_json(v).ok());
            (si, su)
        });
        drop(state);
        let after_sign_in = params.after_sign_in_url.as_deref().unwrap_or("/");
        let after_sign_up = params.after_sign_up_url.as_deref().unwrap_or(after_sign_in);
        let si_ff = si
            .as_ref()
            .and_then(|s| s.first_factor_verification.as_ref());
        let su_ext = su
            .as_ref()
            .and_then(|s| s.verifications.as_ref())
            .and_then(|v| v.external_account.as_ref());
        let code_of = |v: Option<&crate::core::models::Verification>| {
            v.and_then(|v| v.error.as_ref()).map(|e| e.code.clone())
        };

        // 1. The sign-in completed at the callback.
        if let Some(s) = si.as_ref().filter(|s| s.status == SignInStatus::Complete) {
            let sid = s
                .created_session_id
                .clone()
                .ok_or_else(|| missing("/v1/client"))?;
            self.activate_and_navigate(&sid, after_sign_in).await?;
            return Ok(RedirectCallbackOutcome::SignedIn { session_id: sid });
        }
        // 2. A sign-up found an existing account: transfer to sign-in.
        if su_ext.is_some_and(|v| v.status == VerificationStatus::Transferable)
            && code_of(su_ext).as_deref() == Some("external_account_exists")
        {
            let sign_in = self.sign_in_create(&[("transfer", "true")]).await?;
            return match (&sign_in.status, sign_in.created_session_id.clone()) {
                (SignInStatus::Complete, Some(sid)) => {
                    self.navigate(after_sign_in)?;
                    Ok(RedirectCallbackOutcome::SignedIn { session_id: sid })
                }
                _ => self.sign_in_continues(sign_in, params),
            };
        }
        // 3. The sign-in needs a step the provider did not cover.
        if let Some(s) = si.as_ref().filter(|s| {
            matches!(
                s.status,
                SignInStatus::NeedsFirstFactor | SignInStatus::NeedsNewPassword
            )
        }) {
            return self.sign_in_continues(s.clone(), params);
        }
        // 4. An unknown account at sign-in: transfer to sign-up.
        if si_ff.is_some_and(|v| v.status == VerificationStatus::Transferable) {
            let path = "/v1/client/sign_ups";
            let sign_up: SignUp = self
                .request(Method::Post, path, &[("transfer", "true")])
                .await?
                .ok_or_else(|| missing(path))?;
            let sign_up = self.finish_sign_up(sign_up).await?;
            return match (&sign_up.status, sign_up.created_session_id.clone()) {
                (SignUpStatus::Complete, Some(sid)) => {
                    self.navigate(after_sign_up)?;
                    Ok(RedirectCallbackOutcome::SignedUp { session_id: sid })
                }
                _ => self.sign_up_continues(sign_up, params),
            };
        }
        // 5. The sign-up completed at the callback.
        if let Some(s) = su.as_ref().filter(|s| s.status == SignUpStatus::Complete) {
            let sid = s
                .created_session_id
                .clone()
                .ok_or_else(|| missing("/v1/client"))?;
            self.activate_and_navigate(&sid, after_sign_up).await?;
            return Ok(RedirectCallbackOutcome::SignedUp { session_id: sid });
        }
        // 6. Second factor.
        if let Some(s) = si
            .as_ref()
            .filter(|s| s.status == SignInStatus::NeedsSecondFactor)
        {
            return self.sign_in_continues(s.clone(), params);
        }
        // 7. Already signed in on this browser: that session becomes current.
        for v in [si_ff, su_ext].into_iter().flatten() {
            let already = v.error.as_ref().filter(|e| {
                e.code == "identifier_already_signed_in"
                    && matches!(
                        v.status,
                        VerificationStatus::Failed | VerificationStatus::Unverified
                    )
            });
            if let Some(sid) = already.and_then(|e| e.meta.session_id.clone()) {
                self.activate_and_navigate(&sid, after_sign_in).await?;
                return Ok(RedirectCallbackOutcome::SignedIn { session_id: sid });
            }
        }
        // 8. The provider step failed: typed error.
        for v in [si_ff, su_ext].into_iter().flatten() {
            let strategy = v.strategy.clone().unwrap_or_default();
            if !strategy.starts_with("oauth_") {
                continue;
            }
            let error = match (&v.status, &v.error) {
                (VerificationStatus::Failed, Some(e)) => e.clone(),
                (VerificationStatus::Failed, None) => synthetic("verification_failed"),
                (VerificationStatus::Expired, _) => synthetic("verification_expired"),
                _ => continue,
            };
            return Err(ClerkError::ExternalVerification {
                strategy,
                error: Box::new(error),
            });
        }
        // 9. A sign-up that still misses fields after the provider.
        if let Some(s) = su.as_ref().filter(|s| {
            s.status == SignUpStatus::MissingRequirements
                && su_ext.is_some_and(|v| v.status == VerificationStatus::Verified)
        }) {
            return self.sign_up_continues(s.clone(), params);
        }
        Ok(RedirectCallbackOutcome::NothingToHandle)
    }

    /// Makes the callback's new session current, then navigates to `to`.
    async fn activate_and_navigate(&self, sid: &str, to: &str) -> Result<(), ClerkError> {
        self.activate_new_session(sid.to_string()).await?;
        self.navigate(to)
    }

    fn sign_in_continues(
        &self,
        sign_in: SignIn,
        params: &RedirectCallbackParams,
    ) -> Result<RedirectCallbackOutcome, ClerkError> {
        if let Some(to) = params.continue_sign_in_url.as_deref() {
            self.navigate(to)?;
        }
        Ok(RedirectCallbackOutcome::SignInContinues(Box::new(sign_in)))
    }

    fn sign_up_continues(
        &self,
        sign_up: SignUp,
        params: &RedirectCallbackParams,
    ) -> Result<RedirectCallbackOutcome, ClerkError> {
        if let Some(to) = params.continue_sign_up_url.as_deref() {
            self.navigate(to)?;
        }
        Ok(RedirectCallbackOutcome::SignUpContinues(Box::new(sign_up)))
    }
}

/// An error for a verification that failed or expired without one (Clerk's codes).
fn synthetic(code: &str) -> ApiError {
    let message = if code == "verification_expired" {
        "The sign-in with the provider took too long and expired: start again."
    } else {
        "The sign-in with the provider failed: start again."
    };
    ApiError {
        code: code.to_string(),
        message: message.to_string(),
        long_message: Some(message.to_string()),
        meta: Default::default(),
    }
}
