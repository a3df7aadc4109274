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
//! parsing is compiled unless asked for), nesting is limited (no stack overflow on hostile
//! input). Error messages name fields and byte offsets, never values from the body.

use std::fmt;

/// Deepest nesting accepted by [`Value::parse`] (FAPI bodies nest about 8 levels).
const MAX_DEPTH: usize = 128;

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
pub struct JsonError(String);

impl JsonError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        JsonError(message.into())
    }

    /// Prefixes the message with the field it happened in: `` `sessions`: `` + message.
    #[inline(never)]
    fn in_field(self, key: &str) -> Self {
        JsonError(format!("`{key}`: {}", self.0))
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
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
    /// into the wasm binary for the one claim reader that needs it.
    pub fn floor_i64(&self) -> Option<i64> {
        if let Some(i) = self.as_i64() {
            return Some(i);
        }
        let (mantissa, exponent) = match self.0.find(['e', 'E']) {
            Some(at) => (&self.0[..at], self.0[at + 1..].parse::<i32>().ok()?),
            None => (self.0.as_str(), 0),
        };
        let negative = mantissa.starts_with('-');
        let mantissa = mantissa.trim_start_matches('-');
        let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits: Vec<u8> = int_part.bytes().chain(frac_part.bytes()).collect();
        // Position of the decimal point within `digits` after applying the exponent.
        let point = int_part.len() as i64 + i64::from(exponent);
        let mut whole: i64 = 0;
        let mut fraction = false;
        for (i, d) in digits.iter().enumerate() {
            let d = i64::from(d - b'0');
            if (i as i64) < point {
                whole = whole.checked_mul(10)?.checked_add(d)?;
            } else if d != 0 {
                fraction = true;
            }
        }
        for _ in digits.len() as i64..point.max(0) {
            whole = whole.checked_mul(10)?;
        }
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

    /// Sets `key`, replacing an earlier value.
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

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        let mut map = Map::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl Value {
    /// Parses JSON text (RFC 8259; surrounding white space allowed, nothing else after the
    /// value).
    pub fn parse(text: &str) -> Result<Value, JsonError> {
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
        JsonError(format!("expected {what}, got {}", self.kind()))
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
        JsonError(format!("invalid JSON at byte {}: {what}", self.at))
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
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
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
                let mut map = Map::new();
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
                        map.insert(key, value);
                        self.skip_ws();
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(self.error("expected ',' or '}'"));
                        }
                    }
                }
                Ok(Value::Object(map))
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

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let items = value.as_array().ok_or_else(|| value.expected("an array"))?;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(T::from_json(item).map_err(|e| JsonError(format!("[{i}]: {}", e.0)))?);
        }
        Ok(out)
    }
}

/// The fields of a JSON object, read by name: what each model's [`FromJson`] impl uses.
///
/// Unknown fields are ignored. A missing field and `null` both mean "absent": [`Fields::req`]
/// records an error, [`Fields::opt`] gives the type's default. A present field of the wrong
/// type records an error naming the field. [`Fields::finish`] returns the built value, or the
/// first recorded error.
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
        self.read(key, true)
    }

    /// An optional field: missing or `null` gives `T::default()` (`None`, `""`, `false`, 0,
    /// empty list or map).
    pub fn opt<T: FromJson + Default>(&self, key: &str) -> T {
        self.read(key, false)
    }

    /// The per-type part is only the `T::from_json` call; the lookup, the missing-field error
    /// and the field-name prefix are shared (non-generic) code, compiled once.
    fn read<T: FromJson + Default>(&self, key: &str, required: bool) -> T {
        match self.lookup(key, required).map(T::from_json) {
            Some(Ok(value)) => value,
            Some(Err(e)) => {
                self.record(e.in_field(key));
                T::default()
            }
            None => T::default(),
        }
    }

    /// The non-null value of `key`; records "missing field" when it is absent and required.
    #[inline(never)]
    fn lookup(&self, key: &str, required: bool) -> Option<&'a Value> {
        match self.map.get(key) {
            None | Some(Value::Null) => {
                if required {
                    self.record(JsonError(format!("missing field `{key}`")));
                }
                None
            }
            Some(value) => Some(value),
        }
    }

    /// Records `error` unless an earlier one was recorded (the first error is reported).
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
            Sample::from_json_str(r#"{"id":"x","tags":["a",5]}"#)
                .unwrap_err()
                .to_string(),
            "`tags`: [1]: expected a string, got a number"
        );
        assert_eq!(
            Sample::from_json_str(r#"{"id":"x","flag":"yes"}"#)
                .unwrap_err()
                .to_string(),
            "`flag`: expected a boolean, got a string"
        );
        assert_eq!(
            Sample::from_json_str("[]").unwrap_err().to_string(),
            "expected an object, got an array"
        );
    }
}
