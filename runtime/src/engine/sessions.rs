//! Sessions: which heap a session is at, whether its isolate is warm on a
//! worker, the write-behind that persists warm isolates, and what a run does
//! to its session.
//!
//! **Invariants:**
//! - A slot's async mutex is held by whoever uses or changes the session's
//!   isolate: a run (from before it is admitted to its recorded outcome), a
//!   persist, an eviction, a drop. Never a sync lock across await.
//! - `pending` lists the runs whose heap lives only in the warm isolate;
//!   it is empty whenever the session is not warm.
//! - Under `idle`, a warm run's log entry waits in memory (`Sessions::unlogged`)
//!   and is committed with the heap it reached when the isolate is
//!   persisted, or as lost (no heap) when the isolate goes: the log is as
//!   durable as the heap, and a warm run costs no metadata commit. Queries
//!   merge those entries in; an entry leaves memory only once committed.
//! - `head` moves only when a run completed and its heap was kept. A failed
//!   run's heap is stored and reported, but the session stays where it was;
//!   under `idle` it goes back to its last persisted heap (the warm isolate
//!   holds the failed run's changes), and the reply says which runs were
//!   lost with it.
//! - A slot leaves memory when no run uses it and it is not warm; it is
//!   read again from the metadata when next used.

use std::collections::HashMap;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use parking_lot::Mutex;
use serde::Serialize;

use super::execution::{Execution, ExecutionStatus, Outcome};
use super::outcome::{self, RunResult};
use super::worker::{After, Job, Kept, Source};
use super::{Accepted, Engine, SnapshotPolicy};
use crate::error::RuntimeError;
use crate::ids::{HeapHash, SessionName};
use crate::meta::{Batch, SessionHead, SessionLogEntry, Tags, now_ms};
use crate::owner::{Caller, SessionKey};
use crate::store::load_checked;

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
    slots: Mutex<HashMap<SessionKey, SlotRef>>,
    /// Log entries of warm runs not committed yet, by session. Changed only
    /// by the holder of the session's slot; read by queries without it.
    unlogged: Mutex<HashMap<SessionKey, Unlogged>>,
}

#[derive(Clone)]
struct Unlogged {
    entries: Vec<SessionLogEntry>,
    ephemeral: bool,
}

impl Sessions {
    fn slot(&self, session: &SessionKey) -> SlotRef {
        self.slots.lock().entry(session.clone()).or_default().clone()
    }

    pub(super) fn all(&self) -> Vec<(SessionKey, SlotRef)> {
        self.slots.lock().iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// Lets a slot go once nobody uses it and its isolate is not warm.
    /// `slot` is the caller's own reference, given back here.
    pub(super) fn release(&self, session: &SessionKey, slot: SlotRef) {
        let mut slots = self.slots.lock();
        // The map's reference and the caller's: nobody else waits on it, and
        // nobody can take a new one while the map is locked.
        if Arc::strong_count(&slot) == 2
            && let Ok(guard) = slot.try_lock()
            && guard.warm_on.is_none()
        {
            drop(guard);
            slots.remove(session);
        }
    }

    pub(super) fn remove(&self, session: &SessionKey) {
        self.slots.lock().remove(session);
    }

    pub(super) fn len(&self) -> usize {
        self.slots.lock().len()
    }

    fn log_later(&self, session: &SessionKey, entry: SessionLogEntry, ephemeral: bool) {
        let mut unlogged = self.unlogged.lock();
        let runs = unlogged.entry(session.clone()).or_insert_with(|| Unlogged { entries: Vec::new(), ephemeral });
        runs.entries.push(entry);
    }

    fn unlogged(&self, session: &SessionKey) -> Option<Unlogged> {
        self.unlogged.lock().get(session).cloned()
    }

    fn forget_unlogged(&self, session: &SessionKey) {
        self.unlogged.lock().remove(session);
    }
}

/// A session as `list_sessions` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SessionSummary {
    pub session: SessionName,
    /// The heap of the latest completed run, persisted.
    pub heap: Option<HeapHash>,
    pub runs: u64,
    pub updated_at_ms: u64,
    /// True for a connection's implicit session (dropped after it ends).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ephemeral: bool,
    /// True while the session's isolate is in memory.
    pub warm: bool,
    /// Runs whose heap is not persisted yet.
    pub unpersisted_runs: usize,
}

