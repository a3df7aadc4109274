//! Building FAPI requests: URL, query parameters and form bodies exactly as clerk-js sends
//! them (only GET/POST on the wire, `_method` for the rest, no custom headers). The order
//! of the query parameters is in the docs of [`crate::request`].

use crate::key::{v1_path, FapiEndpoint};

/// The FAPI version this crate speaks (the date of the OpenAPI document it is built against),
/// sent as `__clerk_api_version`.
pub const SUPPORTED_FAPI_VERSION: &str = "2026-05-12";
/// Query parameter carrying the API version.
pub const API_VERSION_PARAM: &str = "__clerk_api_version";
/// Query parameter carrying the method of a POST-tunnelled PATCH/PUT/DELETE.
pub const METHOD_PARAM: &str = "_method";
/// Query parameter carrying the current session id on non-`/client` paths.
pub const SESSION_ID_PARAM: &str = "_clerk_session_id";
/// Query parameter carrying the development-browser id.
pub const DEV_BROWSER_PARAM: &str = "__clerk_db_jwt";
/// Query parameter carrying the retry attempt number.
pub const RETRY_ATTEMPT_PARAM: &str = "_clerk_retry_attempt";

/// The logical HTTP method of a FAPI call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PATCH, sent as POST with `_method=PATCH`.
    Patch,
    /// PUT, sent as POST with `_method=PUT`.
    Put,
    /// DELETE, sent as POST with `_method=DELETE`.
    Delete,
}

impl Method {
    /// Upper-case name (`GET`, `PATCH`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    /// Parses a method name, case-insensitively.
    pub fn parse(name: &str) -> Option<Method> {
        match name.trim().to_ascii_uppercase().as_str() {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            "PATCH" => Some(Method::Patch),
            "PUT" => Some(Method::Put),
            "DELETE" => Some(Method::Delete),
            _ => None,
        }
    }

    /// True when the request goes out as POST (everything but GET).
    pub fn is_post_on_wire(self) -> bool {
        self != Method::Get
    }

