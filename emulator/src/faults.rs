//! Fault injection: latency, error statuses, 429s, dropped connections, malformed bodies.

use serde::Deserialize;

/// What a fault does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Wait `latency_ms`, then answer normally.
    Latency,
    /// Answer `status` with a Clerk error body.
    Status,
    /// Answer 429 `rate_limit_exceeded` with `Retry-After: retry_after`.
    RateLimit,
    /// Close the connection without any response.
    Drop,
    /// Answer 200 with a body that is not valid JSON.
    Malformed,
}

/// An injected fault (`POST /__emulator/faults`).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
pub struct Fault {
    /// Path to match: exact (`/v1/client`), or a prefix ending in `*` (`/v1/client/sessions/*`).
    pub path: String,
    /// Effective method to match (honours `_method`); any when absent.
    #[serde(default)]
    pub method: Option<String>,
    /// What to do.
    pub kind: FaultKind,
    /// Delay for `latency` (also applied before other kinds when set).
    #[serde(default)]
    pub latency_ms: Option<u64>,
    /// Status for `status` (default 500).
    #[serde(default)]
    pub status: Option<u16>,
    /// `Retry-After` seconds for `rate_limit` (default 1).
    #[serde(default)]
    pub retry_after: Option<u32>,
    /// How many matching requests to affect; forever when absent.
    #[serde(default)]
    pub times: Option<u32>,
}

impl Fault {
    fn matches(&self, method: &str, path: &str) -> bool {
        let path_ok = match self.path.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => self.path == path,
        };
        path_ok
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
    }
}

/// Finds the first fault matching the request and consumes one of its `times`.
pub fn take(faults: &mut Vec<Fault>, method: &str, path: &str) -> Option<Fault> {
    let idx = faults
        .iter()
        .position(|f| f.matches(method, path) && f.times != Some(0))?;
    let fault = faults[idx].clone();
    if let Some(t) = faults[idx].times.as_mut() {
        *t -= 1;
        if *t == 0 {
            faults.remove(idx);
        }
    }
    Some(fault)
}
