//! A small Backend API client (`CLERK_SECRET_KEY`, Clerk's `apiUrl`): users get/list,
//! sessions get/revoke, organizations get. Every request has a timeout; errors are typed and
//! carry Clerk's error codes (`resource_not_found`, `authentication_invalid`, ...).

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::jwks::describe;

/// One entry of a Backend API error body (`{"errors": [{"code", "message", "long_message"}]}`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct ApiErrorItem {
    /// Clerk's machine-readable code, e.g. `resource_not_found`.
    pub code: String,
    /// Short message.
    #[serde(default)]
    pub message: String,
    /// Longer explanation.
    #[serde(default)]
    pub long_message: Option<String>,
}

/// A failed Backend API call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BackendError {
    /// Clerk answered with an error status (and usually Clerk's error list).
    #[error("Backend API answered HTTP {status}{}", .errors.first().map(|e| format!(": {} ({})", e.code, e.message)).unwrap_or_default())]
    Api {
        /// HTTP status.
        status: u16,
        /// Clerk's errors (`code` tells what happened).
        errors: Vec<ApiErrorItem>,
        /// `clerk_trace_id`, for Clerk support.
        trace_id: Option<String>,
    },
    /// The request timed out.
    #[error("Backend API request timed out")]
    Timeout,
    /// Connection or transport failure.
    #[error("Backend API unreachable: {0}")]
    Network(String),
    /// A 2xx body that is not what the API documents.
    #[error("unexpected Backend API response: {0}")]
    Decode(String),
    /// No secret key is configured.
    #[error("no Backend API client: set CLERK_SECRET_KEY")]
    NotConfigured,
}

impl BackendError {
    /// The first Clerk error code, if any.
    pub fn code(&self) -> Option<&str> {
        match self {
            BackendError::Api { errors, .. } => errors.first().map(|e| e.code.as_str()),
            _ => None,
        }
    }

    /// True for 404 / `resource_not_found`.
    pub fn is_not_found(&self) -> bool {
        matches!(self, BackendError::Api { status: 404, .. })
            || self.code() == Some("resource_not_found")
    }

    /// True when Clerk is unreachable or failing (timeout, network, 5xx, 429): worth a retry
    /// later; a server answers 503.
    pub fn is_outage(&self) -> bool {
        match self {
            BackendError::Timeout | BackendError::Network(_) => true,
            BackendError::Api { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }
}

/// An email address of a user.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct EmailAddress {
    /// `idn_...`
    pub id: String,
    /// The address.
    pub email_address: String,
}

/// A Backend API user (the fields apps read most; the full object is in `raw`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct User {
    /// `user_...`
    pub id: String,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Username.
    #[serde(default)]
    pub username: Option<String>,
    /// Avatar URL.
    #[serde(default)]
    pub image_url: Option<String>,
    /// Which of `email_addresses` is primary.
    #[serde(default)]
    pub primary_email_address_id: Option<String>,
    /// Email addresses.
    #[serde(default)]
    pub email_addresses: Vec<EmailAddress>,
    /// Public metadata.
    #[serde(default)]
    pub public_metadata: serde_json::Value,
    /// Private metadata (Backend API only).
    #[serde(default)]
    pub private_metadata: serde_json::Value,
    /// Unix ms.
    #[serde(default)]
    pub created_at: Option<i64>,
    /// Unix ms.
    #[serde(default)]
    pub last_sign_in_at: Option<i64>,
}

impl User {
    /// The primary email address, when any.
    pub fn primary_email_address(&self) -> Option<&str> {
        let primary = self.primary_email_address_id.as_deref()?;
        self.email_addresses
            .iter()
            .find(|e| e.id == primary)
            .map(|e| e.email_address.as_str())
    }

    /// `first last`, trimmed; `None` when both are empty (core's
    /// [`full_name`](yew_clerk_core::models::full_name), the browser's rule too).
    pub fn full_name(&self) -> Option<String> {
        yew_clerk_core::models::full_name(self.first_name.as_deref(), self.last_name.as_deref())
    }
}

/// A Backend API session.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Session {
    /// `sess_...`
    pub id: String,
    /// Owner.
    pub user_id: String,
    /// `client_...`
    #[serde(default)]
    pub client_id: Option<String>,
    /// `active`, `revoked`, `ended`, `expired`, `removed`, `abandoned`, `pending`.
    pub status: String,
    /// Active organization.
    #[serde(default)]
    pub last_active_organization_id: Option<String>,
    /// Unix ms.
    #[serde(default)]
    pub expire_at: Option<i64>,
}

