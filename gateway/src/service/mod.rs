//! The one service layer under every surface: MCP tools and the REST API
//! translate their requests into these operations (run, get, output,
//! cancel, list, sessions, tags) and their answers back, and nothing else.
//! Ownership (through the [`Caller`]), argument checks and limits are
//! applied here once, and errors are classified once ([`ServiceError`]), so
//! the surfaces cannot drift.
//!
//! **Invariant:** every operation takes the caller; the engine filters by
//! it, so another caller's id or name is "not found".

mod code_file;
pub mod connection;
mod error;
pub mod schema;
pub mod text;
pub mod types;

use std::sync::Arc;
use std::time::Duration;

use mcp_v8_runtime::{
    CancelOutcome, Caller, Engine, ExecutionId, HeapHash, OutputQuery, RunRequest, SessionKey, Tags,
};

pub use connection::Connection;
pub use error::ServiceError;
use types::*;

use crate::auth::Claims;
use crate::config::ServiceConfig;

/// Console output returned inline with a run, at most.
const INLINE_OUTPUT_BYTES: usize = 16 * 1024;

/// The service. Cheap to clone: every surface and connection holds one.
#[derive(Clone)]
pub struct Service {
    inner: Arc<Inner>,
}

struct Inner {
    engine: Arc<Engine>,
    config: ServiceConfig,
    /// Also the engine's host; here for what only the gateway forwards.
    upstreams: Arc<mcp_v8_upstreams::Upstreams>,
    metrics: crate::telemetry::Metrics,
}

impl Service {
    pub fn new(engine: Arc<Engine>, config: ServiceConfig, upstreams: Arc<mcp_v8_upstreams::Upstreams>) -> Self {
        let metrics = crate::telemetry::Metrics::new(&engine, &upstreams);
        Self { inner: Arc::new(Inner { engine, config, upstreams, metrics }) }
    }

    /// The gateway's metrics (served at `/metrics`).
    pub fn metrics(&self) -> &crate::telemetry::Metrics {
        &self.inner.metrics
    }

    pub fn engine(&self) -> &Arc<Engine> {
        &self.inner.engine
    }

    pub fn is_stateful(&self) -> bool {
        self.inner.engine.is_stateful()
    }

    pub fn inline_wait(&self) -> Duration {
        self.inner.config.inline_wait
    }

    /// True when run_js may take its code from a file (`file`).
    pub fn run_js_file(&self) -> bool {
        self.inner.config.allow_run_js_file || self.inner.engine.decider().configured(mcp_v8_runtime::Capability::RunJsFile)
    }

    /// Who calls: the token's principal when auth is on; without it, the
    /// MCP connection (with its implicit session) or the local tenant.
    pub fn caller(&self, claims: Option<&Claims>, connection: Option<&Connection>) -> Caller {
        let implicit = connection.filter(|_| self.is_stateful()).map(Connection::implicit_session);
        match (claims, connection) {
            (Some(claims), _) => {
                if let Some(connection) = connection {
                    connection.seen(&claims.principal);
                }
                let owner = mcp_v8_runtime::Owner::Subject(claims.principal.clone());
                Caller { tenant: owner.clone(), principal: owner, implicit, claims: Some(Arc::new(claims.claims.clone())) }
            }
            (None, Some(connection)) => {
                Caller { tenant: mcp_v8_runtime::Owner::Local, principal: connection.owner(), implicit, claims: None }
            }
            (None, None) => Caller::local(),
        }
    }

