//! [`TokenId`]: the id of one cached session token, built and taken apart in one place.

/// The id of one cached token: the session id, then the JWT template and the organization
/// when there are, joined by `-`: `sess_1`, `sess_1-supabase`, `sess_1-org_9`,
/// `sess_1-supabase-org_9`.
///
/// The same text keys the token cache and names a token in clerk-js's cross-tab messages
/// (`tokenId`), so it is built and taken apart only here. A token id read from another tab is
/// untrusted: [`TokenId::parse`] accepts any text and never fails; the engine judges the
/// token itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct TokenId(String);

impl TokenId {
    /// The id of the token for this session, JWT template (`None`: the session token) and
    /// organization (`None`: the personal account or the session's active one, whichever
    /// the token is for). Empty parts are left out.
    pub fn new(session_id: &str, template: Option<&str>, organization_id: Option<&str>) -> Self {
        // Pushed part by part rather than `[..].join("-")`, which links a generic join.
        let mut id = String::new();
        for part in [Some(session_id), template, organization_id]
            .into_iter()
            .flatten()
        {
            if part.is_empty() {
                continue;
            }
            if !id.is_empty() {
                id.push('-');
            }
            id.push_str(part);
        }
        TokenId(id)
    }

    /// A token id as text (from the cache or another tab's message).
    pub fn parse(text: impl Into<String>) -> Self {
        TokenId(text.into())
    }

    /// The text form (`sess_1-supabase-org_9`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text form, owned.
    pub fn into_string(self) -> String {
        self.0
    }

    /// The session part: everything before the first `-`.
    pub fn session_id(&self) -> &str {
        self.parts().0
    }

    /// The JWT template part, when there is one.
    pub fn template(&self) -> Option<&str> {
        self.parts().1
    }

    /// The organization part (`org_…`), when there is one.
    pub fn organization_id(&self) -> Option<&str> {
        self.parts().2
    }

    /// `(session, template, organization)`: after the session, a rest that starts with
    /// `org_` is an organization; otherwise the last `-org_…` is the organization and what
    /// comes before it the template (template names may contain `-`).
    fn parts(&self) -> (&str, Option<&str>, Option<&str>) {
        let (session, rest) = self.0.split_once('-').unwrap_or((&self.0, ""));
        if rest.is_empty() {
            (session, None, None)
        } else if rest.starts_with("org_") {
            (session, None, Some(rest))
        } else {
            // Byte-wise: `rfind` with a `&str` pattern links the two-way substring searcher.
            match rest.as_bytes().windows(5).rposition(|w| w == b"-org_") {
                Some(at) => (session, Some(&rest[..at]), Some(&rest[at + 1..])),
                None => (session, Some(rest), None),
            }
        }
    }

    /// Whether the token id `token_id` is one of `session_id`'s tokens (`sess_1`,
    /// `sess_1-…`; not `sess_10`). On the text form, for caches keyed by it.
    pub fn is_of_session(token_id: &str, session_id: &str) -> bool {
        token_id == session_id
            || token_id
                .strip_prefix(session_id)
                .is_some_and(|rest| rest.starts_with('-'))
    }
}

impl std::fmt::Display for TokenId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn token_ids() {
        let id = |s, t, o| TokenId::new(s, t, o).into_string();
        assert_eq!(id("sess_1", None, None), "sess_1");
        assert_eq!(id("sess_1", Some("supabase"), None), "sess_1-supabase");
        assert_eq!(id("sess_1", None, Some("org_9")), "sess_1-org_9");
        assert_eq!(
            id("sess_1", Some("supabase"), Some("org_9")),
            "sess_1-supabase-org_9"
        );
        assert_eq!(id("sess_1", Some(""), Some("")), "sess_1");
    }

    #[test]
    fn token_ids_parse_back_into_their_parts() {
        let cases: [(&str, Option<&str>, Option<&str>); 6] = [
            ("sess_1", None, None),
            ("sess_1", Some("tmpl"), None),
            ("sess_1", None, Some("org_2")),
            ("sess_1", Some("tmpl"), Some("org_2")),
            ("sess_1", Some("my-tmpl"), Some("org_2")),
            ("sess_1", Some("my-tmpl"), None),
        ];
        for (session, template, org) in cases {
            let parsed = TokenId::parse(TokenId::new(session, template, org).into_string());
            assert_eq!(
                (
                    parsed.session_id(),
                    parsed.template(),
                    parsed.organization_id()
                ),
                (session, template, org),
                "{parsed}"
            );
        }
        // Any text parses (it may come from another tab).
        for text in ["", "-", "--org_", "sess_1-", "-org_x"] {
            let t = TokenId::parse(text);
            let _ = (t.session_id(), t.template(), t.organization_id());
        }
        assert!(TokenId::is_of_session("sess_1", "sess_1"));
        assert!(TokenId::is_of_session("sess_1-org_9", "sess_1"));
        assert!(!TokenId::is_of_session("sess_10", "sess_1"));
    }

    proptest::proptest! {
        /// The byte-wise search for the last `-org_` and the part-by-part build agree with
        /// `str::rfind` and `[..].join("-")` on any text (ids come from other tabs too).
        #[test]
        fn prop_parts_match_rfind_and_join(
            text in "(-|_|org_|-org_|[a-z0-9é]){0,10}",
            session in "[a-z_0-9]{0,6}",
            template in proptest::option::of("[-a-z]{0,6}"),
            org in proptest::option::of("(org_)?[a-z0-9]{0,4}"),
        ) {
            let t = TokenId::parse(text.as_str());
            let (session_part, rest) = text.split_once('-').unwrap_or((&text, ""));
            let expected = if rest.is_empty() {
                (session_part, None, None)
            } else if rest.starts_with("org_") {
                (session_part, None, Some(rest))
            } else {
                match rest.rfind("-org_") {
                    Some(at) => (session_part, Some(&rest[..at]), Some(&rest[at + 1..])),
                    None => (session_part, Some(rest), None),
                }
            };
            proptest::prop_assert_eq!(t.parts(), expected);

            let joined = [Some(session.as_str()), template.as_deref(), org.as_deref()]
                .into_iter()
                .flatten()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            proptest::prop_assert_eq!(
                TokenId::new(&session, template.as_deref(), org.as_deref()).into_string(),
                joined
            );
        }
    }
}
