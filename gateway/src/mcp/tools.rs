//! The MCP tools: their argument types (whose JSON Schemas the clients see)
//! and the list offered in each mode.

use std::collections::BTreeMap;
use std::sync::Arc;

use rmcp::handler::server::common::schema_for_type;
use rmcp::model::Tool;
use schemars::JsonSchema;
use utoipa::ToSchema;
use serde::Deserialize;

#[derive(Debug, Deserialize, JsonSchema, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunJsArgs {
    /// JavaScript or TypeScript source. The last expression's value is the result.
    pub code: String,
    /// Start from this heap snapshot (a 64-hex-digit hash from an earlier run).
    pub heap: Option<String>,
    /// Keep state in this named session: the run starts from the session's latest heap.
    pub session: Option<String>,
    /// V8 heap limit for this run, in MB.
    pub heap_memory_max_mb: Option<u64>,
    /// Wall-clock limit for this run, in seconds.
    pub execution_timeout_secs: Option<u64>,
    /// Tags to set on the heap this run produces.
    pub tags: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExecutionArgs {
    /// The execution id returned by run_js.
    pub execution_id: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutputArgs {
    /// The execution id returned by run_js.
    pub execution_id: String,
    /// First line to return (0-based). Default 0.
    pub line_offset: Option<usize>,
    /// Lines to return. Default 200.
    pub line_limit: Option<usize>,
    /// First byte to return; with byte_limit, pages by bytes instead of lines.
    pub byte_offset: Option<usize>,
    /// Bytes to return. Default 65536.
    pub byte_limit: Option<usize>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListExecutionsArgs {
    /// Only executions with this status: queued, running, completed, failed, cancelled, timed_out.
    pub status: Option<String>,
    /// Only executions of this session.
    pub session: Option<String>,
    /// At most this many, newest first. Default 50.
    pub limit: Option<usize>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionLogArgs {
    /// The session name.
    pub session: String,
    /// Only runs after this sequence number. Default: from the first.
    pub after_seq: Option<u64>,
    /// At most this many entries. Default 100.
    pub limit: Option<usize>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeapArgs {
    /// A heap hash.
    pub heap: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetTagsArgs {
    /// A heap hash.
    pub heap: String,
    /// Tags to add or overwrite.
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteTagsArgs {
    /// A heap hash.
    pub heap: String,
    /// Tag keys to delete; all tags when omitted.
    pub keys: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, JsonSchema, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QueryTagsArgs {
    /// Heaps whose tags contain all of these key/value pairs.
    pub tags: BTreeMap<String, String>,
}

/// The tools offered: stateless mode leaves out what needs heaps and sessions.
pub fn list(stateful: bool, run_js_description: &str) -> Vec<Tool> {
    let mut tools = vec![
        Tool::new("run_js", run_js_description.to_owned(), run_js_schema(stateful)),
        Tool::new("get_execution", "Status, result and error of an execution.", schema_for_type::<ExecutionArgs>()),
        Tool::new(
            "get_execution_output",
            "A page of an execution's console output, by lines or by bytes; readable while it runs. Returns next offsets.",
            schema_for_type::<OutputArgs>(),
        ),
        Tool::new("cancel_execution", "Cancel a queued or running execution.", schema_for_type::<ExecutionArgs>()),
        Tool::new("list_executions", "Recent executions, newest first.", schema_for_type::<ListExecutionsArgs>()),
    ];
    if stateful {
        tools.extend([
            Tool::new("list_sessions", "Sessions with their latest heap and run count.", schema_for_type::<NoArgs>()),
            Tool::new(
                "list_session_snapshots",
                "The log of a session's runs: input heap, output heap, code hash, time, status.",
                schema_for_type::<SessionLogArgs>(),
            ),
            Tool::new("get_heap_tags", "The tags of a heap.", schema_for_type::<HeapArgs>()),
            Tool::new("set_heap_tags", "Add or overwrite tags on a heap.", schema_for_type::<SetTagsArgs>()),
            Tool::new("delete_heap_tags", "Delete some or all tags of a heap.", schema_for_type::<DeleteTagsArgs>()),
            Tool::new("query_heaps_by_tags", "Heaps whose tags match all the given pairs.", schema_for_type::<QueryTagsArgs>()),
        ]);
    }
    tools
}

/// The run_js schema; stateless mode drops the arguments it cannot honour.
fn run_js_schema(stateful: bool) -> Arc<rmcp::model::JsonObject> {
    let schema = schema_for_type::<RunJsArgs>();
    if stateful {
        return schema;
    }
    let mut schema = (*schema).clone();
    if let Some(serde_json::Value::Object(props)) = schema.get_mut("properties") {
        for key in ["heap", "session", "tags"] {
            props.remove(key);
        }
    }
    Arc::new(schema)
}
