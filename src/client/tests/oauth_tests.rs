//! Host tests: OAuth / SSO by redirect (issue 14 item 1): `authenticate_with_redirect` on
//! sign-in and sign-up (the request, the URL checks, the navigation to the provider) and
//! `handle_redirect_callback` for each state FAPI can leave the attempt in. The fake FAPI
//! routes here answer only while [`OAuth::on`] is set for the test's thread.

use super::fakes::*;
use super::oauth_fake::*;
use crate::client::flows::{RedirectCallbackOutcome, RedirectCallbackParams, SignInStatus};
use crate::core::models::VerificationStatus;
use crate::error::ClerkError;

fn signed_in(tab: &Tab) -> Option<bool> {
    tab.clerk.state().auth(true).is_signed_in
}

/// A tab on the callback page, loaded with whatever the fake FAPI's client holds.
fn callback_tab(h: &Harness) -> Tab {
    let tab = h.tab_with(
        h.options(),
        FakePage::new("http://localhost:8080/sso-callback"),
    );
    let c = tab.clerk.clone();
    h.run(async move { c.load().await });
    tab
}

fn handle(h: &Harness, tab: &Tab) -> Result<RedirectCallbackOutcome, ClerkError> {
    let c = tab.clerk.clone();
    h.run(async move {
        c.handle_redirect_callback(&RedirectCallbackParams {
            after_sign_in_url: Some("/dashboard".into()),
            after_sign_up_url: Some("/welcome".into()),
            continue_sign_in_url: Some("/sign-in".into()),
            continue_sign_up_url: None,
        })
        .await
    })
}

fn sign_in_on_client(h: &Harness, status: &str, verification: Value, session: bool) {
    let mut f = h.fapi.borrow_mut();
    f.has_client = true;
    let sid = session.then(|| f.sign_in_session("user_1", NOW));
    f.sign_in = Some(
        json!({"object": "sign_in_attempt", "id": "sia_cb", "status": status,
        "identifier": null, "created_session_id": sid,
        "first_factor_verification": verification}),
    );
}

/// A sign-in whose OAuth account has no user yet: transferable to a sign-up.
fn unknown_account_on_client(h: &Harness) {
    sign_in_on_client(
        h,
        "needs_identifier",
        oauth_verification(
            "oauth_google",
            "transferable",
            None,
            Some("external_account_not_found"),
        ),
        false,
    );
}

fn sign_up_on_client(h: &Harness, status: &str, verification: Value) {
    let mut f = h.fapi.borrow_mut();
    f.has_client = true;
    f.sign_up = Some(
        json!({"object": "sign_up_attempt", "id": "sua_cb", "status": status,
        "created_session_id": null, "verifications": {"external_account": verification}}),
    );
}

fn navigated(tab: &Tab) -> Vec<String> {
    tab.page.navigated.borrow().clone()
}

#[test]
fn sign_in_with_redirect_creates_the_attempt_and_goes_to_the_provider() {
    let _on = OAuth::on();
    let h = flow_harness();
    let tab = h.loaded_tab();
    let c = tab.clerk.clone();
    let si = h
        .run(async move {
            c.sign_in_authenticate_with_redirect("oauth_google", "/sso-callback", "/dashboard")
                .await
        })
        .unwrap();
    assert_eq!(si.status, SignInStatus::NeedsIdentifier);
    let v = si.first_factor_verification.unwrap();
    assert_eq!(v.status, VerificationStatus::Unverified);
    assert_eq!(
        v.external_verification_redirect_url.as_deref(),
        Some(PROVIDER)
    );
    assert_eq!(navigated(&tab), vec![PROVIDER.to_string()]);
    let f = h.fapi.borrow();
    let create = f
        .log
        .iter()
        .rfind(|r| r.path == "/v1/client/sign_ins")
        .unwrap();
    assert_eq!(create.form("strategy").as_deref(), Some("oauth_google"));
    // Paths are made absolute on the page's origin; same origin: no dev browser in it.
    assert_eq!(
        create.form("redirect_url").as_deref(),
        Some("http://localhost:8080/sso-callback")
    );
    assert_eq!(
        create.form("action_complete_redirect_url").as_deref(),
        Some("http://localhost:8080/dashboard")
    );
}

