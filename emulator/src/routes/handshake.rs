//! `GET /v1/client/handshake`: Clerk's handshake for server-rendered apps
//! (clerkMiddleware / `authenticateRequest` in `@clerk/backend`).
//!
//! A backend that cannot trust the `__session` cookie of a document request
//! (missing or expired while `__client_uat` says signed in) redirects the browser
//! here with `redirect_url`, `suffixed_cookies`, `__clerk_hs_reason`, `format`
//! and, in development, `__clerk_db_jwt`. FAPI mints a fresh session token from
//! the browser's client and redirects (307) back to `redirect_url` with the
//! handshake payload: the `Set-Cookie` directives the backend must apply
//! (`__session`, `__client_uat`, suffixed copies when asked; clearing ones when
//! signed out).
//!
//! Payload formats (`format`):
//! - `token` (default): a JWT signed with the instance key, `{"handshake": [...]}`,
//!   in the `__clerk_handshake` query parameter (development) or cookie (production).
//! - `nonce`: a random nonce in `__clerk_handshake_nonce` (query parameter in
//!   development, cookie in production); the backend reads the directives from the
//!   Backend API, `GET /v1/clients/handshake_payload?nonce=…` → `{"directives": [...]}`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::json;

use crate::config::InstanceType;
use crate::errors::ApiError;
use crate::http::{Body, Reply, RouteResult};
use crate::routes::Ctx;
use crate::state::{now_ms, random_hex, Store};
use crate::tokens::{session_token, TokenRequest};

/// How long a handshake nonce can be redeemed, ms.
pub const NONCE_MS: i64 = 60_000;
/// `__client_uat` cookie lifetime (one year), as Clerk sets it.
const UAT_MAX_AGE: u64 = 31_536_000;
/// Lifetime of the `__clerk_handshake` / `__clerk_handshake_nonce` cookies (production).
const HANDSHAKE_COOKIE_MAX_AGE: u64 = 60;

/// Clerk's cookie suffix for a publishable key: the first 8 characters of
/// base64(SHA-1(key)) with `+`→`-` and `/`→`_` (`@clerk/shared` `getCookieSuffix`).
pub fn cookie_suffix(publishable_key: &str) -> String {
    let digest = sha1_smol::Sha1::from(publishable_key).digest().bytes();
    STANDARD
        .encode(digest)
        .replace('+', "-")
        .replace('/', "_")
        .chars()
        .take(8)
        .collect()
}

/// The origin (`scheme://host[:port]`) of an absolute http(s) URL, or `None` when
/// `url` is not one (no scheme, another scheme, no host, whitespace or control
/// characters). Only such URLs may be redirected to: `javascript:` and relative
/// URLs are refused.
pub fn http_origin(url: &str) -> Option<String> {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let lower = url.to_ascii_lowercase();
    let scheme_len = if lower.starts_with("https://") {
        8
    } else if lower.starts_with("http://") {
        7
    } else {
        return None;
    };
    let rest = &url[scheme_len..];
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // No userinfo (`https://app@evil.example`), a non-empty host.
    if authority.is_empty() || authority.contains('@') || authority.starts_with(':') {
        return None;
    }
    Some(format!(
        "{}{}",
        &lower[..scheme_len],
        authority.to_ascii_lowercase()
    ))
}

