//! clerk-js token ids (`TokenId.build`), for the `clerk:session_token` messages.

/// Splits a token id (`sess_1`, `sess_1-tmpl`, `sess_1-org_2`, `sess_1-tmpl-org_2`) into
/// session, template and organization, as clerk-js's `TokenId` builds it.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn split_token_id(token_id: &str) -> (String, Option<String>, Option<String>) {
    let mut parts = token_id.splitn(2, '-');
    let session = parts.next().unwrap_or_default().to_string();
    let rest = parts.next().unwrap_or_default();
    if rest.is_empty() {
        return (session, None, None);
    }
    if rest.starts_with("org_") {
        return (session, None, Some(rest.to_string()));
    }
    match rest.rsplit_once("-org_") {
        Some((template, org)) => (
            session,
            Some(template.to_string()),
            Some(format!("org_{org}")),
        ),
        None => (session, Some(rest.to_string()), None),
    }
}

#[cfg(test)]
mod tests {
    use super::split_token_id;

    #[test]
    fn token_ids() {
        assert_eq!(split_token_id("sess_1"), ("sess_1".into(), None, None));
        assert_eq!(
            split_token_id("sess_1-org_2"),
            ("sess_1".into(), None, Some("org_2".into()))
        );
        assert_eq!(
            split_token_id("sess_1-tmpl"),
            ("sess_1".into(), Some("tmpl".into()), None)
        );
        assert_eq!(
            split_token_id("sess_1-tmpl-org_2"),
            ("sess_1".into(), Some("tmpl".into()), Some("org_2".into()))
        );
    }
}