#[test]
fn sign_up_with_redirect_goes_to_the_provider_of_the_external_account() {
    let _on = OAuth::on();
    let h = Harness::new(false);
    let tab = h.loaded_tab();
    let c = tab.clerk.clone();
    let su = h
        .run(async move {
            c.sign_up_authenticate_with_redirect(
                "oauth_github",
                "http://localhost:8080/sso-callback",
                "http://localhost:8080/",
            )
            .await
        })
        .unwrap();
    let ext = su.verifications.unwrap().external_account.unwrap();
    assert_eq!(ext.strategy.as_deref(), Some("oauth_github"));
    assert_eq!(navigated(&tab), vec![PROVIDER.to_string()]);
}

#[test]
fn refused_urls_and_bad_strategies_send_nothing() {
    let _on = OAuth::on();
    let h = flow_harness();
    let tab = h.loaded_tab();
    let before = h.fapi.borrow().count("POST /v1/client/sign_ins");
    for (strategy, cb, done, refused) in [
        ("oauth_google", "https://evil.example/cb", "/", true),
        ("oauth_google", "/cb", "javascript:alert(1)", true),
        ("oauth_google", "//evil.example/cb", "/", true),
        ("google", "/cb", "/", false),
        ("oauth_", "/cb", "/", false),
        ("oauth_Google<script>", "/cb", "/", false),
    ] {
        let c = tab.clerk.clone();
        let e = h
            .run(async move {
                c.sign_in_authenticate_with_redirect(strategy, cb, done)
                    .await
            })
            .unwrap_err();
        if refused {
            assert!(matches!(e, ClerkError::RedirectRefused { .. }), "{e:?}");
        } else {
            // A strategy that is not `oauth_<provider>` is a flow-step error: nothing is sent.
            assert!(matches!(e, ClerkError::FlowStep(_)), "{e:?}");
        }
    }
    assert_eq!(h.fapi.borrow().count("POST /v1/client/sign_ins"), before);
    assert!(navigated(&tab).is_empty());
}

#[test]
fn a_provider_url_that_is_not_http_is_not_opened() {
    let _on = OAuth::on();
    let h = flow_harness();
    let tab = h.loaded_tab();
    let c = tab.clerk.clone();
    let e = h
        .run(async move {
            c.sign_in_authenticate_with_redirect("oauth_google", "/evil-provider", "/")
                .await
        })
        .unwrap_err();
    assert!(matches!(e, ClerkError::RedirectRefused { .. }), "{e:?}");
    assert!(!e.to_string().contains("alert"), "{e}");
    assert!(navigated(&tab).is_empty());
}

#[test]
fn callback_of_a_completed_sign_in_activates_and_goes_to_after_sign_in() {
    let _on = OAuth::on();
    let h = flow_harness();
    sign_in_on_client(
        &h,
        "complete",
        oauth_verification("oauth_google", "verified", None, None),
        true,
    );
    let tab = callback_tab(&h);
    let out = handle(&h, &tab).unwrap();
    assert_eq!(
        out,
        RedirectCallbackOutcome::SignedIn {
            session_id: "sess_1".into()
        }
    );
    assert_eq!(signed_in(&tab), Some(true));
    assert_eq!(navigated(&tab), vec!["/dashboard".to_string()]);
}

#[test]
fn callback_of_an_unknown_account_transfers_to_sign_up() {
    let _on = OAuth::on();
    let h = flow_harness();
    unknown_account_on_client(&h);
    let tab = callback_tab(&h);
    assert_eq!(signed_in(&tab), Some(false));
    let out = handle(&h, &tab).unwrap();
    assert!(
        matches!(out, RedirectCallbackOutcome::SignedUp { .. }),
        "{out:?}"
    );
    assert_eq!(signed_in(&tab), Some(true));
    assert_eq!(
        tab.clerk.state().auth(true).user_id.as_deref(),
        Some("user_new")
    );
    assert_eq!(navigated(&tab), vec!["/welcome".to_string()]);
    let f = h.fapi.borrow();
    let t = f
        .log
        .iter()
        .rfind(|r| r.path == "/v1/client/sign_ups")
        .unwrap();
    assert_eq!(t.form("transfer").as_deref(), Some("true"));
}