    /// Starts a run and waits up to `wait` for it. The session is the one
    /// named; else, without a heap, `--session-id`, else the caller's
    /// implicit session.
    pub async fn run(&self, caller: &Caller, args: RunJsArgs, wait: Duration) -> Result<RunReply, ServiceError> {
        let engine = &self.inner.engine;
        let heap = args.heap.as_deref().map(HeapHash::parse).transpose()?;
        let session = if !engine.is_stateful() {
            if args.session.is_some() || heap.is_some() || args.tags.is_some() {
                return Err(ServiceError::caller("heap, session and tags need stateful mode; this server runs with --stateless"));
            }
            None
        } else {
            match (&args.session, &heap) {
                (Some(name), _) => Some(caller.session(name)?),
                (None, Some(_)) => None,
                (None, None) => match &self.inner.config.default_session {
                    Some(name) => Some(SessionKey { owner: caller.tenant.clone(), name: name.clone() }),
                    None => caller.implicit_session(),
                },
            }
        };
        args.check_source().map_err(ServiceError::caller)?;
        let tags = args.tags.map(check_tags).transpose()?;
        let code = match (args.code, args.file) {
            (Some(code), None) => code,
            (None, Some(file)) if self.run_js_file() => {
                code_file::read(engine.decider().as_ref(), caller, session.as_ref(), &file).await?
            }
            (None, Some(_)) => {
                return Err(ServiceError::caller(
                    "run_js `file` is off on this server (--allow-run-js-file, or a run_js_file policy, turns it on); send `code`",
                ));
            }
            _ => unreachable!("check_source passed"),
        };
        let request = RunRequest {
            code,
            heap,
            session,
            heap_max_bytes: args.heap_memory_max_mb.map(|mb| (mb as usize).saturating_mul(1 << 20)),
            timeout: args.execution_timeout_secs.map(Duration::from_secs),
            tags,
        };
        let execution = engine.submit(caller, request)?;
        execution.wait(wait).await;
        Ok(run_reply(&execution))
    }

    pub fn get(&self, caller: &Caller, id: &str) -> Result<Execution, ServiceError> {
        let id = ExecutionId::parse(id)?;
        Ok(self.inner.engine.get(caller, &id)?.info().into())
    }

    /// A page of an execution's output, by lines (from 1) or by bytes.
    pub fn output(&self, caller: &Caller, args: OutputArgs) -> Result<OutputPage, ServiceError> {
        let id = ExecutionId::parse(&args.execution_id)?;
        let execution = self.inner.engine.get(caller, &id)?;
        let size = |v: Option<u64>| v.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
        let by_bytes = args.byte_offset.is_some() || args.byte_limit.is_some();
        let page = execution.output.page(OutputQuery {
            line_offset: if by_bytes { None } else { Some(size(args.line_offset).unwrap_or(1).saturating_sub(1)) },
            line_limit: size(args.line_limit),
            byte_offset: size(args.byte_offset),
            byte_limit: size(args.byte_limit),
        });
        let empty = page.start_byte == page.end_byte;
        let status = execution.status().into();
        Ok(OutputPage {
            execution_id: id.to_string(),
            status,
            data: page.text,
            start_line: if empty { 0 } else { page.start_line as u64 + 1 },
            end_line: if empty { 0 } else { page.end_line as u64 },
            next_line_offset: page.next_line_offset as u64 + 1,
            total_lines: page.total_lines as u64,
            start_byte: page.start_byte as u64,
            end_byte: page.end_byte as u64,
            next_byte_offset: page.next_byte_offset as u64,
            total_bytes: page.total_bytes as u64,
            has_more: !page.at_end,
            truncated: page.truncated,
            lines: page.lines.map(|lines| {
                lines.into_iter().map(|l| OutputLine { level: level_name(l.level).to_owned(), text: l.text }).collect()
            }),
        })
    }

    /// Cancels a queued or running execution; `ok: false` when it had
    /// already finished.
    pub fn cancel(&self, caller: &Caller, id: &str) -> Result<CancelReply, ServiceError> {
        let id = ExecutionId::parse(id)?;
        Ok(match self.inner.engine.cancel(caller, &id)? {
            CancelOutcome::Cancelled(status) => {
                CancelReply { ok: true, error: None, execution_id: Some(id.to_string()), status: Some(status.into()) }
            }
            CancelOutcome::NotRunning(status) => CancelReply {
                ok: false,
                error: Some(format!("execution {id} is not running (it is {})", status.as_str())),
                execution_id: Some(id.to_string()),
                status: Some(status.into()),
            },
        })
    }

