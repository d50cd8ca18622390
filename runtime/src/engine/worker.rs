//! V8 worker threads. Each owns its isolates (they are `!Send`): spare
//! stateless isolates, stateless isolates recycled for one principal's next
//! run (see [`recycle`]), and the warm isolates of the sessions the engine
//! put there. A thread runs a current-thread tokio runtime and one job at a
//! time; a run holds its thread until it ends or is stopped from outside.
//!
//! **Invariant:** the worker decides nothing about sessions. The engine
//! holds a session's lock while it sends a job about that session, so a
//! warm isolate is never asked for by two jobs at once.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tokio::sync::{mpsc, oneshot};
use tracing::Instrument;

use crate::context::RunContext;
use crate::error::RuntimeError;
use crate::isolate::{Isolate, Refusal, RunEnd};
use crate::memory::{MemoryAccount, Usage};
use crate::metrics::{Metrics, Phase};
use crate::output::Output;
use crate::owner::{Owner, SessionKey};
use crate::transform::Prepared;

/// Where a run's isolate comes from.
pub enum Source {
    /// A fresh stateless isolate from the base snapshot.
    Stateless,
    /// A new snapshotting isolate from the base snapshot or stored bytes.
    Load(Option<Arc<[u8]>>),
    /// The warm isolate this worker holds for the session.
    Warm,
}

impl Source {
    /// Where the isolate comes from, as its span says.
    fn name(&self) -> &'static str {
        match self {
            Source::Stateless => "base",
            Source::Load(None) => "new",
            Source::Load(Some(_)) => "heap",
            Source::Warm => "warm",
        }
    }
}

/// What happens to a session's isolate after a run.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum After {
    /// Stateless: drop it.
    Discard,
    /// Snapshot it now and return the bytes (policy `every-run`, and runs
    /// outside a session).
    Snapshot,
    /// Keep it warm under the session's name if the run completed (policy
    /// `idle`); snapshot it if the run failed, so its heap can be reported
    /// while the session goes back to its last persisted heap.
    KeepWarm,
}

pub struct RunJob {
    pub session: Option<SessionKey>,
    pub source: Source,
    pub after: After,
    pub prepared: Prepared,
    pub heap_limit_bytes: usize,
    /// The largest heap kept (`--max-snapshot-bytes`).
    pub max_snapshot_bytes: usize,
    pub output: Arc<Output>,
    /// The run's span: the worker's phases are its children.
    pub span: tracing::Span,
    pub metrics: Arc<Metrics>,
    /// Who runs, who decides what its ops may do, and its stopper.
    pub context: Arc<RunContext>,
    /// Sent when the run starts, with the isolate's memory account (the
    /// engine requests memory checks through it while the run goes on).
    pub started: oneshot::Sender<Arc<MemoryAccount>>,
    pub reply: Reply,
}

/// What became of the isolate after a run.
pub enum Kept {
    /// Dropped (stateless, or after V8's heap limit was hit).
    Nothing,
    /// Snapshotted: the heap's bytes.
    Heap(Box<[u8]>),
    /// Warm on this worker under the session's key.
    Warm,
    /// Its heap cannot be kept; the isolate was discarded.
    Refused(Refusal),
}

pub struct RunReply {
    pub end: RunEnd,
    pub kept: Kept,
    /// The isolate's memory after the run (for the warm-memory budget and
    /// the messages of memory errors).
    pub usage: Usage,
    /// The most the run used, as its memory checks saw it.
    pub peak: usize,
}

pub enum Job {
    Run(Box<RunJob>),
    /// Snapshot a warm session and give back the bytes (it is no longer warm).
    Snapshot { session: SessionKey, max_snapshot_bytes: usize, reply: oneshot::Sender<Result<Box<[u8]>, RuntimeError>> },
    /// Drop a warm session's isolate without keeping its heap.
    Discard { session: SessionKey },
}

/// The engine's handle on one worker thread.
pub struct WorkerHandle {
    pub index: usize,
    tx: mpsc::UnboundedSender<Job>,
    in_flight: Arc<AtomicUsize>,
    counters: Arc<Counters>,
}

