//! Unit tests of the JSON module.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

fn parse(text: &str) -> Value {
    Value::parse(text).unwrap()
}

#[test]
fn parses_every_kind_of_value() {
    let v = parse(r#" {"a": [1, -2.5e3, true, false, null, "x"], "b": {}, "c": []} "#);
    let a = v.get("a").unwrap().as_array().unwrap();
    assert_eq!(a[0].as_i64(), Some(1));
    assert_eq!(a[1].as_f64(), Some(-2500.0));
    assert_eq!(a[2].as_bool(), Some(true));
    assert_eq!(a[3].as_bool(), Some(false));
    assert!(a[4].is_null());
    assert_eq!(a[5].as_str(), Some("x"));
    assert!(v.get("b").unwrap().as_object().unwrap().is_empty());
    assert!(v.get("c").unwrap().as_array().unwrap().is_empty());
}

#[test]
fn string_escapes_and_surrogate_pairs() {
    let v = parse(r#""q\" b\\ s\/ \b\f\n\r\t é\u00e9 \ud83d\ude00 \ud800x""#);
    assert_eq!(
        v.as_str(),
        Some("q\" b\\ s/ \u{8}\u{c}\n\r\t é\u{e9} 😀 \u{FFFD}x")
    );
}

#[test]
fn writes_what_it_parses() {
    let text = r#"{"s":"a\"b\\c\nd\u0001é","n":-12.5e2,"l":[true,null,{}],"o":{"k":1}}"#;
    let v = parse(text);
    assert_eq!(v.to_string(), text);
    assert_eq!(parse(&v.to_string()), v);
}

#[test]
fn duplicate_keys_keep_the_last_value_like_json_parse() {
    let v = parse(r#"{"a":1,"b":2,"a":3}"#);
    let map = v.as_object().unwrap();
    assert_eq!(map.len(), 2);
    assert_eq!(map.get("a").unwrap().as_i64(), Some(3));
}

#[test]
fn rejects_invalid_json_with_an_offset_and_no_value() {
    for bad in [
        "",
        "{",
        "[1,]",
        "{\"a\" 1}",
        "{a:1}",
        "01",
        "1.",
        "-",
        "1e",
        "\"abc",
        "\"bad \\x escape\"",
        "\"\\u12\"",
        "tru",
        "nul",
        "{} x",
        "\"tab\tinside\"",
    ] {
        let e = Value::parse(bad).unwrap_err().to_string();
        assert!(e.starts_with("invalid JSON at byte "), "{bad:?}: {e}");
    }
    let e = Value::parse(r#"{"jwt": "secret.token" x}"#).unwrap_err();
    assert!(!e.to_string().contains("secret"));
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = "[".repeat(100_000);
    assert!(Value::parse(&deep)
        .unwrap_err()
        .to_string()
        .contains("nested"));
    let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
    assert!(Value::parse(&ok).is_ok());
}

#[test]
fn numbers_stay_exact_and_floor_without_floats() {
    assert_eq!(
        parse("9007199254740993").as_i64(),
        Some(9_007_199_254_740_993)
    );
    assert_eq!(parse("18446744073709551615").as_u64(), Some(u64::MAX));
    assert_eq!(parse("-1").as_u64(), None);
    assert_eq!(parse("1.5").as_i64(), None);
    let floor = |t: &str| match parse(t) {
        Value::Number(n) => n.floor_i64(),
        _ => unreachable!(),
    };
    assert_eq!(floor("1767312000.9"), Some(1_767_312_000));
    assert_eq!(floor("1.7e9"), Some(1_700_000_000));
    assert_eq!(floor("17E-1"), Some(1));
    assert_eq!(floor("-1.5"), Some(-2));
    assert_eq!(floor("-2.0"), Some(-2));
    assert_eq!(floor("5e-3"), Some(0));
    assert_eq!(floor("1e16"), None);
    assert_eq!(floor("1e400"), None);
}

#[test]
fn huge_exponents_do_not_loop() {
    // `0e2147483647` used to take 2^31 steps in `floor_i64` (a tossed cookie or a
    // cross-tab message could freeze the main thread).
    let floors = crate::test_support::within(crate::test_support::CASE_LIMIT, || {
        [
            "0e2147483647",
            "0.0e2147483647",
            "-0e2147483647",
            "1e2147483647",
            "1e-2147483648",
            "0e99999999999999999999",
            "5e-99999999999999999999",
            "-5e-99999999999999999999",
            "0.000001e6",
            "0.0000012e7",
        ]
        .map(|t| match Value::parse(t).unwrap() {
            Value::Number(n) => n.floor_i64(),
            _ => unreachable!(),
        })
    });
    assert_eq!(
        floors,
        [
            Some(0),
            Some(0),
            Some(0),
            None,
            Some(0),
            Some(0),
            Some(0),
            Some(-1),
            Some(1),
            Some(12)
        ]
    );
}

/// Runs `f` and counts the key comparisons `Map::from_entries` made meanwhile (on this thread).
fn key_comparisons<T>(f: impl FnOnce() -> T) -> (u64, T) {
    super::value::KEY_COMPARISONS.with(|c| c.set(0));
    let out = f();
    (super::value::KEY_COMPARISONS.with(|c| c.get()), out)
}

/// The `i`th of `n` distinct keys, shuffled (7919 is a prime that divides no `n` used here), so
/// a sort that is fast on nearly sorted input cannot hide quadratic growth.
fn shuffled_key(i: usize, n: usize) -> String {
    format!("k{}", i * 7919 % n)
}

/// An object of `n` distinct keys `k0`..`k{n-1}` in shuffled order, whose last entry repeats `k7`.
fn object_with_keys(n: usize) -> String {
    let mut text = String::from("{");
    for i in 0..n {
        text.push_str(&format!("\"{}\":0,", shuffled_key(i, n)));
    }
    text.push_str("\"k7\":\"last\"}");
    text
}

/// Whether `large` comparisons for 4n keys against `small` for n grew like n log n: 4n log 4n /
/// n log n is under 5 for these sizes, quadratic growth is 16. Also an absolute bound: heapsort
/// makes at most ~2 n log2 n comparisons, the scan for runs of equal keys n more.
fn assert_n_log_n(what: &str, n: usize, small: u64, large: u64) {
    let bound = |n: usize| 3.0 * n as f64 * (n as f64).log2();
    assert!(
        (small as f64) <= bound(n) && (large as f64) <= bound(4 * n),
        "{what}: {small} key comparisons for {n} keys, {large} for {}: more than 3 n log2 n",
        4 * n
    );
    assert!(
        large < 6 * small,
        "{what}: 4x the keys took {:.1}x the key comparisons ({small} -> {large}): not n log n",
        large as f64 / small as f64
    );
}

#[test]
fn many_object_keys_merge_in_n_log_n_comparisons() {
    // Each key used to be inserted with a linear search: 100k keys took ~5·10^9 compares. A
    // count, not a clock: the speed itself is a benchmark's figure
    // (`cargo run --release -p yew-clerk-core --example json_object_keys`).
    let n = 2_000;
    let (small, _) = key_comparisons(|| parse(&object_with_keys(n)));
    let (large, v) = key_comparisons(|| parse(&object_with_keys(4 * n)));
    assert_n_log_n("parse", n, small, large);
    let map = v.as_object().unwrap();
    assert_eq!(map.len(), 4 * n);
    assert_eq!(map.get("k7").unwrap().as_str(), Some("last"));
    // The repeated key keeps its first position (as `JSON.parse`), with the last value.
    let first_k7 = (0..4 * n).position(|i| shuffled_key(i, 4 * n) == "k7");
    assert_eq!(map.iter().position(|(k, _)| k == "k7"), first_k7);

    // `collect()` merges the same way: 5n entries over 3n distinct keys, each key repeated.
    let entries = |n: usize| {
        (0..5 * n)
            .map(|i| (shuffled_key(i % (3 * n), 3 * n), Value::from(i as i64)))
            .collect::<Vec<_>>()
    };
    let (small, _) = key_comparisons(|| entries(n).into_iter().collect::<Map>());
    let (large, collected) = key_comparisons(|| entries(4 * n).into_iter().collect::<Map>());
    assert_n_log_n("collect", 5 * n, small, large);
    assert_eq!(collected.len(), 12 * n);
    // The last of the 20n entries with the key of entry 5 (entry 12n + 5) gave the value.
    let key = shuffled_key(5, 12 * n);
    assert_eq!(
        collected.get(&key).unwrap().as_i64(),
        Some((12 * n + 5) as i64)
    );
}

#[test]
fn duplicate_keys_in_small_and_large_objects() {
    let v = parse(r#"{"a":1,"b":2,"a":3,"c":4,"a":5}"#);
    assert_eq!(v.to_string(), r#"{"a":5,"b":2,"c":4}"#);
    let mut text = String::from("{");
    for i in 0..40 {
        text.push_str(&format!("\"k{}\":{i},", i % 20));
    }
    text.push_str("\"z\":0}");
    let v = parse(&text);
    let map = v.as_object().unwrap();
    assert_eq!(map.len(), 21);
    let keys: Vec<&String> = map.iter().map(|(k, _)| k).collect();
    assert_eq!(keys[0], "k0");
    assert_eq!(keys[20], "z");
    assert_eq!(map.get("k3").unwrap().as_i64(), Some(23));
}

#[test]
fn input_larger_than_the_cap_is_a_typed_error() {
    let big = format!("\"{}\"", "a".repeat(MAX_JSON_BYTES));
    let e = Value::parse(&big).unwrap_err();
    assert_eq!(e.kind(), JsonErrorKind::TooLarge);
    assert!(!e.to_string().contains("aaaa"));
    // Just under the cap is fine.
    let ok = format!("\"{}\"", "a".repeat(MAX_JSON_BYTES - 2));
    assert_eq!(
        Value::parse(&ok).unwrap().as_str().map(str::len),
        Some(MAX_JSON_BYTES - 2)
    );
    let deep = "[".repeat(MAX_JSON_DEPTH + 2);
    assert_eq!(
        Value::parse(&deep).unwrap_err().kind(),
        JsonErrorKind::TooDeep
    );
    assert_eq!(
        Value::parse("[1,").unwrap_err().kind(),
        JsonErrorKind::Syntax
    );
    assert_eq!(
        Sample::from_json_str("{}").unwrap_err().kind(),
        JsonErrorKind::Schema
    );
}

#[derive(Debug, PartialEq, Default)]
struct Sample {
    id: String,
    name: Option<String>,
    tags: Vec<String>,
    flag: bool,
}

impl FromJson for Sample {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(Sample {
            id: f.req("id"),
            name: f.opt("name"),
            tags: f.opt("tags"),
            flag: f.opt("flag"),
        })
    }
}

#[test]
fn fields_required_optional_null_and_wrong_types() {
    let s = Sample::from_json_str(r#"{"id":"x","name":null,"tags":null,"extra":[1]}"#).unwrap();
    assert_eq!(
        s,
        Sample {
            id: "x".into(),
            ..Sample::default()
        }
    );
    assert_eq!(
        Sample::from_json_str(r#"{"name":"n"}"#)
            .unwrap_err()
            .to_string(),
        "missing field `id`"
    );
    assert_eq!(
        Sample::from_json_str(r#"{"id":null}"#)
            .unwrap_err()
            .to_string(),
        "missing field `id`"
    );
    assert_eq!(
        Sample::from_json_str(r#"{"id":5}"#)
            .unwrap_err()
            .to_string(),
        "`id`: expected a string, got a number"
    );
    assert_eq!(
        Sample::from_json_str("[]").unwrap_err().to_string(),
        "expected an object, got an array"
    );
}

#[test]
fn wrong_typed_optional_fields_fall_back_and_are_reported() {
    let text = r#"{"id":"x","name":"n","tags":["a",5],"flag":"yes"}"#;
    let (sample, drift) = collect_drift(|| Sample::from_json_str(text));
    assert_eq!(
        sample.unwrap(),
        Sample {
            id: "x".into(),
            name: Some("n".into()),
            ..Sample::default()
        }
    );
    assert_eq!(drift.total(), 2);
    let messages: Vec<String> = drift.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "`tags`: [1]: expected a string, got a number",
            "`flag`: expected a boolean, got a string"
        ]
    );
    assert!(drift.to_string().contains("`flag`"));
    // Without a collector the value is the same and nothing is kept.
    assert!(Sample::from_json_str(text).is_ok());
    let ((), drift) = collect_drift(|| ());
    assert!(drift.is_empty());
}

#[derive(Debug, PartialEq, Default)]
struct Outer {
    inner: Vec<Sample>,
    one: Option<Sample>,
    strict: Option<Sample>,
}

impl FromJson for Outer {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(Outer {
            inner: f.req("inner"),
            one: f.opt("one"),
            strict: f.opt_strict("strict"),
        })
    }
}

#[test]
fn drift_paths_nest_and_failed_subtrees_fall_back_whole() {
    let text = r#"{"inner":[{"id":"a"},{"id":"b","flag":1}],"one":{"name":"no id","flag":2}}"#;
    let (outer, drift) = collect_drift(|| Outer::from_json_str(text));
    let outer = outer.unwrap();
    assert_eq!(outer.inner.len(), 2);
    assert_eq!(outer.one, None);
    let messages: Vec<String> = drift.iter().map(ToString::to_string).collect();
    // The drift inside `one` is dropped with it: one entry for the field that fell back.
    assert_eq!(
        messages,
        [
            "`inner`: [1]: `flag`: expected a boolean, got a number",
            "`one`: missing field `id`"
        ]
    );
    // A strict optional field must read when present.
    let e = Outer::from_json_str(r#"{"inner":[],"strict":{"flag":true}}"#).unwrap_err();
    assert_eq!(e.to_string(), "`strict`: missing field `id`");
    assert_eq!(
        Outer::from_json_str(r#"{"inner":[],"strict":null}"#).unwrap(),
        Outer::default()
    );
}

#[test]
fn drift_is_capped_and_collectors_nest() {
    let mut text = String::from(r#"{"id":"x""#);
    for i in 0..1000 {
        text.push_str(&format!(r#","k{i}":1"#));
    }
    text.push('}');
    #[derive(Default)]
    struct Many(Vec<bool>);
    impl FromJson for Many {
        fn from_json(value: &Value) -> Result<Self, JsonError> {
            let f = Fields::of(value)?;
            let keys: Vec<String> = (0..1000).map(|i| format!("k{i}")).collect();
            f.finish(Many(keys.iter().map(|k| f.opt::<bool>(k)).collect()))
        }
    }
    let ((inner, many), outer) = collect_drift(|| {
        let inner = collect_drift(|| Sample::from_json_str(r#"{"id":"x","flag":0}"#));
        (inner, Many::from_json_str(&text))
    });
    assert_eq!(many.unwrap().0.len(), 1000);
    assert_eq!(outer.total(), 1000);
    assert_eq!(outer.iter().count(), MAX_DRIFT_ENTRIES);
    assert_eq!(inner.1.total(), 1);
}
