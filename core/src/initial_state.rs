//! [`InitialState`]: the auth state a server hands to the first render (Clerk's
//! `buildClerkProps` → `ClerkProvider initialState`).
//!
//! A server that verified the request's session token builds one with
//! [`InitialState::from_claims`] (plus, optionally, [`InitialUser`] from the Backend API),
//! renders the app with it (`ClerkProvider`'s `initial_state` prop) and embeds it in the page
//! with [`InitialState::script_tag`]; the browser's provider reads it back with
//! [`InitialState::from_embedded`] so that its hydrating first render is the same signed-in or
//! signed-out state as the server's HTML.
//!
//! It is a hint for the first paint, never an authority: it carries no token (nothing in it
//! can authenticate a request) and the client replaces it with what the Frontend API says as
//! soon as its load finishes, so a tampered embedded state changes one paint, not who is
//! signed in. Reading it treats the text as untrusted: bounded size, no panic, and an
//! inconsistent state (signed in without ids, a user that is not the session's) is refused.

use std::fmt::Write as _;

use crate::claims::{OrgClaims, SessionClaims};
use crate::json::{Fields, FromJson, JsonError, Map, Value};
use crate::models::{Actor, SessionStatus};

/// The `id` of the `<script type="application/json">` element holding the embedded state.
pub const ELEMENT_ID: &str = "__clerk_initial_state";

/// Longest embedded state read (bytes of JSON text); longer text is refused unread. A real
/// state is a few hundred bytes.
pub const MAX_EMBEDDED_LEN: usize = 32 * 1024;

/// What the first render needs to know about the request's auth.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InitialState {
    /// The signed-in session; `None` when signed out.
    pub session: Option<InitialSession>,
    /// A small view of the session's user, when the server read it (`current_user()`).
    /// Ignored unless signed in as this user.
    pub user: Option<InitialUser>,
}

/// The signed-in part of an [`InitialState`], as the session token's claims say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitialSession {
    /// The signed-in user's id (`user_…`, the token's `sub`).
    pub user_id: String,
    /// The session's id (`sess_…`, the token's `sid`).
    pub session_id: String,
    /// `active` or `pending` (`sts`).
    pub status: SessionStatus,
    /// The active organization (id, role, slug, permissions), when any.
    pub org: Option<OrgClaims>,
    /// The impersonator, when an admin signed in as this user (`act`).
    pub actor: Option<Actor>,
    /// Minutes since the first and second factor were verified (`fva`), -1 for a factor
    /// never verified; `None` when the token has no `fva`.
    pub factor_verification_age: Option<[i64; 2]>,
    /// Entitlements of the token's `fea`, raw scoped entries (`o:dashboard`, `u:export`).
    pub features: Vec<String>,
    /// Plans of the token's `pla`, raw scoped entries (`u:free`, `o:pro`).
    pub plans: Vec<String>,
}

/// The user fields the first paint may show (no metadata, no identifiers beyond the primary
/// email: the page is cached and shared more often than the API responses are).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InitialUser {
    /// The user's id (`user_…`); [`InitialState::with_user`] drops a user that is not the session's.
    pub id: String,
    /// First name, when set.
    pub first_name: Option<String>,
    /// Last name, when set.
    pub last_name: Option<String>,
    /// The primary email address itself (e.g. `ada@example.com`), when the user has one.
    pub primary_email_address: Option<String>,
    /// URL of the profile picture (Clerk's default avatar when the user uploaded none).
    pub image_url: Option<String>,
}

impl InitialState {
    /// The signed-out state.
    pub fn signed_out() -> Self {
        InitialState::default()
    }

