//! The handshake (`/v1/client/handshake`, development and production, token and nonce).

use crate::prelude::*;

/// Sends `GET /v1/client/handshake` without following the redirect.
async fn handshake(f: &Fapi, query: &[(&str, &str)]) -> reqwest::Response {
    let mut q: Vec<(&str, &str)> = vec![("__clerk_api_version", "2026-05-12")];
    q.extend_from_slice(query);
    if let Some(d) = &f.dvb {
        q.push(("__clerk_db_jwt", d));
    }
    let url = format!(
        "{}/v1/client/handshake?{}",
        f.base,
        serde_urlencoded::to_string(&q).unwrap()
    );
    // Same cookie jar semantics as the browser: send the emulator's cookies by hand.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut rb = client
        .get(url)
        .header("accept", "text/html")
        .header("sec-fetch-dest", "document");
    if let Some(c) = &f.client_cookie {
        rb = rb.header("cookie", format!("__client={c}"));
    }
    rb.send().await.unwrap()
}

/// A handshake that must redirect (307): its `location`.
async fn handshake_location(f: &Fapi, query: &[(&str, &str)]) -> String {
    let r = handshake(f, query).await;
    assert_eq!(r.status().as_u16(), 307);
    r.headers()["location"].to_str().unwrap().to_string()
}

/// The value of the cookie `name` the response sets, and its whole `Set-Cookie` line.
fn set_cookie(r: &reqwest::Response, name: &str) -> (String, String) {
    let line = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("{name} cookie"));
    let value = line[name.len() + 1..]
        .split(';')
        .next()
        .unwrap()
        .to_string();
    (value, line)
}

/// Verifies the handshake JWT (RS256, instance kid, JWKS from FAPI) and returns its directives.
async fn handshake_directives(f: &Fapi, jwt: &str) -> Vec<String> {
    let jwks = f.get("/.well-known/jwks.json").await.json;
    let header = jsonwebtoken::decode_header(jwt).unwrap();
    assert_eq!(header.alg, jsonwebtoken::Algorithm::RS256);
    assert_eq!(header.typ.as_deref(), Some("JWT"));
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"].as_str() == header.kid.as_deref())
        .expect("kid in JWKS");
    let dk = jsonwebtoken::DecodingKey::from_rsa_components(
        key["n"].as_str().unwrap(),
        key["e"].as_str().unwrap(),
    )
    .unwrap();
    let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    v.validate_exp = false;
    v.validate_aud = false;
    v.required_spec_claims.clear();
    let data = jsonwebtoken::decode::<Value>(jwt, &dk, &v).expect("handshake JWT verifies");
    data.claims["handshake"]
        .as_array()
        .expect("handshake array")
        .iter()
        .map(|d| d.as_str().unwrap().to_string())
        .collect()
}

fn query_param(location: &str, name: &str) -> Option<String> {
    let q = location.split_once('?')?.1.split('#').next()?;
    serde_urlencoded::from_str::<Vec<(String, String)>>(q)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn cookie_value<'a>(directives: &'a [String], name: &str) -> Option<&'a str> {
    directives.iter().find_map(|d| {
        let (n, rest) = d.split_once('=')?;
        (n == name).then(|| rest.split(';').next().unwrap_or(""))
    })
}

