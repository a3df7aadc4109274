//! Building FAPI requests: URL, query parameters and form bodies exactly as clerk-js sends
//! them (only GET/POST on the wire, `_method` for the rest, no custom headers).

/// The logical HTTP method of a FAPI call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
            .field("post", &self.post)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}
