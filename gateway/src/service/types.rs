//! The service's requests and answers: the MCP tools' arguments and
//! structured results and the REST API's bodies are these types, so the two
//! surfaces cannot drift. Each derives both schema flavours: JSON Schema
//! (`schemars`, for MCP `inputSchema`/`outputSchema`) and OpenAPI
//! (`utoipa`). The constraints declared here are the ones the service
//! enforces; bounds that depend on the configuration are set in the served
//! documents at start-up (`service::schema`).

use std::collections::BTreeMap;

use mcp_v8_runtime::{ExecutionInfo, ExecutionStatus, JsErrorInfo, OutputLevel};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A heap hash: the SHA-256 of a snapshot, 64 hex digits.
pub const HASH_PATTERN: &str = "^[0-9a-fA-F]{64}$";
/// A session name: 1 to 256 characters, no control characters.
pub const SESSION_PATTERN: &str = "^[^\\u0000-\\u001f\\u007f-\\u009f]+$";
/// Tags: at most this many per heap, and this long.
pub const MAX_TAGS: usize = 32;
pub const MAX_TAG_KEY: usize = 64;
pub const MAX_TAG_VALUE: usize = 256;

// ------------------------------------------------------------------ requests

/// JSON Schema's `integer` includes `65.0`: a whole number written with a
/// fraction part is that number, as the documents declare.
mod whole {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer};

    pub fn option<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
        let Some(number) = Option::<serde_json::Number>::deserialize(deserializer)? else { return Ok(None) };
        number
            .as_u64()
            .or_else(|| number.as_f64().filter(|f| f.fract() == 0.0 && (0.0..=u64::MAX as f64).contains(f)).map(|f| f as u64))
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("{number} is not a whole number from 0")))
    }
}

#[derive(Debug, Deserialize, JsonSchema, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunJsArgs {
    /// JavaScript or TypeScript source. The last expression's value is the result.
    /// (Give `code` or `file`.)
    #[schema(example = "globalThis.count = (globalThis.count ?? 0) + 1")]
    pub code: Option<String>,
    /// A file on the server to take the code from instead of `code` (only
    /// with --allow-run-js-file or a run_js_file policy).
    #[schemars(length(min = 1, max = 4096))]
    #[schema(min_length = 1, max_length = 4096)]
    pub file: Option<String>,
    /// Start from this heap snapshot (a hash from an earlier run).
    #[schemars(regex(pattern = "^[0-9a-fA-F]{64}$"))]
    #[schema(pattern = "^[0-9a-fA-F]{64}$")]
    pub heap: Option<String>,
    /// Keep state in this named session: the run starts from the session's
    /// latest heap and, if it completes, moves the session to its own.
    #[schemars(length(min = 1, max = 256), regex(pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]+$"))]
    #[schema(min_length = 1, max_length = 256, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]+$")]
    pub session: Option<String>,
    /// Memory budget of this run in MB: JS heap plus buffers plus WebAssembly memories.
    #[schemars(range(min = 8, max = 1024))]
    #[schema(minimum = 8, maximum = 1024)]
    #[serde(default, deserialize_with = "whole::option")]
    pub heap_memory_max_mb: Option<u64>,
    /// Wall-clock limit of this run, in seconds.
    #[schemars(range(min = 1, max = 600))]
    #[schema(minimum = 1, maximum = 600)]
    #[serde(default, deserialize_with = "whole::option")]
    pub execution_timeout_secs: Option<u64>,
    /// Tags to set on the heap this run produces.
    pub tags: Option<BTreeMap<String, String>>,
}

