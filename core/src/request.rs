//! Building FAPI requests: URL, query parameters and form bodies exactly as clerk-js sends
//! them (only GET/POST on the wire, `_method` for the rest, no custom headers), and parsing
//! FAPI responses into models or [`ClerkError`]s.
//!
//! Query parameters, in this order (FAPI notes §2.1):
//! 1. the caller's own parameters (e.g. `debug=skip_cache`);
//! 2. `__clerk_api_version=<version>` ([`SUPPORTED_FAPI_VERSION`] by default);
//! 3. `_method=PATCH|PUT|DELETE` for those methods (sent as POST);
//! 4. `_clerk_session_id=<id>` when a session id is set and the path is not under `/client`
//!    or `/waitlist`;
//! 5. `__clerk_db_jwt=<dev browser id>` when a dev browser is set;
//! 6. `_clerk_retry_attempt=<n>` on retries ([`FapiRequest::with_retry_attempt`]).
//!
//! clerk-js also sends `_clerk_js_version=<its version>`. yew-clerk is not clerk-js and does not
//! claim a clerk-js version: it sends no version parameter of its own (FAPI does not require
//! one; the notes record it as informational only).

use crate::json::{FromJson, JsonError, Value};

use crate::error::ClerkError;
use crate::key::{v1_path, FapiEndpoint};
use crate::models::{Client, ClientEnvelope, ErrorEnvelope};

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
            let mut ser = form_urlencoded::Serializer::new(String::new());
            for (k, v) in &kept {
                ser.append_pair(k, v);
            }
            ser.append_pair(RETRY_ATTEMPT_PARAM, &attempt.to_string());
            next.url = format!("{base}?{}", ser.finish());
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
        let mut ser = form_urlencoded::Serializer::new(String::new());
        for (k, v) in query {
            ser.append_pair(k, v);
        }
        if method == Method::Get {
            for (k, v) in form {
                ser.append_pair(k, v);
            }
        }
        ser.append_pair(API_VERSION_PARAM, &self.api_version);
        if let Some(m) = method.override_param() {
            ser.append_pair(METHOD_PARAM, m);
        }
        if let Some(sid) = &self.session_id {
            if !relative.starts_with("/client") && !relative.starts_with("/waitlist") {
                ser.append_pair(SESSION_ID_PARAM, sid);
            }
        }
        if let Some(dvb) = &self.dev_browser {
            ser.append_pair(DEV_BROWSER_PARAM, dvb);
        }
        let url = format!("{}{}?{}", self.endpoint.base(), path, ser.finish());
        let body = method.is_post_on_wire().then(|| {
            let mut body = form_urlencoded::Serializer::new(String::new());
            for (k, v) in form {
                body.append_pair(k, v);
            }
            body.finish()
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

/// Percent-encodes one path segment (everything but unreserved characters), for ids or
/// template names that are not known to be URL-safe.
pub fn encode_path_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The URL without `?query` and `#fragment`: what error messages may show.
pub fn strip_query(url: &str) -> &str {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    &url[..end]
}

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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::key::{build_publishable_key, InstanceType, PublishableKey};
    use crate::models::{Environment, Session, Token};

    fn builder() -> FapiRequestBuilder {
        let key = PublishableKey::parse(&build_publishable_key(
            "foo-bar-13.clerk.accounts.dev",
            InstanceType::Development,
        ))
        .unwrap();
        FapiRequestBuilder::new(FapiEndpoint::from_key(&key))
    }

    #[test]
    fn get_client() {
        let r = builder().get("/client");
        assert!(!r.post);
        assert_eq!(r.body, None);
        assert_eq!(r.path, "/v1/client");
        assert_eq!(
            r.url,
            "https://foo-bar-13.clerk.accounts.dev/v1/client?__clerk_api_version=2026-05-12"
        );
        assert_eq!(r.method(), Method::Get);
        assert_eq!(r.wire_method(), "GET");
    }

    #[test]
    fn post_with_empty_body() {
        let r = builder().post("/dev_browser", &[]);
        assert!(r.post);
        assert_eq!(r.body.as_deref(), Some(""));
        assert_eq!(r.method(), Method::Post);
        assert_eq!(
            r.url,
            "https://foo-bar-13.clerk.accounts.dev/v1/dev_browser?__clerk_api_version=2026-05-12"
        );
    }

    #[test]
    fn method_override_and_order() {
        let b = builder()
            .with_dev_browser(Some("dvb_2wBE".into()))
            .with_session_id(Some("sess_1".into()));
        let r = b.build(Method::Patch, "/environment", &[], &[]);
        assert_eq!(
            r.url,
            "https://foo-bar-13.clerk.accounts.dev/v1/environment?__clerk_api_version=2026-05-12&_method=PATCH&_clerk_session_id=sess_1&__clerk_db_jwt=dvb_2wBE"
        );
        assert!(r.post);
        assert_eq!(r.body.as_deref(), Some(""));
        assert_eq!(r.method(), Method::Patch);
        assert_eq!(r.wire_method(), "POST");
        let r = b.build(Method::Delete, "/client/sessions", &[], &[]);
        assert_eq!(
            r.url,
            "https://foo-bar-13.clerk.accounts.dev/v1/client/sessions?__clerk_api_version=2026-05-12&_method=DELETE&__clerk_db_jwt=dvb_2wBE"
        );
        assert_eq!(r.method(), Method::Delete);
        let r = b.build(Method::Put, "/client", &[], &[]);
        assert_eq!(r.query_param("_method").as_deref(), Some("PUT"));
        assert_eq!(r.method(), Method::Put);
    }

    #[test]
    fn session_param_rules() {
        let b = builder().with_session_id(Some("sess_1".into()));
        for (path, expected) in [
            ("/me", true),
            ("/me/metadata", true),
            ("/organizations/org_1/memberships", true),
            ("/environment", true),
            ("/client", false),
            ("/client/sessions/sess_1/tokens", false),
            ("/v1/client/sessions/sess_1/touch", false),
            ("/waitlist", false),
        ] {
            let r = b.build(Method::Get, path, &[], &[]);
            assert_eq!(
                r.query_param(SESSION_ID_PARAM).is_some(),
                expected,
                "{path}"
            );
        }
        let r = builder().with_session_id(None).get("/me");
        assert_eq!(r.query_param(SESSION_ID_PARAM), None);
        let r = builder().with_session_id(Some(String::new())).get("/me");
        assert_eq!(r.query_param(SESSION_ID_PARAM), None);
    }

    #[test]
    fn token_request_body_and_extra_query() {
        let b = builder().with_dev_browser(Some("dvb_x".into()));
        let r = b.build(
            Method::Post,
            "/client/sessions/sess_1/tokens",
            &[("debug", "skip_cache")],
            &[("organization_id", ""), ("tab_state", "focused")],
        );
        assert_eq!(
            r.url,
            "https://foo-bar-13.clerk.accounts.dev/v1/client/sessions/sess_1/tokens?debug=skip_cache&__clerk_api_version=2026-05-12&__clerk_db_jwt=dvb_x"
        );
        assert_eq!(
            r.body.as_deref(),
            Some("organization_id=&tab_state=focused")
        );
        assert_eq!(r.form_param("organization_id").as_deref(), Some(""));
        assert_eq!(r.form_param("tab_state").as_deref(), Some("focused"));
    }

    #[test]
    fn special_characters_are_encoded() {
        let r = builder().post(
            "/client/sign_ins",
            &[
                ("identifier", "ada+test@example.com"),
                ("password", "p&ss=w rd/ü?#"),
                ("strategy", "password"),
            ],
        );
        assert_eq!(
            r.body.as_deref(),
            Some("identifier=ada%2Btest%40example.com&password=p%26ss%3Dw+rd%2F%C3%BC%3F%23&strategy=password")
        );
        assert_eq!(r.form_param("password").as_deref(), Some("p&ss=w rd/ü?#"));
        let r = builder().with_dev_browser(Some("dvb a&b".into())).build(
            Method::Get,
            "/client/touch",
            &[("redirect_url", "http://x.test/a?b=c&d")],
            &[],
        );
        assert_eq!(
            r.url,
            "https://foo-bar-13.clerk.accounts.dev/v1/client/touch?redirect_url=http%3A%2F%2Fx.test%2Fa%3Fb%3Dc%26d&__clerk_api_version=2026-05-12&__clerk_db_jwt=dvb+a%26b"
        );
        assert_eq!(r.query_param("__clerk_db_jwt").as_deref(), Some("dvb a&b"));
    }

    #[test]
    fn get_form_goes_to_query() {
        let r = builder().build(Method::Get, "/me", &[("a", "1")], &[("b", "2")]);
        assert_eq!(
            r.url,
            "https://foo-bar-13.clerk.accounts.dev/v1/me?a=1&b=2&__clerk_api_version=2026-05-12"
        );
        assert_eq!(r.body, None);
    }

    #[test]
    fn proxy_endpoint_and_api_version_override() {
        let b = FapiRequestBuilder::new(
            FapiEndpoint::from_proxy_url("http://127.0.0.1:7450/__clerk/").unwrap(),
        )
        .with_api_version("2026-08-20");
        assert_eq!(b.api_version(), "2026-08-20");
        assert_eq!(
            b.get("client").url,
            "http://127.0.0.1:7450/__clerk/v1/client?__clerk_api_version=2026-08-20"
        );
    }

    #[test]
    fn retry_attempt() {
        let r = builder()
            .with_dev_browser(Some("dvb_1".into()))
            .get("/client");
        let r1 = r.with_retry_attempt(1);
        assert!(
            r1.url
                .ends_with("&__clerk_db_jwt=dvb_1&_clerk_retry_attempt=1"),
            "{}",
            r1.url
        );
        let r2 = r1.with_retry_attempt(2);
        assert!(
            r2.url
                .ends_with("&__clerk_db_jwt=dvb_1&_clerk_retry_attempt=2"),
            "{}",
            r2.url
        );
        assert_eq!(r2.url.matches(RETRY_ATTEMPT_PARAM).count(), 1);
    }

    #[test]
    fn debug_output_has_no_secrets() {
        let b = builder().with_dev_browser(Some("dvb_secret".into()));
        let r = b.post("/client/sign_ins", &[("password", "hunter2")]);
        let dbg = format!("{r:?} {b:?}");
        assert!(
            !dbg.contains("dvb_secret") && !dbg.contains("hunter2"),
            "{dbg}"
        );
        assert_eq!(
            r.url_without_query(),
            "https://foo-bar-13.clerk.accounts.dev/v1/client/sign_ins"
        );
    }

    #[test]
    fn path_segments() {
        assert_eq!(encode_path_segment("supabase"), "supabase");
        assert_eq!(encode_path_segment("a b/c?d"), "a%20b%2Fc%3Fd");
        assert_eq!(encode_path_segment("é"), "%C3%A9");
    }

    #[test]
    fn method_names() {
        for m in [
            Method::Get,
            Method::Post,
            Method::Patch,
            Method::Put,
            Method::Delete,
        ] {
            assert_eq!(Method::parse(m.as_str()), Some(m));
            assert_eq!(Method::parse(&m.as_str().to_lowercase()), Some(m));
        }
        assert_eq!(Method::parse("HEAD"), None);
    }

    // --- responses ---

    const URL: &str = "https://x.test/v1/client?__clerk_db_jwt=dvb_secret";

    #[test]
    fn envelope_with_response_and_client() {
        let body = r#"{"response":{"id":"sess_1","status":"active","object":"session"},"client":{"id":"client_1","sessions":[],"object":"client"}}"#;
        let env: ClientEnvelope<Session> = parse_envelope(200, body, URL, None).unwrap();
        assert_eq!(env.response.unwrap().id, "sess_1");
        assert_eq!(env.client.unwrap().id, "client_1");
    }

    #[test]
    fn envelope_client_from_meta() {
        let body = r#"{"response":{"id":"sess_1","status":"active"},"client":null,"meta":{"client":{"id":"client_2"}}}"#;
        let env: ClientEnvelope<Session> = parse_envelope(200, body, URL, None).unwrap();
        assert_eq!(env.client.unwrap().id, "client_2");
        let body =
            r#"{"response":null,"client":{"id":"client_1"},"meta":{"client":{"id":"client_2"}}}"#;
        let env: ClientEnvelope<Session> = parse_envelope(200, body, URL, None).unwrap();
        assert_eq!(env.client.unwrap().id, "client_1");
    }

    #[test]
    fn envelope_null_and_empty() {
        let env: ClientEnvelope<Client> =
            parse_envelope(200, r#"{"response":null,"client":null}"#, URL, None).unwrap();
        assert_eq!((env.response, env.client), (None, None));
        let env: ClientEnvelope<Client> = parse_envelope(204, "", URL, None).unwrap();
        assert_eq!((env.response, env.client), (None, None));
        let env: ClientEnvelope<Client> = parse_envelope(200, " ", URL, None).unwrap();
        assert!(env.response.is_none());
    }

    #[test]
    fn envelope_reads_bare_resources() {
        let env: ClientEnvelope<Client> =
            parse_envelope(200, r#"{"object":"client","id":"client_1"}"#, URL, None).unwrap();
        assert_eq!(env.response.unwrap().id, "client_1");
    }

    #[test]
    fn malformed_2xx_bodies() {
        for body in [
            "<html>oops</html>",
            "[1,2]",
            r#"{"response":{"status":"active"}}"#,
            r#"{"response":"#,
        ] {
            match parse_envelope::<Session>(200, body, URL, None) {
                Err(ClerkError::MalformedResponse { url, message }) => {
                    assert_eq!(url, "https://x.test/v1/client");
                    assert!(!message.contains("dvb_secret"));
                }
                other => panic!("{body}: {other:?}"),
            }
        }
        match parse_plain::<Token>(200, r#"{"jwt": 5}"#, URL, None) {
            Err(ClerkError::MalformedResponse { .. }) => {}
            other => panic!("{other:?}"),
        }
        match parse_plain::<Token>(200, "", URL, None) {
            Err(ClerkError::MalformedResponse { message, .. }) => assert_eq!(message, "empty body"),
            other => panic!("{other:?}"),
        }
        // Values copied from the body are not echoed.
        match parse_plain::<Token>(200, r#"{"jwt": {"secret":"x"}}"#, URL, None) {
            Err(ClerkError::MalformedResponse { message, .. }) => {
                assert!(!message.contains("secret"))
            }
            other => panic!("{other:?}"),
        }
        match parse_plain::<Token>(200, r#"{"jwt": 5, "x": "hunter2"}"#, URL, None) {
            Err(ClerkError::MalformedResponse { message, .. }) => {
                assert_eq!(message, "`jwt`: expected a string, got a number")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn plain_responses() {
        let t: Token = parse_plain(200, r#"{"object":"token","jwt":"a.b.c"}"#, URL, None).unwrap();
        assert_eq!(t.jwt, "a.b.c");
        let e: Environment = parse_plain(
            200,
            r#"{"auth_config":{"single_session_mode":true}}"#,
            URL,
            None,
        )
        .unwrap();
        assert!(e.auth_config.single_session_mode);
        let none: Option<Token> = parse_plain(204, "", URL, None).unwrap();
        assert!(none.is_none());
    }

    #[test]
    fn error_envelopes() {
        let body = r#"{"errors":[{"code":"signed_out","message":"Signed out","long_message":"You are signed out","meta":{}}],"clerk_trace_id":"trace_1"}"#;
        let e = parse_envelope::<Session>(401, body, URL, None).unwrap_err();
        assert_eq!(e.status(), Some(401));
        assert_eq!(e.code(), Some("signed_out"));
        assert!(e.is_unauthenticated());
        match &e {
            ClerkError::Api {
                trace_id,
                retry_after,
                ..
            } => {
                assert_eq!(trace_id.as_deref(), Some("trace_1"));
                assert_eq!(*retry_after, None);
            }
            other => panic!("{other:?}"),
        }
        assert!(e.to_string().contains("You are signed out"));
        let e = parse_plain::<Token>(
            429,
            r#"{"errors":[{"code":"rate_limit_exceeded","message":"Too many requests"}]}"#,
            URL,
            Some("7"),
        )
        .unwrap_err();
        assert!(e.is_retryable());
        assert!(!e.is_unauthenticated());
        match e {
            ClerkError::Api { retry_after, .. } => assert_eq!(retry_after, Some(7)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn non_json_error_bodies() {
        for body in ["", "<html>502 Bad Gateway</html>", "{\"errors\":5}"] {
            match parse_error(502, body, None) {
                ClerkError::Api {
                    status,
                    errors,
                    trace_id,
                    ..
                } => {
                    assert_eq!(status, 502);
                    assert!(errors.is_empty());
                    assert_eq!(trace_id, None);
                }
                other => panic!("{other:?}"),
            }
        }
        assert!(parse_error(502, "", None).to_string().contains("502"));
    }

    #[test]
    fn retry_after_values() {
        assert_eq!(parse_retry_after(Some("120")), Some(120));
        assert_eq!(parse_retry_after(Some(" 3 ")), Some(3));
        assert_eq!(
            parse_retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")),
            None
        );
        assert_eq!(parse_retry_after(Some("-1")), None);
        assert_eq!(parse_retry_after(None), None);
        assert_eq!(parse_retry_after(Some("99999999999")), Some(u32::MAX));
    }

    #[test]
    fn client_on_error() {
        let body = r#"{"errors":[{"code":"form_password_incorrect","message":"x"}],"meta":{"client":{"id":"client_9"}}}"#;
        assert_eq!(client_from_error_body(body).unwrap().id, "client_9");
        assert!(client_from_error_body(r#"{"errors":[]}"#).is_none());
        assert!(client_from_error_body("nope").is_none());
    }

    #[test]
    fn drift_is_collected_through_the_response_parsers() {
        let body = r#"{"response":{"id":"sess_1","status":"active","expire_at":"x"},
            "client":{"id":"client_1","sessions":[],"updated_at":{}}}"#;
        let (env, drift) = crate::json::collect_drift(|| {
            parse_envelope::<Session>(200, body, "https://x/v1/client?_clerk_js_version=1", None)
        });
        let env = env.unwrap();
        assert_eq!(env.response.unwrap().id, "sess_1");
        assert_eq!(env.client.unwrap().id, "client_1");
        assert_eq!(drift.total(), 2);
        let (env, drift) = crate::json::collect_drift(|| {
            parse_plain::<Environment>(
                200,
                r#"{"auth_config":[]}"#,
                "https://x/v1/environment",
                None,
            )
        });
        assert!(env.is_ok());
        assert_eq!(
            drift.iter().next().unwrap().to_string(),
            "`auth_config`: expected an object, got an array"
        );
        // The resource itself must still read.
        assert!(parse_envelope::<Session>(200, r#"{"response":{"id":"s"}}"#, "u", None).is_err());
    }

    #[test]
    fn strip_query_variants() {
        assert_eq!(
            strip_query("https://a.test/v1/x?y=1#z"),
            "https://a.test/v1/x"
        );
        assert_eq!(strip_query("https://a.test/v1/x#z"), "https://a.test/v1/x");
        assert_eq!(strip_query("https://a.test/v1/x"), "https://a.test/v1/x");
    }
}

/// Property tests (`cargo test prop_`): arbitrary request inputs and response bodies.
#[cfg(test)]
mod props {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::json::props::arb_value;
    use crate::key::{build_publishable_key, InstanceType, PublishableKey};
    use crate::models::{DevBrowser, Environment, Session, Token};
    use crate::test_support::{within, CASE_LIMIT};
    use proptest::prelude::*;

    /// A value that must never show up in an error or a Debug output.
    const SECRET: &str = "SECRETvalue0123";

    fn arb_method() -> impl Strategy<Value = Method> {
        prop_oneof![
            Just(Method::Get),
            Just(Method::Post),
            Just(Method::Patch),
            Just(Method::Put),
            Just(Method::Delete),
        ]
    }

    /// Bodies: arbitrary text, arbitrary JSON, and envelopes with hostile parts and a secret
    /// in their values.
    fn arb_body() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            arb_value().prop_map(|v| v.to_string()),
            (arb_value(), arb_value(), arb_value()).prop_map(|(response, client, errors)| {
                format!(
                    r#"{{"response":{response},"client":{client},"errors":{errors},"meta":{{"client":{{"id":"{SECRET}","sessions":[{{"id":"s","status":"{SECRET}","x":{response}}}]}}}},"jwt":"{SECRET}"}}"#
                )
            }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn prop_builder_never_panics_and_never_logs_ids(
            method in arb_method(),
            path in any::<String>(),
            query in proptest::collection::vec((any::<String>(), any::<String>()), 0..4),
            form in proptest::collection::vec((any::<String>(), any::<String>()), 0..4),
            session in proptest::option::of(any::<String>()),
            attempt in any::<u32>(),
            segment in any::<String>(),
        ) {
            within(CASE_LIMIT, move || {
                let key = PublishableKey::parse(&build_publishable_key("a.clerk.accounts.dev", InstanceType::Development)).unwrap();
                let builder = FapiRequestBuilder::new(FapiEndpoint::from_key(&key))
                    .with_dev_browser(Some(SECRET.to_string()))
                    .with_session_id(session);
                let query: Vec<(&str, &str)> = query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                let request = builder.build(method, &path, &query, &form);
                assert_eq!(request.query_param(DEV_BROWSER_PARAM).as_deref(), Some(SECRET));
                assert!(!format!("{request:?}").contains(SECRET));
                assert!(!request.url_without_query().contains(SECRET) || path.contains(SECRET));
                let retried = request.with_retry_attempt(attempt);
                assert_eq!(retried.query_param(RETRY_ATTEMPT_PARAM), Some(attempt.to_string()));
                let _ = (request.method(), request.wire_method(), request.form_param("a"));
                let encoded = encode_path_segment(&segment);
                assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~%".contains(&b)));
            });
        }

        #[test]
        fn prop_response_parsers_never_panic_or_quote_the_body(
            status in prop_oneof![200u16..=204, 400u16..=599, any::<u16>()],
            body in arb_body(),
            retry_after in proptest::option::of(any::<String>()),
        ) {
            within(CASE_LIMIT, move || {
                let url = format!("https://x/v1/client?__clerk_db_jwt={SECRET}");
                let ra = retry_after.as_deref();
                let errors = [
                    parse_envelope::<Client>(status, &body, &url, ra).err(),
                    parse_envelope::<Session>(status, &body, &url, ra).err(),
                    parse_plain::<Environment>(status, &body, &url, ra).err(),
                    parse_plain::<Token>(status, &body, &url, ra).err(),
                    parse_plain::<DevBrowser>(status, &body, &url, ra).err(),
                    parse_plain::<Option<Token>>(status, &body, &url, ra).err(),
                    Some(parse_error(status, &body, ra)),
                ];
                for e in errors.into_iter().flatten() {
                    let text = e.to_string();
                    // API errors may show the server's own message fields; nothing else may
                    // quote the body or the URL's query.
                    if !matches!(e, ClerkError::Api { .. }) {
                        assert!(!text.contains(SECRET), "{text}");
                    }
                }
                let _ = client_from_error_body(&body);
                let _ = parse_retry_after(ra);
                let _ = strip_query(&body);
                let ((), drift) = crate::json::collect_drift(|| {
                    let _ = parse_envelope::<Client>(status, &body, &url, ra);
                });
                assert!(drift.iter().count() <= drift.total().min(crate::json::MAX_DRIFT_ENTRIES));
                assert!(!drift.to_string().contains(SECRET));
            });
        }
    }
}
