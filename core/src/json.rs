//! A small JSON value, parser and writer: the crate's only JSON code.
//!
//! Why not serde + serde_json: the models are the biggest part of the library's wasm, and
//! serde's generated visitors (one per model, each with field matching, `visit_seq`, error
//! formatting) plus serde_json's parser cost far more than this module and hand-written readers
//! ([`FromJson`] impls with [`Fields`]). Measured with `tools/size/measure.sh`; the figures are
//! in `docs/ARCHITECTURE.md`.
//!
//! Semantics follow the browser's `JSON.parse` where it matters for FAPI bodies: duplicate keys
//! keep the last value, numbers keep their literal text (so `as_i64` is exact and no float
//! parsing is compiled unless asked for). Error messages name fields and byte offsets, never
//! values from the body.
//!
//! # Limits
//!
//! Every JSON text the crate reads goes through [`Value::parse`] (FAPI bodies, the
//! environment snapshot in `localStorage`, cross-tab messages, JWT segments from cookies), so
//! the parser itself enforces the limits that keep hostile input from freezing the page:
//! - at most [`MAX_JSON_BYTES`] (1 MiB) of text: a real `/v1/client` body is 5–50 KB, so this
//!   leaves a 20× margin while bounding the parse time and the memory of the value tree
//!   (strings, arrays and objects can only be as large as the text they come from);
//! - at most [`MAX_JSON_DEPTH`] levels of nesting (no stack overflow on `[[[[…`);
//! - objects are built in O(n log n) of their key count (duplicate keys are merged with one
//!   sort, not a search per key);
//! - number conversions ([`Number::floor_i64`]) take time linear in the literal, whatever its
//!   exponent (`0e2147483647`).
//!
//! Exceeding a limit is a [`JsonError`] of kind [`JsonErrorKind::TooLarge`] or
//! [`JsonErrorKind::TooDeep`], never a panic.

use std::fmt;

/// Largest JSON text [`Value::parse`] accepts, in bytes (1 MiB). See the module docs.
pub const MAX_JSON_BYTES: usize = 1 << 20;

/// Deepest nesting [`Value::parse`] accepts (FAPI bodies nest about 8 levels).
pub const MAX_JSON_DEPTH: usize = 128;

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
pub struct Number(String);

/// A JSON object: keys in source order, unique (a repeated key keeps its last value).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Map(Vec<(String, Value)>);

/// Why JSON text or a JSON value could not be read. The message names the field path or the
/// byte offset, never a value taken from the input (bodies can carry tokens).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    kind: JsonErrorKind,
    message: String,
}

/// What kind of [`JsonError`] happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JsonErrorKind {
    /// The text is not JSON.
    Syntax,
    /// The text is longer than [`MAX_JSON_BYTES`].
    TooLarge,
    /// The text nests deeper than [`MAX_JSON_DEPTH`].
    TooDeep,
    /// The JSON is valid but not of the expected shape (a required field is missing or of
    /// the wrong type).
    Schema,
}

impl JsonError {
    /// A [`JsonErrorKind::Schema`] error with this message (for hand-written readers).
    pub fn new(message: impl Into<String>) -> Self {
        JsonError::of_kind(JsonErrorKind::Schema, message.into())
    }

    fn of_kind(kind: JsonErrorKind, message: String) -> Self {
        JsonError { kind, message }
    }

    /// What kind of error this is.
    pub fn kind(&self) -> JsonErrorKind {
        self.kind
    }

    /// Prefixes the message with the field it happened in: `` `sessions`: `` + message.
    #[inline(never)]
    fn in_field(self, key: &str) -> Self {
        JsonError {
            kind: self.kind,
            message: format!("`{key}`: {}", self.message),
        }
    }