    /// The signed-in state of a verified session token's claims (the token itself is not
    /// kept). A token without `sid` (not a session token) gives the signed-out state, and so
    /// does a status other than `active`/`pending`.
    pub fn from_claims(claims: &SessionClaims) -> Self {
        let status = claims
            .sts
            .as_deref()
            .map_or(SessionStatus::Active, SessionStatus::from_wire);
        let session = match claims.sid.as_deref() {
            Some(sid) if !sid.is_empty() && !claims.sub.is_empty() && status.is_signed_in() => {
                InitialSession {
                    user_id: claims.sub.clone(),
                    session_id: sid.to_string(),
                    status,
                    org: claims.org.clone(),
                    actor: claims.act.clone(),
                    factor_verification_age: claims.fva,
                    features: claims.features.clone(),
                    plans: claims.plans.clone(),
                }
            }
            _ => return InitialState::signed_out(),
        };
        InitialState {
            session: Some(session),
            user: None,
        }
    }

    /// This state with `user` (dropped unless it is the session's user).
    pub fn with_user(mut self, user: InitialUser) -> Self {
        let matches = self.session.as_ref().is_some_and(|s| s.user_id == user.id);
        self.user = matches.then_some(user);
        self
    }

    /// Whether a session is signed in.
    pub fn is_signed_in(&self) -> bool {
        self.session.is_some()
    }

    /// The state as a JSON value (camelCase names, as clerk-js's SSR state).
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("signedIn", Value::Bool(self.session.is_some()));
        if let Some(s) = &self.session {
            map.insert("userId", s.user_id.as_str().into());
            map.insert("sessionId", s.session_id.as_str().into());
            map.insert("sessionStatus", s.status.as_str().into());
            if let Some(org) = &s.org {
                map.insert("orgId", org.id.as_str().into());
                map.insert("orgRole", opt_str(org.role.as_deref()));
                map.insert("orgSlug", opt_str(org.slug.as_deref()));
                map.insert("orgPermissions", strings(&org.permissions));
            }
            if let Some(actor) = &s.actor {
                let mut a = Map::new();
                a.insert("sub", actor.sub.as_str().into());
                a.insert("iss", opt_str(actor.iss.as_deref()));
                a.insert("sid", opt_str(actor.sid.as_deref()));
                a.insert("type", opt_str(actor.actor_type.as_deref()));
                map.insert("actor", a.into());
            }
            if let Some([first, second]) = s.factor_verification_age {
                map.insert("fva", Value::Array(vec![first.into(), second.into()]));
            }
            map.insert("features", strings(&s.features));
            map.insert("plans", strings(&s.plans));
        }
        if let Some(u) = &self.user {
            let mut m = Map::new();
            m.insert("id", u.id.as_str().into());
            m.insert("firstName", opt_str(u.first_name.as_deref()));
            m.insert("lastName", opt_str(u.last_name.as_deref()));
            m.insert(
                "primaryEmailAddress",
                opt_str(u.primary_email_address.as_deref()),
            );
            m.insert("imageUrl", opt_str(u.image_url.as_deref()));
            map.insert("user", m.into());
        }
        map.into()
    }

    /// The JSON text, escaped for the inside of a `<script>` element: `<`, `>`, `&`, U+2028
    /// and U+2029 are written as `\uXXXX` (they can only occur inside JSON strings, where the
    /// escape means the same character), so no user-controlled text such as a name containing
    /// `</script>` or `<!--` can end or change the element.
    pub fn embedded_json(&self) -> String {
        let text = self.to_json().to_string();
        let mut out = String::with_capacity(text.len() + 16);
        for c in text.chars() {
            match c {
                '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
                c => out.push(c),
            }
        }
        out
    }

    /// The complete element to put in the page (anywhere in `<head>` or `<body>`):
    /// `<script type="application/json" id="__clerk_initial_state">…</script>`.
    pub fn script_tag(&self) -> String {
        let json = self.embedded_json();
        let mut out = String::with_capacity(json.len() + 80);
        out.push_str("<script type=\"application/json\" id=\"");
        out.push_str(ELEMENT_ID);
        out.push_str("\">");
        out.push_str(&json);
        out.push_str("</script>");
        out
    }

    /// Reads the text content of the embedded element. Untrusted input: longer than
    /// [`MAX_EMBEDDED_LEN`], not JSON, or inconsistent (see [`FromJson`] below) is an error,
    /// never a panic.
    pub fn from_embedded(text: &str) -> Result<Self, JsonError> {
        if text.len() > MAX_EMBEDDED_LEN {
            return Err(JsonError::new("embedded initial state too large"));
        }
        Self::from_json_str(text.trim())
    }
}