/// `url` with `name=value` appended to its query (before any fragment).
/// `value` must already be URL-safe (JWTs, nonces and dev browser ids are).
fn append_query(url: &str, name: &str, value: &str) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let sep = if base.contains('?') {
        if base.ends_with('?') || base.ends_with('&') {
            ""
        } else {
            "&"
        }
    } else {
        "?"
    };
    let mut out = format!("{base}{sep}{name}={value}");
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// The `Set-Cookie` directives for the app: the session token and `__client_uat`
/// (signed in), or a cleared `__session` and `__client_uat=0` (signed out); each
/// also under its suffixed name when `suffixed` is set.
fn directives(token: Option<&str>, uat: i64, suffix: Option<&str>, secure: bool) -> Vec<String> {
    let attrs = if secure {
        "; Path=/; SameSite=Lax; Secure"
    } else {
        "; Path=/; SameSite=Lax"
    };
    let mut names: Vec<(String, String)> = vec![("__session".into(), "__client_uat".into())];
    if let Some(sfx) = suffix {
        names.push((format!("__session_{sfx}"), format!("__client_uat_{sfx}")));
    }
    let mut out = Vec::new();
    for (session, client_uat) in names {
        match token {
            Some(t) => out.push(format!("{session}={t}{attrs}")),
            None => out.push(format!("{session}={attrs}; Max-Age=0")),
        }
        out.push(format!("{client_uat}={uat}{attrs}; Max-Age={UAT_MAX_AGE}"));
    }
    out
}

/// `GET /v1/client/handshake`.
pub fn handshake(ctx: &mut Ctx<'_>, store: &mut Store) -> RouteResult {
    let req = ctx.req;
    let redirect_url = req
        .q("redirect_url")
        .filter(|u| !u.is_empty())
        .ok_or_else(|| ApiError::form_param_missing("redirect_url"))?;
    let origin = http_origin(redirect_url).ok_or_else(|| {
        ApiError::form_param_format_invalid(
            "redirect_url",
            "redirect_url must be an absolute http or https URL.",
        )
    })?;
    let format = match req.q("format") {
        None | Some("token") => "token",
        Some("nonce") => "nonce",
        Some(_) => {
            return Err(ApiError::form_param_format_invalid(
                "format",
                "format must be one of: nonce, token.",
            ))
        }
    };
    let suffixed = req.q("suffixed_cookies") == Some("true");
    let secure = origin.starts_with("https://");
    let now = now_ms();

    // The browser's signed-in session, if any: the client's last active one.
    let session_id = ctx
        .client_id
        .as_ref()
        .and_then(|c| store.clients.get(c))
        .and_then(|c| c.last_active_session_id.clone())
        .filter(|sid| {
            store
                .sessions
                .get(sid)
                .is_some_and(|s| s.status.is_signed_in())
        });
    // `organization_id` (Clerk's organizationSyncOptions): an id or slug the user is a
    // member of becomes active, empty selects the personal account, anything else
    // leaves the session as it is.
    if let (Some(sid), Some(wanted)) = (session_id.as_deref(), req.q("organization_id")) {
        let user_id = store
            .sessions
            .get(sid)
            .map(|s| s.user_id.clone())
            .unwrap_or_default();
        let target = if wanted.is_empty() {
            Some(None)
        } else {
            store
                .orgs
                .iter()
                .find(|o| o.id == wanted || o.slug == wanted)
                .filter(|o| store.membership(&user_id, &o.id).is_some())
                .map(|o| Some(o.id.clone()))
        };
        if let (Some(org), Some(s)) = (target, store.sessions.get_mut(sid)) {
            s.active_org_id = org;
            s.updated_at = now.max(s.updated_at + 1);
        }
    }
    let (token, uat) = match session_id
        .as_deref()
        .and_then(|sid| store.sessions.get(sid))
    {
        Some(session) => {
            let token = session_token(
                &ctx.app.instance,
                &ctx.app.keys,
                store,
                &TokenRequest {
                    session,
                    org_id: session.active_org_id.as_deref(),
                    // The app the browser goes back to is the token's authorized party.
                    origin: Some(&origin),
                    now_secs: now / 1000,
                    edge_oiat: None,
                },
            )?;
            let uat = ctx
                .client_id
                .as_ref()
                .and_then(|c| store.clients.get(c))
                .map(|c| (c.updated_at / 1000).max(1))
                .unwrap_or(1);
            (Some(token), uat)
        }
        None => (None, 0),
    };
    let suffix = suffixed.then(|| cookie_suffix(&ctx.app.instance.publishable_key));
    let directives = directives(token.as_deref(), uat, suffix.as_deref(), secure);

    let (name, value) = if format == "nonce" {
        store.handshake_nonces.retain(|_, (_, exp)| *exp > now);
        let nonce = random_hex(24);
        store
            .handshake_nonces
            .insert(nonce.clone(), (directives, now + NONCE_MS));
        ("__clerk_handshake_nonce", nonce)
    } else {
        let jwt = ctx.app.keys.sign(&json!({ "handshake": directives }))?;
        ("__clerk_handshake", jwt)
    };
    let mut location = redirect_url.to_string();
    let mut reply = Reply {
        status: 307,
        body: Body::Empty,
        headers: vec![("cache-control".into(), "no-store".into())],
    };
    match ctx.app.instance.kind {
        InstanceType::Development => {
            location = append_query(&location, name, &value);
            if let Some(dvb) = ctx.dev_browser.as_deref() {
                location = append_query(&location, "__clerk_db_jwt", dvb);
            }
        }
        InstanceType::Production => {
            let secure_attr = if secure { "; Secure" } else { "" };
            reply.headers.push((
                "set-cookie".into(),
                format!(
                    "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={HANDSHAKE_COOKIE_MAX_AGE}{secure_attr}"
                ),
            ));
        }
    }
    reply.headers.push(("location".into(), location));
    Ok(reply)
}

