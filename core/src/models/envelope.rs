//! Response envelopes: `{response, client}` for client-scoped resources and
//! `{errors, meta, clerk_trace_id}` for failures.

use crate::json::{Fields, FromJson, JsonError, Value};

use super::Client;

/// `{"response": T | null, "client": Client | null}`: the shape of every client-scoped FAPI
/// response. `client` is the piggybacked client after a mutation.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientEnvelope<T> {
    /// The resource (`null` e.g. for `GET /v1/client` without a client).
    pub response: Option<T>,
    /// The piggybacked client, when the server sent one (`null` and `{}` both mean none).
    pub client: Option<Client>,
}

/// One error of an error envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ApiError {
    /// Machine-readable code, e.g. `form_password_incorrect`, `signed_out` (empty if absent).
    pub code: String,
    /// Short English message (e.g. `is invalid` next to a form field, `Signed out`); empty if
    /// absent. Prefer `long_message` for users when there is one.
    pub message: String,
    /// Full English sentence for the user (what Clerk's own components show); `None` when
    /// absent.
    pub long_message: Option<String>,
    /// Extra data (the failing form parameter, the session id, ...).
    pub meta: ApiErrorMeta,
}

/// `meta` of an [`ApiError`]: the fields clients act on; others are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ApiErrorMeta {
    /// The form parameter the error is about (`identifier`, `password`, ...).
    pub param_name: Option<String>,
    /// The session the error is about, e.g. with `identifier_already_signed_in` the session
    /// already signed in with that identifier (switch to it instead).
    pub session_id: Option<String>,
}

/// `{"errors": [...], "clerk_trace_id": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorEnvelope {
    /// The errors, most relevant first.
    pub errors: Vec<ApiError>,
    /// Clerk's id of the failed request: quote it to Clerk support. `None` when absent.
    pub clerk_trace_id: Option<String>,
}

impl FromJson for ApiError {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(ApiError {
            code: f.opt("code"),
            message: f.opt("message"),
            long_message: f.opt("long_message"),
            meta: f.opt("meta"),
        })
    }
}

impl FromJson for ApiErrorMeta {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(ApiErrorMeta {
            param_name: f.opt("param_name"),
            session_id: f.opt("session_id"),
        })
    }
}

impl FromJson for ErrorEnvelope {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(ErrorEnvelope {
            errors: f.req("errors"),
            clerk_trace_id: f.opt("clerk_trace_id"),
        })
    }
}

/// `client`: `null`, a missing key and an empty object (`{}`) are "no client"; anything else
/// must be a valid client, and a present `response` must be a valid `T` (schema drift inside
/// them falls back field by field as usual).
impl<T: FromJson> FromJson for ClientEnvelope<T> {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        // Strict: the resource and the client are the payload, not optional data; a client
        // or resource that does not read fails the call instead of silently becoming `None`.
        let client = match f.raw("client") {
            Some(Value::Object(map)) if map.is_empty() => None,
            _ => f.opt_strict("client"),
        };
        f.finish(ClientEnvelope {
            response: f.opt_strict("response"),
            client,
        })
    }
}
