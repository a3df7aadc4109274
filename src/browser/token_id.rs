//! clerk-js token ids (`TokenId.build`), for the `clerk:session_token` messages: taken apart
//! by [`TokenId`](crate::core::claims::TokenId), the one home of the format.

use crate::core::claims::TokenId;

/// Splits a token id (`sess_1`, `sess_1-tmpl`, `sess_1-org_2`, `sess_1-tmpl-org_2`) into
/// session, template and organization, the fields of a `clerk:session_token` message.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn split_token_id(token_id: &str) -> (String, Option<String>, Option<String>) {
    let id = TokenId::parse(token_id);
    (
        id.session_id().to_string(),
        id.template().map(str::to_string),
        id.organization_id().map(str::to_string),
    )
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
