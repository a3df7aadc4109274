//! Property test: `authenticate_request` on arbitrary headers, cookies and URLs never panics
//! and always answers one of the three states (PROPTEST_CASES to run more, default 256).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use proptest::prelude::*;

fn header_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~]{0,80}",
        Just("Bearer ".to_string()),
        "Bearer [A-Za-z0-9._-]{0,60}",
        "(__session|__client_uat|__clerk_db_jwt|__clerk_redirect_count|__clerk_handshake)(_[a-zA-Z0-9]{8})?=[ -~]{0,40}(; [ -~]{0,40})?",
    ]
}

proptest! {
    #[test]
    fn prop_authenticate_request_never_panics(
        auth in proptest::option::of(header_text()),
        cookie in proptest::option::of(header_text()),
        dest in proptest::option::of(prop_oneof![Just("document".to_string()), Just("empty".to_string()), "[ -~]{0,10}".prop_map(|s| s)]),
        host in proptest::option::of(header_text()),
        path in "/[ -~&&[^#]]{0,40}",
        valid_token in any::<bool>(),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let clerk = local_clerk();
        let token = mint(&good_claims());
        let mut b = http::Request::builder();
        if let Ok(uri) = path.parse::<http::Uri>() { b = b.uri(uri); }
        let mut add = |name: &str, v: &Option<String>| {
            if let Some(v) = v {
                if let Ok(hv) = http::HeaderValue::from_bytes(v.as_bytes()) { b = std::mem::take(&mut b).header(name, hv); }
            }
        };
        add("authorization", &auth);
        add("cookie", &cookie);
        add("sec-fetch-dest", &dest);
        add("host", &host);
        if valid_token { add("cookie", &Some(format!("__client_uat=1; __session={token}"))); }
        let req = b.body(()).unwrap_or_default();
        let state = rt.block_on(clerk.authenticate_request(&req));
        prop_assert!(["signed-in", "signed-out", "handshake"].contains(&state.status()));
        if let Some(loc) = state.redirect_location() {
            prop_assert!(http::HeaderValue::from_str(loc).is_ok());
        }
    }
}
