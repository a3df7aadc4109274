//! Tiny URL helpers (no `url` crate: the wasm size budget is tight and only query strings of
//! well-formed URLs are touched).

/// Percent-encodes like JavaScript's `encodeURIComponent` (valid in query strings and
/// `application/x-www-form-urlencoded` bodies).
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'!'
            | b'~'
            | b'*'
            | b'\''
            | b'('
            | b')' => out.push(char::from(b)),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Decodes `%XX` and `+` (form encoding); invalid escapes are kept as they are.
pub(crate) fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits a URL into (before `?`, query without `?`, fragment with `#`).
fn split(url: &str) -> (&str, &str, &str) {
    let (rest, fragment) = match url.find('#') {
        Some(i) => (&url[..i], &url[i..]),
        None => (url, ""),
    };
    match rest.find('?') {
        Some(i) => (&rest[..i], &rest[i + 1..], fragment),
        None => (rest, "", fragment),
    }
}

/// The decoded value of the query parameter `name`.
pub(crate) fn query_param(url: &str, name: &str) -> Option<String> {
    let (_, query, _) = split(url);
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(k) == name).then(|| decode(v))
    })
}

/// The URL without the query parameters in `names` (order of the others kept).
pub(crate) fn remove_params(url: &str, names: &[&str]) -> String {
    let (base, query, fragment) = split(url);
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|pair| {
            let k = pair.split_once('=').map_or(*pair, |(k, _)| k);
            !names.contains(&decode(k).as_str())
        })
        .collect();
    if kept.is_empty() {
        format!("{base}{fragment}")
    } else {
        format!("{base}?{}{fragment}", kept.join("&"))
    }
}

/// The URL with `name=value` appended (replacing an existing `name`).
pub(crate) fn set_param(url: &str, name: &str, value: &str) -> String {
    let url = remove_params(url, &[name]);
    let (base, query, fragment) = split(&url);
    let sep = if query.is_empty() { "" } else { "&" };
    format!(
        "{base}?{query}{sep}{}={}{fragment}",
        encode(name),
        encode(value)
    )
}

/// `scheme://host[:port]` of an absolute http(s) URL.
pub(crate) fn origin_of(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    let scheme_len = if lower.starts_with("https://") {
        8
    } else if lower.starts_with("http://") {
        7
    } else {
        return None;
    };
    let rest = &url[scheme_len..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some(format!(
        "{}{}",
        &lower[..scheme_len],
        rest[..end].to_ascii_lowercase()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params() {
        let u = "http://a.test/x?__clerk_db_jwt=dvb_1&y=2#h";
        assert_eq!(query_param(u, "__clerk_db_jwt").as_deref(), Some("dvb_1"));
        assert_eq!(
            remove_params(u, &["__clerk_db_jwt"]),
            "http://a.test/x?y=2#h"
        );
        assert_eq!(
            remove_params("http://a.test/?a=1", &["a"]),
            "http://a.test/"
        );
        assert_eq!(
            set_param(
                "https://x.test/sign-in",
                "redirect_url",
                "http://a.test/p?q=1"
            ),
            "https://x.test/sign-in?redirect_url=http%3A%2F%2Fa.test%2Fp%3Fq%3D1"
        );
        assert_eq!(decode("a%20b+c%2"), "a b c%2");
        assert_eq!(
            origin_of("HTTPS://X.test:8/p?q").as_deref(),
            Some("https://x.test:8")
        );
        assert_eq!(origin_of("/relative"), None);
    }
}
