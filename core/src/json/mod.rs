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
//!
//! # Layout
//!
//! - `value`: [`Value`], [`Number`] and [`Map`] (an object with unique keys);
//! - `parser`: [`Value::parse`], the only way text becomes a [`Value`];
//! - `writer`: compact JSON text (`Display` for [`Value`] and [`Map`]);
//! - `reader`: [`FromJson`] and [`Fields`], the models' readers, and schema [`Drift`];
//! - `serde_impls` (feature `serde`): `Serialize`/`Deserialize` for [`Value`] and [`Map`].

use std::fmt;

mod parser;
mod reader;
#[cfg(feature = "serde")]
mod serde_impls;
mod value;
mod writer;

#[cfg(test)]
pub(crate) mod props;
#[cfg(test)]
mod tests;

pub use reader::{collect_drift, Drift, Fields, FromJson, MAX_DRIFT_ENTRIES};
pub use value::{Map, Number, Value};

/// Largest JSON text [`Value::parse`] accepts, in bytes (1 MiB). See the module docs.
pub const MAX_JSON_BYTES: usize = 1 << 20;

/// Deepest nesting [`Value::parse`] accepts (FAPI bodies nest about 8 levels).
pub const MAX_JSON_DEPTH: usize = 128;

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
