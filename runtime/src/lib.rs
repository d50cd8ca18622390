//! The V8 engine of mcp-v8: runs JavaScript and TypeScript in deno_core
//! isolates, snapshots heaps, keeps sessions and execution records, each
//! with its owner.
//!
//! **Invariant:** this crate knows nothing of MCP, HTTP or Redis. The
//! gateway drives it through [`Engine`], says who calls with [`Caller`] and
//! plugs caches in through [`store::HeapStore`].

mod engine;
mod error;
mod ext;
mod ids;
mod isolate;
mod memory;
mod meta;
mod output;
mod owner;
pub mod store;
mod transform;

pub use engine::{
    CancelOutcome, Engine, EngineConfig, EngineStats, Execution, ExecutionInfo, ExecutionStatus, RunRequest, SessionSummary,
    SnapshotPolicy, SweepReport,
};
pub use error::{ErrorKind, JsErrorInfo, RuntimeError};
pub use ids::{ExecutionId, HeapHash, SessionName};
pub use memory::default_process_budget;
pub use meta::{Meta, SessionLogEntry, Tags};
pub use output::{Output as OutputBuffer, OutputLevel, OutputLine, OutputPage, OutputQuery};
pub use owner::{Caller, Owner, SessionKey};
