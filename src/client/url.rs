//! Tiny URL helpers (no `url` crate: the wasm size budget is tight and only query strings of
//! well-formed URLs are touched). Query strings are read and written with `form_urlencoded`
//! (already used by the request builder), the same `application/x-www-form-urlencoded` rules
//! as the browser's `URLSearchParams`.

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

/// The decoded name of one raw `name=value` pair of a query string.
fn pair_name(pair: &str) -> Option<std::borrow::Cow<'_, str>> {
    form_urlencoded::parse(pair.as_bytes())
        .next()
        .map(|(name, _)| name)
}

/// The decoded value of the query parameter `name` (the first one).
pub(crate) fn query_param(url: &str, name: &str) -> Option<String> {
    let (_, query, _) = split(url);
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The URL without the query parameters in `names` (the others kept as they were, in order).
pub(crate) fn remove_params(url: &str, names: &[&str]) -> String {
    let (base, query, fragment) = split(url);
    // Written in place (no `Vec` + `join` + `format!`): `?` before the first kept pair,
    // `&` before the others.
    let mut out = String::with_capacity(url.len());
    out.push_str(base);
    let mut separator = '?';
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        if pair_name(pair).is_none_or(|k| !names.contains(&k.as_ref())) {
            out.push(separator);
            out.push_str(pair);
            separator = '&';
        }
    }
    out.push_str(fragment);
    out
}

/// The URL with `name=value` appended (replacing an existing `name`), before any fragment.
pub(crate) fn set_param(url: &str, name: &str, value: &str) -> String {
    let url = remove_params(url, &[name]);
    let (base, query, fragment) = split(&url);
    let mut pairs = query.to_string();
    crate::core::request::append_form_pair(&mut pairs, name, value);
    let mut out = String::with_capacity(base.len() + pairs.len() + fragment.len() + 1);
    out.push_str(base);
    out.push('?');
    out.push_str(&pairs);
    out.push_str(fragment);
    out
}

/// What a navigation target is, as the browser's URL parser will read it (only what the
/// redirect policy needs: `crate::client::redirect`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A path, query or fragment on the page's own origin (`/x`, `x`, `?a`, `#b`).
    Relative,
    /// An absolute http(s) URL: its origin, lower case, without the default port
    /// (`https://app.example.com`, `http://127.0.0.1:8080`).
    Absolute(String),
}

/// Why a string is not a plain http(s) URL or same-origin path. Never holds the URL itself
/// (it may carry a dev-browser id or a token); the scheme is at most 16 characters of
/// `[a-z0-9+.-]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unsafe {
    /// A scheme other than http and https (`javascript:`, `data:`, `file:` …).
    Scheme(String),
    /// `//host` or `\\host`: the browser takes the page's scheme and goes to another host.
    SchemeRelative,
    /// Control characters, user info (`user@host`), an empty or non-ASCII host, or
    /// `https:host` without slashes: read differently by different parsers, so refused.
    Malformed,
}

