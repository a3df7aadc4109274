use crate::json::{Fields, FromJson, JsonError, Value};

/// `POST /v1/dev_browser` (development instances): the dev browser that identifies the
/// client instead of the `__client` cookie. clerk-js keeps only `id` and sends it as
/// `__clerk_db_jwt`. Other fields (`token`, RFC 3339 `created_at`, ...) are ignored.
#[derive(Clone, PartialEq, Eq)]
pub struct DevBrowser {
    /// `dvb_...`: the value of `__clerk_db_jwt`. It authenticates the development client like
    /// a cookie would: never log it (`Debug` hides it).
    pub id: String,
    /// The development instance's id (`ins_...`), when sent.
    pub instance_id: Option<String>,
    /// The client the dev browser is bound to, when any.
    pub client_id: Option<String>,
}

impl std::fmt::Debug for DevBrowser {
    // The id authenticates the dev client: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevBrowser")
            .field("id", &"<redacted>")
            .field("instance_id", &self.instance_id)
            .field("client_id", &self.client_id)
            .finish()
    }
}

impl FromJson for DevBrowser {
    fn from_json(value: &Value) -> Result<Self, JsonError> {
        let f = Fields::of(value)?;
        f.finish(DevBrowser {
            id: f.req("id"),
            instance_id: f.opt("instance_id"),
            client_id: f.opt("client_id"),
        })
    }
}
