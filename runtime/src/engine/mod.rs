//! The engine: accepts runs, queues them under the concurrency cap, sends
//! them to V8 workers, and keeps sessions, heaps and execution records.
//!
//! **Invariants:**
//! - A session's runs are strictly sequential: its lock is held from
//!   choosing the isolate to recording the outcome.
//! - A heap hash reported to a caller was written to the store first, so it
//!   is always loadable. Under `idle` a run reports `heap_pending` instead
//!   and its record gets the hash once the snapshot is persisted.
//! - `shutdown` persists every warm session before it returns: a clean stop
//!   loses nothing.

mod execution;
mod sessions;
mod worker;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sha2::{Digest, Sha256};
use tokio::sync::{Semaphore, oneshot};

pub use execution::{Execution, ExecutionInfo, ExecutionStatus, Outcome};
pub use sessions::SessionSummary;

use crate::error::{JsErrorInfo, RuntimeError};
use crate::ids::{ExecutionId, HeapHash, SessionName};
use crate::isolate::{RunEnd, StopReason};
use crate::meta::{Meta, SessionLogEntry, Tags, now_ms};
use crate::output::{OutputPage, OutputQuery};
use crate::store::{HeapStore, load_checked};
use crate::transform::{PrepareError, Prepared, prepare};
use execution::Registry;
use sessions::Sessions;
use worker::{After, Job, RunJob, RunReply, Source, WorkerConfig, WorkerHandle};

/// When a session's heap is written to the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapshotPolicy {
    /// Before the run's reply: every reported heap is durable at once.
    EveryRun,
    /// When the session goes idle, is evicted, or the server stops; runs in
    /// between reuse the warm isolate.
    Idle,
}

#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Stateful (snapshots, sessions) or stateless.
    pub stateful: bool,
    /// Runs executing at once, each on its own V8 thread; more wait as `queued`.
    pub max_concurrent: usize,
    pub default_heap_bytes: usize,
    /// The most a run may ask for.
    pub max_heap_bytes: usize,
    pub default_timeout: Duration,
    pub max_timeout: Duration,
    /// Cap on captured console output and on the size of a result, per run.
    pub output_cap: usize,
    pub snapshot_policy: SnapshotPolicy,
    /// Under `idle`: a warm session untouched this long is persisted.
    pub idle_after: Duration,
    /// Warm sessions kept at most, and V8 heap bytes they may use together.
    pub warm_max_sessions: usize,
    pub warm_max_bytes: usize,
    /// Spare stateless isolates per worker.
    pub spares_per_worker: usize,
    /// Finished execution records kept.
    pub executions_retained: usize,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            stateful: true,
            max_concurrent: 16,
            default_heap_bytes: 64 << 20,
            max_heap_bytes: 1 << 30,
            default_timeout: Duration::from_secs(30),
            max_timeout: Duration::from_secs(600),
            output_cap: 1 << 20,
            snapshot_policy: SnapshotPolicy::EveryRun,
            idle_after: Duration::from_secs(5),
            warm_max_sessions: 256,
            warm_max_bytes: 2 << 30,
            spares_per_worker: 1,
            executions_retained: 10_000,
        }
    }
}

/// One request to run code.
#[derive(Debug, Clone, Default)]
pub struct RunRequest {
    pub code: String,
    pub heap: Option<HeapHash>,
    pub session: Option<SessionName>,
    pub heap_max_bytes: Option<usize>,
    pub timeout: Option<Duration>,
    pub tags: Option<Tags>,
}

pub struct Engine {
    config: EngineConfig,
    workers: Vec<WorkerHandle>,
    registry: Registry,
    permits: Arc<Semaphore>,
    store: Option<Arc<dyn HeapStore>>,
    meta: Option<Meta>,
    sessions: Sessions,
    closing: AtomicBool,
}