    /// The `_method` value for methods tunnelled through POST.
    pub fn override_param(self) -> Option<&'static str> {
        match self {
            Method::Get | Method::Post => None,
            other => Some(other.as_str()),
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request ready for a transport: only GET or POST, URL with every query parameter,
/// optional form-urlencoded body. Credentials are always included.
#[derive(Clone, PartialEq, Eq)]
pub struct FapiRequest {
    /// `true` for POST (with a form body, possibly empty), `false` for GET.
    pub post: bool,
    /// Full URL.
    pub url: String,
    /// `application/x-www-form-urlencoded` body for POST.
    pub body: Option<String>,
    /// The FAPI path (e.g. `/v1/client`) for logs and errors, without the query string.
    pub path: String,
}

impl std::fmt::Debug for FapiRequest {
    // The URL may carry the dev-browser id and the body a password: print only the path.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FapiRequest")
            .field("method", &self.method())
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// `Content-Type` of every POST body.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

impl FapiRequest {
    /// The logical method: GET, or POST unless the URL carries `_method`.
    pub fn method(&self) -> Method {
        if !self.post {
            return Method::Get;
        }
        self.query_param(METHOD_PARAM)
            .and_then(|m| Method::parse(&m))
            .unwrap_or(Method::Post)
    }

    /// The wire method: `"GET"` or `"POST"`.
    pub fn wire_method(&self) -> &'static str {
        if self.post {
            "POST"
        } else {
            "GET"
        }
    }

    /// The URL without its query string: safe for logs and error messages.
    pub fn url_without_query(&self) -> &str {
        strip_query(&self.url)
    }

    /// The decoded value of the first query parameter named `name`.
    pub fn query_param(&self, name: &str) -> Option<String> {
        let (_, query) = self.url.split_once('?')?;
        form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    /// The decoded value of the first body field named `name`.
    pub fn form_param(&self, name: &str) -> Option<String> {
        let body = self.body.as_deref()?;
        form_urlencoded::parse(body.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    /// The same request with `_clerk_retry_attempt=<attempt>` appended (clerk-js adds it to
    /// automatic retries of GET requests).
    pub fn with_retry_attempt(&self, attempt: u32) -> FapiRequest {
        let mut next = self.clone();
        // Drop a previous attempt number, if any.
        if let Some((base, query)) = self.url.split_once('?') {
            let kept: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
                .filter(|(k, _)| k != RETRY_ATTEMPT_PARAM)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            let mut query = String::new();
            for (k, v) in &kept {
                append_form_pair(&mut query, k, v);
            }
            append_form_pair(&mut query, RETRY_ATTEMPT_PARAM, &attempt.to_string());
            next.url = format!("{base}?{query}");
        } else {
            next.url = format!("{}?{RETRY_ATTEMPT_PARAM}={attempt}", self.url);
        }
        next
    }
}

/// Builds [`FapiRequest`]s for one Frontend API: endpoint, API version, and the optional dev
/// browser id and current session id that clerk-js adds to every request.
#[derive(Clone, PartialEq, Eq)]
pub struct FapiRequestBuilder {
    endpoint: FapiEndpoint,
    api_version: String,
    dev_browser: Option<String>,
    session_id: Option<String>,
}

/// Short name of [`FapiRequestBuilder`].
pub type RequestBuilder = FapiRequestBuilder;

impl std::fmt::Debug for FapiRequestBuilder {
    // The dev-browser id authenticates the dev client: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FapiRequestBuilder")
            .field("endpoint", &self.endpoint)
            .field("api_version", &self.api_version)
            .field(
                "dev_browser",
                &self.dev_browser.as_ref().map(|_| "<redacted>"),
            )
            .field("session_id", &self.session_id)
            .finish()
    }
}

impl FapiRequestBuilder {
    /// A builder for `endpoint` with [`SUPPORTED_FAPI_VERSION`], no dev browser and no session.
    pub fn new(endpoint: FapiEndpoint) -> Self {
        FapiRequestBuilder {
            endpoint,
            api_version: SUPPORTED_FAPI_VERSION.to_string(),
            dev_browser: None,
            session_id: None,
        }
    }

    /// Overrides the API version (tests, or an emulator pinned to another date).
    pub fn with_api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = version.into();
        self
    }

    /// Sets the dev-browser id (development instances).
    pub fn with_dev_browser(mut self, id: Option<String>) -> Self {
        self.set_dev_browser(id);
        self
    }

    /// Sets the current session id.
    pub fn with_session_id(mut self, id: Option<String>) -> Self {
        self.set_session_id(id);
        self
    }

    /// Replaces the dev-browser id (`None` or empty removes it).
    pub fn set_dev_browser(&mut self, id: Option<String>) {
        self.dev_browser = id.filter(|s| !s.is_empty());
    }

    /// Replaces the current session id (`None` or empty removes it).
    pub fn set_session_id(&mut self, id: Option<String>) {
        self.session_id = id.filter(|s| !s.is_empty());
    }

    /// The endpoint.
    pub fn endpoint(&self) -> &FapiEndpoint {
        &self.endpoint
    }

    /// The API version sent.
    pub fn api_version(&self) -> &str {
        &self.api_version
    }

    /// The dev-browser id, when set.
    pub fn dev_browser(&self) -> Option<&str> {
        self.dev_browser.as_deref()
    }

    /// The current session id, when set.
    pub fn session_id(&self) -> Option<&str> {
        self.session_id.as_deref()
    }

    /// Builds a request.
    ///
    /// - `path` is relative to `/v1` (`/client`, `/client/sessions/sess_1/tokens`); a leading
    ///   `/v1` is accepted. Ids in paths must be URL-safe; use [`encode_path_segment`] for
    ///   anything else (e.g. template names).
    /// - `query` goes first in the query string, before the parameters listed in the module
    ///   docs.
    /// - `form` becomes the form-urlencoded body of a POST (present even when empty). For GET
    ///   it has no body to go into, so its pairs are appended to the caller's query instead.
    pub fn build(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        form: &[(&str, &str)],
    ) -> FapiRequest {
        let path = v1_path(path);
        let relative = &path[3..]; // without "/v1"
        let mut ser = String::new();
        for (k, v) in query {
            append_form_pair(&mut ser, k, v);
        }
        if method == Method::Get {
            for (k, v) in form {
                append_form_pair(&mut ser, k, v);
            }
        }
        append_form_pair(&mut ser, API_VERSION_PARAM, &self.api_version);
        if let Some(m) = method.override_param() {
            append_form_pair(&mut ser, METHOD_PARAM, m);
        }
        if let Some(sid) = &self.session_id {
            if !relative.starts_with("/client") && !relative.starts_with("/waitlist") {
                append_form_pair(&mut ser, SESSION_ID_PARAM, sid);
            }
        }
        if let Some(dvb) = &self.dev_browser {
            append_form_pair(&mut ser, DEV_BROWSER_PARAM, dvb);
        }
        let url = format!("{}{}?{}", self.endpoint.base(), path, ser);
        let body = method.is_post_on_wire().then(|| {
            let mut body = String::new();
            for (k, v) in form {
                append_form_pair(&mut body, k, v);
            }
            body
        });
        FapiRequest {
            post: method.is_post_on_wire(),
            url,
            body,
            path,
        }
    }

    /// `GET path` with no extra parameters.
    pub fn get(&self, path: &str) -> FapiRequest {
        self.build(Method::Get, path, &[], &[])
    }

    /// `POST path` with a form body.
    pub fn post(&self, path: &str, form: &[(&str, &str)]) -> FapiRequest {
        self.build(Method::Post, path, &[], form)
    }
}

/// Appends `name=value`, both `application/x-www-form-urlencoded` (`form_urlencoded`'s
/// `byte_serialize`, as its `Serializer` does), to the query or body `out`, after a `&` when
/// `out` is not empty. The one way requests' query strings and bodies are written; it
/// leaves out the `Serializer`'s "finished twice" panic paths.
pub fn append_form_pair(out: &mut String, name: &str, value: &str) {
    if !out.is_empty() {
        out.push('&');
    }
    out.extend(form_urlencoded::byte_serialize(name.as_bytes()));
    out.push('=');
    out.extend(form_urlencoded::byte_serialize(value.as_bytes()));
}

/// Percent-encodes one path segment (everything but unreserved characters), for ids or
/// template names that are not known to be URL-safe.
pub fn encode_path_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            // By hand rather than `format!("%{b:02X}")`: no formatting machinery per byte.
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0F)]));
        }
    }
    out
}

/// The URL without `?query` and `#fragment`: what error messages may show.
pub fn strip_query(url: &str) -> &str {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    &url[..end]
}
