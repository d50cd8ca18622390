//! Sessions: which heap a session is at, whether its isolate is warm on a
//! worker, and the write-behind that persists warm isolates.
//!
//! **Invariants:**
//! - A slot's async mutex is held by whoever uses or changes the session's
//!   isolate: a run, a persist, an eviction. Never a sync lock across await.
//! - `pending` lists the runs whose heap lives only in the warm isolate;
//!   it is empty whenever the session is not warm.

use std::collections::HashMap;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use serde::Serialize;

use super::execution::{Execution, ExecutionStatus, Outcome};
use super::worker::{After, Job, Source};
use super::{Engine, RunRequest, SnapshotPolicy, log_entry};
use crate::error::RuntimeError;
use crate::ids::{HeapHash, SessionName};
use crate::meta::{SessionHead, SessionLogEntry, Tags};
use crate::store::load_checked;
use crate::transform::Prepared;

#[derive(Default)]
pub(super) struct Slot {
    loaded: bool,
    head: Option<HeapHash>,
    next_seq: u64,
    warm_on: Option<usize>,
    heap_used: usize,
    last_used: Option<Instant>,
    pending: Vec<(u64, Arc<Execution>)>,
    pending_tags: Tags,
}

type SlotRef = Arc<tokio::sync::Mutex<Slot>>;

#[derive(Default)]
pub(super) struct Sessions {
    slots: Mutex<HashMap<SessionName, SlotRef>>,
}

impl Sessions {
    fn slot(&self, session: &SessionName) -> SlotRef {
        self.slots.lock().entry(session.clone()).or_default().clone()
    }

    fn all(&self) -> Vec<(SessionName, SlotRef)> {
        self.slots.lock().iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }
}

/// A session as `list_sessions` shows it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct SessionSummary {
    pub session: SessionName,
    /// The latest persisted heap.
    pub heap: Option<HeapHash>,
    pub runs: u64,
    pub updated_at_ms: u64,
    /// True while the session's isolate is in memory.
    pub warm: bool,
    /// Runs whose heap is not persisted yet.
    pub unpersisted_runs: usize,
}

impl Engine {
    pub(super) async fn drive_session(
        &self,
        exec: &Arc<Execution>,
        session: SessionName,
        request: RunRequest,
        prepared: Prepared,
        heap_bytes: usize,
        timeout: Duration,
    ) -> Result<(ExecutionStatus, Outcome), RuntimeError> {
        let slot_ref = self.sessions.slot(&session);
        let mut slot = slot_ref.lock().await;
        self.load_slot(&session, &mut slot)?;
        // An explicit heap restarts the session from it; what the warm
        // isolate held is persisted first so the log stays complete.
        if request.heap.is_some() && slot.warm_on.is_some() {
            self.persist_slot(&session, &mut slot).await?;
        }
        let (worker, source) = match (&request.heap, slot.warm_on) {
            (Some(hash), _) => {
                *exec.input_heap.lock() = Some(hash.clone());
                (self.least_loaded(), Source::Load(Some(load_checked(self.store()?, hash).await?)))
            }
            (None, Some(index)) => {
                *exec.input_heap.lock() = if slot.pending.is_empty() { slot.head.clone() } else { None };
                (&self.workers[index], Source::Warm)
            }
            (None, None) => {
                *exec.input_heap.lock() = slot.head.clone();
                let bytes = match &slot.head {
                    Some(hash) => Some(load_checked(self.store()?, hash).await?),
                    None => None,
                };
                (self.least_loaded(), Source::Load(bytes))
            }
        };
        let after = match self.config.snapshot_policy {
            SnapshotPolicy::EveryRun => After::Snapshot,
            SnapshotPolicy::Idle => After::KeepWarm,
        };
        let worker_index = worker.index;
        let reply = match self.run_on(exec, worker, source, after, Some(session.clone()), prepared, heap_bytes, timeout).await {
            Ok(reply) => reply,
            Err(error) => {
                // The worker may have lost the warm isolate with the job.
                slot.warm_on = None;
                slot.pending.clear();
                return Err(error);
            }
        };
        slot.last_used = Some(Instant::now());
        slot.heap_used = reply.heap_used;
        let seq = slot.next_seq;
        slot.next_seq += 1;
        let (status, mut outcome) = self.outcome(reply.end, timeout);
        let tags = request.tags.filter(|t| !t.is_empty());
        if let Some(bytes) = reply.snapshot {
            let hash = self.persist(bytes).await?;
            slot.head = Some(hash.clone());
            slot.warm_on = None;
            if let Some(tags) = tags {
                self.meta()?.set_tags(hash.clone(), tags).await?;
            }
            self.meta()?.record_run(session, log_entry(exec, seq, status, Some(hash.clone()))).await?;
            outcome.heap = Some(hash);
        } else if reply.warm {
            slot.warm_on = Some(worker_index);
            slot.pending.push((seq, exec.clone()));
            if let Some(tags) = tags {
                slot.pending_tags.extend(tags);
            }
            self.meta()?.record_run(session, log_entry(exec, seq, status, None)).await?;
            outcome.heap_pending = true;
        } else {
            // The heap limit was hit: the isolate is gone, and with it what
            // was not persisted yet. The session stays at its last heap.
            let lost = slot.pending.len();
            slot.warm_on = None;
            slot.pending.clear();
            slot.pending_tags.clear();
            self.meta()?.record_run(session, log_entry(exec, seq, status, None)).await?;
            if let Some(error) = &mut outcome.error {
                error.message.push_str(&match (&slot.head, lost) {
                    (Some(head), 0) => format!("; the session stays at heap {head}"),
                    (Some(head), n) => format!("; the session went back to heap {head}, losing {n} unpersisted run(s)"),
                    (None, 0) => "; the session stays empty".to_owned(),
                    (None, n) => format!("; the session went back to empty, losing {n} unpersisted run(s)"),
                });
            }
        }
        Ok((status, outcome))
    }

