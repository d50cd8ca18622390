//! The MCP tools: names, descriptions, and schemas (their argument and
//! result types are the service's, `service::types`).

use std::sync::Arc;

use mcp_v8_runtime::EngineConfig;
use rmcp::handler::server::common::schema_for_type;
use rmcp::model::Tool;

use crate::service::schema::{bound_tags, shape_run_args};
use crate::service::types::*;

/// The tools offered: stateless mode leaves out what needs heaps and sessions.
pub fn list(engine: &EngineConfig, run_js_file: bool, run_js_description: &str) -> Vec<Tool> {
    let stateful = engine.stateful;
    let mut tools = vec![
        Tool::new("run_js", run_js_description.to_owned(), run_js_schema(engine, run_js_file)).with_output_schema::<RunReply>(),
        Tool::new("get_execution", "Status, result and error of an execution.", schema_for_type::<ExecutionArgs>())
            .with_output_schema::<Execution>(),
        Tool::new(
            "get_execution_output",
            "A page of an execution's console output, by lines (counting from 1) or by bytes; readable while it runs. Returns where to continue.",
            schema_for_type::<OutputArgs>(),
        )
        .with_output_schema::<OutputPage>(),
        Tool::new("cancel_execution", "Cancel a queued or running execution.", schema_for_type::<ExecutionArgs>())
            .with_output_schema::<CancelReply>(),
        Tool::new("list_executions", "Your recent executions, newest first.", schema_for_type::<ListExecutionsArgs>())
            .with_output_schema::<ExecutionList>(),
    ];
    if stateful {
        tools.extend([
            Tool::new("list_sessions", "Your sessions with their latest heap and run count.", schema_for_type::<NoArgs>())
                .with_output_schema::<SessionList>(),
            Tool::new(
                "list_session_snapshots",
                "The log of a session's runs: input heap, output heap, code hash, time, status.",
                schema_for_type::<SessionLogArgs>(),
            )
            .with_output_schema::<SessionLog>(),
            Tool::new("get_heap_tags", "The tags of a heap.", schema_for_type::<HeapArgs>()).with_output_schema::<HeapTags>(),
            Tool::new("set_heap_tags", "Add or overwrite tags on a heap.", with_tag_bounds(schema_for_type::<SetTagsArgs>()))
                .with_output_schema::<HeapTags>(),
            Tool::new("delete_heap_tags", "Delete some or all tags of a heap.", schema_for_type::<DeleteTagsArgs>())
                .with_output_schema::<HeapTags>(),
            Tool::new("query_heaps_by_tags", "Your heaps whose tags match all the given pairs.", with_tag_bounds(schema_for_type::<TagsBody>()))
                .with_output_schema::<HeapList>(),
        ]);
    }
    tools
}

/// The run_js schema, with the arguments and bounds of this server.
fn run_js_schema(engine: &EngineConfig, run_js_file: bool) -> Arc<rmcp::model::JsonObject> {
    let mut schema = (*schema_for_type::<RunJsArgs>()).clone();
    shape_run_args(&mut schema, engine, run_js_file);
    Arc::new(schema)
}

fn with_tag_bounds(schema: Arc<rmcp::model::JsonObject>) -> Arc<rmcp::model::JsonObject> {
    let mut schema = (*schema).clone();
    if let Some(tags) = schema.get_mut("properties").and_then(|p| p.get_mut("tags")) {
        bound_tags(tags);
    }
    Arc::new(schema)
}
