//! The preloaded WebAssembly modules as MCP tools (`<prefix>wasm__<name>`,
//! the reference's stubs): a client discovers them in `tools/list`; calling
//! one returns how to use the module from `run_js`. WebAssembly exports
//! have no schema to call them by, so a stub runs nothing.

use std::sync::Arc;

use mcp_v8_runtime::wasm::WasmModuleInfo;
use rmcp::model::Tool;

use crate::config::wasm::WasmConfig;

/// One stub: its tool, and the text a call returns.
pub struct Stub {
    pub tool: Tool,
    pub text: String,
}

/// How to reach `info` from run_js.
fn usage(info: &WasmModuleInfo) -> String {
    let name = &info.name;
    let exports = if info.exports.is_empty() { "none".to_owned() } else { info.exports.join(", ") };
    let mut text = format!("Not a tool to call: use the WebAssembly module `{name}` from JavaScript in run_js. ");
    if info.imports.is_empty() {
        let example = info.exports.first().map_or_else(String::new, |e| format!(" (`{name}.{e}(...)`)"));
        text.push_str(&format!("`{name}` is its instance's exports{example}; `__wasm_{name}` is the compiled WebAssembly.Module. "));
    } else {
        text.push_str(&format!(
            "It needs imports ({}): instantiate it with `new WebAssembly.Instance(__wasm_{name}, imports)`. ",
            info.imports.join(", ")
        ));
    }
    text.push_str(&format!("Exports: {exports}."));
    text
}

pub fn stubs(infos: &[WasmModuleInfo], config: &WasmConfig) -> Vec<Stub> {
    let Some(prefix) = &config.stub_prefix else { return Vec::new() };
    infos
        .iter()
        .map(|info| {
            let description = config.modules.iter().find(|m| m.name == info.name).and_then(|m| m.description.clone());
            let usage = usage(info);
            let text = match &description {
                Some(description) => format!("{description}\n\n{usage}"),
                None => usage,
            };
            let schema = serde_json::json!({"type": "object", "properties": {}});
            let schema = Arc::new(schema.as_object().cloned().unwrap_or_default());
            Stub { tool: Tool::new(format!("{prefix}wasm__{}", info.name), text.clone(), schema), text }
        })
        .collect()
}
