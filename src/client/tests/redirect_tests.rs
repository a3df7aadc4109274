//! Host tests: the redirect policy on every navigation of the engine, and no secret (session
//! token, dev-browser id) in any `Debug` or error text.

use super::fakes::*;
use crate::client::ports::{HttpResponse, TabMessage};
use crate::client::{GetTokenOptions, SignOutOptions};
use crate::error::ClerkError;

/// A signed-in, loaded tab with `options` (on `http://localhost:8080/`).
fn signed_in(
    development: bool,
    options: impl FnOnce(&Harness) -> crate::client::ClerkOptions,
) -> (Harness, Tab) {
    let h = Harness::new(development);
    h.fapi.borrow_mut().sign_in_session("user_1", T0);
    let tab = h.tab_with(options(&h), FakePage::new("http://localhost:8080/"));
    let c = tab.clerk.clone();
    h.run(async move { c.load().await });
    assert_eq!(tab.clerk.state().auth(true).is_signed_in, Some(true));
    (h, tab)
}

fn sign_out(h: &Harness, tab: &Tab, redirect_url: Option<&str>) -> Result<(), ClerkError> {
    let c = tab.clerk.clone();
    let redirect_url = redirect_url.map(str::to_string);
    h.run(async move {
        c.sign_out(SignOutOptions {
            redirect_url,
            ..Default::default()
        })
        .await
    })
}

#[test]
fn sign_out_refuses_a_javascript_redirect_url() {
    let (h, tab) = signed_in(false, Harness::options);
    let r = sign_out(&h, &tab, Some("javascript:alert(document.cookie)"));
    assert!(tab.page.navigated.borrow().is_empty(), "nothing opened");
    let e = r.expect_err("a refused redirect is reported").to_string();
    assert!(e.contains("javascript:") && e.contains("refused"), "{e}");
    // The sign-out itself stands: the user asked for it.
    assert_eq!(tab.clerk.state().auth(true).is_signed_in, Some(false));
    assert!(h.session_cookie().is_none());
}

#[test]
fn sign_out_refuses_a_foreign_after_sign_out_url_without_showing_the_dev_browser() {
    let (h, tab) = signed_in(true, |h| {
        h.options().with_after_sign_out_url("https://evil.test/bye")
    });
    let dev_browser = h.fapi.borrow().dev_browsers[0].clone();
    let r = sign_out(&h, &tab, None);
    assert!(
        tab.page.navigated.borrow().is_empty(),
        "{:?}",
        tab.page.navigated.borrow()
    );
    let e = r.expect_err("refused").to_string();
    assert!(e.contains("https://evil.test"), "{e}");
    assert!(
        e.contains("allowed_redirect_origins"),
        "says what to do: {e}"
    );
    assert!(!e.contains(&dev_browser), "{e}");
    assert_eq!(tab.clerk.state().auth(true).is_signed_in, Some(false));
}

#[test]
fn listed_origins_the_page_and_the_instance_are_followed() {
    let (h, tab) = signed_in(true, |h| {
        h.options()
            .with_after_sign_out_url("https://app.partner.test/bye")
            .with_allowed_redirect_origins(["https://*.partner.test"])
    });
    let dev_browser = h.fapi.borrow().dev_browsers[0].clone();
    assert_eq!(sign_out(&h, &tab, None), Ok(()));
    // Another origin in development: the dev browser goes along (clerk-js buildUrlWithAuth).
    assert_eq!(
        *tab.page.navigated.borrow(),
        [format!(
            "https://app.partner.test/bye?__clerk_db_jwt={dev_browser}"
        )]
    );
    tab.page.navigated.borrow_mut().clear();
    // The Account Portal (environment) and same-origin paths need no listing.
    assert_eq!(tab.clerk.redirect_to_sign_in(Some("/after")), Ok(()));
    let opened = tab.page.navigated.borrow()[0].clone();
    assert!(
        opened.starts_with(
            "https://accounts.example.test/sign-in?redirect_url=http%3A%2F%2Flocalhost%3A8080%2Fafter&"
        ),
        "{opened}"
    );
    assert_eq!(tab.clerk.check_redirect("http://localhost:8080/x"), Ok(()));
    assert_eq!(
        tab.clerk.check_redirect("http://127.0.0.1:7450/v1/x"),
        Ok(()),
        "FAPI"
    );
}

