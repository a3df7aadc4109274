//! Test helpers: start an emulator in-process and talk to it over real HTTP.
//! Every FAPI response body goes through [`openapi::Spec::validate`].

#![allow(dead_code)]

pub mod openapi;

use clerk_emulator::{Config, Handle, InstanceType};
use reqwest::header::HeaderMap;
use serde_json::{json, Value};

/// API version clerk-js 6.40.0 sends.
pub const API_VERSION: &str = "2026-08-20";
/// Origin of the pretend app page.
pub const ORIGIN: &str = "http://127.0.0.1:3000";
/// Default seeded user.
pub const EMAIL: &str = "demo@example.com";
/// Its password.
pub const PASSWORD: &str = "demo-password-123";

/// A response, already validated against the OpenAPI document.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub json: Value,
    pub text: String,
}

impl Resp {
    /// `errors[0].code`.
    pub fn code(&self) -> &str {
        self.json["errors"][0]["code"].as_str().unwrap_or("")
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Self {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        self
    }
    #[track_caller]
    pub fn expect_err(&self, status: u16, code: &str) -> &Self {
        self.expect(status);
        assert_eq!(self.code(), code, "body: {}", self.text);
        assert!(self.json["clerk_trace_id"].is_string(), "trace id");
        self
    }
}

/// A browser-like FAPI client bound to one emulator.
pub struct Fapi {
    pub handle: Handle,
    pub base: String,
    pub http: reqwest::Client,
    /// Development: the dev browser id sent as `__clerk_db_jwt`.
    pub dvb: Option<String>,
    /// Production: the `__client` cookie value, for requests sent outside `http`'s jar.
    pub client_cookie: Option<String>,
    /// `http`'s cookie jar.
    pub jar: std::sync::Arc<reqwest::cookie::Jar>,
}

/// Starts an emulator with `config` (port 0).
pub async fn start(config: Config) -> Fapi {
    let (_addr, handle) = clerk_emulator::spawn(config)
        .await
        .expect("emulator starts");
    let base = handle.url().to_string();
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let http = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .build()
        .expect("http client");
    Fapi {
        handle,
        base,
        http,
        dvb: None,
        client_cookie: None,
        jar,
    }
}

/// A development emulator with a dev browser already created.
pub async fn dev() -> Fapi {
    let mut f = start(Config::default()).await;
    f.new_dev_browser().await;
    f
}

/// A production emulator.
pub async fn prod() -> Fapi {
    start(Config {
        instance: InstanceType::Production,
        ..Config::default()
    })
    .await
}

impl Fapi {
    pub async fn new_dev_browser(&mut self) -> String {
        let r = self.send("POST", "/v1/dev_browser", &[], None).await;
        r.expect(200);
        let id = r.json["id"].as_str().expect("dvb id").to_string();
        assert!(id.starts_with("dvb_"));
        self.dvb = Some(id.clone());
        id
    }

    fn url(&self, path: &str, extra: &[(&str, &str)]) -> String {
        let mut q: Vec<(String, String)> = vec![
            ("__clerk_api_version".into(), API_VERSION.into()),
            ("_clerk_js_version".into(), "6.40.0".into()),
        ];
        q.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        if let Some(d) = &self.dvb {
            if !extra.iter().any(|(k, _)| *k == "__clerk_db_jwt") {
                q.push(("__clerk_db_jwt".into(), d.clone()));
            }
        }
        let qs = serde_urlencoded::to_string(&q).expect("query");
        format!("{}{}?{}", self.base, path, qs)
    }

    /// Sends a FAPI request the way clerk-js does (PATCH/PUT/DELETE as POST + `_method`,
    /// form bodies, `Origin`), validates the response body and returns it.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        form: Option<&[(&str, &str)]>,
    ) -> Resp {
        let mut q: Vec<(&str, &str)> = query.to_vec();
        let wire = match method {
            "PATCH" | "PUT" | "DELETE" => {
                q.push(("_method", method));
                "POST"
            }
            m => m,
        };
        let url = self.url(path, &q);
        let mut rb = self
            .http
            .request(wire.parse().expect("method"), &url)
            .header("origin", ORIGIN);
        if let Some(f) = form {
            rb = rb
                .header("content-type", "application/x-www-form-urlencoded")
                .body(serde_urlencoded::to_string(f).expect("form"));
        } else if wire == "POST" {
            rb = rb
                .header("content-type", "application/x-www-form-urlencoded")
                .body("");
        }
        let resp = rb.send().await.expect("request");
        finish(method, path, resp).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send("GET", path, &[], None).await
    }
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Resp {
        self.send("POST", path, &[], Some(form)).await
    }

    /// `POST …/sessions/{sid}/touch` selecting `org_id`, as clerk-js's `setActive({organization})`.
    pub async fn select_org(&self, sid: &str, org_id: &str) -> Resp {
        self.post(
            &format!("/v1/client/sessions/{sid}/touch"),
            &[("active_organization_id", org_id), ("intent", "select_org")],
        )
        .await
    }

