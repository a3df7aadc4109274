//! Benchmark: how long `Value::parse` takes for an object of 10^3, 10^4 and 10^5 keys, all
//! distinct and with every key repeated, side by side. Merging duplicate keys is O(n log n)
//! (the unit test `many_object_keys_merge_in_n_log_n_comparisons` holds that by counting
//! comparisons); this prints the time it takes on this machine, which a test must not assert.
//!
//! ```sh
//! cargo run --release -p yew-clerk-core --example json_object_keys [-- RUNS]
//! ```

use std::time::{Duration, Instant};

use yew_clerk_core::json::Value;

/// An object of `n` entries in shuffled order; `repeat` = every key appears twice (n/2 distinct).
fn object(n: usize, repeat: bool) -> String {
    let distinct = if repeat { n / 2 } else { n };
    let mut text = String::from("{");
    for i in 0..n {
        if i > 0 {
            text.push(',');
        }
        // 7919 is a prime dividing none of the sizes: a permutation of 0..distinct.
        text.push('"');
        text.push_str(&short_key(i * 7919 % distinct));
        text.push_str("\":0");
    }
    text.push('}');
    text
}

/// `k` in three base-62 digits: 10^5 entries of `"abc":0,` stay under `MAX_JSON_BYTES`.
fn short_key(k: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    [k / (62 * 62), k / 62, k]
        .iter()
        .map(|d| char::from(DIGITS[d % 62]))
        .collect()
}

/// The median of `runs` parses of `text`, and the parsed object's key count.
fn median_parse(text: &str, runs: usize) -> Result<(Duration, usize), String> {
    let mut times = Vec::with_capacity(runs);
    let mut keys = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let value = Value::parse(text).map_err(|e| e.to_string())?;
        times.push(start.elapsed());
        keys = value.as_object().map_or(0, |m| m.len());
    }
    times.sort();
    Ok((times[times.len() / 2], keys))
}

fn main() -> Result<(), String> {
    let runs = std::env::args()
        .nth(1)
        .map(|r| r.parse::<usize>().map_err(|e| format!("RUNS: {e}")))
        .transpose()?
        .unwrap_or(11)
        .max(1);
    println!("Value::parse of one object, median of {runs} runs (release build for real figures)");
    println!(
        "{:>8}  {:>14}  {:>12}  {:>14}  {:>12}",
        "entries", "distinct keys", "per entry", "repeated keys", "per entry"
    );
    for n in [1_000, 10_000, 100_000] {
        let (distinct, _) = median_parse(&object(n, false), runs)?;
        let (repeated, keys) = median_parse(&object(n, true), runs)?;
        if keys != n / 2 {
            return Err(format!("{n} entries over {} keys parsed to {keys}", n / 2));
        }
        let per = |d: Duration| format!("{:.0} ns", d.as_nanos() as f64 / n as f64);
        println!(
            "{n:>8}  {:>14}  {:>12}  {:>14}  {:>12}",
            format!("{:.2} ms", distinct.as_secs_f64() * 1e3),
            per(distinct),
            format!("{:.2} ms", repeated.as_secs_f64() * 1e3),
            per(repeated),
        );
    }
    Ok(())
}
