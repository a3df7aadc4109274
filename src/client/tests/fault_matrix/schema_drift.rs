//! The fault matrix: schema drift.

use super::*;

/// The signed-in `/v1/client` response with `edit` applied to its JSON.
fn drifted_client(h: &Harness, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut body = json!({"response": h.fapi.borrow().client_json(T0), "client": null});
    edit(&mut body["response"]);
    body.to_string()
}

/// Loads a tab whose `/v1/client` answers `body` (then FAPI answers normally).
fn load_with_client_body(h: &Harness, body: String) -> Tab {
    h.fapi
        .borrow_mut()
        .fault("GET /v1/client", Fault::Body(200, body), 1);
    h.loaded_tab()
}

#[test]
fn schema_drift_in_the_environment_falls_back_and_is_reported_once() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let mut env = h.fapi.borrow().environment_json();
    env["display_config"]["application_name"] = json!(12);
    h.fapi
        .borrow_mut()
        .fault("GET /v1/environment", Fault::Body(200, env.to_string()), 1);
    let tab = h.loaded_tab();
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    let warnings = tab.page.warnings.borrow();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("application_name"), "{}", warnings[0]);
}

#[test]
fn schema_drift_unknown_fields_are_ignored() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let body = drifted_client(&h, |c| {
        c["brand_new_field"] = json!({"nested": [1, 2, {"deep": null}]});
        c["sessions"][0]["another_new_field"] = json!("x");
        c["sessions"][0]["user"]["yet_another"] = json!(12.5e300);
    });
    let tab = load_with_client_body(&h, body);
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    assert_eq!(is_signed_in(&tab), Some(true));
    // Unknown fields are not drift: nothing to warn about.
    assert!(tab.page.warnings.borrow().is_empty());
}

#[test]
fn schema_drift_wrong_typed_optional_field_falls_back() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let body = drifted_client(&h, |c| {
        c["sessions"][0]["user"]["first_name"] = json!(12);
        c["sessions"][0]["last_active_at"] = json!("yesterday");
    });
    let tab = load_with_client_body(&h, body);
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    assert_eq!(is_signed_in(&tab), Some(true));
    // The developer is told once, with the field paths and no values.
    let warnings = tab.page.warnings.borrow();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("first_name"), "{}", warnings[0]);
    assert!(!warnings[0].contains("yesterday"), "{}", warnings[0]);
}

#[test]
fn schema_drift_unknown_session_status_is_not_signed_in_and_load_completes() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let body = drifted_client(&h, |c| {
        c["sessions"][0]["status"] = json!("hibernating");
    });
    let tab = load_with_client_body(&h, body);
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    assert_eq!(is_signed_in(&tab), Some(false));
    assert!(h.session_cookie().is_none());
}

#[test]
fn schema_drift_unknown_enum_values_elsewhere_are_tolerated() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let body = drifted_client(&h, |c| {
        let user = &mut c["sessions"][0]["user"];
        user["email_addresses"][0]["verification"]["status"] = json!("quantum");
        user["email_addresses"][0]["verification"]["strategy"] = json!("telepathy");
        c["sessions"][0]["tasks"] = json!([{"key": "some-future-task"}]);
    });
    let tab = load_with_client_body(&h, body);
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    assert_eq!(is_signed_in(&tab), Some(true));
}

#[test]
fn malformed_client_json_at_load_degrades_and_recovers() {
    let (h, tab) = load_second_tab_with_client_fault(Fault::Malformed);
    degraded_by_a_malformed_client_then_recovered(&h, &tab);
}
