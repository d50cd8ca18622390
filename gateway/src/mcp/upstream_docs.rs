//! What MCP clients learn about the upstream tools: TypeScript declarations
//! in `run_js`'s description (within the budget), a
//! `docs://upstreams/<server>.d.ts` resource per server, and
//! `notifications/tools/list_changed` when the catalogue changes.
//!
//! **Invariant:** the tool list a client gets is built from one catalogue
//! snapshot, and rebuilt only when its version moves.

use std::sync::Arc;

use mcp_v8_upstreams::Upstreams;
use mcp_v8_upstreams::declarations;
use parking_lot::Mutex;
use rmcp::model::{Resource, ResourceContents, Tool};
use rmcp::service::{Peer, RoleServer};

const SCHEME: &str = "docs://upstreams/";

/// The clients still connected.
fn current(peers: &Mutex<Vec<Peer<RoleServer>>>) -> Vec<Peer<RoleServer>> {
    let mut peers = peers.lock();
    peers.retain(|peer| !peer.is_transport_closed());
    peers.clone()
}

/// Shared by every connection's handler.
pub struct UpstreamDocs {
    upstreams: Arc<Upstreams>,
    budget: usize,
    /// The stubs' name prefix, when stubs are listed.
    stubs: Option<String>,
    /// `--expose-upstream-tools`: `<server>__<tool>` tools, called directly.
    expose: bool,
    /// The tool list made for a catalogue version.
    described: Mutex<Option<(u64, Arc<[Tool]>)>>,
    /// Connected clients, told when the tools change.
    peers: Arc<Mutex<Vec<Peer<RoleServer>>>>,
}

impl UpstreamDocs {
    /// Starts telling connected clients about catalogue changes (call
    /// inside the gateway's runtime).
    pub fn new(upstreams: Arc<Upstreams>, budget: usize, stubs: Option<String>, expose: bool) -> Arc<Self> {
        let stubs = stubs.filter(|_| !expose);
        let docs =
            Arc::new(Self { upstreams, budget, stubs, expose, described: Mutex::default(), peers: Arc::default() });
        if !docs.upstreams.is_empty() {
            let mut changes = docs.upstreams.subscribe();
            let peers = docs.peers.clone();
            tokio::spawn(async move {
                while changes.changed().await.is_ok() {
                    for peer in current(&peers) {
                        // A client gone since is dropped at the next change.
                        let _ = peer.notify_tool_list_changed().await;
                    }
                }
            });
        }
        if docs.exposes() {
            let mut changes = docs.upstreams.subscribe_others();
            let peers = docs.peers.clone();
            tokio::spawn(async move {
                while changes.changed().await.is_ok() {
                    for peer in current(&peers) {
                        let _ = peer.notify_resource_list_changed().await;
                        let _ = peer.notify_prompt_list_changed().await;
                    }
                }
            });
        }
        docs
    }

    pub fn has_upstreams(&self) -> bool {
        !self.upstreams.is_empty()
    }

    /// True when the upstreams' tools, resources and prompts are offered
    /// under namespaced names (`--expose-upstream-tools`).
    pub fn exposes(&self) -> bool {
        self.expose && self.has_upstreams()
    }

    /// Remembers a connected client, to tell it when the tools change.
    pub fn connected(&self, peer: Peer<RoleServer>) {
        if self.has_upstreams() {
            let mut peers = self.peers.lock();
            peers.retain(|p| !p.is_transport_closed());
            peers.push(peer);
        }
    }