async fn handshake_development() {
    let f = dev().await;
    let app = "http://localhost:3000/dashboard?tab=1#top";
    // Signed out: clearing cookies, 307 back to the app with the payload in the query.
    let r = handshake(
        &f,
        &[
            ("redirect_url", app),
            ("suffixed_cookies", "false"),
            (
                "__clerk_hs_reason",
                "session-token-expired-refresh-non-eligible-no-refresh-cookie",
            ),
        ],
    )
    .await;
    assert_eq!(r.status().as_u16(), 307);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    assert!(
        loc.starts_with("http://localhost:3000/dashboard?tab=1&"),
        "{loc}"
    );
    assert!(loc.ends_with("#top"), "{loc}");
    assert_eq!(
        query_param(&loc, "__clerk_db_jwt").as_deref(),
        f.dvb.as_deref()
    );
    let d = handshake_directives(
        &f,
        &query_param(&loc, "__clerk_handshake").expect("payload"),
    )
    .await;
    assert_eq!(cookie_value(&d, "__session"), Some(""), "{d:?}");
    assert!(
        d.iter()
            .any(|c| c.starts_with("__session=;") && c.contains("Max-Age=0")),
        "{d:?}"
    );
    assert_eq!(cookie_value(&d, "__client_uat"), Some("0"));
    assert_eq!(d.len(), 2, "no suffixed cookies unless asked: {d:?}");
    // Signed in, suffixed cookies: a fresh token for the session, azp = the app's origin.
    let (sid, uid) = f.sign_in(EMAIL, PASSWORD).await;
    let loc = handshake_location(
        &f,
        &[
            ("redirect_url", app),
            ("suffixed_cookies", "true"),
            ("__clerk_hs_reason", "session-token-expired"),
        ],
    )
    .await;
    let d = handshake_directives(&f, &query_param(&loc, "__clerk_handshake").unwrap()).await;
    assert_eq!(d.len(), 4, "{d:?}");
    let token = cookie_value(&d, "__session").unwrap().to_string();
    let (_, claims) = f.verify(&token).await;
    assert_eq!(claims["sid"], sid.as_str());
    assert_eq!(claims["sub"], uid.as_str());
    assert_eq!(claims["azp"], "http://localhost:3000");
    assert!(claims["exp"].as_i64().unwrap() > claims["iat"].as_i64().unwrap());
    // The suffix is Clerk's getCookieSuffix of the publishable key (vectors in the unit tests).
    let sfx = clerk_emulator::routes::handshake::cookie_suffix(f.handle.publishable_key());
    assert_eq!(
        cookie_value(&d, &format!("__session_{sfx}")),
        Some(token.as_str())
    );
    let uat: i64 = cookie_value(&d, "__client_uat").unwrap().parse().unwrap();
    assert!(uat > 0);
    assert_eq!(
        cookie_value(&d, &format!("__client_uat_{sfx}")),
        Some(uat.to_string().as_str())
    );
    assert!(
        d.iter()
            .all(|c| c.contains("Path=/") && !c.contains("Secure")),
        "http app: no Secure: {d:?}"
    );
    // https app: Secure cookies.
    let r = handshake(&f, &[("redirect_url", "https://app.example/")]).await;
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    let d = handshake_directives(&f, &query_param(&loc, "__clerk_handshake").unwrap()).await;
    assert!(d.iter().all(|c| c.contains("; Secure")), "{d:?}");
    // organization_id (organizationSyncOptions): slug or id of a membership activates it.
    let r = handshake(
        &f,
        &[("redirect_url", app), ("organization_id", "demo-org")],
    )
    .await;
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    let d = handshake_directives(&f, &query_param(&loc, "__clerk_handshake").unwrap()).await;
    let (_, claims) = f.verify(cookie_value(&d, "__session").unwrap()).await;
    assert_eq!(claims["o"]["slg"], "demo-org", "{claims}");
    let r = handshake(&f, &[("redirect_url", app), ("organization_id", "")]).await;
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    let d = handshake_directives(&f, &query_param(&loc, "__clerk_handshake").unwrap()).await;
    let (_, claims) = f.verify(cookie_value(&d, "__session").unwrap()).await;
    assert!(claims.get("o").is_none(), "personal account: {claims}");
    // Only absolute http(s) redirect URLs; a bad one is an error, never a redirect.
    for bad in [
        "javascript:alert(1)",
        "/dashboard",
        "//evil.example/",
        "https://app@evil.example/",
        "data:text/html,hi",
        "",
    ] {
        // `finish` validates the error body against the document's 422 ClerkErrors.
        let r = finish(
            "GET",
            "/v1/client/handshake",
            handshake(&f, &[("redirect_url", bad)]).await,
        )
        .await;
        assert_eq!(r.status, 422, "{bad:?}");
        assert!(r.header("location").is_none());
        assert!(r.code().starts_with("form_param_"), "{}", r.text);
    }
    let r = handshake(&f, &[("redirect_url", app), ("format", "xml")]).await;
    assert_eq!(r.status().as_u16(), 422);
    // Signed out again after sign-out.
    f.send("DELETE", "/v1/client/sessions", &[], None)
        .await
        .expect(200);
    let r = handshake(&f, &[("redirect_url", app)]).await;
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    let d = handshake_directives(&f, &query_param(&loc, "__clerk_handshake").unwrap()).await;
    assert_eq!(cookie_value(&d, "__client_uat"), Some("0"));
    // A missing or unknown dev browser is Clerk's 401.
    let mut g = dev().await;
    g.dvb = Some("dvb_unknown".into());
    assert_eq!(
        handshake(&g, &[("redirect_url", app)])
            .await
            .status()
            .as_u16(),
        401
    );
}

