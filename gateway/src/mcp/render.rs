//! How executions look to an agent: one JSON object per answer, with the
//! console output inline when it is small and a pointer to paging when not.

use mcp_v8_runtime::{ExecutionInfo, OutputPage, OutputQuery};
use serde_json::{Value, json};

/// Console output returned inline with a run, at most.
const INLINE_OUTPUT_BYTES: usize = 16 * 1024;

/// The answer of `run_js`: the finished run, or how to follow one still going.
pub fn run_reply(info: &ExecutionInfo, output: &mcp_v8_runtime::OutputBuffer) -> Value {
    let mut value = info_value(info);
    let page = output.page(OutputQuery { byte_offset: Some(0), byte_limit: Some(INLINE_OUTPUT_BYTES), ..Default::default() });
    value["output"] = Value::String(page.text.trim_end_matches('\n').to_owned());
    if !page.at_end {
        value["output_more"] = json!(format!(
            "output continues: {} of {} bytes shown; call get_execution_output with byte_offset {}",
            page.next_byte_offset, page.total_bytes, page.next_byte_offset
        ));
    }
    if !info.status.is_final() {
        value["message"] = json!("still running: poll get_execution and get_execution_output, or cancel_execution");
    }
    value
}

/// The answer of `get_execution`.
pub fn info(info: &ExecutionInfo) -> Value {
    info_value(info)
}

/// One line of `list_executions`.
pub fn summary(info: &ExecutionInfo) -> Value {
    let mut value = json!({
        "execution_id": info.execution_id,
        "status": info.status,
        "created_at_ms": info.created_at_ms,
    });
    if let Some(session) = &info.session {
        value["session"] = json!(session);
    }
    if let Some(ms) = info.duration_ms {
        value["duration_ms"] = json!(ms);
    }
    value
}

/// The answer of `get_execution_output`.
pub fn output_page(info: &ExecutionInfo, page: &OutputPage) -> Value {
    let mut value = serde_json::to_value(page).unwrap_or_default();
    value["execution_id"] = json!(info.execution_id);
    value["status"] = json!(info.status);
    value
}

fn info_value(info: &ExecutionInfo) -> Value {
    serde_json::to_value(info).unwrap_or_default()
}
