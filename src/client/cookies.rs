//! The cookies clerk-js writes on the app's own site, so server-side code (middleware,
//! `getAuth(req)`) sees the same thing it would with clerk-js: `__session`, `__client_uat`
//! (development) and `__clerk_db_jwt` (development), each also under its suffixed name
//! `name_<suffix>` (the suffix is derived from the publishable key).

use super::clerk::Clerk;
use crate::core::claims::SessionToken;
use crate::core::key::PublishableKey;
use crate::core::models::Client;

/// clerk-js writes its cookies for one year (the JWT inside lives 60 s; the cookie just
/// outlives it so the server sees an expired token rather than none).
pub(crate) const YEAR_SECS: i64 = 365 * 24 * 3600;

pub(crate) const SESSION_COOKIE: &str = "__session";
pub(crate) const CLIENT_UAT_COOKIE: &str = "__client_uat";
#[cfg(feature = "dev-browser")]
pub(crate) const DEV_BROWSER_COOKIE: &str = "__clerk_db_jwt";

impl Clerk {
    pub(crate) fn key(&self) -> Option<&PublishableKey> {
        self.inner.config.as_ref().ok().map(|(k, _)| k)
    }

    /// Whether the key is a development one. Always false without the `dev-browser` feature
    /// (such a key fails load), so every development-only path is dead code there.
    pub(crate) fn is_development(&self) -> bool {
        cfg!(feature = "dev-browser") && self.key().is_some_and(PublishableKey::is_development)
    }

    /// Both names of a cookie: plain and suffixed (the suffixed one first: it is the one
    /// that is unambiguous when several apps share a host).
    /// (`name_<suffix>` as [`PublishableKey::suffixed_cookie_name`] makes it, with the suffix
    /// computed once per instance.)
    fn cookie_names(&self, name: &str) -> Vec<String> {
        let suffix = self
            .inner
            .once
            .cookie_suffix
            .get_or_init(|| self.key().map(PublishableKey::cookie_suffix));
        match suffix {
            Some(suffix) => vec![format!("{name}_{suffix}"), name.to_string()],
            None => vec![name.to_string()],
        }
    }

    fn write_cookie(&self, name: &str, value: Option<&str>) {
        let jar = &self.inner.platform.cookies;
        for n in self.cookie_names(name) {
            match value {
                Some(v) => jar.set(&n, v, YEAR_SECS),
                None => jar.remove(&n),
            }
        }
    }

    fn read_cookie(&self, name: &str) -> Option<String> {
        let jar = &self.inner.platform.cookies;
        self.cookie_names(name)
            .iter()
            .find_map(|n| jar.get(n))
            .filter(|v| !v.is_empty())
    }

    /// Writes (or with `None` removes) `__session` and its suffixed twin.
    ///
    /// Multi-tab rule (clerk-js `updateSessionCookie`): a tab without focus does not replace
    /// an unexpired cookie of another session/organization, so a background tab refreshing
    /// its own context does not switch the server's view away from the tab the user is in.
    pub(crate) fn write_session_cookie(&self, jwt: Option<&str>) {
        if let Some(new) = jwt {
            if !self.inner.platform.page.has_focus() && self.cookie_is_other_context(new) {
                return;
            }
        }
        self.write_cookie(SESSION_COOKIE, jwt);
    }

    fn cookie_is_other_context(&self, new: &str) -> bool {
        let Some(current) = self.read_session_cookie() else {
            return false;
        };
        let (Ok(current), Ok(new)) = (SessionToken::decode(&current), SessionToken::decode(new))
        else {
            return false;
        };
        let context = |t: &SessionToken| {
            (
                t.claims().sid.clone(),
                t.claims().org.as_ref().map(|o| o.id.clone()),
            )
        };
        context(&current) != context(&new)
            && current.claims().exp.saturating_mul(1000) > self.server_now_ms()
    }

    /// The `__session` cookie (suffixed name first).
    pub(crate) fn read_session_cookie(&self) -> Option<String> {
        self.read_cookie(SESSION_COOKIE)
    }

    /// Development only: `__client_uat` = `floor(client.updated_at / 1000)` when the client
    /// has a signed-in session, else `"0"` (clerk-js `clientUat.ts`). In production FAPI sets
    /// it itself on the eTLD+1.
    pub(crate) fn write_client_uat(&self, client: Option<&Client>) {
        if !cfg!(feature = "dev-browser") || !self.is_development() {
            return;
        }
        // The stand-in client of a degraded load knows no `updated_at`: leave the cookie.
        #[cfg(feature = "degraded")]
        if client.is_some_and(|c| c.id == super::load::SYNTHETIC_CLIENT_ID) {
            return;
        }
        let value = match client {
            Some(c) if c.signed_in_sessions().next().is_some() => {
                c.updated_at.div_euclid(1000).to_string()
            }
            _ => "0".to_string(),
        };
        self.write_cookie(CLIENT_UAT_COOKIE, Some(&value));
    }

    /// Writes (or removes) the dev-browser cookies.
    #[cfg(feature = "dev-browser")]
    pub(crate) fn write_dev_browser_cookie(&self, id: Option<&str>) {
        self.write_cookie(DEV_BROWSER_COOKIE, id);
    }

    /// The dev-browser cookie (suffixed name first).
    #[cfg(feature = "dev-browser")]
    pub(crate) fn read_dev_browser_cookie(&self) -> Option<String> {
        self.read_cookie(DEV_BROWSER_COOKIE)
    }
}