    pub fn list(&self, caller: &Caller, args: ListExecutionsArgs) -> Result<ExecutionList, ServiceError> {
        let limit = match args.limit {
            None => 50,
            Some(n @ 1..=1000) => n as usize,
            Some(_) => return Err(ServiceError::caller("limit must be between 1 and 1000")),
        };
        let list = self.inner.engine.list(caller, args.status.map(Into::into), args.session.as_deref(), limit)?;
        Ok(ExecutionList { executions: list.into_iter().map(|info| (&Execution::from(info)).into()).collect() })
    }

    pub fn sessions(&self, caller: &Caller) -> Result<SessionList, ServiceError> {
        let sessions = self.inner.engine.list_sessions(caller)?;
        Ok(SessionList {
            sessions: sessions
                .into_iter()
                .map(|s| Session {
                    session: s.session.to_string(),
                    heap: s.heap.map(|h| h.to_string()),
                    runs: s.runs,
                    updated_at_ms: s.updated_at_ms,
                    ephemeral: s.ephemeral,
                    warm: s.warm,
                    unpersisted_runs: s.unpersisted_runs,
                })
                .collect(),
        })
    }

    pub fn session_log(&self, caller: &Caller, session: &str, after_seq: Option<u64>, limit: Option<u64>) -> Result<SessionLog, ServiceError> {
        let limit = match limit {
            None => 100,
            Some(n @ 1..=1000) => n as usize,
            Some(_) => return Err(ServiceError::caller("limit must be between 1 and 1000")),
        };
        let (name, runs) = self.inner.engine.session_log(caller, session, after_seq.unwrap_or(0), limit)?;
        Ok(SessionLog {
            session: name.to_string(),
            runs: runs
                .into_iter()
                .map(|e| LogEntry {
                    seq: e.seq,
                    execution_id: e.execution_id.to_string(),
                    input_heap: e.input_heap.map(|h| h.to_string()),
                    output_heap: e.output_heap.map(|h| h.to_string()),
                    code_hash: e.code_hash,
                    status: e.status,
                    started_at_ms: e.started_at_ms,
                    finished_at_ms: e.finished_at_ms,
                })
                .collect(),
        })
    }

    pub fn tags(&self, caller: &Caller, heap: &str) -> Result<HeapTags, ServiceError> {
        let heap = HeapHash::parse(heap)?;
        let tags = self.inner.engine.heap_tags(caller, &heap)?;
        Ok(HeapTags { heap: heap.to_string(), tags })
    }

    pub async fn set_tags(&self, caller: &Caller, heap: &str, tags: Tags) -> Result<HeapTags, ServiceError> {
        let heap = HeapHash::parse(heap)?;
        let tags = self.inner.engine.set_heap_tags(caller, heap.clone(), check_tags(tags)?).await?;
        Ok(HeapTags { heap: heap.to_string(), tags })
    }

    pub async fn delete_tags(&self, caller: &Caller, heap: &str, keys: Option<Vec<String>>) -> Result<HeapTags, ServiceError> {
        let heap = HeapHash::parse(heap)?;
        let tags = self.inner.engine.delete_heap_tags(caller, heap.clone(), keys).await?;
        Ok(HeapTags { heap: heap.to_string(), tags })
    }

    pub fn query_heaps(&self, caller: &Caller, filter: Tags) -> Result<HeapList, ServiceError> {
        let heaps = self.inner.engine.query_heaps(caller, &check_tags(filter)?)?;
        Ok(HeapList { heaps: heaps.into_iter().map(|(heap, tags)| HeapTags { heap: heap.to_string(), tags }).collect() })
    }

    /// Calls an upstream tool for a client of this gateway
    /// (`--expose-upstream-tools`), decided by the `mcp_tools` policy as a
    /// call from run_js is (with no execution or session in the input);
    /// with a relay, the upstream's progress and log notifications about
    /// the call go to it.
    pub async fn call_upstream(
        &self,
        caller: &Caller,
        server: &str,
        tool: &str,
        arguments: serde_json::Map<String, serde_json::Value>,
        relay: Option<mcp_v8_upstreams::Relay>,
    ) -> Result<mcp_v8_runtime::host::ToolResult, ServiceError> {
        let operation = format!("tools/call {server}.{tool}");
        self.allow_upstream(caller, mcp_v8_runtime::host::call_fields(server, tool, &arguments), &operation).await?;
        let call = mcp_v8_runtime::host::ToolCall { server: server.into(), tool: tool.into(), arguments, timeout: None };
        self.inner.upstreams.call(call, relay).await.map_err(|why| ServiceError::caller(format!("{operation}: {why}")))
    }

