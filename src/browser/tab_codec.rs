//! The wire shape of the cross-tab messages, compatible with clerk-js: `{type: "signout"}` on
//! `BroadcastChannel("clerk")` and `{tokenId, tokenRaw, sessionId, template?, organizationId,
//! traceId}` on `BroadcastChannel("clerk:session_token")`.
//!
//! Plain Rust over "field name → string value" so it is host-tested (property tests below);
//! the wasm `TabChannels` only moves the fields in and out of `JsValue`s. Decoding checks the
//! shape only: what a token message *says* is judged by the engine (`Clerk::adopt_token`),
//! which treats it as untrusted input.

use super::token_id::split_token_id;
use crate::client::ports::TabMessage;

/// Sign-out channel name (clerk-js: `{type: "signout"}`).
pub const SIGN_OUT_CHANNEL: &str = "clerk";
/// Token channel name (clerk-js: `{tokenId, tokenRaw, sessionId, organizationId, template, traceId}`).
pub const TOKEN_CHANNEL: &str = "clerk:session_token";

/// Decodes a message of `channel` from its fields (`field(name)`: the field's value when it
/// is a string). Anything that is not one of the two shapes is `None`.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn decode(channel: &str, field: impl Fn(&str) -> Option<String>) -> Option<TabMessage> {
    match channel {
        SIGN_OUT_CHANNEL => {
            (field("type").as_deref() == Some("signout")).then_some(TabMessage::SignOut)
        }
        TOKEN_CHANNEL => Some(TabMessage::Token {
            token_id: field("tokenId")?,
            token: field("tokenRaw")?,
        }),
        _ => None,
    }
}

