//! JSON builders for FAPI objects. Each object carries every property the
//! OpenAPI document (2026-05-12) marks as required, so the emulator's payloads
//! validate against `Client.Client-2`, `Client.Session-2`, `Client.User`, etc.

use serde_json::{json, Value};

use crate::config::InstanceType;
use crate::state::{
    App, Client, Membership, Session, SessionStatus, SignIn, SignUp, Store, User, Verification,
    CODE_MS,
};
use crate::tokens::{session_token, TokenRequest};

/// The session task of "force organization selection" (clerk-js `SessionTask.key`).
pub const CHOOSE_ORGANIZATION_TASK: &str = "choose-organization";

/// Clerk's default avatar host; the emulator never serves images.
const IMAGE_URL: &str = "https://img.clerk.com/eyJ0eXBlIjoiZGVmYXVsdCJ9";

fn verified_email(email_id: &str, user: &User) -> Value {
    json!({
        "id": email_id,
        "object": "email_address",
        "email_address": user.email,
        "reserved": false,
        "verification": {
            "object": "verification_otp",
            "status": "verified",
            "strategy": "email_code",
            "attempts": 1,
            "expire_at": user.created_at + CODE_MS,
        },
        "linked_to": [],
        "matches_sso_connection": false,
        "created_at": user.created_at,
        "updated_at": user.updated_at,
    })
}

/// `Client.Organization`.
pub fn organization_json(store: &Store, org_id: &str) -> Value {
    let Some(org) = store.org(org_id) else {
        return Value::Null;
    };
    let members = store
        .memberships
        .iter()
        .filter(|m| m.org_id == org.id)
        .count();
    json!({
        "id": org.id,
        "object": "organization",
        "name": org.name,
        "slug": org.slug,
        "image_url": IMAGE_URL,
        "has_image": false,
        "members_count": members,
        "pending_invitations_count": 0,
        "max_allowed_memberships": 5,
        "admin_delete_enabled": true,
        "public_metadata": org.public_metadata,
        "created_at": org.created_at,
        "updated_at": org.updated_at,
    })
}