fn opt_str(s: Option<&str>) -> Value {
    s.map_or(Value::Null, Value::from)
}

fn strings(items: &[String]) -> Value {
    Value::Array(items.iter().map(|s| s.as_str().into()).collect())
}

/// Reads what [`InitialState::to_json`] writes. Refused: `signedIn: true` without a user id
/// or session id, or with a status that is not signed in. Dropped (not an error): an
/// organization without a role (clerk-js's org shape needs both), a user that is not the
/// session's.
impl FromJson for InitialState {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        let signed_in: bool = f.req("signedIn");
        f.finish(())?;
        if !signed_in {
            return Ok(InitialState::signed_out());
        }
        let user_id: String = f.req("userId");
        let session_id: String = f.req("sessionId");
        let status = f
            .opt::<Option<SessionStatus>>("sessionStatus")
            .unwrap_or(SessionStatus::Active);
        let org_id: Option<String> = f.opt("orgId");
        let org_role: Option<String> = f.opt("orgRole");
        let org = match (org_id, org_role) {
            (Some(id), Some(role)) if !id.is_empty() && !role.is_empty() => Some(OrgClaims {
                id,
                slug: f.opt("orgSlug"),
                role: Some(role),
                permissions: f.opt("orgPermissions"),
            }),
            _ => None,
        };
        let session = InitialSession {
            user_id,
            session_id,
            status,
            org,
            actor: f.opt("actor"),
            factor_verification_age: crate::models::factor_ages(f.raw("fva")),
            features: f.opt("features"),
            plans: f.opt("plans"),
        };
        let user: Option<InitialUser> = f.opt("user");
        f.finish(())?;
        if session.user_id.is_empty() || session.session_id.is_empty() {
            return Err(JsonError::new("signed in without a user id or session id"));
        }
        if !session.status.is_signed_in() {
            return Err(JsonError::new(
                "signed in with a session that is not active",
            ));
        }
        let state = InitialState {
            session: Some(session),
            user: None,
        };
        Ok(match user {
            Some(user) => state.with_user(user),
            None => state,
        })
    }
}

