//! The stateful fake Frontend API, its scripted faults, and the transport in front of it.

use super::*;

// ---------------------------------------------------------------- FAPI

/// A recorded request (logical method, path without query, query and body).
#[derive(Debug, Clone)]
pub struct Rec {
    pub method: String,
    pub path: String,
    pub url: String,
    pub body: String,
}

impl Rec {
    pub fn query(&self, name: &str) -> Option<String> {
        crate::client::url::query_param(&self.url, name)
    }
    pub fn form(&self, name: &str) -> Option<String> {
        crate::client::url::query_param(&format!("x?{}", self.body), name)
    }
}

/// A scripted failure for the next requests matching `method path`.
#[derive(Clone, Debug)]
pub enum Fault {
    Status(u16, String),
    RateLimit(u32),
    Offline,
    Network,
    Malformed,
    /// Never answers (the transport future stays pending until dropped).
    Stall,
    /// Answers `status` with this exact body (HTML error pages, drifted JSON...).
    Body(u16, String),
}

#[derive(Clone, Debug)]
pub struct FSession {
    pub id: String,
    pub user: String,
    pub status: String,
    pub org: Option<String>,
    pub updated_at: i64,
}

#[derive(Clone, Debug)]
pub struct FUser {
    pub id: String,
    pub first_name: String,
    pub email: String,
    pub password: String,
    /// (org id, slug, role, permissions)
    pub orgs: Vec<(String, String, String, Vec<String>)>,
}

pub struct FakeFapi {
    pub development: bool,
    pub token_lifetime: i64,
    pub dev_browsers: Vec<String>,
    pub has_client: bool,
    pub sessions: Vec<FSession>,
    pub users: Vec<FUser>,
    pub last_active: Option<String>,
    pub updated_at: i64,
    pub faults: HashMap<String, VecDeque<Fault>>,
    pub log: Vec<Rec>,
    pub rotate_dev_browser: Option<String>,
    pub single_session: bool,
    /// `auth_config.session_minter` of the environment served.
    pub session_minter: bool,
    pub sign_in: Option<Value>,
    pub sign_up: Option<Value>,
    pub codes: HashMap<String, String>,
    /// FAPI clock minus device clock.
    pub server_offset_ms: i64,
    counter: u64,
}

impl FakeFapi {
    pub fn new(development: bool) -> Self {
        FakeFapi {
            development,
            token_lifetime: 60,
            dev_browsers: Vec::new(),
            has_client: false,
            sessions: Vec::new(),
            users: vec![FUser {
                id: "user_1".into(),
                first_name: "Ada".into(),
                email: "ada@example.com".into(),
                password: "correct horse".into(),
                orgs: vec![(
                    "org_9".into(),
                    "acme".into(),
                    "org:admin".into(),
                    vec!["org:sys_memberships:manage".into()],
                )],
            }],
            last_active: None,
            updated_at: 1_700_000_000_000,
            faults: HashMap::new(),
            log: Vec::new(),
            rotate_dev_browser: None,
            single_session: false,
            session_minter: false,
            sign_in: None,
            sign_up: None,
            codes: HashMap::new(),
            server_offset_ms: 0,
            counter: 0,
        }
    }

