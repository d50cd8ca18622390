//! WebAssembly modules preloaded by the server (`--wasm-module`): compiled
//! once when the engine starts, shared by every stateless isolate (V8
//! shares a compiled module's code between isolates), and put on each
//! isolate's global object when user code first reaches them:
//! `__wasm_<name>` is the `WebAssembly.Module`; for a module without
//! imports, `<name>` is the exports of an instance made on first use.
//!
//! **Invariants:**
//! - Only isolates that are never snapshotted get them: V8 has no
//!   WebAssembly in isolates made for snapshotting (the gateway refuses
//!   preloads without `--stateless`).
//! - An instance made for `<name>` whose memory is over the module's
//!   `max_memory_bytes` is refused; its memory's growth is then bounded by
//!   the run's memory budget, like any WebAssembly memory.

use std::sync::Arc;

use deno_core::{JsRuntime, op2, v8};
use deno_error::JsErrorBox;
use serde::Serialize;

use crate::error::RuntimeError;

/// A module to preload, as configured.
#[derive(Clone)]
pub struct WasmPreload {
    /// The global's name (`<name>`, `__wasm_<name>`): an identifier.
    pub name: String,
    pub bytes: Arc<[u8]>,
    /// The most memory an instance made for `<name>` may start with.
    pub max_memory_bytes: usize,
}

impl std::fmt::Debug for WasmPreload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WasmPreload")
            .field("name", &self.name)
            .field("bytes", &self.bytes.len())
            .field("max_memory_bytes", &self.max_memory_bytes)
            .finish()
    }
}

/// What a compiled module asks for and gives (for the stub tools' text).
#[derive(Debug, Clone, Serialize)]
pub struct WasmModuleInfo {
    pub name: String,
    /// `module.name` of every import.
    pub imports: Vec<String>,
    /// The names of its exports.
    pub exports: Vec<String>,
    pub max_memory_bytes: usize,
}

/// The compiled modules, shared by the workers.
pub struct WasmSet {
    modules: Vec<(WasmModuleInfo, v8::CompiledWasmModule)>,
}

impl WasmSet {
    pub fn infos(&self) -> Vec<WasmModuleInfo> {
        self.modules.iter().map(|(info, _)| info.clone()).collect()
    }

    /// Compiles every module in `runtime` (a throwaway stateless isolate);
    /// a module that does not compile is an error naming it.
    pub(crate) fn compile(runtime: &mut JsRuntime, preloads: &[WasmPreload]) -> Result<Self, RuntimeError> {
        let mut modules = Vec::with_capacity(preloads.len());
        deno_core::scope!(scope, runtime);
        for preload in preloads {
            v8::tc_scope!(let scope, scope);
            let Some(module) = v8::WasmModuleObject::compile(scope, &preload.bytes) else {
                let why = scope.exception().map(|e| e.to_rust_string_lossy(scope)).unwrap_or_else(|| "it is not valid".into());
                return Err(RuntimeError::InvalidRequest(format!("WebAssembly module '{}' does not compile: {why}", preload.name)));
            };
            let describe = |kind: &str| -> Vec<String> {
                let code = format!(
                    "(m) => WebAssembly.Module.{kind}(m).map((d) => {})",
                    if kind == "imports" { "d.module + '.' + d.name" } else { "d.name" }
                );
                let source = v8::String::new(scope, &code).expect("short");
                let Some(function) = v8::Script::compile(scope, source, None)
                    .and_then(|s| s.run(scope))
                    .and_then(|f| v8::Local::<v8::Function>::try_from(f).ok())
                else {
                    return Vec::new();
                };
                let receiver = v8::undefined(scope).into();
                let list = function.call(scope, receiver, &[module.into()]);
                list.and_then(|l| v8::json::stringify(scope, l))
                    .and_then(|s| serde_json::from_str(&s.to_rust_string_lossy(scope)).ok())
                    .unwrap_or_default()
            };
            let info = WasmModuleInfo {
                name: preload.name.clone(),
                imports: describe("imports"),
                exports: describe("exports"),
                max_memory_bytes: preload.max_memory_bytes,
            };
            modules.push((info, module.get_compiled_module()));
        }
        Ok(Self { modules })
    }

    /// `[name, selfContained, maxMemoryBytes]` per module, for `installWasm` (guards.js).
    pub(crate) fn install_list(&self) -> serde_json::Value {
        serde_json::Value::Array(
            self.modules
                .iter()
                .map(|(info, _)| serde_json::json!([info.name, info.imports.is_empty(), info.max_memory_bytes]))
                .collect(),
        )
    }
}

/// `__wasm_<name>`: the module, made in this isolate from the shared
/// compiled code.
#[op2]
pub fn op_mcpv8_wasm_module<'s>(scope: &mut v8::PinScope<'s, '_>, #[smi] index: u32) -> Result<v8::Local<'s, v8::Value>, JsErrorBox> {
    let state = JsRuntime::op_state_from(scope);
    let set = state.borrow().try_borrow::<Arc<WasmSet>>().cloned();
    let Some((_, compiled)) = set.as_ref().and_then(|set| set.modules.get(index as usize)) else {
        return Err(JsErrorBox::generic("no such WebAssembly module"));
    };
    v8::WasmModuleObject::from_compiled_module(scope, compiled)
        .map(Into::into)
        .ok_or_else(|| JsErrorBox::generic("the WebAssembly module could not be made in this isolate"))
}