    /// Prefixes the message with the array index it happened at: `[3]: ` + message.
    #[inline(never)]
    fn at_index(self, index: usize) -> Self {
        JsonError {
            kind: self.kind,
            message: format!("[{index}]: {}", self.message),
        }
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for JsonError {}

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
    fn from_entries(mut entries: Vec<(String, Value)>) -> Map {
        let n = entries.len();
        // Small objects (most of them) are checked pairwise without allocating.
        let has_duplicates = if n <= 8 {
            (1..n).any(|j| (0..j).any(|i| entries[i].0 == entries[j].0))
        } else {
            true
        };
        if !has_duplicates {
            return Map(entries);
        }
        let mut order: Vec<usize> = (0..n).collect();
        // Equal keys end up next to each other, in source order.
        heapsort(&mut order, |a, b| {
            entries[a].0.cmp(&entries[b].0).then(a.cmp(&b))
        });
        let mut remove = vec![false; n];
        let mut any_removed = false;
        let mut run_start = 0;
        for end in 1..=n {
            if end < n && entries[order[end]].0 == entries[order[run_start]].0 {
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
    /// Parses JSON text (RFC 8259; surrounding white space allowed, nothing else after the
    /// value), within the limits of the [module docs](self): text longer than
    /// [`MAX_JSON_BYTES`] or nested deeper than [`MAX_JSON_DEPTH`] is an error.
    pub fn parse(text: &str) -> Result<Value, JsonError> {
        if text.len() > MAX_JSON_BYTES {
            return Err(JsonError::of_kind(
                JsonErrorKind::TooLarge,
                format!(
                    "JSON text of {} bytes is larger than the {MAX_JSON_BYTES} accepted",
                    text.len()
                ),
            ));
        }
        let mut parser = Parser {
            bytes: text.as_bytes(),
            at: 0,
        };
        let value = parser.value(0)?;
        parser.skip_ws();
        if parser.at != parser.bytes.len() {
            return Err(parser.error("trailing characters after the JSON value"));
        }
        Ok(value)
    }

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
    fn expected(&self, what: &str) -> JsonError {
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

/// Writes compact JSON text (`value.to_string()`).
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => f.write_str(if *b { "true" } else { "false" }),
            Value::Number(n) => f.write_str(&n.0),
            Value::String(s) => write_string(f, s),
            Value::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    item.fmt(f)?;
                }
                f.write_str("]")
            }
            Value::Object(map) => map.fmt(f),
        }
    }
}

/// Writes the object as compact JSON text.
impl fmt::Display for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (i, (k, v)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write_string(f, k)?;
            f.write_str(":")?;
            v.fmt(f)?;
        }
        f.write_str("}")
    }
}

fn write_string(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let escape = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            c if (c as u32) < 0x20 => "",
            _ => continue,
        };
        f.write_str(&s[start..i])?;
        if escape.is_empty() {
            write!(f, "\\u{:04x}", c as u32)?;
        } else {
            f.write_str(escape)?;
        }
        start = i + c.len_utf8();
    }
    f.write_str(&s[start..])?;
    f.write_str("\"")
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> JsonError {
        JsonError::of_kind(
            JsonErrorKind::Syntax,
            format!("invalid JSON at byte {}: {what}", self.at),
        )
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.at += 1;
        }
        found
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, JsonError> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error("unexpected character"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_JSON_DEPTH {
            return Err(JsonError::of_kind(
                JsonErrorKind::TooDeep,
                format!(
                    "invalid JSON at byte {}: nested too deeply (more than {MAX_JSON_DEPTH} levels)",
                    self.at
                ),
            ));
        }
        self.skip_ws();
        match self.peek() {
            None => Err(self.error("unexpected end of input")),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'"') => self.string().map(Value::String),
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                self.skip_ws();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value(depth + 1)?);
                        self.skip_ws();
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(self.error("expected ',' or ']'"));
                        }
                    }
                }
                Ok(Value::Array(items))
            }
            Some(b'{') => {
                self.at += 1;
                let mut entries = Vec::new();
                self.skip_ws();
                if !self.eat(b'}') {
                    loop {
                        self.skip_ws();
                        if self.peek() != Some(b'"') {
                            return Err(self.error("expected a string key"));
                        }
                        let key = self.string()?;
                        self.skip_ws();
                        if !self.eat(b':') {
                            return Err(self.error("expected ':'"));
                        }
                        let value = self.value(depth + 1)?;
                        entries.push((key, value));
                        self.skip_ws();
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(self.error("expected ',' or '}'"));
                        }
                    }
                }
                Ok(Value::Object(Map::from_entries(entries)))
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("unexpected character")),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.at;
        self.eat(b'-');
        let int_start = self.at;
        let int_digits = self.digits();
        if int_digits == 0 || (int_digits > 1 && self.bytes[int_start] == b'0') {
            return Err(self.error("invalid number"));
        }
        if self.eat(b'.') && self.digits() == 0 {
            return Err(self.error("invalid number"));
        }
        if self.eat(b'e') || self.eat(b'E') {
            let _ = self.eat(b'+') || self.eat(b'-');
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        // The slice holds only ASCII digits, signs, '.', 'e'.
        let text = String::from_utf8_lossy(&self.bytes[start..self.at]).into_owned();
        Ok(Value::Number(Number(text)))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = self
                .peek()
                .and_then(|b| (b as char).to_digit(16))
                .ok_or_else(|| self.error("invalid \\u escape"))?;
            code = code * 16 + digit;
            self.at += 1;
        }
        Ok(code)
    }

    /// A string starting at the opening quote.
    fn string(&mut self) -> Result<String, JsonError> {
        self.at += 1;
        let mut out = Vec::new();
        loop {
            let start = self.at;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            out.extend_from_slice(&self.bytes[start..self.at]);
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    // Input is a `&str` and escapes are pushed as UTF-8: always valid.
                    return String::from_utf8(out).map_err(|_| self.error("invalid UTF-8"));
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escaped = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.at += 1;
                            let c = self.unicode_escape()?;
                            let mut buf = [0; 4];
                            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                            continue;
                        }
                        _ => return Err(self.error("invalid escape")),
                    };
                    self.at += 1;
                    out.push(escaped as u8);
                }
                Some(_) => return Err(self.error("control character in string")),
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    /// The character of a `\uXXXX` escape (after `\u`), joining surrogate pairs; a lone
    /// surrogate becomes U+FFFD, as `JSON.parse` keeps it but Rust strings cannot.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first) && self.bytes[self.at..].starts_with(b"\\u")
        {
            let save = self.at;
            self.at += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            } else {
                self.at = save;
                first
            }
        } else {
            first
        };
        Ok(char::from_u32(code).unwrap_or('\u{FFFD}'))
    }
}

