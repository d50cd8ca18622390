//! The engine: accepts runs, admits them under the concurrency and memory
//! limits, sends them to V8 workers, and keeps sessions, heaps and
//! execution records, each with its owner.
//!
//! **Invariants:**
//! - A session's runs are strictly sequential: its lock is held from
//!   before admission to recording the outcome.
//! - A session moves only on a run that completed: a run that throws, times
//!   out, is cancelled, hits a limit or leaves a heap that cannot be kept
//!   leaves the session where it was (its heap, when one could be taken, is
//!   stored and reported so it can be resumed on purpose).
//! - A heap hash reported to a caller was written to the store first, so it
//!   is loadable (until the sweep collects it: see `lifecycle.rs`). Under
//!   `idle` a run reports `heap_pending` instead and its record gets the
//!   hash once the snapshot is persisted.
//! - Every query filters by the caller (`owner.rs`): what a caller may not
//!   see is "not found".
//! - `shutdown` persists every warm session before it returns: a clean stop
//!   loses nothing.

mod dictionary;
mod execution;
mod lifecycle;
mod outcome;
mod queries;
mod schedule;
mod sessions;
mod worker;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use tokio::sync::oneshot;
use tracing::Instrument;

pub use execution::{Execution, ExecutionInfo, ExecutionStatus, Outcome};
pub use lifecycle::SweepReport;
pub use queries::CancelOutcome;
pub use sessions::SessionSummary;

use crate::capability::Decider;
use crate::context::{FetchSetup, RunContext};
use crate::error::{JsErrorInfo, RuntimeError};
use crate::ids::HeapHash;
use crate::isolate::StopReason;
use crate::memory::CHECK_INTERVAL;
use crate::metrics::{Counted, Metrics, Mode, Phase};
use crate::meta::{Batch, Meta, Tags};
use crate::owner::{Caller, Owner, SessionKey};
use crate::store::{Dictionaries, Dictionary, HeapStore, load_checked, pack};
use crate::transform::{PrepareError, Prepared, prepare};
use execution::Registry;
use schedule::Scheduler;
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

/// The engine's settings. The gateway's configuration documents each one
/// for users and fills them in; [`Default`] holds the defaults.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Stateful (snapshots, sessions) or stateless.
    pub stateful: bool,
    /// Runs executing at once, each on its own V8 thread; more wait as `queued`.
    pub max_concurrent: usize,
    /// Runs one principal may have executing at once.
    pub max_concurrent_per_principal: usize,
    /// Runs one principal may have not finished (queued or running).
    pub max_queued_per_principal: usize,
    /// A run's memory budget when it asks for none.
    pub default_heap_bytes: usize,
    /// The largest budget a run may ask for.
    pub max_heap_bytes: usize,
    /// The memory all runs may use together.
    pub memory_max_bytes: usize,
    pub default_timeout: Duration,
    pub max_timeout: Duration,
    /// Cap on captured console output and on the size of a result, per run.
    pub output_cap: usize,
    /// The largest heap a session may keep.
    pub max_snapshot_bytes: usize,
    /// The most of one `fetch` response body a run reads.
    pub fetch_max_bytes: usize,
    pub snapshot_policy: SnapshotPolicy,
    /// Under `idle`: a warm session untouched this long is persisted.
    pub idle_after: Duration,
    /// Warm sessions kept at most, and V8 heap bytes they may use together.
    pub warm_max_sessions: usize,
    pub warm_max_bytes: usize,
    /// Spare stateless isolates per worker; a stateful engine keeps one
    /// fresh isolate per worker for new sessions instead (when not 0).
    pub spares_per_worker: usize,
    /// Finished execution records kept.
    pub executions_retained: usize,
    /// How long a connection's implicit session (and, without auth, what the
    /// connection owns) outlives the connection.
    pub connection_ttl: Duration,
    /// How long a heap no session or tag refers to is kept after it was
    /// written (so a caller can still resume from a reported hash).
    pub heap_retention: Duration,
    /// How often expired sessions and unreferenced heaps are collected.
    pub sweep_interval: Duration,
    /// A decision's span carries its input (credentials left out), not only
    /// the input's hash. Off by default: inputs may hold secrets.
    pub trace_policy_input: bool,
    /// Stateless runs of one principal a V8 isolate serves, each in a fresh
    /// context, before it is replaced (1: a fresh isolate for every run).
    pub isolate_reuse_runs: u32,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            stateful: true,
            max_concurrent: 8,
            max_concurrent_per_principal: 6,
            max_queued_per_principal: 1000,
            default_heap_bytes: 64 << 20,
            max_heap_bytes: 1 << 30,
            memory_max_bytes: crate::memory::default_process_budget(),
            default_timeout: Duration::from_secs(30),
            max_timeout: Duration::from_secs(600),
            output_cap: 1 << 20,
            max_snapshot_bytes: 256 << 20,
            fetch_max_bytes: 16 << 20,
            snapshot_policy: SnapshotPolicy::EveryRun,
            idle_after: Duration::from_secs(5),
            warm_max_sessions: 256,
            warm_max_bytes: 2 << 30,
            spares_per_worker: 1,
            executions_retained: 10_000,
            connection_ttl: Duration::from_secs(60),
            heap_retention: Duration::from_secs(3600),
            sweep_interval: Duration::from_secs(30),
            trace_policy_input: false,
            isolate_reuse_runs: 8,
        }
    }
}

