//! The development dev browser (`__clerk_db_jwt`): from the page URL, the cookie, a rotated
//! `Clerk-Db-Jwt` header, or `POST /v1/dev_browser`. Compiled with the `dev-browser` feature
//! only; without it the same methods do nothing (a development key fails load before any of
//! them is reached, see `Clerk::new`).

use super::clerk::Clerk;
use super::ports::HttpResponse;
use crate::error::ClerkError;

#[cfg(feature = "dev-browser")]
use super::fapi::parse_response;
#[cfg(feature = "dev-browser")]
use super::url;
#[cfg(feature = "dev-browser")]
use crate::core::request::Method;

#[cfg(feature = "dev-browser")]
impl Clerk {
    /// Stores a `Clerk-Db-Jwt` response header as the new dev browser.
    pub(crate) fn adopt_dev_browser_header(&self, response: &HttpResponse) {
        if !self.is_development() {
            return;
        }
        if let Some(id) = response.dev_browser.as_deref().filter(|v| !v.is_empty()) {
            if self.inner.dev_browser.id.borrow().as_deref() != Some(id) {
                *self.inner.dev_browser.id.borrow_mut() = Some(id.to_string());
                self.write_dev_browser_cookie(Some(id));
            }
        }
    }

    /// Development: the dev browser from the page URL (a redirect back from the hosted pages;
    /// removed from the address bar), else from the cookie, else a new one.
    pub(crate) async fn setup_dev_browser(&self) -> Result<(), ClerkError> {
        if !self.is_development() {
            return Ok(());
        }
        let page = &self.inner.platform.page;
        let current_url = page.url();
        if let Some(id) = url::query_param(&current_url, "__clerk_db_jwt").filter(|v| !v.is_empty())
        {
            page.replace_url(&url::remove_params(
                &current_url,
                &["__clerk_db_jwt", "__dev_session"],
            ));
            // Responses prefetched with the cookie's (older) dev browser belong to another
            // client: ignore them.
            if self.read_dev_browser_cookie().as_deref() != Some(id.as_str()) {
                #[cfg(feature = "prefetch")]
                self.inner.prefetch.skip();
            }
            *self.inner.dev_browser.id.borrow_mut() = Some(id.clone());
            self.write_dev_browser_cookie(Some(&id));
            return Ok(());
        }
        if self.inner.dev_browser.id.borrow().is_some() {
            return Ok(());
        }
        if let Some(id) = self.read_dev_browser_cookie() {
            *self.inner.dev_browser.id.borrow_mut() = Some(id);
            return Ok(());
        }
        self.create_dev_browser().await
    }

    /// After `401 dev_browser_unauthenticated` for a request sent with `rejected`: creates a
    /// new dev browser, unless another request already replaced it or is doing so (then
    /// waits for that one), so concurrent failures make one `POST /v1/dev_browser`.
    pub(crate) async fn replace_dev_browser(
        &self,
        rejected: Option<String>,
    ) -> Result<(), ClerkError> {
        if *self.inner.dev_browser.id.borrow() != rejected {
            return Ok(());
        }
        let wait = self
            .inner
            .dev_browser
            .waiters
            .borrow_mut()
            .as_mut()
            .map(|waiters| {
                let (tx, rx) = super::oneshot::channel();
                waiters.push(tx);
                rx
            });
        if let Some(rx) = wait {
            let _ = rx.await;
            return Ok(());
        }
        *self.inner.dev_browser.waiters.borrow_mut() = Some(Vec::new());
        let result = self.create_dev_browser().await;
        let waiters = self.inner.dev_browser.waiters.borrow_mut().take();
        for w in waiters.unwrap_or_default() {
            let _ = w.send(());
        }
        result
    }

    /// `POST /v1/dev_browser` (without a dev-browser parameter) and store its `id`.
    pub(crate) async fn create_dev_browser(&self) -> Result<(), ClerkError> {
        *self.inner.dev_browser.id.borrow_mut() = None;
        self.write_dev_browser_cookie(None);
        // The id was cleared just above, so this request goes without one.
        let request = self.build_request(Method::Post, "/v1/dev_browser", &[], &[])?;
        let path = request.path.clone();
        let response = self.transmit(request).await?;
        let created: crate::core::models::DevBrowser = parse_response(&response, &path)?;
        if created.id.is_empty() {
            return Err(ClerkError::MalformedResponse {
                url: path,
                message: "dev browser without an id".into(),
            });
        }
        self.write_dev_browser_cookie(Some(&created.id));
        *self.inner.dev_browser.id.borrow_mut() = Some(created.id);
        Ok(())
    }
}

#[cfg(not(feature = "dev-browser"))]
impl Clerk {
    /// No dev browser without the `dev-browser` feature.
    pub(crate) fn adopt_dev_browser_header(&self, _response: &HttpResponse) {}

    /// No dev browser without the `dev-browser` feature.
    pub(crate) async fn setup_dev_browser(&self) -> Result<(), ClerkError> {
        Ok(())
    }

    /// No dev browser without the `dev-browser` feature.
    pub(crate) async fn replace_dev_browser(
        &self,
        _rejected: Option<String>,
    ) -> Result<(), ClerkError> {
        Ok(())
    }
}

impl Clerk {
    /// The development dev-browser id (`__clerk_db_jwt`), when there is one.
    #[cfg(feature = "dev-browser")]
    pub(crate) fn dev_browser_id(&self) -> Option<String> {
        self.inner.dev_browser.id.borrow().clone()
    }

    /// No dev browser without the `dev-browser` feature.
    #[cfg(not(feature = "dev-browser"))]
    pub(crate) fn dev_browser_id(&self) -> Option<String> {
        None
    }
}
