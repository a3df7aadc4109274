//! Publishable keys (`pk_test_…` / `pk_live_…`) and the Frontend API address they encode.

use crate::error::KeyError;

/// Development or production instance, from the key prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InstanceType {
    /// `pk_test_` keys.
    Development,
    /// `pk_live_` keys.
    Production,
}

/// A validated publishable key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishableKey {
    raw: String,
    instance_type: InstanceType,
    frontend_api: String,
}

impl PublishableKey {
    /// Parses and validates a key with clerk-js's rules (`isPublishableKey`).
    pub fn parse(key: &str) -> Result<Self, KeyError> {
        let _ = key;
        Err(KeyError::Missing)
    }

    /// The key as given (trimmed).
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// Development or production.
    pub fn instance_type(&self) -> InstanceType {
        self.instance_type
    }

    /// The Frontend API host, e.g. `clerk.example.com` or `foo-bar-13.clerk.accounts.dev`.
    pub fn frontend_api(&self) -> &str {
        &self.frontend_api
    }
}