/// What the engine holds, for tests and status reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EngineStats {
    /// Sessions with a slot in memory (in use, or warm).
    pub session_slots: usize,
    /// Execution records kept.
    pub executions: usize,
    /// The memory all runs may use together.
    pub memory_budget: usize,
    /// Runs waiting for a V8 thread.
    pub queued: usize,
    /// Runs on a V8 thread.
    pub running: usize,
    /// V8 threads (`--max-concurrent-executions`).
    pub threads: usize,
    /// Sessions whose isolate is kept warm (policy `idle`).
    pub warm_sessions: usize,
}

/// One request to run code, on behalf of a [`Caller`].
#[derive(Debug, Clone, Default)]
pub struct RunRequest {
    pub code: String,
    /// Start from this heap (it must be the caller's).
    pub heap: Option<HeapHash>,
    /// Run in this session (resolved for the caller by [`Caller::session`]).
    pub session: Option<SessionKey>,
    pub heap_max_bytes: Option<usize>,
    pub timeout: Option<Duration>,
    /// Tags for the heap the run produces.
    pub tags: Option<Tags>,
}

/// What the engine depends on, implemented outside the runtime (by the
/// gateway): where heaps and session metadata live, and who decides what
/// user code may reach.
pub struct EngineDeps {
    /// The heap store and the metadata (stateful mode only).
    pub store: Option<(Arc<dyn HeapStore>, Meta)>,
    /// Decides capability operations; [`crate::capability::DenyAll`] by default.
    pub decider: Arc<dyn Decider>,
    /// Adds the configured headers to `fetch` requests; none by default.
    pub fetch_headers: Arc<dyn crate::fetch::HeaderInjector>,
    /// WebAssembly modules every stateless run finds on its global object.
    pub wasm: Vec<crate::wasm::WasmPreload>,
    /// ES module imports: off, and nothing to fetch them with, by default.
    pub modules: crate::modules::ModuleSetup,
    /// Upstream MCP servers for `mcp.callTool`; none by default.
    pub host: Arc<dyn crate::host::Host>,
}

impl Default for EngineDeps {
    fn default() -> Self {
        Self {
            store: None,
            decider: crate::capability::deny_all(),
            fetch_headers: Arc::new(crate::fetch::NoHeaders),
            wasm: Vec::new(),
            modules: Default::default(),
            host: Arc::new(crate::host::NoUpstreams),
        }
    }
}

