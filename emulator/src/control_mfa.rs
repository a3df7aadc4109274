//! Control API for the second-factor and phone flows (JSON in, JSON out):
//!
//! - `POST /__emulator/users/{id}/mfa` `{"totp_secret": "BASE32…" | null, "backup_codes":
//!   ["…"], "phone_numbers": [{"phone_number": "+15555550100", "second_factor": true}]}`
//!   sets the given fields (each replaces what was there); a user with a TOTP secret, a
//!   backup code or a second-factor phone stops at `needs_second_factor` when signing in.
//!   Phones that are not second factors are identifiers and `phone_code` first factors.
//! - `GET /__emulator/totp?user_id=…`: the user's current TOTP code (tests may compute it
//!   from the secret instead: RFC 6238, SHA-1, 6 digits, 30 s).
//! - `GET /__emulator/verification_codes?phone=+1…`: the last code texted to a number.
//! - `POST /__emulator/verifications/expire`: every pending sign-in code expires now (to
//!   test `verification_expired` without waiting 10 minutes).

use serde::Deserialize;
use serde_json::{json, Value};

use crate::control::{err, parse, ControlHandler};
use crate::http::{Reply, Req};
use crate::state::{new_id, now_ms, App, Phone};
use crate::totp;

#[derive(Deserialize)]
struct MfaBody {
    // `Some(None)` (explicit null) turns TOTP off; absent leaves it.
    #[serde(default, deserialize_with = "some")]
    totp_secret: Option<Option<String>>,
    backup_codes: Option<Vec<String>>,
    phone_numbers: Option<Vec<PhoneBody>>,
}

#[derive(Deserialize)]
struct PhoneBody {
    phone_number: String,
    #[serde(default)]
    second_factor: bool,
}

fn some<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// The routes above (see `control::ROUTES` for the table's form).
pub const ROUTES: &[(&str, &str, ControlHandler)] = &[
    ("POST", "/users/{id}/mfa", set_mfa),
    ("GET", "/totp", current_totp),
    ("POST", "/verifications/expire", expire_verifications),
];

/// `GET /verification_codes?phone=` (reached through `control::ROUTES`' `verification_codes`).
pub fn phone_code(app: &App, req: &Req, _: &[&str]) -> Result<Reply, Reply> {
    // An unescaped `+` in a query string decodes to a space: accept both.
    let phone = format!(
        "+{}",
        req.q("phone")
            .unwrap_or_default()
            .trim()
            .trim_start_matches('+')
    );
    let store = app.store();
    match store.codes.get(&phone) {
        Some(code) => Ok(Reply::json(json!({"phone": phone, "code": code}))),
        None => Err(err(404, format!("no code sent to {phone}"))),
    }
}

fn expire_verifications(app: &App, _req: &Req, _: &[&str]) -> Result<Reply, Reply> {
    let mut store = app.store();
    let past = now_ms() - 1;
    let mut n = 0;
    let store = &mut *store;
    // Sign-in codes and session-reverification codes alike.
    let reverifying = store
        .reverification
        .by_session
        .values_mut()
        .map(|r| (&mut r.first_factor, &mut r.second_factor));
    let signing_in = store
        .sign_ins
        .values_mut()
        .map(|si| (&mut si.first_factor, &mut si.second_factor));
    for (first, second) in signing_in.chain(reverifying) {
        for v in [first, second].into_iter().flatten() {
            if v.expire_at > 0 && v.status == "unverified" {
                v.expire_at = past;
                n += 1;
            }
        }
    }
    Ok(Reply::json(json!({"expired": n})))
}

fn set_mfa(app: &App, req: &Req, params: &[&str]) -> Result<Reply, Reply> {
    let id = params.first().copied().unwrap_or_default();
    let body: MfaBody = parse(req)?;
    if let Some(Some(secret)) = &body.totp_secret {
        if totp::base32_decode(secret).is_none() {
            return Err(err(400, "totp_secret must be base32 (RFC 4648)"));
        }
    }
    if let Some(phones) = &body.phone_numbers {
        if let Some(p) = phones.iter().find(|p| {
            !p.phone_number.starts_with('+')
                || p.phone_number.len() < 8
                || !p.phone_number[1..].bytes().all(|b| b.is_ascii_digit())
        }) {
            return Err(err(
                400,
                format!("{} is not an E.164 phone number", p.phone_number),
            ));
        }
    }
    let mut store = app.store();
    if let Some(phones) = &body.phone_numbers {
        let taken = phones.iter().find(|p| {
            store
                .users
                .iter()
                .any(|u| u.id != id && u.mfa.phones.iter().any(|q| q.number == p.phone_number))
        });
        if let Some(p) = taken {
            return Err(err(
                409,
                format!("{} belongs to another user", p.phone_number),
            ));
        }
    }
    let Some(user) = store.users.iter_mut().find(|u| u.id == id) else {
        return Err(err(404, format!("no user {id}")));
    };
    if let Some(secret) = body.totp_secret {
        user.mfa.totp_secret = secret;
    }
    if let Some(codes) = body.backup_codes {
        user.mfa.backup_codes = codes;
    }
    if let Some(phones) = body.phone_numbers {
        user.mfa.phones = phones
            .into_iter()
            .map(|p| Phone {
                id: new_id("idn"),
                number: p.phone_number,
                second_factor: p.second_factor,
            })
            .collect();
    }
    user.updated_at = now_ms();
    Ok(Reply::json(json!({
        "user_id": user.id,
        "two_factor_enabled": user.mfa.enabled(),
        "totp_enabled": user.mfa.totp_secret.is_some(),
        "backup_codes": user.mfa.backup_codes.len(),
        "phone_numbers": user.mfa.phones.iter().map(|p| json!({
            "id": p.id,
            "phone_number": p.number,
            "second_factor": p.second_factor,
        })).collect::<Vec<Value>>(),
    })))
}

fn current_totp(app: &App, req: &Req, _: &[&str]) -> Result<Reply, Reply> {
    let id = req
        .q("user_id")
        .ok_or_else(|| err(400, "user_id query parameter required"))?;
    let store = app.store();
    let secret = store
        .user(id)
        .and_then(|u| u.mfa.totp_secret.clone())
        .ok_or_else(|| err(404, format!("user {id} has no TOTP secret")))?;
    let now = u64::try_from(now_ms() / 1000).unwrap_or(0);
    let code = totp::code_at(&secret, now).unwrap_or_default();
    Ok(Reply::json(json!({
        "code": code,
        "period": totp::PERIOD_SECS,
        "valid_for_secs": totp::PERIOD_SECS - now % totp::PERIOD_SECS,
    })))
}
