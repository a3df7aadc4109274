//! The fake FAPI routes of session reverification and the fake tokens' `fva` (see
//! `reverification_tests.rs`): built in every configuration, since `fakes/fapi.rs` reads them.

pub(super) use std::cell::{Cell, RefCell};

pub(super) use serde_json::{json, Value};

use super::fakes::*;
pub(super) use crate::client::ports::{HttpResponse, TransportError};
pub(super) use crate::error::ClerkError;

pub(super) const PASSWORD: &str = "correct horse";
pub(super) const TOTP: &str = "287082";

thread_local! {
    pub(super) static FVA: Cell<[i64; 2]> = const { Cell::new([0, -1]) };
    pub(super) static VERIFY: RefCell<Option<Value>> = const { RefCell::new(None) };
}

/// The `fva` of the fake's tokens and session JSON.
pub(crate) fn fva() -> Value {
    json!(FVA.with(Cell::get))
}

/// Resets the thread's fake reverification state until dropped.
pub(super) struct Fresh;

impl Fresh {
    pub(super) fn with(fva: [i64; 2]) -> Fresh {
        FVA.with(|f| f.set(fva));
        VERIFY.with(|v| *v.borrow_mut() = None);
        Fresh
    }
}

impl Drop for Fresh {
    fn drop(&mut self) {
        FVA.with(|f| f.set([0, -1]));
        VERIFY.with(|v| *v.borrow_mut() = None);
    }
}

/// `POST /v1/client/sessions/{sid}/verify…` of the fake (`rest` starts with `verify`).
pub(crate) fn route(
    fapi: &mut FakeFapi,
    signed_in: bool,
    rest: &[&str],
    rec: &Rec,
    now: i64,
) -> Result<HttpResponse, TransportError> {
    if !signed_in {
        return Ok(FakeFapi::respond_err(401, "signed_out"));
    }
    let err = |code: &str| Ok(FakeFapi::respond_err(422, code));
    let current = VERIFY.with(|v| v.borrow().clone());
    let mut v = match (rest, current) {
        (["verify"], _) => {
            let level = rec.form("level").unwrap_or_default();
            let status = if level == "second_factor" {
                "needs_second_factor"
            } else {
                "needs_first_factor"
            };
            json!({"object": "session_reverification", "level": level, "status": status,
                "supported_first_factors": [{"strategy": "password"},
                    {"strategy": "email_code", "email_address_id": "idn_1", "safe_identifier": "a***@example.com"}],
                "supported_second_factors": [{"strategy": "totp"}],
                "first_factor_verification": null, "second_factor_verification": null})
        }
        (_, None) => return Ok(FakeFapi::respond_err(404, "resource_not_found")),
        (["verify", "attempt_first_factor"], Some(mut v)) => {
            if v["status"] != "needs_first_factor" {
                return err("strategy_for_user_invalid");
            }
            if rec.form("password").as_deref() != Some(PASSWORD) {
                return err("form_password_incorrect");
            }
            v["first_factor_verification"] = json!({"status": "verified", "strategy": "password"});
            v["status"] = if v["level"] == "multi_factor" {
                json!("needs_second_factor")
            } else {
                json!("complete")
            };
            FVA.with(|f| f.set([0, f.get()[1]]));
            v
        }
        (["verify", "attempt_second_factor"], Some(mut v)) => {
            if v["status"] != "needs_second_factor" {
                return err("strategy_for_user_invalid");
            }
            if rec.form("code").as_deref() != Some(TOTP) {
                return err("form_code_incorrect");
            }
            v["second_factor_verification"] = json!({"status": "verified", "strategy": "totp"});
            v["status"] = json!("complete");
            FVA.with(|f| f.set([f.get()[0], 0]));
            v
        }
        _ => return Ok(FakeFapi::respond_err(404, "resource_not_found")),
    };
    let sid = fapi.last_active.clone().unwrap_or_default();
    v["session"] = json!({"id": sid});
    VERIFY.with(|slot| *slot.borrow_mut() = Some(v.clone()));
    Ok(FakeFapi::respond_ok(
        json!({"response": v, "client": fapi.client_json(now)}),
    ))
}