/// What a run needs once accepted.
struct Accepted {
    exec: Arc<Execution>,
    /// The run's place in its principal's queue, until it finishes.
    _ticket: schedule::Ticket,
    principal: Owner,
    claims: Option<Arc<serde_json::Value>>,
    ephemeral: bool,
    request: RunRequest,
    prepared: Prepared,
    budget: usize,
    timeout: Duration,
    /// The run's span (`run_js`), child of the caller's span at submission.
    span: tracing::Span,
    /// Open from submission until a V8 thread takes the run.
    queue: parking_lot::Mutex<Option<tracing::Span>>,
}

pub struct Engine {
    config: EngineConfig,
    workers: Vec<WorkerHandle>,
    registry: Registry,
    scheduler: Scheduler,
    store: Option<Arc<dyn HeapStore>>,
    meta: Option<Meta>,
    decider: Arc<dyn Decider>,
    metrics: Arc<Metrics>,
    fetch: Arc<FetchSetup>,
    modules: Arc<crate::modules::ModuleSetup>,
    host: Arc<dyn crate::host::Host>,
    wasm: Option<Arc<crate::wasm::WasmSet>>,
    sessions: Sessions,
    /// Persisting a heap and committing what refers to it hold this shared;
    /// the sweep holds it exclusively while it decides what to delete.
    heaps: tokio::sync::RwLock<()>,
    /// The dictionaries stored heaps were packed against, as they are met.
    dictionaries: Dictionaries,
    /// The one new heaps are packed against (see `dictionary.rs`).
    dictionary: tokio::sync::OnceCell<Arc<Dictionary>>,
    closing: AtomicBool,
}