impl RunJsArgs {
    /// Exactly one of `code` and `file`: an argument error (a JSON-RPC
    /// invalid-params error over MCP, a 400 over REST).
    pub fn check_source(&self) -> Result<(), String> {
        match (&self.code, &self.file) {
            (Some(_), None) | (None, Some(_)) => Ok(()),
            (None, None) => Err("run_js needs `code` (or `file`)".into()),
            (Some(_), Some(_)) => Err("run_js takes `code` or `file`, not both".into()),
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExecutionArgs {
    /// The execution id run_js returned.
    #[schemars(extend("format" = "uuid"))]
    #[schema(format = Uuid)]
    pub execution_id: String,
}

#[derive(Debug, Deserialize, JsonSchema, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutputArgs {
    /// The execution id run_js returned.
    #[schemars(extend("format" = "uuid"))]
    #[schema(format = Uuid)]
    pub execution_id: String,
    /// First line to return, counting from 1 (0 also means the first). Default 1.
    #[schemars(range(min = 0, max = 4294967295u64))]
    #[schema(minimum = 0, maximum = 4294967295u64)]
    #[serde(default, deserialize_with = "whole::option")]
    pub line_offset: Option<u64>,
    /// Lines to return. Default 200.
    #[schemars(range(min = 0, max = 4294967295u64))]
    #[schema(minimum = 0, maximum = 4294967295u64)]
    #[serde(default, deserialize_with = "whole::option")]
    pub line_limit: Option<u64>,
    /// First byte to return (from 0); with it, or byte_limit, pages go by bytes.
    #[schemars(range(min = 0, max = 4294967295u64))]
    #[schema(minimum = 0, maximum = 4294967295u64)]
    #[serde(default, deserialize_with = "whole::option")]
    pub byte_offset: Option<u64>,
    /// Bytes to return. Default 65536.
    #[schemars(range(min = 0, max = 4294967295u64))]
    #[schema(minimum = 0, maximum = 4294967295u64)]
    #[serde(default, deserialize_with = "whole::option")]
    pub byte_limit: Option<u64>,
}

#[derive(Debug, Default, Deserialize, JsonSchema, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListExecutionsArgs {
    /// Only executions with this status.
    pub status: Option<StatusArg>,
    /// Only executions of this session.
    #[schemars(length(min = 1, max = 256), regex(pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]+$"))]
    #[schema(min_length = 1, max_length = 256, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]+$")]
    pub session: Option<String>,
    /// At most this many, newest first. Default 50.
    #[schemars(range(min = 1, max = 1000))]
    #[schema(minimum = 1, maximum = 1000)]
    #[serde(default, deserialize_with = "whole::option")]
    pub limit: Option<u64>,
}

/// An execution's status, as a filter.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusArg {
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
    TimedOut,
}