/// The channel and the fields of `message`: `(name, Some(string))`, or `(name, None)` for a
/// JS `null`. `trace_ms` makes the `traceId` (`bc_<ms>`).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn encode(
    message: &TabMessage,
    trace_ms: i64,
) -> (&'static str, Vec<(&'static str, Option<String>)>) {
    match message {
        TabMessage::SignOut => (SIGN_OUT_CHANNEL, vec![("type", Some("signout".into()))]),
        TabMessage::Token { token_id, token } => {
            let (session, template, org) = split_token_id(token_id);
            let mut fields = vec![
                ("tokenId", Some(token_id.clone())),
                ("tokenRaw", Some(token.clone())),
                ("sessionId", Some(session)),
            ];
            if let Some(t) = template {
                fields.push(("template", Some(t)));
            }
            fields.push(("organizationId", org));
            fields.push(("traceId", Some(format!("bc_{trace_ms}"))));
            (TOKEN_CHANNEL, fields)
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use std::collections::HashMap;
    use std::time::{Duration, Instant};

    use proptest::prelude::*;

    use super::*;

    /// No decode may take long, whatever it is given.
    const PER_CASE: Duration = Duration::from_millis(200);

    fn decode_map(channel: &str, fields: &HashMap<String, String>) -> Option<TabMessage> {
        decode(channel, |k| fields.get(k).cloned())
    }

    fn roundtrip(message: &TabMessage) -> Option<TabMessage> {
        let (channel, fields) = encode(message, 1_767_312_000_000);
        let map: HashMap<String, String> = fields
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_string(), v?)))
            .collect();
        decode_map(channel, &map)
    }

    #[test]
    fn encodes_like_clerk_js() {
        let (channel, fields) = encode(
            &TabMessage::Token {
                token_id: "sess_1-tmpl-org_2".into(),
                token: "a.b.c".into(),
            },
            7,
        );
        assert_eq!(channel, TOKEN_CHANNEL);
        let get = |k: &str| fields.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone());
        assert_eq!(get("sessionId"), Some(Some("sess_1".into())));
        assert_eq!(get("template"), Some(Some("tmpl".into())));
        assert_eq!(get("organizationId"), Some(Some("org_2".into())));
        assert_eq!(get("traceId"), Some(Some("bc_7".into())));
        let (_, plain) = encode(
            &TabMessage::Token {
                token_id: "sess_1".into(),
                token: "a.b.c".into(),
            },
            7,
        );
        assert!(plain.iter().all(|(k, _)| *k != "template"));
        assert!(plain.contains(&("organizationId", None)));
        assert_eq!(
            encode(&TabMessage::SignOut, 0),
            (
                SIGN_OUT_CHANNEL,
                vec![("type", Some("signout".to_string()))]
            )
        );
    }

    #[test]
    fn rejects_other_shapes() {
        let mut m = HashMap::new();
        assert_eq!(decode_map(SIGN_OUT_CHANNEL, &m), None);
        assert_eq!(decode_map(TOKEN_CHANNEL, &m), None);
        m.insert("type".to_string(), "SIGNOUT".to_string());
        assert_eq!(decode_map(SIGN_OUT_CHANNEL, &m), None);
        m.insert("tokenId".to_string(), "sess_1".to_string());
        assert_eq!(decode_map(TOKEN_CHANNEL, &m), None, "no tokenRaw");
        m.insert("tokenRaw".to_string(), "x".to_string());
        assert_eq!(decode_map("other", &m), None);
    }

    /// A field name: the real ones and noise.
    fn field_name() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("type".to_string()),
            Just("tokenId".to_string()),
            Just("tokenRaw".to_string()),
            Just("sessionId".to_string()),
            any::<String>(),
        ]
    }

    fn channel_name() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(SIGN_OUT_CHANNEL.to_string()),
            Just(TOKEN_CHANNEL.to_string()),
            any::<String>(),
        ]
    }

    proptest! {
        /// Arbitrary fields on arbitrary channels: no panic, quick, and a message only in
        /// the two documented shapes.
        #[test]
        fn prop_decode_arbitrary_fields_never_panics(
            channel in channel_name(),
            fields in proptest::collection::hash_map(field_name(), any::<String>(), 0..6),
        ) {
            let started = Instant::now();
            let decoded = decode_map(&channel, &fields);
            prop_assert!(started.elapsed() < PER_CASE);
            match decoded {
                None => {}
                Some(TabMessage::SignOut) => {
                    prop_assert_eq!(channel.as_str(), SIGN_OUT_CHANNEL);
                    prop_assert_eq!(fields.get("type").map(String::as_str), Some("signout"));
                }
                Some(TabMessage::Token { token_id, token }) => {
                    prop_assert_eq!(channel.as_str(), TOKEN_CHANNEL);
                    prop_assert_eq!(Some(&token_id), fields.get("tokenId"));
                    prop_assert_eq!(Some(&token), fields.get("tokenRaw"));
                }
            }
        }

        /// Every message survives encode → decode, whatever its strings.
        #[test]
        fn prop_token_messages_roundtrip(token_id in any::<String>(), token in any::<String>()) {
            let message = TabMessage::Token { token_id, token };
            prop_assert_eq!(roundtrip(&message), Some(message));
        }

        /// Realistic token ids (session, template, organization) round-trip and their parts
        /// are re-derivable from the encoded fields.
        #[test]
        fn prop_realistic_token_ids_roundtrip(
            sid in "sess_[A-Za-z0-9]{1,27}",
            template in proptest::option::of("[a-z][a-z0-9_]{0,15}"),
            org in proptest::option::of("org_[A-Za-z0-9]{1,27}"),
        ) {
            let token_id = crate::core::claims::TokenId::new(&sid, template.as_deref(), org.as_deref())
                .into_string();
            let message = TabMessage::Token { token_id, token: "h.p.s".into() };
            prop_assert_eq!(roundtrip(&message), Some(message.clone()));
            let (_, fields) = encode(&message, 0);
            let get = |k: &str| fields.iter().find(|(n, _)| *n == k).and_then(|(_, v)| v.clone());
            prop_assert_eq!(get("sessionId"), Some(sid));
            prop_assert_eq!(get("template"), template);
            prop_assert_eq!(get("organizationId"), org);
        }
    }

    #[test]
    fn sign_out_roundtrips() {
        assert_eq!(roundtrip(&TabMessage::SignOut), Some(TabMessage::SignOut));
    }
}
