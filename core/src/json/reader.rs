//! Reading typed values out of a [`Value`]: [`FromJson`], the [`Fields`] of an object, and the
//! schema [`Drift`] that optional fields fall back from.

use std::fmt;

use super::{JsonError, Map, Value};

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

/// Read once and shared: the models hold sessions and users behind an `Rc`, so the browser
/// engine and the UI can hand them out and compare them by identity without deep copies.
impl<T: FromJson> FromJson for std::rc::Rc<T> {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        T::from_json(value).map(std::rc::Rc::new)
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
    let outer = drift_begin();
    let result = read();
    (result, drift_end(outer))
}

/// Starts a collector; returns the enclosing one. Out of line, like [`drift_end`]: the
/// generic [`collect_drift`] is instantiated once per kind of read (wasm size).
#[inline(never)]
fn drift_begin() -> Option<Drift> {
    DRIFT
        .try_with(|d| d.replace(Some(Drift::default())))
        .ok()
        .flatten()
}

/// Ends the collector of [`drift_begin`], restoring `outer`; returns what it collected.
#[inline(never)]
fn drift_end(outer: Option<Drift>) -> Drift {
    DRIFT
        .try_with(|d| d.replace(outer))
        .ok()
        .flatten()
        .unwrap_or_default()
}

std::thread_local! {
    /// The active collector of [`collect_drift`] (one per thread; the browser has one).
    /// Reached with `try_with` (no collector once the thread's storage is gone): `with`
    /// links a panic for that case.
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
    DRIFT
        .try_with(|d| d.borrow().as_ref().map(|d| (d.entries.len(), d.total)))
        .ok()
        .flatten()
}

/// Prefixes the entries recorded since `mark` with `segment` (only runs when the subtree
/// drifted: the common path is one comparison).
#[inline(never)]
fn drift_prefix(mark: DriftMark, segment: Segment<'_>) {
    let Some((kept, _)) = mark else { return };
    let _ = DRIFT.try_with(|d| {
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
    let _ = DRIFT.try_with(|d| {
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
