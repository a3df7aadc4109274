//! Tests of request building (`build.rs`): URLs, query order, bodies, redaction.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::key::{build_publishable_key, FapiEndpoint, InstanceType, PublishableKey};

fn builder() -> FapiRequestBuilder {
    let key = PublishableKey::parse(&build_publishable_key(
        "foo-bar-13.clerk.accounts.dev",
        InstanceType::Development,
    ))
    .unwrap();
    FapiRequestBuilder::new(FapiEndpoint::from_key(&key))
}

#[test]
fn get_client() {
    let r = builder().get("/client");
    assert!(!r.post);
    assert_eq!(r.body, None);
    assert_eq!(r.path, "/v1/client");
    assert_eq!(
        r.url,
        "https://foo-bar-13.clerk.accounts.dev/v1/client?__clerk_api_version=2026-05-12"
    );
    assert_eq!(r.method(), Method::Get);
    assert_eq!(r.wire_method(), "GET");
}

#[test]
fn post_with_empty_body() {
    let r = builder().post("/dev_browser", &[]);
    assert!(r.post);
    assert_eq!(r.body.as_deref(), Some(""));
    assert_eq!(r.method(), Method::Post);
    assert_eq!(
        r.url,
        "https://foo-bar-13.clerk.accounts.dev/v1/dev_browser?__clerk_api_version=2026-05-12"
    );
}

#[test]
fn method_override_and_order() {
    let b = builder()
        .with_dev_browser(Some("dvb_2wBE".into()))
        .with_session_id(Some("sess_1".into()));
    let r = b.build(Method::Patch, "/environment", &[], &[]);
    assert_eq!(
        r.url,
        "https://foo-bar-13.clerk.accounts.dev/v1/environment?__clerk_api_version=2026-05-12&_method=PATCH&_clerk_session_id=sess_1&__clerk_db_jwt=dvb_2wBE"
    );
    assert!(r.post);
    assert_eq!(r.body.as_deref(), Some(""));
    assert_eq!(r.method(), Method::Patch);
    assert_eq!(r.wire_method(), "POST");
    let r = b.build(Method::Delete, "/client/sessions", &[], &[]);
    assert_eq!(
        r.url,
        "https://foo-bar-13.clerk.accounts.dev/v1/client/sessions?__clerk_api_version=2026-05-12&_method=DELETE&__clerk_db_jwt=dvb_2wBE"
    );
    assert_eq!(r.method(), Method::Delete);
    let r = b.build(Method::Put, "/client", &[], &[]);
    assert_eq!(r.query_param("_method").as_deref(), Some("PUT"));
    assert_eq!(r.method(), Method::Put);
}

#[test]
fn session_param_rules() {
    let b = builder().with_session_id(Some("sess_1".into()));
    for (path, expected) in [
        ("/me", true),
        ("/me/metadata", true),
        ("/organizations/org_1/memberships", true),
        ("/environment", true),
        ("/client", false),
        ("/client/sessions/sess_1/tokens", false),
        ("/v1/client/sessions/sess_1/touch", false),
        ("/waitlist", false),
    ] {
        let r = b.build(Method::Get, path, &[], &[]);
        assert_eq!(
            r.query_param(SESSION_ID_PARAM).is_some(),
            expected,
            "{path}"
        );
    }
    let r = builder().with_session_id(None).get("/me");
    assert_eq!(r.query_param(SESSION_ID_PARAM), None);
    let r = builder().with_session_id(Some(String::new())).get("/me");
    assert_eq!(r.query_param(SESSION_ID_PARAM), None);
}

#[test]
fn token_request_body_and_extra_query() {
    let b = builder().with_dev_browser(Some("dvb_x".into()));
    let r = b.build(
        Method::Post,
        "/client/sessions/sess_1/tokens",
        &[("debug", "skip_cache")],
        &[("organization_id", ""), ("tab_state", "focused")],
    );
    assert_eq!(
        r.url,
        "https://foo-bar-13.clerk.accounts.dev/v1/client/sessions/sess_1/tokens?debug=skip_cache&__clerk_api_version=2026-05-12&__clerk_db_jwt=dvb_x"
    );
    assert_eq!(
        r.body.as_deref(),
        Some("organization_id=&tab_state=focused")
    );
    assert_eq!(r.form_param("organization_id").as_deref(), Some(""));
    assert_eq!(r.form_param("tab_state").as_deref(), Some("focused"));
}

#[test]
fn special_characters_are_encoded() {
    let r = builder().post(
        "/client/sign_ins",
        &[
            ("identifier", "ada+test@example.com"),
            ("password", "p&ss=w rd/ü?#"),
            ("strategy", "password"),
        ],
    );
    assert_eq!(
        r.body.as_deref(),
        Some("identifier=ada%2Btest%40example.com&password=p%26ss%3Dw+rd%2F%C3%BC%3F%23&strategy=password")
    );
    assert_eq!(r.form_param("password").as_deref(), Some("p&ss=w rd/ü?#"));
    let r = builder().with_dev_browser(Some("dvb a&b".into())).build(
        Method::Get,
        "/client/touch",
        &[("redirect_url", "http://x.test/a?b=c&d")],
        &[],
    );
    assert_eq!(
        r.url,
        "https://foo-bar-13.clerk.accounts.dev/v1/client/touch?redirect_url=http%3A%2F%2Fx.test%2Fa%3Fb%3Dc%26d&__clerk_api_version=2026-05-12&__clerk_db_jwt=dvb+a%26b"
    );
    assert_eq!(r.query_param("__clerk_db_jwt").as_deref(), Some("dvb a&b"));
}