impl FromJson for InitialUser {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(InitialUser {
            id: f.req("id"),
            first_name: f.opt("firstName"),
            last_name: f.opt("lastName"),
            primary_email_address: f.opt("primaryEmailAddress"),
            image_url: f.opt("imageUrl"),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    pub(super) fn signed_in() -> InitialState {
        InitialState {
            session: Some(InitialSession {
                user_id: "user_1".into(),
                session_id: "sess_1".into(),
                status: SessionStatus::Active,
                org: Some(OrgClaims {
                    id: "org_1".into(),
                    slug: Some("acme".into()),
                    role: Some("org:admin".into()),
                    permissions: vec!["org:invoices:read".into()],
                }),
                actor: Some(Actor {
                    sub: "user_admin".into(),
                    iss: None,
                    sid: Some("sess_admin".into()),
                    actor_type: None,
                }),
                factor_verification_age: Some([3, -1]),
                features: vec!["u:beta".into()],
                plans: vec!["u:free".into()],
            }),
            user: Some(InitialUser {
                id: "user_1".into(),
                first_name: Some("Ada".into()),
                last_name: Some("Lovelace".into()),
                primary_email_address: Some("ada@example.com".into()),
                image_url: Some("https://img.example/a.png".into()),
            }),
        }
    }

    #[test]
    fn round_trips_signed_in_and_signed_out() {
        for state in [signed_in(), InitialState::signed_out()] {
            let text = state.embedded_json();
            assert_eq!(InitialState::from_embedded(&text).unwrap(), state, "{text}");
        }
        assert_eq!(
            InitialState::signed_out().embedded_json(),
            r#"{"signedIn":false}"#
        );
    }

    #[test]
    fn from_claims_keeps_ids_org_and_actor_but_no_token_times() {
        let claims = SessionClaims {
            sub: "user_1".into(),
            sid: Some("sess_1".into()),
            iat: 1,
            exp: 61,
            org: signed_in().session.unwrap().org,
            sts: Some("pending".into()),
            ..SessionClaims::default()
        };
        let state = InitialState::from_claims(&claims);
        let s = state.session.as_ref().unwrap();
        assert_eq!(
            (s.user_id.as_str(), s.session_id.as_str()),
            ("user_1", "sess_1")
        );
        assert_eq!(s.status, SessionStatus::Pending);
        assert_eq!(s.org.as_ref().unwrap().role.as_deref(), Some("org:admin"));
        assert!(!state.embedded_json().contains("exp"));
        // Not a session token, or an ended session: signed out.
        let no_sid = SessionClaims {
            sid: None,
            ..claims.clone()
        };
        assert_eq!(
            InitialState::from_claims(&no_sid),
            InitialState::signed_out()
        );
        let ended = SessionClaims {
            sts: Some("ended".into()),
            ..claims
        };
        assert_eq!(
            InitialState::from_claims(&ended),
            InitialState::signed_out()
        );
    }

    #[test]
    fn a_user_that_is_not_the_sessions_is_dropped() {
        let other = InitialUser {
            id: "user_2".into(),
            ..InitialUser::default()
        };
        assert_eq!(signed_in().with_user(other.clone()).user, None);
        assert_eq!(InitialState::signed_out().with_user(other).user, None);
        let text = signed_in()
            .embedded_json()
            .replace(r#""id":"user_1""#, r#""id":"user_2""#);
        assert_eq!(InitialState::from_embedded(&text).unwrap().user, None);
    }

    #[test]
    fn script_tag_escapes_markup_in_user_text() {
        let mut state = signed_in();
        let user = state.user.as_mut().unwrap();
        user.first_name = Some("</script><script>alert(1)</script>".into());
        user.last_name = Some("<!-- & \u{2028}\u{2029} >".into());
        let tag = state.script_tag();
        assert!(tag.starts_with(
            r#"<script type="application/json" id="__clerk_initial_state">{"signedIn":true"#
        ));
        let inner = &tag[tag.find('>').unwrap() + 1..tag.len() - "</script>".len()];
        for bad in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
            assert!(!inner.contains(bad), "{bad:?} in {inner}");
        }
        assert!(inner.contains(r"\u003c/script\u003e"), "{inner}");
        assert_eq!(InitialState::from_embedded(inner).unwrap(), state);
    }

    #[test]
    fn untrusted_text_is_refused_without_panic() {
        for bad in [
            "",
            "null",
            "[]",
            "{}",
            r#"{"signedIn":"yes"}"#,
            r#"{"signedIn":true}"#,
            r#"{"signedIn":true,"userId":"user_1"}"#,
            r#"{"signedIn":true,"userId":"","sessionId":"sess_1"}"#,
            r#"{"signedIn":true,"userId":"user_1","sessionId":"sess_1","sessionStatus":"revoked"}"#,
        ] {
            assert!(InitialState::from_embedded(bad).is_err(), "{bad}");
        }
        let huge = format!(
            r#"{{"signedIn":false,"pad":"{}"}}"#,
            "x".repeat(MAX_EMBEDDED_LEN)
        );
        assert!(InitialState::from_embedded(&huge)
            .unwrap_err()
            .to_string()
            .contains("too large"));
        // A wrong-typed optional field falls back to its default (core's schema-drift rule).
        let drifted = r#"{"signedIn":true,"userId":"user_1","sessionId":"sess_1","features":[1]}"#;
        let state = InitialState::from_embedded(drifted).unwrap();
        assert!(state.session.unwrap().features.is_empty());
        // An organization without a role is dropped, not half-read.
        let text = r#"{"signedIn":true,"userId":"u","sessionId":"s","orgId":"org_1"}"#;
        let state = InitialState::from_embedded(text).unwrap();
        assert_eq!(state.session.unwrap().org, None);
    }
}

#[cfg(test)]
mod props {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use proptest::prelude::*;

    use super::*;

    /// Any text, with markup and the JavaScript line separators made likely.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            ".*",
            "(</script>|<!--|<script>|&amp;|\u{2028}|\u{2029}|\"|\\\\|[a-z ]){0,12}",
        ]
    }