    /// Decides an operation on an upstream server with the `mcp_tools`
    /// policy: `fields` are the operation's own (`operation`, `server`,
    /// ...), the caller's are added.
    pub async fn allow_upstream(
        &self,
        caller: &Caller,
        fields: serde_json::Map<String, serde_json::Value>,
        operation: &str,
    ) -> Result<(), ServiceError> {
        use mcp_v8_runtime::capability::{Capability, denied_message};
        let engine = &self.inner.engine;
        let input = mcp_v8_runtime::decision_input(fields, None, None, &caller.principal, caller.claims.as_deref());
        let decision = mcp_v8_runtime::decide(&**engine.decider(), Capability::McpTools, operation, &input).await;
        if decision.allow {
            Ok(())
        } else {
            Err(ServiceError::caller(denied_message(Capability::McpTools, operation, &decision)))
        }
    }

    /// The upstream servers the gateway fronts.
    pub fn upstream_servers(&self) -> &Arc<mcp_v8_upstreams::Upstreams> {
        &self.inner.upstreams
    }

    /// The upstream servers, their state and tools. The same for every
    /// caller: what a caller may call is the `mcp_tools` policy's to say.
    pub fn upstreams(&self) -> UpstreamList {
        let host = self.inner.engine.host();
        let tools = host.tools(None);
        let servers = host
            .servers()
            .into_iter()
            .map(|server| UpstreamEntry {
                tools: tools
                    .iter()
                    .filter(|t| t.server == server.name)
                    .map(|t| UpstreamToolEntry { name: t.name.clone(), description: t.description.clone() })
                    .collect(),
                name: server.name,
                status: server.status,
                error: server.error,
            })
            .collect();
        UpstreamList { servers }
    }

    pub fn version(&self) -> Version {
        Version { name: "mcp-v8".into(), version: env!("CARGO_PKG_VERSION").into(), stateful: self.is_stateful() }
    }
}

/// Tags within the documented bounds.
fn check_tags(tags: std::collections::BTreeMap<String, String>) -> Result<Tags, ServiceError> {
    if tags.len() > MAX_TAGS {
        return Err(ServiceError::caller(format!("at most {MAX_TAGS} tags")));
    }
    for (key, value) in &tags {
        if key.is_empty() || key.chars().count() > MAX_TAG_KEY {
            return Err(ServiceError::caller(format!("tag keys are 1 to {MAX_TAG_KEY} characters")));
        }
        if value.chars().count() > MAX_TAG_VALUE {
            return Err(ServiceError::caller(format!("tag values are at most {MAX_TAG_VALUE} characters")));
        }
    }
    Ok(tags)
}

/// A run as it stands: its record, the start of its output, and how to
/// follow it if it goes on.
fn run_reply(execution: &mcp_v8_runtime::Execution) -> RunReply {
    let info: Execution = execution.info().into();
    let page = execution.output.page(OutputQuery { byte_offset: Some(0), byte_limit: Some(INLINE_OUTPUT_BYTES), ..Default::default() });
    let output_more = (!page.at_end).then(|| {
        format!(
            "output continues: {} of {} bytes shown{}; call get_execution_output with byte_offset {}",
            page.next_byte_offset,
            page.total_bytes,
            if page.truncated { ", the rest was dropped at the output cap" } else { "" },
            page.next_byte_offset
        )
    });
    let message = (!info.status.is_final())
        .then(|| "still running: poll get_execution and get_execution_output, or cancel_execution".to_owned());
    RunReply { execution: info, output: page.text.trim_end_matches('\n').to_owned(), output_more, message }
}
