//! The Backend API subset.

use crate::prelude::*;

async fn bapi_auth() {
    let f = dev().await;
    let key = f.handle.secret_key().to_string();
    assert!(
        key.starts_with("sk_test_") && key.len() == "sk_test_".len() + 40,
        "{key}"
    );
    assert_eq!(f.handle.backend_api_url(), format!("{}/bapi", f.base));
    let (_, cfg) = f.control("GET", "/config", None).await;
    assert_eq!(cfg["secret_key"], key.as_str());
    assert_eq!(cfg["backend_api_url"], format!("{}/bapi", f.base));
    assert!(
        !format!("{:?}", f.handle.app().instance).contains(&key),
        "Debug hides the key"
    );
    let (parts, ()) = hyper::Request::builder()
        .uri("/bapi/v1/users?__clerk_db_jwt=dvb_secret")
        .header("authorization", format!("Bearer {key}"))
        .header("cookie", "__session=eyJ.secret")
        .body(())
        .unwrap()
        .into_parts();
    let req = clerk_emulator::server::parse_parts(parts, bytes::Bytes::from("password=hunter2"));
    let shown = format!("{req:?}");
    for secret in [key.as_str(), "dvb_secret", "eyJ.secret", "hunter2"] {
        assert!(!shown.contains(secret), "Req Debug shows {secret}: {shown}");
    }
    f.bapi("GET", "/users", Some(""))
        .await
        .expect_err(401, "authentication_invalid");
    f.bapi("GET", "/users", Some("sk_test_wrong"))
        .await
        .expect_err(401, "clerk_key_invalid");
    let other = start(Config::default()).await;
    f.bapi("GET", "/users", Some(other.handle.secret_key()))
        .await
        .expect_err(401, "clerk_key_invalid");
    // The publishable key is not a secret key; neither is Basic auth.
    f.bapi("GET", "/users", Some(f.handle.publishable_key()))
        .await
        .expect_err(401, "clerk_key_invalid");
    let r = f
        .http
        .get(format!("{}/v1/users", f.handle.backend_api_url()))
        .header("authorization", format!("Basic {key}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    f.bapi("GET", "/users", None).await.expect(200);
    // Production keys are sk_live_.
    let p = prod().await;
    assert!(p.handle.secret_key().starts_with("sk_live_"));
    p.bapi("GET", "/users", None).await.expect(200);
    // Faults apply to the Backend API too (an outage for the server SDK).
    f.control(
        "POST",
        "/faults",
        Some(json!({"path": "/bapi/v1/users/*", "kind": "status", "status": 503, "times": 1})),
    )
    .await;
    f.bapi("GET", "/users/user_x", None).await.expect(503);
    f.bapi("GET", "/users/user_x", None)
        .await
        .expect_err(404, "resource_not_found");
}

async fn bapi_users() {
    let f = start(Config {
        users: vec![
            SeedUser::parse("ada@example.com:ada-password-1:Ada:Lovelace").unwrap(),
            SeedUser::parse("bob@example.com:bob-password-1:Bob").unwrap(),
            SeedUser::parse("cy@example.com:cy-password-12").unwrap(),
        ],
        ..Config::default()
    })
    .await;
    let all = f.bapi("GET", "/users", None).await;
    all.expect(200);
    let list = all.json.as_array().unwrap();
    assert_eq!(list.len(), 3);
    // Default order: newest first.
    assert_eq!(
        list[0]["email_addresses"][0]["email_address"],
        "cy@example.com"
    );
    let ada = list
        .iter()
        .find(|u| u["first_name"] == "Ada")
        .unwrap()
        .clone();
    let ada_id = ada["id"].as_str().unwrap();
    assert_eq!(ada["object"], "user");
    assert_eq!(ada["last_name"], "Lovelace");
    assert_eq!(
        ada["primary_email_address_id"],
        ada["email_addresses"][0]["id"]
    );
    assert_eq!(ada["private_metadata"], json!({}));
    let one = f.bapi("GET", &format!("/users/{ada_id}"), None).await;
    one.expect(200);
    assert_eq!(one.json, ada);
    f.bapi("GET", "/users/user_nope", None)
        .await
        .expect_err(404, "resource_not_found");
    // Filters (repeated parameters, as @clerk/backend sends arrays) and paging.
    let r = f
        .bapi(
            "GET",
            "/users?email_address=ADA@example.com&email_address=bob@example.com",
            None,
        )
        .await;
    let mut emails: Vec<&str> = r
        .json
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email_addresses"][0]["email_address"].as_str().unwrap())
        .collect();
    emails.sort();
    assert_eq!(emails, ["ada@example.com", "bob@example.com"]);
    let r = f
        .bapi("GET", &format!("/users?user_id={ada_id}"), None)
        .await;
    assert_eq!(r.json.as_array().unwrap().len(), 1);
    let r = f
        .bapi("GET", "/users?email_address=none@example.com", None)
        .await;
    assert_eq!(r.json, json!([]));
    let r = f
        .bapi("GET", "/users?limit=2&order_by=created_at", None)
        .await;
    let page1: Vec<Value> = r.json.as_array().unwrap().clone();
    assert_eq!(page1.len(), 2);
    assert_eq!(page1[0]["first_name"], "Ada");
    let r = f
        .bapi("GET", "/users?limit=2&offset=2&order_by=created_at", None)
        .await;
    assert_eq!(r.json.as_array().unwrap().len(), 1);
    assert_eq!(
        r.json[0]["email_addresses"][0]["email_address"],
        "cy@example.com"
    );
    let r = f.bapi("GET", "/users?offset=99", None).await;
    assert_eq!(r.json, json!([]));
    for bad in [
        "limit=0",
        "limit=501",
        "limit=x",
        "offset=-1",
        &format!("limit={}", u128::MAX),
    ] {
        f.bapi("GET", &format!("/users?{bad}"), None)
            .await
            .expect_err(422, "form_param_format_invalid");
    }
    // A user signed in through FAPI has last_sign_in_at.
    let mut f = f;
    f.new_dev_browser().await;
    f.sign_in("bob@example.com", "bob-password-1").await;
    let r = f
        .bapi("GET", "/users?email_address=bob@example.com", None)
        .await;
    assert!(r.json[0]["last_sign_in_at"].is_i64(), "{}", r.text);
}

async fn bapi_sessions_and_revoke() {
    let f = dev().await;
    let (sid, uid) = f.sign_in(EMAIL, PASSWORD).await;
    let r = f.bapi("GET", &format!("/sessions/{sid}"), None).await;
    r.expect(200);
    assert_eq!(r.json["object"], "session");
    assert_eq!(r.json["status"], "active");
    assert_eq!(r.json["user_id"], uid.as_str());
    assert!(r.json["client_id"].as_str().unwrap().starts_with("client_"));
    f.bapi("GET", "/sessions/sess_nope", None)
        .await
        .expect_err(404, "resource_not_found");
    f.bapi("POST", "/sessions/sess_nope/revoke", None)
        .await
        .expect_err(404, "resource_not_found");
    let r = f
        .bapi("POST", &format!("/sessions/{sid}/revoke"), None)
        .await;
    r.expect(200);
    assert_eq!(r.json["status"], "revoked");
    // FAPI sees it: no more tokens, the client has no signed-in session.
    f.post(&format!("/v1/client/sessions/{sid}/tokens"), &[])
        .await
        .expect(401);
    let c = f.get("/v1/client").await;
    assert_eq!(c.json["response"]["sessions"], json!([]));
    // Revoking again is harmless.
    let r = f
        .bapi("POST", &format!("/sessions/{sid}/revoke"), None)
        .await;
    assert_eq!(r.json["status"], "revoked");
    // GET on revoke / POST on a session is not a route.
    f.bapi("GET", &format!("/sessions/{sid}/revoke"), None)
        .await
        .expect(404);
}

async fn bapi_organizations_and_jwks() {
    let f = dev().await;
    let by_slug = f.bapi("GET", "/organizations/demo-org", None).await;
    by_slug.expect(200);
    assert_eq!(by_slug.json["object"], "organization");
    assert_eq!(by_slug.json["name"], "Demo Org");
    assert!(by_slug.json.get("members_count").is_none());
    let id = by_slug.json["id"].as_str().unwrap();
    let by_id = f
        .bapi(
            "GET",
            &format!("/organizations/{id}?include_members_count=true"),
            None,
        )
        .await;
    by_id.expect(200);
    assert_eq!(by_id.json["slug"], "demo-org");
    assert_eq!(by_id.json["members_count"], 1);
    f.bapi("GET", "/organizations/nope", None)
        .await
        .expect_err(404, "resource_not_found");
    let jwks = f.bapi("GET", "/jwks", None).await;
    jwks.expect(200);
    let fapi_jwks = f.get("/.well-known/jwks.json").await;
    assert_eq!(jwks.json, fapi_jwks.json, "one key for FAPI and BAPI");
    f.bapi("GET", "/nope", None)
        .await
        .expect_err(404, "resource_not_found");
}

pub(crate) fn trials() -> Vec<Trial> {
    trials![
        bapi_auth,
        bapi_users,
        bapi_sessions_and_revoke,
        bapi_organizations_and_jwks
    ]
}
