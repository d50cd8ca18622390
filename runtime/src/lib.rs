//! The V8 engine of mcp-v8: runs JavaScript and TypeScript in deno_core
//! isolates, snapshots heaps, keeps sessions and execution records.
//!
//! **Invariant:** this crate knows nothing of MCP, HTTP or Redis. The
//! gateway drives it through [`Engine`] and plugs caches in through
//! [`store::HeapStore`].

mod engine;
mod error;
mod ext;
mod ids;
mod isolate;
mod meta;
mod output;
pub mod store;
mod transform;

pub use engine::{Engine, EngineConfig, Execution, ExecutionInfo, ExecutionStatus, RunRequest, SessionSummary, SnapshotPolicy};
pub use error::{JsErrorInfo, RuntimeError};
pub use ids::{ExecutionId, HeapHash, SessionName};
pub use meta::{Meta, SessionLogEntry, Tags};
pub use output::{Output as OutputBuffer, OutputLevel, OutputLine, OutputPage, OutputQuery};
