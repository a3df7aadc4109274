//! Property tests of the emulator's request parsing and routing (issue 10): for any
//! method, path, query (`_method` included), cookies, headers and body (form, JSON,
//! bytes), including fault and settings JSON for the control API, the emulator
//! answers with a real HTTP status, never panics and never takes long.
//!
//! Runs in-process (`server::parse_parts` + `server::respond`, the same functions
//! the HTTP server calls) so that hundreds of cases take well under a second.
//! `PROPTEST_CASES` raises the number of cases (default 256 per property).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use clerk_emulator::config::InstanceType;
use clerk_emulator::faults::MAX_DELAY_MS;
use clerk_emulator::http::{Body, Reply, Req};
use clerk_emulator::server::{parse_parts, respond};
use clerk_emulator::{App, Config};
use proptest::prelude::*;
use serde_json::{json, Value};

/// A per-case time bound: a request that takes longer is a hang.
const CASE_BOUND: Duration = Duration::from_secs(2);

fn new_app(instance: InstanceType) -> Arc<App> {
    let config = Config {
        instance,
        ..Config::default()
    };
    let id = clerk_emulator::state::new_id("ins");
    let keys = clerk_emulator::tokens::Keys::generate(&id).unwrap();
    Arc::new(App::new(&config, "http://127.0.0.1:9".into(), keys, id))
}

/// One development app with a dev browser and a signed-in session, shared by the
/// cases of [`prop_any_request_gets_a_response`] (properties run in parallel, so each
/// has its own app).
fn dev_app() -> &'static (Arc<App>, String, String) {
    static APP: OnceLock<(Arc<App>, String, String)> = OnceLock::new();
    APP.get_or_init(signed_in_app)
}

fn settings_app() -> &'static (Arc<App>, String, String) {
    static APP: OnceLock<(Arc<App>, String, String)> = OnceLock::new();
    APP.get_or_init(signed_in_app)
}

fn handshake_app() -> &'static (Arc<App>, String, String) {
    static APP: OnceLock<(Arc<App>, String, String)> = OnceLock::new();
    APP.get_or_init(signed_in_app)
}

/// A development app, its dev browser and a signed-in session of the demo user.
fn signed_in_app() -> (Arc<App>, String, String) {
    {
        let app = new_app(InstanceType::Development);
        let r = call(&app, "POST", "/v1/dev_browser", &[], Bytes::new());
        let dvb = match &r.body {
            Body::Json(v) => v["id"].as_str().unwrap().to_string(),
            _ => panic!("dev browser"),
        };
        let q = format!("/v1/client/sign_ins?__clerk_db_jwt={dvb}");
        let r = call(
            &app,
            "POST",
            &q,
            &[("content-type", "application/x-www-form-urlencoded")],
            Bytes::from(
                "identifier=demo%40example.com&password=demo-password-123&strategy=password",
            ),
        );
        let sid = match &r.body {
            Body::Json(v) => v["response"]["created_session_id"]
                .as_str()
                .unwrap()
                .to_string(),
            _ => panic!("sign in"),
        };
        (app, dvb, sid)
    }
}

fn call(app: &Arc<App>, method: &str, uri: &str, headers: &[(&str, &str)], body: Bytes) -> Reply {
    let mut b = hyper::Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let (parts, ()) = b.body(()).unwrap().into_parts();
    let req: Req = parse_parts(parts, body);
    respond(app, &req)
}

/// Asserts what every reply must be: a real status, a body that renders.
fn check(reply: &Reply, started: Instant) -> Result<(), TestCaseError> {
    prop_assert!(
        (100..=599).contains(&reply.status),
        "status {}",
        reply.status
    );
    if let Body::Json(v) = &reply.body {
        prop_assert!(serde_json::to_vec(v).is_ok());
        if reply.status >= 400 {
            // Clerk errors, or the control API's `{error}`.
            prop_assert!(v.get("errors").is_some() || v.get("error").is_some(), "{v}");
        }
    }
    prop_assert!(
        started.elapsed() < CASE_BOUND,
        "took {:?}",
        started.elapsed()
    );
    Ok(())
}