/// Classifies a navigation target like the WHATWG URL parser does (the rules clerk-js's
/// `windowNavigate` and `isProblematicUrl` check): leading/trailing C0 controls and spaces
/// are ignored and tabs/newlines removed, `\` counts as `/`; only http(s) is accepted.
pub(crate) fn classify(url: &str) -> Result<Target, Unsafe> {
    // Byte-wise on purpose: every character that matters here is ASCII, and removing ASCII
    // bytes keeps the rest valid UTF-8 (and the code small in wasm).
    let cleaned: Vec<u8> = url
        .trim_matches(|c: char| c <= ' ')
        .bytes()
        .filter(|b| !matches!(b, b'\t' | b'\n' | b'\r'))
        .collect();
    if cleaned.iter().any(|&b| b < 0x20 || b == 0x7f) {
        return Err(Unsafe::Malformed);
    }
    let two_slashes = |s: &[u8]| s.len() >= 2 && s[..2].iter().all(|&b| b == b'/' || b == b'\\');
    let Some(colon) = scheme_end(&cleaned) else {
        return if two_slashes(&cleaned) {
            Err(Unsafe::SchemeRelative)
        } else {
            Ok(Target::Relative)
        };
    };
    let scheme = &cleaned[..colon];
    let https = scheme.eq_ignore_ascii_case(b"https");
    if !https && !scheme.eq_ignore_ascii_case(b"http") {
        let shown = scheme
            .iter()
            .take(16)
            .map(|&b| char::from(b.to_ascii_lowercase()))
            .collect();
        return Err(Unsafe::Scheme(shown));
    }
    let rest = &cleaned[colon + 1..];
    if !two_slashes(rest) {
        return Err(Unsafe::Malformed);
    }
    let rest = &rest[2..];
    let end = rest
        .iter()
        .position(|b| b"/\\?#".contains(b))
        .unwrap_or(rest.len());
    let authority = &rest[..end];
    let (host, port) = match authority.iter().rposition(|&b| b == b':') {
        Some(i) if authority != b"[::1]" => (&authority[..i], &authority[i + 1..]),
        _ => (authority, &b""[..]),
    };
    if !canonical_host(host) || !(port.is_empty() || canonical_number(port, 65_535)) {
        return Err(Unsafe::Malformed);
    }
    let default_port: &[u8] = if https { b"443" } else { b"80" };
    let mut origin = String::from(if https { "https://" } else { "http://" });
    origin.extend(host.iter().map(|&b| char::from(b.to_ascii_lowercase())));
    if !port.is_empty() && port != default_port {
        origin.push(':');
        origin.extend(port.iter().map(|&b| char::from(b)));
    }
    Ok(Target::Absolute(origin))
}

/// A host the URL parser keeps as it is (after lower-casing): an ASCII name whose last label
/// is not a number, a dotted quad in canonical form, or `[::1]`. Other forms (`0x7f.1`,
/// `127.1`, IPv6 spellings, `%`-escapes, non-ASCII names) are rewritten by the parser, so the
/// policy could not compare them reliably: they are refused.
fn canonical_host(host: &[u8]) -> bool {
    if host == b"[::1]" {
        return true;
    }
    if host.is_empty()
        || !host
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return false;
    }
    let trimmed = host.strip_suffix(b".").unwrap_or(host);
    let last = trimmed.rsplit(|&b| b == b'.').next().unwrap_or(trimmed);
    let numeric =
        last.iter().all(u8::is_ascii_digit) || last.starts_with(b"0x") || last.starts_with(b"0X");
    if !numeric {
        return true;
    }
    let mut parts = 0;
    for part in host.split(|&b| b == b'.') {
        parts += 1;
        if !canonical_number(part, 255) {
            return false;
        }
    }
    parts == 4
}

/// A decimal number of at most `max` without leading zeros (as the URL parser writes IPv4
/// parts and ports).
fn canonical_number(digits: &[u8], max: u32) -> bool {
    !digits.is_empty()
        && digits.len() <= 5
        && digits.iter().all(u8::is_ascii_digit)
        && (digits.len() == 1 || digits[0] != b'0')
        && digits
            .iter()
            .fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'))
            <= max
}

/// Whether `url` is an http(s) URL or a path (the scheme part of the redirect policy, for
/// `Page::navigate` implementations as a last line of defence).
pub fn is_navigable(url: &str) -> bool {
    classify(url).is_ok()
}

/// The index of the `:` ending a URL scheme (`[A-Za-z][A-Za-z0-9+.-]*:`), if `s` has one.
fn scheme_end(s: &[u8]) -> Option<usize> {
    let colon = s.iter().position(|&b| b == b':')?;
    let scheme = &s[..colon];
    let first_ok = scheme.first().is_some_and(u8::is_ascii_alphabetic);
    let rest_ok = scheme
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || b"+.-".contains(&b));
    (first_ok && rest_ok).then_some(colon)
}

