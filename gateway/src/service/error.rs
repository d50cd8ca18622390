//! Errors of the service, classified once: which side failed and whether a
//! retry helps. The surfaces map the kind, never the message: REST to an
//! HTTP status, MCP to a tool result with `isError`.

use mcp_v8_runtime::{ErrorKind, RuntimeError};

#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct ServiceError {
    pub kind: ErrorKind,
    pub message: String,
    /// The same request may succeed later.
    pub retryable: bool,
}

impl ServiceError {
    pub fn caller(message: impl Into<String>) -> Self {
        Self { kind: ErrorKind::Caller, message: message.into(), retryable: false }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self { kind: ErrorKind::NotFound, message: message.into(), retryable: false }
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> u16 {
        match self.kind {
            ErrorKind::Caller => 400,
            ErrorKind::NotFound => 404,
            ErrorKind::Limit => 429,
            ErrorKind::Server if self.retryable => 503,
            ErrorKind::Server => 500,
        }
    }
}

impl From<RuntimeError> for ServiceError {
    fn from(error: RuntimeError) -> Self {
        Self { kind: error.kind(), retryable: error.is_retryable(), message: error.to_string() }
    }
}