fn method() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("GET".to_string()),
        Just("POST".to_string()),
        Just("PUT".to_string()),
        Just("PATCH".to_string()),
        Just("DELETE".to_string()),
        Just("HEAD".to_string()),
        "[A-Z]{1,7}",
    ]
}

/// Paths near the real routes (so the handlers run) plus random segments.
fn path(sid: String) -> impl Strategy<Value = String> {
    let known = prop::sample::select(vec![
        "/v1/environment".to_string(),
        "/v1/client".to_string(),
        "/v1/client/sign_ins".to_string(),
        "/v1/client/sign_ups".to_string(),
        "/v1/client/sessions".to_string(),
        format!("/v1/client/sessions/{sid}/touch"),
        format!("/v1/client/sessions/{sid}/tokens"),
        format!("/v1/client/sessions/{sid}/tokens/supabase"),
        "/v1/client/handshake".to_string(),
        "/v1/me".to_string(),
        "/v1/dev_browser".to_string(),
        "/.well-known/jwks.json".to_string(),
        "/bapi/v1/users".to_string(),
        format!("/bapi/v1/sessions/{sid}/revoke"),
        "/bapi/v1/organizations/demo-org".to_string(),
        "/bapi/v1/clients/handshake_payload".to_string(),
        "/__emulator/settings".to_string(),
        "/__emulator/faults".to_string(),
        "/__emulator/users".to_string(),
        "/__emulator/organizations".to_string(),
        "/__emulator/requests".to_string(),
        "/__emulator/config".to_string(),
        "/sign-in".to_string(),
        "/".to_string(),
    ]);
    (known, prop::collection::vec("[A-Za-z0-9_.~%-]{0,10}", 0..3)).prop_map(|(k, extra)| {
        if extra.is_empty() {
            k
        } else {
            format!("{k}/{}", extra.join("/"))
        }
    })
}

/// Raw query strings: random pairs, `_method`, the dev browser, API versions, broken escapes.
fn query(dvb: String) -> impl Strategy<Value = String> {
    let pair = prop_oneof![
        "[a-z_]{1,12}=[A-Za-z0-9%+._~-]{0,16}",
        "_method=[A-Za-z]{0,8}",
        Just("_method=DELETE".to_string()),
        Just(format!("__clerk_db_jwt={dvb}")),
        "__clerk_db_jwt=[a-z0-9_]{0,10}",
        Just("__clerk_api_version=2026-08-20".to_string()),
        "__clerk_api_version=[0-9-]{0,12}",
        "redirect_url=[a-zA-Z0-9%:/.?&=#@+-]{0,40}",
        Just("redirect_url=http%3A%2F%2Flocalhost%3A3000%2F".to_string()),
        "format=[a-z]{0,6}",
        "(limit|offset)=[0-9-]{0,25}",
        "(email_address|user_id|organization_id|nonce)=[a-z0-9@.%]{0,16}",
        "[%&=+]{1,6}",
    ];
    prop::collection::vec(pair, 0..6).prop_map(|v| v.join("&"))
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        "([a-z_]{1,12}=[A-Za-z0-9%+@.-]{0,20}&?){0,6}".prop_map(String::into_bytes),
        Just(b"identifier=demo%40example.com&password=x&strategy=password".to_vec()),
        any_json().prop_map(|v| v.to_string().into_bytes()),
    ]
}