/// `scheme://host[:port]` of an absolute http(s) URL (lower case, default port dropped).
pub(crate) fn origin_of(url: &str) -> Option<String> {
    match classify(url) {
        Ok(Target::Absolute(origin)) => Some(origin),
        _ => None,
    }
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
        // `%XX` and `+` are decoded; an invalid escape is kept as it is.
        assert_eq!(
            query_param("x?v=a%20b+c%2", "v").as_deref(),
            Some("a b c%2")
        );
        assert_eq!(
            origin_of("HTTPS://X.test:8/p?q").as_deref(),
            Some("https://x.test:8")
        );
        assert_eq!(origin_of("/relative"), None);
    }

    #[test]
    fn set_param_keeps_the_fragment_and_other_params() {
        assert_eq!(
            set_param("https://x.test/p?a=1&r=old#/tasks", "r", "/new page"),
            "https://x.test/p?a=1&r=%2Fnew+page#/tasks"
        );
    }

    #[test]
    fn classify_follows_the_url_parser() {
        use Target::*;
        let abs = |o: &str| Ok(Absolute(o.to_string()));
        assert_eq!(classify("/dashboard?x=1"), Ok(Relative));
        assert_eq!(classify("dashboard"), Ok(Relative));
        assert_eq!(classify("#top"), Ok(Relative));
        assert_eq!(classify(""), Ok(Relative));
        assert_eq!(
            classify("https://App.Example.com/x"),
            abs("https://app.example.com")
        );
        assert_eq!(classify("https://a.test:443/"), abs("https://a.test"));
        assert_eq!(classify("http://a.test:80"), abs("http://a.test"));
        assert_eq!(classify("http://a.test:8080#x"), abs("http://a.test:8080"));
        assert_eq!(classify("  https:\\\\a.test\\x"), abs("https://a.test"));
        assert_eq!(
            classify("javascript:alert(1)"),
            Err(Unsafe::Scheme("javascript".into()))
        );
        assert_eq!(
            classify(" java\tscript:alert(1)"),
            Err(Unsafe::Scheme("javascript".into()))
        );
        assert_eq!(
            classify("DATA:text/html,x"),
            Err(Unsafe::Scheme("data".into()))
        );
        assert_eq!(classify("//evil.test/x"), Err(Unsafe::SchemeRelative));
        assert_eq!(classify("/\\evil.test"), Err(Unsafe::SchemeRelative));
        assert_eq!(classify("\\/evil.test"), Err(Unsafe::SchemeRelative));
        assert_eq!(classify("/\t/evil.test"), Err(Unsafe::SchemeRelative));
        assert_eq!(
            classify("https://app.test@evil.test/"),
            Err(Unsafe::Malformed)
        );
        assert_eq!(classify("https:evil.test"), Err(Unsafe::Malformed));
        assert_eq!(classify("https://"), Err(Unsafe::Malformed));
        assert_eq!(classify("/x\u{0}y"), Err(Unsafe::Malformed));
        assert_eq!(classify("https://exämple.test/"), Err(Unsafe::Malformed));
        assert_eq!(classify("https://a.test:/x"), abs("https://a.test"));
        assert_eq!(
            classify("http://127.0.0.1:7480/"),
            abs("http://127.0.0.1:7480")
        );
        assert_eq!(classify("http://[::1]:8080/"), abs("http://[::1]:8080"));
        // Spellings the URL parser rewrites are refused rather than guessed.
        for rewritten in [
            "https://0",
            "https://127.1",
            "https://0x7f.0.0.1",
            "https://010.0.0.1",
            "https://a.test:0443",
            "https://a.test:99999",
            "https://[0:0::1]",
            "https://a%2etest",
        ] {
            assert_eq!(classify(rewritten), Err(Unsafe::Malformed), "{rewritten}");
        }
    }
}