    fn opt_text() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(text())
    }

    fn state() -> impl Strategy<Value = InitialState> {
        let session = (
            "[a-z0-9_]{1,12}",
            "[a-z0-9_]{1,12}",
            prop_oneof![Just(SessionStatus::Active), Just(SessionStatus::Pending)],
            proptest::option::of((
                text(),
                opt_text(),
                "[a-z:]{1,10}",
                prop::collection::vec(text(), 0..3),
            )),
            proptest::option::of((text(), opt_text(), opt_text(), opt_text())),
            proptest::option::of(any::<[i64; 2]>()),
            prop::collection::vec(text(), 0..3),
            prop::collection::vec(text(), 0..3),
        )
            .prop_filter("org id not empty", |s| {
                s.3.as_ref().is_none_or(|o| !o.0.is_empty())
            })
            .prop_map(
                |(user_id, session_id, status, org, actor, fva, features, plans)| InitialSession {
                    user_id,
                    session_id,
                    status,
                    org: org.map(|(id, slug, role, permissions)| OrgClaims {
                        id,
                        slug,
                        role: Some(role),
                        permissions,
                    }),
                    actor: actor.map(|(sub, iss, sid, actor_type)| Actor {
                        sub,
                        iss,
                        sid,
                        actor_type,
                    }),
                    factor_verification_age: fva,
                    features,
                    plans,
                },
            );
        let user = (opt_text(), opt_text(), opt_text(), opt_text());
        (proptest::option::of(session), proptest::option::of(user)).prop_map(|(session, user)| {
            let state = InitialState {
                session,
                user: None,
            };
            match (user, state.session.as_ref().map(|s| s.user_id.clone())) {
                (Some((first_name, last_name, email, image)), Some(id)) => {
                    state.with_user(InitialUser {
                        id,
                        first_name,
                        last_name,
                        primary_email_address: email,
                        image_url: image,
                    })
                }
                _ => state,
            }
        })
    }

    proptest! {
        // Cases from PROPTEST_CASES (default 256); no regression files in the tree.
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

        /// Whatever the names contain, the element cannot be broken out of and reads back
        /// as the same state.
        #[test]
        fn prop_script_tag_round_trips_and_never_breaks_out(state in state()) {
            let tag = state.script_tag();
            let prefix = r#"<script type="application/json" id="__clerk_initial_state">"#;
            prop_assert!(tag.starts_with(prefix));
            prop_assert!(tag.ends_with("</script>"));
            let inner = &tag[prefix.len()..tag.len() - "</script>".len()];
            for bad in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
                prop_assert!(!inner.contains(bad));
            }
            prop_assert_eq!(InitialState::from_embedded(inner).unwrap(), state);
        }

        /// Arbitrary text (and arbitrary JSON objects) never panic the reader.
        #[test]
        fn prop_from_embedded_never_panics(text in ".{0,200}", key in "[a-zA-Z]{1,16}", v in text()) {
            let _ = InitialState::from_embedded(&text);
            let obj = format!(r#"{{"signedIn":true,"userId":"u","sessionId":"s","{key}":"{}"}}"#, v.replace(['"', '\\'], ""));
            let _ = InitialState::from_embedded(&obj);
        }
    }
}
