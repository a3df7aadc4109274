#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use ::base64::Engine as _;

const EXAMPLE: &str = "pk_test_ZXhhbXBsZS5hY2NvdW50cy5kZXYk"; // example.accounts.dev$

fn b64(s: &str) -> String {
    ::base64::engine::general_purpose::STANDARD.encode(s)
}

#[test]
fn parses_the_documented_example() {
    let key = PublishableKey::parse(EXAMPLE).unwrap();
    assert_eq!(key.instance_type(), InstanceType::Development);
    assert_eq!(key.frontend_api(), "example.accounts.dev");
    assert_eq!(key.as_str(), EXAMPLE);
    assert!(key.is_dev_or_staging_host());
    assert!(key.is_development());
}

#[test]
fn parses_real_looking_keys() {
    let dev = build_publishable_key("foo-bar-13.clerk.accounts.dev", InstanceType::Development);
    let key = PublishableKey::parse(&dev).unwrap();
    assert_eq!(key.frontend_api(), "foo-bar-13.clerk.accounts.dev");
    let live = build_publishable_key("clerk.example.com", InstanceType::Production);
    assert!(live.starts_with("pk_live_"));
    let key = PublishableKey::parse(&live).unwrap();
    assert_eq!(key.instance_type(), InstanceType::Production);
    assert_eq!(key.frontend_api(), "clerk.example.com");
    assert!(!key.is_dev_or_staging_host());
    // A dev key on a non-Clerk host: development instance, but no dev-browser host.
    let local = build_publishable_key("clerk.127.0.0.1.nip.io", InstanceType::Development);
    let key = PublishableKey::parse(&local).unwrap();
    assert!(key.is_development());
    assert!(!key.is_dev_or_staging_host());
}

#[test]
fn trims_white_space() {
    let key = PublishableKey::parse(&format!("  {EXAMPLE}\n")).unwrap();
    assert_eq!(key.as_str(), EXAMPLE);
    assert_eq!(
        PublishableKey::parse(" \t\n ").unwrap_err(),
        KeyError::Missing
    );
}

#[test]
fn empty_is_missing() {
    assert_eq!(PublishableKey::parse("").unwrap_err(), KeyError::Missing);
    assert!(!PublishableKey::is_valid(""));
}

