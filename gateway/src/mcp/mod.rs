//! The MCP surface: an rmcp `ServerHandler` whose tools drive the engine.
//!
//! **Invariant:** only this module sees MCP wire types. Malformed arguments
//! are a JSON-RPC `invalid_params` error; everything an agent can act on
//! (a bad hash, an unknown execution, a script error) is a tool result with
//! `isError: true` and a message, so the model sees it.

pub(crate) mod render;
pub(crate) mod tools;

use std::sync::Arc;
use std::time::Duration;

use mcp_v8_runtime::{Engine, ExecutionId, ExecutionStatus, HeapHash, OutputQuery, RunRequest, RuntimeError, SessionName, Tags};
use rmcp::handler::server::ServerHandler;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, ErrorData, Implementation, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
#[allow(deprecated)] // logging/setLevel: see `set_level`
use rmcp::model::SetLevelRequestParams;
use rmcp::service::{RequestContext, RoleServer};
use serde::de::DeserializeOwned;

use crate::config::Config;
use tools::*;

/// The MCP handler. Built once from the configuration; each HTTP or SSE
/// connection gets a clone, which shares the tool list (its JSON schemas are
/// made once, not per connection).
#[derive(Clone)]
pub struct McpServer {
    engine: Arc<Engine>,
    tools: Arc<[Tool]>,
    instructions: String,
    default_session: Option<String>,
    inline_wait: Duration,
}

impl McpServer {
    pub fn new(engine: Arc<Engine>, config: &Config) -> Self {
        Self {
            tools: tools::list(engine.is_stateful(), &config.run_js_description).into(),
            engine,
            instructions: config.instructions.clone(),
            default_session: config.default_session.clone(),
            inline_wait: config.inline_wait,
        }
    }

    async fn dispatch(
        &self,
        name: &str,
        args: serde_json::Value,
        transport_session: Option<&str>,
    ) -> Result<Result<serde_json::Value, String>, ErrorData> {
        Ok(match name {
            "run_js" => self.run_js(parse(args)?, transport_session).await,
            "get_execution" => {
                let args: ExecutionArgs = parse(args)?;
                self.execution(&args.execution_id).map(|e| render::json(e.info()))
            }
            "get_execution_output" => {
                let args: OutputArgs = parse(args)?;
                let query = OutputQuery {
                    line_offset: args.line_offset,
                    line_limit: args.line_limit,
                    byte_offset: args.byte_offset,
                    byte_limit: args.byte_limit,
                };
                self.execution(&args.execution_id).map(|e| render::json(render::output_page(&e.info(), e.output.page(query))))
            }
            "cancel_execution" => {
                let args: ExecutionArgs = parse(args)?;
                match ExecutionId::parse(&args.execution_id).map_err(|e| e.to_string()) {
                    Ok(id) => match self.engine.cancel(&id) {
                        Some(status) => Ok(serde_json::json!({ "execution_id": id, "status": status })),
                        None => Err(format!("no execution {id}")),
                    },
                    Err(error) => Err(error),
                }
            }
            "list_executions" => {
                let args: ListExecutionsArgs = parse(args)?;
                self.list_executions(args)
            }
            _ if !self.engine.is_stateful() => return Err(unknown_tool(name)),
            "list_sessions" => {
                let _: NoArgs = parse(args)?;
                self.engine.list_sessions().map(|s| serde_json::json!({ "sessions": s })).map_err(|e| e.to_string())
            }
            "list_session_snapshots" => {
                let args: SessionLogArgs = parse(args)?;
                SessionName::parse(&args.session)
                    .and_then(|s| self.engine.session_log(&s, args.after_seq.unwrap_or(0), args.limit.unwrap_or(100)))
                    .map(|log| serde_json::json!({ "session": args.session, "runs": log }))
                    .map_err(|e| e.to_string())
            }
            "get_heap_tags" => {
                let args: HeapArgs = parse(args)?;
                HeapHash::parse(&args.heap)
                    .and_then(|h| self.engine.heap_tags(&h).map(|t| serde_json::json!({ "heap": h, "tags": t })))
                    .map_err(|e| e.to_string())
            }
            "set_heap_tags" => {
                let args: SetTagsArgs = parse(args)?;
                tags_result(match HeapHash::parse(&args.heap) {
                    Ok(h) => self.engine.set_heap_tags(h.clone(), args.tags).await.map(|t| (h, t)),
                    Err(e) => Err(e),
                })
            }
            "delete_heap_tags" => {
                let args: DeleteTagsArgs = parse(args)?;
                tags_result(match HeapHash::parse(&args.heap) {
                    Ok(h) => self.engine.delete_heap_tags(h.clone(), args.keys).await.map(|t| (h, t)),
                    Err(e) => Err(e),
                })
            }
            "query_heaps_by_tags" => {
                let args: QueryTagsArgs = parse(args)?;
                self.engine
                    .query_heaps(&args.tags)
                    .map(|found| {
                        let heaps: Vec<_> = found.into_iter().map(|(heap, tags)| serde_json::json!({ "heap": heap, "tags": tags })).collect();
                        serde_json::json!({ "heaps": heaps })
                    })
                    .map_err(|e| e.to_string())
            }
            _ => return Err(unknown_tool(name)),
        })
    }

