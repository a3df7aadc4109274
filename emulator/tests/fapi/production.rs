//! Production instances: the `__client` and `__client_uat` cookies.

use crate::prelude::*;

async fn production_cookies() {
    let f = prod().await;
    assert!(f.handle.publishable_key().starts_with("pk_live_"));
    let env = f.get("/v1/environment").await;
    env.expect(200);
    assert_eq!(
        env.json["display_config"]["instance_environment_type"],
        "production"
    );
    let c = f.get("/v1/client").await;
    c.expect(200);
    assert!(c.json["response"].is_null());
    f.post("/v1/dev_browser", &[]).await.expect(400);
    let r = password_sign_in(&f, EMAIL, PASSWORD).await;
    r.expect(200);
    let cookies: Vec<&str> = r
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let client_cookie = cookies
        .iter()
        .find(|c| c.starts_with("__client="))
        .expect("__client cookie");
    assert!(
        client_cookie.contains("HttpOnly")
            && client_cookie.contains("SameSite=Lax")
            && !client_cookie.contains("Secure"),
        "{client_cookie}"
    );
    let uat = cookies
        .iter()
        .find(|c| c.starts_with("__client_uat="))
        .expect("__client_uat cookie");
    assert!(!uat.starts_with("__client_uat=0;"), "{uat}");
    // The cookie jar now identifies the client.
    let c = f.get("/v1/client").await;
    assert_eq!(c.json["response"]["sessions"].as_array().unwrap().len(), 1);
    let (_, claims) = f
        .verify(
            c.json["response"]["sessions"][0]["last_active_token"]["jwt"]
                .as_str()
                .unwrap(),
        )
        .await;
    assert_eq!(claims["iss"], "https://clerk.yew-clerk-emulator.test");
    // A request without cookies is a different (absent) client.
    let bare = reqwest::Client::new();
    let url = format!("{}/v1/client?__clerk_api_version={API_VERSION}", f.base);
    let r = finish("GET", "/v1/client", bare.get(url).send().await.unwrap()).await;
    assert!(r.json["response"].is_null());
    // Sign out → __client_uat=0.
    let d = f.send("DELETE", "/v1/client/sessions", &[], None).await;
    let uat = d
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("__client_uat="))
        .unwrap()
        .to_string();
    assert!(uat.starts_with("__client_uat=0;"), "{uat}");
    // Destroying the client clears __client.
    let d = f.send("DELETE", "/v1/client", &[], None).await;
    d.expect(200);
    assert!(d
        .headers
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap_or("").starts_with("__client=;")));
}

pub(crate) fn trials() -> Vec<Trial> {
    trials![production_cookies]
}
