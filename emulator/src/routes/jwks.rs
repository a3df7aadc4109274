//! `GET /.well-known/jwks.json`.

use crate::http::Reply;
use crate::state::App;

/// The instance's public signing key.
pub fn get(app: &App) -> Reply {
    Reply::json(app.keys.jwks()).with_header("cache-control", "public, max-age=60")
}