    /// Control API call (JSON, not validated: it is not FAPI).
    pub async fn control(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut rb = self.http.request(
            method.parse().expect("method"),
            format!("{}/__emulator{}", self.base, path),
        );
        if let Some(b) = body {
            rb = rb.json(&b);
        } else if method != "GET" && method != "DELETE" {
            // State-changing control calls must declare JSON even without a body.
            rb = rb.header("content-type", "application/json");
        }
        let r = rb.send().await.expect("control request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// Signs in the demo user with a password; returns (session id, user id).
    pub async fn sign_in(&self, email: &str, password: &str) -> (String, String) {
        let r = self
            .post(
                "/v1/client/sign_ins",
                &[
                    ("identifier", email),
                    ("password", password),
                    ("strategy", "password"),
                    ("locale", "en-US"),
                    ("timezone", "UTC"),
                ],
            )
            .await;
        r.expect(200);
        assert_eq!(r.json["response"]["status"], "complete", "{}", r.text);
        let sid = r.json["response"]["created_session_id"]
            .as_str()
            .expect("sid")
            .to_string();
        let session = r.json["client"]["sessions"]
            .as_array()
            .expect("sessions")
            .iter()
            .find(|s| s["id"] == sid.as_str())
            .expect("session in client")
            .clone();
        (
            sid,
            session["user"]["id"].as_str().expect("user id").to_string(),
        )
    }

    /// The last email code sent to `email`.
    pub async fn code_for(&self, email: &str) -> String {
        let (st, v) = self
            .control("GET", &format!("/verification_codes?email={email}"), None)
            .await;
        assert_eq!(st, 200, "{v}");
        v["code"].as_str().expect("code").to_string()
    }

    /// Decodes and verifies a JWT with the JWKS; returns (header, claims).
    pub async fn verify(&self, jwt: &str) -> (Value, Value) {
        let jwks = self.get("/.well-known/jwks.json").await;
        jwks.expect(200);
        let header = jsonwebtoken::decode_header(jwt).expect("header");
        let key = jwks.json["keys"]
            .as_array()
            .expect("keys")
            .iter()
            .find(|k| k["kid"].as_str() == header.kid.as_deref())
            .expect("kid in jwks")
            .clone();
        let dk = jsonwebtoken::DecodingKey::from_rsa_components(
            key["n"].as_str().expect("n"),
            key["e"].as_str().expect("e"),
        )
        .expect("key");
        let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
        v.validate_aud = false;
        v.required_spec_claims = ["exp", "iat", "nbf", "iss", "sub"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let data =
            jsonwebtoken::decode::<Value>(jwt, &dk, &v).expect("JWT verifies against the JWKS");
        (
            json!({"alg": "RS256", "kid": header.kid, "typ": header.typ}),
            data.claims,
        )
    }
}

impl Fapi {
    /// The `__client` cookie in `http`'s jar (production), if any.
    pub fn client_cookie_from_jar(&self) -> Option<String> {
        use reqwest::cookie::CookieStore;
        let url: reqwest::Url = self.base.parse().ok()?;
        let header = self.jar.cookies(&url)?;
        header.to_str().ok()?.split(';').find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == "__client").then(|| v.to_string())
        })
    }

    /// A Backend API call (`{backend_api_url}/v1{path}`) with `Authorization: Bearer key`
    /// (the instance's secret key when `key` is `None`, no header when `Some("")`);
    /// the body is validated against the BAPI OpenAPI document.
    pub async fn bapi(&self, method: &str, path: &str, key: Option<&str>) -> Resp {
        let url = format!("{}/v1{path}", self.handle.backend_api_url());
        let mut rb = self.http.request(method.parse().expect("method"), &url);
        let key = key.unwrap_or(self.handle.secret_key());
        if !key.is_empty() {
            rb = rb.header("authorization", format!("Bearer {key}"));
        }
        let resp = rb.send().await.expect("bapi request");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap_or_default();
        let json: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        assert!(
            headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|c| c.starts_with("application/json")),
            "BAPI answers JSON: {text}"
        );
        // `/clients/handshake_payload` is listed without operations in the document.
        let doc_path = path.split('?').next().unwrap_or(path);
        if let Some(spec) = openapi::bapi_spec()
            .filter(|_| doc_path != "/clients/handshake_payload" || status >= 400)
        {
            if let Err(e) = spec.validate(method, doc_path, status, &json) {
                panic!("BAPI OpenAPI validation failed: {e}");
            }
        }
        Resp {
            status,
            headers,
            json,
            text,
        }
    }
}

// Steps the scenario files share (sign-ins, MFA set-up, codes, tokens).

/// RFC 6238's test secret ("12345678901234567890") in base32.
pub const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
/// A phone number the MFA scenarios make a second factor.
pub const MFA_PHONE: &str = "+15555550100";