#[test]
fn callback_of_a_sign_up_for_an_existing_account_transfers_to_sign_in() {
    let _on = OAuth::on();
    let h = flow_harness();
    sign_up_on_client(
        &h,
        "missing_requirements",
        oauth_verification(
            "oauth_google",
            "transferable",
            None,
            Some("external_account_exists"),
        ),
    );
    let tab = callback_tab(&h);
    let out = handle(&h, &tab).unwrap();
    assert!(
        matches!(out, RedirectCallbackOutcome::SignedIn { .. }),
        "{out:?}"
    );
    assert_eq!(signed_in(&tab), Some(true));
    assert_eq!(navigated(&tab), vec!["/dashboard".to_string()]);
}

#[test]
fn transfer_of_a_claimed_email_is_form_identifier_exists() {
    let _on = OAuth::on();
    CLAIMED.with(|c| c.set(true));
    let h = flow_harness();
    unknown_account_on_client(&h);
    let tab = callback_tab(&h);
    let e = handle(&h, &tab).unwrap_err();
    assert_eq!(e.code(), Some("form_identifier_exists"));
    assert_eq!(signed_in(&tab), Some(false));
    assert!(navigated(&tab).is_empty());
}

#[test]
fn denied_and_expired_verifications_are_typed_errors() {
    for (status, error, code) in [
        ("failed", Some("oauth_access_denied"), "oauth_access_denied"),
        ("failed", None, "verification_failed"),
        ("expired", None, "verification_expired"),
    ] {
        let _on = OAuth::on();
        let h = flow_harness();
        sign_in_on_client(
            &h,
            "needs_identifier",
            oauth_verification("oauth_google", status, None, error),
            false,
        );
        let tab = callback_tab(&h);
        let e = handle(&h, &tab).unwrap_err();
        assert_eq!(e.code(), Some(code), "{e:?}");
        match &e {
            ClerkError::ExternalVerification { strategy, .. } => {
                assert_eq!(strategy, "oauth_google")
            }
            other => panic!("{other:?}"),
        }
        assert!(e.to_string().contains("oauth_google"), "{e}");
        assert_eq!(signed_in(&tab), Some(false));
        assert!(navigated(&tab).is_empty());
    }
}

#[test]
fn second_factor_and_already_signed_in_and_nothing_to_handle() {
    let _on = OAuth::on();
    // Second factor: the app's sign-in form takes over.
    let h = flow_harness();
    sign_in_on_client(
        &h,
        "needs_second_factor",
        oauth_verification("oauth_google", "verified", None, None),
        false,
    );
    let tab = callback_tab(&h);
    match handle(&h, &tab).unwrap() {
        RedirectCallbackOutcome::SignInContinues(si) => {
            assert_eq!(si.status, SignInStatus::NeedsSecondFactor)
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(navigated(&tab), vec!["/sign-in".to_string()]);

    // Already signed in as that user on this browser: that session becomes current.
    let h = flow_harness();
    let sid = h.fapi.borrow_mut().sign_in_session("user_1", NOW);
    let mut v = oauth_verification(
        "oauth_google",
        "failed",
        None,
        Some("identifier_already_signed_in"),
    );
    v["error"]["meta"] = json!({"session_id": sid});
    sign_in_on_client(&h, "needs_identifier", v, false);
    let tab = callback_tab(&h);
    assert_eq!(
        handle(&h, &tab).unwrap(),
        RedirectCallbackOutcome::SignedIn { session_id: sid }
    );

    // No attempt on the client.
    let h = flow_harness();
    let tab = callback_tab(&h);
    assert_eq!(
        handle(&h, &tab).unwrap(),
        RedirectCallbackOutcome::NothingToHandle
    );
    assert!(navigated(&tab).is_empty());
}

#[test]
fn a_malformed_attempt_on_the_client_is_nothing_to_handle_not_a_panic() {
    let _on = OAuth::on();
    let h = flow_harness();
    {
        let mut f = h.fapi.borrow_mut();
        f.has_client = true;
        f.sign_in = Some(json!({"id": 7, "status": ["complete"],
            "first_factor_verification": {"status": 1, "error": "x"}}));
        f.sign_up = Some(json!("not an object"));
    }
    let tab = callback_tab(&h);
    assert_eq!(
        handle(&h, &tab).unwrap(),
        RedirectCallbackOutcome::NothingToHandle
    );
}
