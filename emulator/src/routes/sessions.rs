//! `/v1/client/sessions…`: read, touch, end, remove, sign out all, tokens.

use serde_json::json;

use crate::errors::ApiError;
use crate::http::{Reply, RouteResult};
use crate::models::session_json;
use crate::routes::Ctx;
use crate::state::{now_ms, Session, SessionStatus, Store};
use crate::tokens::{session_token, template_token, TokenRequest};

/// The session `id` if it belongs to the caller's client (else 404, like an unknown id).
fn own_session<'s>(ctx: &Ctx<'_>, store: &'s Store, id: &str) -> Result<&'s Session, ApiError> {
    store
        .sessions
        .get(id)
        .filter(|s| ctx.client_id.as_deref() == Some(s.client_id.as_str()))
        .ok_or_else(|| ApiError::resource_not_found("Session"))
}

/// Resolves an `organization_id`/`active_organization_id` form value:
/// absent → `current`; empty → personal account; an id → must be a membership.
fn resolve_org(
    store: &Store,
    user_id: &str,
    value: Option<&str>,
    current: Option<&str>,
) -> Result<Option<String>, ApiError> {
    match value {
        None => Ok(current.map(str::to_string)),
        Some(v) if v.trim().is_empty() => Ok(None),
        Some(v) => {
            if store.membership(user_id, v).is_some() && store.org(v).is_some() {
                Ok(Some(v.to_string()))
            } else {
                Err(ApiError::not_a_member_in_organization())
            }
        }
    }
}

/// The caller's own session `id`, which must be signed in (active or pending; else 401
/// `signed_out`), and the organization the form field `org_field` selects (see [`resolve_org`]).
fn signed_in_session_with_org<'s>(
    ctx: &Ctx<'_>,
    store: &'s Store,
    id: &str,
    org_field: &str,
) -> Result<(&'s Session, Option<String>), ApiError> {
    let s = own_session(ctx, store, id)?;
    if !s.status.is_signed_in() {
        return Err(ApiError::signed_out());
    }
    let org = resolve_org(
        store,
        &s.user_id,
        ctx.req.f(org_field),
        s.active_org_id.as_deref(),
    )?;
    Ok((s, org))
}

fn wrapped_session(ctx: &Ctx<'_>, store: &Store, id: &str) -> RouteResult {
    let s = own_session(ctx, store, id)?;
    let body = session_json(ctx.app, store, s, ctx.origin());
    Ok(ctx.wrap(store, body))
}

/// `GET /v1/client/sessions/{id}`.
pub fn get(ctx: &Ctx<'_>, store: &Store, id: &str) -> RouteResult {
    wrapped_session(ctx, store, id)
}

/// `POST …/touch` (`active_organization_id`, `intent`): marks the session active
/// now, selects it as the client's last active session and sets the active org.
/// Selecting an organization completes a pending session's `choose-organization` task.
pub fn touch(ctx: &mut Ctx<'_>, store: &mut Store, id: &str) -> RouteResult {
    let (s, org) = signed_in_session_with_org(ctx, store, id, "active_organization_id")?;
    let now = now_ms();
    let client_id = s.client_id.clone();
    if let Some(s) = store.sessions.get_mut(id) {
        if s.status == SessionStatus::Pending && org.is_some() {
            s.status = SessionStatus::Active;
        }
        s.active_org_id = org;
        s.last_active_at = now;
        s.updated_at = now.max(s.updated_at + 1);
    }
    if let Some(c) = store.clients.get_mut(&client_id) {
        c.last_active_session_id = Some(id.to_string());
    }
    store.touch_client(&client_id);
    wrapped_session(ctx, store, id)
}

fn change_status(
    ctx: &mut Ctx<'_>,
    store: &mut Store,
    id: &str,
    status: SessionStatus,
) -> RouteResult {
    let s = own_session(ctx, store, id)?;
    if s.status.is_signed_in() {
        store.set_session_status(id, status);
    }
    wrapped_session(ctx, store, id)
}

/// `POST …/end`: status `ended`.
pub fn end(ctx: &mut Ctx<'_>, store: &mut Store, id: &str) -> RouteResult {
    change_status(ctx, store, id, SessionStatus::Ended)
}

/// `POST …/remove`: status `removed` (multi-session sign-out of one session).
pub fn remove(ctx: &mut Ctx<'_>, store: &mut Store, id: &str) -> RouteResult {
    change_status(ctx, store, id, SessionStatus::Removed)
}

/// `DELETE /v1/client/sessions`: sign out of every session, keep the client.
/// Response `{"response": Client (no sessions, last_active_session_id null), "client": null}`.
pub fn remove_all(ctx: &mut Ctx<'_>, store: &mut Store) -> RouteResult {
    let Some(client_id) = ctx.client_id.clone() else {
        return Err(ApiError::resource_not_found("Client"));
    };
    store.set_signed_in_sessions_status(&client_id, SessionStatus::Removed);
    store.touch_client(&client_id);
    Ok(Reply::json(
        json!({"response": ctx.client_json(store), "client": null}),
    ))
}

/// `POST …/tokens` and `…/tokens/{template}` → bare `{"object":"token","jwt":…}`.
/// Unknown session → 404; inactive session → 401 `signed_out`; unknown
/// template → 404; `organization_id` of an org the user is not in → 403.
pub fn token(ctx: &Ctx<'_>, store: &Store, id: &str, template: Option<&str>) -> RouteResult {
    let (s, org) = signed_in_session_with_org(ctx, store, id, "organization_id")?;
    let app = ctx.app;
    // Session minter: the previous token (`token`) is re-minted "at the edge" unless
    // `force_origin=true`; without the minter both fields are accepted and ignored.
    let edge_oiat = if store.session_minter && ctx.req.f("force_origin") != Some("true") {
        ctx.req
            .f("token")
            .and_then(|t| app.keys.edge_oiat(t, &s.id))
    } else {
        None
    };
    let req = TokenRequest {
        session: s,
        org_id: org.as_deref(),
        origin: ctx.origin(),
        now_secs: now_ms() / 1000,
        edge_oiat,
    };
    let jwt = match template {
        None => session_token(&app.instance, &app.keys, store, &req)?,
        Some(name) => {
            let t = app
                .instance
                .templates
                .iter()
                .find(|t| t.name == name)
                .ok_or_else(|| ApiError::resource_not_found("JWT template"))?;
            let lifetime = t.lifetime_secs.unwrap_or(store.token_lifetime_secs);
            template_token(&app.instance, &app.keys, store, &req, name, lifetime)?
        }
    };
    Ok(Reply::json(json!({"object": "token", "jwt": jwt})))
}
