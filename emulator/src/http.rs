//! Request context and reply types shared by all routes.

use axum::response::{IntoResponse, Response};
use hyper::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::StatusCode;
use serde_json::Value;

use crate::errors::ApiError;

/// A parsed request. `Debug` shows the method and path only: queries, forms,
/// bodies and headers carry dev browser ids, tokens, cookies and the secret key.
#[derive(Clone)]
pub struct Req {
    /// Effective method: the wire method, or `_method` on a POST (clerk-js sends
    /// PATCH/PUT/DELETE as POST to stay CORS-simple).
    pub method: String,
    /// Method on the wire.
    pub wire_method: String,
    /// Path (no query).
    pub path: String,
    /// Raw query string.
    pub raw_query: String,
    /// Decoded query pairs.
    pub query: Vec<(String, String)>,
    /// Decoded form body pairs.
    pub form: Vec<(String, String)>,
    /// Raw body.
    pub body: bytes::Bytes,
    /// Request headers.
    pub headers: HeaderMap,
}

impl std::fmt::Debug for Req {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Req")
            .field("method", &self.method)
            .field("wire_method", &self.wire_method)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Req {
    /// First query value for `name`.
    pub fn q(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// First form value for `name` (present, possibly empty).
    pub fn f(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// First non-empty form value for `name`.
    pub fn fv(&self, name: &str) -> Option<&str> {
        self.f(name).filter(|v| !v.trim().is_empty())
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `Origin` header, if any and not `null`.
    pub fn origin(&self) -> Option<&str> {
        self.header("origin").filter(|o| *o != "null")
    }

    /// A cookie value by name.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all("cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|pair| {
                let (k, v) = pair.trim().split_once('=')?;
                (k == name).then(|| v.to_string())
            })
    }
}

/// Body of a reply.
#[derive(Debug)]
pub enum Body {
    /// JSON.
    Json(Value),
    /// HTML page.
    Html(String),
    /// Raw bytes with a content type (used for the "malformed" fault).
    Raw(&'static str, Vec<u8>),
    /// No body.
    Empty,
}

/// A reply before CORS headers are added.
#[derive(Debug)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Body.
    pub body: Body,
    /// Extra headers (`Set-Cookie`, `Retry-After`, `Location`, …).
    pub headers: Vec<(String, String)>,
}

impl Reply {
    /// 200 with a JSON body.
    pub fn json(v: Value) -> Reply {
        Reply {
            status: 200,
            body: Body::Json(v),
            headers: Vec::new(),
        }
    }

    /// 200 with an HTML body.
    pub fn html(s: String) -> Reply {
        Reply {
            status: 200,
            body: Body::Html(s),
            headers: Vec::new(),
        }
    }

    /// The reply a response was rendered from ([`IntoResponse`] below), read back:
    /// the body by its content type, the headers but the content type and length.
    /// For callers in process (`server::respond`).
    pub fn from_response(parts: hyper::http::response::Parts, body: bytes::Bytes) -> Reply {
        let ct = parts
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let body = match ct {
            "application/json" => match serde_json::from_slice(&body) {
                Ok(v) => Body::Json(v),
                Err(_) => Body::Raw("application/json", body.to_vec()),
            },
            "text/html; charset=utf-8" => Body::Html(String::from_utf8_lossy(&body).into_owned()),
            _ if body.is_empty() => Body::Empty,
            _ => Body::Raw("application/octet-stream", body.to_vec()),
        };
        let headers = parts
            .headers
            .iter()
            .filter(|(k, _)| *k != CONTENT_TYPE && *k != CONTENT_LENGTH)
            .map(|(k, v)| {
                (
                    k.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        Reply {
            status: parts.status.as_u16(),
            body,
            headers,
        }
    }

    /// Adds a header.
    pub fn with_header(mut self, k: &str, v: impl Into<String>) -> Reply {
        self.headers.push((k.to_string(), v.into()));
        self
    }
}

impl From<ApiError> for Reply {
    fn from(e: ApiError) -> Reply {
        let mut r = Reply {
            status: e.status,
            body: Body::Json(e.body()),
            headers: Vec::new(),
        };
        if let Some(s) = e.retry_after {
            r.headers.push(("retry-after".into(), s.to_string()));
        }
        r
    }
}

impl IntoResponse for Reply {
    /// The status, the body with its content type and the extra headers (CORS is
    /// the CORS layer's, see `cors::layer`).
    fn into_response(self) -> Response {
        let (ct, bytes): (&'static str, Vec<u8>) = match self.body {
            Body::Json(v) => (
                "application/json",
                serde_json::to_vec(&v).unwrap_or_default(),
            ),
            Body::Html(s) => ("text/html; charset=utf-8", s.into_bytes()),
            Body::Raw(ct, b) => (ct, b),
            Body::Empty => ("text/plain", Vec::new()),
        };
        let mut resp = Response::new(axum::body::Body::from(bytes));
        *resp.status_mut() =
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let h = resp.headers_mut();
        h.insert(CONTENT_TYPE, HeaderValue::from_static(ct));
        for (k, v) in self.headers {
            if let (Ok(k), Ok(v)) = (
                HeaderName::from_bytes(k.as_bytes()),
                HeaderValue::from_str(&v),
            ) {
                h.append(k, v);
            }
        }
        resp
    }
}

/// Result type of route handlers.
pub type RouteResult = Result<Reply, ApiError>;