/// What a worker thread tells the engine about itself.
#[derive(Default)]
struct Counters {
    /// Its spare isolates are all made (false while it makes them after a
    /// job: a job sent then waits for that).
    ready: AtomicBool,
    /// How many warm isolates it holds (as of its last job).
    warm: AtomicUsize,
    /// Whose runs its recycled isolates are for (lean base, web base).
    recycled: parking_lot::Mutex<[Option<Owner>; 2]>,
}

impl WorkerHandle {
    /// Jobs sent and not finished, then spares not ready, then warm
    /// isolates held: the least is where a new job goes. Back-to-back runs
    /// go to a thread whose spare is ready instead of waiting for one to be
    /// made; warm sessions stay on their thread, so new ones are spread
    /// over the threads, or sessions used at the same time would wait on
    /// one thread while the others idle.
    pub fn load(&self) -> (usize, bool, usize) {
        (
            self.in_flight.load(Ordering::Relaxed),
            !self.counters.ready.load(Ordering::Relaxed),
            self.counters.warm.load(Ordering::Relaxed),
        )
    }

    /// Idle, with an isolate recycled for `owner`'s stateless runs.
    pub fn has_recycled_for(&self, owner: &Owner) -> bool {
        self.in_flight.load(Ordering::Relaxed) == 0
            && self.counters.recycled.lock().iter().flatten().any(|o| o == owner)
    }

    /// Holds an isolate recycled for some principal.
    pub fn holds_recycled(&self) -> bool {
        self.counters.recycled.lock().iter().any(Option::is_some)
    }

    pub fn send(&self, job: Job) -> Result<(), RuntimeError> {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        self.tx.send(job).map_err(|_| {
            self.in_flight.fetch_sub(1, Ordering::Relaxed);
            RuntimeError::Unavailable(format!("V8 worker {} stopped", self.index))
        })
    }
}

pub struct WorkerConfig {
    pub base: &'static [u8],
    pub default_heap_limit: usize,
    /// Spare stateless isolates kept ready on this thread.
    pub spares: usize,
    /// Keep one snapshotting isolate from the base ready for a new session.
    pub session_spare: bool,
    /// The preloaded WebAssembly modules every stateless isolate gets.
    pub wasm: Option<Arc<crate::wasm::WasmSet>>,
    /// The base with the web platform loaded (stateless engines).
    pub web_base: Option<&'static [u8]>,
    /// Stateless runs of one principal an isolate serves (see [`recycle`]).
    pub reuse_runs: u32,
}

/// A stateless isolate from `base`, with the preloaded WebAssembly modules.
fn stateless_from(base: &'static [u8], config: &WorkerConfig, heap_limit_bytes: usize) -> Result<Isolate, RuntimeError> {
    let mut isolate = Isolate::from_static(base, heap_limit_bytes, false)?;
    if let Some(set) = &config.wasm {
        isolate.install_wasm(set)?;
    }
    Ok(isolate)
}

pub fn spawn(index: usize, config: WorkerConfig) -> Result<WorkerHandle, RuntimeError> {
    let (tx, rx) = mpsc::unbounded_channel();
    let in_flight = Arc::new(AtomicUsize::new(0));
    let counters = Arc::new(Counters::default());
    let theirs = (in_flight.clone(), counters.clone());
    std::thread::Builder::new()
        .name(format!("mcpv8-v8-{index}"))
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("worker runtime");
            rt.block_on(worker_loop(config, rx, theirs));
        })
        .map_err(|e| RuntimeError::Unavailable(format!("cannot start V8 worker: {e}")))?;
    Ok(WorkerHandle { index, tx, in_flight, counters })
}