fn role_name(role: &str) -> String {
    let key = role.strip_prefix("org:").unwrap_or(role);
    let mut chars = key.chars();
    match chars.next() {
        Some(f) => f.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// `Client.OrganizationMembership`.
pub fn membership_json(store: &Store, m: &Membership) -> Value {
    json!({
        "id": m.id,
        "object": "organization_membership",
        "public_metadata": {},
        "role": m.role,
        "role_name": role_name(&m.role),
        "permissions": m.permissions,
        "created_at": m.created_at,
        "updated_at": m.updated_at,
        "organization": organization_json(store, &m.org_id),
    })
}

/// `Client.User` (every required property present).
pub fn user_json(store: &Store, user: &User) -> Value {
    let memberships: Vec<Value> = store
        .memberships
        .iter()
        .filter(|m| m.user_id == user.id && store.org(&m.org_id).is_some())
        .map(|m| membership_json(store, m))
        .collect();
    json!({
        "id": user.id,
        "object": "user",
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "image_url": IMAGE_URL,
        "has_image": false,
        "primary_email_address_id": user.email_id,
        "primary_phone_number_id": null,
        "primary_web3_wallet_id": null,
        "password_enabled": user.password.is_some(),
        "two_factor_enabled": user.mfa.enabled(),
        "totp_enabled": user.mfa.totp_secret.is_some(),
        "backup_code_enabled": !user.mfa.backup_codes.is_empty(),
        "email_addresses": [verified_email(&user.email_id, user)],
        "phone_numbers": [],
        "web3_wallets": [],
        "passkeys": [],
        "organization_memberships": memberships,
        "external_accounts": [],
        "saml_accounts": [],
        "enterprise_accounts": [],
        "public_metadata": user.public_metadata,
        "unsafe_metadata": user.unsafe_metadata,
        "external_id": null,
        "last_sign_in_at": user.last_sign_in_at,
        "banned": false,
        "locked": false,
        "lockout_expires_in_seconds": null,
        "verification_attempts_remaining": 100,
        "created_at": user.created_at,
        "updated_at": user.updated_at,
        "delete_self_enabled": true,
        "create_organization_enabled": true,
        "last_active_at": user.last_sign_in_at,
        "mfa_enabled_at": null,
        "mfa_disabled_at": null,
        "legal_accepted_at": null,
    })
}

/// `Client.PublicUserData`.
pub fn public_user_data(user: &User) -> Value {
    json!({
        "first_name": user.first_name,
        "last_name": user.last_name,
        "image_url": IMAGE_URL,
        "has_image": false,
        "identifier": user.email,
        "user_id": user.id,
        "username": user.username,
    })
}

/// `Client.Session-2`. Signed-in (active or pending) sessions get a freshly minted
/// `last_active_token` (clerk-js seeds its token cache from it); others get `null`.
/// A pending session lists its task (`choose-organization`); others have `tasks: null`.
pub fn session_json(app: &App, store: &Store, s: &Session, origin: Option<&str>) -> Value {
    let user = store.user(&s.user_id);
    let token = if s.status.is_signed_in() {
        let req = TokenRequest {
            session: s,
            org_id: s.active_org_id.as_deref(),
            origin,
            now_secs: crate::state::now_ms() / 1000,
            edge_oiat: None,
        };
        session_token(&app.instance, &app.keys, store, &req)
            .ok()
            .map(|jwt| json!({"object": "token", "jwt": jwt}))
    } else {
        None
    };
    let fva = crate::routes::session_verify::fva(store, s, crate::state::now_ms());
    let mut v = json!({
        "id": s.id,
        "object": "session",
        "status": s.status.as_str(),
        "expire_at": s.expire_at,
        "abandon_at": s.abandon_at,
        "last_active_at": s.last_active_at,
        "last_active_token": token,
        "last_active_organization_id": s.active_org_id,
        "actor": null,
        "tasks": if s.status == SessionStatus::Pending {
            json!([{"key": CHOOSE_ORGANIZATION_TASK}])
        } else {
            Value::Null
        },
        "public_user_data": user.map(public_user_data),
        "factor_verification_age": fva,
        "created_at": s.created_at,
        "updated_at": s.updated_at,
    });
    if let (Some(u), Value::Object(m)) = (user, &mut v) {
        m.insert("user".into(), user_json(store, u));
    }
    v
}

/// `Stubs.Verification.*` of a sign-in or session-verification factor.
pub fn verification_json(v: &Verification) -> Value {
    let object = match v.strategy.as_str() {
        "password" => "verification_password",
        "totp" => "verification_totp",
        "backup_code" => "verification_backup_code",
        _ => "verification_otp",
    };
    let mut out = json!({
        "object": object,
        "status": v.status,
        "strategy": v.strategy,
        "attempts": v.attempts,
        "expire_at": v.expire_at,
    });
    // Password, TOTP and backup-code verifications do not expire (Clerk sends `null`),
    // and their documented statuses are only `unverified` and `verified`: one failed by
    // too many attempts still reads `unverified` (the attempt answers `verification_failed`).
    if matches!(v.strategy.as_str(), "password" | "totp" | "backup_code") {
        out["expire_at"] = Value::Null;
        if v.status != "verified" {
            out["status"] = json!("unverified");
        }
    }
    out
}

/// Masks a phone number like Clerk's `safe_identifier` (`+1******0100`).
pub fn mask_phone(number: &str) -> String {
    let n = number.chars().count();
    number
        .chars()
        .enumerate()
        .map(|(i, c)| if i < 2 || i + 4 >= n { c } else { '*' })
        .collect()
}

/// Masks an email address like Clerk's `safe_identifier` (`d***@example.com`).
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => email.to_string(),
    }
}

/// The second factors a user can verify with: TOTP, the 2FA phones (the first is the default
/// without TOTP), backup codes. A sign-in at `needs_second_factor` and a session
/// reverification of a user with MFA offer these.
pub fn second_factors(u: &User) -> Vec<Value> {
    let mut f = Vec::new();
    if u.mfa.totp_secret.is_some() {
        f.push(json!({"strategy": "totp"}));
    }
    for (i, p) in u.mfa.phones.iter().filter(|p| p.second_factor).enumerate() {
        f.push(json!({
            "strategy": "phone_code",
            "safe_identifier": mask_phone(&p.number),
            "phone_number_id": p.id,
            "default": i == 0 && u.mfa.totp_secret.is_none(),
        }));
    }
    if !u.mfa.backup_codes.is_empty() {
        f.push(json!({"strategy": "backup_code"}));
    }
    f
}

