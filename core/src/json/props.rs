//! Property tests (`cargo test prop_`; `PROPTEST_CASES` raises the 256 cases per target).
//! Every case runs under a time bound, so a hang is a failure, not a stuck run.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::test_support::{within, CASE_LIMIT};
use proptest::prelude::*;

/// Number literals of the JSON grammar, with exponents from small to absurd.
pub(crate) fn arb_number_text() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        "(0|[1-9][0-9]{0,24})",
        proptest::option::of("[0-9]{1,24}"),
        proptest::option::of(("[eE]", "[+-]?", "[0-9]{1,22}")),
    )
        .prop_map(|(neg, int, frac, exp)| {
            let mut s = String::new();
            if neg {
                s.push('-');
            }
            s.push_str(&int);
            if let Some(frac) = frac {
                s.push('.');
                s.push_str(&frac);
            }
            if let Some((e, sign, digits)) = exp {
                s.push_str(&e);
                s.push_str(&sign);
                s.push_str(&digits);
            }
            s
        })
}

/// Any JSON value (objects with unique keys, as the parser produces them).
pub(crate) fn arb_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        arb_number_text().prop_map(|t| Value::parse(&t).unwrap()),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::vec((any::<String>(), inner), 0..8)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// Exact reference for `floor_i64`, with `i128` instead of decimal-text tricks.
fn reference_floor(text: &str) -> Option<i64> {
    if let Ok(i) = text.parse::<i64>() {
        return Some(i);
    }
    let negative = text.starts_with('-');
    let body = text.trim_start_matches('-');
    let (mantissa, exp) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], body[at + 1..].parse::<i128>().ok()),
        None => (body, Some(0)),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int}{frac}");
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Some(0);
    }
    let exp = exp.unwrap_or(if body.contains("e-") || body.contains("E-") {
        i128::MIN / 2
    } else {
        i128::MAX / 2
    });
    // value = digits × 10^scale
    let scale = exp - frac.len() as i128;
    let significant = digits.len() as i128;
    if significant + scale > 17 {
        return None;
    }
    let (whole, fraction) = if scale >= 0 {
        (
            digits.parse::<i128>().ok()? * 10i128.pow(scale as u32),
            false,
        )
    } else if -scale >= significant {
        (0, true)
    } else {
        let cut = (significant + scale) as usize;
        let whole = if cut == 0 {
            0
        } else {
            digits[..cut].parse::<i128>().ok()?
        };
        (whole, digits[cut..].bytes().any(|b| b != b'0'))
    };
    if whole > 9_000_000_000_000_000 {
        return None;
    }
    let whole = whole as i64;
    Some(match (negative, fraction) {
        (false, _) => whole,
        (true, false) => -whole,
        (true, true) => -whole - 1,
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn prop_parse_never_panics_on_arbitrary_text(text in any::<String>()) {
        within(CASE_LIMIT, move || { let _ = Value::parse(&text); });
    }

    #[test]
    fn prop_parse_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        within(CASE_LIMIT, move || {
            let _ = Value::parse(&String::from_utf8_lossy(&bytes));
        });
    }

    #[test]
    fn prop_parse_never_panics_on_json_like_text(text in r#"[\[\]{}",:0-9eE+.\-a-z\\ ]{0,300}"#) {
        within(CASE_LIMIT, move || {
            if let Ok(Value::Number(n)) = Value::parse(&text) {
                let _ = (n.floor_i64(), n.as_i64(), n.as_u64(), n.as_f64());
            }
        });
    }

    #[test]
    fn prop_values_round_trip_through_the_writer(value in arb_value()) {
        let back = within(CASE_LIMIT, {
            let text = value.to_string();
            move || Value::parse(&text)
        });
        prop_assert_eq!(back, Ok(value));
    }

    #[test]
    fn prop_numbers_floor_exactly_and_quickly(text in arb_number_text()) {
        let (floor, parsed) = within(CASE_LIMIT, {
            let text = text.clone();
            move || match Value::parse(&text) {
                Ok(Value::Number(n)) => (n.floor_i64(), true),
                _ => (None, false),
            }
        });
        prop_assert!(parsed);
        prop_assert_eq!(floor, reference_floor(&text), "{}", text);
    }

    #[test]
    fn prop_deep_nesting_is_refused_without_overflow(depth in 0usize..600, object in any::<bool>()) {
        let (open, close) = if object { ("{\"a\":", "}") } else { ("[", "]") };
        let text = format!("{}0{}", open.repeat(depth), close.repeat(depth));
        let result = within(CASE_LIMIT, move || Value::parse(&text));
        if depth <= MAX_JSON_DEPTH {
            prop_assert!(result.is_ok());
        } else if depth > MAX_JSON_DEPTH + 1 {
            prop_assert_eq!(result.unwrap_err().kind(), JsonErrorKind::TooDeep);
        }
    }

    #[test]
    fn prop_objects_merge_duplicates_like_json_parse(
        entries in proptest::collection::vec(("[a-f]{1,2}", any::<i64>()), 0..400)
    ) {
        let body: Vec<String> = entries
            .iter()
            .map(|(k, v)| format!("\"{k}\":{v}"))
            .collect();
        let text = format!("{{{}}}", body.join(","));
        let parsed = within(CASE_LIMIT, move || Value::parse(&text).unwrap());
        // The reference: one `insert` per key (first position, last value).
        let mut expected = Map::new();
        for (k, v) in &entries {
            expected.insert(k.clone(), Value::from(*v));
        }
        let collected: Map = entries
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(*v)))
            .collect();
        prop_assert_eq!(&collected, &expected);
        prop_assert_eq!(parsed, Value::Object(expected));
    }

    #[test]
    fn prop_large_flat_inputs_stay_fast(n in 0usize..40_000, kind in 0u8..4) {
        let text = match kind {
            0 => format!("[{}0]", "0,".repeat(n)),
            1 => format!("{{{}\"z\":0}}", (0..n).map(|i| format!("\"{i}\":0,")).collect::<String>()),
            2 => format!("\"{}\"", "\\u00e9".repeat(n)),
            _ => format!("0e{}", "9".repeat(n + 1)),
        };
        let result = within(CASE_LIMIT, move || {
            Value::parse(&text).map(|v| {
                if let Value::Number(n) = v {
                    let _ = n.floor_i64();
                }
            })
        });
        prop_assert!(result.is_ok());
    }
}
