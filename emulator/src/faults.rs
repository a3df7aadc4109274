//! Fault injection: latency, error statuses, 429s, dropped connections, malformed
//! and HTML bodies, stalled responses.

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
    /// Answer an HTML page (a proxy's error page, a captive portal) with `status`
    /// (default 200; 200 or 5xx only).
    Html,
    /// Hold the response without answering until the client gives up; after
    /// `latency_ms` (default and maximum [`MAX_DELAY_MS`]) close the connection
    /// without an answer, so a forgotten stall never pins a server task.
    Stall,
}

/// Upper bound of every injected delay (`latency_ms`, stalls): 120 s.
pub const MAX_DELAY_MS: u64 = 120_000;

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
    /// Checks the numbers a client may send: delays within [`MAX_DELAY_MS`], a real
    /// HTTP status (100–599) for `status`, 200 or 5xx for `html`. Returns what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        if self.latency_ms.is_some_and(|ms| ms > MAX_DELAY_MS) {
            return Err(format!("latency_ms must be at most {MAX_DELAY_MS}"));
        }
        if let Some(s) = self.status {
            if !(100..=599).contains(&s) {
                return Err("status must be an HTTP status (100-599)".into());
            }
            if self.kind == FaultKind::Html && !(s == 200 || (500..=599).contains(&s)) {
                return Err("an html fault's status must be 200 or 5xx".into());
            }
        }
        Ok(())
    }

    /// How long a `stall` holds the response.
    pub fn stall_ms(&self) -> u64 {
        self.latency_ms.unwrap_or(MAX_DELAY_MS).min(MAX_DELAY_MS)
    }

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

/// The body of an `html` fault: what an nginx-style proxy or a captive portal sends.
pub fn html_page(status: u16) -> String {
    let title = match status {
        200 => "Sign in to the network".to_string(),
        s => {
            let reason = hyper::StatusCode::from_u16(s)
                .ok()
                .and_then(|c| c.canonical_reason())
                .unwrap_or("Error");
            format!("{s} {reason}")
        }
    };
    format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
}
