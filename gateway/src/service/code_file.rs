//! `run_js {file}`: code read from a file on the server instead of sent.
//!
//! With a `run_js_file` policy, the canonical path is decided with
//! `{operation: "read", path}` (plus `session`, `principal`, `claims`);
//! without one, `--allow-run-js-file` lets any file the server can read be
//! used. The file is read once, at most [`MAX_BYTES`].

use std::io::Read;

use mcp_v8_runtime::capability::denied_message;
use mcp_v8_runtime::{Caller, Capability, Decider, SessionKey};
use serde_json::{Value, json};

use super::ServiceError;

/// The largest file taken as code.
pub const MAX_BYTES: u64 = 4 << 20;

pub async fn read(decider: &dyn Decider, caller: &Caller, session: Option<&SessionKey>, file: &str) -> Result<String, ServiceError> {
    let path = std::fs::canonicalize(file).map_err(|e| ServiceError::caller(format!("run_js file '{file}': {e}")))?;
    if decider.configured(Capability::RunJsFile) {
        let mut input = json!({
            "operation": "read",
            "path": path.to_string_lossy(),
            "session": session.map(|s| s.name.to_string()),
            "principal": caller.principal.key(),
        });
        if let Some(claims) = &caller.claims {
            input["claims"] = Value::clone(claims);
        }
        let decision = decider.decide(Capability::RunJsFile, &input).await;
        tracing::debug!(target: "mcp_v8::decision", capability = "run_js_file", allow = decision.allow, source = %decision.source, input = %input, "policy decision");
        if !decision.allow {
            return Err(ServiceError::caller(denied_message(Capability::RunJsFile, &format!("read {}", path.display()), &decision)));
        }
    }
    let mut text = String::new();
    std::fs::File::open(&path)
        .and_then(|f| f.take(MAX_BYTES + 1).read_to_string(&mut text))
        .map_err(|e| ServiceError::caller(format!("run_js file '{}': {e}", path.display())))?;
    if text.len() as u64 > MAX_BYTES {
        return Err(ServiceError::caller(format!("run_js file '{}' is over {} MiB", path.display(), MAX_BYTES >> 20)));
    }
    Ok(text)
}