#[test]
fn listing_an_origin_replaces_the_default_but_not_the_instance() {
    let h = Harness::new(false);
    let tab = h.tab_with(
        h.options()
            .with_allowed_redirect_origins(["https://partner.test"]),
        FakePage::new("http://localhost:8080/"),
    );
    let c = tab.clerk.clone();
    h.run(async move { c.load().await });
    let clerk = &tab.clerk;
    // clerk-js's default for clerk.example.test (https://*.example.test) no longer applies…
    assert!(matches!(
        clerk.check_redirect("https://www.example.test/"),
        Err(ClerkError::RedirectRefused {
            foreign_origin: true,
            ..
        })
    ));
    // …but the Account Portal pages of the environment still do.
    assert_eq!(
        clerk.check_redirect("https://accounts.example.test/x"),
        Ok(())
    );
    assert_eq!(clerk.check_redirect("https://partner.test/x"), Ok(()));
}

#[test]
fn hosted_page_redirects_refuse_unsafe_redirect_urls() {
    let (_h, tab) = signed_in(false, Harness::options);
    let clerk = &tab.clerk;
    for bad in [
        "javascript:alert(1)",
        "//evil.test/x",
        "https://evil.test/x",
    ] {
        let r = clerk.redirect_to_sign_in(Some(bad));
        assert!(
            matches!(r, Err(ClerkError::RedirectRefused { .. })),
            "{bad}: {r:?}"
        );
        assert_eq!(clerk.sign_in_url(Some(bad)), None, "{bad}");
        assert_eq!(clerk.sign_up_url(Some(bad)), None, "{bad}");
    }
    assert!(tab.page.navigated.borrow().is_empty());
}

#[test]
fn a_javascript_sign_in_url_option_is_never_opened() {
    let h = Harness::new(false);
    let tab = h.tab_with(
        h.options().with_sign_in_url("javascript:alert(1)//"),
        FakePage::new("http://localhost:8080/"),
    );
    let c = tab.clerk.clone();
    h.run(async move { c.load().await });
    assert_eq!(tab.clerk.sign_in_url(None), None);
    assert_eq!(tab.clerk.sign_in_url(Some("/back")), None);
}