/// A Backend API organization.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Organization {
    /// `org_...`
    pub id: String,
    /// Name.
    pub name: String,
    /// Slug.
    #[serde(default)]
    pub slug: Option<String>,
    /// Logo URL.
    #[serde(default)]
    pub image_url: Option<String>,
    /// Members.
    #[serde(default)]
    pub members_count: Option<u64>,
    /// Public metadata.
    #[serde(default)]
    pub public_metadata: serde_json::Value,
}

/// Filters of `GET /v1/users`.
#[derive(Debug, Clone, Default)]
pub struct UserListParams {
    /// Only these email addresses.
    pub email_address: Vec<String>,
    /// Only these user ids.
    pub user_id: Vec<String>,
    /// Free-text search.
    pub query: Option<String>,
    /// Page size (Clerk: 1..=500, default 10).
    pub limit: Option<u32>,
    /// Skip this many.
    pub offset: Option<u32>,
}

/// The Backend API client.
#[derive(Clone)]
pub struct BackendApi {
    http: reqwest::Client,
    base: String,
    secret_key: String,
    timeout: Duration,
}

impl std::fmt::Debug for BackendApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackendApi")
            .field("base", &self.base)
            .field("secret_key", &"<redacted>")
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Percent-encodes one path segment (ids are `[A-Za-z0-9_]`, but a slug or a forged id
/// must not change the path).
fn segment(id: &str) -> String {
    form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

impl BackendApi {
    /// A client for `<api_url>/v1` with `secret_key`.
    pub fn new(http: reqwest::Client, api_url: &str, secret_key: &str, timeout: Duration) -> Self {
        BackendApi {
            http,
            base: format!("{}/v1", api_url.trim_end_matches('/')),
            secret_key: secret_key.to_string(),
            timeout,
        }
    }

    async fn send<T: DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<T, BackendError> {
        let res = req
            .bearer_auth(&self.secret_key)
            .timeout(self.timeout)
            .header(http::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|e| {
                if e.is_timeout() {
                    BackendError::Timeout
                } else {
                    BackendError::Network(describe(&e))
                }
            })?;
        let status = res.status().as_u16();
        let text = res.text().await.map_err(|e| {
            if e.is_timeout() {
                BackendError::Timeout
            } else {
                BackendError::Network(describe(&e))
            }
        })?;
        if !(200..300).contains(&status) {
            #[derive(Deserialize)]
            struct ErrorBody {
                #[serde(default)]
                errors: Vec<ApiErrorItem>,
                #[serde(default)]
                clerk_trace_id: Option<String>,
            }
            let body: Option<ErrorBody> = serde_json::from_str(&text).ok();
            let (errors, trace_id) = body
                .map(|b| (b.errors, b.clerk_trace_id))
                .unwrap_or_default();
            return Err(BackendError::Api {
                status,
                errors,
                trace_id,
            });
        }
        serde_json::from_str(&text).map_err(|e| BackendError::Decode(e.to_string()))
    }

    /// `GET /v1/users/{id}`.
    pub async fn get_user(&self, user_id: &str) -> Result<User, BackendError> {
        let url = format!("{}/users/{}", self.base, segment(user_id));
        self.send(self.http.get(url)).await
    }

    /// `GET /v1/users` with filters.
    pub async fn list_users(&self, params: &UserListParams) -> Result<Vec<User>, BackendError> {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for e in &params.email_address {
            query.append_pair("email_address", e);
        }
        for u in &params.user_id {
            query.append_pair("user_id", u);
        }
        if let Some(q) = &params.query {
            query.append_pair("query", q);
        }
        if let Some(l) = params.limit {
            query.append_pair("limit", &l.to_string());
        }
        if let Some(o) = params.offset {
            query.append_pair("offset", &o.to_string());
        }
        let query = query.finish();
        let url = if query.is_empty() {
            format!("{}/users", self.base)
        } else {
            format!("{}/users?{query}", self.base)
        };
        self.send(self.http.get(url)).await
    }

    /// `GET /v1/sessions/{id}`.
    pub async fn get_session(&self, session_id: &str) -> Result<Session, BackendError> {
        let url = format!("{}/sessions/{}", self.base, segment(session_id));
        self.send(self.http.get(url)).await
    }

    /// `POST /v1/sessions/{id}/revoke`: signs the session out everywhere.
    pub async fn revoke_session(&self, session_id: &str) -> Result<Session, BackendError> {
        let url = format!("{}/sessions/{}/revoke", self.base, segment(session_id));
        self.send(self.http.post(url)).await
    }

    /// `GET /v1/organizations/{id or slug}`.
    pub async fn get_organization(&self, id_or_slug: &str) -> Result<Organization, BackendError> {
        let url = format!("{}/organizations/{}", self.base, segment(id_or_slug));
        self.send(self.http.get(url)).await
    }
}
