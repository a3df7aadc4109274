//! Sessions: touch and organizations, pending tasks, claims, tokens, end/remove/sign-out, destroy, `/v1/me`, revoke and expire.

use crate::prelude::*;

/// The organization of the first session's user's first membership in a `GET /v1/client`.
fn first_org_id(c: &Resp) -> String {
    c.json["response"]["sessions"][0]["user"]["organization_memberships"][0]["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn touch_and_organizations() {
    let f = dev().await;
    let (sid, uid) = f.sign_in(EMAIL, PASSWORD).await;
    let c = f.get("/v1/client").await;
    let org_id = first_org_id(&c);
    let other = f
        .control(
            "POST",
            "/organizations",
            Some(json!({"name": "Other Org", "members": []})),
        )
        .await
        .1;
    let other_id = other["id"].as_str().unwrap().to_string();
    let touch = format!("/v1/client/sessions/{sid}/touch");
    let before = c.json["response"]["updated_at"].as_i64().unwrap();
    let t = f.select_org(&sid, &org_id).await;
    t.expect(200);
    assert_eq!(
        t.json["response"]["last_active_organization_id"],
        org_id.as_str()
    );
    assert!(
        t.json["client"]["updated_at"].as_i64().unwrap() > before,
        "touch bumps updated_at"
    );
    let jwt = t.json["response"]["last_active_token"]["jwt"]
        .as_str()
        .unwrap();
    let (_, claims) = f.verify(jwt).await;
    assert_eq!(claims["o"]["id"], org_id.as_str());
    assert_eq!(claims["o"]["slg"], "demo-org");
    assert_eq!(claims["o"]["rol"], "admin");
    assert!(claims["o"]["per"]
        .as_str()
        .unwrap()
        .contains("sys_memberships:manage"));
    f.post(&touch, &[("active_organization_id", &other_id)])
        .await
        .expect_err(403, "not_a_member_in_organization");
    // Token for the active org (absent), for the personal account (empty), for a foreign org.
    let tokens = format!("/v1/client/sessions/{sid}/tokens");
    let (_, c1) = f
        .verify(
            f.post(&tokens, &[("tab_state", "focused")]).await.json["jwt"]
                .as_str()
                .unwrap(),
        )
        .await;
    assert_eq!(c1["o"]["id"], org_id.as_str());
    let (_, c2) = f
        .verify(
            f.post(&tokens, &[("organization_id", "")]).await.json["jwt"]
                .as_str()
                .unwrap(),
        )
        .await;
    assert!(c2.get("o").is_none());
    f.post(&tokens, &[("organization_id", &other_id)])
        .await
        .expect_err(403, "not_a_member_in_organization");
    // …without changing the session's active org.
    let g = f.get(&format!("/v1/client/sessions/{sid}")).await;
    g.expect(200);
    assert_eq!(
        g.json["response"]["last_active_organization_id"],
        org_id.as_str()
    );
    // Back to the personal account.
    let t = f
        .post(
            &touch,
            &[("active_organization_id", ""), ("intent", "select_org")],
        )
        .await;
    assert!(t.json["response"]["last_active_organization_id"].is_null());
    // A member added through the control API.
    control_ok(&f, "/organizations", json!({"name": "Team", "slug": "team", "members": [{"user_id": uid, "role": "org:member"}]})).await;
    let me = f.get("/v1/me").await;
    assert_eq!(
        me.json["response"]["organization_memberships"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    f.get("/v1/client/sessions/sess_unknown")
        .await
        .expect_err(404, "resource_not_found");
}

async fn pending_session_tasks() {
    let f = dev().await;
    let config = control_ok(
        &f,
        "/settings",
        json!({"force_organization_selection": true}),
    )
    .await;
    assert_eq!(config["force_organization_selection"], true);
    let (sid, _) = f.sign_in(EMAIL, PASSWORD).await;
    let c = f.get("/v1/client").await;
    c.expect(200);
    let session = &c.json["response"]["sessions"][0];
    assert_eq!(c.json["response"]["last_active_session_id"], sid.as_str());
    assert_eq!(session["status"], "pending");
    assert_eq!(session["tasks"], json!([{"key": "choose-organization"}]));
    assert!(session["last_active_organization_id"].is_null());
    let (_, claims) = f
        .verify(session["last_active_token"]["jwt"].as_str().unwrap())
        .await;
    assert_eq!(claims["sts"], "pending");
    // A pending session mints tokens (with `sts: pending`) and reads /v1/me.
    let tokens = format!("/v1/client/sessions/{sid}/tokens");
    let t = f.post(&tokens, &[]).await;
    t.expect(200);
    assert_eq!(
        f.verify(t.json["jwt"].as_str().unwrap()).await.1["sts"],
        "pending"
    );
    f.get("/v1/me").await.expect(200);
    // The personal account does not complete the task; an organization does.
    let touch = format!("/v1/client/sessions/{sid}/touch");
    let t = f.post(&touch, &[("active_organization_id", "")]).await;
    assert_eq!(t.json["response"]["status"], "pending");
    let org_id = session["user"]["organization_memberships"][0]["organization"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let t = f.select_org(&sid, &org_id).await;
    t.expect(200);
    assert_eq!(t.json["response"]["status"], "active");
    assert!(t.json["response"]["tasks"].is_null());
    let (_, claims) = f
        .verify(
            t.json["response"]["last_active_token"]["jwt"]
                .as_str()
                .unwrap(),
        )
        .await;
    assert_eq!(claims["sts"], "active");
    assert_eq!(claims["o"]["id"], org_id.as_str());
    // A pending session signs out like an active one; reset restores the startup setting.
    f.send("DELETE", "/v1/client/sessions", &[], None)
        .await
        .expect(200);
    let (sid2, _) = f.sign_in(EMAIL, PASSWORD).await;
    f.send("DELETE", "/v1/client/sessions", &[], None)
        .await
        .expect(200);
    let g = f.get(&format!("/v1/client/sessions/{sid2}")).await;
    assert_eq!(g.json["response"]["status"], "removed");
    f.control("POST", "/reset", None).await;
    let (_, config) = f.control("GET", "/config", None).await;
    assert_eq!(config["force_organization_selection"], false);
}

async fn v1_claims() {
    let mut f = start(Config {
        claims: ClaimsVersion::V1,
        token_lifetime_secs: 120,
        ..Config::default()
    })
    .await;
    f.new_dev_browser().await;
    let (sid, _) = f.sign_in(EMAIL, PASSWORD).await;
    let c = f.get("/v1/client").await;
    let org_id = first_org_id(&c);
    let r = f
        .post(
            &format!("/v1/client/sessions/{sid}/tokens"),
            &[("organization_id", &org_id)],
        )
        .await;
    let (_, claims) = f.verify(r.json["jwt"].as_str().unwrap()).await;
    assert!(claims.get("v").is_none());
    assert_eq!(claims["org_id"], org_id.as_str());
    assert_eq!(claims["org_role"], "org:admin");
    assert_eq!(claims["org_slug"], "demo-org");
    assert!(claims["org_permissions"].as_array().unwrap().len() > 1);
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        120
    );
}

async fn tokens_and_templates() {
    let mut f = start(Config {
        templates: vec![
            Template {
                name: "supabase".into(),
                lifetime_secs: None,
            },
            Template {
                name: "long".into(),
                lifetime_secs: Some(3600),
            },
        ],
        ..Config::default()
    })
    .await;
    f.new_dev_browser().await;
    let (sid, uid) = f.sign_in(EMAIL, PASSWORD).await;
    let r = f
        .post(
            &format!("/v1/client/sessions/{sid}/tokens"),
            &[("organization_id", "")],
        )
        .await;
    r.expect(200);
    assert_eq!(r.json["object"], "token");
    let r = f
        .post(&format!("/v1/client/sessions/{sid}/tokens/supabase"), &[])
        .await;
    r.expect(200);
    let (_, c) = f.verify(r.json["jwt"].as_str().unwrap()).await;
    assert_eq!(c["sub"], uid.as_str());
    assert_eq!(c["aud"], "authenticated");
    assert_eq!(c["email"], EMAIL);
    let r = f
        .post(&format!("/v1/client/sessions/{sid}/tokens/long"), &[])
        .await;
    let (_, c) = f.verify(r.json["jwt"].as_str().unwrap()).await;
    assert_eq!(
        c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(),
        3600
    );
    f.post(&format!("/v1/client/sessions/{sid}/tokens/nope"), &[])
        .await
        .expect_err(404, "resource_not_found");
    f.post("/v1/client/sessions/sess_unknown/tokens", &[])
        .await
        .expect_err(404, "resource_not_found");
    // Another client cannot mint tokens for this session.
    let mut g = start(Config::default()).await;
    g.base = f.base.clone();
    g.new_dev_browser().await;
    g.post(&format!("/v1/client/sessions/{sid}/tokens"), &[])
        .await
        .expect_err(404, "resource_not_found");
}

async fn end_remove_and_sign_out() {
    let f = dev().await;
    control_ok(
        &f,
        "/users",
        json!({"email": "b@example.com", "password": "b-password-123"}),
    )
    .await;
    let (s1, _) = f.sign_in(EMAIL, PASSWORD).await;
    let (s2, _) = f.sign_in("b@example.com", "b-password-123").await;
    let e = f.post(&format!("/v1/client/sessions/{s1}/end"), &[]).await;
    e.expect(200);
    assert_eq!(e.json["response"]["status"], "ended");
    assert!(e.json["response"]["last_active_token"].is_null());
    assert_eq!(e.json["client"]["sessions"].as_array().unwrap().len(), 1);
    f.post(&format!("/v1/client/sessions/{s1}/tokens"), &[])
        .await
        .expect_err(401, "signed_out");
    f.post(&format!("/v1/client/sessions/{s1}/touch"), &[])
        .await
        .expect_err(401, "signed_out");
    let rm = f
        .post(&format!("/v1/client/sessions/{s2}/remove"), &[])
        .await;
    rm.expect(200);
    assert_eq!(rm.json["response"]["status"], "removed");
    assert!(rm.json["client"]["last_active_session_id"].is_null());
    f.post(&format!("/v1/client/sessions/{s2}/tokens"), &[])
        .await
        .expect_err(401, "signed_out");
    // Sign out of everything: DELETE /v1/client/sessions keeps the client.
    let (s3, _) = f.sign_in(EMAIL, PASSWORD).await;
    let d = f.send("DELETE", "/v1/client/sessions", &[], None).await;
    d.expect(200);
    assert!(d.json["client"].is_null());
    assert_eq!(d.json["response"]["sessions"], json!([]));
    assert!(d.json["response"]["last_active_session_id"].is_null());
    f.post(&format!("/v1/client/sessions/{s3}/tokens"), &[])
        .await
        .expect_err(401, "signed_out");
    let c = f.get("/v1/client").await;
    assert!(c.json["response"]["id"].is_string(), "client kept");
}

async fn destroy_client() {
    let f = dev().await;
    f.send("DELETE", "/v1/client", &[], None)
        .await
        .expect_err(404, "resource_not_found");
    let (sid, _) = f.sign_in(EMAIL, PASSWORD).await;
    let d = f.send("DELETE", "/v1/client", &[], None).await;
    d.expect(200);
    assert!(d.json["client"].is_null());
    let c = f.get("/v1/client").await;
    assert!(c.json["response"].is_null(), "client dropped");
    f.post(&format!("/v1/client/sessions/{sid}/tokens"), &[])
        .await
        .expect_err(404, "resource_not_found");
    f.send("DELETE", "/v1/client/sessions", &[], None)
        .await
        .expect_err(404, "resource_not_found");
    // PUT/POST /v1/client create a fresh client.
    let n = f.post("/v1/client", &[]).await;
    n.expect(200);
    assert!(n.json["response"]["id"]
        .as_str()
        .unwrap()
        .starts_with("client_"));
    let p = f.send("PUT", "/v1/client", &[], None).await;
    p.expect(200);
    assert_ne!(p.json["response"]["id"], n.json["response"]["id"]);
}

async fn me_endpoint() {
    let f = dev().await;
    f.get("/v1/me").await.expect_err(401, "signed_out");
    let (s1, u1) = f.sign_in(EMAIL, PASSWORD).await;
    control_ok(
        &f,
        "/users",
        json!({"email": "c@example.com", "password": "c-password-123"}),
    )
    .await;
    let (_s2, u2) = f.sign_in("c@example.com", "c-password-123").await;
    let me = f.get("/v1/me").await;
    me.expect(200);
    assert_eq!(me.json["response"]["id"], u2.as_str());
    assert!(me.json["client"]["id"].is_string());
    let me1 = f
        .send("GET", "/v1/me", &[("_clerk_session_id", s1.as_str())], None)
        .await;
    assert_eq!(me1.json["response"]["id"], u1.as_str());
}

async fn revoke_and_expire() {
    let f = dev().await;
    let (sid, _) = f.sign_in(EMAIL, PASSWORD).await;
    let (st, v) = f
        .control("POST", &format!("/sessions/{sid}/revoke"), None)
        .await;
    assert_eq!((st, v["status"].as_str()), (200, Some("revoked")));
    f.post(&format!("/v1/client/sessions/{sid}/tokens"), &[])
        .await
        .expect_err(401, "signed_out");
    let c = f.get("/v1/client").await;
    assert_eq!(c.json["response"]["sessions"], json!([]));
    assert!(c.json["response"]["last_active_session_id"].is_null());
    let g = f.get(&format!("/v1/client/sessions/{sid}")).await;
    assert_eq!(g.json["response"]["status"], "revoked");
    let (sid2, _) = f.sign_in(EMAIL, PASSWORD).await;
    f.control("POST", &format!("/sessions/{sid2}/expire"), None)
        .await;
    f.post(&format!("/v1/client/sessions/{sid2}/tokens"), &[])
        .await
        .expect_err(401, "signed_out");
    let g = f.get(&format!("/v1/client/sessions/{sid2}")).await;
    assert_eq!(g.json["response"]["status"], "expired");
    let (st, _) = f.control("POST", "/sessions/sess_nope/revoke", None).await;
    assert_eq!(st, 404);
    // expire_at is enforced: a 1-second session expires on its own.
    let (st, cfg) = f
        .control(
            "POST",
            "/settings",
            Some(json!({"session_lifetime_secs": 1})),
        )
        .await;
    assert_eq!((st, cfg["session_lifetime_secs"].as_i64()), (200, Some(1)));
    let (sid3, _) = f.sign_in(EMAIL, PASSWORD).await;
    f.post(&format!("/v1/client/sessions/{sid3}/tokens"), &[])
        .await
        .expect(200);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    f.post(&format!("/v1/client/sessions/{sid3}/tokens"), &[])
        .await
        .expect_err(401, "signed_out");
    let g = f.get(&format!("/v1/client/sessions/{sid3}")).await;
    assert_eq!(g.json["response"]["status"], "expired");
}

pub(crate) fn trials() -> Vec<Trial> {
    trials![
        touch_and_organizations,
        pending_session_tasks,
        v1_claims,
        tokens_and_templates,
        end_remove_and_sign_out,
        destroy_client,
        me_endpoint,
        revoke_and_expire
    ]
}