/// Everything a developer may print or log, with a real-looking token and dev-browser id:
/// neither may appear.
#[test]
fn no_token_or_dev_browser_id_in_debug_or_error_text() {
    let (h, tab) = signed_in(true, |h| {
        h.options()
            .with_after_sign_out_url("https://evil.test/after")
    });
    let dev_browser = h.fapi.borrow().dev_browsers[0].clone();
    let c = tab.clerk.clone();
    let token = h
        .run(async move { c.get_token(GetTokenOptions::default()).await })
        .unwrap()
        .unwrap();
    let secrets = [token.as_str(), dev_browser.as_str()];
    let check = |what: &str, text: String| {
        for s in secrets {
            assert!(!text.contains(s), "{what} shows a secret: {text}");
        }
    };

    check(
        "HttpResponse",
        format!(
            "{:?}",
            HttpResponse {
                status: 200,
                retry_after: None,
                dev_browser: Some(dev_browser.clone()),
                body: format!(r#"{{"jwt":"{token}"}}"#),
            }
        ),
    );
    check(
        "TabMessage",
        format!(
            "{:?}",
            TabMessage::Token {
                token_id: "sess_1".into(),
                token: token.clone(),
            }
        ),
    );
    check(
        "FapiRequest",
        format!(
            "{:?}",
            crate::core::request::FapiRequest {
                post: true,
                url: format!("http://127.0.0.1:7450/v1/client?__clerk_db_jwt={dev_browser}"),
                body: Some(format!("token={token}")),
                path: "/v1/client".into(),
            }
        ),
    );
    check(
        "Token",
        format!("{:?}", crate::core::models::Token { jwt: token.clone() }),
    );
    check("Clerk", format!("{:?}", tab.clerk));
    check("ClerkState", format!("{:?}", tab.clerk.state()));
    check(
        "AuthSnapshot",
        format!("{:?}", tab.clerk.state().auth(true)),
    );

    // Errors of failed requests.
    for fault in [
        Fault::Network,
        Fault::Malformed,
        Fault::Status(500, "internal_clerk_error".into()),
        Fault::RateLimit(1),
    ] {
        h.fapi
            .borrow_mut()
            .fault("POST /v1/client/sessions/*", fault.clone(), 10);
        let c = tab.clerk.clone();
        let r = h.run(async move {
            c.get_token(GetTokenOptions {
                skip_cache: true,
                ..Default::default()
            })
            .await
        });
        h.fapi.borrow_mut().faults.clear();
        let e = r.expect_err("the fault fails the call");
        check("error Display", e.to_string());
        check("error Debug", format!("{e:?}"));
    }

    // A refused navigation whose URL carries the dev browser.
    let c = tab.clerk.clone();
    let e = h
        .run(async move { c.sign_out(SignOutOptions::default()).await })
        .expect_err("refused");
    check("redirect error Display", e.to_string());
    check("redirect error Debug", format!("{e:?}"));
    check("navigations", format!("{:?}", tab.page.navigated.borrow()));
}

// ---------------------------------------------------------------- redirect props and router
// (issue 14, navigation): clerk-js's force > `redirect_url` > fallback, every candidate
// through the policy; same-origin navigations through the app's router.

use crate::client::{AuthFlow, ClerkOptions};

/// A loaded, signed-out tab on `page` with `options`.
fn tab_on(h: &Harness, page: &str, options: impl FnOnce(ClerkOptions) -> ClerkOptions) -> Tab {
    let tab = h.tab_with(options(h.options()), FakePage::new(page));
    let c = tab.clerk.clone();
    h.run(async move { c.load().await });
    tab
}

#[test]
fn after_auth_url_follows_clerk_js_precedence() {
    let h = Harness::new(false);
    let all = |o: ClerkOptions| {
        o.with_sign_in_force_redirect_url("/in-force")
            .with_sign_in_fallback_redirect_url("/in-fallback")
            .with_sign_up_force_redirect_url("/up-force")
            .with_sign_up_fallback_redirect_url("/up-fallback")
    };
    let tab = tab_on(&h, "http://localhost:8080/", all);
    let url = |flow, q: Option<&str>| tab.clerk.after_auth_url(flow, q).url;
    // Force wins over the query parameter and the fallback.
    assert_eq!(
        url(AuthFlow::SignIn, Some("/q")).as_deref(),
        Some("/in-force")
    );
    assert_eq!(
        url(AuthFlow::SignUp, Some("/q")).as_deref(),
        Some("/up-force")
    );

    let fallbacks = |o: ClerkOptions| {
        o.with_sign_in_fallback_redirect_url("/in-fallback")
            .with_sign_up_fallback_redirect_url("/up-fallback")
    };
    let tab = tab_on(&h, "http://localhost:8080/", fallbacks);
    let url = |flow, q: Option<&str>| tab.clerk.after_auth_url(flow, q).url;
    // `redirect_url` wins over the fallback…
    assert_eq!(url(AuthFlow::SignIn, Some("/q")).as_deref(), Some("/q"));
    // …which is used when there is none, each flow its own.
    assert_eq!(url(AuthFlow::SignIn, None).as_deref(), Some("/in-fallback"));
    assert_eq!(url(AuthFlow::SignUp, None).as_deref(), Some("/up-fallback"));
    // Nothing set: the caller's default.
    let tab = tab_on(&h, "http://localhost:8080/", |o| o);
    let r = tab.clerk.after_auth_url(AuthFlow::SignIn, None);
    assert_eq!((r.url, r.refused), (None, None));
}

#[test]
fn a_refused_candidate_falls_back_and_is_reported() {
    let h = Harness::new(false);
    let tab = tab_on(&h, "http://localhost:8080/", |o| {
        o.with_sign_in_force_redirect_url("https://evil.test/force")
            .with_sign_in_fallback_redirect_url("/home")
    });
    // A refused force URL: the query parameter is next.
    let r = tab.clerk.after_auth_url(AuthFlow::SignIn, Some("/q"));
    assert_eq!(r.url.as_deref(), Some("/q"));
    assert_eq!(
        r.refused,
        Some(ClerkError::RedirectRefused {
            target: "https://evil.test".into(),
            foreign_origin: true
        })
    );
    // A refused query parameter (`javascript:`): the fallback.
    let r = tab
        .clerk
        .after_auth_url(AuthFlow::SignIn, Some("javascript:alert(1)"));
    assert_eq!(r.url.as_deref(), Some("/home"));
    // The navigation goes to the fallback and the refusal is returned.
    let router = tab.with_router();
    let e = tab
        .clerk
        .redirect_after_auth(AuthFlow::SignIn, Some("javascript:alert(1)"));
    assert!(
        matches!(e, Err(ClerkError::RedirectRefused { .. })),
        "{e:?}"
    );
    assert_eq!(*router.pushed.borrow(), ["/home"]);
    assert!(tab.page.navigated.borrow().is_empty());
}

#[test]
fn hosted_pages_carry_the_redirect_options_made_absolute() {
    let h = Harness::new(false);
    let tab = tab_on(&h, "http://localhost:8080/app/page", |o| {
        o.with_sign_in_force_redirect_url("/dash")
            .with_sign_in_fallback_redirect_url("/moot")
            .with_sign_up_fallback_redirect_url("https://evil.test/x")
    });
    let url = tab.clerk.sign_in_url(Some("/after")).unwrap();
    let param = |name| crate::client::url::query_param(&url, name);
    // A path is this page's origin, not the Account Portal's.
    assert_eq!(
        param("redirect_url").as_deref(),
        Some("http://localhost:8080/after"),
        "{url}"
    );
    assert_eq!(
        param("sign_in_force_redirect_url").as_deref(),
        Some("http://localhost:8080/dash")
    );
    assert_eq!(
        param("sign_in_fallback_redirect_url"),
        None,
        "moot next to force"
    );
    assert_eq!(
        param("sign_up_fallback_redirect_url"),
        None,
        "refused: dropped"
    );
    assert!(
        tab.page
            .warnings
            .borrow()
            .iter()
            .any(|w| w.contains("sign_up_fallback_redirect_url") && w.contains("evil.test")),
        "{:?}",
        tab.page.warnings.borrow()
    );
}

#[test]
fn same_origin_navigations_go_through_the_router_and_others_load_the_page() {
    let (h, tab) = signed_in(false, |h| {
        h.options()
            .with_after_sign_out_url("/bye?x=1")
            .with_allowed_redirect_origins(["https://partner.test"])
    });
    let router = tab.with_router();
    assert_eq!(sign_out(&h, &tab, None), Ok(()));
    assert_eq!(*router.pushed.borrow(), ["/bye?x=1"]);
    assert!(tab.page.navigated.borrow().is_empty(), "no full page load");

    // The Account Portal (another origin) is a full page load, router or not.
    assert_eq!(tab.clerk.redirect_to_sign_in(Some("/back")), Ok(()));
    assert_eq!(router.pushed.borrow().len(), 1);
    assert_eq!(tab.page.navigated.borrow().len(), 1);
    assert!(tab.page.navigated.borrow()[0].starts_with("https://accounts.example.test/"));

    // A listed partner origin too; an absolute URL on this origin is in-app.
    let (h, tab) = signed_in(false, |h| {
        h.options()
            .with_after_sign_out_url("https://partner.test/bye")
            .with_allowed_redirect_origins(["https://partner.test"])
    });
    let router = tab.with_router();
    assert_eq!(sign_out(&h, &tab, None), Ok(()));
    assert!(router.pushed.borrow().is_empty());
    assert_eq!(*tab.page.navigated.borrow(), ["https://partner.test/bye"]);
    let (h, tab) = signed_in(false, Harness::options);
    let router = tab.with_router();
    assert_eq!(
        sign_out(&h, &tab, Some("http://LOCALHOST:8080/y#z")),
        Ok(())
    );
    assert_eq!(*router.pushed.borrow(), ["/y#z"]);
    // A form a router could read differently from the browser (dot segments, a relative
    // reference): a full page load, which is always right.
    for target in ["/x/../y", "y"] {
        let (h, tab) = signed_in(false, Harness::options);
        let router = tab.with_router();
        assert_eq!(sign_out(&h, &tab, Some(target)), Ok(()));
        assert!(router.pushed.borrow().is_empty(), "{target}");
        assert_eq!(*tab.page.navigated.borrow(), [target]);
    }
}

#[test]
fn a_refused_navigation_reaches_neither_the_router_nor_the_page() {
    let (h, tab) = signed_in(false, Harness::options);
    let router = tab.with_router();
    assert!(sign_out(&h, &tab, Some("https://evil.test/x")).is_err());
    let push = crate::client::Navigation::Push;
    assert!(tab.clerk.navigate_as("javascript:alert(1)", push).is_err());
    assert!(router.pushed.borrow().is_empty());
    assert!(tab.page.navigated.borrow().is_empty());
}

#[test]
fn a_path_the_router_declines_is_a_full_page_load() {
    let (h, tab) = signed_in(false, Harness::options);
    let router = tab.with_router();
    router.declines.borrow_mut().push("/outside".into());
    assert_eq!(sign_out(&h, &tab, Some("/outside/app")), Ok(()));
    assert!(router.pushed.borrow().is_empty());
    assert_eq!(*tab.page.navigated.borrow(), ["/outside/app"]);
}

#[test]
fn replace_navigations_use_the_routers_replace() {
    let h = Harness::new(false);
    let tab = tab_on(&h, "http://localhost:8080/", |o| o);
    let router = tab.with_router();
    let how = crate::client::Navigation::Replace;
    assert_eq!(tab.clerk.navigate_as("/r", how), Ok(()));
    assert_eq!(*router.replaced.borrow(), ["/r"]);
    tab.clerk.set_router(None);
    assert_eq!(tab.clerk.navigate_as("/r2", how), Ok(()));
    assert_eq!(
        *tab.page.navigated.borrow(),
        ["/r2"],
        "no router: full load"
    );
}

fn password_sign_in(h: &Harness, tab: &Tab) {
    let c = tab.clerk.clone();
    h.run(async move {
        c.sign_in_with_password("ada@example.com", "correct horse")
            .await
    })
    .unwrap();
    assert_eq!(tab.clerk.state().auth(true).is_signed_in, Some(true));
}

#[test]
fn a_completed_flow_goes_to_the_after_sign_in_url() {
    // The page's `redirect_url` (where redirect_to_sign_in asked to come back to).
    let h = Harness::new(false);
    let tab = tab_on(
        &h,
        "http://localhost:8080/sign-in?redirect_url=%2Fwas-here",
        |o| o.with_sign_in_fallback_redirect_url("/fallback"),
    );
    let router = tab.with_router();
    password_sign_in(&h, &tab);
    assert_eq!(*router.pushed.borrow(), ["/was-here"]);

    // A force URL wins; without a router it is a full page load.
    let h = Harness::new(false);
    let tab = tab_on(
        &h,
        "http://localhost:8080/sign-in?redirect_url=%2Fwas-here",
        |o| o.with_sign_in_force_redirect_url("/forced"),
    );
    password_sign_in(&h, &tab);
    assert_eq!(*tab.page.navigated.borrow(), ["/forced"]);
}

#[test]
fn a_completed_flow_without_a_redirect_stays_and_a_refused_one_warns() {
    let h = Harness::new(false);
    let tab = tab_on(&h, "http://localhost:8080/sign-in", |o| o);
    let router = tab.with_router();
    password_sign_in(&h, &tab);
    assert!(router.pushed.borrow().is_empty() && tab.page.navigated.borrow().is_empty());

    let h = Harness::new(false);
    let tab = tab_on(
        &h,
        "http://localhost:8080/sign-in?redirect_url=https%3A%2F%2Fevil.test%2F",
        |o| o.with_sign_in_fallback_redirect_url("/home"),
    );
    let router = tab.with_router();
    password_sign_in(&h, &tab);
    assert_eq!(*router.pushed.borrow(), ["/home"]);
    let warnings = tab.page.warnings.borrow();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("https://evil.test") && w.contains("refused")),
        "{warnings:?}"
    );
}

