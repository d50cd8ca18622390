//! The V8 engine of mcp-v8: runs JavaScript and TypeScript in deno_core
//! isolates, snapshots heaps, keeps sessions and execution records, each
//! with its owner.
//!
//! **Invariant:** this crate knows nothing of MCP, HTTP, Redis or policy
//! engines. The gateway drives it through [`Engine`], says who calls with
//! [`Caller`], and plugs in what the engine depends on through
//! [`EngineDeps`]: heap stores ([`store::HeapStore`]), the decider of
//! capabilities ([`capability::Decider`]), the host of upstream tool calls
//! ([`host::Host`]), the fetcher of ES modules ([`modules::ModuleFetcher`]).

/// A span of the runtime (target [`SPAN_TARGET`]), child of `parent` or of
/// the current span, made only when that one is traced ([`traced`]): a
/// request the gateway does not trace (tracing off, or not sampled) costs no
/// span below it, and no phase of it becomes a trace of its own.
macro_rules! child_span {
    (parent: $parent:expr, $($rest:tt)*) => {
        if crate::traced($parent) {
            tracing::info_span!(target: crate::SPAN_TARGET, parent: $parent, $($rest)*)
        } else {
            tracing::Span::none()
        }
    };
    ($($rest:tt)*) => {
        if crate::traced(&tracing::Span::current()) {
            tracing::info_span!(target: crate::SPAN_TARGET, $($rest)*)
        } else {
            tracing::Span::none()
        }
    };
}

/// Whether `span` is a traced span of mcp-v8's own: one of the runtime's,
/// or a request's span the gateway opened (its targets are under
/// [`TRACED_TARGETS`]). Another library's span (rmcp's, which the logs may
/// keep) is not: a run under it is not traced.
fn traced(span: &tracing::Span) -> bool {
    span.metadata().is_some_and(|m| m.target().starts_with(TRACED_TARGETS))
}

pub mod capability;
mod checksum;
mod context;
mod engine;
mod error;
mod ext;
pub mod fetch;
mod fs;
pub mod host;
mod ids;
mod isolate;
mod memory;
mod meta;
pub mod metrics;
pub mod modules;
mod output;
mod process;
mod owner;
mod snapshot_filter;
pub mod store;
mod transform;
pub mod wasm;
mod web;
mod websocket;

/// The target of every span the runtime opens (a run and its phases, each
/// policy decision): the gateway exports them over OpenTelemetry and keeps
/// them out of its logs.
pub const SPAN_TARGET: &str = "mcp_v8::span";

/// The prefix of the targets of every span mcp-v8 exports: the runtime's
/// ([`SPAN_TARGET`]) and the gateway's request spans, under which the
/// runtime opens its own.
pub const TRACED_TARGETS: &str = "mcp_v8::";

pub use capability::{Capability, Decider, Decision};
pub use context::{RunContext, decide, decision_input};
pub use engine::{
    CancelOutcome, Engine, EngineConfig, EngineDeps, EngineStats, Execution, ExecutionInfo, ExecutionStatus, RunRequest, SessionSummary,
    SnapshotPolicy, SweepReport,
};
pub use error::{ErrorKind, JsErrorInfo, RuntimeError};
pub use ids::{ExecutionId, HeapHash, SessionName};
pub use memory::default_process_budget;
pub use meta::{Meta, SessionLogEntry, Tags};
pub use output::{Output as OutputBuffer, OutputLevel, OutputLine, OutputPage, OutputQuery};
pub use owner::{Caller, Owner, SessionKey};
