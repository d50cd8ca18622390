//! `--expose-upstream-tools`: the upstreams' tools, resources, resource
//! templates and prompts offered on the gateway's own endpoint under
//! namespaced names (see `mcp_v8_upstreams::forward`), with the progress and
//! log notifications of a forwarded call sent on to the caller, and a
//! caller's cancellation sent on to the upstream.
//!
//! **Invariants:**
//! - Calls, resource reads and prompt gets are decided by the `mcp_tools`
//!   policy before anything reaches the upstream (operations
//!   `mcp_call_tool`, `mcp_read_resource`, `mcp_get_prompt`). Listing is
//!   not decided, as the tool list is not.
//! - A connection gets the log messages of its own calls only, at or above
//!   the level it set (`logging/setLevel`); the upstreams' own levels are
//!   left alone, as other callers share them.
#![allow(deprecated)] // logging: SEP-2577 deprecates it after 2025-11-25; clients before use it

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use mcp_v8_upstreams::forward::{NOTICES, split_uri};
use mcp_v8_upstreams::{Notice, Relay};
use rmcp::model::{CallToolResult, ContentBlock, ErrorData, GetPromptResult, LoggingLevel, ReadResourceResult};
use rmcp::service::{Peer, RoleServer};
use serde_json::{Map, Value};
use tokio_util::sync::CancellationToken;

use crate::service::{Service, ServiceError};
use mcp_v8_runtime::Caller;

/// The lowest level of log messages a connection wants (`logging/setLevel`).
#[derive(Default)]
pub struct LogLevel(AtomicU8);

impl LogLevel {
    pub fn set(&self, level: LoggingLevel) {
        self.0.store(rank(level), Ordering::Relaxed);
    }

    fn allows(&self, level: LoggingLevel) -> bool {
        rank(level) >= self.0.load(Ordering::Relaxed)
    }
}

fn rank(level: LoggingLevel) -> u8 {
    match level {
        LoggingLevel::Debug => 0,
        LoggingLevel::Info => 1,
        LoggingLevel::Notice => 2,
        LoggingLevel::Warning => 3,
        LoggingLevel::Error => 4,
        LoggingLevel::Critical => 5,
        LoggingLevel::Alert => 6,
        LoggingLevel::Emergency => 7,
    }
}

/// One forwarded tool call: where its notices go and what may stop it.
pub struct Call<'a> {
    pub caller: &'a Caller,
    pub server: &'a str,
    pub tool: &'a str,
    pub arguments: Map<String, Value>,
    pub progress_token: Option<rmcp::model::ProgressToken>,
    pub peer: Peer<RoleServer>,
    pub level: Arc<LogLevel>,
    pub cancelled: CancellationToken,
}

/// Calls the tool, sending its notices to the caller as they come; a
/// cancelled call is given up (and so cancelled upstream).
pub async fn call(service: &Service, call: Call<'_>) -> CallToolResult {
    let (notices, mut received) = tokio::sync::mpsc::channel(NOTICES);
    let relay = Relay { notices, progress_token: call.progress_token };
    let peer = call.peer;
    let level = call.level;
    let forwarding = async move {
        while let Some(notice) = received.recv().await {
            // A caller gone is the call's end too; sending fails quietly.
            let _ = match notice {
                Notice::Progress(progress) => peer.notify_progress(progress).await,
                Notice::Log(message) if level.allows(message.level) => peer.notify_logging_message(message).await,
                Notice::Log(_) => Ok(()),
            };
        }
    };
    // The relay goes with the call, so the forwarding ends once it has sent
    // what came before the answer.
    let calling = async {
        let (answer, ()) = tokio::join!(
            service.call_upstream(call.caller, call.server, call.tool, call.arguments, Some(relay)),
            forwarding
        );
        answer
    };
    let answer = tokio::select! {
        answer = calling => answer,
        () = call.cancelled.cancelled() => {
            return CallToolResult::error(vec![ContentBlock::text("cancelled by the client")]);
        }
    };
    match answer {
        Ok(answer) => {
            let mut result = CallToolResult::success(
                answer.content.into_iter().filter_map(|c| serde_json::from_value(c).ok()).collect(),
            );
            result.structured_content = answer.structured_content;
            result.is_error = Some(answer.is_error);
            result
        }
        Err(error) => super::tool_error(&error),
    }
}

/// Reads `upstream://<server>/<uri>`; `None` when `uri` is not of that form.
pub async fn read(service: &Service, caller: &Caller, uri: &str) -> Option<Result<ReadResourceResult, ErrorData>> {
    let (server, upstream_uri) = split_uri(uri)?;
    let mut fields = Map::new();
    fields.insert("operation".into(), "mcp_read_resource".into());
    fields.insert("server".into(), server.into());
    fields.insert("uri".into(), upstream_uri.into());
    let operation = format!("resources/read {uri}");
    if let Err(error) = service.allow_upstream(caller, fields, &operation).await {
        return Some(Err(refused(&error)));
    }
    Some(
        service
            .upstream_servers()
            .read_resource(server, upstream_uri)
            .await
            .map_err(|why| ErrorData::resource_not_found(format!("{operation}: {why}"), None)),
    )
}

/// Gets prompt `<server>__<name>`.
pub async fn get_prompt(
    service: &Service,
    caller: &Caller,
    name: &str,
    arguments: Option<Map<String, Value>>,
) -> Result<GetPromptResult, ErrorData> {
    let upstreams = service.upstream_servers();
    let Some((server, prompt)) = upstreams.split_name(name) else {
        return Err(ErrorData::invalid_params(format!("no prompt '{name}'"), None));
    };
    let mut fields = Map::new();
    fields.insert("operation".into(), "mcp_get_prompt".into());
    fields.insert("server".into(), server.into());
    fields.insert("prompt".into(), prompt.into());
    fields.insert("arguments".into(), Value::Object(arguments.clone().unwrap_or_default()));
    let operation = format!("prompts/get {name}");
    service.allow_upstream(caller, fields, &operation).await.map_err(|error| refused(&error))?;
    upstreams
        .get_prompt(server, prompt, arguments)
        .await
        .map_err(|why| ErrorData::invalid_params(format!("{operation}: {why}"), None))
}

/// A denial as a JSON-RPC error (resources and prompts have no `isError`).
fn refused(error: &ServiceError) -> ErrorData {
    ErrorData::invalid_request(error.to_string(), None)
}