#[test]
fn a_completed_sign_up_goes_to_the_sign_up_url_not_the_sign_in_one() {
    use crate::client::flows::{SignUpParams, SignUpStatus};
    let h = Harness::new(false);
    let tab = tab_on(&h, "http://localhost:8080/sign-up?redirect_url=%2Fq", |o| {
        o.with_sign_in_force_redirect_url("/in")
            .with_sign_up_force_redirect_url("/up")
    });
    let router = tab.with_router();
    let c = tab.clerk.clone();
    let sign_up = h
        .run(async move {
            c.sign_up_create(&SignUpParams {
                email_address: Some("grace@example.com".into()),
                password: Some("a long password".into()),
                ..Default::default()
            })
            .await
        })
        .unwrap();
    let (c, id) = (tab.clerk.clone(), sign_up.id.clone());
    h.run(async move { c.sign_up_prepare_email_code(&id).await })
        .unwrap();
    assert!(router.pushed.borrow().is_empty(), "not complete yet");
    let (c, id) = (tab.clerk.clone(), sign_up.id.clone());
    let done = h
        .run(async move {
            c.sign_up_attempt_email_code(&id, super::flows_fake::CODE)
                .await
        })
        .unwrap();
    assert_eq!(done.status, SignUpStatus::Complete);
    assert_eq!(*router.pushed.borrow(), ["/up"]);
}