/// Arbitrary JSON, biased towards the shapes the control API reads.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[ -~]{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "path",
                    "method",
                    "kind",
                    "latency_ms",
                    "status",
                    "retry_after",
                    "times",
                    "token_lifetime_secs",
                    "session_lifetime_secs",
                    "force_organization_selection",
                    "email",
                    "name",
                    "members",
                    "x",
                ]),
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    let h = prop_oneof![
        prop::sample::select(vec![
            "application/json",
            "application/x-www-form-urlencoded",
            "text/plain",
            "application/json; charset=utf-8",
            "multipart/form-data",
            "",
        ])
        .prop_map(|ct| ("content-type".to_string(), ct.to_string())),
        "[ -~]{0,64}".prop_map(|c| ("cookie".to_string(), c)),
        "(__client|__session|__client_uat)=[ -~]{0,24}".prop_map(|c| ("cookie".to_string(), c)),
        "(Bearer |Basic |)[ -~]{0,20}".prop_map(|a| ("authorization".to_string(), a)),
        Just((
            "authorization".to_string(),
            format!("Bearer {}", dev_app().0.instance.secret_key.expose())
        )),
        "[ -~]{0,24}".prop_map(|o| ("origin".to_string(), o)),
        "[ -~]{0,16}".prop_map(|v| ("clerk-api-version".to_string(), v)),
    ];
    prop::collection::vec(h, 0..5)
}

