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

mod forward;
pub(crate) mod tools;
mod upstream_docs;
mod wasm_stubs;

use std::sync::Arc;

use rmcp::handler::server::ServerHandler;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, ErrorData, GetPromptRequestParams,
    GetPromptResponse, Implementation, ListPromptsResult, ListResourceTemplatesResult, ListResourcesResult,
    ListToolsResult, PaginatedRequestParams, PromptsCapability, ReadResourceRequestParams, ReadResourceResponse,
    ReadResourceResult, RequestParamsMeta, ServerCapabilities, ServerConfig, Tool,
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
use crate::telemetry;
use tracing::Instrument;

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
    /// This connection's `logging/setLevel`, for forwarded log messages.
    log_level: Arc<forward::LogLevel>,
}

impl McpServer {
    pub fn new(service: Service, config: &McpConfig, wasm: &crate::config::wasm::WasmConfig) -> Self {
        let stubs = wasm_stubs::stubs(&service.engine().wasm_modules(), wasm);
        let mut tools = tools::list(service.engine().config(), service.run_js_file(), &config.run_js_description);
        tools.extend(stubs.iter().map(|stub| stub.tool.clone()));
        Self {
            tools: tools.into(),
            stubs: stubs.into_iter().map(|stub| (stub.tool.name.to_string(), stub.text)).collect(),
            instructions: config.instructions.as_str().into(),
            upstreams: upstream_docs::UpstreamDocs::new(
                service.upstream_servers().clone(),
                config.upstream_declarations_budget,
                config.upstream_stubs.clone(),
                config.expose_upstream_tools,
            ),
            service,
            connection: None,
            log_level: Arc::default(),
        }
    }

    /// A handler for one new MCP connection.
    pub fn for_connection(&self) -> Self {
        Self {
            connection: Some(Arc::new(Connection::new(self.service.clone()))),
            log_level: Arc::default(),
            ..self.clone()
        }
    }

    fn caller_of(&self, context: &RequestContext<RoleServer>) -> mcp_v8_runtime::Caller {
        let claims = context.extensions.get::<http::request::Parts>().and_then(|p| p.extensions.get::<Claims>());
        self.service.caller(claims, self.connection.as_deref())
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

pub(crate) fn tool_error(error: &ServiceError) -> CallToolResult {
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

/// How the error for a name no tool has begins (the metrics tell it apart).
const UNKNOWN_TOOL: &str = "unknown tool";

fn unknown_tool(name: &str) -> ErrorData {
    ErrorData::invalid_params(format!("{UNKNOWN_TOOL} '{name}'"), None)
}

impl ServerHandler for McpServer {
    #[allow(deprecated)] // enable_logging: see `set_level`
    fn get_info(&self) -> ServerConfig {
        let mut capabilities = if self.upstreams.has_upstreams() {
            ServerCapabilities::builder().enable_tools().enable_tool_list_changed().enable_resources().enable_logging().build()
        } else {
            ServerCapabilities::builder().enable_tools().enable_logging().build()
        };
        if self.upstreams.exposes() {
            let mut prompts = PromptsCapability::default();
            prompts.list_changed = Some(true);
            capabilities.prompts = Some(prompts);
            if let Some(resources) = capabilities.resources.as_mut() {
                resources.list_changed = Some(true);
            }
        }
        ServerConfig::new(capabilities)
            .with_server_info(Implementation::new("mcp-v8", env!("CARGO_PKG_VERSION")))
            .with_instructions(self.instructions.to_string())
    }

    /// The lowest level of the upstreams' log messages this connection
    /// gets about its forwarded calls (`--expose-upstream-tools`). mcp-v8
    /// sends none of its own: a run's console output comes back with the
    /// run. Logging is deprecated from the protocol after 2025-11-25 (SEP-2577).
    #[allow(deprecated)]
    async fn set_level(&self, request: SetLevelRequestParams, _context: RequestContext<RoleServer>) -> Result<(), ErrorData> {
        tracing::debug!(level = ?request.level, "client set the logging level");
        self.log_level.set(request.level);
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
        let mut resources = self.upstreams.resources();
        if self.upstreams.exposes() {
            resources.extend(self.service.upstream_servers().resources().await);
        }
        Ok(ListResourcesResult::with_all_items(resources))
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, ErrorData> {
        let templates = if self.upstreams.exposes() { self.service.upstream_servers().resource_templates().await } else { vec![] };
        Ok(ListResourceTemplatesResult::with_all_items(templates))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        if let Some(contents) = self.upstreams.read(&request.uri) {
            return Ok(ReadResourceResult::new(vec![contents]).into());
        }
        if self.upstreams.exposes()
            && let Some(read) = forward::read(&self.service, &self.caller_of(&context), &request.uri).await
        {
            return read.map(Into::into);
        }
        Err(ErrorData::resource_not_found(format!("no resource {}", request.uri), None))
    }

    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, ErrorData> {
        let prompts = if self.upstreams.exposes() { self.service.upstream_servers().prompts().await } else { vec![] };
        Ok(ListPromptsResult::with_all_items(prompts))
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, ErrorData> {
        if !self.upstreams.exposes() {
            return Err(ErrorData::invalid_params(format!("no prompt '{}'", request.name), None));
        }
        let caller = self.caller_of(&context);
        Ok(forward::get_prompt(&self.service, &caller, &request.name, request.arguments).await?.into())
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let span = telemetry::request::server_span(&telemetry::request::Request {
            method: "tools/call",
            target: Some(&request.name),
            request_id: &context.id,
            meta: &context.meta,
            http: context.extensions.get::<http::request::Parts>(),
            protocol_version: &|| context.peer.peer_info().map(|info| info.protocol_version.to_string()),
        });
        let started = std::time::Instant::now();
        let name = request.name.clone();
        let result = self.call_tool_traced(request, context).instrument(span.clone()).await;
        let (error_type, description) = match &result {
            Err(error) => (Some(error.code.0.to_string()), Some(error.message.to_string())),
            Ok(result) if result.is_error == Some(true) => (Some("tool_error".to_owned()), None),
            Ok(_) => (None, None),
        };
        telemetry::request::finish(&span, error_type.as_deref(), description.as_deref());
        // An unknown name is not a label: clients choose names without bound.
        let unknown = result.as_ref().is_err_and(|e| e.message.starts_with(UNKNOWN_TOOL));
        let tool = if unknown { "other" } else { name.as_ref() };
        self.service.metrics().operation("tools/call", Some(tool), error_type.as_deref(), started.elapsed().as_secs_f64());
        result.map(Into::into)
    }
}

impl McpServer {
    /// `tools/call`, inside its request's span.
    async fn call_tool_traced(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let claims = context.extensions.get::<http::request::Parts>().and_then(|p| p.extensions.get::<Claims>());
        tracing::debug!(tool = %request.name, principal = claims.map_or("-", |c| c.principal.as_str()), "tool call");
        if let Some((server, tool)) = self.upstreams.exposed(&request.name) {
            let caller = self.caller_of(&context);
            let call = forward::Call {
                caller: &caller,
                server: &server,
                tool: &tool,
                arguments: request.arguments.clone().unwrap_or_default(),
                progress_token: request.progress_token().or_else(|| context.meta.get_progress_token()),
                peer: context.peer.clone(),
                level: self.log_level.clone(),
                cancelled: context.ct.clone(),
            };
            return Ok(forward::call(&self.service, call).await);
        }
        let args = serde_json::Value::Object(request.arguments.unwrap_or_default());
        self.dispatch(&request.name, args, claims).await
    }
}