fn log_entry(exec: &Execution, seq: u64, status: ExecutionStatus, output_heap: Option<HeapHash>) -> SessionLogEntry {
    SessionLogEntry {
        seq,
        execution_id: exec.id,
        input_heap: exec.input_heap.lock().clone(),
        output_heap,
        code_hash: exec.code_hash.clone(),
        status: status.as_str().to_owned(),
        started_at_ms: exec.created_at_ms(),
        finished_at_ms: now_ms(),
    }
}

/// Where a failed run left its session, for the error message.
fn session_note(head: Option<&HeapHash>, lost: usize, failed_heap: Option<&HeapHash>) -> String {
    let mut note = match (head, lost) {
        (Some(head), 0) => format!("the session stays at heap {head}"),
        (Some(head), n) => format!("the session went back to heap {head}, losing {n} unpersisted run(s)"),
        (None, 0) => "the session stays empty".to_owned(),
        (None, n) => format!("the session went back to empty, losing {n} unpersisted run(s)"),
    };
    if let Some(heap) = failed_heap {
        note.push_str(&format!("; this run's heap is {heap}: pass it as `heap` to resume from it on purpose"));
    }
    note
}

impl Engine {
    pub(super) async fn drive_session(&self, run: &Accepted) -> Result<(ExecutionStatus, Outcome), Option<RuntimeError>> {
        let key = run.request.session.clone().expect("a session run has a session");
        let slot_ref = self.sessions.slot(&key);
        let result = async {
            // The session first, then a permit: runs queued behind a busy
            // session hold no permit.
            let mut slot = Self::unless_stopped(&run.exec, async { Ok(slot_ref.lock().await) }).await?;
            let _admission = Self::unless_stopped(&run.exec, self.scheduler.admit(&run.principal, run.budget)).await?;
            self.run_in_session(run, &key, &mut slot).await
        }
        .await;
        self.sessions.release(&key, slot_ref);
        result.map(RunResult::into_status)
    }