/// Types read from a JSON value: the models' hand-written readers.
pub trait FromJson: Sized {
    /// Reads `Self` from `value`.
    fn from_json(value: &Value) -> Result<Self, JsonError>;

    /// Parses JSON text and reads `Self` from it.
    fn from_json_str(text: &str) -> Result<Self, JsonError> {
        Self::from_json(&Value::parse(text)?)
    }
}

impl FromJson for Value {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        Ok(value.clone())
    }
}

impl FromJson for Map {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        value
            .as_object()
            .cloned()
            .ok_or_else(|| value.expected("an object"))
    }
}

impl FromJson for String {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| value.expected("a string"))
    }
}

impl FromJson for bool {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        value.as_bool().ok_or_else(|| value.expected("a boolean"))
    }
}

impl FromJson for i64 {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        value.as_i64().ok_or_else(|| value.expected("an integer"))
    }
}

impl FromJson for u64 {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        value
            .as_u64()
            .ok_or_else(|| value.expected("a non-negative integer"))
    }
}

impl FromJson for u32 {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        value
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| value.expected("a small non-negative integer"))
    }
}

/// `null` is `None`.
impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        match value {
            Value::Null => Ok(None),
            other => T::from_json(other).map(Some),
        }
    }
}

/// Every item must read (an item that does not fails the list; as an optional field, the
/// whole list then falls back to empty).
impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let items = value.as_array().ok_or_else(|| value.expected("an array"))?;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let mark = drift_mark();
            out.push(T::from_json(item).map_err(|e| e.at_index(i))?);
            drift_prefix(mark, Segment::Index(i));
        }
        Ok(out)
    }
}

/// Most drift entries a [`Drift`] keeps (the others are only counted), so a hostile body with
/// thousands of wrong-typed fields costs no more than this.
pub const MAX_DRIFT_ENTRIES: usize = 16;

/// Schema drift: optional fields that were present but could not be read (wrong type, or a
/// required field missing inside them) and fell back to their default.
///
/// Clerk adds fields and changes optional shapes over time; such a change must not fail a
/// whole load, but it should be seen once in the logs. Collect it with [`collect_drift`].
/// Each entry is a [`JsonError`] whose message is the field path and what was wrong, e.g.
/// `` `sessions`: [0]: `user`: `banned`: expected a boolean, got a string `` (never a value
/// from the body).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drift {
    entries: Vec<JsonError>,
    total: usize,
}

impl Drift {
    /// True when every optional field read as expected.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// How many optional fields fell back to their default (also those beyond
    /// [`MAX_DRIFT_ENTRIES`]).
    pub fn total(&self) -> usize {
        self.total
    }