    pub fn next_id(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}_{}", self.counter)
    }

    /// Adds an active session for `user` and makes it the last active one.
    pub fn sign_in_session(&mut self, user: &str, now: i64) -> String {
        self.has_client = true;
        let id = format!("sess_{}", self.sessions.len() + 1);
        self.sessions.push(FSession {
            id: id.clone(),
            user: user.into(),
            status: "active".into(),
            org: None,
            updated_at: now,
        });
        self.last_active = Some(id.clone());
        self.updated_at = now;
        id
    }

    pub fn add_user(&mut self, id: &str, email: &str) {
        self.users.push(FUser {
            id: id.into(),
            first_name: "Bob".into(),
            email: email.into(),
            password: "pw".into(),
            orgs: vec![],
        });
    }

    pub fn fault(&mut self, key: &str, fault: Fault, times: usize) {
        let q = self.faults.entry(key.into()).or_default();
        for _ in 0..times {
            q.push_back(fault.clone());
        }
    }

    pub fn count(&self, key: &str) -> usize {
        self.log
            .iter()
            .filter(|r| format!("{} {}", r.method, r.path) == key)
            .count()
    }

    pub fn count_prefix(&self, prefix: &str) -> usize {
        self.log
            .iter()
            .filter(|r| format!("{} {}", r.method, r.path).starts_with(prefix))
            .count()
    }

    pub fn mint(&self, sid: &str, org: Option<&str>, now: i64, template: Option<&str>) -> String {
        let s = self.sessions.iter().find(|s| s.id == sid);
        let user = s.map(|s| s.user.clone()).unwrap_or_default();
        let iat = now / 1000;
        let mut p = json!({
            "sub": user, "sid": sid, "iat": iat, "nbf": iat - 10, "exp": iat + self.token_lifetime,
            "iss": "https://clerk.example.test", "azp": "http://localhost:8080", "v": 2,
            "sts": s.map(|s| s.status.clone()).unwrap_or_default(), "fva": super::super::reverification_fake::fva(),
            "fea": "u:dashboard", "pla": "u:free",
        });
        if let Some(org) = org.filter(|o| !o.is_empty()) {
            let u = self.users.iter().find(|u| u.id == user);
            if let Some((_, slug, role, _)) = u.and_then(|u| u.orgs.iter().find(|o| o.0 == org)) {
                p["o"] = json!({"id": org, "slg": slug, "rol": role.trim_start_matches("org:")});
            }
        }
        if let Some(t) = template {
            p["tpl"] = json!(t);
        }
        jwt(p)
    }

    fn user_json(&self, id: &str) -> Value {
        let Some(u) = self.users.iter().find(|u| u.id == id) else {
            return json!({"id": id});
        };
        json!({
            "object": "user", "id": u.id, "first_name": u.first_name, "last_name": "Lovelace",
            "primary_email_address_id": "idn_1", "password_enabled": true,
            "email_addresses": [{"object":"email_address","id":"idn_1","email_address": u.email,
                "verification": {"status":"verified","strategy":"email_code"}, "linked_to": []}],
            "phone_numbers": [], "external_accounts": [],
            "organization_memberships": u.orgs.iter().map(|(oid, slug, role, perms)| json!({
                "object":"organization_membership","id": format!("orgmem_{oid}"), "role": role,
                "permissions": perms, "organization": {"id": oid, "name": slug, "slug": slug}
            })).collect::<Vec<_>>(),
            "public_metadata": {}, "unsafe_metadata": {}, "created_at": 1, "updated_at": 1,
        })
    }

    fn session_json(&self, s: &FSession, now: i64) -> Value {
        let token = (s.status == "active" || s.status == "pending").then(
            || json!({"object":"token","jwt": self.mint(&s.id, s.org.as_deref(), now, None)}),
        );
        json!({
            "object": "session", "id": s.id, "status": s.status, "expire_at": now + 86_400_000,
            "abandon_at": now + 864_000_000, "last_active_at": now,
            "last_active_organization_id": s.org, "last_active_token": token,
            "actor": null, "factor_verification_age": super::super::reverification_fake::fva(),
            "tasks": if s.status == "pending" { json!([{"key": "choose-organization"}]) } else { Value::Null },
            "user": self.user_json(&s.user),
            "public_user_data": {"first_name": "Ada", "identifier": "ada@example.com", "user_id": s.user},
            "created_at": 1, "updated_at": s.updated_at,
        })
    }

    pub fn client_json(&self, now: i64) -> Value {
        if !self.has_client {
            return Value::Null;
        }
        json!({
            "object": "client", "id": "client_1",
            "sessions": self.sessions.iter().map(|s| self.session_json(s, now)).collect::<Vec<_>>(),
            "last_active_session_id": self.last_active,
            "sign_in": self.sign_in, "sign_up": self.sign_up,
            "created_at": 1, "updated_at": self.updated_at,
        })
    }

    pub fn environment_json(&self) -> Value {
        json!({
            "object": "environment",
            "auth_config": {
                "single_session_mode": self.single_session,
                "session_minter": self.session_minter,
            },
            "display_config": {
                "instance_environment_type": if self.development {"development"} else {"production"},
                "application_name": "Test", "sign_in_url": "https://accounts.example.test/sign-in",
                "sign_up_url": "https://accounts.example.test/sign-up",
            },
            "organization_settings": {"enabled": true},
            "maintenance_mode": false,
        })
    }

    fn err(status: u16, code: &str) -> HttpResponse {
        HttpResponse {
            status,
            retry_after: None,
            dev_browser: None,
            body:
                json!({"errors":[{"code": code, "message": code, "long_message": code, "meta": {}}],
                "clerk_trace_id": "trace_1"})
                .to_string(),
        }
    }

    fn ok(body: Value) -> HttpResponse {
        HttpResponse {
            status: 200,
            retry_after: None,
            dev_browser: None,
            body: body.to_string(),
        }
    }

    /// Handles one request at time `now`.
    pub fn handle(&mut self, req: &FapiRequest, now: i64) -> Result<HttpResponse, TransportError> {
        let method = match crate::client::url::query_param(&req.url, "_method") {
            Some(m) => m,
            None if req.post => "POST".into(),
            None => "GET".into(),
        };
        let path = req.path.clone();
        let rec = Rec {
            method: method.clone(),
            path: path.clone(),
            url: req.url.clone(),
            body: req.body.clone().unwrap_or_default(),
        };
        self.log.push(rec.clone());
        let key = format!("{method} {path}");
        let fault = self
            .faults
            .get_mut(&key)
            .and_then(VecDeque::pop_front)
            .or_else(|| {
                // Prefix faults: "POST /v1/client/sessions/*"
                let k = self
                    .faults
                    .keys()
                    .find(|k| k.ends_with('*') && key.starts_with(k.trim_end_matches('*')))
                    .cloned()?;
                self.faults.get_mut(&k).and_then(VecDeque::pop_front)
            });
        if let Some(f) = fault {
            return match f {
                Fault::Status(s, code) => Ok(Self::err(s, &code)),
                Fault::RateLimit(secs) => {
                    let mut r = Self::err(429, "rate_limit_exceeded");
                    r.retry_after = Some(secs.to_string());
                    Ok(r)
                }
                Fault::Offline => Err(TransportError::Offline),
                Fault::Network => Err(TransportError::Network("connection refused".into())),
                Fault::Malformed => Ok(HttpResponse {
                    status: 200,
                    retry_after: None,
                    dev_browser: None,
                    body: "{\"response\": {\"id\": 12".into(),
                }),
                Fault::Stall => Err(TransportError::Network(STALL_MARKER.into())),
                Fault::Body(status, body) => Ok(HttpResponse {
                    status,
                    retry_after: None,
                    dev_browser: None,
                    body,
                }),
            };
        }
        if path == "/v1/dev_browser" {
            let id = self.next_id("dvb");
            self.dev_browsers.push(id.clone());
            return Ok(Self::ok(
                json!({"id": id, "instance_id": "ins_test", "token": "ey.x.y"}),
            ));
        }
        if self.development {
            let db = rec.query("__clerk_db_jwt");
            if !db.is_some_and(|d| self.dev_browsers.contains(&d)) {
                return Ok(Self::err(401, "dev_browser_unauthenticated"));
            }
        }
        let mut resp = self.route(&method, &path, &rec, now);
        if let (Ok(r), Some(rot)) = (&mut resp, self.rotate_dev_browser.take()) {
            self.dev_browsers.push(rot.clone());
            r.dev_browser = Some(rot);
        }
        resp
    }

    fn route(
        &mut self,
        method: &str,
        path: &str,
        rec: &Rec,
        now: i64,
    ) -> Result<HttpResponse, TransportError> {
        let parts: Vec<&str> = path.trim_start_matches("/v1/").split('/').collect();
        match (method, parts.as_slice()) {
            ("GET" | "PATCH", ["environment"]) => Ok(Self::ok(self.environment_json())),
            ("GET", ["client"]) => Ok(Self::ok(
                json!({"response": self.client_json(now), "client": null}),
            )),
            ("DELETE", ["client", "sessions"]) => {
                for s in &mut self.sessions {
                    if s.status == "active" || s.status == "pending" {
                        s.status = "ended".into();
                        s.updated_at = now;
                    }
                }
                self.last_active = None;
                self.updated_at = now;
                Ok(Self::ok(
                    json!({"response": self.client_json(now), "client": null}),
                ))
            }
            ("POST", ["client", "sessions", sid, rest @ ..]) => {
                let sid = sid.to_string();
                let Some(idx) = self.sessions.iter().position(|s| s.id == sid) else {
                    return Ok(Self::err(404, "resource_not_found"));
                };
                let active =
                    self.sessions[idx].status == "active" || self.sessions[idx].status == "pending";
                match rest {
                    ["tokens"] | ["tokens", _] => {
                        if !active {
                            return Ok(Self::err(401, "signed_out"));
                        }
                        let template = rest.get(1).copied();
                        let org = if template.is_some() {
                            self.sessions[idx].org.clone()
                        } else {
                            rec.form("organization_id")
                        };
                        Ok(Self::ok(
                            json!({"object": "token", "jwt": self.mint(&sid, org.as_deref(), now, template)}),
                        ))
                    }
                    ["touch"] => {
                        if !active {
                            return Ok(Self::err(401, "signed_out"));
                        }
                        let org = rec.form("active_organization_id").filter(|o| !o.is_empty());
                        let s = &mut self.sessions[idx];
                        s.org = org;
                        s.updated_at = now;
                        self.last_active = Some(sid.clone());
                        self.updated_at = now;
                        let s = self.sessions[idx].clone();
                        Ok(Self::ok(
                            json!({"response": self.session_json(&s, now), "client": self.client_json(now)}),
                        ))
                    }
                    ["remove"] => {
                        self.sessions[idx].status = "removed".into();
                        self.sessions[idx].updated_at = now;
                        if self.last_active.as_deref() == Some(sid.as_str()) {
                            self.last_active = self
                                .sessions
                                .iter()
                                .find(|s| s.status == "active")
                                .map(|s| s.id.clone());
                        }
                        self.updated_at = now;
                        let s = self.sessions[idx].clone();
                        Ok(Self::ok(
                            json!({"response": self.session_json(&s, now), "client": self.client_json(now)}),
                        ))
                    }
                    ["verify", ..] => {
                        super::super::reverification_fake::route(self, active, rest, rec, now)
                    }
                    _ => Ok(Self::err(404, "resource_not_found")),
                }
            }
            _ => super::super::flows_fake::route_flows(self, method, &parts, rec, now)
                .unwrap_or_else(|| Ok(Self::err(404, "resource_not_found"))),
        }
    }

    pub(crate) fn respond_ok(body: Value) -> HttpResponse {
        Self::ok(body)
    }
    pub(crate) fn respond_err(status: u16, code: &str) -> HttpResponse {
        Self::err(status, code)
    }
}

