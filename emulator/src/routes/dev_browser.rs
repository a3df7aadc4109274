//! `POST /v1/dev_browser`: creates the development browser identity.

use serde_json::json;

use crate::config::InstanceType;
use crate::errors::ApiError;
use crate::http::{Reply, Req, RouteResult};
use crate::state::{new_id, now_ms, App, DevBrowser};

/// Creates a dev browser. clerk-js stores the `id` and sends it as
/// `__clerk_db_jwt` on every request; `token` is what older clerk-js stored, so
/// it is accepted too (see [`resolve_token`]).
pub fn create(app: &App, _req: &Req) -> RouteResult {
    if app.instance.kind == InstanceType::Production {
        // Production instances have no dev browsers. Code not confirmed.
        return Err(ApiError::new(
            400,
            "dev_browser_unsupported",
            "Not a development instance",
            "Dev browsers are only available for development instances.",
        ));
    }
    let now = now_ms();
    let id = new_id("dvb");
    let token = app.keys.sign(&json!({"dev": id, "iat": now / 1000}))?;
    app.store().dev_browsers.insert(
        id.clone(),
        DevBrowser {
            id: id.clone(),
            client_id: None,
            created_at: now,
            updated_at: now,
        },
    );
    Ok(Reply::json(json!({
        "id": id,
        "instance_id": app.instance.id,
        "token": token,
        "client_id": null,
        "created_at": now,
        "updated_at": now,
        "home_origin": null,
    })))
}

/// Maps a dev browser `token` (a JWT with a `dev` claim) back to its id.
pub fn resolve_token(value: &str) -> Option<String> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let payload = value.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    v.get("dev")?.as_str().map(str::to_string)
}