/// `GET /v1/clients/handshake_payload?nonce=` on the Backend API: the directives a
/// `format=nonce` handshake stored (redeemable for [`NONCE_MS`]).
pub fn payload(store: &mut Store, nonce: Option<&str>) -> RouteResult {
    let now = now_ms();
    store.handshake_nonces.retain(|_, (_, exp)| *exp > now);
    let nonce = nonce
        .filter(|n| !n.is_empty())
        .ok_or_else(|| ApiError::form_param_missing("nonce"))?;
    store
        .handshake_nonces
        .get(nonce)
        .map(|(d, _)| Reply::json(json!({ "directives": d })))
        .ok_or_else(|| ApiError::resource_not_found("Handshake payload"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_suffix_matches_clerk_vectors() {
        // From @clerk/shared's keys tests.
        assert_eq!(cookie_suffix("pk_test_Y2xlcmsuY2xlcmsuZGV2JA"), "QvfNY2dr");
        assert_eq!(
            cookie_suffix("pk_test_ZW5vdWdoLWFscGFjYS04Mi5jbGVyay5hY2NvdW50cy5sY2xjbGVyay5jb20k"),
            "jtYvyt_H"
        );
        assert_eq!(
            cookie_suffix("pk_test_eHh4eHh4LXhhYWFhYS1hYS5jbGVyay5hY2NvdW50cy5sY2xjbGVyay5jb20k"),
            "tZJdb-5s"
        );
    }

    #[test]
    fn only_absolute_http_urls_have_an_origin() {
        assert_eq!(
            http_origin("http://localhost:3000/a?b=1#c").as_deref(),
            Some("http://localhost:3000")
        );
        assert_eq!(
            http_origin("HTTPS://App.Example/x").as_deref(),
            Some("https://app.example")
        );
        for bad in [
            "javascript:alert(1)",
            "/relative",
            "//evil.example/x",
            "https://",
            "https:///path",
            "https://app@evil.example/",
            "https://app.example/\nx",
            "ftp://app.example/",
            "data:text/html,x",
        ] {
            assert_eq!(http_origin(bad), None, "{bad}");
        }
    }

    #[test]
    fn query_is_appended_before_the_fragment() {
        assert_eq!(append_query("http://a/p", "k", "v"), "http://a/p?k=v");
        assert_eq!(
            append_query("http://a/p?x=1#f", "k", "v"),
            "http://a/p?x=1&k=v#f"
        );
        assert_eq!(append_query("http://a/p?", "k", "v"), "http://a/p?k=v");
    }
}
