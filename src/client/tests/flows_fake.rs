//! Sign-in / sign-up routes of the fake FAPI.
//! Test-only: compiled under #[cfg(test)] (see `src/client/mod.rs`).

use serde_json::{json, Value};

use super::fakes::{FUser, FakeFapi, Rec};
use crate::client::ports::{HttpResponse, TransportError};

pub const CODE: &str = "424242";

fn with_client(fapi: &FakeFapi, response: Value, now: i64) -> Result<HttpResponse, TransportError> {
    super::oauth_fake::ok(fapi, &response, now)
}

fn field_error(status: u16, code: &str, param: &str) -> Result<HttpResponse, TransportError> {
    let mut r = FakeFapi::respond_err(status, code);
    let mut body: Value = serde_json::from_str(&r.body).unwrap();
    body["errors"][0]["meta"] = json!({"param_name": param});
    r.body = body.to_string();
    Ok(r)
}

pub(crate) fn route_flows(
    fapi: &mut FakeFapi,
    method: &str,
    parts: &[&str],
    rec: &Rec,
    now: i64,
) -> Option<Result<HttpResponse, TransportError>> {
    if let Some(r) = super::flow2_tests::route(fapi, method, parts, rec, now) {
        return Some(r);
    }
    if let Some(r) = super::oauth_fake::route(fapi, method, parts, rec, now) {
        return Some(r);
    }
    if method != "POST" {
        return None;
    }
    Some(match parts {
        ["client", "sign_ins"] => {
            let identifier = rec.form("identifier").unwrap_or_default();
            let Some(user) = fapi.users.iter().find(|u| u.email == identifier).cloned() else {
                return Some(field_error(422, "form_identifier_not_found", "identifier"));
            };
            fapi.has_client = true;
            let id = fapi.next_id("sia");
            if rec.form("strategy").as_deref() == Some("password") {
                if rec.form("password").as_deref() != Some(user.password.as_str()) {
                    return Some(field_error(422, "form_password_incorrect", "password"));
                }
                let sid = fapi.sign_in_session(&user.id, now);
                let sign_in = json!({"object":"sign_in","id": id,"status":"complete",
                    "identifier": identifier, "created_session_id": sid,
                    "supported_first_factors": null});
                fapi.sign_in = None;
                return Some(with_client(fapi, sign_in, now));
            }
            let sign_in = json!({"object":"sign_in","id": id,"status":"needs_first_factor",
                "identifier": identifier, "created_session_id": null,
                "supported_first_factors": [
                    {"strategy":"password"},
                    {"strategy":"email_code","email_address_id":"idn_1","safe_identifier":"a***@example.com","primary":true}
                ],
                "supported_second_factors": null, "first_factor_verification": null,
                "_user": user.id});
            fapi.sign_in = Some(sign_in.clone());
            with_client(fapi, sign_in, now)
        }
        ["client", "sign_ins", id, "prepare_first_factor"] => {
            let Some(mut sign_in) = fapi.sign_in.clone().filter(|s| s["id"] == *id) else {
                return Some(Ok(FakeFapi::respond_err(404, "resource_not_found")));
            };
            if rec.form("strategy").as_deref() != Some("email_code")
                || rec.form("email_address_id").as_deref() != Some("idn_1")
            {
                return Some(Ok(FakeFapi::respond_err(422, "form_param_invalid")));
            }
            fapi.codes.insert(id.to_string(), CODE.into());
            sign_in["first_factor_verification"] =
                json!({"status":"unverified","strategy":"email_code","attempts":0});
            fapi.sign_in = Some(sign_in.clone());
            with_client(fapi, sign_in, now)
        }
        ["client", "sign_ins", id, "attempt_first_factor"] => {
            let Some(mut sign_in) = fapi.sign_in.clone().filter(|s| s["id"] == *id) else {
                return Some(Ok(FakeFapi::respond_err(404, "resource_not_found")));
            };
            if fapi.codes.get(*id) != rec.form("code").as_ref() {
                return Some(field_error(422, "form_code_incorrect", "code"));
            }
            let user = sign_in["_user"].as_str().unwrap_or_default().to_string();
            let sid = fapi.sign_in_session(&user, now);
            sign_in["status"] = json!("complete");
            sign_in["created_session_id"] = json!(sid);
            sign_in["first_factor_verification"]["status"] = json!("verified");
            fapi.sign_in = None;
            with_client(fapi, sign_in, now)
        }
        ["client", "sign_ups"] => {
            let email = rec.form("email_address").unwrap_or_default();
            if fapi.users.iter().any(|u| u.email == email) {
                return Some(field_error(422, "form_identifier_exists", "email_address"));
            }
            fapi.has_client = true;
            let id = fapi.next_id("sua");
            let sign_up = json!({"object":"sign_up","id": id,"status":"missing_requirements",
                "missing_fields": [], "unverified_fields": ["email_address"],
                "required_fields": ["email_address","password"],
                "verifications": {"email_address": null},
                "email_address": email, "first_name": rec.form("first_name"),
                "created_session_id": null, "created_user_id": null,
                "_password": rec.form("password")});
            fapi.sign_up = Some(sign_up.clone());
            with_client(fapi, sign_up, now)
        }
        ["client", "sign_ups", id, "prepare_verification"] => {
            let Some(mut sign_up) = fapi.sign_up.clone().filter(|s| s["id"] == *id) else {
                return Some(Ok(FakeFapi::respond_err(404, "resource_not_found")));
            };
            fapi.codes.insert(id.to_string(), CODE.into());
            sign_up["verifications"]["email_address"] =
                json!({"status":"unverified","strategy":"email_code","attempts":0});
            fapi.sign_up = Some(sign_up.clone());
            with_client(fapi, sign_up, now)
        }
        ["client", "sign_ups", id, "attempt_verification"] => {
            let Some(mut sign_up) = fapi.sign_up.clone().filter(|s| s["id"] == *id) else {
                return Some(Ok(FakeFapi::respond_err(404, "resource_not_found")));
            };
            if fapi.codes.get(*id) != rec.form("code").as_ref() {
                return Some(field_error(422, "form_code_incorrect", "code"));
            }
            let user_id = fapi.next_id("user");
            fapi.users.push(FUser {
                id: user_id.clone(),
                first_name: sign_up["first_name"].as_str().unwrap_or("").into(),
                email: sign_up["email_address"].as_str().unwrap_or("").into(),
                password: sign_up["_password"].as_str().unwrap_or("").into(),
                orgs: vec![],
            });
            let sid = fapi.sign_in_session(&user_id, now);
            sign_up["status"] = json!("complete");
            sign_up["unverified_fields"] = json!([]);
            sign_up["verifications"]["email_address"]["status"] = json!("verified");
            sign_up["created_session_id"] = json!(sid);
            sign_up["created_user_id"] = json!(user_id);
            fapi.sign_up = None;
            with_client(fapi, sign_up, now)
        }
        _ => return None,
    })
}
