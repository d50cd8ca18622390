//! The upstream MCP servers mcp-v8 fronts: one rmcp client per server
//! (stdio child, Streamable HTTP, or legacy HTTP+SSE through `sse.rs`), a
//! merged catalogue of their tools, and
//! the runtime's [`Host`], which answers `mcp.callTool` from `run_js`.
//!
//! **Invariants:**
//! - The gateway serves at once: servers connect concurrently in the
//!   background, and one that fails is listed as `failed` with its error
//!   and retried with backoff (1 s doubling to 30 s); the others go on. A
//!   connection that did not end but fails a call and then a ping is made
//!   again.
//! - Readers see the catalogue as a snapshot (an `Arc` swapped whole when a
//!   server's tools change), never a lock held across a call.
//! - A stdio child dies with the gateway: killed when its client drops, and
//!   (Linux) sent SIGKILL by the kernel if the gateway itself is killed.
//! - At most `max_concurrent` calls are in flight to one server; each ends
//!   within its timeout, and a call given up (timeout, the run stopped) is
//!   cancelled upstream (rmcp sends `notifications/cancelled` when the call's
//!   future drops).

pub mod config;
pub mod declarations;
pub mod forward;
mod oauth;
mod sse;
pub mod stats;
mod trace;

use std::sync::Arc;
use std::time::Duration;

use mcp_v8_runtime::host::{Host, ToolCall, ToolResult, UpstreamServer, UpstreamTool};
use parking_lot::RwLock;
use rmcp::model::{CallToolRequest, CallToolRequestParams, ClientRequest, ServerResult};
use rmcp::service::PeerRequestOptions;
use rmcp::service::{NotificationContext, Peer, RoleClient, RunningService, ServiceExt};
use tokio::task::JoinHandle;

pub use config::{Auth, ConfigError, Transport, UpstreamSpec};
pub use forward::{Notice, Relay};

const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// What one server is doing now.
#[derive(Clone)]
struct State {
    status: &'static str,
    error: Option<String>,
    peer: Option<Peer<RoleClient>>,
    tools: Vec<UpstreamTool>,
}

struct Server {
    spec: UpstreamSpec,
    state: RwLock<State>,
    permits: tokio::sync::Semaphore,
    /// Told when the connection looks dead although it has not ended (a
    /// Streamable HTTP server that restarted): the connection is made again.
    reconnect: tokio::sync::Notify,
    /// Forwarded calls in flight, for their notifications.
    relays: Arc<forward::Relays>,
}

/// The client side of one connection: it hears when the server's tools,
/// resources or prompts change, and the notifications of forwarded calls.
struct Client {
    server: String,
    tools_changed: Arc<tokio::sync::Notify>,
    relays: Arc<forward::Relays>,
    upstreams: std::sync::Weak<Upstreams>,
}

impl rmcp::ClientHandler for Client {
    async fn on_tool_list_changed(&self, _context: NotificationContext<RoleClient>) {
        self.tools_changed.notify_one();
    }

    async fn on_resource_list_changed(&self, _context: NotificationContext<RoleClient>) {
        if let Some(upstreams) = self.upstreams.upgrade() {
            upstreams.others_changed();
        }
    }

    async fn on_prompt_list_changed(&self, _context: NotificationContext<RoleClient>) {
        if let Some(upstreams) = self.upstreams.upgrade() {
            upstreams.others_changed();
        }
    }

    async fn on_progress(
        &self,
        params: rmcp::model::ProgressNotificationParam,
        _context: NotificationContext<RoleClient>,
    ) {
        self.relays.progress(params);
    }

    #[allow(deprecated)] // logging: see forward.rs
    async fn on_logging_message(
        &self,
        params: rmcp::model::LoggingMessageNotificationParam,
        _context: NotificationContext<RoleClient>,
    ) {
        self.relays.log(&self.server, params);
    }
}

