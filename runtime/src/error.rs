//! Errors of the runtime crate, and the shape of a script's own error.
//!
//! [`RuntimeError`] says which side failed (the caller's input, the store,
//! the engine) and whether retrying can help; only `gateway/` maps it onto
//! protocol codes. A script that throws is not a `RuntimeError`: it is a
//! normal outcome of a run, described by [`JsErrorInfo`].

use serde::Serialize;

use crate::transform::SCRIPT_NAME;

#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// The request is wrong (bad hash, bad limits, bad name).
    #[error("{0}")]
    InvalidRequest(String),
    /// What was asked for does not exist, or is not the caller's (the two
    /// are not told apart, so nothing leaks).
    #[error("{0}")]
    NotFound(String),
    /// A limit of the server refuses the request (memory budget).
    #[error("{0}")]
    Limit(String),
    /// Stored bytes do not hash to their name: refused, never loaded.
    #[error("heap {expected} is corrupted: its bytes hash to {actual}")]
    HeapCorrupted { expected: String, actual: String },
    /// The durable store failed (disk full, permissions). Retrying may help.
    #[error("heap store: {0}")]
    Store(String),
    /// Making or restoring a V8 snapshot failed.
    #[error("snapshot: {0}")]
    Snapshot(String),
    /// The engine is shutting down or a worker is gone. Retrying elsewhere helps.
    #[error("engine unavailable: {0}")]
    Unavailable(String),
}

/// Which side an error is on, for the protocol surfaces to map once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The caller's input is wrong; the same request fails again.
    Caller,
    /// Not there, or not the caller's.
    NotFound,
    /// Refused by a limit; may succeed with smaller limits or later.
    Limit,
    /// The server failed.
    Server,
}

impl RuntimeError {
    pub fn heap_not_found(hash: &impl std::fmt::Display) -> Self {
        RuntimeError::NotFound(format!("heap {hash} not found"))
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            RuntimeError::InvalidRequest(_) => ErrorKind::Caller,
            RuntimeError::NotFound(_) => ErrorKind::NotFound,
            RuntimeError::Limit(_) => ErrorKind::Limit,
            RuntimeError::HeapCorrupted { .. }
            | RuntimeError::Store(_)
            | RuntimeError::Snapshot(_)
            | RuntimeError::Unavailable(_) => ErrorKind::Server,
        }
    }

    /// True when the same request may succeed later.
    pub fn is_retryable(&self) -> bool {
        matches!(self, RuntimeError::Store(_) | RuntimeError::Unavailable(_) | RuntimeError::Limit(_))
    }
}

/// A JavaScript error as an agent needs it: class, message, stack, and the
/// place in the user's code.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct JsErrorInfo {
    /// The JS class (`TypeError`, `SyntaxError`, ...).
    pub name: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
    /// 1-based line in the submitted code, when the error points into it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl JsErrorInfo {
    pub fn plain(name: &str, message: String) -> Self {
        Self { name: name.to_owned(), message, stack: None, line: None, column: None }
    }

    pub(crate) fn from_js(error: &deno_core::error::JsError) -> Self {
        let frame = error.frames.iter().find(|f| f.file_name.as_deref() == Some(SCRIPT_NAME));
        let name = error.name.clone().unwrap_or_else(|| {
            // A thrown non-Error value ("Uncaught 42") has no class.
            "Error".to_owned()
        });
        let message = error
            .message
            .clone()
            .unwrap_or_else(|| error.exception_message.trim_start_matches("Uncaught ").to_owned());
        // Session isolates make no `stack` (their `Error.stackTraceLimit` is
        // sealed); their frames come from V8's own trace: written as V8 would.
        let stack = error.stack.clone().or_else(|| {
            (error.frames.len() > 1 || error.frames.iter().any(|f| f.function_name.is_some()))
                .then(|| format_stack(&name, &message, &error.frames))
        });
        Self {
            name,
            message,
            stack,
            line: frame.and_then(|f| f.line_number).map(|n| n as usize),
            column: frame.and_then(|f| f.column_number).map(|n| n as usize),
        }
    }
}

/// A stack as V8 writes `error.stack`: `Name: message`, then one line per
/// frame (`    at f (file:line:column)`, or `    at file:line:column`).
fn format_stack(name: &str, message: &str, frames: &[deno_core::error::JsStackFrame]) -> String {
    use std::fmt::Write;
    let mut stack = if message.is_empty() { name.to_owned() } else { format!("{name}: {message}") };
    for frame in frames {
        let location = match (&frame.file_name, frame.line_number, frame.column_number) {
            (Some(file), Some(line), Some(column)) => format!("{file}:{line}:{column}"),
            (Some(file), _, _) => file.clone(),
            _ => "<anonymous>".to_owned(),
        };
        let new = if frame.is_constructor { "new " } else { "" };
        let _ = match &frame.function_name {
            Some(function) => write!(stack, "\n    at {new}{function} ({location})"),
            None => write!(stack, "\n    at {location}"),
        };
    }
    stack
}

impl std::fmt::Display for JsErrorInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.stack {
            Some(stack) => f.write_str(stack),
            None => write!(f, "{}: {}", self.name, self.message),
        }
    }
}
