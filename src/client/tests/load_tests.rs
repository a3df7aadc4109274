//! Host tests: load. Test-only: compiled under #[cfg(test)] (see `src/client/mod.rs`).

use serde_json::json;

use super::fakes::*;
use crate::client::ports::{HttpResponse, Page};
use crate::client::{GetTokenOptions, LoadStatus};
use crate::error::ClerkError;

#[test]
fn load_signed_out() {
    let h = Harness::new(false);
    let tab = h.loaded_tab();
    let s = tab.clerk.state();
    assert_eq!(s.status, LoadStatus::Ready);
    assert!(s.error.is_none());
    let auth = s.auth(true);
    assert!(auth.is_loaded);
    assert_eq!(auth.is_signed_in, Some(false));
    let f = h.fapi.borrow();
    assert_eq!(f.count("GET /v1/environment"), 1);
    assert_eq!(f.count("GET /v1/client"), 1);
    assert_eq!(f.log.len(), 2);
    assert!(h.session_cookie().is_none());
    // Production: no dev browser, no __client_uat written by us.
    assert!(h.cookies.value("__client_uat").is_none());
    assert!(f.log.iter().all(|r| r.query("__clerk_db_jwt").is_none()));
    assert_eq!(
        f.log[0].query("__clerk_api_version").as_deref(),
        Some("2026-05-12")
    );
}

#[test]
fn load_signed_in_uses_last_active_token() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let tab = h.loaded_tab();
    let s = tab.clerk.state();
    assert_eq!(s.status, LoadStatus::Ready);
    let auth = s.auth(true);
    assert_eq!(auth.is_signed_in, Some(true));
    assert_eq!(auth.user_id.as_deref(), Some("user_1"));
    assert_eq!(auth.session_id.as_deref(), Some("sess_1"));
    assert_eq!(auth.features, vec!["u:dashboard".to_string()]);
    assert_eq!(s.user.as_ref().unwrap().first_name.as_deref(), Some("Ada"));
    // Snapshots carry no tokens.
    assert!(s.client.as_ref().unwrap().sessions[0]
        .last_active_token
        .is_none());
    let cookie = h.session_cookie().expect("__session written");
    let suffixed = h
        .cookies
        .names()
        .into_iter()
        .find(|n| n.starts_with("__session_"))
        .expect("suffixed cookie");
    assert_eq!(h.cookies.value(&suffixed).as_deref(), Some(cookie.as_str()));
    assert_eq!(h.cookies.0.borrow()["__session"].1, 365 * 24 * 3600);
    let c = tab.clerk.clone();
    let token = h.run(async move { c.get_token(GetTokenOptions::default()).await });
    assert_eq!(token.unwrap(), Some(cookie));
    let f = h.fapi.borrow();
    assert_eq!(f.count("GET /v1/client"), 1);
    assert_eq!(f.count("GET /v1/environment"), 1);
    assert_eq!(
        f.count_prefix("POST /v1/client/sessions"),
        0,
        "no /tokens at load"
    );
}

#[test]
fn invalid_key_fails_without_requests() {
    let h = Harness::new(false);
    let mut options = h.options();
    options.publishable_key = "sk_test_oops".into();
    let tab = h.tab_with(options, FakePage::new("http://localhost:8080/"));
    let c = tab.clerk.clone();
    h.run(async move { c.load().await });
    let s = tab.clerk.state();
    assert_eq!(s.status, LoadStatus::Failed);
    assert!(matches!(s.error, Some(ClerkError::InvalidKey(_))));
    assert!(!s.auth(true).is_loaded);
    let c = tab.clerk.clone();
    let r = h.run(async move { c.get_token(GetTokenOptions::default()).await });
    assert!(matches!(r, Err(ClerkError::LoadFailed(_))));
    assert!(h.fapi.borrow().log.is_empty());
}

#[test]
fn load_runs_environment_and_client_in_parallel() {
    let h = Harness::new(false);
    let tab = h.tab();
    h.hold.set(true);
    let c = tab.clerk.clone();
    h.spawn(async move { c.load().await });
    h.settle();
    assert_eq!(h.held.borrow().len(), 2, "both requests in flight at once");
    assert_eq!(tab.clerk.state().status, LoadStatus::Loading);
    h.release();
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
}