    /// Reads a session's head from the metadata the first time it is used.
    fn load_slot(&self, session: &SessionName, slot: &mut Slot) -> Result<(), RuntimeError> {
        if !slot.loaded {
            if let Some(head) = self.meta()?.head(session)? {
                slot.head = head.heap;
                slot.next_seq = head.runs;
            }
            slot.loaded = true;
        }
        Ok(())
    }

    /// Snapshots a warm session, stores the heap and records it. The session
    /// is cold afterwards (a snapshot consumes the isolate).
    async fn persist_slot(&self, session: &SessionName, slot: &mut Slot) -> Result<Option<HeapHash>, RuntimeError> {
        let Some(index) = slot.warm_on.take() else { return Ok(None) };
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.workers[index].send(Job::Snapshot { session: session.clone(), reply: tx })?;
        let pending = std::mem::take(&mut slot.pending);
        let bytes = rx.await.map_err(|_| RuntimeError::Unavailable("V8 worker stopped".into()))??;
        let hash = self.persist(bytes).await?;
        let tags = std::mem::take(&mut slot.pending_tags);
        if !tags.is_empty() {
            self.meta()?.set_tags(hash.clone(), tags).await?;
        }
        let seqs = pending.iter().map(|(seq, _)| *seq).collect();
        self.meta()?.record_persisted(session.clone(), seqs, hash.clone()).await?;
        // Only the last run's heap is this one; earlier runs were superseded
        // in memory. Each record learns the heap its session reached.
        for (_, exec) in &pending {
            exec.set_persisted_heap(hash.clone());
        }
        slot.head = Some(hash.clone());
        Ok(Some(hash))
    }

    /// Persists every warm session (used at shutdown), all at once: each
    /// worker snapshots its own sessions while the others do theirs.
    pub(super) async fn persist_all_warm(&self) {
        let started = Instant::now();
        let all = self.sessions.all();
        let results = futures::future::join_all(all.iter().map(|(session, slot_ref)| async move {
            let mut slot = slot_ref.lock().await;
            let result = self.persist_slot(session, &mut slot).await;
            if let Err(error) = &result {
                tracing::error!(%session, %error, "could not persist a warm session at shutdown");
            }
            result
        }))
        .await;
        let persisted = results.iter().filter(|r| matches!(r, Ok(Some(_)))).count();
        if persisted > 0 {
            tracing::info!(persisted, elapsed_ms = started.elapsed().as_millis() as u64, "warm sessions persisted");
        }
    }

    /// One pass of the keeper: persist idle sessions, then evict the least
    /// recently used warm ones beyond the count and memory budgets.
    async fn keep(&self) {
        let mut warm = Vec::new();
        for (session, slot_ref) in self.sessions.all() {
            // A busy session is in use: not idle, and not to be evicted now.
            let Ok(slot) = slot_ref.try_lock() else { continue };
            if slot.warm_on.is_some() {
                warm.push((slot.last_used, slot.heap_used, session, slot_ref.clone()));
            }
        }
        warm.sort_by_key(|(last_used, ..)| *last_used);
        let mut count = warm.len();
        let mut bytes: usize = warm.iter().map(|(_, used, ..)| used).sum();
        for (last_used, used, session, slot_ref) in warm {
            let idle = last_used.is_none_or(|t| t.elapsed() >= self.config.idle_after);
            let over = count > self.config.warm_max_sessions || bytes > self.config.warm_max_bytes;
            if !idle && !over {
                continue;
            }
            let Ok(mut slot) = slot_ref.try_lock() else { continue };
            match self.persist_slot(&session, &mut slot).await {
                Ok(_) => {
                    count -= 1;
                    bytes = bytes.saturating_sub(used);
                }
                Err(error) => tracing::error!(%session, %error, "could not persist a warm session"),
            }
        }
    }

    // ------------------------------------------------------------ queries

    pub fn list_sessions(&self) -> Result<Vec<SessionSummary>, RuntimeError> {
        let heads: Vec<SessionHead> = self.meta()?.sessions()?;
        let mut out: Vec<SessionSummary> = heads
            .into_iter()
            .map(|head| {
                let (warm, unpersisted) = self.warm_state(&head.session);
                SessionSummary {
                    session: head.session,
                    heap: head.heap,
                    runs: head.runs,
                    updated_at_ms: head.updated_at_ms,
                    warm,
                    unpersisted_runs: unpersisted,
                }
            })
            .collect();
        out.sort_by_key(|s| std::cmp::Reverse(s.updated_at_ms));
        Ok(out)
    }

    fn warm_state(&self, session: &SessionName) -> (bool, usize) {
        let slot_ref = self.sessions.slots.lock().get(session).cloned();
        match slot_ref.as_ref().and_then(|s| s.try_lock().ok()) {
            Some(slot) => (slot.warm_on.is_some(), slot.pending.len()),
            // Busy: a run is using it right now.
            None => (slot_ref.is_some(), 0),
        }
    }

    pub fn session_log(&self, session: &SessionName, after_seq: u64, limit: usize) -> Result<Vec<SessionLogEntry>, RuntimeError> {
        self.meta()?.log(session, after_seq, limit)
    }
}

/// Runs the keeper every 200 ms while the engine lives.
pub(super) fn spawn_keeper(engine: Weak<Engine>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(200));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let Some(engine) = engine.upgrade() else { return };
            engine.keep().await;
        }
    });
}