/// Every configured upstream server.
pub struct Upstreams {
    servers: Vec<Arc<Server>>,
    catalogue: RwLock<Arc<Vec<UpstreamTool>>>,
    /// Bumped whenever the catalogue changes.
    changes: tokio::sync::watch::Sender<u64>,
    /// Bumped when a server says its resources or prompts changed, or a
    /// server comes or goes.
    others: tokio::sync::watch::Sender<u64>,
    tasks: parking_lot::Mutex<Vec<JoinHandle<()>>>,
    calls: stats::CallStats,
}

impl Upstreams {
    /// Starts connecting to every server, in the background (call inside
    /// the gateway's tokio runtime).
    pub fn start(specs: Vec<UpstreamSpec>) -> Arc<Self> {
        let servers: Vec<Arc<Server>> = specs
            .into_iter()
            .map(|spec| {
                Arc::new(Server {
                    permits: tokio::sync::Semaphore::new(spec.max_concurrent),
                    reconnect: tokio::sync::Notify::new(),
                    relays: Arc::default(),
                    spec,
                    state: RwLock::new(State { status: "connecting", error: None, peer: None, tools: Vec::new() }),
                })
            })
            .collect();
        let upstreams = Arc::new(Self {
            servers,
            catalogue: RwLock::default(),
            changes: tokio::sync::watch::Sender::new(0),
            others: tokio::sync::watch::Sender::new(0),
            tasks: parking_lot::Mutex::default(),
            calls: stats::CallStats::default(),
        });
        let tasks = upstreams
            .servers
            .iter()
            .map(|server| tokio::spawn(maintain(server.clone(), Arc::downgrade(&upstreams))))
            .collect();
        *upstreams.tasks.lock() = tasks;
        upstreams
    }

    /// Rebuilds the catalogue snapshot from every server's tools.
    fn publish(&self) {
        let tools: Vec<UpstreamTool> = self.servers.iter().flat_map(|s| s.state.read().tools.clone()).collect();
        let changed = **self.catalogue.read() != tools;
        *self.catalogue.write() = Arc::new(tools);
        if changed {
            self.changes.send_modify(|version| *version += 1);
        }
    }

    /// True when no server is configured.
    pub fn is_empty(&self) -> bool {
        self.servers.is_empty()
    }

    /// The catalogue now, and its version.
    pub fn catalogue(&self) -> (u64, Arc<Vec<UpstreamTool>>) {
        (*self.changes.borrow(), self.catalogue.read().clone())
    }

    /// Changes when the catalogue does.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// Changes when the servers' resources or prompts may have.
    pub fn subscribe_others(&self) -> tokio::sync::watch::Receiver<u64> {
        self.others.subscribe()
    }

    fn others_changed(&self) {
        self.others.send_modify(|version| *version += 1);
    }

    /// Every server's name and tool count.
    pub fn tool_counts(&self) -> Vec<(String, usize)> {
        self.servers.iter().map(|s| (s.spec.name.clone(), s.state.read().tools.len())).collect()
    }

    fn server(&self, name: &str) -> Result<&Arc<Server>, String> {
        self.servers.iter().find(|s| s.spec.name == name).ok_or_else(|| {
            let names: Vec<&str> = self.servers.iter().map(|s| s.spec.name.as_str()).collect();
            format!(
                "no upstream server '{name}' (servers: {})",
                if names.is_empty() { "none".into() } else { names.join(", ") }
            )
        })
    }
}

impl Drop for Upstreams {
    fn drop(&mut self) {
        // The clients (and with them the stdio children) go with their tasks.
        for task in self.tasks.lock().drain(..) {
            task.abort();
        }
    }
}

fn set(server: &Server, upstreams: &std::sync::Weak<Upstreams>, state: State) {
    let came_or_went = {
        let mut current = server.state.write();
        let came_or_went = current.peer.is_some() != state.peer.is_some();
        *current = state;
        came_or_went
    };
    if let Some(upstreams) = upstreams.upgrade() {
        upstreams.publish();
        if came_or_went {
            upstreams.others_changed();
        }
    }
}