proptest! {
    // Cases from PROPTEST_CASES (default 256); no regression files in the tree.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    /// Any request to any route: a response with a real status, quickly.
    #[test]
    fn prop_any_request_gets_a_response(
        m in method(),
        (p, q) in {
            let (_, dvb, sid) = dev_app();
            (path(sid.clone()), query(dvb.clone()))
        },
        hs in headers(),
        b in body(),
    ) {
        let app = &dev_app().0;
        let uri = if q.is_empty() { p } else { format!("{p}?{q}") };
        prop_assume!(uri.parse::<hyper::Uri>().is_ok());
        let hs: Vec<(String, String)> = hs
            .into_iter()
            .filter(|(k, v)| hyper::header::HeaderValue::from_str(v).is_ok() && !k.is_empty())
            .collect();
        let hrefs: Vec<(&str, &str)> = hs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let started = Instant::now();
        let reply = call(app, &m, &uri, &hrefs, Bytes::from(b));
        check(&reply, started)?;
        // The store stays sane whatever happened: bounded settings, valid faults.
        let (token, session) = {
            let s = app.store();
            (s.token_lifetime_secs, s.session_lifetime_ms)
        };
        prop_assert!((1..=clerk_emulator::control::MAX_LIFETIME_SECS).contains(&token));
        prop_assert!(session > 0 && session <= (clerk_emulator::control::MAX_LIFETIME_SECS as i64) * 1000);
        let faults = app.faults.lock().unwrap().clone();
        for f in faults {
            prop_assert!(f.validate().is_ok(), "{f:?}");
        }
    }

    /// Fault JSON: accepted only when valid (200 with every fault within bounds), else 400;
    /// nothing half-applied.
    #[test]
    fn prop_fault_json(v in any_json(), kind in prop::sample::select(vec!["latency", "status", "rate_limit", "drop", "malformed", "html", "stall", "bogus"]), n in prop_oneof![any::<u64>(), 0u64..=200_000], st in prop_oneof![any::<u32>(), 100u32..600]) {
        let app = new_fault_app();
        for body in [
            v.clone(),
            json!({"path": "/v1/client", "kind": kind, "latency_ms": n, "status": st, "times": st}),
            json!([{"path": "/v1/*", "kind": kind}, v]),
        ] {
            let before = app.faults.lock().unwrap().len();
            let started = Instant::now();
            let reply = call(&app, "POST", "/__emulator/faults", &[("content-type", "application/json")], Bytes::from(body.to_string()));
            check(&reply, started)?;
            let after = app.faults.lock().unwrap().clone();
            prop_assert!(reply.status == 200 || reply.status == 400, "{} for {body}", reply.status);
            if reply.status == 400 {
                prop_assert_eq!(after.len(), before, "a rejected batch adds nothing");
            }
            for f in &after {
                prop_assert!(f.validate().is_ok());
                prop_assert!(f.latency_ms.unwrap_or(0) <= MAX_DELAY_MS);
            }
        }
    }

    /// Settings JSON: lifetimes in range are applied, anything else is a 400 that
    /// changes nothing; afterwards a token can still be minted.
    #[test]
    fn prop_settings_json(t in prop_oneof![any::<u64>().prop_map(Value::from), any::<i64>().prop_map(Value::from), (1u64..=400_000_000).prop_map(Value::from), any_json()],
                          s in prop_oneof![any::<u64>().prop_map(Value::from), (1u64..=400_000_000).prop_map(Value::from), any_json()]) {
        let (app, dvb, sid) = settings_app();
        let before = { let st = app.store(); (st.token_lifetime_secs, st.session_lifetime_ms) };
        let body = json!({"token_lifetime_secs": t, "session_lifetime_secs": s});
        let started = Instant::now();
        let reply = call(app, "POST", "/__emulator/settings", &[("content-type", "application/json")], Bytes::from(body.to_string()));
        check(&reply, started)?;
        let after = { let st = app.store(); (st.token_lifetime_secs, st.session_lifetime_ms) };
        // `null` is "not set"; numbers must be integers within the bounds.
        let ok = |v: &Value| v.is_null() || v.as_u64().is_some_and(|n| (1..=clerk_emulator::control::MAX_LIFETIME_SECS).contains(&n));
        if ok(&t) && ok(&s) {
            prop_assert_eq!(reply.status, 200);
            prop_assert_eq!(after.0, t.as_u64().unwrap_or(before.0));
            prop_assert_eq!(after.1, s.as_u64().map(|n| n as i64 * 1000).unwrap_or(before.1));
        } else {
            prop_assert_eq!(reply.status, 400, "{}", body);
            prop_assert_eq!(after, before);
        }
        let r = call(app, "POST", &format!("/v1/client/sessions/{sid}/tokens?__clerk_db_jwt={dvb}"), &[], Bytes::new());
        prop_assert_eq!(r.status, 200);
    }

    /// Handshake `redirect_url`: a 307 whose Location starts with the URL only for
    /// absolute http(s) URLs; everything else is a 4xx without Location.
    #[test]
    fn prop_handshake_redirect_url(url in prop_oneof![
        "[ -~]{0,40}",
        "(http|https|javascript|data|ftp|HTTP)://?[a-z0-9.@:]{0,12}(/[ -~]{0,12})?",
    ]) {
        let (app, dvb, _) = handshake_app();
        let q = serde_urlencoded::to_string([("redirect_url", url.as_str()), ("__clerk_db_jwt", dvb.as_str())]).unwrap();
        let started = Instant::now();
        let reply = call(app, "GET", &format!("/v1/client/handshake?{q}"), &[], Bytes::new());
        check(&reply, started)?;
        let location = reply.headers.iter().find(|(k, _)| k == "location").map(|(_, v)| v.clone());
        match clerk_emulator::routes::handshake::http_origin(&url) {
            Some(_) => {
                prop_assert_eq!(reply.status, 307);
                let loc = location.unwrap();
                let base = url.split('#').next().unwrap();
                prop_assert!(loc.starts_with(base), "{} vs {}", loc, url);
            }
            None => {
                prop_assert!((400..500).contains(&reply.status));
                prop_assert!(location.is_none());
            }
        }
    }

    /// `Req::cookie`, `q`, `f` on arbitrary headers, queries and bodies never panic and
    /// find what is there.
    #[test]
    fn prop_cookie_and_form_lookup(cookie in "[ -~]{0,80}", name in "[a-z_]{1,8}", value in "[A-Za-z0-9_]{0,12}", b in body()) {
        let header = format!("{cookie}; {name}={value}");
        prop_assume!(hyper::header::HeaderValue::from_str(&header).is_ok());
        let (parts, ()) = hyper::Request::builder()
            .method("POST")
            .uri(format!("/v1/client?{name}={value}"))
            .header("cookie", header)
            .body(())
            .unwrap()
            .into_parts();
        let req = parse_parts(parts, Bytes::from(b));
        prop_assert!(req.cookie(&name).is_some());
        prop_assert_eq!(req.q(&name), Some(value.as_str()));
        let _ = req.f(&name);
        let _ = req.fv("identifier");
        let _ = req.origin();
    }
}

/// A fresh app for the fault property (faults accumulate otherwise).
fn new_fault_app() -> Arc<App> {
    new_app(InstanceType::Production)
}
