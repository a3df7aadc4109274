//! Parsing FAPI responses into models or [`ClerkError`]s: client envelopes, unwrapped
//! resources, error envelopes and the `Retry-After` header. Errors never quote the body or
//! the query of the request URL.

use crate::json::{FromJson, JsonError, Value};

use crate::error::ClerkError;
use crate::models::{Client, ClientEnvelope, ErrorEnvelope};

use super::strip_query;

/// True for 2xx statuses.
pub fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Parses a `Retry-After` header given in seconds (the HTTP-date form is not supported and
/// yields `None`).
pub fn parse_retry_after(value: Option<&str>) -> Option<u32> {
    let v = value?.trim();
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(v.parse::<u32>().unwrap_or(u32::MAX))
}

/// Parses a client-scoped response (`{"response": T|null, "client": Client|null}`).
///
/// - 2xx: the envelope; a 204 or empty body gives an empty envelope; a JSON object without
///   `response` and `client` keys is read as a bare `T` (clerk-js reads
///   `json.response || json`); without `client`, a `meta.client` is used (clerk-js reads
///   `payload.client || payload.meta.client`); anything else is
///   [`ClerkError::MalformedResponse`].
/// - Other statuses: [`parse_error`].
///
/// `url` may be the full request URL: only the part before `?` is used in errors.
pub fn parse_envelope<T: FromJson>(
    status: u16,
    body: &str,
    url: &str,
    retry_after: Option<&str>,
) -> Result<ClientEnvelope<T>, ClerkError> {
    if !is_success(status) {
        return Err(parse_error(status, body, retry_after));
    }
    if status == 204 || body.trim().is_empty() {
        return Ok(ClientEnvelope {
            response: None,
            client: None,
        });
    }
    let value = Value::parse(body).map_err(|e| malformed(url, &e))?;
    let wrapped = value
        .as_object()
        .is_some_and(|o| o.contains_key("response") || o.contains_key("client"));
    if wrapped {
        // clerk-js takes the piggybacked client from `client`, else from `meta.client`.
        let meta_client = value
            .get("meta")
            .and_then(|m| m.get("client"))
            .filter(|c| c.as_object().is_some_and(|o| !o.is_empty()));
        let mut env = ClientEnvelope::<T>::from_json(&value).map_err(|e| malformed(url, &e))?;
        if env.client.is_none() {
            if let Some(client) = meta_client {
                env.client = Some(Client::from_json(client).map_err(|e| malformed(url, &e))?);
            }
        }
        Ok(env)
    } else if value.is_object() {
        let response = T::from_json(&value).map_err(|e| malformed(url, &e))?;
        Ok(ClientEnvelope {
            response: Some(response),
            client: None,
        })
    } else {
        Err(ClerkError::MalformedResponse {
            url: strip_query(url).to_string(),
            message: "expected a JSON object".into(),
        })
    }
}

/// Parses an unwrapped response (`GET /v1/environment`, `POST .../tokens`,
/// `POST /v1/dev_browser`): 2xx → `T` (an empty body is read as JSON `null`, so
/// `Option<_>` targets accept it), other statuses → [`parse_error`].
pub fn parse_plain<T: FromJson>(
    status: u16,
    body: &str,
    url: &str,
    retry_after: Option<&str>,
) -> Result<T, ClerkError> {
    if !is_success(status) {
        return Err(parse_error(status, body, retry_after));
    }
    let text = if body.trim().is_empty() { "null" } else { body };
    T::from_json_str(text).map_err(|e| {
        if body.trim().is_empty() {
            ClerkError::MalformedResponse {
                url: strip_query(url).to_string(),
                message: "empty body".into(),
            }
        } else {
            malformed(url, &e)
        }
    })
}

/// The [`ClerkError::Api`] of a non-2xx response: the errors and `clerk_trace_id` of a
/// `{"errors": [...]}` envelope, or no errors when the body is not one (HTML from a proxy,
/// empty body, ...). `retry_after` is the raw `Retry-After` header.
pub fn parse_error(status: u16, body: &str, retry_after: Option<&str>) -> ClerkError {
    let (errors, trace_id) = match ErrorEnvelope::from_json_str(body) {
        Ok(env) => (env.errors, env.clerk_trace_id),
        Err(_) => (Vec::new(), None),
    };
    ClerkError::Api {
        status,
        errors,
        trace_id,
        retry_after: parse_retry_after(retry_after),
    }
}

/// The client piggybacked on an error response (`meta.client`, sent with some sign-in errors),
/// when there is one.
pub fn client_from_error_body(body: &str) -> Option<Client> {
    let value = Value::parse(body).ok()?;
    let client = value.get("meta")?.get("client")?;
    if client.is_null() {
        return None;
    }
    Client::from_json(client).ok()
}

/// The error never quotes the body: [`JsonError`] messages name fields and offsets only.
fn malformed(url: &str, e: &JsonError) -> ClerkError {
    ClerkError::MalformedResponse {
        url: strip_query(url).to_string(),
        message: e.to_string(),
    }
}
