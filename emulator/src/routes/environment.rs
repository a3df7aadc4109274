//! `GET /v1/environment` and `PATCH /v1/environment` (clerk-js "touches" it in development).

use crate::http::Reply;
use crate::models::environment_json;
use crate::routes::Ctx;
use crate::state::Store;

/// The environment, top level (not wrapped), never cached.
pub fn get(ctx: &Ctx<'_>, store: &Store) -> Reply {
    Reply::json(environment_json(ctx.app, store)).with_header("cache-control", "no-store")
}
