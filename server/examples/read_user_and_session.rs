//! The server half of Clerk's "Read user and session data" guide, in Rust with axum:
//!
//! | Next.js (`@clerk/nextjs`) | here |
//! |---|---|
//! | `const { userId } = auth()` in a page | `page(auth: Auth)` |
//! | `auth()` + `await currentUser()` in `app/api/route.ts` | `route(auth: Auth)` |
//! | `getAuth(req)` + `clerkClient.users.getUser(userId)` in `pages/api` | `pages_api(State(clerk), parts)`: no layer, just `http` types |
//!
//! ```sh
//! CLERK_PUBLISHABLE_KEY=pk_test_... CLERK_SECRET_KEY=sk_test_... \
//!   cargo run -p yew-clerk-server --example read_user_and_session
//! curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:3000/api/route
//! ```
//! Against the emulator: `CLERK_PROXY_URL=<its URL>` and `CLERK_API_URL=<its Backend API URL>`.

use axum::extract::State;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use yew_clerk_server::{Auth, Clerk, ClerkLayer};

/// App Router page: `const { userId } = auth();`
async fn page(auth: Auth) -> Html<String> {
    let user_id = auth.user_id().unwrap_or("(signed out)");
    // Optionally, add the complete user object:
    // let user = auth.current_user().await;
    Html(format!("<p>Hello, {user_id}</p>"))
}

/// App Router route handler: `auth()`, then `await currentUser()`.
async fn route(auth: Auth) -> Response {
    let Some(user_id) = auth.user_id() else {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "Unauthorized"})),
        )
            .into_response();
    };
    // Optionally, add the complete user object (Backend API, needs CLERK_SECRET_KEY).
    let user = auth.current_user().await.ok().flatten();
    Json(json!({
        "user_id": user_id,
        "email": user.as_ref().and_then(|u| u.primary_email_address()),
    }))
    .into_response()
}

/// Pages Router API route: `getAuth(req)`, framework-agnostic: plain `http` request parts
/// (`clerk.authenticate_request(&request)` takes a whole `http::Request` elsewhere).
async fn pages_api(State(clerk): State<Clerk>, req: Parts) -> Response {
    let state = clerk.authenticate_parts(&req).await;
    let Some(user_id) = state.user_id() else {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "Unauthorized"})),
        )
            .into_response();
    };
    // Optionally, load the complete user object: clerkClient.users.getUser(userId).
    if let Some(backend) = clerk.backend() {
        let _user = backend.get_user(user_id).await;
    }
    Json(json!({})).into_response()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // CLERK_PUBLISHABLE_KEY, CLERK_SECRET_KEY, CLERK_API_URL, CLERK_PROXY_URL, CLERK_JWT_KEY.
    let clerk = Clerk::from_env()?;
    let app = Router::new()
        .route("/", get(page))
        .route("/api/route", get(route))
        .layer(ClerkLayer::new(clerk.clone()))
        .merge(
            Router::new()
                .route("/api/pages", get(pages_api))
                .with_state(clerk),
        );
    let addr = std::env::var("ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{addr}");
    axum::serve(listener, app).await?;
    Ok(())
}