#[test]
fn load_is_idempotent() {
    let h = Harness::new(false);
    let tab = h.tab();
    let (a, b) = (tab.clerk.clone(), tab.clerk.clone());
    h.spawn(async move { a.load().await });
    h.run(async move { b.load().await });
    assert_eq!(h.fapi.borrow().count("GET /v1/client"), 1);
}

#[test]
fn dev_browser_created_once_and_reused() {
    let h = Harness::new(true);
    h.fapi.borrow_mut().sign_in_session("user_1", T0 - 5_000);
    let _tab = h.loaded_tab();
    {
        let f = h.fapi.borrow();
        assert_eq!(f.count("POST /v1/dev_browser"), 1);
        let dvb = f.dev_browsers[0].clone();
        assert_eq!(
            h.cookies.value("__clerk_db_jwt").as_deref(),
            Some(dvb.as_str())
        );
        assert!(h
            .cookies
            .names()
            .iter()
            .any(|n| n.starts_with("__clerk_db_jwt_")));
        // Environment as PATCH in development; every request carries the dev browser.
        assert_eq!(f.count("PATCH /v1/environment"), 1);
        assert!(f.log[0].query("__clerk_db_jwt").is_none());
        for r in &f.log[1..] {
            assert_eq!(r.query("__clerk_db_jwt").as_deref(), Some(dvb.as_str()));
        }
        assert_eq!(
            h.cookies.value("__client_uat").as_deref(),
            Some(((T0 - 5_000) / 1000).to_string().as_str())
        );
    }
    // A second page load reuses the cookie.
    let _tab2 = h.loaded_tab();
    assert_eq!(h.fapi.borrow().count("POST /v1/dev_browser"), 1);
}

#[test]
fn dev_browser_from_url_is_used_and_stripped() {
    let h = Harness::new(true);
    h.fapi.borrow_mut().dev_browsers.push("dvb_fromurl".into());
    let page = FakePage::new("http://localhost:8080/app?__clerk_db_jwt=dvb_fromurl&x=1#top");
    let tab = h.tab_with(h.options(), page.clone());
    let c = tab.clerk.clone();
    h.run(async move { c.load().await });
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    assert_eq!(h.fapi.borrow().count("POST /v1/dev_browser"), 0);
    assert_eq!(page.url(), "http://localhost:8080/app?x=1#top");
    assert_eq!(page.replaced.borrow().len(), 1);
    assert_eq!(
        h.cookies.value("__clerk_db_jwt").as_deref(),
        Some("dvb_fromurl")
    );
    assert_eq!(h.cookies.value("__client_uat").as_deref(), Some("0"));
}

#[test]
fn stale_dev_browser_is_recreated_once() {
    let h = Harness::new(true);
    h.cookies
        .0
        .borrow_mut()
        .insert("__clerk_db_jwt".into(), ("dvb_stale".into(), 1));
    let tab = h.loaded_tab();
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    let f = h.fapi.borrow();
    assert_eq!(
        f.count("POST /v1/dev_browser"),
        1,
        "both failed requests share one new dev browser"
    );
    // The rejected id is not sent to the endpoint that replaces it.
    let create = f
        .log
        .iter()
        .find(|r| r.method == "POST" && r.path == "/v1/dev_browser")
        .unwrap();
    assert_eq!(create.query("__clerk_db_jwt"), None, "{}", create.url);
    let dvb = f.dev_browsers[0].clone();
    assert_eq!(
        h.cookies.value("__clerk_db_jwt").as_deref(),
        Some(dvb.as_str())
    );
}

#[test]
fn rotated_dev_browser_header_is_adopted() {
    let h = Harness::new(true);
    let tab = h.loaded_tab();
    h.fapi.borrow_mut().rotate_dev_browser = Some("dvb_rotated".into());
    let c = tab.clerk.clone();
    h.run(async move {
        let _ = c
            .request::<crate::core::json::Value>(crate::client::Method::Get, "/v1/client", &[])
            .await;
    });
    assert_eq!(
        h.cookies.value("__clerk_db_jwt").as_deref(),
        Some("dvb_rotated")
    );
    let c = tab.clerk.clone();
    h.run(async move {
        let _ = c
            .request::<crate::core::json::Value>(crate::client::Method::Get, "/v1/client", &[])
            .await;
    });
    let f = h.fapi.borrow();
    assert_eq!(
        f.log.last().unwrap().query("__clerk_db_jwt").as_deref(),
        Some("dvb_rotated")
    );
}

