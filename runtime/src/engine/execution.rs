//! Execution records: status, result, error, timings and output of every run,
//! kept in a bounded registry.
//!
//! **Invariant:** a record moves `queued → running → one final status` and
//! never leaves a final status; waiters are woken exactly when it gets there.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use parking_lot::Mutex;
use serde::Serialize;
use tokio::sync::watch;

use crate::error::JsErrorInfo;
use crate::ids::{ExecutionId, HeapHash, SessionName};
use crate::isolate::Stopper;
use crate::output::Output;
use crate::owner::{Caller, Owner, SessionKey};

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
#[derive(Debug, Clone, Serialize)]
pub struct ExecutionInfo {
    pub execution_id: ExecutionId,
    pub status: ExecutionStatus,
    /// When the run was accepted (RFC 3339).
    pub started_at: String,
    /// When the run reached its final status (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
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
    finished_at: Option<SystemTime>,
}

#[derive(Debug)]
pub struct Execution {
    pub id: ExecutionId,
    /// Who may see it: its session's owner, or the principal that ran it.
    pub owner: Owner,
    pub session: Option<SessionKey>,
    pub input_heap: Mutex<Option<HeapHash>>,
    pub code_hash: String,
    pub output: Arc<Output>,
    pub stopper: Arc<Stopper>,
    pub(crate) created: Instant,
    created_at: SystemTime,
    state: Mutex<State>,
    done: watch::Sender<bool>,
}

impl Execution {
    pub fn new(
        owner: Owner,
        session: Option<SessionKey>,
        input_heap: Option<HeapHash>,
        code_hash: String,
        output_cap: usize,
    ) -> Self {
        Self {
            id: ExecutionId::new(),
            owner,
            session,
            input_heap: Mutex::new(input_heap),
            code_hash,
            output: Arc::new(Output::new(output_cap)),
            stopper: Arc::default(),
            created: Instant::now(),
            created_at: SystemTime::now(),
            state: Mutex::new(State {
                status: ExecutionStatus::Queued,
                outcome: Outcome::default(),
                started: None,
                finished: None,
                finished_at: None,
            }),
            done: watch::channel(false).0,
        }
    }

    pub fn status(&self) -> ExecutionStatus {
        self.state.lock().status
    }

    pub fn created_at_ms(&self) -> u64 {
        ms_since_epoch(self.created_at)
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
            state.finished_at = Some(SystemTime::now());
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

    /// The heap this run was waiting for will never be persisted (its warm
    /// isolate is gone).
    pub fn lose_heap(&self) {
        self.state.lock().outcome.heap_pending = false;
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
            started_at: rfc3339(self.created_at),
            completed_at: state.finished_at.map(rfc3339),
            session: self.session.as_ref().map(|s| s.name.clone()),
            input_heap: self.input_heap.lock().clone(),
            heap: state.outcome.heap.clone(),
            heap_pending: state.outcome.heap_pending,
            result: state.outcome.result.clone(),
            error: state.outcome.error.clone(),
            created_at_ms: ms_since_epoch(self.created_at),
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

fn rfc3339(time: SystemTime) -> String {
    humantime::format_rfc3339_millis(time).to_string()
}

fn ms_since_epoch(time: SystemTime) -> u64 {
    time.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
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

    /// The record, if `caller` may see it.
    pub fn get(&self, caller: &Caller, id: &ExecutionId) -> Option<Arc<Execution>> {
        self.inner.lock().0.get(id).filter(|e| caller.can_see(&e.owner)).cloned()
    }

    /// Newest first, those `caller` may see, optionally filtered by status
    /// and session.
    pub fn list(
        &self,
        caller: &Caller,
        status: Option<ExecutionStatus>,
        session: Option<&SessionKey>,
        limit: usize,
    ) -> Vec<Arc<Execution>> {
        let inner = self.inner.lock();
        let (map, order) = &*inner;
        order
            .iter()
            .rev()
            .filter_map(|id| map.get(id))
            .filter(|e| caller.can_see(&e.owner))
            .filter(|e| status.is_none_or(|s| e.status() == s))
            .filter(|e| session.is_none_or(|s| e.session.as_ref() == Some(s)))
            .take(limit)
            .cloned()
            .collect()
    }

    /// Every record not final yet (for shutdown).
    pub fn unfinished(&self) -> Vec<Arc<Execution>> {
        self.inner.lock().0.values().filter(|e| !e.status().is_final()).cloned().collect()
    }

    /// Forgets the finished records of an owner whose data was dropped.
    pub fn remove_owner(&self, owner: &Owner) {
        let mut inner = self.inner.lock();
        let (map, order) = &mut *inner;
        map.retain(|_, e| e.owner != *owner || !e.status().is_final());
        order.retain(|id| map.contains_key(id));
    }

    pub fn len(&self) -> usize {
        self.inner.lock().0.len()
    }
}