#[test]
fn get_form_goes_to_query() {
    let r = builder().build(Method::Get, "/me", &[("a", "1")], &[("b", "2")]);
    assert_eq!(
        r.url,
        "https://foo-bar-13.clerk.accounts.dev/v1/me?a=1&b=2&__clerk_api_version=2026-05-12"
    );
    assert_eq!(r.body, None);
}

#[test]
fn proxy_endpoint_and_api_version_override() {
    let b = FapiRequestBuilder::new(
        FapiEndpoint::from_proxy_url("http://127.0.0.1:7450/__clerk/").unwrap(),
    )
    .with_api_version("2026-08-20");
    assert_eq!(b.api_version(), "2026-08-20");
    assert_eq!(
        b.get("client").url,
        "http://127.0.0.1:7450/__clerk/v1/client?__clerk_api_version=2026-08-20"
    );
}

#[test]
fn retry_attempt() {
    let r = builder()
        .with_dev_browser(Some("dvb_1".into()))
        .get("/client");
    let r1 = r.with_retry_attempt(1);
    assert!(
        r1.url
            .ends_with("&__clerk_db_jwt=dvb_1&_clerk_retry_attempt=1"),
        "{}",
        r1.url
    );
    let r2 = r1.with_retry_attempt(2);
    assert!(
        r2.url
            .ends_with("&__clerk_db_jwt=dvb_1&_clerk_retry_attempt=2"),
        "{}",
        r2.url
    );
    assert_eq!(r2.url.matches(RETRY_ATTEMPT_PARAM).count(), 1);
}

#[test]
fn debug_output_has_no_secrets() {
    let b = builder().with_dev_browser(Some("dvb_secret".into()));
    let r = b.post("/client/sign_ins", &[("password", "hunter2")]);
    let dbg = format!("{r:?} {b:?}");
    assert!(
        !dbg.contains("dvb_secret") && !dbg.contains("hunter2"),
        "{dbg}"
    );
    assert_eq!(
        r.url_without_query(),
        "https://foo-bar-13.clerk.accounts.dev/v1/client/sign_ins"
    );
}

#[test]
fn path_segments() {
    assert_eq!(encode_path_segment("supabase"), "supabase");
    assert_eq!(encode_path_segment("a b/c?d"), "a%20b%2Fc%3Fd");
    assert_eq!(encode_path_segment("é"), "%C3%A9");
}

#[test]
fn method_names() {
    for m in [
        Method::Get,
        Method::Post,
        Method::Patch,
        Method::Put,
        Method::Delete,
    ] {
        assert_eq!(Method::parse(m.as_str()), Some(m));
        assert_eq!(Method::parse(&m.as_str().to_lowercase()), Some(m));
    }
    assert_eq!(Method::parse("HEAD"), None);
}

#[test]
fn strip_query_variants() {
    assert_eq!(
        strip_query("https://a.test/v1/x?y=1#z"),
        "https://a.test/v1/x"
    );
    assert_eq!(strip_query("https://a.test/v1/x#z"), "https://a.test/v1/x");
    assert_eq!(strip_query("https://a.test/v1/x"), "https://a.test/v1/x");
}

/// Property tests (`cargo test prop_`): arbitrary request inputs.
mod props {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::test_support::{within, CASE_LIMIT};
    use proptest::prelude::*;

    /// A value that must never show up in an error or a Debug output.
    const SECRET: &str = "SECRETvalue0123";

    fn arb_method() -> impl Strategy<Value = Method> {
        prop_oneof![
            Just(Method::Get),
            Just(Method::Post),
            Just(Method::Patch),
            Just(Method::Put),
            Just(Method::Delete),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn prop_builder_never_panics_and_never_logs_ids(
            method in arb_method(),
            path in any::<String>(),
            query in proptest::collection::vec((any::<String>(), any::<String>()), 0..4),
            form in proptest::collection::vec((any::<String>(), any::<String>()), 0..4),
            session in proptest::option::of(any::<String>()),
            attempt in any::<u32>(),
            segment in any::<String>(),
        ) {
            within(CASE_LIMIT, move || {
                let key = PublishableKey::parse(&build_publishable_key("a.clerk.accounts.dev", InstanceType::Development)).unwrap();
                let builder = FapiRequestBuilder::new(FapiEndpoint::from_key(&key))
                    .with_dev_browser(Some(SECRET.to_string()))
                    .with_session_id(session);
                let query: Vec<(&str, &str)> = query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let request = builder.build(method, &path, &query, &form);
                assert_eq!(request.query_param(DEV_BROWSER_PARAM).as_deref(), Some(SECRET));
                assert!(!format!("{request:?}").contains(SECRET));
                assert!(!request.url_without_query().contains(SECRET) || path.contains(SECRET));
                let retried = request.with_retry_attempt(attempt);
                assert_eq!(retried.query_param(RETRY_ATTEMPT_PARAM), Some(attempt.to_string()));
                let _ = (request.method(), request.wire_method(), request.form_param("a"));
                let encoded = encode_path_segment(&segment);
                assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~%".contains(&b)));
            });
        }

        /// `append_form_pair` writes what `form_urlencoded::Serializer` writes (same
        /// encoding, same `&` rule), from an empty or a non-empty start.
        #[test]
        fn prop_append_form_pair_is_the_serializer(
            start in "([a-z]{1,3}=[a-z]{0,3}(&[a-z]{1,3}=[a-z]{0,3}){0,2})?",
            pairs in proptest::collection::vec((any::<String>(), any::<String>()), 0..5),
        ) {
            let mut ours = start.clone();
            let mut theirs = form_urlencoded::Serializer::for_suffix(start.clone(), 0);
            for (k, v) in &pairs {
                append_form_pair(&mut ours, k, v);
                theirs.append_pair(k, v);
            }
            prop_assert_eq!(ours, theirs.finish());
        }
    }
}