/// The first factors a user can verify with: password, the primary email code and the phones
/// that are not second factors (a sign-in's `supported_first_factors` adds the reset-password
/// code; a session reverification offers these as they are).
pub fn first_factors(u: &User) -> Vec<Value> {
    let mut f = Vec::new();
    if u.password.is_some() {
        f.push(json!({"strategy": "password"}));
    }
    f.push(json!({
        "strategy": "email_code",
        "safe_identifier": mask_email(&u.email),
        "email_address_id": u.email_id,
        "primary": true,
    }));
    for p in u.mfa.phones.iter().filter(|p| !p.second_factor) {
        f.push(json!({
            "strategy": "phone_code",
            "safe_identifier": mask_phone(&p.number),
            "phone_number_id": p.id,
            "primary": false,
        }));
    }
    f
}

/// `Client.SignIn-2`.
pub fn sign_in_json(store: &Store, si: &SignIn) -> Value {
    let user = si.user_id.as_deref().and_then(|id| store.user(id));
    let factors = match user {
        Some(u) if si.status != "complete" => {
            let mut f = first_factors(u);
            if u.password.is_some() {
                f.push(json!({
                    "strategy": "reset_password_email_code",
                    "safe_identifier": mask_email(&u.email),
                    "email_address_id": u.email_id,
                    "primary": true,
                }));
            }
            Value::Array(f)
        }
        _ => Value::Null,
    };
    let second_factors = match user {
        Some(u) if si.status == "needs_second_factor" => Value::Array(second_factors(u)),
        _ => Value::Null,
    };
    let mut out = json!({
        "object": "sign_in_attempt",
        "id": si.id,
        "status": si.status,
        "supported_identifiers": ["email_address"],
        "supported_first_factors": factors,
        "supported_second_factors": second_factors,
        "first_factor_verification": si.first_factor.as_ref().map(verification_json),
        "second_factor_verification": si.second_factor.as_ref().map(verification_json),
        "identifier": si.identifier,
        "user_data": user.map(|u| json!({
            "first_name": u.first_name,
            "last_name": u.last_name,
            "image_url": IMAGE_URL,
            "has_image": false,
        })),
        "created_session_id": si.created_session_id,
        "abandon_at": si.abandon_at,
    });
    crate::routes::oauth::decorate_sign_in(si, &mut out);
    out
}

/// `Client.SignUp`.
pub fn sign_up_json(su: &SignUp) -> Value {
    let mut missing = Vec::new();
    if su.email.is_none() {
        missing.push("email_address");
    }
    if su.password.is_none() {
        missing.push("password");
    }
    let email_verified = su
        .email_verification
        .as_ref()
        .is_some_and(|v| v.status == "verified");
    let unverified: Vec<&str> = if su.email.is_some() && !email_verified {
        vec!["email_address"]
    } else {
        vec![]
    };
    let email_ver = su.email.as_ref().map(|_| {
        let v = su.email_verification.clone().unwrap_or(Verification {
            strategy: "email_code".into(),
            status: "unverified".into(),
            attempts: None,
            expire_at: su.abandon_at,
            code: None,
        });
        let next_action = if v.status == "verified" {
            ""
        } else if v.code.is_some() {
            "needs_attempt"
        } else {
            "needs_prepare"
        };
        let mut j = verification_json(&v);
        j["next_action"] = json!(next_action);
        j["supported_strategies"] = json!(["email_code"]);
        j
    });
    let mut out = json!({
        "object": "sign_up_attempt",
        "id": su.id,
        "status": su.status,
        "required_fields": ["email_address", "password"],
        "optional_fields": ["first_name", "last_name"],
        "missing_fields": missing,
        "unverified_fields": unverified,
        "verifications": {
            "email_address": email_ver,
            "phone_number": null,
            "web3_wallet": null,
            "external_account": null,
        },
        "username": su.username,
        "email_address": su.email,
        "phone_number": null,
        "web3_wallet": null,
        "password_enabled": su.password.is_some(),
        "first_name": su.first_name,
        "last_name": su.last_name,
        "unsafe_metadata": su.unsafe_metadata,
        "public_metadata": {},
        "custom_action": false,
        "external_id": null,
        "created_session_id": su.created_session_id,
        "created_user_id": su.created_user_id,
        "abandon_at": su.abandon_at,
        "legal_accepted_at": null,
    });
    crate::routes::oauth::decorate_sign_up(su, &mut out);
    out
}