    async fn run_js(&self, args: RunJsArgs, transport_session: Option<&str>) -> Result<serde_json::Value, String> {
        let implicit = self.default_session.as_deref().or(transport_session);
        let request = run_request(args, self.engine.is_stateful(), implicit).map_err(|e| e.to_string())?;
        let execution = self.engine.submit(request).map_err(|e| e.to_string())?;
        execution.wait(self.inline_wait).await;
        Ok(render::json(render::run_reply(execution.info(), &execution.output)))
    }

    fn execution(&self, id: &str) -> Result<Arc<mcp_v8_runtime::Execution>, String> {
        let id = ExecutionId::parse(id).map_err(|e| e.to_string())?;
        self.engine.get(&id).ok_or_else(|| format!("no execution {id} (finished executions are kept for a while, then dropped)"))
    }

    fn list_executions(&self, args: ListExecutionsArgs) -> Result<serde_json::Value, String> {
        let status = match args.status.as_deref() {
            Some(text) => Some(ExecutionStatus::parse(text).ok_or_else(|| format!("unknown status '{text}'"))?),
            None => None,
        };
        let session = args.session.as_deref().map(SessionName::parse).transpose().map_err(|e| e.to_string())?;
        let list = self.engine.list(status, session.as_ref(), args.limit.unwrap_or(50).min(1000));
        Ok(serde_json::json!({ "executions": list.iter().map(render::summary).collect::<Vec<_>>() }))
    }
}

/// Turns run_js arguments (MCP or REST) into a run. The session is the one
/// named, else (without a heap) `implicit`: the server's `--session-id`, or
/// the MCP session of the connection (`Mcp-Session-Id` over HTTP), so a
/// client's calls share state without naming a session and no other client
/// sees it.
pub fn run_request(args: RunJsArgs, stateful: bool, implicit: Option<&str>) -> Result<RunRequest, RuntimeError> {
    let heap = args.heap.as_deref().map(HeapHash::parse).transpose()?;
    let session = match (&args.session, &heap, implicit) {
        (Some(name), _, _) => Some(SessionName::parse(name)?),
        (None, None, Some(name)) if stateful => Some(SessionName::parse(name)?),
        _ => None,
    };
    Ok(RunRequest {
        code: args.code,
        heap,
        session,
        heap_max_bytes: args.heap_memory_max_mb.map(|mb| (mb as usize).saturating_mul(1 << 20)),
        timeout: args.execution_timeout_secs.map(Duration::from_secs),
        tags: args.tags.map(|t| t.into_iter().collect::<Tags>()),
    })
}

fn parse<T: DeserializeOwned>(args: serde_json::Value) -> Result<T, ErrorData> {
    serde_json::from_value(args).map_err(|e| ErrorData::invalid_params(format!("invalid arguments: {e}"), None))
}

fn unknown_tool(name: &str) -> ErrorData {
    ErrorData::invalid_params(format!("unknown tool '{name}'"), None)
}

fn tags_result(result: Result<(HeapHash, Tags), RuntimeError>) -> Result<serde_json::Value, String> {
    result.map(|(heap, tags)| serde_json::json!({ "heap": heap, "tags": tags })).map_err(|e| e.to_string())
}

impl ServerHandler for McpServer {
    #[allow(deprecated)] // enable_logging: see `set_level`
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().enable_logging().build())
            .with_server_info(Implementation::new("mcp-v8", env!("CARGO_PKG_VERSION")))
            .with_instructions(self.instructions.clone())
    }

    /// Accepted, as protocol versions up to 2025-11-25 ask of a server that
    /// offers logging. mcp-v8 sends no log notifications (a run's console
    /// output comes back with the run), so there is nothing to filter.
    /// Logging is deprecated from the next protocol version on (SEP-2577).
    #[allow(deprecated)]
    async fn set_level(&self, request: SetLevelRequestParams, _context: RequestContext<RoleServer>) -> Result<(), ErrorData> {
        tracing::debug!(level = ?request.level, "client set the logging level");
        Ok(())
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.tools.to_vec()))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let args = serde_json::Value::Object(request.arguments.unwrap_or_default());
        let parts = context.extensions.get::<http::request::Parts>();
        let transport_session = parts
            .and_then(|parts| parts.headers.get("mcp-session-id"))
            .and_then(|value| value.to_str().ok())
            .map(|id| format!("mcp-{id}"));
        let subject = parts.and_then(|p| p.extensions.get::<crate::http::Claims>()).and_then(|c| c.subject());
        tracing::debug!(tool = %request.name, subject = subject.unwrap_or("-"), "tool call");
        let result = match self.dispatch(&request.name, args, transport_session.as_deref()).await? {
            Ok(value) => {
                let failed = value.get("status").and_then(|s| s.as_str()).is_some_and(|s| {
                    matches!(s, "failed" | "timed_out" | "cancelled") && request.name == "run_js"
                });
                let mut result = CallToolResult::structured(value);
                result.is_error = Some(failed);
                result
            }
            Err(message) => CallToolResult::error(vec![ContentBlock::text(message)]),
        };
        Ok(result.into())
    }
}
