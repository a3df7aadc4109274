//! The handshake: the redirect to FAPI's `/v1/client/handshake` we build
//! (`maybe_handshake`) and the `__clerk_handshake` payload we resolve when the browser
//! comes back with it (`resolve_handshake`).

use http::header::{HeaderMap, HeaderValue};
use serde::Deserialize;

use super::reading::{names, Context};
use super::{signed_out, RequestState};
use crate::config::Clerk;
use crate::reason::Reason;
use crate::verify::{self, VerifyError, VerifyOptions};

/// Clerk stops handshaking after this many redirects in a row.
const MAX_HANDSHAKE_REDIRECTS: u32 = 3;
/// Bounds on a handshake payload (it is signed, but a bug must not balloon a response).
const MAX_HANDSHAKE_COOKIES: usize = 32;

/// `url` without the query parameters in `drop`.
fn without_params(url: &str, drop: &[&str]) -> String {
    let (base, rest) = match url.split_once('?') {
        Some((b, q)) => (b, q),
        None => return url.to_string(),
    };
    let (query, fragment) = match rest.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (rest, None),
    };
    let kept: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| !drop.contains(&k.as_ref()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut out = base.to_string();
    if !kept.is_empty() {
        out.push('?');
        out.push_str(
            &form_urlencoded::Serializer::new(String::new())
                .extend_pairs(kept)
                .finish(),
        );
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

fn header_value(s: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(s).ok()
}

#[derive(Deserialize)]
struct HandshakeHeader {
    #[serde(default)]
    alg: Option<String>,
    #[serde(default)]
    typ: Option<String>,
    #[serde(default)]
    kid: Option<String>,
}

#[derive(Deserialize)]
struct HandshakePayload {
    handshake: Vec<String>,
}

fn b64_json<T: serde::de::DeserializeOwned>(segment: &str) -> Option<T> {
    let bytes = base64::Engine::decode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        segment.trim_end_matches('='),
    )
    .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// `name` and `value` of a `Set-Cookie` string.
fn set_cookie_pair(s: &str) -> Option<(&str, &str)> {
    let first = s.split(';').next()?;
    let (n, v) = first.split_once('=')?;
    Some((n.trim(), v.trim()))
}

impl Clerk {
    /// `handleMaybeHandshakeStatus`: a handshake for documents (unless looping), else
    /// signed out with the same reason.
    pub(super) fn maybe_handshake(
        &self,
        ctx: &Context<'_>,
        reason: Reason,
        message: String,
    ) -> RequestState {
        if !ctx.is_document {
            return signed_out(reason, message);
        }
        let (Some(fapi), Some(url)) = (&self.inner.instance.fapi, &ctx.url) else {
            return signed_out(reason, message);
        };
        if ctx.redirect_count >= MAX_HANDSHAKE_REDIRECTS {
            return signed_out(
                reason,
                "handshake redirect loop: the instance keys of this server and the browser \
                 probably do not match",
            );
        }
        let redirect_url = without_params(url, &[names::DEV_BROWSER, names::LEGACY_DEV_BROWSER]);
        let hs_reason = if reason == Reason::SessionTokenExpired {
            // We have no refresh-token flow: say so, as Clerk does without the cookie.
            format!("{}-refresh-non-eligible-no-refresh-cookie", reason.as_str())
        } else {
            reason.as_str().to_string()
        };
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("redirect_url", &redirect_url);
        q.append_pair(
            names::SUFFIXED_COOKIES,
            if ctx.suffixed { "true" } else { "false" },
        );
        q.append_pair(names::HANDSHAKE_REASON, &hs_reason);
        if self.inner.instance.is_development() {
            if let Some(db) = &ctx.dev_browser {
                q.append_pair(names::DEV_BROWSER, db);
            }
        }
        let location = format!("{}?{}", fapi.url("/client/handshake"), q.finish());
        let mut headers = HeaderMap::new();
        let Some(loc) = header_value(&location) else {
            return signed_out(reason, message);
        };
        headers.insert(http::header::LOCATION, loc);
        headers.insert(
            http::header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        );
        if let Some(c) = header_value(&format!(
            "{}={}; SameSite=Lax; HttpOnly; Max-Age=3",
            names::REDIRECT_COUNT,
            ctx.redirect_count + 1
        )) {
            headers.append(http::header::SET_COOKIE, c);
        }
        RequestState::Handshake {
            location,
            reason,
            headers,
        }
    }

    /// Verifies the `__clerk_handshake` JWT (signed by the instance key; its `handshake`
    /// claim is a list of `Set-Cookie` strings), sets those cookies and, in development (the
    /// payload came in the URL), redirects to the URL without it.
    pub(super) async fn resolve_handshake(
        &self,
        ctx: &Context<'_>,
        token: &str,
    ) -> Result<RequestState, VerifyError> {
        let invalid = |m: &str| VerifyError::new(Reason::TokenInvalid, m.to_string());
        let mut parts = token.trim().split('.');
        let (Some(h), Some(p), Some(_), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid("the handshake token is not a JWT"));
        };
        let header: HandshakeHeader =
            b64_json(h).ok_or_else(|| invalid("the handshake token header is not JSON"))?;
        if header.typ.as_deref().is_some_and(|t| t != "JWT") {
            return Err(invalid("the handshake token type is not JWT"));
        }
        if header.alg.as_deref() != Some("RS256") {
            return Err(VerifyError::new(
                Reason::TokenInvalidAlgorithm,
                "the handshake token is not RS256",
            ));
        }
        let key_ref = self
            .inner
            .instance
            .keys
            .key_for(header.kid.as_deref())
            .await?;
        let key = key_ref
            .key()
            .ok_or_else(|| VerifyError::new(Reason::JwkKidMismatch, "no key for this kid"))?;
        if !verify::signature_is_valid(token, key) {
            return Err(VerifyError::new(
                Reason::TokenInvalidSignature,
                "the handshake signature is invalid",
            ));
        }
        let payload: HandshakePayload =
            b64_json(p).ok_or_else(|| invalid("the handshake payload has no cookie list"))?;
        let mut headers = HeaderMap::new();
        let mut session = String::new();
        for cookie in payload.handshake.iter().take(MAX_HANDSHAKE_COOKIES) {
            let Some(value) = header_value(cookie) else {
                continue;
            };
            headers.append(http::header::SET_COOKIE, value);
            if let Some((name, v)) = set_cookie_pair(cookie) {
                if name.starts_with(names::SESSION) {
                    session = v.to_string();
                }
            }
        }
        if ctx.dev_browser_in_query && !sets_cookie(&headers, names::DEV_BROWSER) {
            // Development FAPI sends the dev browser back in the URL; the clean URL drops it
            // (else the next load would be a dev-browser sync handshake again), so keep it
            // in a cookie as clerk-js would.
            if let Some(db) = &ctx.dev_browser {
                if let Some(v) = header_value(&format!(
                    "{}={db}; Path=/; SameSite=Lax",
                    names::DEV_BROWSER
                )) {
                    headers.append(http::header::SET_COOKIE, v);
                }
            }
        }
        if let Some(url) = &ctx.url {
            if self.inner.instance.is_development() || url.contains(names::HANDSHAKE) {
                let clean = without_params(
                    url,
                    &[
                        names::HANDSHAKE,
                        names::HANDSHAKE_HELP,
                        names::DEV_BROWSER,
                        names::LEGACY_DEV_BROWSER,
                    ],
                );
                if let Some(loc) = header_value(&clean) {
                    headers.insert(http::header::LOCATION, loc);
                    headers.insert(
                        http::header::CACHE_CONTROL,
                        HeaderValue::from_static("no-store"),
                    );
                }
            }
        }
        if session.is_empty() {
            return Ok(RequestState::SignedOut {
                reason: Reason::SessionTokenMissing,
                message: "the handshake set no session cookie (signed out)".into(),
                headers,
            });
        }
        match self.verify_session_token(&session).await {
            Ok(auth) => Ok(self.signed_in(auth, headers)),
            Err(e)
                if self.inner.instance.is_development()
                    && e.reason.to_handshake_reason().is_some() =>
            {
                // Clerk: in development a clock skew must not lock the developer out.
                let lenient = VerifyOptions {
                    clock_skew_secs: 86_400,
                    ..self.inner.instance.verify.clone()
                };
                let auth = self.verify_with(&session, &lenient).await?;
                Ok(self.signed_in(auth, headers))
            }
            Err(e) => Err(e),
        }
    }
}

/// True when a `Set-Cookie` in `headers` sets `name` (or its suffixed twin).
fn sets_cookie(headers: &HeaderMap, name: &str) -> bool {
    headers
        .get_all(http::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(set_cookie_pair)
        .any(|(n, _)| n == name || n.strip_prefix(name).is_some_and(|r| r.starts_with('_')))
}
