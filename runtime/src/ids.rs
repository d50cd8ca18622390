//! Wrapper types for the ids that cross the crate boundary.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::RuntimeError;

/// The SHA-256 of a heap snapshot's bytes, as 64 lowercase hex digits.
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
        if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Self(text.to_ascii_lowercase()))
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
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SessionName(String);

impl SessionName {
    /// The first character of implicit sessions' names, which named
    /// sessions cannot have.
    pub const IMPLICIT_PREFIX: &str = "~";
    /// The longest name, in bytes.
    pub const MAX_LEN: usize = 256;

    /// A name a caller chose: 1 to 256 bytes, no control characters, not
    /// starting with `~`.
    pub fn parse(text: &str) -> Result<Self, RuntimeError> {
        if text.is_empty() || text.chars().count() > Self::MAX_LEN || text.chars().any(char::is_control) {
            return Err(RuntimeError::InvalidRequest(
                "a session name is 1 to 256 characters without control characters".into(),
            ));
        }
        if text.starts_with(Self::IMPLICIT_PREFIX) {
            return Err(RuntimeError::InvalidRequest(
                "session names starting with '~' are reserved for connection sessions".into(),
            ));
        }
        Ok(Self(text.to_owned()))
    }

    /// The name of a connection's implicit session. `connection` is a
    /// random id of the gateway's, not a transport's session id.
    pub fn implicit(connection: &str) -> Self {
        let short: String = connection.chars().filter(char::is_ascii_alphanumeric).take(12).collect();
        Self(format!("{}{short}", Self::IMPLICIT_PREFIX))
    }

    /// A name read back from the metadata (checked when it was written).
    pub(crate) fn from_stored(text: &str) -> Self {
        Self(text.to_owned())
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ExecutionId(uuid::Uuid);

impl ExecutionId {
    pub fn new() -> Self {
        Self(uuid::Uuid::new_v4())
    }

    pub fn parse(text: &str) -> Result<Self, RuntimeError> {
        // Only the hyphenated form (what `format: uuid` means), not the
        // simple, braced or URN forms `uuid` would also read.
        uuid::Uuid::try_parse(text)
            .ok()
            .filter(|_| text.len() == 36)
            .map(Self)
            .ok_or_else(|| RuntimeError::InvalidRequest(format!("'{text}' is not an execution id")))
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
