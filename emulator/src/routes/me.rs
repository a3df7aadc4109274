//! `GET /v1/me`: the signed-in user.

use crate::errors::ApiError;
use crate::http::RouteResult;
use crate::models::user_json;
use crate::routes::Ctx;
use crate::state::Store;

/// The user of `_clerk_session_id` (or of the last active session), wrapped with the client.
pub fn get(ctx: &Ctx<'_>, store: &Store) -> RouteResult {
    let client = ctx
        .client_id
        .as_ref()
        .and_then(|id| store.clients.get(id))
        .ok_or_else(ApiError::signed_out)?;
    let sid = ctx
        .req
        .q("_clerk_session_id")
        .map(str::to_string)
        .or_else(|| client.last_active_session_id.clone());
    let session = sid
        .and_then(|sid| store.sessions.get(&sid))
        .filter(|s| s.client_id == client.id && s.status.is_signed_in())
        .ok_or_else(ApiError::signed_out)?;
    let user = store
        .user(&session.user_id)
        .ok_or_else(|| ApiError::resource_not_found("User"))?;
    Ok(ctx.wrap(store, user_json(store, user)))
}