    /// `tools` with `run_js`'s description carrying the upstream tools.
    pub fn tools(&self, tools: &Arc<[Tool]>) -> Arc<[Tool]> {
        if !self.has_upstreams() {
            return tools.clone();
        }
        let (version, catalogue) = self.upstreams.catalogue();
        let mut described = self.described.lock();
        if let Some((made_for, list)) = described.as_ref()
            && *made_for == version
        {
            return list.clone();
        }
        let extra = declarations::for_description(&catalogue, &self.upstreams.tool_counts(), self.budget);
        let mut list: Vec<Tool> = tools
            .iter()
            .map(|tool| {
                let mut tool = tool.clone();
                if tool.name == "run_js" {
                    let base = tool.description.as_deref().unwrap_or_default();
                    tool.description = Some(format!("{base}{extra}").into());
                }
                tool
            })
            .collect();
        if self.expose {
            list.extend(catalogue.iter().map(|upstream| {
                let schema = match &upstream.input_schema {
                    serde_json::Value::Object(schema) => schema.clone(),
                    _ => serde_json::Map::new(),
                };
                let mut tool = Tool::new(
                    format!("{}__{}", upstream.server, upstream.name),
                    upstream.description.clone().unwrap_or_default(),
                    Arc::new(schema),
                );
                if let Some(serde_json::Value::Object(output)) = &upstream.output_schema {
                    tool.output_schema = Some(Arc::new(output.clone()));
                }
                tool
            }));
        }
        if let Some(prefix) = &self.stubs {
            list.extend(catalogue.iter().map(|upstream| {
                let schema = match &upstream.input_schema {
                    serde_json::Value::Object(schema) => schema.clone(),
                    _ => serde_json::Map::new(),
                };
                let description = format!(
                    "{}\n\nA stub: calling it runs nothing and answers how to call the tool from run_js: \
                     `await mcp.callTool({:?}, {:?}, args)`.",
                    upstream.description.as_deref().unwrap_or_default(),
                    upstream.server,
                    upstream.name
                );
                Tool::new(format!("{prefix}{}__{}", upstream.server, upstream.name), description, Arc::new(schema))
            }));
        }
        let list: Arc<[Tool]> = list.into();
        *described = Some((version, list.clone()));
        list
    }

    /// The upstream server and tool of an exposed `<server>__<tool>`.
    pub fn exposed(&self, name: &str) -> Option<(String, String)> {
        if !self.expose {
            return None;
        }
        self.tool_named(name)
    }

    /// What a stub's call answers: how to make it from run_js with these
    /// arguments. `None` when `name` is no stub.
    pub fn stub_call(&self, name: &str, args: &serde_json::Value) -> Option<String> {
        let (server, tool) = self.tool_named(name.strip_prefix(self.stubs.as_deref()?)?)?;
        Some(format!(
            "{name} is a stub: it ran nothing. Call the tool from run_js (it may be combined with others there):\n\n\
             const result = await mcp.callTool({server:?}, {tool:?}, {args});\nresult.structuredContent ?? result.content"
        ))
    }

    /// The upstream server and tool named `<server>__<tool>`.
    fn tool_named(&self, name: &str) -> Option<(String, String)> {
        let (_, catalogue) = self.upstreams.catalogue();
        catalogue
            .iter()
            .find(|t| name.strip_prefix(t.server.as_str()).and_then(|r| r.strip_prefix("__")) == Some(t.name.as_str()))
            .map(|t| (t.server.clone(), t.name.clone()))
    }

    /// One resource per server.
    pub fn resources(&self) -> Vec<Resource> {
        self.upstreams
            .tool_counts()
            .into_iter()
            .map(|(server, count)| {
                let mut resource = Resource::new(format!("{SCHEME}{server}.d.ts"), format!("{server}.d.ts"))
                    .with_description(format!(
                        "TypeScript declarations of the {count} tools of upstream server '{server}'"
                    ));
                resource.mime_type = Some("application/typescript".into());
                resource
            })
            .collect()
    }

    /// The declarations of one server's tools, for `docs://upstreams/<server>.d.ts`.
    pub fn read(&self, uri: &str) -> Option<ResourceContents> {
        let server = uri.strip_prefix(SCHEME)?.strip_suffix(".d.ts")?;
        if !self.upstreams.tool_counts().iter().any(|(name, _)| name == server) {
            return None;
        }
        let (_, catalogue) = self.upstreams.catalogue();
        let tools: Vec<_> = catalogue.iter().filter(|t| t.server == server).cloned().collect();
        let text = format!(
            "// Upstream server '{server}': await mcp.callTool(\"{server}\", \"<tool>\", args) -> ToolResult\n\
             type ToolResult<S = unknown> = {{ content: unknown[]; structuredContent?: S; isError: boolean }};\n{}",
            declarations::declarations(&tools)
        );
        Some(ResourceContents::text(text, uri))
    }
}
