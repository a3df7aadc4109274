use crate::client::ports::CookieJar;

/// [`CookieJar`] on `document.cookie`.
///
/// Cookies are written host-only with `path=/`, `SameSite=Lax`, `max-age=<secs>`, and `Secure`
/// when the page is served over https. Values are percent-encoded with `encodeURIComponent`
/// when needed (JWTs and ids are already cookie-safe and stay as they are) and decoded on read.
#[derive(Debug, Clone, Copy, Default)]
pub struct DocumentCookies;

/// `true` when the page is served over https.
fn is_https() -> bool {
    super::window()
        .and_then(|w| w.location().protocol().ok())
        .is_some_and(|p| p == "https:")
}

fn encode(value: &str) -> String {
    let safe = value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+/:=?@[]^`{|}".contains(&b));
    if safe {
        value.to_string()
    } else {
        String::from(js_sys::encode_uri_component(value))
    }
}

fn decode(value: &str) -> String {
    if value.contains('%') {
        js_sys::decode_uri_component(value)
            .map(String::from)
            .unwrap_or_else(|_| value.to_string())
    } else {
        value.to_string()
    }
}

/// Finds `name` in a `document.cookie` string (`a=1; b=2`).
pub(crate) fn find_cookie(all: &str, name: &str) -> Option<String> {
    all.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then(|| decode(v))
    })
}

impl CookieJar for DocumentCookies {
    fn get(&self, name: &str) -> Option<String> {
        let all = super::html_document()?.cookie().ok()?;
        find_cookie(&all, name)
    }

    fn set(&self, name: &str, value: &str, max_age_secs: i64) {
        let Some(doc) = super::html_document() else {
            return;
        };
        let secure = if is_https() { "; Secure" } else { "" };
        let cookie = format!(
            "{name}={}; path=/; max-age={max_age_secs}; SameSite=Lax{secure}",
            encode(value)
        );
        let _ = doc.set_cookie(&cookie);
    }

    fn remove(&self, name: &str) {
        let Some(doc) = super::html_document() else {
            return;
        };
        let secure = if is_https() { "; Secure" } else { "" };
        let _ = doc.set_cookie(&format!(
            "{name}=; path=/; max-age=0; expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax{secure}"
        ));
    }
}