impl From<StatusArg> for ExecutionStatus {
    fn from(status: StatusArg) -> Self {
        match status {
            StatusArg::Queued => ExecutionStatus::Queued,
            StatusArg::Running => ExecutionStatus::Running,
            StatusArg::Completed => ExecutionStatus::Completed,
            StatusArg::Failed => ExecutionStatus::Failed,
            StatusArg::Cancelled => ExecutionStatus::Cancelled,
            StatusArg::TimedOut => ExecutionStatus::TimedOut,
        }
    }
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionLogArgs {
    /// The session name.
    #[schemars(length(min = 1, max = 256), regex(pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]+$"))]
    pub session: String,
    /// Only runs after this sequence number. Default: from the first.
    #[schemars(range(min = 0, max = 4294967295u64))]
    #[serde(default, deserialize_with = "whole::option")]
    pub after_seq: Option<u64>,
    /// At most this many entries. Default 100.
    #[schemars(range(min = 1, max = 1000))]
    #[serde(default, deserialize_with = "whole::option")]
    pub limit: Option<u64>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeapArgs {
    /// A heap hash.
    #[schemars(regex(pattern = "^[0-9a-fA-F]{64}$"))]
    pub heap: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetTagsArgs {
    /// A heap hash.
    #[schemars(regex(pattern = "^[0-9a-fA-F]{64}$"))]
    pub heap: String,
    /// Tags to add or overwrite (at most 32; keys up to 64 characters, values up to 256).
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteTagsArgs {
    /// A heap hash.
    #[schemars(regex(pattern = "^[0-9a-fA-F]{64}$"))]
    pub heap: String,
    /// Tag keys to delete; all tags when omitted.
    pub keys: Option<Vec<String>>,
}

/// Tags to match, or to set.
#[derive(Debug, Deserialize, JsonSchema, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagsBody {
    /// Key/value pairs (at most 32; keys 1 to 64 characters, values up to 256).
    pub tags: BTreeMap<String, String>,
}

// ------------------------------------------------------------------- answers

/// A script's own error.
#[derive(Debug, Clone, Serialize, JsonSchema, ToSchema)]
pub struct JsError {
    /// The JS class (`TypeError`, `SyntaxError`, ...); `HeapError` when the
    /// run's heap could not be kept.
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

impl From<JsErrorInfo> for JsError {
    fn from(error: JsErrorInfo) -> Self {
        Self { name: error.name, message: error.message, stack: error.stack, line: error.line, column: error.column }
    }
}

/// An execution's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
    TimedOut,
}

impl From<ExecutionStatus> for Status {
    fn from(status: ExecutionStatus) -> Self {
        match status {
            ExecutionStatus::Queued => Status::Queued,
            ExecutionStatus::Running => Status::Running,
            ExecutionStatus::Completed => Status::Completed,
            ExecutionStatus::Failed => Status::Failed,
            ExecutionStatus::Cancelled => Status::Cancelled,
            ExecutionStatus::TimedOut => Status::TimedOut,
        }
    }
}

impl Status {
    pub fn is_final(self) -> bool {
        !matches!(self, Status::Queued | Status::Running)
    }
}

/// An execution: status, result, error, heap, timings.
#[derive(Debug, Clone, Serialize, JsonSchema, ToSchema)]
pub struct Execution {
    #[schema(format = Uuid)]
    pub execution_id: String,
    pub status: Status,
    /// When the run was accepted (RFC 3339).
    pub started_at: String,
    /// When it reached its final status (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// The heap the run started from.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub input_heap: Option<String>,
    /// The heap the run left, persisted (for a failed run too, when it could
    /// be taken: its session stayed where it was).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub heap: Option<String>,
    /// The heap will be persisted later (snapshot policy idle).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub heap_pending: bool,
    /// The value of the last expression (completed runs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<JsError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queued_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<f64>,
    pub output_lines: usize,
    pub output_bytes: usize,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub output_truncated: bool,
}

impl From<ExecutionInfo> for Execution {
    fn from(info: ExecutionInfo) -> Self {
        Self {
            execution_id: info.execution_id.to_string(),
            status: info.status.into(),
            started_at: info.started_at,
            completed_at: info.completed_at,
            session: info.session.map(|s| s.to_string()),
            input_heap: info.input_heap.map(|h| h.to_string()),
            heap: info.heap.map(|h| h.to_string()),
            heap_pending: info.heap_pending,
            result: info.result,
            error: info.error.map(JsError::from),
            queued_ms: info.queued_ms,
            duration_ms: info.duration_ms,
            output_lines: info.output_lines,
            output_bytes: info.output_bytes,
            output_truncated: info.output_truncated,
        }
    }
}

/// A run as `run_js` and `POST /api/exec?wait` return it.
#[derive(Debug, Clone, Serialize, JsonSchema, ToSchema)]
pub struct RunReply {
    #[serde(flatten)]
    pub execution: Execution,
    /// The first 16 KB of console output.
    pub output: String,
    /// Set when the output goes on: where to continue with get_execution_output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_more: Option<String>,
    /// Set while the run is still going: how to follow it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// `POST /api/exec` without `?wait`: the run was accepted.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExecStarted {
    #[schema(format = Uuid)]
    pub execution_id: String,
    pub status: Status,
}

/// One line of an execution list.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct ExecutionSummary {
    #[schema(format = Uuid)]
    pub execution_id: String,
    pub status: Status,
    /// RFC 3339.
    pub started_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<f64>,
}

impl From<&Execution> for ExecutionSummary {
    fn from(e: &Execution) -> Self {
        Self {
            execution_id: e.execution_id.clone(),
            status: e.status,
            started_at: e.started_at.clone(),
            completed_at: e.completed_at.clone(),
            session: e.session.clone(),
            duration_ms: e.duration_ms,
        }
    }
}

#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct ExecutionList {
    pub executions: Vec<ExecutionSummary>,
}

/// A console line with its level.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct OutputLine {
    /// debug, log, info, warn, error or trace.
    pub level: String,
    pub text: String,
}