/// What a `Fault::Stall` hands from `FakeFapi::handle` to the transport (never seen by the
/// engine: the transport turns it into a future that never resolves).
const STALL_MARKER: &str = "__stall__";

/// Counts, on drop, a stalled request the engine gave up on (the browser aborts the fetch).
struct DropCounter(Rc<Cell<usize>>);
impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

pub struct FakeTransport {
    pub fapi: Rc<RefCell<FakeFapi>>,
    pub clock: Rc<FakeClock>,
    pub hold: Rc<Cell<bool>>,
    pub held: Rc<RefCell<Vec<oneshot::Sender<()>>>>,
    /// The next this many requests are answered at send time but delivered on `release`
    /// (a response overtaken by later ones).
    pub late: Rc<Cell<usize>>,
    pub abandoned: Rc<Cell<usize>>,
}

impl Transport for FakeTransport {
    fn send(&self, request: FapiRequest) -> LocalFuture<Result<HttpResponse, TransportError>> {
        let fapi = self.fapi.clone();
        let clock = self.clock.clone();
        let late = self.late.get() > 0;
        if late {
            self.late.set(self.late.get() - 1);
        }
        let gate = (self.hold.get() || late).then(|| {
            let (tx, rx) = oneshot::channel();
            self.held.borrow_mut().push(tx);
            rx
        });
        let answered_now = late.then(|| {
            let now = clock.now_ms() + fapi.borrow().server_offset_ms;
            let r = fapi.borrow_mut().handle(&request, now);
            r
        });
        let abandoned = self.abandoned.clone();
        Box::pin(async move {
            if let Some(rx) = gate {
                let _ = rx.await;
            }
            let r = match answered_now {
                Some(r) => r,
                None => {
                    let now = clock.now_ms() + fapi.borrow().server_offset_ms;
                    let r = fapi.borrow_mut().handle(&request, now);
                    r
                }
            };
            if matches!(&r, Err(TransportError::Network(m)) if m == STALL_MARKER) {
                let _counter = DropCounter(abandoned);
                futures::future::pending::<()>().await;
            }
            r
        })
    }
}