    /// The first [`MAX_DRIFT_ENTRIES`] fields that fell back, in reading order.
    pub fn iter(&self) -> impl Iterator<Item = &JsonError> {
        self.entries.iter()
    }
}

/// One line for a log: `N optional field(s) ignored: <path: problem>; ...`.
impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} optional field(s) ignored", self.total)?;
        for (i, entry) in self.entries.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            f.write_str(&entry.message)?;
        }
        if self.total > self.entries.len() {
            f.write_str("; ...")?;
        }
        Ok(())
    }
}

/// Runs `read` (any parse: [`FromJson::from_json_str`], `request::parse_envelope`, ...) and
/// returns its result with the [`Drift`] seen while it ran.
///
/// Optional fields fall back to their default whether or not drift is being collected; this
/// only decides whether the fallbacks are reported. Collectors nest: an inner one takes the
/// drift of its own closure only.
pub fn collect_drift<R>(read: impl FnOnce() -> R) -> (R, Drift) {
    let outer = DRIFT.with(|d| d.replace(Some(Drift::default())));
    let result = read();
    let drift = DRIFT.with(|d| d.replace(outer)).unwrap_or_default();
    (result, drift)
}

std::thread_local! {
    /// The active collector of [`collect_drift`] (one per thread; the browser has one).
    static DRIFT: std::cell::RefCell<Option<Drift>> = const { std::cell::RefCell::new(None) };
}

/// Where the drift collector stood before reading a subtree: `(entries kept, total)`, or
/// `None` when nothing is being collected.
type DriftMark = Option<(usize, usize)>;

/// A field name or an array index, prefixed to the drift entries of a subtree.
#[derive(Clone, Copy)]
enum Segment<'a> {
    Field(&'a str),
    Index(usize),
}

#[inline(never)]
fn drift_mark() -> DriftMark {
    DRIFT.with(|d| d.borrow().as_ref().map(|d| (d.entries.len(), d.total)))
}

/// Prefixes the entries recorded since `mark` with `segment` (only runs when the subtree
/// drifted: the common path is one comparison).
#[inline(never)]
fn drift_prefix(mark: DriftMark, segment: Segment<'_>) {
    let Some((kept, _)) = mark else { return };
    DRIFT.with(|d| {
        if let Some(drift) = d.borrow_mut().as_mut() {
            for entry in drift.entries.iter_mut().skip(kept) {
                let e = std::mem::replace(entry, JsonError::new(String::new()));
                *entry = match segment {
                    Segment::Field(key) => e.in_field(key),
                    Segment::Index(i) => e.at_index(i),
                };
            }
        }
    });
}

/// Records that the optional field read since `mark` fell back to its default: the drift
/// recorded inside it is dropped (the whole field went) and `error` (already prefixed with
/// the field) is recorded instead.
#[inline(never)]
fn drift_fallback(mark: DriftMark, error: JsonError) {
    let Some((kept, total)) = mark else { return };
    DRIFT.with(|d| {
        if let Some(drift) = d.borrow_mut().as_mut() {
            drift.entries.truncate(kept);
            drift.total = total + 1;
            if drift.entries.len() < MAX_DRIFT_ENTRIES {
                drift.entries.push(error);
            }
        }
    });
}

/// How [`Fields`] treats a field that is absent or cannot be read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Required,
    Strict,
    Lenient,
}

/// The fields of a JSON object, read by name: what each model's [`FromJson`] impl uses.
///
/// Unknown fields are ignored. A missing field and `null` both mean "absent". Then:
/// - [`Fields::req`]: absent or unreadable (wrong type, or a required field missing inside
///   it) records an error naming the field;
/// - [`Fields::opt`]: absent gives the type's default; **unreadable also gives the default**
///   and is reported as schema [`Drift`] (see [`collect_drift`]), so that a Clerk change to an
///   optional field does not fail the whole value;
/// - [`Fields::opt_strict`]: absent gives the default, unreadable records an error (for
///   optional fields whose loss would change the meaning, e.g. a client's sessions).
///
/// [`Fields::finish`] returns the built value, or the first recorded error.
///
/// Why errors are recorded instead of returned with `?` after each field: an early return in
/// the middle of a struct literal makes the compiler emit a clean-up path that drops every
/// field read so far, for every field; in the models that was most of their wasm size.
pub struct Fields<'a> {
    map: &'a Map,
    error: std::cell::Cell<Option<JsonError>>,
}

