//! Unknown routes and shutdown.

use crate::prelude::*;

async fn unknown_routes() {
    let f = dev().await;
    let h = f.get("/v1/health").await;
    h.expect(200);
    assert_eq!(h.json["status"], "healthy");
    f.get("/v1/nope").await.expect(404);
    assert_eq!(f.get("/v1/nope").await.code(), "resource_not_found");
    let r = f
        .http
        .get(format!("{}/elsewhere", f.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
}

async fn shutdown_stops_serving() {
    let f = start(Config {
        instance: InstanceType::Development,
        ..Config::default()
    })
    .await;
    let url = format!("{}/.well-known/jwks.json", f.base);
    assert!(reqwest::get(&url).await.is_ok());
    f.handle.shutdown().await;
    assert!(reqwest::Client::new()
        .get(&url)
        .timeout(Duration::from_secs(2))
        .send()
        .await
        .is_err());
}

pub(crate) fn trials() -> Vec<Trial> {
    trials![unknown_routes, shutdown_stops_serving]
}