struct WorkerState {
    config: WorkerConfig,
    spares: RefCell<Vec<Isolate>>,
    /// One spare from the web base, when there is one.
    web_spare: RefCell<Option<Isolate>>,
    /// A snapshotting isolate from the base, for the first run of a new session.
    session_spare: RefCell<Option<Isolate>>,
    warm: RefCell<HashMap<SessionKey, Isolate>>,
    /// Stateless isolates kept after a run, with a fresh context, for the
    /// next stateless run of the same principal: one from each base.
    recycled: RefCell<[Option<Recycled>; 2]>,
    /// Shared with the engine's handle.
    counters: Arc<Counters>,
}

/// A stateless isolate that ran before (see [`Isolate::recycle`]).
struct Recycled {
    /// Only this principal's runs may use it: its heap held their code.
    owner: Owner,
    isolate: Isolate,
    /// Runs it has served.
    runs: u32,
}

/// An isolate is recycled only while its heap and buffers, garbage of
/// earlier runs included, take at most this share of the run budget (an
/// eighth): a run in a recycled isolate has about the room it would have in
/// a fresh one. A small run leaves about half a megabyte (its retired
/// context), which V8 collects only when the heap grows: `reuse_runs`
/// (`--isolate-reuse-runs`) bounds it, and with it what the isolate shares
/// between runs (its compilation cache, the `Symbol.for` registry).
const RECYCLE_BUDGET_SHARE: usize = 8;

/// What [`run_job`] leaves for the worker to recycle once it has replied.
struct Leftover {
    web: bool,
    owner: Owner,
    isolate: Isolate,
    runs: u32,
}

async fn worker_loop(
    config: WorkerConfig,
    mut rx: mpsc::UnboundedReceiver<Job>,
    (in_flight, counters): (Arc<AtomicUsize>, Arc<Counters>),
) {
    let state = WorkerState {
        config,
        spares: RefCell::default(),
        web_spare: RefCell::default(),
        session_spare: RefCell::default(),
        warm: RefCell::default(),
        recycled: RefCell::default(),
        counters: counters.clone(),
    };
    refill_spares(&state);
    counters.ready.store(true, Ordering::Relaxed);
    // One job at a time: the thread's isolates must nest (see
    // `Isolate::enter`), and a run owns its thread until it ends anyway.
    // The counters are settled before the reply goes: the engine may place
    // its next job as soon as it has the reply.
    let settle = || {
        counters.warm.store(state.warm.borrow().len(), Ordering::Relaxed);
        counters.ready.store(!wants_spares(&state), Ordering::Relaxed);
        in_flight.fetch_sub(1, Ordering::Relaxed);
    };
    while let Some(job) = rx.recv().await {
        match job {
            Job::Run(job) => {
                let (reply, result, leftover) = run_job(&state, *job).await;
                settle();
                let _ = reply.send(result);
                if let Some(leftover) = leftover {
                    recycle(&state, leftover);
                }
            }
            Job::Snapshot { session, max_snapshot_bytes, reply } => {
                let warm = state.warm.borrow_mut().remove(&session);
                let result = match warm {
                    Some(isolate) => isolate
                        .snapshot(max_snapshot_bytes)
                        .map_err(|Refusal(why)| RuntimeError::Snapshot(format!("the heap of session '{session}' cannot be kept: {why}"))),
                    None => Err(RuntimeError::Unavailable(format!("session '{session}' is not warm here"))),
                };
                settle();
                let _ = reply.send(result);
            }
            Job::Discard { session } => {
                drop(state.warm.borrow_mut().remove(&session));
                settle();
            }
        }
        // Get the next fresh isolate ready off the request path.
        if rx.is_empty() {
            refill_spares(&state);
            counters.ready.store(true, Ordering::Relaxed);
        }
    }
    // The engine is gone: warm isolates were persisted by its shutdown.
}

/// Whether a spare isolate is missing.
fn wants_spares(state: &WorkerState) -> bool {
    (state.config.session_spare && state.session_spare.borrow().is_none())
        || state.spares.borrow().len() < state.config.spares
        || (state.config.web_base.is_some() && state.config.spares > 0 && state.web_spare.borrow().is_none())
}

