use crate::client::ports::KeyValueStore;

/// [`KeyValueStore`] on `window.localStorage`. Errors (storage disabled, quota exceeded,
/// private mode) are ignored: reads give `None` and writes are dropped.
///
/// Strings are stored as they are (no JSON encoding), so values stay readable in dev tools.
#[derive(Debug, Clone, Copy, Default)]
pub struct LocalStore;

fn local_storage() -> Option<web_sys::Storage> {
    super::window()?.local_storage().ok().flatten()
}

impl KeyValueStore for LocalStore {
    fn get(&self, key: &str) -> Option<String> {
        local_storage()?.get_item(key).ok().flatten()
    }

    fn set(&self, key: &str, value: &str) {
        if let Some(s) = local_storage() {
            let _ = s.set_item(key, value);
        }
    }

    fn remove(&self, key: &str) {
        if let Some(s) = local_storage() {
            let _ = s.remove_item(key);
        }
    }
}