impl Engine {
    /// Starts the workers (and, in stateful mode, the session keeper and the
    /// sweep). Must be called inside a multi-thread tokio runtime.
    pub fn start(config: EngineConfig, deps: EngineDeps) -> Result<Arc<Self>, RuntimeError> {
        let EngineDeps { store, decider, fetch_headers, wasm, modules, host } = deps;
        let metrics = Arc::new(Metrics::default());
        let decider: Arc<dyn Decider> =
            Arc::new(Counted { inner: decider, metrics: metrics.clone(), trace_input: config.trace_policy_input });
        let modules = Arc::new(modules);
        let fetch = Arc::new(FetchSetup { injector: fetch_headers, max_response_bytes: config.fetch_max_bytes });
        if config.stateful && store.is_none() {
            return Err(RuntimeError::InvalidRequest("stateful mode needs a heap store".into()));
        }
        crate::isolate::configure(config.max_heap_bytes);
        crate::web::install_crypto_provider();
        let base = crate::isolate::base_snapshot();
        let web_base = (!config.stateful).then(|| crate::isolate::web_base_snapshot(base));
        let wasm = if wasm.is_empty() {
            None
        } else if config.stateful {
            return Err(RuntimeError::InvalidRequest(
                "preloaded WebAssembly modules need stateless mode: V8 has no WebAssembly in isolates whose heap it can snapshot".into(),
            ));
        } else {
            let mut isolate = crate::isolate::Isolate::from_static(base, config.default_heap_bytes, false)?;
            Some(Arc::new(isolate.compile_wasm(&wasm)?))
        };
        let workers = (0..config.max_concurrent.max(1))
            .map(|index| {
                worker::spawn(index, WorkerConfig {
                    base,
                    default_heap_limit: config.default_heap_bytes,
                    spares: if config.stateful { 0 } else { config.spares_per_worker },
                    session_spare: config.stateful && config.spares_per_worker > 0,
                    wasm: wasm.clone(),
                    web_base,
                    reuse_runs: config.isolate_reuse_runs,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let (store, meta) = match store {
            Some((store, meta)) => (Some(store), Some(meta)),
            None => (None, None),
        };
        let engine = Arc::new(Self {
            registry: Registry::new(config.executions_retained),
            scheduler: Scheduler::new(
                config.max_concurrent,
                config.max_concurrent_per_principal,
                config.max_queued_per_principal,
                config.memory_max_bytes,
            ),
            sessions: Sessions::default(),
            heaps: tokio::sync::RwLock::new(()),
            dictionaries: Dictionaries::default(),
            dictionary: tokio::sync::OnceCell::new(),
            closing: AtomicBool::new(false),
            workers,
            store,
            meta,
            decider,
            metrics,
            fetch,
            modules,
            host,
            wasm,
            config,
        });
        if engine.config.stateful {
            if engine.config.snapshot_policy == SnapshotPolicy::Idle {
                sessions::spawn_keeper(Arc::downgrade(&engine));
            }
            lifecycle::spawn_sweeper(Arc::downgrade(&engine));
            dictionary::spawn_choice(Arc::downgrade(&engine));
        }
        Ok(engine)
    }

    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    pub fn is_stateful(&self) -> bool {
        self.config.stateful
    }

    /// Who answers `mcp.callTool`: the upstream servers, as plugged in.
    pub fn host(&self) -> &Arc<dyn crate::host::Host> {
        &self.host
    }

    /// Who decides the capabilities of runs (the gateway asks it too, for
    /// what it does on a run's behalf).
    pub fn decider(&self) -> &Arc<dyn Decider> {
        &self.decider
    }

    /// The preloaded WebAssembly modules, as compiled.
    pub fn wasm_modules(&self) -> Vec<crate::wasm::WasmModuleInfo> {
        self.wasm.as_ref().map(|set| set.infos()).unwrap_or_default()
    }

    /// True once `shutdown` began: new runs are refused.
    pub fn is_closing(&self) -> bool {
        self.closing.load(Ordering::SeqCst)
    }

    /// What the engine holds now.
    pub fn stats(&self) -> EngineStats {
        let unfinished = self.registry.unfinished();
        let queued = unfinished.iter().filter(|e| e.status() == ExecutionStatus::Queued).count();
        EngineStats {
            session_slots: self.sessions.len(),
            executions: self.registry.len(),
            memory_budget: self.scheduler.memory_total(),
            queued,
            running: unfinished.len() - queued,
            threads: self.workers.len(),
            warm_sessions: self.workers.iter().map(|w| w.load().2).sum(),
        }
    }

    /// What the engine counted (for the gateway's metrics).
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// Accepts a run and returns its record at once (`queued`, or `failed`
    /// for code that does not parse). The run proceeds in the background.
    pub fn submit(self: &Arc<Self>, caller: &Caller, request: RunRequest) -> Result<Arc<Execution>, RuntimeError> {
        if self.closing.load(Ordering::SeqCst) {
            return Err(RuntimeError::Unavailable("the server is shutting down".into()));
        }
        if !self.config.stateful && (request.heap.is_some() || request.session.is_some() || request.tags.is_some()) {
            return Err(RuntimeError::InvalidRequest(
                "heap, session and tags need stateful mode; this server runs with --stateless".into(),
            ));
        }
        let budget = request.heap_max_bytes.unwrap_or(self.config.default_heap_bytes);
        if budget < (8 << 20) || budget > self.config.max_heap_bytes {
            return Err(RuntimeError::InvalidRequest(format!(
                "heap_memory_max_mb must be between 8 and {}",
                self.config.max_heap_bytes >> 20
            )));
        }
        self.scheduler.check(budget)?;
        let timeout = request.timeout.unwrap_or(self.config.default_timeout);
        if timeout.is_zero() || timeout > self.config.max_timeout {
            return Err(RuntimeError::InvalidRequest(format!(
                "execution_timeout_secs must be between 1 and {}",
                self.config.max_timeout.as_secs()
            )));
        }
        if let Some(session) = &request.session
            && !caller.can_see(&session.owner)
        {
            return Err(RuntimeError::NotFound(format!("session '{}' not found", session.name)));
        }
        if let Some(heap) = &request.heap {
            self.visible_owner(caller, heap)?;
        }
        let ticket = self.scheduler.enqueue(&caller.principal)?;
        // Who the run's record and heap belong to: its session's owner, or
        // the caller's principal.
        let owner = request.session.as_ref().map_or_else(|| caller.principal.clone(), |s| s.owner.clone());
        let ephemeral = request.session.is_some() && request.session == caller.implicit_session();
        let code_hash = hex::encode(Sha256::digest(request.code.as_bytes()));
        let exec = Arc::new(Execution::new(owner, request.session.clone(), request.heap.clone(), code_hash, self.config.output_cap));
        self.registry.insert(exec.clone());
        match prepare(&request.code) {
            Ok(prepared) => {
                let engine = self.clone();
                let mode = match (&request.session, self.config.stateful) {
                    (_, false) => Mode::Stateless,
                    (Some(_), true) => Mode::Session,
                    (None, true) => Mode::Heap,
                };
                // A child of the caller's span (the MCP request's, when traced).
                let span = child_span!(
                    "run",
                    otel.name = "run_js.run",
                    mcp_v8.execution.id = %exec.id,
                    mcp_v8.run.mode = mode.name(),
                    mcp_v8.session = request.session.as_ref().map_or("", |s| s.name.as_str()),
                    mcp_v8.run.status = tracing::field::Empty,
                    mcp_v8.heap = tracing::field::Empty,
                    mcp_v8.isolate.source = tracing::field::Empty,
                    otel.status_code = tracing::field::Empty,
                );
                let queue = child_span!(parent: &span, "queue", otel.name = "run_js.queue");
                let accepted = Accepted {
                    exec: exec.clone(),
                    _ticket: ticket,
                    principal: caller.principal.clone(),
                    claims: caller.claims.clone(),
                    ephemeral,
                    request,
                    prepared,
                    budget,
                    timeout,
                    queue: parking_lot::Mutex::new(Some(queue)),
                    span: span.clone(),
                };
                tokio::spawn(async move { engine.drive(mode, accepted).await }.instrument(span));
            }
            Err(PrepareError { message, line, column }) => {
                let error = JsErrorInfo { name: "SyntaxError".into(), message, stack: None, line, column };
                exec.finish(ExecutionStatus::Failed, Outcome { error: Some(error), ..Default::default() });
            }
        }
        Ok(exec)
    }

    async fn drive(self: Arc<Self>, mode: Mode, run: Accepted) {
        let exec = run.exec.clone();
        let result = if !self.config.stateful {
            self.drive_stateless(&run).await
        } else if run.request.session.is_some() {
            self.drive_session(&run).await
        } else {
            self.drive_heap(&run).await
        };
        match result {
            Ok((status, outcome)) => exec.finish(status, outcome),
            // Cancelled while it waited: `cancel` finished the record.
            Err(None) => {}
            Err(Some(error)) => exec.finish(ExecutionStatus::Failed, Outcome {
                error: Some(JsErrorInfo::plain(if error.is_retryable() { "ServiceUnavailable" } else { "Error" }, error.to_string())),
                ..Default::default()
            }),
        }
        let status = exec.status();
        self.metrics.run_finished(mode, status, exec.created.elapsed());
        if !run.span.is_disabled() {
            run.span.record("mcp_v8.run.status", status.as_str());
            if let Some(heap) = &exec.info().heap {
                run.span.record("mcp_v8.heap", heap.as_str());
            }
            if status != ExecutionStatus::Completed {
                run.span.record("otel.status_code", "error");
            }
        }
    }

    /// Waits for `future` unless the run is stopped (cancelled) first.
    async fn unless_stopped<T>(
        exec: &Execution,
        future: impl Future<Output = Result<T, RuntimeError>>,
    ) -> Result<T, Option<RuntimeError>> {
        tokio::select! {
            result = future => result.map_err(Some),
            () = exec.stopper.stopped() => Err(None),
        }
    }

    async fn drive_stateless(&self, run: &Accepted) -> Result<(ExecutionStatus, Outcome), Option<RuntimeError>> {
        let _admission = Self::unless_stopped(&run.exec, self.scheduler.admit(&run.principal, run.budget)).await?;
        let reply = self
            .run_on(&run.exec, self.stateless_worker(&run.principal), Source::Stateless, After::Discard, None, run)
            .await
            .map_err(Some)?;
        Ok(outcome::of_reply(&reply, run, &self.config).into_status())
    }

    /// A stateful run without a session: from a named heap (or a new one),
    /// snapshotted at once, its heap reported whether it succeeded or not.
    async fn drive_heap(&self, run: &Accepted) -> Result<(ExecutionStatus, Outcome), Option<RuntimeError>> {
        let _admission = Self::unless_stopped(&run.exec, self.scheduler.admit(&run.principal, run.budget)).await?;
        let bytes = match &run.request.heap {
            Some(hash) => {
                Some(load_checked(self.store().map_err(Some)?, &self.dictionaries, hash).await.map_err(Some)?)
            }
            None => None,
        };
        let reply = self
            .run_on(&run.exec, self.least_loaded(), Source::Load(bytes), After::Snapshot, None, run)
            .await
            .map_err(Some)?;
        let mut result = outcome::of_reply(&reply, run, &self.config);
        if let worker::Kept::Heap(bytes) = reply.kept {
            let owner = run.exec.owner.clone();
            let hash = self.persist(bytes, &owner, run.request.tags.clone(), |_| Batch::default()).await.map_err(Some)?;
            result.outcome.heap = Some(hash);
        }
        Ok(result.into_status())
    }

    async fn run_on(
        &self,
        exec: &Arc<Execution>,
        worker: &WorkerHandle,
        source: Source,
        after: After,
        session: Option<SessionKey>,
        run: &Accepted,
    ) -> Result<RunReply, RuntimeError> {
        let (started_tx, started_rx) = oneshot::channel();
        let (reply_tx, reply_rx) = oneshot::channel();
        worker.send(Job::Run(Box::new(RunJob {
            session,
            source,
            after,
            prepared: run.prepared.clone(),
            heap_limit_bytes: run.budget,
            max_snapshot_bytes: self.config.max_snapshot_bytes,
            output: exec.output.clone(),
            span: run.span.clone(),
            metrics: self.metrics.clone(),
            context: Arc::new(RunContext {
                execution_id: exec.id,
                session: run.request.session.clone(),
                principal: run.principal.clone(),
                claims: run.claims.clone(),
                decider: self.decider.clone(),
                stopper: exec.stopper.clone(),
                budget_bytes: run.budget,
                fetch: self.fetch.clone(),
                modules: self.modules.clone(),
                host: self.host.clone(),
            }),
            started: started_tx,
            reply: reply_tx,
        })))?;
        // While the run goes on: its timeout, and a memory check every
        // CHECK_INTERVAL (for memory V8 does not bound itself).
        let watch = match started_rx.await {
            Ok(account) => {
                exec.set_running();
                if let Some(queue) = run.queue.lock().take() {
                    drop(queue);
                    self.metrics.phase(Phase::Queue, exec.created.elapsed());
                }
                let stopper = exec.stopper.clone();
                let deadline = tokio::time::Instant::now() + run.timeout;
                Some(tokio::spawn(async move {
                    let mut tick = tokio::time::interval(CHECK_INTERVAL);
                    tick.tick().await;
                    loop {
                        tokio::select! {
                            () = tokio::time::sleep_until(deadline) => {
                                stopper.stop(StopReason::Timeout);
                                return;
                            }
                            _ = tick.tick() => account.request_check(),
                        }
                    }
                }))
            }
            Err(_) => None,
        };
        let reply = reply_rx.await.map_err(|_| RuntimeError::Unavailable(format!("V8 worker {} stopped", worker.index)));
        if let Some(watch) = watch {
            watch.abort();
        }
        reply?
    }

    fn least_loaded(&self) -> &WorkerHandle {
        self.workers.iter().min_by_key(|w| w.load()).expect("at least one worker")
    }

    /// An idle worker holding an isolate recycled for `principal`, else the
    /// least loaded, preferring one that holds none (its run would take the
    /// place of another principal's).
    fn stateless_worker(&self, principal: &Owner) -> &WorkerHandle {
        self.workers.iter().find(|w| w.has_recycled_for(principal)).unwrap_or_else(|| {
            self.workers.iter().min_by_key(|w| (w.load(), w.holds_recycled())).expect("at least one worker")
        })
    }

    fn store(&self) -> Result<&dyn HeapStore, RuntimeError> {
        self.store.as_deref().ok_or_else(|| RuntimeError::InvalidRequest("no heap store in stateless mode".into()))
    }

    fn meta(&self) -> Result<&Meta, RuntimeError> {
        self.meta.as_ref().ok_or_else(|| RuntimeError::InvalidRequest("no heaps or sessions in stateless mode".into()))
    }

    /// Writes a heap to the store, then records in one metadata commit that
    /// `owner` made it (with its tags) and what `then` adds (what refers to
    /// it: a session's head or log), all under the shared heaps lock so the
    /// sweep never sees the heap without what refers to it.
    async fn persist(
        &self,
        bytes: Box<[u8]>,
        owner: &Owner,
        tags: Option<Tags>,
        then: impl FnOnce(&HeapHash) -> Batch,
    ) -> Result<HeapHash, RuntimeError> {
        let span = child_span!(
            "store.write",
            otel.name = "run_js.store",
            mcp_v8.heap.bytes = bytes.len(),
            mcp_v8.heap.stored_bytes = tracing::field::Empty,
            mcp_v8.heap = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self.write_heap(bytes, owner, tags, then).instrument(span.clone()).await;
        self.metrics.phase(Phase::Store, started.elapsed());
        match &result {
            Ok(hash) => {
                span.record("mcp_v8.heap", hash.as_str());
            }
            Err(_) => {
                self.metrics.store_error();
                span.record("otel.status_code", "error");
            }
        }
        result
    }

    async fn write_heap(
        &self,
        bytes: Box<[u8]>,
        owner: &Owner,
        tags: Option<Tags>,
        then: impl FnOnce(&HeapHash) -> Batch,
    ) -> Result<HeapHash, RuntimeError> {
        // Named by the snapshot's bytes, stored packed; both off the runtime's threads.
        let dictionary = self.dictionary().await;
        let (hash, packed) =
            tokio::task::spawn_blocking(move || (HeapHash::of(&bytes), pack(&bytes, dictionary.as_deref())))
            .await
            .map_err(|e| RuntimeError::Store(e.to_string()))?;
        let packed: Arc<[u8]> = Arc::from(packed.map_err(|e| RuntimeError::Store(format!("cannot compress a heap: {e}")))?);
        self.metrics.stored(packed.len());
        tracing::Span::current().record("mcp_v8.heap.stored_bytes", packed.len());
        let _guard = self.heaps.read().await;
        self.store()?.put(&hash, packed).await?;
        let mut batch = then(&hash).heap_owner(hash.clone(), owner.clone());
        if let Some(tags) = tags.filter(|t| !t.is_empty()) {
            batch = batch.tags(owner.clone(), hash.clone(), tags);
        }
        self.meta()?.commit(batch).await?;
        Ok(hash)
    }

    /// Stops accepting runs, lets running ones finish (up to `grace`, then
    /// cancels them) and persists every warm session.
    pub async fn shutdown(&self, grace: Duration) {
        self.closing.store(true, Ordering::SeqCst);
        let deadline = tokio::time::Instant::now() + grace;
        loop {
            let unfinished = self.registry.unfinished();
            if unfinished.is_empty() || tokio::time::Instant::now() >= deadline {
                for exec in unfinished {
                    exec.stopper.stop(StopReason::Cancelled);
                    if exec.status() == ExecutionStatus::Queued {
                        exec.finish(ExecutionStatus::Cancelled, Outcome::default());
                    }
                }
                break;
            }
            let _ = tokio::time::timeout_at(deadline, unfinished[0].wait(grace)).await;
        }
        self.scheduler.close();
        if self.config.stateful {
            self.persist_all_warm().await;
        }
    }
}

#[cfg(test)]
mod tests;