    async fn run_in_session(&self, run: &Accepted, key: &SessionKey, slot: &mut Slot) -> Result<RunResult, Option<RuntimeError>> {
        let exec = &run.exec;
        self.load_slot(key, slot).map_err(Some)?;
        // An explicit heap restarts the session from it; what the warm
        // isolate held is persisted first so the log stays complete.
        if run.request.heap.is_some() && slot.warm_on.is_some() {
            self.persist_slot(key, slot).await.map_err(Some)?;
        }
        let store = self.store().map_err(Some)?;
        let (worker, source) = match (&run.request.heap, slot.warm_on) {
            (Some(hash), _) => {
                *exec.input_heap.lock() = Some(hash.clone());
                let bytes = load_checked(store, &self.dictionaries, hash).await.map_err(Some)?;
                (self.least_loaded(), Source::Load(Some(bytes)))
            }
            (None, Some(index)) => {
                *exec.input_heap.lock() = if slot.pending.is_empty() { slot.head.clone() } else { None };
                (&self.workers[index], Source::Warm)
            }
            (None, None) => {
                *exec.input_heap.lock() = slot.head.clone();
                let bytes = match &slot.head {
                    Some(hash) => Some(load_checked(store, &self.dictionaries, hash).await.map_err(Some)?),
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
        let reply = match self.run_on(exec, worker, source, after, Some(key.clone()), run).await {
            Ok(reply) => reply,
            Err(error) => {
                // The worker may have lost the warm isolate with the job.
                self.lose_pending_reporting(key, slot).await;
                return Err(Some(error));
            }
        };
        slot.last_used = Some(Instant::now());
        slot.heap_used = reply.usage.total();
        let seq = slot.next_seq;
        slot.next_seq += 1;
        let mut result = outcome::of_reply(&reply, run, &self.config);
        let tags = run.request.tags.clone().filter(|t| !t.is_empty());
        let status = result.status;
        match reply.kept {
            Kept::Warm => {
                slot.warm_on = Some(worker_index);
                slot.pending.push((seq, exec.clone()));
                slot.pending_tags.extend(tags.unwrap_or_default());
                self.sessions.log_later(key, log_entry(exec, seq, status, None), run.ephemeral);
                result.outcome.heap_pending = true;
            }
            Kept::Heap(bytes) => {
                // The warm isolate (if there was one) was consumed.
                let lost = self.lose_pending(key, slot).await.map_err(Some)?;
                let moves = result.completed();
                let hash = self
                    .persist(bytes, &key.owner, tags, |hash| {
                        let entry = log_entry(exec, seq, status, Some(hash.clone()));
                        Batch::default().runs(key.clone(), vec![entry], moves.then(|| hash.clone()), run.ephemeral)
                    })
                    .await
                    .map_err(Some)?;
                if moves {
                    slot.head = Some(hash.clone());
                } else {
                    result.explain(&session_note(slot.head.as_ref(), lost, Some(&hash)));
                }
                result.outcome.heap = Some(hash);
            }
            Kept::Nothing | Kept::Refused(_) => {
                // Logged with the runs the warm isolate took with it, if any.
                self.sessions.log_later(key, log_entry(exec, seq, status, None), run.ephemeral);
                let lost = self.lose_pending(key, slot).await.map_err(Some)?;
                result.explain(&session_note(slot.head.as_ref(), lost, None));
            }
        }
        Ok(result)
    }

    /// The warm isolate is gone: its unpersisted runs are lost, and logged
    /// without a heap (with whatever else waits to be logged). Returns how
    /// many runs were lost.
    async fn lose_pending(&self, session: &SessionKey, slot: &mut Slot) -> Result<usize, RuntimeError> {
        slot.warm_on = None;
        slot.pending_tags.clear();
        let lost = std::mem::take(&mut slot.pending);
        for (_, exec) in &lost {
            exec.lose_heap();
        }
        if let Some(Unlogged { entries, ephemeral }) = self.sessions.unlogged(session) {
            self.meta()?.record_runs(session.clone(), entries, None, ephemeral).await?;
            self.sessions.forget_unlogged(session);
        }
        Ok(lost.len())
    }

    /// [`Self::lose_pending`] on a path that reports another error: a
    /// failure to log is logged here.
    async fn lose_pending_reporting(&self, session: &SessionKey, slot: &mut Slot) {
        if let Err(error) = self.lose_pending(session, slot).await {
            tracing::error!(%session, %error, "cannot log the runs lost with a warm isolate");
        }
    }

    /// Reads a session's head from the metadata the first time it is used.
    fn load_slot(&self, session: &SessionKey, slot: &mut Slot) -> Result<(), RuntimeError> {
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
    async fn persist_slot(&self, session: &SessionKey, slot: &mut Slot) -> Result<Option<HeapHash>, RuntimeError> {
        let Some(index) = slot.warm_on.take() else { return Ok(None) };
        let (tx, rx) = tokio::sync::oneshot::channel();
        let sent = self.workers[index].send(Job::Snapshot {
            session: session.clone(),
            max_snapshot_bytes: self.config.max_snapshot_bytes,
            reply: tx,
        });
        if let Err(error) = sent {
            self.lose_pending_reporting(session, slot).await;
            return Err(error);
        }
        let bytes = match rx.await.map_err(|_| RuntimeError::Unavailable("V8 worker stopped".into())) {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(error)) | Err(error) => {
                self.lose_pending_reporting(session, slot).await;
                return Err(error);
            }
        };
        let tags = std::mem::take(&mut slot.pending_tags);
        let unlogged = self.sessions.unlogged(session);
        let persisted = self
            .persist(bytes, &session.owner, Some(tags), |hash| {
                let (mut entries, ephemeral) = unlogged.map_or((Vec::new(), false), |u| (u.entries, u.ephemeral));
                for entry in &mut entries {
                    entry.output_heap = Some(hash.clone());
                }
                Batch::default().runs(session.clone(), entries, Some(hash.clone()), ephemeral)
            })
            .await;
        let hash = match persisted {
            Ok(hash) => hash,
            Err(error) => {
                self.lose_pending_reporting(session, slot).await;
                return Err(error);
            }
        };
        self.sessions.forget_unlogged(session);
        let pending = std::mem::take(&mut slot.pending);
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
            drop(slot);
            self.sessions.release(&session, slot_ref);
        }
    }

    /// Drops a session: its warm isolate (unpersisted runs are lost), its
    /// slot, its head and log. Skipped (false) while a run uses it.
    pub(super) async fn drop_session(&self, session: &SessionKey) -> Result<bool, RuntimeError> {
        let slot_ref = self.sessions.slots.lock().get(session).cloned();
        if let Some(slot_ref) = &slot_ref {
            let Ok(mut slot) = slot_ref.try_lock() else { return Ok(false) };
            if let Some(index) = slot.warm_on {
                let _ = self.workers[index].send(Job::Discard { session: session.clone() });
            }
            slot.warm_on = None;
            for (_, exec) in std::mem::take(&mut slot.pending) {
                exec.lose_heap();
            }
            self.sessions.forget_unlogged(session);
            self.sessions.remove(session);
        }
        self.meta()?.drop_session(session.clone()).await?;
        Ok(true)
    }

    // ------------------------------------------------------------ queries

    /// The sessions the caller may see, most recently used first.
    pub fn list_sessions(&self, caller: &Caller) -> Result<Vec<SessionSummary>, RuntimeError> {
        let owners = [&caller.tenant, &caller.principal];
        // Memory first, then the metadata: a run committed in between is in
        // the metadata, and one in both counts once.
        let unlogged: Vec<(SessionKey, Unlogged)> = {
            let unlogged = self.sessions.unlogged.lock();
            unlogged.iter().filter(|(key, _)| owners.contains(&&key.owner)).map(|(k, u)| (k.clone(), u.clone())).collect()
        };
        let mut heads: HashMap<SessionKey, SessionHead> = self.meta()?.sessions(&owners)?.into_iter().collect();
        let mut unpersisted = HashMap::new();
        for (key, runs) in unlogged {
            let head = heads.entry(key.clone()).or_insert_with(|| SessionHead {
                session: key.name.clone(),
                heap: None,
                runs: 0,
                updated_at_ms: 0,
                ephemeral: runs.ephemeral,
            });
            for entry in &runs.entries {
                head.runs = head.runs.max(entry.seq + 1);
                head.updated_at_ms = head.updated_at_ms.max(entry.finished_at_ms);
            }
            unpersisted.insert(key, runs.entries.len());
        }
        let mut out: Vec<SessionSummary> = heads
            .into_iter()
            .map(|(key, head)| SessionSummary {
                warm: self.is_warm(&key),
                unpersisted_runs: unpersisted.get(&key).copied().unwrap_or(0),
                session: head.session,
                heap: head.heap,
                runs: head.runs,
                updated_at_ms: head.updated_at_ms,
                ephemeral: head.ephemeral,
            })
            .collect();
        out.sort_by_key(|s| std::cmp::Reverse(s.updated_at_ms));
        Ok(out)
    }

    fn is_warm(&self, session: &SessionKey) -> bool {
        let slot_ref = self.sessions.slots.lock().get(session).cloned();
        match slot_ref.as_ref().map(|s| s.try_lock()) {
            Some(Ok(slot)) => slot.warm_on.is_some(),
            // Busy: a run is using it right now.
            Some(Err(_)) => true,
            None => false,
        }
    }

    /// A session's log, oldest first; not found unless the caller may see
    /// the session and it has run.
    pub fn session_log(&self, caller: &Caller, name: &str, after_seq: u64, limit: usize) -> Result<(SessionName, Vec<SessionLogEntry>), RuntimeError> {
        let key = caller.session(name)?;
        // Memory first, then the metadata (as `list_sessions`).
        let unlogged = self.sessions.unlogged(&key);
        let meta = self.meta()?;
        if meta.head(&key)?.is_none() && unlogged.is_none() {
            return Err(RuntimeError::NotFound(format!("session '{name}' not found")));
        }
        let mut log = meta.log(&key, after_seq, limit)?;
        if let Some(unlogged) = unlogged {
            let logged: std::collections::HashSet<u64> = log.iter().map(|entry| entry.seq).collect();
            log.extend(unlogged.entries.into_iter().filter(|entry| entry.seq >= after_seq && !logged.contains(&entry.seq)));
            log.sort_by_key(|entry| entry.seq);
            log.truncate(limit);
        }
        Ok((key.name.clone(), log))
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
