//! How executions look to an agent or a script: one JSON object per answer,
//! with the console output inline when it is small and a pointer to paging
//! when not. The same types are the REST API's bodies and its OpenAPI
//! schemas, so the document and the answers cannot drift apart.

use mcp_v8_runtime::{ExecutionId, ExecutionInfo, ExecutionStatus, OutputPage, OutputQuery, SessionName};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// Console output returned inline with a run, at most.
const INLINE_OUTPUT_BYTES: usize = 16 * 1024;

/// A run as `run_js` and `POST /api/exec?wait` return it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RunReply {
    #[serde(flatten)]
    pub info: ExecutionInfo,
    /// The first 16 KB of console output.
    pub output: String,
    /// Set when the output goes on: where to continue with get_execution_output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_more: Option<String>,
    /// Set while the run is still going: how to follow it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The answer of `run_js`: the finished run, or how to follow one still going.
pub fn run_reply(info: ExecutionInfo, output: &mcp_v8_runtime::OutputBuffer) -> RunReply {
    let page = output.page(OutputQuery { byte_offset: Some(0), byte_limit: Some(INLINE_OUTPUT_BYTES), ..Default::default() });
    let output_more = (!page.at_end).then(|| {
        format!(
            "output continues: {} of {} bytes shown; call get_execution_output with byte_offset {}",
            page.next_byte_offset, page.total_bytes, page.next_byte_offset
        )
    });
    let message = (!info.status.is_final())
        .then(|| "still running: poll get_execution and get_execution_output, or cancel_execution".to_owned());
    RunReply { info, output: page.text.trim_end_matches('\n').to_owned(), output_more, message }
}

/// One line of `list_executions`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExecutionSummary {
    pub execution_id: ExecutionId,
    pub status: ExecutionStatus,
    pub created_at_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<SessionName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<f64>,
}

pub fn summary(info: &ExecutionInfo) -> ExecutionSummary {
    ExecutionSummary {
        execution_id: info.execution_id,
        status: info.status,
        created_at_ms: info.created_at_ms,
        session: info.session.clone(),
        duration_ms: info.duration_ms,
    }
}

/// A page of console output, with the execution it belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutputReply {
    pub execution_id: ExecutionId,
    pub status: ExecutionStatus,
    #[serde(flatten)]
    pub page: OutputPage,
}

pub fn output_page(info: &ExecutionInfo, page: OutputPage) -> OutputReply {
    OutputReply { execution_id: info.execution_id, status: info.status, page }
}

/// Any answer as JSON (these types always serialize).
pub fn json(value: impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or_default()
}
