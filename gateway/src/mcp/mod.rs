//! The MCP surface: an rmcp `ServerHandler` that translates tool calls into
//! the service's operations and their answers into tool results.
//!
//! **Invariants:**
//! - Only this module sees MCP wire types. Malformed arguments are a
//!   JSON-RPC `invalid_params` error; everything an agent can act on (a bad
//!   hash, an unknown execution, a script error, a limit) is a tool result
//!   with `isError: true` and a message, so the model sees it.
//! - Each MCP connection (Streamable HTTP session, legacy SSE stream) has
//!   its own handler holding its own [`Connection`]: the connection ends
//!   when rmcp drops the handler. stdio has none (one local caller).

pub(crate) mod tools;
mod upstream_docs;
mod wasm_stubs;

use std::sync::Arc;

use rmcp::handler::server::ServerHandler;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, ErrorData, Implementation,
    ListResourcesResult, ListToolsResult, PaginatedRequestParams, ReadResourceRequestParams, ReadResourceResponse,
    ReadResourceResult, ServerCapabilities, ServerConfig, Tool,
};
#[allow(deprecated)] // logging/setLevel: see `set_level`
use rmcp::model::SetLevelRequestParams;
use rmcp::service::{NotificationContext, RequestContext, RoleServer};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::Claims;
use crate::config::McpConfig;
use crate::service::types::*;
use crate::service::{Connection, Service, ServiceError, text};

/// The MCP handler. Built once; each connection gets its own copy (see
/// [`McpServer::for_connection`]), sharing the tool list (its JSON schemas
/// are made once, not per connection).
#[derive(Clone)]
pub struct McpServer {
    service: Service,
    tools: Arc<[Tool]>,
    /// `<prefix>wasm__<name>` tool names and the text a call returns.
    stubs: Arc<[(String, String)]>,
    instructions: Arc<str>,
    /// The upstream tools, as the client is told of them.
    upstreams: Arc<upstream_docs::UpstreamDocs>,
    connection: Option<Arc<Connection>>,
}

impl McpServer {
    pub fn new(
        service: Service,
        config: &McpConfig,
        wasm: &crate::config::wasm::WasmConfig,
        upstreams: Arc<mcp_v8_upstreams::Upstreams>,
    ) -> Self {
        let stubs = wasm_stubs::stubs(&service.engine().wasm_modules(), wasm);
        let mut tools = tools::list(service.engine().config(), service.run_js_file(), &config.run_js_description);
        tools.extend(stubs.iter().map(|stub| stub.tool.clone()));
        Self {
            tools: tools.into(),
            stubs: stubs.into_iter().map(|stub| (stub.tool.name.to_string(), stub.text)).collect(),
            instructions: config.instructions.as_str().into(),
            upstreams: upstream_docs::UpstreamDocs::new(
                upstreams,
                config.upstream_declarations_budget,
                config.upstream_stubs.clone(),
                config.expose_upstream_tools,
            ),
            service,
            connection: None,
        }
    }

    /// A handler for one new MCP connection.
    pub fn for_connection(&self) -> Self {
        Self { connection: Some(Arc::new(Connection::new(self.service.clone()))), ..self.clone() }
    }

