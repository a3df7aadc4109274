//! The JSON value tree: [`Value`], [`Number`] (kept as its literal text) and [`Map`].

use super::JsonError;

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Value {
    /// `null` (also the default).
    #[default]
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number, kept as its literal text.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Map),
}

/// A JSON number as written in the source (validated JSON number syntax).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number(pub(super) String);

/// A JSON object: keys in source order, unique (a repeated key keeps its last value).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Map(pub(super) Vec<(String, Value)>);

impl Number {
    /// The literal text, e.g. `1767312000000` or `1.5e3`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value when it is an integer literal that fits `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }

    /// The value when it is a non-negative integer literal that fits `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        self.0.parse().ok()
    }

    /// The value as `f64` (parsed on demand).
    pub fn as_f64(&self) -> Option<f64> {
        self.0.parse().ok()
    }

    /// The value rounded down to an integer, also for fractions and exponents (`1.7e9`,
    /// `1767312000.9`); `None` beyond ±9×10^15 or for non-finite values.
    ///
    /// Done on the decimal text instead of through `f64` so that float parsing is not compiled
    /// into the wasm binary for the one claim reader that needs it. Linear in the length of
    /// the literal whatever the exponent: leading zeros are dropped first, so a number with
    /// more than 16 digits before its decimal point is out of range without building it.
    pub fn floor_i64(&self) -> Option<i64> {
        if let Some(i) = self.as_i64() {
            return Some(i);
        }
        let (mantissa, exponent) = match self.0.find(['e', 'E']) {
            Some(at) => (&self.0[..at], parse_exponent(&self.0[at + 1..])?),
            None => (self.0.as_str(), 0),
        };
        let negative = mantissa.starts_with('-');
        let mantissa = mantissa.trim_start_matches('-');
        let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if !int_part
            .bytes()
            .chain(frac_part.bytes())
            .all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let leading_zeros = int_part
            .bytes()
            .chain(frac_part.bytes())
            .take_while(|&b| b == b'0')
            .count();
        let digits: Vec<u8> = int_part
            .bytes()
            .chain(frac_part.bytes())
            .skip(leading_zeros)
            .map(|b| b - b'0')
            .collect();
        if digits.is_empty() {
            return Some(0);
        }
        // Digits before the decimal point of the significant digits (≤ 0 for values below
        // 1). Both terms are bounded (the text by MAX_JSON_BYTES, the exponent by
        // `parse_exponent`), so this cannot overflow.
        let point = int_part.len() as i64 - leading_zeros as i64 + exponent;
        // 17 digits or more before the point is at least 10^16.
        if point > 16 {
            return None;
        }
        let point = point.max(0) as usize;
        let mut whole: i64 = 0;
        for i in 0..point {
            whole = whole * 10 + i64::from(digits.get(i).copied().unwrap_or(0));
        }
        let fraction = digits.iter().skip(point).any(|&d| d != 0);
        if whole > 9_000_000_000_000_000 {
            return None;
        }
        Some(match (negative, fraction) {
            (false, _) => whole,
            (true, false) => -whole,
            (true, true) => -whole - 1,
        })
    }
}

/// The exponent of a number literal (after `e`), clamped to ±10^9: any exponent beyond that
/// puts a non-zero value out of `floor_i64`'s range or rounds it to 0 the same way, and
/// clamping keeps the arithmetic on it from overflowing.
fn parse_exponent(text: &str) -> Option<i64> {
    const CLAMP: i64 = 1_000_000_000;
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude = digits
        .bytes()
        .fold(0i64, |n, b| (n * 10 + i64::from(b - b'0')).min(CLAMP));
    Some(if negative { -magnitude } else { magnitude })
}