fn refill_spares(state: &WorkerState) {
    let limit = state.config.default_heap_limit;
    if state.config.session_spare && state.session_spare.borrow().is_none() {
        match Isolate::from_static(state.config.base, limit, true) {
            Ok(isolate) => *state.session_spare.borrow_mut() = Some(isolate),
            Err(error) => tracing::error!(%error, "cannot make a spare isolate"),
        }
    }
    while state.spares.borrow().len() < state.config.spares {
        match stateless_from(state.config.base, &state.config, limit) {
            Ok(isolate) => state.spares.borrow_mut().push(isolate),
            Err(error) => {
                tracing::error!(%error, "cannot make a spare isolate");
                return;
            }
        }
    }
    if let Some(web) = state.config.web_base
        && state.config.spares > 0
        && state.web_spare.borrow().is_none()
    {
        match stateless_from(web, &state.config, limit) {
            Ok(isolate) => *state.web_spare.borrow_mut() = Some(isolate),
            Err(error) => tracing::error!(%error, "cannot make a spare isolate"),
        }
    }
}

/// Gives a stateless isolate a fresh context for its principal's next run,
/// or drops it.
fn recycle(state: &WorkerState, Leftover { web, owner, mut isolate, runs }: Leftover) {
    if runs < state.config.reuse_runs && isolate.recycle() {
        state.counters.recycled.lock()[usize::from(web)] = Some(owner.clone());
        // A recycled isolate of another principal is dropped.
        state.recycled.borrow_mut()[usize::from(web)] = Some(Recycled { owner, isolate, runs });
    }
}

/// The recycled isolate of `owner` from the web base or the lean one.
fn take_recycled(state: &WorkerState, web: bool, owner: &Owner) -> Option<Recycled> {
    let mut recycled = state.recycled.borrow_mut();
    let slot = &mut recycled[usize::from(web)];
    if slot.as_ref().is_none_or(|r| &r.owner != owner) {
        return None;
    }
    state.counters.recycled.lock()[usize::from(web)] = None;
    slot.take()
}

type Reply = oneshot::Sender<Result<RunReply, RuntimeError>>;

