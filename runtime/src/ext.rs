//! The deno_core extension behind `bootstrap.js`: the only ops user code can
//! reach, each checking its input in Rust.
//!
//! **Invariant:** no op here touches the host (files, network, processes,
//! the process's stdout/stderr), except the capability ops (`fs.rs`, `process.rs`), which
//! do only what the run's decider allowed (see `context.rs`). Console text goes to the running
//! execution's [`Output`]; deno_core's own `op_print`, which would write to
//! the process's stdout (the JSON-RPC stream on stdio), is replaced by the
//! same sink.

use std::sync::Arc;
use std::time::Instant;

use deno_core::{OpState, op2};
use deno_error::JsErrorBox;
use rand::RngCore;

use crate::memory::MemoryAccount;
use crate::output::{Output, OutputLevel};

/// Where console output of the current run goes. Replaced for every run.
pub(crate) struct ConsoleSink(pub Option<Arc<Output>>);

/// The origin of `performance.now()` for this isolate.
pub(crate) struct TimeOrigin(pub Instant);

/// The isolate may hold a `FinalizationRegistry` (guards.js): set when one
/// is made, cleared when a run ends without any, so runs that never make
/// one skip asking JavaScript.
pub(crate) struct Finalizers(pub bool);

deno_core::extension!(
    mcpv8,
    ops = [
        op_mcpv8_console,
        op_mcpv8_console_room,
        op_mcpv8_random_fill,
        op_mcpv8_uuid,
        op_mcpv8_now,
        op_mcpv8_user_agent,
        op_mcpv8_memory_budget,
        op_mcpv8_memory_exceeded,
        op_mcpv8_memory_check,
        op_mcpv8_memory_reserve,
        op_mcpv8_registry_made,
        crate::fs::op_mcpv8_fs_read,
        crate::fs::op_mcpv8_fs_write,
        crate::fs::op_mcpv8_fs,
        crate::process::op_mcpv8_exec,
        crate::wasm::op_mcpv8_wasm_module,
        crate::websocket::op_mcpv8_ws_connect,
        crate::websocket::op_mcpv8_ws_send_text,
        crate::websocket::op_mcpv8_ws_send_binary,
        crate::websocket::op_mcpv8_ws_close,
        crate::websocket::op_mcpv8_ws_next,
        crate::host::op_mcpv8_mcp_servers,
        crate::host::op_mcpv8_mcp_tools,
        crate::host::op_mcpv8_mcp_call,
    ],
    js = [dir "js", "bootstrap.js", "weak.js", "web.js", "guards.js", "websocket.js", "fs.js", "process.js", "mcp.js"],
    middleware = |op| match op.name {
        "op_print" => op_mcpv8_print(),
        // Every request is decided before it is sent (see fetch.rs).
        "op_fetch" => op.with_implementation_from(&crate::fetch::op_mcpv8_fetch()),
        "op_fetch_send" => op.with_implementation_from(&crate::fetch::op_mcpv8_fetch_send()),
        _ => op,
    },
    state = |state| {
        state.put(ConsoleSink(None));
        state.put(TimeOrigin(Instant::now()));
        state.put(crate::web::permissions());
        state.put(Finalizers(false));
    },
);

#[op2(fast)]
fn op_mcpv8_console(state: &mut OpState, #[smi] level: u8, #[string] text: &str) {
    if let Some(out) = &state.borrow::<ConsoleSink>().0 {
        out.write(OutputLevel::from_u8(level), text);
    }
}

/// Characters a console call may still send (so a huge string is cut in
/// JavaScript, not copied out of V8 whole).
#[op2(fast)]
fn op_mcpv8_console_room(state: &mut OpState) -> f64 {
    state.borrow::<ConsoleSink>().0.as_ref().map_or(0.0, |out| out.room() as f64)
}

/// Stands in for deno_core's `op_print`: the text goes to the run's output.
#[op2(fast)]
fn op_mcpv8_print(state: &mut OpState, #[string] msg: &str, is_err: bool) {
    if let Some(out) = &state.borrow::<ConsoleSink>().0 {
        let level = if is_err { OutputLevel::Error } else { OutputLevel::Log };
        out.write(level, msg.strip_suffix('\n').unwrap_or(msg));
    }
}

/// The memory account of this isolate (see `memory.rs`); absent only while
/// the base snapshot is made.
fn account(state: &OpState) -> Option<&Arc<MemoryAccount>> {
    state.try_borrow::<Arc<MemoryAccount>>()
}

/// The run's memory budget in bytes (infinite when no run is going).
#[op2(fast)]
fn op_mcpv8_memory_budget(state: &mut OpState) -> f64 {
    match account(state).map(|a| a.budget()) {
        Some(budget) if budget != usize::MAX => budget as f64,
        _ => f64::INFINITY,
    }
}

/// Stops the run: something asked for more than its budget.
#[op2(fast)]
fn op_mcpv8_memory_exceeded(state: &mut OpState, bytes: f64) {
    if let Some(account) = account(state) {
        account.exceeded(bytes as usize);
    }
}

/// Measures the isolate at its next safe point (right after this op).
#[op2(fast)]
fn op_mcpv8_memory_check(state: &mut OpState) {
    if let Some(account) = account(state) {
        account.request_check();
    }
}

/// A `FinalizationRegistry` was made.
#[op2(fast)]
fn op_mcpv8_registry_made(state: &mut OpState) {
    state.put(Finalizers(true));
}

/// Counts bytes V8 does not track against the run; false when over budget.
#[op2(fast)]
fn op_mcpv8_memory_reserve(state: &mut OpState, bytes: f64) -> bool {
    match account(state) {
        Some(account) if bytes.is_finite() && bytes >= 0.0 => account.reserve(bytes as usize),
        _ => false,
    }
}

#[op2(fast)]
fn op_mcpv8_random_fill(#[buffer] buf: &mut [u8]) -> Result<(), JsErrorBox> {
    if buf.len() > 65536 {
        return Err(JsErrorBox::range_error("at most 65536 random bytes per call"));
    }
    rand::rng().fill_bytes(buf);
    Ok(())
}

#[op2]
#[string]
fn op_mcpv8_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// `navigator.userAgent` (also what `fetch` sends).
#[op2]
#[string]
fn op_mcpv8_user_agent() -> String {
    crate::web::user_agent()
}

#[op2(fast)]
fn op_mcpv8_now(state: &mut OpState) -> f64 {
    state.borrow::<TimeOrigin>().0.elapsed().as_secs_f64() * 1000.0
}
