//! Response envelopes: `{response, client}` for client-scoped resources and
//! `{errors, meta, clerk_trace_id}` for failures.

use serde::{Deserialize, Serialize};

use super::Client;

/// `{"response": T | null, "client": Client | null}`: the shape of every client-scoped FAPI
/// response. `client` is the piggybacked client after a mutation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct ClientEnvelope<T> {
    /// The resource (`null` e.g. for `GET /v1/client` without a client).
    #[serde(default = "Option::default")]
    pub response: Option<T>,
    /// The piggybacked client, when the server sent one (`null` and `{}` both mean none).
    #[serde(default = "Option::default", deserialize_with = "client_or_none")]
    pub client: Option<Client>,
}

/// `null`, a missing key and an empty object (`{}`) are "no client"; anything else must be a
/// valid client.
fn client_or_none<'de, D>(d: D) -> Result<Option<Client>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    use serde::de::Error as _;
    match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Object(map)) if map.is_empty() => Ok(None),
        Some(value) => super::from_value(value).map(Some).map_err(D::Error::custom),
    }
}

/// One error of an error envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// Machine-readable code, e.g. `form_password_incorrect`, `signed_out` (empty if absent).
    #[serde(default)]
    pub code: String,
    /// Short message.
    #[serde(default)]
    pub message: String,
    /// Longer, user-presentable message.
    #[serde(default)]
    pub long_message: Option<String>,
    /// Extra data (the failing form parameter, the session id, ...).
    #[serde(default)]
    pub meta: ApiErrorMeta,
}

/// `meta` of an [`ApiError`]: the fields clients act on; others are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorMeta {
    /// The form parameter the error is about (`identifier`, `password`, ...).
    #[serde(default)]
    pub param_name: Option<String>,
    /// The session the error is about.
    #[serde(default)]
    pub session_id: Option<String>,
}

/// `{"errors": [...], "clerk_trace_id": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    /// The errors, most relevant first.
    pub errors: Vec<ApiError>,
    /// Trace id for Clerk support.
    #[serde(default)]
    pub clerk_trace_id: Option<String>,
}