/// Runs a job; returns its reply, for the caller to send, and a stateless
/// isolate that may be recycled.
async fn run_job(state: &WorkerState, job: RunJob) -> (Reply, Result<RunReply, RuntimeError>, Option<Leftover>) {
    let RunJob {
        session,
        source,
        after,
        prepared,
        heap_limit_bytes,
        max_snapshot_bytes,
        output,
        span,
        metrics,
        context,
        started,
        reply,
    } = job;
    // A stateless run of the default budget takes its principal's recycled
    // isolate when there is one.
    let web = matches!(source, Source::Stateless)
        && state.config.web_base.is_some()
        && crate::isolate::names_web_globals(&prepared.code);
    let default_budget = heap_limit_bytes == state.config.default_heap_limit;
    let recycled = match source {
        Source::Stateless if default_budget => take_recycled(state, web, &context.principal),
        _ => None,
    };
    let source_name = if recycled.is_some() { "recycled" } else { source.name() };
    // Taking a warm or recycled isolate is a lookup: a span of its own would
    // cost more than the step; the run's span says where the isolate came from.
    span.record("mcp_v8.isolate.source", source_name);
    metrics.isolate(source_name);
    let acquire = match source {
        Source::Warm => tracing::Span::none(),
        _ if recycled.is_some() => tracing::Span::none(),
        _ => child_span!(parent: &span, "isolate.acquire", otel.name = "run_js.isolate", mcp_v8.isolate.source = source_name),
    };
    let entered = acquire.enter();
    let runs = recycled.as_ref().map_or(0, |r| r.runs);
    let owner = matches!(source, Source::Stateless).then(|| context.principal.clone());
    let isolate = match source {
        Source::Stateless if recycled.is_some() => Ok(recycled.expect("checked").isolate),
        Source::Stateless => match state.config.web_base {
            Some(web_base) if web => {
                let spare = if default_budget { state.web_spare.borrow_mut().take() } else { None };
                match spare {
                    Some(isolate) => Ok(isolate),
                    None => stateless_from(web_base, &state.config, heap_limit_bytes),
                }
            }
            _ => {
                let spare =
                    if heap_limit_bytes == state.config.default_heap_limit { state.spares.borrow_mut().pop() } else { None };
                match spare {
                    Some(isolate) => Ok(isolate),
                    None => stateless_from(state.config.base, &state.config, heap_limit_bytes),
                }
            }
        },
        Source::Load(None) => {
            let spare =
                if heap_limit_bytes == state.config.default_heap_limit { state.session_spare.borrow_mut().take() } else { None };
            match spare {
                Some(isolate) => Ok(isolate),
                None => Isolate::from_static(state.config.base, heap_limit_bytes, true),
            }
        }
        Source::Load(Some(bytes)) => Isolate::from_heap(bytes, heap_limit_bytes),
        Source::Warm => {
            let warm = session.as_ref().and_then(|s| state.warm.borrow_mut().remove(s));
            match warm {
                Some(isolate) if isolate.heap_limit_bytes() == heap_limit_bytes => Ok(isolate),
                // Another heap limit: the isolate is remade from its own snapshot.
                Some(isolate) => isolate
                    .snapshot(max_snapshot_bytes)
                    .map_err(|Refusal(why)| RuntimeError::Snapshot(format!("the session's heap cannot be moved: {why}")))
                    .and_then(|bytes| Isolate::from_heap(Arc::from(bytes), heap_limit_bytes)),
                None => Err(RuntimeError::Unavailable("the session's warm isolate is gone".into())),
            }
        }
    };
    drop(entered);
    let mut isolate = match isolate {
        Ok(isolate) => isolate,
        Err(error) => return (reply, Err(error), None),
    };
    let _ = started.send(isolate.account());
    let execute = child_span!(parent: &span, "execute", otel.name = "run_js.execute");
    let begun = std::time::Instant::now();
    let end = isolate.run(&prepared, output, context).instrument(execute).await;
    metrics.phase(Phase::Execute, begun.elapsed());
    let usage = isolate.usage();
    let peak = isolate.peak_bytes().max(usage.total());
    let completed = matches!(end, RunEnd::Completed(_));
    let mut leftover = None;
    let kept = match after {
        After::Discard => {
            // A run that was stopped may have left work anywhere; after one
            // that completed or threw, `Isolate::recycle` still refuses an
            // isolate with async work pending.
            if let Some(owner) = owner
                && default_budget
                && matches!(end, RunEnd::Completed(_) | RunEnd::Threw(_))
                && usage.total() <= heap_limit_bytes / RECYCLE_BUDGET_SHARE
            {
                leftover = Some(Leftover { web, owner, isolate, runs: runs + 1 });
            }
            Kept::Nothing
        }
        // A heap that hit V8's limit is neither kept nor persisted.
        _ if isolate.is_poisoned() => Kept::Nothing,
        After::KeepWarm if completed => match isolate.check_snapshot(max_snapshot_bytes) {
            Ok(_) => {
                let session = session.expect("a warm run has a session");
                state.warm.borrow_mut().insert(session, isolate);
                Kept::Warm
            }
            Err(refusal) => Kept::Refused(refusal), // the isolate drops here: discarded
        },
        After::Snapshot | After::KeepWarm => {
            let snapshot = child_span!(
                parent: &span,
                "snapshot",
                otel.name = "run_js.snapshot",
                mcp_v8.heap.bytes = tracing::field::Empty,
            );
            let _entered = snapshot.enter();
            let begun = std::time::Instant::now();
            let taken = isolate.snapshot(max_snapshot_bytes);
            metrics.phase(Phase::Snapshot, begun.elapsed());
            match taken {
                Ok(bytes) => {
                    metrics.snapshot(bytes.len());
                    snapshot.record("mcp_v8.heap.bytes", bytes.len());
                    Kept::Heap(bytes)
                }
                Err(refusal) => Kept::Refused(refusal),
            }
        }
    };
    (reply, Ok(RunReply { end, kept, usage, peak }), leftover)
}