impl<'a> Fields<'a> {
    /// The object's fields; fails when `value` is not an object.
    pub fn of(value: &'a Value) -> Result<Self, JsonError> {
        match value {
            Value::Object(map) => Ok(Fields {
                map,
                error: std::cell::Cell::new(None),
            }),
            other => Err(other.expected("an object")),
        }
    }

    /// The raw value of `key` (`None` when missing).
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key)
    }

    /// A required field: missing or `null` records an error (and gives the default).
    pub fn req<T: FromJson + Default>(&self, key: &str) -> T {
        self.read(key, Mode::Required)
    }

    /// An optional field: missing or `null` gives `T::default()` (`None`, `""`, `false`, 0,
    /// empty list or map); so does a value that cannot be read, which is reported as
    /// [`Drift`].
    pub fn opt<T: FromJson + Default>(&self, key: &str) -> T {
        self.read(key, Mode::Lenient)
    }

    /// An optional field that must read when present: missing or `null` gives
    /// `T::default()`, a value that cannot be read records an error (as [`Fields::req`]).
    pub fn opt_strict<T: FromJson + Default>(&self, key: &str) -> T {
        self.read(key, Mode::Strict)
    }

    /// The per-type part is only the `T::from_json` call; the lookup, the missing-field error,
    /// the drift bookkeeping and the field-name prefix are shared (non-generic) code,
    /// compiled once.
    fn read<T: FromJson + Default>(&self, key: &str, mode: Mode) -> T {
        let Some(value) = self.lookup(key, mode == Mode::Required) else {
            return T::default();
        };
        let mark = drift_mark();
        match T::from_json(value) {
            Ok(value) => {
                drift_prefix(mark, Segment::Field(key));
                value
            }
            Err(e) => {
                self.unreadable(mark, key, mode, e);
                T::default()
            }
        }
    }

    #[inline(never)]
    fn unreadable(&self, mark: DriftMark, key: &str, mode: Mode, error: JsonError) {
        let error = error.in_field(key);
        match mode {
            Mode::Lenient => drift_fallback(mark, error),
            Mode::Required | Mode::Strict => self.record(error),
        }
    }

    /// The non-null value of `key`; records "missing field" when it is absent and required.
    #[inline(never)]
    fn lookup(&self, key: &str, required: bool) -> Option<&'a Value> {
        match self.map.get(key) {
            None | Some(Value::Null) => {
                if required {
                    self.record(JsonError::new(format!("missing field `{key}`")));
                }
                None
            }
            Some(value) => Some(value),
        }
    }

    /// Records `error` unless an earlier one was recorded (the first error is reported).
    /// [`Fields::finish`] then fails with it.
    #[inline(never)]
    pub fn record(&self, error: JsonError) {
        let first = self.error.take().unwrap_or(error);
        self.error.set(Some(first));
    }

    /// `value`, or the first error recorded while reading its fields.
    pub fn finish<T>(&self, value: T) -> Result<T, JsonError> {
        match self.error.take() {
            Some(e) => Err(e),
            None => Ok(value),
        }
    }
}

#[cfg(test)]
mod tests {
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

    #[test]
    fn many_object_keys_parse_in_linear_time() {
        // Each key used to be inserted with a linear search: 100k keys took ~5·10^9 compares.
        let mut text = String::from("{");
        for i in 0..70_000 {
            text.push_str(&format!("\"k{i}\":0,"));
        }
        text.push_str("\"k7\":\"last\"}");
        let v = crate::test_support::within(crate::test_support::CASE_LIMIT, move || {
            Value::parse(&text).unwrap()
        });
        let map = v.as_object().unwrap();
        assert_eq!(map.len(), 70_000);
        assert_eq!(map.get("k7").unwrap().as_str(), Some("last"));
        // The repeated key keeps its first position (as `JSON.parse`), with the last value.
        assert_eq!(map.iter().nth(7).unwrap().0, "k7");
        let collected: Map = crate::test_support::within(crate::test_support::CASE_LIMIT, || {
            (0..100_000)
                .map(|i| (format!("c{}", i % 60_000), Value::from(i)))
                .collect()
        });
        assert_eq!(collected.len(), 60_000);
        assert_eq!(collected.get("c5").unwrap().as_i64(), Some(60_005));
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
}

/// Property tests (`cargo test prop_`; `PROPTEST_CASES` raises the 256 cases per target).
/// Every case runs under a time bound, so a hang is a failure, not a stuck run.
#[cfg(test)]
pub(crate) mod props {
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
}
