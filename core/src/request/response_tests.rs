//! Tests of response parsing (`response.rs`): envelopes, plain resources, errors, drift.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::error::ClerkError;
use crate::models::{Client, ClientEnvelope, Environment, Session, Token};

const URL: &str = "https://x.test/v1/client?__clerk_db_jwt=dvb_secret";

#[test]
fn envelope_with_response_and_client() {
    let body = r#"{"response":{"id":"sess_1","status":"active","object":"session"},"client":{"id":"client_1","sessions":[],"object":"client"}}"#;
    let env: ClientEnvelope<Session> = parse_envelope(200, body, URL, None).unwrap();
    assert_eq!(env.response.unwrap().id, "sess_1");
    assert_eq!(env.client.unwrap().id, "client_1");
}

#[test]
fn envelope_client_from_meta() {
    let body = r#"{"response":{"id":"sess_1","status":"active"},"client":null,"meta":{"client":{"id":"client_2"}}}"#;
    let env: ClientEnvelope<Session> = parse_envelope(200, body, URL, None).unwrap();
    assert_eq!(env.client.unwrap().id, "client_2");
    let body =
        r#"{"response":null,"client":{"id":"client_1"},"meta":{"client":{"id":"client_2"}}}"#;
    let env: ClientEnvelope<Session> = parse_envelope(200, body, URL, None).unwrap();
    assert_eq!(env.client.unwrap().id, "client_1");
}