    async fn dispatch(&self, name: &str, args: serde_json::Value, claims: Option<&Claims>) -> Result<CallToolResult, ErrorData> {
        let service = &self.service;
        let caller = service.caller(claims, self.connection.as_deref());
        let stateful = service.is_stateful();
        if let Some((_, text)) = self.stubs.iter().find(|(tool, _)| tool == name) {
            return Ok(CallToolResult::success(vec![ContentBlock::text(text.clone())]));
        }
        if let Some(text) = self.upstreams.stub_call(name, &args) {
            return Ok(CallToolResult::success(vec![ContentBlock::text(text)]));
        }
        if let Some((server, tool)) = self.upstreams.exposed(name) {
            let serde_json::Value::Object(arguments) = args else {
                return Err(ErrorData::invalid_params("the arguments must be an object", None));
            };
            return Ok(match service.call_upstream(&caller, &server, &tool, arguments).await {
                Ok(answer) => {
                    let mut result = CallToolResult::success(
                        answer.content.into_iter().filter_map(|c| serde_json::from_value(c).ok()).collect(),
                    );
                    result.structured_content = answer.structured_content;
                    result.is_error = Some(answer.is_error);
                    result
                }
                Err(error) => tool_error(&error),
            });
        }
        Ok(match name {
            "run_js" => match service.run(&caller, run_js_args(args)?, service.inline_wait()).await {
                Ok(reply) => {
                    let failed = reply.execution.status.is_final() && reply.execution.status != Status::Completed;
                    let mut result = CallToolResult::structured(json(&reply));
                    result.content = vec![ContentBlock::text(text::run_reply(&reply))];
                    result.is_error = Some(failed);
                    result
                }
                Err(error) => tool_error(&error),
            },
            "get_execution" => answer(service.get(&caller, &parse::<ExecutionArgs>(args)?.execution_id)),
            "get_execution_output" => answer(service.output(&caller, parse(args)?)),
            "cancel_execution" => match service.cancel(&caller, &parse::<ExecutionArgs>(args)?.execution_id) {
                Ok(reply) => {
                    let ok = reply.ok;
                    let mut result = CallToolResult::structured(json(&reply));
                    result.is_error = Some(!ok);
                    result
                }
                Err(error) => tool_error(&error),
            },
            "list_executions" => answer(service.list(&caller, parse(args)?)),
            _ if !stateful => return Err(unknown_tool(name)),
            "list_sessions" => {
                let _: NoArgs = parse(args)?;
                answer(service.sessions(&caller))
            }
            "list_session_snapshots" => {
                let args: SessionLogArgs = parse(args)?;
                answer(service.session_log(&caller, &args.session, args.after_seq, args.limit))
            }
            "get_heap_tags" => answer(service.tags(&caller, &parse::<HeapArgs>(args)?.heap)),
            "set_heap_tags" => {
                let args: SetTagsArgs = parse(args)?;
                answer(service.set_tags(&caller, &args.heap, args.tags).await)
            }
            "delete_heap_tags" => {
                let args: DeleteTagsArgs = parse(args)?;
                answer(service.delete_tags(&caller, &args.heap, args.keys).await)
            }
            "query_heaps_by_tags" => answer(service.query_heaps(&caller, parse::<TagsBody>(args)?.tags)),
            _ => return Err(unknown_tool(name)),
        })
    }
}

fn json(value: &impl Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}

fn answer(result: Result<impl Serialize, ServiceError>) -> CallToolResult {
    match result {
        Ok(value) => CallToolResult::structured(json(&value)),
        Err(error) => tool_error(&error),
    }
}

fn tool_error(error: &ServiceError) -> CallToolResult {
    let retry = if error.retryable { " (retrying later may help)" } else { "" };
    CallToolResult::error(vec![ContentBlock::text(format!("{error}{retry}"))])
}

fn parse<T: DeserializeOwned>(args: serde_json::Value) -> Result<T, ErrorData> {
    serde_json::from_value(args).map_err(|e| ErrorData::invalid_params(format!("invalid arguments: {e}"), None))
}

fn run_js_args(args: serde_json::Value) -> Result<RunJsArgs, ErrorData> {
    let args: RunJsArgs = parse(args)?;
    args.check_source().map_err(|e| ErrorData::invalid_params(e, None))?;
    Ok(args)
}

fn unknown_tool(name: &str) -> ErrorData {
    ErrorData::invalid_params(format!("unknown tool '{name}'"), None)
}

impl ServerHandler for McpServer {
    #[allow(deprecated)] // enable_logging: see `set_level`
    fn get_info(&self) -> ServerConfig {
        let capabilities = if self.upstreams.has_upstreams() {
            ServerCapabilities::builder().enable_tools().enable_tool_list_changed().enable_resources().enable_logging().build()
        } else {
            ServerCapabilities::builder().enable_tools().enable_logging().build()
        };
        ServerConfig::new(capabilities)
            .with_server_info(Implementation::new("mcp-v8", env!("CARGO_PKG_VERSION")))
            .with_instructions(self.instructions.to_string())
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
        Ok(ListToolsResult::with_all_items(self.upstreams.tools(&self.tools).to_vec()))
    }

    async fn on_initialized(&self, context: NotificationContext<RoleServer>) {
        self.upstreams.connected(context.peer);
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        Ok(ListResourcesResult::with_all_items(self.upstreams.resources()))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        match self.upstreams.read(&request.uri) {
            Some(contents) => Ok(ReadResourceResult::new(vec![contents]).into()),
            None => Err(ErrorData::resource_not_found(format!("no resource {}", request.uri), None)),
        }
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let args = serde_json::Value::Object(request.arguments.unwrap_or_default());
        let claims = context.extensions.get::<http::request::Parts>().and_then(|p| p.extensions.get::<Claims>());
        tracing::debug!(tool = %request.name, principal = claims.map_or("-", |c| c.principal.as_str()), "tool call");
        Ok(self.dispatch(&request.name, args, claims).await?.into())
    }
}
