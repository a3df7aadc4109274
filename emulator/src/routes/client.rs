//! `/v1/client`: read, create, destroy.

use serde_json::json;

use crate::errors::ApiError;
use crate::http::{Reply, RouteResult};
use crate::routes::Ctx;
use crate::state::{SessionStatus, Store};

/// `GET /v1/client` → `{"response": Client|null, "client": null}`.
pub fn get(ctx: &Ctx<'_>, store: &Store) -> Reply {
    Reply::json(json!({"response": ctx.client_json(store), "client": null}))
}

/// `PUT|POST /v1/client`: a brand-new client replaces the caller's.
pub fn create(ctx: &mut Ctx<'_>, store: &mut Store) -> Reply {
    ctx.client_id = None;
    ctx.ensure_client(store);
    Reply::json(json!({"response": ctx.client_json(store), "client": null}))
}

/// `DELETE /v1/client`: ends every session and forgets the client (the dev
/// browser is unlinked, the `__client` cookie cleared). The response is the
/// client as it was left (`Client.DeleteSession`).
pub fn destroy(ctx: &mut Ctx<'_>, store: &mut Store) -> RouteResult {
    let Some(id) = ctx.client_id.clone() else {
        return Err(ApiError::resource_not_found("Client"));
    };
    store.set_signed_in_sessions_status(&id, SessionStatus::Ended);
    let body = ctx.client_json(store);
    store.clients.remove(&id);
    for dvb in store
        .dev_browsers
        .values_mut()
        .filter(|d| d.client_id.as_deref() == Some(&id))
    {
        dvb.client_id = None;
    }
    ctx.client_id = None;
    ctx.client_destroyed = true;
    Ok(Reply::json(json!({"response": body, "client": null})))
}