/// `Client.Client-2`, with a fresh token for each signed-in session.
pub fn client_json(app: &App, store: &Store, c: &Client, origin: Option<&str>) -> Value {
    // Clerk drops sessions that are no longer usable from the client payload except ended
    // ones of this browser; keeping only signed-in ones mirrors what clerk-js can act on
    // (`signedInSessions`: active and pending) and keeps payloads small.
    let sessions: Vec<Value> = store
        .signed_in_sessions(&c.id)
        .into_iter()
        .map(|s| session_json(app, store, s, origin))
        .collect();
    let sign_in = c
        .sign_in_id
        .as_ref()
        .and_then(|id| store.sign_ins.get(id))
        .map(|si| sign_in_json(store, si));
    let sign_up = c
        .sign_up_id
        .as_ref()
        .and_then(|id| store.sign_ups.get(id))
        .map(sign_up_json);
    json!({
        "object": "client",
        "id": c.id,
        "sessions": sessions,
        "sign_in": sign_in,
        "sign_up": sign_up,
        "last_active_session_id": c.last_active_session_id,
        "last_authentication_strategy": c.last_authentication_strategy,
        "cookie_expires_at": null,
        "captcha_bypass": false,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    })
}

/// The client JSON for `client_id`, or `null`.
pub fn client_or_null(
    app: &App,
    store: &Store,
    client_id: Option<&str>,
    origin: Option<&str>,
) -> Value {
    client_id
        .and_then(|id| store.clients.get(id))
        .map(|c| client_json(app, store, c, origin))
        .unwrap_or(Value::Null)
}

/// Template for `Client.Environment`: every required property of the 2026-05-12
/// schema, with this emulator's settings (email + password, email codes,
/// multi-session, organizations on). URLs are filled in by [`environment_json`].
const ENVIRONMENT_TEMPLATE: &str = include_str!("environment.json");

/// `Client.Environment` for this instance.
pub fn environment_json(app: &App, store: &Store) -> Value {
    let mut env: Value = serde_json::from_str(ENVIRONMENT_TEMPLATE).unwrap_or_else(|_| json!({}));
    let base = app.instance.proxy_url.trim_end_matches('/');
    // Only when on: the FAPI OpenAPI document does not list it yet (clerk-js reads it).
    if store.session_minter {
        env["auth_config"]["session_minter"] = json!(true);
    }
    let dc = &mut env["display_config"];
    dc["instance_environment_type"] = json!(app.instance.kind.as_str());
    dc["show_devmode_warning"] = json!(app.instance.kind == InstanceType::Development);
    for (key, path) in [
        ("sign_in_url", "/sign-in"),
        ("sign_up_url", "/sign-up"),
        ("user_profile_url", "/user"),
        ("waitlist_url", "/waitlist"),
        ("oauth_consent_url", "/oauth-consent"),
        ("organization_profile_url", "/organization"),
        ("create_organization_url", "/create-organization"),
    ] {
        dc[key] = json!(format!("{base}{path}"));
    }
    for key in [
        "home_url",
        "after_sign_in_url",
        "after_sign_up_url",
        "after_sign_out_one_url",
        "after_sign_out_all_url",
        "after_switch_session_url",
        "after_join_waitlist_url",
        "after_leave_organization_url",
        "after_create_organization_url",
        "logo_link_url",
    ] {
        dc[key] = json!(format!("{base}/"));
    }
    env
}