async fn handshake_nonce_and_production() {
    let f = dev().await;
    let (sid, _) = f.sign_in(EMAIL, PASSWORD).await;
    let app = "http://localhost:3000/";
    let loc = handshake_location(
        &f,
        &[
            ("redirect_url", app),
            ("format", "nonce"),
            ("suffixed_cookies", "true"),
        ],
    )
    .await;
    assert!(query_param(&loc, "__clerk_handshake").is_none());
    let nonce = query_param(&loc, "__clerk_handshake_nonce").expect("nonce");
    let p = f
        .bapi(
            "GET",
            &format!("/clients/handshake_payload?nonce={nonce}"),
            None,
        )
        .await;
    p.expect(200);
    let d: Vec<String> = p.json["directives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(d.len(), 4);
    let (_, claims) = f.verify(cookie_value(&d, "__session").unwrap()).await;
    assert_eq!(claims["sid"], sid.as_str());
    f.bapi("GET", "/clients/handshake_payload?nonce=nope", None)
        .await
        .expect_err(404, "resource_not_found");
    f.bapi(
        "GET",
        &format!("/clients/handshake_payload?nonce={nonce}"),
        Some("sk_test_wrong"),
    )
    .await
    .expect(401);

    // Production: the `__client` cookie identifies the browser; the payload is a cookie.
    let mut p = prod().await;
    let r = handshake(&p, &[("redirect_url", app)]).await;
    assert_eq!(r.status().as_u16(), 307);
    assert_eq!(
        r.headers()["location"],
        app,
        "production: the URL stays clean"
    );
    let (jwt, _) = set_cookie(&r, "__clerk_handshake");
    let d = handshake_directives(&p, &jwt).await;
    assert_eq!(
        cookie_value(&d, "__client_uat"),
        Some("0"),
        "no __client cookie: signed out"
    );
    let (psid, _) = p.sign_in(EMAIL, PASSWORD).await;
    p.client_cookie = p.client_cookie_from_jar();
    assert!(p.client_cookie.is_some(), "sign-in set __client");
    let r = handshake(&p, &[("redirect_url", app), ("format", "nonce")]).await;
    let (nonce, nonce_cookie) = set_cookie(&r, "__clerk_handshake_nonce");
    assert!(nonce_cookie.contains("HttpOnly"));
    let pl = p
        .bapi(
            "GET",
            &format!("/clients/handshake_payload?nonce={nonce}"),
            None,
        )
        .await;
    let d: Vec<String> = pl.json["directives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let (_, claims) = p.verify(cookie_value(&d, "__session").unwrap()).await;
    assert_eq!(claims["sid"], psid.as_str());
}

pub(crate) fn trials() -> Vec<Trial> {
    trials![handshake_development, handshake_nonce_and_production]
}