#[test]
fn prefetched_responses_are_adopted() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let page = FakePage::new("http://localhost:8080/");
    {
        let f = h.fapi.borrow();
        let mut p = page.prefetched.borrow_mut();
        p.insert(
            "/v1/client".into(),
            Ok(HttpResponse {
                status: 200,
                retry_after: None,
                dev_browser: None,
                body: json!({"response": f.client_json(T0), "client": null}).to_string(),
            }),
        );
        p.insert(
            "/v1/environment".into(),
            Ok(HttpResponse {
                status: 200,
                retry_after: None,
                dev_browser: None,
                body: f.environment_json().to_string(),
            }),
        );
    }
    let tab = h.tab_with(h.options(), page);
    let c = tab.clerk.clone();
    h.run(async move { c.load().await });
    let s = tab.clerk.state();
    assert_eq!(s.status, LoadStatus::Ready);
    assert_eq!(s.auth(true).is_signed_in, Some(true));
    assert!(h.fapi.borrow().log.is_empty(), "no request at all");
    assert!(h.session_cookie().is_some());
}

#[test]
fn failed_prefetch_falls_back_to_fetch() {
    let h = Harness::new(false);
    let page = FakePage::new("http://localhost:8080/");
    page.prefetched.borrow_mut().insert(
        "/v1/client".into(),
        Err(crate::client::ports::TransportError::Network(
            "aborted".into(),
        )),
    );
    let tab = h.tab_with(h.options(), page);
    let c = tab.clerk.clone();
    h.run(async move { c.load().await });
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
    assert_eq!(h.fapi.borrow().count("GET /v1/client"), 1);
}

#[test]
fn environment_failure_uses_snapshot_and_degrades() {
    let h = Harness::new(false);
    let _first = h.loaded_tab(); // stores the snapshot
    h.fapi.borrow_mut().fault(
        "GET /v1/environment",
        Fault::Status(500, "internal_clerk_error".into()),
        1,
    );
    let tab = h.loaded_tab();
    let s = tab.clerk.state();
    assert_eq!(s.status, LoadStatus::Degraded);
    assert_eq!(s.error.as_ref().and_then(|e| e.status()), Some(500));
    assert_eq!(
        s.environment
            .as_ref()
            .unwrap()
            .display_config
            .application_name
            .as_deref(),
        Some("Test")
    );
    // The background retry fetches it again and the status recovers.
    h.advance(2_000);
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
}

#[test]
fn fapi_down_degrades_from_cookie_then_recovers() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let _first = h.loaded_tab(); // writes the __session cookie
    let cookie = h.session_cookie().unwrap();
    h.fapi
        .borrow_mut()
        .fault("GET /v1/client", Fault::Network, 3);
    let tab = h.loaded_tab();
    let s = tab.clerk.state();
    assert_eq!(s.status, LoadStatus::Degraded);
    assert!(matches!(s.error, Some(ClerkError::Network { .. })));
    let auth = s.auth(true);
    assert_eq!(auth.is_signed_in, Some(true));
    assert_eq!(auth.user_id.as_deref(), Some("user_1"));
    assert_eq!(auth.session_id.as_deref(), Some("sess_1"));
    let c = tab.clerk.clone();
    assert_eq!(
        h.run(async move { c.get_token(GetTokenOptions::default()).await })
            .unwrap(),
        Some(cookie)
    );
    // Retries at +2 s and +4 s fail, the one at +8 s succeeds.
    h.advance(2_000);
    assert_eq!(tab.clerk.state().status, LoadStatus::Degraded);
    h.advance(12_000);
    let s = tab.clerk.state();
    assert_eq!(s.status, LoadStatus::Ready);
    assert!(s.error.is_none());
    assert_eq!(s.user.as_ref().unwrap().first_name.as_deref(), Some("Ada"));
}

#[test]
fn fapi_down_without_cookie_is_signed_out() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().fault(
        "GET /v1/client",
        Fault::Status(503, "unavailable".into()),
        1,
    );
    let tab = h.loaded_tab();
    let s = tab.clerk.state();
    assert_eq!(s.status, LoadStatus::Degraded);
    assert_eq!(s.auth(true).is_signed_in, Some(false));
}

