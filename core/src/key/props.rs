//! Property tests (`cargo test prop_`): arbitrary keys and proxy URLs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::test_support::{within, CASE_LIMIT};
use proptest::prelude::*;

fn arb_instance() -> impl Strategy<Value = InstanceType> {
    prop_oneof![
        Just(InstanceType::Development),
        Just(InstanceType::Production)
    ]
}

/// What every accepted key must satisfy (clerk-js's `isPublishableKey` rules).
fn check_accepted(key: &PublishableKey) {
    assert!(key.frontend_api().contains('.'));
    assert!(!key.frontend_api().contains('$'));
    assert_eq!(key.cookie_suffix().len(), 8);
    assert!(key.as_str().starts_with(key.instance_type().key_prefix()));
    let endpoint = FapiEndpoint::from_key(key);
    assert!(endpoint.url("/v1/client").starts_with("https://"));
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn prop_parse_never_panics_on_arbitrary_keys(text in any::<String>()) {
        within(CASE_LIMIT, move || {
            if let Ok(key) = PublishableKey::parse(&text) {
                check_accepted(&key);
            }
        });
    }

    #[test]
    fn prop_parse_never_panics_on_prefixed_garbage(
        prefix in prop_oneof![Just("pk_test_"), Just("pk_live_"), Just("pk_"), Just("")],
        rest in "[A-Za-z0-9+/=_$. \n-]{0,80}",
    ) {
        within(CASE_LIMIT, move || {
            if let Ok(key) = PublishableKey::parse(&format!("{prefix}{rest}")) {
                check_accepted(&key);
            }
        });
    }

    #[test]
    fn prop_built_keys_round_trip(
        host in "[a-z0-9-]{1,20}(\\.[a-z0-9-]{1,20}){1,3}",
        instance in arb_instance(),
    ) {
        let raw = build_publishable_key(&host, instance);
        let key = PublishableKey::parse(&raw).unwrap();
        prop_assert_eq!(key.frontend_api(), host.as_str());
        prop_assert_eq!(key.instance_type(), instance);
        prop_assert_eq!(key.as_str(), raw.as_str());
        check_accepted(&key);
    }

    #[test]
    fn prop_endpoints_never_panic(
        proxy in prop_oneof![any::<String>(), "(https?://|/|//)?[a-z0-9.:/_?#-]{0,40}"],
        origin in proptest::option::of("[a-z:/.0-9]{0,30}"),
        path in any::<String>(),
    ) {
        within(CASE_LIMIT, move || {
            let key = PublishableKey::parse(&build_publishable_key("clerk.example.com", InstanceType::Production)).unwrap();
            if let Ok(endpoint) = FapiEndpoint::resolve(&key, Some(&proxy), origin.as_deref()) {
                let _ = (endpoint.url(&path), endpoint.is_proxied(), endpoint.base().len());
            }
            let _ = FapiEndpoint::from_proxy_url(&proxy);
            let _ = is_dev_or_staging_host(&proxy);
        });
    }
}