impl Map {
    /// An empty object.
    pub fn new() -> Self {
        Map(Vec::new())
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Whether `key` is present (also with a `null` value).
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Entries with unique keys: a repeated key keeps the position of its first occurrence and
    /// the value of its last (what `JSON.parse` does). O(n log n): one sort instead of a
    /// search per key, so an object with many keys cannot make parsing quadratic.
    pub(super) fn from_entries(mut entries: Vec<(String, Value)>) -> Map {
        let n = entries.len();
        // Small objects (most of them) are checked pairwise without allocating.
        let has_duplicates = if n <= 8 {
            (1..n).any(|j| (0..j).any(|i| keys_equal(&entries[i].0, &entries[j].0)))
        } else {
            true
        };
        if !has_duplicates {
            return Map(entries);
        }
        let mut order: Vec<usize> = (0..n).collect();
        // Equal keys end up next to each other, in source order.
        heapsort(&mut order, |a, b| {
            note_key_comparison();
            entries[a].0.cmp(&entries[b].0).then(a.cmp(&b))
        });
        let mut remove = vec![false; n];
        let mut any_removed = false;
        let mut run_start = 0;
        for end in 1..=n {
            if end < n && keys_equal(&entries[order[end]].0, &entries[order[run_start]].0) {
                continue;
            }
            if end - run_start > 1 {
                let first = order[run_start];
                let last = order[end - 1];
                let value = std::mem::take(&mut entries[last].1);
                entries[first].1 = value;
                for &i in &order[run_start + 1..end] {
                    remove[i] = true;
                }
                any_removed = true;
            }
            run_start = end;
        }
        if any_removed {
            let mut i = 0;
            entries.retain(|_| {
                let keep = !remove[i];
                i += 1;
                keep
            });
        }
        Map(entries)
    }

    /// Sets `key`, replacing an earlier value (a linear search: to build a large object, use
    /// `collect()`, which is O(n log n)).
    pub fn insert(&mut self, key: impl Into<String>, value: Value) {
        let key = key.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// The entries in source order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the object has no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Key equality in [`Map::from_entries`], counted in unit tests.
fn keys_equal(a: &str, b: &str) -> bool {
    note_key_comparison();
    a == b
}

#[cfg(test)]
thread_local! {
    /// Key comparisons [`Map::from_entries`] made on this thread: the unit tests check that
    /// merging duplicate keys grows as n log n (a count, not a clock, so load cannot flake it).
    pub(super) static KEY_COMPARISONS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
fn note_key_comparison() {
    KEY_COMPARISONS.with(|c| c.set(c.get() + 1));
}

#[cfg(not(test))]
#[inline(always)]
fn note_key_comparison() {}

/// Sorts `items` with `cmp`: a plain heapsort, O(n log n) in every case and a few hundred
/// bytes of wasm, where `slice::sort_unstable_by` instantiates ~4 KB of quicksort machinery
/// for the one place that sorts (merging duplicate keys).
fn heapsort(items: &mut [usize], cmp: impl Fn(usize, usize) -> std::cmp::Ordering) {
    let less = |a: usize, b: usize| cmp(a, b) == std::cmp::Ordering::Less;
    let sift_down = |items: &mut [usize], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && less(items[child], items[child + 1]) {
            child += 1;
        }
        if !less(items[root], items[child]) {
            break;
        }
        items.swap(root, child);
        root = child;
    };
    let n = items.len();
    for root in (0..n / 2).rev() {
        sift_down(items, root, n);
    }
    for end in (1..n).rev() {
        items.swap(0, end);
        sift_down(items, 0, end);
    }
}

/// A repeated key keeps its first position and its last value, as in [`Value::parse`].
impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        Map::from_entries(iter.into_iter().collect())
    }
}

impl Value {
    /// The value at `key` of an object (`None` for other values).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.get(key)
    }

    /// The string, when this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, when this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number as `i64`, when this is an integer that fits.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// The number as `u64`, when this is a non-negative integer that fits.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// The number as `f64`, when this is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// The array, when this is one.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The object, when this is one.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// "expected {what}, got {kind}".
    pub(super) fn expected(&self, what: &str) -> JsonError {
        JsonError::new(format!("expected {what}, got {}", self.kind()))
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Number(Number(n.to_string()))
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<Map> for Value {
    fn from(map: Map) -> Self {
        Value::Object(map)
    }
}