#[test]
fn wrong_prefix() {
    for bad in [
        "sk_test_abc",
        "pk_prod_ZXhhbXBsZS5jb20k",
        "test_ZXhhbXBsZS5jb20k",
        "PK_TEST_x",
    ] {
        match PublishableKey::parse(bad).unwrap_err() {
            KeyError::InvalidPrefix { prefix } => {
                assert!(prefix.chars().count() <= 8);
                assert!(bad.starts_with(&prefix));
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    let err = PublishableKey::parse("sk_test_secretsecretsecret").unwrap_err();
    assert!(!err.to_string().contains("secretsecret"));
    assert!(err.to_string().contains("pk_test_"));
}

#[test]
fn wrong_number_of_parts() {
    let extra = format!("pk_test_{}_x", b64("example.com$"));
    assert_eq!(
        PublishableKey::parse(&extra).unwrap_err(),
        KeyError::InvalidParts { parts: 4 }
    );
    assert_eq!(
        PublishableKey::parse("pk_test_").unwrap_err(),
        KeyError::EmptyEncodedPart
    );
}

#[test]
fn bad_base64() {
    for bad in [
        "pk_test_!!!!",
        "pk_test_ZXhhbXBsZS5jb20k-", // URL-safe alphabet: atob rejects it
        "pk_test_a",                 // 4n+1 length
        "pk_test_ZXhhbXBsZS5jb20k=", // padding on a length that is already complete
    ] {
        assert_eq!(
            PublishableKey::parse(bad).unwrap_err(),
            KeyError::Decode,
            "{bad}"
        );
    }
}

#[test]
fn url_safe_characters_are_rejected_like_atob() {
    // "a.b?~$" encodes to "YS5iP34k" (no +/ needed); find one that needs them.
    let host = "a.b>>?$"; // standard base64 contains '+' or '/'
    let std = b64(host);
    assert!(std.contains('+') || std.contains('/'), "{std}");
    assert!(PublishableKey::parse(&format!("pk_test_{std}")).is_ok());
    let url_safe = std.replace('+', "-").replace('/', "_");
    assert!(PublishableKey::parse(&format!("pk_test_{url_safe}")).is_err());
}

#[test]
fn padding_is_optional_but_must_be_right() {
    // "example.com$" is 12 bytes: no padding. "examples.com$" is 13: "==" padding.
    let padded = b64("examples.com$");
    assert!(padded.ends_with("=="));
    assert!(PublishableKey::parse(&format!("pk_live_{padded}")).is_ok());
    let unpadded = padded.trim_end_matches('=');
    assert!(PublishableKey::parse(&format!("pk_live_{unpadded}")).is_ok());
    let single = b64("example.co$"); // 11 bytes: one '='
    assert!(single.ends_with('=') && !single.ends_with("=="));
    assert!(PublishableKey::parse(&format!("pk_live_{single}")).is_ok());
    let single_unpadded = single.trim_end_matches('=');
    assert!(PublishableKey::parse(&format!("pk_live_{single_unpadded}")).is_ok());
    let too_much = format!("pk_live_{unpadded}=");
    assert_eq!(
        PublishableKey::parse(&too_much).unwrap_err(),
        KeyError::Decode
    );
}

#[test]
fn missing_trailing_dollar() {
    let key = format!("pk_test_{}", b64("example.com"));
    match PublishableKey::parse(&key).unwrap_err() {
        KeyError::Format { decoded, problem } => {
            assert_eq!(decoded, "example.com");
            assert_eq!(problem, KeyFormatProblem::MissingTrailingDollar);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn extra_dollar() {
    for host in ["exa$mple.com$", "example.com$$"] {
        let key = format!("pk_test_{}", b64(host));
        match PublishableKey::parse(&key).unwrap_err() {
            KeyError::Format { problem, .. } => {
                assert_eq!(problem, KeyFormatProblem::ExtraDollar)
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn host_without_dot() {
    let key = format!("pk_test_{}", b64("localhost$"));
    match PublishableKey::parse(&key).unwrap_err() {
        KeyError::Format { problem, .. } => {
            assert_eq!(problem, KeyFormatProblem::HostWithoutDot)
        }
        other => panic!("{other:?}"),
    }
    let msg = PublishableKey::parse(&key).unwrap_err().to_string();
    assert!(msg.contains("localhost$"), "{msg}");
    assert!(msg.contains('.'), "{msg}");
}

#[test]
fn internal_white_space_is_ignored_by_atob() {
    let enc = b64("example.com$");
    let spaced = format!("pk_test_{} {}", &enc[..4], &enc[4..]);
    assert_eq!(
        PublishableKey::parse(&spaced).unwrap().frontend_api(),
        "example.com"
    );
}

#[test]
fn error_messages_say_what_a_key_looks_like() {
    let all = [
        KeyError::Missing,
        KeyError::InvalidPrefix {
            prefix: "sk_test_".into(),
        },
        KeyError::InvalidParts { parts: 4 },
        KeyError::EmptyEncodedPart,
        KeyError::Decode,
        KeyError::Format {
            decoded: "x".into(),
            problem: KeyFormatProblem::HostWithoutDot,
        },
    ];
    for e in all {
        let m = e.to_string();
        assert!(m.contains("pk_test_") || m.contains("$"), "{m}");
    }
}

#[test]
fn cookie_suffix_is_sha1_base64url_prefix() {
    // SHA-1("pk_test_ZXhhbXBsZS5hY2NvdW50cy5kZXYk"), computed independently.
    let key = PublishableKey::parse(EXAMPLE).unwrap();
    let suffix = key.cookie_suffix();
    assert_eq!(suffix.len(), 8);
    assert!(suffix
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    let digest = sha1_smol::Sha1::from(EXAMPLE).digest().bytes();
    let expected: String = ::base64::engine::general_purpose::STANDARD
        .encode(digest)
        .replace('+', "-")
        .replace('/', "_")
        .chars()
        .take(8)
        .collect();
    assert_eq!(suffix, expected);
    assert_eq!(
        key.suffixed_cookie_name("__session"),
        format!("__session_{expected}")
    );
}

#[test]
fn cookie_suffix_known_vector() {
    // SHA-1("abc") = a9993e364706816aba3e25717850c26c9cd0d89d → base64 "qZk+NkcGgWq6PiVxeFDCbJzQ2J0="
    assert_eq!(cookie_suffix("abc"), "qZk-NkcG");
}

#[test]
fn dev_or_staging_hosts() {
    assert!(is_dev_or_staging_host("foo-bar-13.clerk.accounts.dev"));
    assert!(is_dev_or_staging_host("x.accountsstage.dev"));
    assert!(is_dev_or_staging_host("clerk.x.lcl.dev"));
    assert!(is_dev_or_staging_host("a.stg.dev"));
    assert!(!is_dev_or_staging_host("clerk.example.com"));
    assert!(!is_dev_or_staging_host("fapi.localtest.me"));
    assert!(!is_dev_or_staging_host(""));
}

#[test]
fn build_key_round_trips() {
    for (host, it) in [
        ("clerk.example.com", InstanceType::Production),
        ("fapi.localtest.me", InstanceType::Development),
        ("a.b", InstanceType::Development),
    ] {
        let k = build_publishable_key(host, it);
        assert!(!k.ends_with('='));
        let parsed = PublishableKey::parse(&k).unwrap();
        assert_eq!(parsed.frontend_api(), host);
        assert_eq!(parsed.instance_type(), it);
        assert_eq!(k.parse::<PublishableKey>().unwrap(), parsed);
    }
}

#[test]
fn endpoint_from_key() {
    let key = PublishableKey::parse(EXAMPLE).unwrap();
    let ep = FapiEndpoint::from_key(&key);
    assert_eq!(ep.base(), "https://example.accounts.dev");
    assert!(!ep.is_proxied());
    assert_eq!(ep.url("/client"), "https://example.accounts.dev/v1/client");
    assert_eq!(ep.url("client"), "https://example.accounts.dev/v1/client");
    assert_eq!(
        ep.url("/v1/client"),
        "https://example.accounts.dev/v1/client"
    );
    assert_eq!(
        ep.url("/v1environment"),
        "https://example.accounts.dev/v1/v1environment"
    );
}

#[test]
fn endpoint_from_proxy_url() {
    for (input, base) in [
        ("http://127.0.0.1:7450", "http://127.0.0.1:7450"),
        ("http://127.0.0.1:7450/", "http://127.0.0.1:7450"),
        (
            "https://app.example.com/__clerk",
            "https://app.example.com/__clerk",
        ),
        (
            "https://app.example.com/__clerk/",
            "https://app.example.com/__clerk",
        ),
        (
            "HTTPS://App.Example.com/Api/Clerk//",
            "https://app.example.com/Api/Clerk",
        ),
        ("http://[::1]:8080/p", "http://[::1]:8080/p"),
        ("  http://localhost:3000  ", "http://localhost:3000"),
    ] {
        let ep = FapiEndpoint::from_proxy_url(input).unwrap();
        assert_eq!(ep.base(), base, "{input}");
        assert!(ep.is_proxied());
        assert_eq!(ep.url("/client"), format!("{base}/v1/client"));
    }
}

#[test]
fn invalid_proxy_urls_are_config_errors() {
    for bad in [
        "",
        "127.0.0.1:7450",
        "ftp://example.com",
        "http://",
        "http:///path",
        "http://example.com:99999",
        "http://example.com:port",
        "http://user:pw@example.com",
        "http://example.com/p?x=1",
        "http://example.com/#frag",
        "http://exa mple.com",
        "http://example.com/../x",
        "//example.com",
    ] {
        match FapiEndpoint::from_proxy_url(bad) {
            Err(ClerkError::Config(msg)) => assert!(msg.contains("proxy_url"), "{msg}"),
            other => panic!("{bad:?}: {other:?}"),
        }
    }
}

#[test]
fn resolve_endpoint() {
    let key = PublishableKey::parse(EXAMPLE).unwrap();
    assert_eq!(
        FapiEndpoint::resolve(&key, None, None).unwrap().base(),
        "https://example.accounts.dev"
    );
    assert_eq!(
        FapiEndpoint::resolve(&key, Some(""), None).unwrap().base(),
        "https://example.accounts.dev"
    );
    assert_eq!(
        FapiEndpoint::resolve(&key, Some("http://127.0.0.1:7450"), None)
            .unwrap()
            .base(),
        "http://127.0.0.1:7450"
    );
    assert_eq!(
        FapiEndpoint::resolve(&key, Some("/__clerk/"), Some("https://app.example.com/"))
            .unwrap()
            .base(),
        "https://app.example.com/__clerk"
    );
    assert!(matches!(
        FapiEndpoint::resolve(&key, Some("/__clerk"), None),
        Err(ClerkError::Config(_))
    ));
}