#[test]
fn client_timeout_degrades() {
    let h = Harness::new(false);
    let tab = h.tab();
    h.hold.set(true);
    let c = tab.clerk.clone();
    h.spawn(async move { c.load().await });
    h.advance(7_000);
    assert_eq!(tab.clerk.state().status, LoadStatus::Degraded);
    h.release();
}

#[test]
fn malformed_client_json_is_a_defined_state() {
    let h = Harness::new(false);
    h.fapi
        .borrow_mut()
        .fault("GET /v1/client", Fault::Malformed, 1);
    let tab = h.loaded_tab();
    let s = tab.clerk.state();
    assert_eq!(s.status, LoadStatus::Degraded);
    assert!(matches!(
        s.error,
        Some(ClerkError::MalformedResponse { .. })
    ));
    h.advance(2_000);
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
}

#[test]
fn client_4xx_fails_and_get_token_does_not_hang() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().fault(
        "GET /v1/client",
        Fault::Status(400, "origin_invalid".into()),
        1,
    );
    let tab = h.loaded_tab();
    let s = tab.clerk.state();
    assert_eq!(s.status, LoadStatus::Failed);
    assert_eq!(
        s.error.as_ref().and_then(|e| e.code()),
        Some("origin_invalid")
    );
    let c = tab.clerk.clone();
    let r = h.run(async move { c.get_token(GetTokenOptions::default()).await });
    assert!(matches!(r, Err(ClerkError::LoadFailed(_))));
}

#[test]
fn get_token_before_load_starts_it() {
    let h = Harness::new(false);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let tab = h.tab();
    let c = tab.clerk.clone();
    let t = h.run(async move { c.get_token(GetTokenOptions::default()).await });
    assert!(t.unwrap().is_some());
    assert_eq!(tab.clerk.state().status, LoadStatus::Ready);
}

#[test]
fn prefetch_is_ignored_when_the_url_brings_a_new_dev_browser() {
    let h = Harness::new(true);
    h.fapi.borrow_mut().dev_browsers.push("dvb_new".into());
    h.cookies
        .0
        .borrow_mut()
        .insert("__clerk_db_jwt".into(), ("dvb_old".into(), 1));
    let page = FakePage::new("http://localhost:8080/?__clerk_db_jwt=dvb_new");
    page.prefetched.borrow_mut().insert(
        "/v1/client".into(),
        Ok(HttpResponse {
            status: 200,
            retry_after: None,
            dev_browser: None,
            body: json!({"response": null, "client": null}).to_string(),
        }),
    );
    let tab = h.tab_with(h.options(), page);
    let c = tab.clerk.clone();
    h.run(async move { c.load().await });
    let f = h.fapi.borrow();
    assert_eq!(
        f.count("GET /v1/client"),
        1,
        "fetched with the new dev browser"
    );
    assert_eq!(
        f.log.last().unwrap().query("__clerk_db_jwt").as_deref(),
        Some("dvb_new")
    );
}

#[test]
fn load_emits_one_snapshot() {
    let h = Harness::new(true);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let tab = h.loaded_tab();
    assert_eq!(
        tab.emits(),
        1,
        "environment, client, claims and status arrive together"
    );
    let s = &tab.emitted.borrow()[0];
    assert_eq!(s.status, LoadStatus::Ready);
    assert!(s.claims.is_some() && s.environment.is_some() && s.user.is_some());
}

#[test]
fn degraded_dev_load_keeps_client_uat() {
    let h = Harness::new(true);
    h.fapi.borrow_mut().sign_in_session("user_1", T0 - 3_000);
    let _first = h.loaded_tab();
    let uat = h.cookies.value("__client_uat");
    assert_ne!(uat.as_deref(), Some("0"));
    h.fapi
        .borrow_mut()
        .fault("GET /v1/client", Fault::Network, 1);
    let tab = h.loaded_tab();
    assert_eq!(tab.clerk.state().status, LoadStatus::Degraded);
    assert_eq!(tab.clerk.state().auth(true).is_signed_in, Some(true));
    assert_eq!(h.cookies.value("__client_uat"), uat);
}