impl Engine {
    /// Starts the workers (and, in stateful mode, the session keeper).
    /// Must be called inside a multi-thread tokio runtime.
    pub fn start(config: EngineConfig, store: Option<(Arc<dyn HeapStore>, Meta)>) -> Result<Arc<Self>, RuntimeError> {
        if config.stateful && store.is_none() {
            return Err(RuntimeError::InvalidRequest("stateful mode needs a heap store".into()));
        }
        let base = crate::isolate::base_snapshot();
        let workers = (0..config.max_concurrent.max(1))
            .map(|index| {
                worker::spawn(index, WorkerConfig {
                    base,
                    default_heap_limit: config.default_heap_bytes,
                    spares: if config.stateful { 0 } else { config.spares_per_worker },
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let (store, meta) = match store {
            Some((store, meta)) => (Some(store), Some(meta)),
            None => (None, None),
        };
        let engine = Arc::new(Self {
            registry: Registry::new(config.executions_retained),
            permits: Arc::new(Semaphore::new(config.max_concurrent.max(1))),
            sessions: Sessions::default(),
            closing: AtomicBool::new(false),
            workers,
            store,
            meta,
            config,
        });
        if engine.config.stateful && engine.config.snapshot_policy == SnapshotPolicy::Idle {
            sessions::spawn_keeper(Arc::downgrade(&engine));
        }
        Ok(engine)
    }

    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    pub fn is_stateful(&self) -> bool {
        self.config.stateful
    }

    /// True once `shutdown` began: new runs are refused.
    pub fn is_closing(&self) -> bool {
        self.closing.load(Ordering::SeqCst)
    }

    /// Accepts a run and returns its record at once (`queued`, or `failed`
    /// for code that does not parse). The run proceeds in the background.
    pub fn submit(self: &Arc<Self>, request: RunRequest) -> Result<Arc<Execution>, RuntimeError> {
        if self.closing.load(Ordering::SeqCst) {
            return Err(RuntimeError::Unavailable("the server is shutting down".into()));
        }
        if !self.config.stateful && (request.heap.is_some() || request.session.is_some() || request.tags.is_some()) {
            return Err(RuntimeError::InvalidRequest(
                "heap, session and tags need stateful mode; this server runs with --stateless".into(),
            ));
        }
        let heap_bytes = request.heap_max_bytes.unwrap_or(self.config.default_heap_bytes);
        if heap_bytes < (8 << 20) || heap_bytes > self.config.max_heap_bytes {
            return Err(RuntimeError::InvalidRequest(format!(
                "heap_memory_max_mb must be between 8 and {}",
                self.config.max_heap_bytes >> 20
            )));
        }
        let timeout = request.timeout.unwrap_or(self.config.default_timeout);
        if timeout.is_zero() || timeout > self.config.max_timeout {
            return Err(RuntimeError::InvalidRequest(format!(
                "execution_timeout_secs must be between 1 and {}",
                self.config.max_timeout.as_secs()
            )));
        }
        let code_hash = hex::encode(Sha256::digest(request.code.as_bytes()));
        let execution = Arc::new(Execution::new(
            request.session.clone(),
            request.heap.clone(),
            code_hash,
            self.config.output_cap,
        ));
        self.registry.insert(execution.clone());
        match prepare(&request.code) {
            Ok(prepared) => {
                let engine = self.clone();
                let exec = execution.clone();
                tokio::spawn(async move { engine.drive(exec, request, prepared, heap_bytes, timeout).await });
            }
            Err(PrepareError { message, line, column }) => {
                let error = JsErrorInfo { name: "SyntaxError".into(), message, stack: None, line, column };
                execution.finish(ExecutionStatus::Failed, Outcome { error: Some(error), ..Default::default() });
            }
        }
        Ok(execution)
    }

    pub fn get(&self, id: &ExecutionId) -> Option<Arc<Execution>> {
        self.registry.get(id)
    }

    pub fn output(&self, id: &ExecutionId, query: OutputQuery) -> Option<OutputPage> {
        self.registry.get(id).map(|e| e.output.page(query))
    }

    pub fn list(&self, status: Option<ExecutionStatus>, session: Option<&SessionName>, limit: usize) -> Vec<ExecutionInfo> {
        self.registry.list(status, session, limit).iter().map(|e| e.info()).collect()
    }

    /// Cancels a queued or running execution. Returns its status afterwards,
    /// or `None` for an unknown id.
    pub fn cancel(&self, id: &ExecutionId) -> Option<ExecutionStatus> {
        let execution = self.registry.get(id)?;
        if !execution.status().is_final() {
            execution.stopper.stop(StopReason::Cancelled);
            if execution.status() == ExecutionStatus::Queued {
                execution.finish(ExecutionStatus::Cancelled, Outcome::default());
            }
        }
        Some(execution.status())
    }

    async fn drive(self: Arc<Self>, exec: Arc<Execution>, request: RunRequest, prepared: Prepared, heap_bytes: usize, timeout: Duration) {
        let Ok(_permit) = self.permits.clone().acquire_owned().await else { return };
        if exec.status().is_final() {
            return; // cancelled while queued
        }
        let result = if !self.config.stateful {
            self.run_on(&exec, self.least_loaded(), Source::Stateless, After::Discard, None, prepared, heap_bytes, timeout)
                .await
                .map(|reply| self.outcome(reply.end, timeout))
        } else if let Some(session) = request.session.clone() {
            self.drive_session(&exec, session, request, prepared, heap_bytes, timeout).await
        } else {
            self.drive_heap(&exec, request, prepared, heap_bytes, timeout).await
        };
        match result {
            Ok((status, outcome)) => exec.finish(status, outcome),
            Err(error) => exec.finish(ExecutionStatus::Failed, Outcome {
                error: Some(JsErrorInfo::plain(if error.is_retryable() { "ServiceUnavailable" } else { "Error" }, error.to_string())),
                ..Default::default()
            }),
        }
    }

    /// A stateful run without a session: from a named heap (or a new one),
    /// snapshotted at once.
    async fn drive_heap(
        &self,
        exec: &Arc<Execution>,
        request: RunRequest,
        prepared: Prepared,
        heap_bytes: usize,
        timeout: Duration,
    ) -> Result<(ExecutionStatus, Outcome), RuntimeError> {
        let bytes = match &request.heap {
            Some(hash) => Some(load_checked(self.store()?, hash).await?),
            None => None,
        };
        let reply = self
            .run_on(exec, self.least_loaded(), Source::Load(bytes), After::Snapshot, None, prepared, heap_bytes, timeout)
            .await?;
        let snapshot = reply.snapshot;
        let (status, mut outcome) = self.outcome(reply.end, timeout);
        if let Some(bytes) = snapshot {
            let hash = self.persist(bytes).await?;
            if let Some(tags) = request.tags.filter(|t| !t.is_empty()) {
                self.meta()?.set_tags(hash.clone(), tags).await?;
            }
            outcome.heap = Some(hash);
        }
        Ok((status, outcome))
    }

    #[allow(clippy::too_many_arguments)] // one call site; a struct would only rename them
    async fn run_on(
        &self,
        exec: &Arc<Execution>,
        worker: &WorkerHandle,
        source: Source,
        after: After,
        session: Option<SessionName>,
        prepared: Prepared,
        heap_limit_bytes: usize,
        timeout: Duration,
    ) -> Result<RunReply, RuntimeError> {
        let (started_tx, started_rx) = oneshot::channel();
        let (reply_tx, reply_rx) = oneshot::channel();
        worker.send(Job::Run(Box::new(RunJob {
            session,
            source,
            after,
            prepared,
            heap_limit_bytes,
            output: exec.output.clone(),
            stopper: exec.stopper.clone(),
            started: started_tx,
            reply: reply_tx,
        })))?;
        let timer = if started_rx.await.is_ok() {
            exec.set_running();
            let stopper = exec.stopper.clone();
            Some(tokio::spawn(async move {
                tokio::time::sleep(timeout).await;
                stopper.stop(StopReason::Timeout);
            }))
        } else {
            None
        };
        let reply = reply_rx.await.map_err(|_| RuntimeError::Unavailable(format!("V8 worker {} stopped", worker.index)));
        if let Some(timer) = timer {
            timer.abort();
        }
        reply?
    }

    /// Maps how a run ended onto a status and outcome.
    fn outcome(&self, end: RunEnd, timeout: Duration) -> (ExecutionStatus, Outcome) {
        match end {
            RunEnd::Completed(json) => {
                let size = json.as_ref().map_or(0, String::len);
                if size > self.config.output_cap {
                    let error = JsErrorInfo::plain(
                        "RangeError",
                        format!(
                            "result too large: {size} bytes (the cap is {}); return less, or log it and page through the output",
                            self.config.output_cap
                        ),
                    );
                    return (ExecutionStatus::Failed, Outcome { error: Some(error), ..Default::default() });
                }
                let result = json.map(|text| serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)));
                (ExecutionStatus::Completed, Outcome { result, ..Default::default() })
            }
            RunEnd::Threw(error) => (ExecutionStatus::Failed, Outcome { error: Some(error), ..Default::default() }),
            RunEnd::Stopped(StopReason::Timeout) => {
                let error = JsErrorInfo::plain("TimeoutError", format!("execution timed out after {:.1} s", timeout.as_secs_f64()));
                (ExecutionStatus::TimedOut, Outcome { error: Some(error), ..Default::default() })
            }
            RunEnd::Stopped(StopReason::Cancelled) => (ExecutionStatus::Cancelled, Outcome {
                error: Some(JsErrorInfo::plain("AbortError", "execution cancelled".into())),
                ..Default::default()
            }),
            RunEnd::Stopped(StopReason::HeapLimit) => {
                let error = JsErrorInfo::plain("RangeError", "heap limit exceeded: the run used more memory than heap_memory_max_mb allows".into());
                (ExecutionStatus::Failed, Outcome { error: Some(error), ..Default::default() })
            }
        }
    }

    fn least_loaded(&self) -> &WorkerHandle {
        self.workers.iter().min_by_key(|w| w.load()).expect("at least one worker")
    }

    fn store(&self) -> Result<&dyn HeapStore, RuntimeError> {
        self.store.as_deref().ok_or_else(|| RuntimeError::InvalidRequest("no heap store in stateless mode".into()))
    }

    fn meta(&self) -> Result<&Meta, RuntimeError> {
        self.meta.as_ref().ok_or_else(|| RuntimeError::InvalidRequest("no metadata in stateless mode".into()))
    }

    async fn persist(&self, bytes: Box<[u8]>) -> Result<HeapHash, RuntimeError> {
        let bytes: Arc<[u8]> = Arc::from(bytes);
        let hash = HeapHash::of(&bytes);
        self.store()?.put(&hash, bytes).await?;
        Ok(hash)
    }

    // ---------------------------------------------------------------- tags

    pub fn heap_tags(&self, heap: &HeapHash) -> Result<Tags, RuntimeError> {
        self.meta()?.tags(heap)
    }

    pub async fn set_heap_tags(&self, heap: HeapHash, tags: Tags) -> Result<Tags, RuntimeError> {
        self.require_heap(&heap).await?;
        self.meta()?.set_tags(heap.clone(), tags).await?;
        self.meta()?.tags(&heap)
    }

    pub async fn delete_heap_tags(&self, heap: HeapHash, keys: Option<Vec<String>>) -> Result<Tags, RuntimeError> {
        self.meta()?.delete_tags(heap.clone(), keys).await?;
        self.meta()?.tags(&heap)
    }

    pub fn query_heaps(&self, filter: &Tags) -> Result<Vec<(HeapHash, Tags)>, RuntimeError> {
        self.meta()?.query_tags(filter)
    }

    async fn require_heap(&self, heap: &HeapHash) -> Result<(), RuntimeError> {
        match self.store()?.get(heap).await? {
            Some(_) => Ok(()),
            None => Err(RuntimeError::HeapNotFound(heap.to_string())),
        }
    }

    /// Stops accepting runs, lets running ones finish (up to `grace`, then
    /// cancels them) and persists every warm session.
    pub async fn shutdown(&self, grace: Duration) {
        self.closing.store(true, Ordering::SeqCst);
        let deadline = tokio::time::Instant::now() + grace;
        while self.registry.running() > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        for exec in self.registry.list(None, None, usize::MAX) {
            if !exec.status().is_final() {
                exec.stopper.stop(StopReason::Cancelled);
            }
        }
        if self.config.stateful {
            self.persist_all_warm().await;
        }
    }
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

#[cfg(test)]
mod tests;