/// The current TOTP code of [`SECRET`].
pub fn totp_now() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    clerk_emulator::totp::code_at(SECRET, now).expect("TOTP code")
}

/// A six-digit code that is not `code`.
pub fn wrong(code: &str) -> &'static str {
    if code == "000000" {
        "111111"
    } else {
        "000000"
    }
}

/// The `strategy` of each factor in a `supported_*_factors` list.
pub fn strategies(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("factor list")
        .iter()
        .map(|f| f["strategy"].as_str().expect("strategy"))
        .collect()
}

/// The demo user's id (control API).
pub async fn demo_user_id(f: &Fapi) -> String {
    let (st, users) = f.control("GET", "/users", None).await;
    assert_eq!(st, 200);
    users
        .as_array()
        .expect("users")
        .iter()
        .find(|u| u["email_addresses"][0]["email_address"] == EMAIL)
        .expect("demo user")["id"]
        .as_str()
        .expect("user id")
        .to_string()
}

/// Sets the demo user's MFA through the control API (`POST /users/{id}/mfa`).
pub async fn set_mfa(f: &Fapi, body: Value) -> Value {
    let uid = demo_user_id(f).await;
    let (st, v) = f
        .control("POST", &format!("/users/{uid}/mfa"), Some(body))
        .await;
    assert_eq!(st, 200, "{v}");
    v
}

/// A control API `POST` (`/users`, `/settings`, …) that must succeed; returns its body.
pub async fn control_ok(f: &Fapi, path: &str, body: Value) -> Value {
    let (st, v) = f.control("POST", path, Some(body)).await;
    assert_eq!(st, 200, "{v}");
    v
}

/// The last code sent to `phone` (control API).
pub async fn phone_code(f: &Fapi, phone: &str) -> String {
    let (st, v) = f
        .control(
            "GET",
            &format!("/verification_codes?phone={}", phone.replace('+', "%2B")),
            None,
        )
        .await;
    assert_eq!(st, 200, "{v}");
    v["code"].as_str().expect("code").to_string()
}

/// A fresh session token (`POST /v1/client/sessions/{sid}/tokens`).
pub async fn token(f: &Fapi, sid: &str) -> String {
    let r = f
        .post(&format!("/v1/client/sessions/{sid}/tokens"), &[])
        .await;
    r.expect(200);
    r.json["jwt"].as_str().expect("jwt").to_string()
}

/// `POST /v1/client/sign_ins` with a password, as clerk-js's `signIn.create`; the answer
/// unchecked.
pub async fn password_sign_in(f: &Fapi, email: &str, password: &str) -> Resp {
    f.post(
        "/v1/client/sign_ins",
        &[
            ("identifier", email),
            ("password", password),
            ("strategy", "password"),
        ],
    )
    .await
}

/// `POST /v1/client/sign_ins` with an identifier and a strategy that needs no more
/// (`email_code`, `reset_password_email_code`, …); the answer unchecked.
pub async fn sign_in_with(f: &Fapi, identifier: &str, strategy: &str) -> Resp {
    f.post(
        "/v1/client/sign_ins",
        &[("identifier", identifier), ("strategy", strategy)],
    )
    .await
}

/// Attempts `strategy` at `attempt` with the wrong code `bad` (422 `form_code_incorrect`),
/// then with `code`: returns that answer, checked 200.
pub async fn wrong_then_right(
    f: &Fapi,
    attempt: &str,
    strategy: &str,
    bad: &str,
    code: &str,
) -> Resp {
    f.post(attempt, &[("strategy", strategy), ("code", bad)])
        .await
        .expect_err(422, "form_code_incorrect");
    let ok = f
        .post(attempt, &[("strategy", strategy), ("code", code)])
        .await;
    ok.expect(200);
    ok
}

/// With the OpenAPI document present, response bodies were validated against it (so a
/// scenario cannot pass with validation silently off).
pub fn assert_bodies_validated() {
    if openapi::spec().is_some() {
        assert!(openapi::VALIDATED.load(std::sync::atomic::Ordering::Relaxed) > 0);
    }
}

/// Reads a response and validates a JSON body against the OpenAPI document.
pub async fn finish(method: &str, path: &str, resp: reqwest::Response) -> Resp {
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap_or_default();
    let is_json = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/json"));
    let json: Value = if is_json {
        serde_json::from_str(&text).unwrap_or(Value::Null)
    } else {
        Value::Null
    };
    if is_json && !json.is_null() && (path.starts_with("/v1/") || path.starts_with("/.well-known/"))
    {
        if let Some(spec) = openapi::spec() {
            if let Err(e) = spec.validate(method, path, status, &json) {
                panic!("OpenAPI validation failed: {e}");
            }
        }
    }
    Resp {
        status,
        headers,
        json,
        text,
    }
}
