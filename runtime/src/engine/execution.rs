//! Execution records: status, result, error, timings and output of every run,
//! kept in a bounded registry.
//!
//! **Invariant:** a record moves `queued → running → one final status` and
//! never leaves a final status; waiters are woken exactly when it gets there.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use serde::Serialize;
use tokio::sync::watch;

use crate::error::JsErrorInfo;
use crate::ids::{ExecutionId, HeapHash, SessionName};
use crate::isolate::Stopper;
use crate::meta::now_ms;
use crate::output::Output;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExecutionStatus {
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
    TimedOut,
}

impl ExecutionStatus {
    pub fn is_final(self) -> bool {
        !matches!(self, Self::Queued | Self::Running)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Completed => "completed",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
            Self::TimedOut => "timed_out",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "queued" => Self::Queued,
            "running" => Self::Running,
            "completed" => Self::Completed,
            "failed" => Self::Failed,
            "cancelled" => Self::Cancelled,
            "timed_out" => Self::TimedOut,
            _ => return None,
        })
    }
}

/// What a finished run produced.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub result: Option<serde_json::Value>,
    pub error: Option<JsErrorInfo>,
    pub heap: Option<HeapHash>,
    /// True when the run's heap will be persisted later (policy `idle`).
    pub heap_pending: bool,
}

/// A point-in-time view of an execution, as callers see it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct ExecutionInfo {
    pub execution_id: ExecutionId,
    pub status: ExecutionStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<SessionName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_heap: Option<HeapHash>,
    /// The heap after the run (stateful mode), once persisted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heap: Option<HeapHash>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub heap_pending: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<JsErrorInfo>,
    pub created_at_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queued_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<f64>,
    pub output_lines: usize,
    pub output_bytes: usize,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub output_truncated: bool,
}

#[derive(Debug)]
struct State {
    status: ExecutionStatus,
    outcome: Outcome,
    started: Option<Instant>,
    finished: Option<Instant>,
}

#[derive(Debug)]
pub struct Execution {
    pub id: ExecutionId,
    pub session: Option<SessionName>,
    pub input_heap: Mutex<Option<HeapHash>>,
    pub code_hash: String,
    pub output: Arc<Output>,
    pub stopper: Arc<Stopper>,
    created: Instant,
    created_at_ms: u64,
    state: Mutex<State>,
    done: watch::Sender<bool>,
}

impl Execution {
    pub fn new(session: Option<SessionName>, input_heap: Option<HeapHash>, code_hash: String, output_cap: usize) -> Self {
        Self {
            id: ExecutionId::new(),
            session,
            input_heap: Mutex::new(input_heap),
            code_hash,
            output: Arc::new(Output::new(output_cap)),
            stopper: Arc::default(),
            created: Instant::now(),
            created_at_ms: now_ms(),
            state: Mutex::new(State { status: ExecutionStatus::Queued, outcome: Outcome::default(), started: None, finished: None }),
            done: watch::channel(false).0,
        }
    }

    pub fn status(&self) -> ExecutionStatus {
        self.state.lock().status
    }

    pub fn created_at_ms(&self) -> u64 {
        self.created_at_ms
    }

    pub fn set_running(&self) {
        let mut state = self.state.lock();
        if state.status == ExecutionStatus::Queued {
            state.status = ExecutionStatus::Running;
            state.started = Some(Instant::now());
        }
    }

    /// Moves the record to a final status; later calls are ignored.
    pub fn finish(&self, status: ExecutionStatus, outcome: Outcome) {
        debug_assert!(status.is_final());
        {
            let mut state = self.state.lock();
            if state.status.is_final() {
                return;
            }
            state.status = status;
            state.outcome = outcome;
            state.finished = Some(Instant::now());
            state.started.get_or_insert(self.created);
        }
        self.done.send_replace(true);
    }

    /// Fills in the heap of a run once it is persisted (policy `idle`).
    pub fn set_persisted_heap(&self, heap: HeapHash) {
        let mut state = self.state.lock();
        state.outcome.heap = Some(heap);
        state.outcome.heap_pending = false;
    }

    /// Waits until the record is final or `budget` passes.
    pub async fn wait(&self, budget: Duration) -> bool {
        let mut rx = self.done.subscribe();
        tokio::time::timeout(budget, rx.wait_for(|done| *done)).await.is_ok()
    }

    pub fn info(&self) -> ExecutionInfo {
        let state = self.state.lock();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        ExecutionInfo {
            execution_id: self.id,
            status: state.status,
            session: self.session.clone(),
            input_heap: self.input_heap.lock().clone(),
            heap: state.outcome.heap.clone(),
            heap_pending: state.outcome.heap_pending,
            result: state.outcome.result.clone(),
            error: state.outcome.error.clone(),
            created_at_ms: self.created_at_ms,
            queued_ms: state.started.map(|s| ms(s - self.created)),
            duration_ms: match (state.started, state.finished) {
                (Some(s), Some(f)) => Some(ms(f - s)),
                (Some(s), None) => Some(ms(s.elapsed())),
                _ => None,
            },
            output_lines: self.output.total_lines(),
            output_bytes: self.output.total_bytes(),
            output_truncated: self.output.truncated(),
        }
    }
}

/// The records by id, and their ids oldest first.
type Records = (HashMap<ExecutionId, Arc<Execution>>, VecDeque<ExecutionId>);

/// All executions, newest kept; finished ones beyond `retain` are dropped
/// oldest first. Running ones are never dropped.
#[derive(Debug)]
pub struct Registry {
    retain: usize,
    inner: Mutex<Records>,
}

impl Registry {
    pub fn new(retain: usize) -> Self {
        Self { retain: retain.max(1), inner: Mutex::new((HashMap::new(), VecDeque::new())) }
    }

    pub fn insert(&self, execution: Arc<Execution>) {
        let mut inner = self.inner.lock();
        let (map, order) = &mut *inner;
        order.push_back(execution.id);
        map.insert(execution.id, execution);
        while map.len() > self.retain {
            // Drop the oldest finished record; stop if all are running.
            let Some(pos) = order.iter().position(|id| map.get(id).is_none_or(|e| e.status().is_final())) else { break };
            if let Some(id) = order.remove(pos) {
                map.remove(&id);
            }
        }
    }

    pub fn get(&self, id: &ExecutionId) -> Option<Arc<Execution>> {
        self.inner.lock().0.get(id).cloned()
    }

    /// Newest first, optionally filtered by status and session.
    pub fn list(&self, status: Option<ExecutionStatus>, session: Option<&SessionName>, limit: usize) -> Vec<Arc<Execution>> {
        let inner = self.inner.lock();
        let (map, order) = &*inner;
        order
            .iter()
            .rev()
            .filter_map(|id| map.get(id))
            .filter(|e| status.is_none_or(|s| e.status() == s))
            .filter(|e| session.is_none_or(|s| e.session.as_ref() == Some(s)))
            .take(limit)
            .cloned()
            .collect()
    }

    pub fn running(&self) -> usize {
        self.inner.lock().0.values().filter(|e| !e.status().is_final()).count()
    }
}