/// A page of console output. Lines count from 1, bytes from 0; `end_*` is
/// the last line of the page and the byte after it.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct OutputPage {
    #[schema(format = Uuid)]
    pub execution_id: String,
    pub status: Status,
    /// The page's text (lines joined with newlines; a byte page as it is).
    pub data: String,
    /// The page's first line (0 when the page is empty).
    pub start_line: u64,
    /// The page's last line (0 when the page is empty).
    pub end_line: u64,
    /// Where to continue by lines (`line_offset`).
    pub next_line_offset: u64,
    pub total_lines: u64,
    pub start_byte: u64,
    pub end_byte: u64,
    /// Where to continue by bytes (`byte_offset`).
    pub next_byte_offset: u64,
    pub total_bytes: u64,
    /// More output is there beyond this page (more may still come while the run goes on).
    pub has_more: bool,
    /// Output was cut at the cap (`--max-output-bytes`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
    /// For a line page: its lines with their console levels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<OutputLine>>,
}

pub fn level_name(level: OutputLevel) -> &'static str {
    match level {
        OutputLevel::Debug => "debug",
        OutputLevel::Log => "log",
        OutputLevel::Info => "info",
        OutputLevel::Warn => "warn",
        OutputLevel::Error => "error",
        OutputLevel::Trace => "trace",
    }
}

/// What a cancel did: `ok` when the run was queued or running; otherwise
/// `ok: false` and the `error` (the run is not running, or the id is not
/// an execution id).
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct CancelReply {
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = Uuid)]
    pub execution_id: Option<String>,
    /// The status after the cancel (a run may take a moment to stop).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
}

/// The upstream MCP servers this gateway fronts (`GET /api/upstreams`).
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct UpstreamList {
    pub servers: Vec<UpstreamEntry>,
}

/// One upstream server, its state and its tools.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct UpstreamEntry {
    pub name: String,
    /// `connecting`, `ready` or `failed`.
    pub status: String,
    /// Why it failed, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub tools: Vec<UpstreamToolEntry>,
}

/// A tool of an upstream server.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct UpstreamToolEntry {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Version {
    pub name: String,
    pub version: String,
    /// False with --stateless.
    pub stateful: bool,
}

/// A session as `list_sessions` shows it.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct Session {
    pub session: String,
    /// The heap of the session's latest completed run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heap: Option<String>,
    pub runs: u64,
    pub updated_at_ms: u64,
    /// A connection's implicit session (it ends some time after the connection).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ephemeral: bool,
    /// Its isolate is in memory.
    pub warm: bool,
    /// Runs whose heap is not persisted yet.
    pub unpersisted_runs: usize,
}

#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct SessionList {
    pub sessions: Vec<Session>,
}

/// One run of a session.
#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct LogEntry {
    pub seq: u64,
    #[schema(format = Uuid)]
    pub execution_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_heap: Option<String>,
    /// The heap the run left; for a failed run, its session did not move to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_heap: Option<String>,
    /// SHA-256 of the code.
    pub code_hash: String,
    pub status: String,
    pub started_at_ms: u64,
    pub finished_at_ms: u64,
}

#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct SessionLog {
    pub session: String,
    pub runs: Vec<LogEntry>,
}

#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct HeapTags {
    pub heap: String,
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Serialize, JsonSchema, ToSchema)]
pub struct HeapList {
    pub heaps: Vec<HeapTags>,
}

/// Any error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: String,
    /// True when the same request may succeed later.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub retryable: bool,
}
