//! Calls to the demo API (`demo-api/`), same origin through trunk's proxy.

use gloo_net::http::Request;
use serde::Deserialize;

/// `GET /api/config`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DemoConfig {
    /// The instance's publishable key.
    pub publishable_key: String,
    /// Frontend API base override (the emulator's URL), if any.
    pub proxy_url: Option<String>,
}

/// Fetches the demo configuration.
pub async fn fetch_config() -> Result<DemoConfig, String> {
    let res = Request::get("/api/config")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !res.ok() {
        return Err(format!("HTTP {}", res.status()));
    }
    let config: DemoConfig = res.json().await.map_err(|e| e.to_string())?;
    if config.publishable_key.is_empty() {
        return Err("the demo API has no publishable key".into());
    }
    Ok(config)
}

/// What a protected endpoint (`GET /api/me`, `GET /api/user`) answered.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiAnswer {
    /// HTTP status.
    pub status: u16,
    /// The body, pretty-printed when it is JSON.
    pub body: String,
}

/// `GET <path>` of the demo API with `Authorization: Bearer <token>` (no header when `token`
/// is `None`): `/api/me` (`auth()`) or `/api/user` (`currentUser()`).
pub async fn call_protected(path: &str, token: Option<String>) -> Result<ApiAnswer, String> {
    let mut req = Request::get(path);
    if let Some(token) = token {
        req = req.header("Authorization", &format!("Bearer {token}"));
    }
    let res = req.send().await.map_err(|e| e.to_string())?;
    let status = res.status();
    let text = res.text().await.map_err(|e| e.to_string())?;
    let body = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or(text);
    Ok(ApiAnswer { status, body })
}