/// Connects, lists the tools, waits for the connection to end, and starts
/// again after a backoff; for as long as the gateway runs.
async fn maintain(server: Arc<Server>, upstreams: std::sync::Weak<Upstreams>) {
    let name = server.spec.name.clone();
    let mut backoff = FIRST_BACKOFF;
    loop {
        let failed = |error: String| State { status: "failed", error: Some(error), peer: None, tools: Vec::new() };
        let tools_changed = Arc::new(tokio::sync::Notify::new());
        let client = Client {
            server: name.clone(),
            tools_changed: tools_changed.clone(),
            relays: server.relays.clone(),
            upstreams: upstreams.clone(),
        };
        // A server that never answers `initialize` counts as failed after its call timeout.
        let limit = server.spec.call_timeout;
        let connected = tokio::time::timeout(limit, connect(&server.spec, client))
            .await
            .unwrap_or_else(|_| Err(format!("no answer to initialize within {} s", limit.as_secs_f64())));
        match connected {
            Ok(running) => {
                let peer = running.peer().clone();
                match list_tools(&name, &peer).await {
                    Ok(tools) => {
                        tracing::info!(server = %name, tools = tools.len(), "upstream MCP server ready");
                        backoff = FIRST_BACKOFF;
                        set(
                            &server,
                            &upstreams,
                            State { status: "ready", error: None, peer: Some(peer.clone()), tools },
                        );
                        let ended = running.waiting();
                        tokio::pin!(ended);
                        let ended = loop {
                            tokio::select! {
                                ended = &mut ended => break format!("the connection ended ({ended:?})"),
                                () = server.reconnect.notified() => {
                                    break "it stopped answering (a call failed, then a ping)".to_owned();
                                }
                                () = tools_changed.notified() => match list_tools(&name, &peer).await {
                                    Ok(tools) => {
                                        tracing::info!(server = %name, tools = tools.len(), "upstream tools changed");
                                        let peer = Some(peer.clone());
                                        set(&server, &upstreams, State { status: "ready", error: None, peer, tools });
                                    }
                                    Err(error) => tracing::warn!(server = %name, %error, "cannot list the changed tools"),
                                },
                            }
                        };
                        let why = ended;
                        tracing::warn!(server = %name, %why, "upstream MCP server gone; reconnecting");
                        set(&server, &upstreams, failed(why));
                    }
                    Err(error) => {
                        let why = format!("tools/list failed: {error}");
                        tracing::warn!(server = %name, %why, "upstream MCP server not usable");
                        set(&server, &upstreams, failed(why));
                    }
                }
            }
            Err(error) => {
                tracing::warn!(server = %name, %error, retry_in_secs = backoff.as_secs(), "cannot connect to an upstream MCP server");
                set(&server, &upstreams, failed(error));
            }
        }
        if upstreams.strong_count() == 0 {
            return;
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

async fn list_tools(server: &str, peer: &Peer<RoleClient>) -> Result<Vec<UpstreamTool>, rmcp::ServiceError> {
    Ok(peer.list_all_tools().await?.into_iter().map(|tool| upstream_tool(server, tool)).collect())
}

async fn connect(spec: &UpstreamSpec, client: Client) -> Result<RunningService<RoleClient, Client>, String> {
    match &spec.transport {
        Transport::Stdio { command, args, env, cwd } => {
            let mut child = tokio::process::Command::new(command);
            child.args(args).envs(env).kill_on_drop(true);
            if let Some(cwd) = cwd {
                child.current_dir(cwd);
            }
            // SAFETY: between fork and exec the closure only makes one
            // async-signal-safe system call (prctl).
            unsafe {
                child.pre_exec(|| {
                    rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL))
                        .map_err(std::io::Error::from)
                });
            }
            let (transport, _) = rmcp::transport::TokioChildProcess::builder(child)
                .stderr(std::process::Stdio::inherit())
                .spawn()
                .map_err(|e| format!("cannot start '{command}': {e}"))?;
            client.serve(transport).await.map_err(|e| format!("initialize failed: {e}"))
        }
        Transport::Http { url, headers, auth } => {
            use rmcp::transport::StreamableHttpClientTransport;
            use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
            // A session the server expired (404) is made again and the call
            // sent once more: rmcp's `reinit_on_expired_session`, on by default.
            let mut config = StreamableHttpClientTransportConfig::with_uri(url.as_str())
                .max_concurrent_requests(spec.max_concurrent)
                .reinit_on_expired_session(true);
            for (name, value) in headers {
                let (Ok(name), Ok(value)) = (name.parse(), value.parse()) else {
                    return Err(format!("header '{name}' is not valid"));
                };
                config.custom_headers.insert(name, value);
            }
            let initialized = match auth {
                Auth::ClientCredentials(credentials) => {
                    let tokens = oauth::TokenSource::new(credentials.clone())?;
                    // The first token now, so that a refusal is the error shown.
                    tokens.token().await?;
                    let http = oauth::WithToken { inner: trace::http_client(), tokens };
                    client.serve(StreamableHttpClientTransport::with_client(trace::Headers(http), config)).await
                }
                Auth::Bearer(token) => {
                    let http = trace::Headers(trace::http_client());
                    client.serve(StreamableHttpClientTransport::with_client(http, config.auth_header(token.clone()))).await
                }
                Auth::None => {
                    client.serve(StreamableHttpClientTransport::with_client(trace::Headers(trace::http_client()), config)).await
                }
            };
            initialized.map_err(|e| format!("initialize failed at {url}: {e}"))
        }
        Transport::Sse { url, headers, auth } => {
            let transport = sse::connect(url, headers, auth).await?;
            client.serve(transport).await.map_err(|e| format!("initialize failed at {url}: {e}"))
        }
    }
}

/// True when the server answers a ping within a few seconds.
async fn answers_ping(peer: &Peer<RoleClient>) -> bool {
    let ping = rmcp::model::ClientRequest::PingRequest(rmcp::model::PingRequest {
        method: Default::default(),
        extensions: Default::default(),
    });
    matches!(tokio::time::timeout(Duration::from_secs(3), peer.send_request(ping)).await, Ok(Ok(_)))
}

fn upstream_tool(server: &str, tool: rmcp::model::Tool) -> UpstreamTool {
    UpstreamTool {
        server: server.to_owned(),
        name: tool.name.to_string(),
        description: tool.description.map(|d| d.to_string()),
        input_schema: serde_json::Value::Object((*tool.input_schema).clone()),
        output_schema: tool.output_schema.map(|s| serde_json::Value::Object((*s).clone())),
    }
}

#[async_trait::async_trait]
impl Host for Upstreams {
    fn servers(&self) -> Vec<UpstreamServer> {
        self.servers
            .iter()
            .map(|server| {
                let state = server.state.read();
                UpstreamServer {
                    name: server.spec.name.clone(),
                    status: state.status.to_owned(),
                    tools: state.tools.len(),
                    error: state.error.clone(),
                }
            })
            .collect()
    }

    fn tools(&self, server: Option<&str>) -> Vec<UpstreamTool> {
        let catalogue = self.catalogue.read().clone();
        catalogue.iter().filter(|tool| server.is_none_or(|s| tool.server == s)).cloned().collect()
    }

    async fn call_tool(&self, call: ToolCall) -> Result<ToolResult, String> {
        self.call(call, None).await
    }
}

impl Upstreams {
    /// A ready server and its connection.
    fn ready(&self, name: &str) -> Result<(&Arc<Server>, Peer<RoleClient>), String> {
        let server = self.server(name)?;
        let state = server.state.read();
        let peer = state.peer.clone().ok_or_else(|| {
            format!("'{name}' is {}{}", state.status, state.error.as_ref().map_or(String::new(), |e| format!(": {e}")))
        })?;
        Ok((server, peer))
    }

    /// Upstream calls counted so far, by server, tool and result.
    pub fn call_stats(&self) -> Vec<stats::CallSeries> {
        self.calls.view()
    }

    /// Calls a tool; with a relay, the upstream's progress and log
    /// notifications about the call go to it.
    pub async fn call(&self, call: ToolCall, relay: Option<Relay>) -> Result<ToolResult, String> {
        let (server, peer) = self.ready(&call.server)?;
        if !server.state.read().tools.iter().any(|tool| tool.name == call.tool) {
            return Err(format!(
                "'{}' has no tool '{}' (mcp.listTools('{}') lists them)",
                call.server, call.tool, call.server
            ));
        }
        let (name, tool) = (call.server.clone(), call.tool.clone());
        let started = std::time::Instant::now();
        let answer = self.call_ready(server, peer, call, relay).await;
        let result = match &answer {
            Ok(result) if result.is_error => stats::CallResult::ToolError,
            Ok(_) => stats::CallResult::Ok,
            Err(_) => stats::CallResult::Error,
        };
        self.calls.record(&name, &tool, result, started.elapsed());
        answer
    }

    async fn call_ready(
        &self,
        server: &Arc<Server>,
        peer: Peer<RoleClient>,
        call: ToolCall,
        relay: Option<Relay>,
    ) -> Result<ToolResult, String> {
        let _permit = server.permits.acquire().await.map_err(|_| "the server is shutting down".to_owned())?;
        let _counted = server.relays.count();
        let timeout = call.timeout.unwrap_or(server.spec.call_timeout);
        let mut params = CallToolRequestParams::new(call.tool.clone()).with_arguments(call.arguments);
        params.meta = trace::meta();
        let calling = async {
            let Some(relay) = relay else { return peer.call_tool(params).await };
            // rmcp gives the request its progress token: the relay is
            // registered under it as soon as the request is on its way.
            let request = ClientRequest::CallToolRequest(CallToolRequest::new(params));
            let handle = peer.send_request_with_option(request, PeerRequestOptions::no_options()).await?;
            let registered = server.relays.register(handle.progress_token.clone(), relay);
            let mut abandoned = forward::CancelOnDrop { peer: peer.clone(), id: Some(handle.id.clone()) };
            let answer = handle.await_response().await;
            abandoned.id = None;
            // rmcp hands each notification to a task of its own, which may
            // not have run when the answer is here: let them, before the
            // relay goes.
            for _ in 0..4 {
                tokio::task::yield_now().await;
            }
            drop(registered);
            match answer? {
                ServerResult::CallToolResult(result) => Ok(result),
                _ => Err(rmcp::ServiceError::UnexpectedResponse),
            }
        };
        let answer = tokio::time::timeout(timeout, calling).await;
        let failed = |why: String| {
            // A call that failed may mean a dead connection that has not
            // ended (a restarted HTTP server): if a ping fails too, reconnect.
            let (server, peer) = (server.clone(), peer.clone());
            tokio::spawn(async move {
                if !answers_ping(&peer).await {
                    server.reconnect.notify_waiters();
                }
            });
            Err(why)
        };
        match answer {
            Err(_) => failed(format!("no answer within {} ms", timeout.as_millis())),
            Ok(Err(error)) => failed(error.to_string()),
            Ok(Ok(result)) => Ok(ToolResult {
                content: result.content.iter().map(|c| serde_json::to_value(c).unwrap_or_default()).collect(),
                structured_content: result.structured_content,
                is_error: result.is_error.unwrap_or(false),
            }),
        }
    }
}

