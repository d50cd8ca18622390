//! Wrapper types for the ids that cross the crate boundary.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::RuntimeError;

/// The SHA-256 of a heap snapshot's bytes, as 64 lowercase hex digits.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, pattern = "^[0-9a-f]{64}$"))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HeapHash(String);

impl HeapHash {
    pub fn of(bytes: &[u8]) -> Self {
        Self(hex::encode(Sha256::digest(bytes)))
    }

    /// Checks the text form; rejects anything that is not 64 hex digits, so a
    /// hash can never be used to walk out of the store's directory.
    pub fn parse(text: &str) -> Result<Self, RuntimeError> {
        let text = text.trim().to_ascii_lowercase();
        if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Self(text))
        } else {
            Err(RuntimeError::InvalidRequest(format!("'{text}' is not a heap hash (64 hex digits)")))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for HeapHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The name of a stateful session, chosen by the caller.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SessionName(String);

impl SessionName {
    pub fn parse(text: &str) -> Result<Self, RuntimeError> {
        if text.is_empty() || text.len() > 256 || text.chars().any(char::is_control) {
            return Err(RuntimeError::InvalidRequest(
                "a session name is 1 to 256 characters without control characters".into(),
            ));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SessionName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The id of one execution (a UUID v4).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = "uuid"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ExecutionId(uuid::Uuid);

impl ExecutionId {
    pub fn new() -> Self {
        Self(uuid::Uuid::new_v4())
    }

    pub fn parse(text: &str) -> Result<Self, RuntimeError> {
        uuid::Uuid::parse_str(text.trim())
            .map(Self)
            .map_err(|_| RuntimeError::InvalidRequest(format!("'{text}' is not an execution id")))
    }
}

impl Default for ExecutionId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for ExecutionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
