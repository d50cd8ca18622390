//! Calls user code makes that the gateway answers: the tools of upstream
//! MCP servers (`mcp.callTool` in `js/mcp.js`), behind the `mcp_tools`
//! policy.
//!
//! The runtime knows no MCP client: the gateway plugs a [`Host`] into
//! [`crate::EngineDeps`]. Everything that crosses the trait is plain,
//! serializable data, so a run could one day execute in another process
//! than the one holding the upstream connections.
//!
//! **Invariants:**
//! - A call is decided (`{operation: "mcp_call_tool", server, tool,
//!   arguments}` under `mcp_tools`) before it reaches the host; a denied
//!   call never leaves the runtime.
//! - A call ends with its run ([`RunContext::until_stopped`]): dropping the
//!   host's future is how the host learns the caller went away.
//! - A result larger than the run's memory budget is refused before it
//!   reaches JavaScript.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use deno_core::{OpState, op2};
use deno_error::JsErrorBox;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tracing::Instrument;

use crate::capability::Capability;
use crate::context::RunContext;

/// An upstream server as `mcp.servers` lists it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UpstreamServer {
    pub name: String,
    /// `connecting`, `ready` or `failed`.
    pub status: String,
    pub tools: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A tool of an upstream server, from the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpstreamTool {
    pub server: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub input_schema: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_schema: Option<Value>,
}

/// One tool call, as it crosses to the host.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ToolCall {
    pub server: String,
    pub tool: String,
    pub arguments: Map<String, Value>,
    /// The caller's own limit (`{timeoutMs}`); the host applies its own too.
    pub timeout: Option<Duration>,
}

/// What a tool answered.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolResult {
    pub content: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structured_content: Option<Value>,
    pub is_error: bool,
}

/// Answers the calls of user code that the runtime cannot: implemented by
/// the gateway's upstream servers.
#[async_trait::async_trait]
pub trait Host: Send + Sync + 'static {
    /// The configured servers and their state.
    fn servers(&self) -> Vec<UpstreamServer>;
    /// The catalogue: every tool, or those of one server.
    fn tools(&self, server: Option<&str>) -> Vec<UpstreamTool>;
    /// Calls a tool. `Err` is a failure to get an answer (unknown server or
    /// tool, server down, timeout); a tool's own error is `is_error`.
    async fn call_tool(&self, call: ToolCall) -> Result<ToolResult, String>;
}

/// The host of an engine without upstream servers.
pub struct NoUpstreams;

#[async_trait::async_trait]
impl Host for NoUpstreams {
    fn servers(&self) -> Vec<UpstreamServer> {
        Vec::new()
    }

    fn tools(&self, _server: Option<&str>) -> Vec<UpstreamTool> {
        Vec::new()
    }

    async fn call_tool(&self, call: ToolCall) -> Result<ToolResult, String> {
        Err(format!("no upstream MCP server '{}' (none is configured: --mcp-server)", call.server))
    }
}

/// The operation's own fields of a call's decision input:
/// `{operation: "mcp_call_tool", server, tool, arguments}`.
pub fn call_fields(server: &str, tool: &str, arguments: &Map<String, Value>) -> Map<String, Value> {
    let mut fields = Map::new();
    fields.insert("operation".into(), Value::String("mcp_call_tool".into()));
    fields.insert("server".into(), Value::String(server.into()));
    fields.insert("tool".into(), Value::String(tool.into()));
    fields.insert("arguments".into(), Value::Object(arguments.clone()));
    fields
}

/// Counts the bytes of a serialization without keeping them.
struct Counted(usize);

impl std::io::Write for Counted {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn context(state: &Rc<RefCell<OpState>>) -> Result<std::sync::Arc<RunContext>, JsErrorBox> {
    RunContext::current(&state.borrow())
}

#[op2]
#[serde]
pub fn op_mcpv8_mcp_servers(state: Rc<RefCell<OpState>>) -> Result<Vec<UpstreamServer>, JsErrorBox> {
    Ok(context(&state)?.host.servers())
}

/// The catalogue; `server` empty for every server's tools.
#[op2]
#[serde]
pub fn op_mcpv8_mcp_tools(
    state: Rc<RefCell<OpState>>,
    #[string] server: String,
) -> Result<Vec<UpstreamTool>, JsErrorBox> {
    Ok(context(&state)?.host.tools(Some(server.as_str()).filter(|s| !s.is_empty())))
}

/// `mcp.callTool`'s options.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallOptions {
    #[serde(default)]
    timeout_ms: Option<f64>,
}

#[op2]
#[serde]
pub async fn op_mcpv8_mcp_call(
    state: Rc<RefCell<OpState>>,
    #[string] server: String,
    #[string] tool: String,
    #[serde] arguments: Map<String, Value>,
    #[serde] options: CallOptions,
) -> Result<ToolResult, JsErrorBox> {
    let context = context(&state)?;
    // The CLIENT span of the call (its decision is under it); the host
    // passes its trace context on to the upstream server.
    let span = child_span!(
        "mcp.call_tool",
        otel.name = %format_args!("tools/call {tool}"),
        otel.kind = "client",
        "mcp.method.name" = "tools/call",
        "gen_ai.tool.name" = tool.as_str(),
        "gen_ai.operation.name" = "execute_tool",
        "server.address" = server.as_str(),
        "error.type" = tracing::field::Empty,
        otel.status_code = tracing::field::Empty,
    );
    let result = call(&context, &server, &tool, arguments, options).instrument(span.clone()).await;
    let error_type = match &result {
        Ok(result) if result.is_error => Some(std::borrow::Cow::Borrowed("tool_error")),
        Ok(_) => None,
        Err(error) => Some(deno_error::JsErrorClass::get_class(error)),
    };
    if let Some(error_type) = error_type {
        span.record("error.type", error_type.as_ref());
        span.record("otel.status_code", "error");
    }
    result
}

async fn call(
    context: &RunContext,
    server: &str,
    tool: &str,
    arguments: Map<String, Value>,
    options: CallOptions,
) -> Result<ToolResult, JsErrorBox> {
    let fields = call_fields(&server, &tool, &arguments);
    context.check(Capability::McpTools, &format!("tools/call {server}.{tool}"), fields).await?;
    let timeout = match options.timeout_ms {
        Some(ms) if ms.is_finite() && ms > 0.0 => Some(Duration::from_secs_f64(ms / 1000.0)),
        Some(_) => return Err(JsErrorBox::range_error("mcp.callTool: timeoutMs must be a positive number")),
        None => None,
    };
    let call = ToolCall { server: server.to_owned(), tool: tool.to_owned(), arguments, timeout };
    let result = context
        .until_stopped(context.host.call_tool(call))
        .await?
        .map_err(|why| JsErrorBox::new("McpCallError", format!("mcp.callTool {server}.{tool}: {why}")))?;
    let mut size = Counted(0);
    let size = serde_json::to_writer(&mut size, &result).map_or(usize::MAX, |()| size.0);
    if size > context.budget_bytes {
        return Err(JsErrorBox::range_error(format!(
            "mcp.callTool {server}.{tool}: the result takes {size} bytes, more than the run's memory budget"
        )));
    }
    Ok(result)
}