/// Property tests (host only: proptest and the `url` crate, the WHATWG parser used as the
/// oracle, are not built for wasm). `PROPTEST_CASES` raises the default 256 cases.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    #![allow(clippy::unwrap_used)]

    use proptest::prelude::*;

    use super::*;

    /// Strings that look like URLs: a scheme-ish prefix and a tail from URL punctuation,
    /// letters, digits, white space and controls.
    fn url_like() -> impl Strategy<Value = String> {
        let prefix = prop_oneof![
            Just(""),
            Just("https://"),
            Just("http://"),
            Just("HTTPS://"),
            Just("https:"),
            Just("javascript:"),
            Just("//"),
            Just("/\\"),
            Just("/"),
            Just(" \t"),
        ];
        let tail = proptest::string::string_regex(
            "[a-zA-Z0-9:/\\\\?#@%.+_~\\[\\]=& \t\n\u{0}\u{7f}é-]{0,40}",
        )
        .unwrap();
        (prefix, tail).prop_map(|(p, t)| format!("{p}{t}"))
    }

    /// The page the oracle resolves relative targets against.
    const PAGE: &str = "http://localhost:8080/base/page?x=1";

    proptest! {
        /// `set_param` then `query_param` gives the value back, whatever the URL, name and
        /// value, and the parameter appears once.
        #[test]
        fn prop_set_param_round_trips(
            base in any::<String>(),
            name in "[^\u{0}]{1,12}",
            value in any::<String>(),
        ) {
            let url = set_param(&base, &name, &value);
            prop_assert_eq!(query_param(&url, &name), Some(value.clone()));
            let (_, query, _) = split(&url);
            let count = form_urlencoded::parse(query.as_bytes()).filter(|(k, _)| *k == name).count();
            prop_assert_eq!(count, 1);
            // Removing it again leaves no trace of it.
            let removed = remove_params(&url, &[&name]);
            prop_assert_eq!(query_param(&removed, &name), None);
        }

        /// A redirect URL survives the trip through a hosted page's `redirect_url`.
        #[test]
        fn prop_redirect_url_round_trips(target in url_like(), hosted in url_like()) {
            let url = set_param(&hosted, "redirect_url", &target);
            prop_assert_eq!(query_param(&url, "redirect_url"), Some(target));
        }

        /// `remove_params` keeps every other raw pair, in order.
        #[test]
        fn prop_remove_params_keeps_the_others(url in any::<String>(), name in any::<String>()) {
            let out = remove_params(&url, &[&name]);
            prop_assert_eq!(query_param(&out, &name), None);
            let (_, before, _) = split(&url);
            let (_, after, _) = split(&out);
            let others = |q: &str| -> Vec<String> {
                q.split('&')
                    .filter(|p| !p.is_empty() && pair_name(p).is_none_or(|k| k != name.as_str()))
                    .map(str::to_string)
                    .collect()
            };
            prop_assert_eq!(others(before), others(after));
        }

        /// What `classify` accepts, the WHATWG URL parser resolves to the same origin (or
        /// cannot parse at all, and `location.assign` throws): an accepted target never
        /// leads anywhere the policy did not check.
        #[test]
        fn prop_classify_agrees_with_the_url_parser(target in url_like()) {
            let base = ::url::Url::parse(PAGE).unwrap();
            let resolved = base.join(&target);
            match classify(&target) {
                Ok(Target::Relative) => {
                    if let Ok(r) = resolved {
                        prop_assert_eq!(r.origin(), base.origin(), "{:?} -> {}", target, r);
                    }
                }
                Ok(Target::Absolute(origin)) => {
                    if let Ok(r) = resolved {
                        prop_assert_eq!(
                            r.origin().ascii_serialization(), origin, "{:?} -> {}", target, r
                        );
                    }
                }
                Err(Unsafe::Scheme(_)) => {
                    if let Ok(r) = resolved {
                        prop_assert!(!matches!(r.scheme(), "http" | "https"), "{:?} -> {}", target, r);
                    }
                }
                Err(_) => {}
            }
        }
    }
}