#[test]
fn envelope_null_and_empty() {
    let env: ClientEnvelope<Client> =
        parse_envelope(200, r#"{"response":null,"client":null}"#, URL, None).unwrap();
    assert_eq!((env.response, env.client), (None, None));
    let env: ClientEnvelope<Client> = parse_envelope(204, "", URL, None).unwrap();
    assert_eq!((env.response, env.client), (None, None));
    let env: ClientEnvelope<Client> = parse_envelope(200, " ", URL, None).unwrap();
    assert!(env.response.is_none());
}

#[test]
fn envelope_reads_bare_resources() {
    let env: ClientEnvelope<Client> =
        parse_envelope(200, r#"{"object":"client","id":"client_1"}"#, URL, None).unwrap();
    assert_eq!(env.response.unwrap().id, "client_1");
}

#[test]
fn malformed_2xx_bodies() {
    for body in [
        "<html>oops</html>",
        "[1,2]",
        r#"{"response":{"status":"active"}}"#,
        r#"{"response":"#,
    ] {
        match parse_envelope::<Session>(200, body, URL, None) {
            Err(ClerkError::MalformedResponse { url, message }) => {
                assert_eq!(url, "https://x.test/v1/client");
                assert!(!message.contains("dvb_secret"));
            }
            other => panic!("{body}: {other:?}"),
        }
    }
    match parse_plain::<Token>(200, r#"{"jwt": 5}"#, URL, None) {
        Err(ClerkError::MalformedResponse { .. }) => {}
        other => panic!("{other:?}"),
    }
    match parse_plain::<Token>(200, "", URL, None) {
        Err(ClerkError::MalformedResponse { message, .. }) => assert_eq!(message, "empty body"),
        other => panic!("{other:?}"),
    }
    // Values copied from the body are not echoed.
    match parse_plain::<Token>(200, r#"{"jwt": {"secret":"x"}}"#, URL, None) {
        Err(ClerkError::MalformedResponse { message, .. }) => {
            assert!(!message.contains("secret"))
        }
        other => panic!("{other:?}"),
    }
    match parse_plain::<Token>(200, r#"{"jwt": 5, "x": "hunter2"}"#, URL, None) {
        Err(ClerkError::MalformedResponse { message, .. }) => {
            assert_eq!(message, "`jwt`: expected a string, got a number")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn plain_responses() {
    let t: Token = parse_plain(200, r#"{"object":"token","jwt":"a.b.c"}"#, URL, None).unwrap();
    assert_eq!(t.jwt, "a.b.c");
    let e: Environment = parse_plain(
        200,
        r#"{"auth_config":{"single_session_mode":true}}"#,
        URL,
        None,
    )
    .unwrap();
    assert!(e.auth_config.single_session_mode);
    let none: Option<Token> = parse_plain(204, "", URL, None).unwrap();
    assert!(none.is_none());
}

#[test]
fn error_envelopes() {
    let body = r#"{"errors":[{"code":"signed_out","message":"Signed out","long_message":"You are signed out","meta":{}}],"clerk_trace_id":"trace_1"}"#;
    let e = parse_envelope::<Session>(401, body, URL, None).unwrap_err();
    assert_eq!(e.status(), Some(401));
    assert_eq!(e.code(), Some("signed_out"));
    assert!(e.is_unauthenticated());
    match &e {
        ClerkError::Api {
            trace_id,
            retry_after,
            ..
        } => {
            assert_eq!(trace_id.as_deref(), Some("trace_1"));
            assert_eq!(*retry_after, None);
        }
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("You are signed out"));
    let e = parse_plain::<Token>(
        429,
        r#"{"errors":[{"code":"rate_limit_exceeded","message":"Too many requests"}]}"#,
        URL,
        Some("7"),
    )
    .unwrap_err();
    assert!(e.is_retryable());
    assert!(!e.is_unauthenticated());
    match e {
        ClerkError::Api { retry_after, .. } => assert_eq!(retry_after, Some(7)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn non_json_error_bodies() {
    for body in ["", "<html>502 Bad Gateway</html>", "{\"errors\":5}"] {
        match parse_error(502, body, None) {
            ClerkError::Api {
                status,
                errors,
                trace_id,
                ..
            } => {
                assert_eq!(status, 502);
                assert!(errors.is_empty());
                assert_eq!(trace_id, None);
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(parse_error(502, "", None).to_string().contains("502"));
}

#[test]
fn retry_after_values() {
    assert_eq!(parse_retry_after(Some("120")), Some(120));
    assert_eq!(parse_retry_after(Some(" 3 ")), Some(3));
    assert_eq!(
        parse_retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")),
        None
    );
    assert_eq!(parse_retry_after(Some("-1")), None);
    assert_eq!(parse_retry_after(None), None);
    assert_eq!(parse_retry_after(Some("99999999999")), Some(u32::MAX));
}

#[test]
fn client_on_error() {
    let body = r#"{"errors":[{"code":"form_password_incorrect","message":"x"}],"meta":{"client":{"id":"client_9"}}}"#;
    assert_eq!(client_from_error_body(body).unwrap().id, "client_9");
    assert!(client_from_error_body(r#"{"errors":[]}"#).is_none());
    assert!(client_from_error_body("nope").is_none());
}

#[test]
fn drift_is_collected_through_the_response_parsers() {
    let body = r#"{"response":{"id":"sess_1","status":"active","expire_at":"x"},
        "client":{"id":"client_1","sessions":[],"updated_at":{}}}"#;
    let (env, drift) = crate::json::collect_drift(|| {
        parse_envelope::<Session>(200, body, "https://x/v1/client?_clerk_js_version=1", None)
    });
    let env = env.unwrap();
    assert_eq!(env.response.unwrap().id, "sess_1");
    assert_eq!(env.client.unwrap().id, "client_1");
    assert_eq!(drift.total(), 2);
    let (env, drift) = crate::json::collect_drift(|| {
        parse_plain::<Environment>(
            200,
            r#"{"auth_config":[]}"#,
            "https://x/v1/environment",
            None,
        )
    });
    assert!(env.is_ok());
    assert_eq!(
        drift.iter().next().unwrap().to_string(),
        "`auth_config`: expected an object, got an array"
    );
    // The resource itself must still read.
    assert!(parse_envelope::<Session>(200, r#"{"response":{"id":"s"}}"#, "u", None).is_err());
}

/// Property tests (`cargo test prop_`): arbitrary response bodies.
mod props {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::json::props::arb_value;
    use crate::models::DevBrowser;
    use crate::test_support::{within, CASE_LIMIT};
    use proptest::prelude::*;

    /// A value that must never show up in an error or a Debug output.
    const SECRET: &str = "SECRETvalue0123";

    /// Bodies: arbitrary text, arbitrary JSON, and envelopes with hostile parts and a secret
    /// in their values.
    fn arb_body() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            arb_value().prop_map(|v| v.to_string()),
            (arb_value(), arb_value(), arb_value()).prop_map(|(response, client, errors)| {
                format!(
                    r#"{{"response":{response},"client":{client},"errors":{errors},"meta":{{"client":{{"id":"{SECRET}","sessions":[{{"id":"s","status":"{SECRET}","x":{response}}}]}}}},"jwt":"{SECRET}"}}"#
                )
            }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn prop_response_parsers_never_panic_or_quote_the_body(
            status in prop_oneof![200u16..=204, 400u16..=599, any::<u16>()],
            body in arb_body(),
            retry_after in proptest::option::of(any::<String>()),
        ) {
            within(CASE_LIMIT, move || {
                let url = format!("https://x/v1/client?__clerk_db_jwt={SECRET}");
                let ra = retry_after.as_deref();
                let errors = [
                    parse_envelope::<Client>(status, &body, &url, ra).err(),
                    parse_envelope::<Session>(status, &body, &url, ra).err(),
                    parse_plain::<Environment>(status, &body, &url, ra).err(),
                    parse_plain::<Token>(status, &body, &url, ra).err(),
                    parse_plain::<DevBrowser>(status, &body, &url, ra).err(),
                    parse_plain::<Option<Token>>(status, &body, &url, ra).err(),
                    Some(parse_error(status, &body, ra)),
                ];
                for e in errors.into_iter().flatten() {
                    let text = e.to_string();
                    // API errors may show the server's own message fields; nothing else may
                    // quote the body or the URL's query.
                    if !matches!(e, ClerkError::Api { .. }) {
                        assert!(!text.contains(SECRET), "{text}");
                    }
                }
                let _ = client_from_error_body(&body);
                let _ = parse_retry_after(ra);
                let _ = strip_query(&body);
                let ((), drift) = crate::json::collect_drift(|| {
                    let _ = parse_envelope::<Client>(status, &body, &url, ra);
                });
                assert!(drift.iter().count() <= drift.total().min(crate::json::MAX_DRIFT_ENTRIES));
                assert!(!drift.to_string().contains(SECRET));
            });
        }
    }
}
