//! One V8 isolate (a deno_core runtime) and how user code runs in it.
//!
//! **Invariants:**
//! - User code never sees `Deno`, `__bootstrap` or `__infra`: they are
//!   taken off the global object as soon as the runtime exists and put back
//!   (with define semantics, so no user setter runs) only for the instant a
//!   snapshot is taken, because deno_core reads them when it restores one.
//! - The snapshot bytes an isolate was made from outlive it (V8 keeps
//!   pointers into them); `Drop` releases handles, then the isolate, then the
//!   bytes.
//! - A snapshotting isolate is consumed by [`Isolate::snapshot`], or
//!   discarded (the vendored deno_core's `discard`) when it is dropped or
//!   its heap is refused: deno_core would leak it, and V8 would abort the
//!   process on a heap it cannot serialize.
//! - [`Isolate::snapshot`] checks the heap first ([`Isolate::check_snapshot`]):
//!   nothing V8 cannot serialize is alive and the heap is within the size
//!   limit. V8 is never asked to snapshot a heap that failed the check.
//! - After a run was stopped (timeout, cancel, memory) the isolate is usable
//!   again: termination is cancelled and every pending timer dropped. After
//!   the V8 heap limit was hit it is not: the owner must retire it.
//! - A stateless isolate given a fresh context ([`Isolate::recycle`]) never
//!   runs JavaScript of its retired contexts again, and its new context
//!   reaches none of their objects; only the isolate's own state (compiled
//!   code, the `Symbol.for` registry, garbage) is shared, so the owner
//!   recycles an isolate only for the principal whose runs it ran.

use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use deno_core::{JsRuntime, JsRuntimeForSnapshot, PollEventLoopOptions, RuntimeOptions, v8};
use rand::RngCore;

use crate::context::RunContext;
use crate::error::{JsErrorInfo, RuntimeError};
use crate::ext::{ConsoleSink, Finalizers};
use crate::memory::{MemoryAccount, Usage};
use crate::output::Output;
use crate::transform::{Prepared, SCRIPT_NAME};

const HIDDEN_GLOBALS: [&str; 3] = ["Deno", "__bootstrap", "__infra"];

/// Why a run was stopped from outside. The first reason set wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum StopReason {
    Timeout = 1,
    Cancelled = 2,
    /// V8's JS heap limit was reached (the isolate must be retired).
    HeapLimit = 3,
    /// The run's memory outside the JS heap, or its total, went over budget.
    MemoryLimit = 4,
}

/// Lets another thread stop a run, queued or in progress on an isolate.
#[derive(Debug)]
pub struct Stopper {
    /// 0 while the run goes on, else the `StopReason` that stopped it.
    reason: tokio::sync::watch::Sender<u8>,
    handle: parking_lot::Mutex<Option<v8::IsolateHandle>>,
}

impl Default for Stopper {
    fn default() -> Self {
        Self { reason: tokio::sync::watch::channel(0).0, handle: parking_lot::Mutex::default() }
    }
}

impl Stopper {
    /// Stops the run: terminates JavaScript that is running and wakes
    /// whoever waits in [`Stopper::stopped`]. Returns false if the run was
    /// already stopped (the first reason wins).
    pub fn stop(&self, reason: StopReason) -> bool {
        let mut first = false;
        self.reason.send_if_modified(|current| {
            first = *current == 0;
            if first {
                *current = reason as u8;
            }
            first
        });
        if first && let Some(handle) = &*self.handle.lock() {
            handle.terminate_execution();
        }
        first
    }

    pub fn reason(&self) -> Option<StopReason> {
        match *self.reason.borrow() {
            1 => Some(StopReason::Timeout),
            2 => Some(StopReason::Cancelled),
            3 => Some(StopReason::HeapLimit),
            4 => Some(StopReason::MemoryLimit),
            _ => None,
        }
    }

    /// Resolves once the run is stopped.
    pub async fn stopped(&self) {
        let mut rx = self.reason.subscribe();
        let _ = rx.wait_for(|reason| *reason != 0).await;
    }

    fn attach(&self, handle: v8::IsolateHandle) {
        let mut slot = self.handle.lock();
        // A stop that came before the isolate was attached still applies.
        if self.reason().is_some() {
            handle.terminate_execution();
        }
        *slot = Some(handle);
    }

    fn detach(&self) {
        self.handle.lock().take();
    }
}

/// How a run ended, as seen from inside the isolate.
#[derive(Debug)]
pub enum RunEnd {
    /// The script and its event loop finished; the result as JSON text
    /// (`None` for `undefined`).
    Completed(Option<String>),
    /// The script threw (or a promise it awaited rejected).
    Threw(JsErrorInfo),
    /// Stopped from outside.
    Stopped(StopReason),
}

enum Runtime {
    Plain(JsRuntime),
    Snapshotting(JsRuntimeForSnapshot),
}

impl Runtime {
    fn js(&mut self) -> &mut JsRuntime {
        match self {
            Runtime::Plain(rt) => rt,
            Runtime::Snapshotting(rt) => rt,
        }
    }
}

/// Handles to what is hidden from user code.
struct Hidden {
    values: Vec<(&'static str, v8::Global<v8::Value>)>,
    internals: v8::Global<v8::Object>,
}

pub struct Isolate {
    /// `Some` until [`Isolate::snapshot`] consumes them; see `Drop` for the order.
    hidden: Option<Hidden>,
    runtime: Option<Runtime>,
    /// The bytes V8 was started from; see the module invariants.
    _snapshot: Option<Arc<[u8]>>,
    /// The memory budget of runs on this isolate (V8's heap limit may be
    /// higher, to restore a heap made with a larger budget).
    heap_limit_bytes: usize,
    stopper: Arc<parking_lot::Mutex<Option<Arc<Stopper>>>>,
    account: Arc<MemoryAccount>,
    /// deno_core's module loader: `import` in user code.
    loader: Rc<crate::modules::Loader>,
    /// The last run began an import it may not have finished: the heap is
    /// not kept (see `modules.rs`).
    modules_unsettled: bool,
    poisoned: bool,
    /// False for a heap (stored before the limit was sealed) whose
    /// `Error.stackTraceLimit` could not be fixed: it is never snapshotted.
    stack_traces_sealed: bool,
}

/// Why a heap cannot be kept; the text is meant for the agent.
#[derive(Debug, Clone)]
pub struct Refusal(pub String);

/// The largest budget a run may have: bounds a single WebAssembly memory
/// (`--wasm-max-mem-pages`), which can grow from inside WebAssembly code
/// between two memory checks. Set before V8 starts.
static MAX_RUN_BYTES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1 << 30);

/// Sets the largest budget of a run; has effect only before V8 starts.
pub fn configure(max_run_bytes: usize) {
    MAX_RUN_BYTES.store(max_run_bytes, Ordering::SeqCst);
}

/// Starts V8 once per process, in normal (not `--predictable`) mode, before
/// any snapshotting runtime would start it in that mode: `--predictable`
/// fixes `Math.random`'s seed and turns off V8's helper threads.
///
/// `--no-extensible-ro-snapshot`: by default a snapshotting isolate leaves
/// the read-only space writable and, while it makes a snapshot, promotes
/// objects into it and repairs its free space. That space is shared by every
/// isolate of the process, so two snapshots taken at once on two threads
/// corrupt it (seen as crashes in `ReadOnlySpace::RepairFreeSpacesBeforeSerialization`).
/// Sealed, it is read-only for everyone and snapshots of different sessions
/// can be taken in parallel; the objects that would have been promoted are
/// serialized with the rest of the heap instead.
///
/// `--wasm-max-mem-pages`: no WebAssembly memory grows past the largest run
/// budget, whatever its module declares.
///
/// V8 seeds its random number generators (several per isolate: the
/// isolate's, whose output seeds each context's `Math.random`, and others)
/// from the entropy source given here, a thread's CSPRNG seeded by the OS
/// (`rand::rng`, as `crypto.getRandomValues` uses). Without one it opens
/// `/dev/urandom` with stdio for each of them: a dozen opens per stateless
/// run.
pub fn init_v8() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        v8::V8::set_entropy_source(|buffer: &mut [u8]| {
            // A thread tearing its locals down has no `rand::rng` (it would
            // panic, and a panic here aborts): V8 then reads /dev/urandom.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rand::rng().fill_bytes(buffer))).is_ok()
        });
        let pages = (MAX_RUN_BYTES.load(Ordering::SeqCst) / 65536).max(1);
        let unknown = deno_core::v8_set_flags(vec![
            "mcp-v8".into(),
            "--no-extensible-ro-snapshot".into(),
            format!("--wasm-max-mem-pages={pages}"),
        ]);
        debug_assert_eq!(unknown.len(), 1, "V8 refused flags: {unknown:?}");
        JsRuntime::init_platform(None)
    });
}

/// The base snapshot every isolate starts from: deno_core, our bootstrap,
/// no user code. Made once per process, before any other isolate exists:
/// V8 promotes objects into the process-wide read-only heap while it makes a
/// snapshot from scratch, which is not safe beside other isolates.
pub fn base_snapshot() -> &'static [u8] {
    static BASE: std::sync::OnceLock<&'static [u8]> = std::sync::OnceLock::new();
    BASE.get_or_init(|| {
        init_v8();
        let started = std::time::Instant::now();
        let mut runtime =
            JsRuntimeForSnapshot::new(RuntimeOptions { extensions: crate::web::extensions(), ..Default::default() });
        // Compiled code is kept in the snapshot: compile what every run calls.
        runtime
            .execute_script("[mcp-v8:warm-up]", "globalThis.__bootstrap.mcpv8.warmUp()")
            .expect("the bootstrap's own functions run");
        let bytes = Box::leak(runtime.snapshot());
        tracing::debug!(bytes = bytes.len(), elapsed_ms = started.elapsed().as_millis() as u64, "base snapshot made");
        bytes
    })
}

/// The base snapshot with the web platform loaded (web.js loads it on first
/// use otherwise): stateless runs whose code names its globals start from
/// it, paying for a larger heap to restore (about a millisecond) instead of
/// loading the platform (5 to 12 ms). Sessions never start from it, so
/// their snapshots stay small. Made from the base, once.
pub fn web_base_snapshot(base: &'static [u8]) -> &'static [u8] {
    static WEB: std::sync::OnceLock<&'static [u8]> = std::sync::OnceLock::new();
    WEB.get_or_init(|| {
        let started = std::time::Instant::now();
        let mut runtime = JsRuntimeForSnapshot::new(RuntimeOptions {
            extensions: crate::web::extensions(),
            startup_snapshot: Some(base),
            ..Default::default()
        });
        runtime
            .execute_script("[mcp-v8:web]", "globalThis.__bootstrap.mcpv8.loadWebPlatform()")
            .expect("the web platform loads");
        let bytes = Box::leak(runtime.snapshot());
        tracing::debug!(bytes = bytes.len(), elapsed_ms = started.elapsed().as_millis() as u64, "web base snapshot made");
        bytes
    })
}

/// True when `code` names a global of the web platform: a stateless run of
/// it starts from [`web_base_snapshot`]. A miss only costs the lazy load.
pub(crate) fn names_web_globals(code: &str) -> bool {
    const NAMES: [&str; 17] = [
        "fetch", "URL", "TextEncoder", "TextDecoder", "Blob", "File", "Response", "Request", "Headers", "Stream",
        "Abort", "atob", "btoa", "structuredClone", "Event", "DOMException", "WebSocket",
    ];
    NAMES.iter().any(|name| code.contains(name))
}

/// The V8 heap limit an isolate restored from `snapshot_len` bytes needs:
/// V8 cannot collect garbage while it deserializes and aborts the process
/// when the heap fills up then. Deserialized objects take about as much room
/// as their serialized form; twice that plus slack is safe.
/// V8 wants its heap limits in whole pages; whole MiB are that.
fn restore_heap_limit(snapshot_len: usize, budget: usize) -> usize {
    let needed = snapshot_len.saturating_mul(2).saturating_add(32 << 20).div_ceil(1 << 20) << 20;
    budget.max(needed)
}

impl Isolate {
    /// A runtime from `base` (a `'static` snapshot, the base one).
    pub fn from_static(base: &'static [u8], heap_limit_bytes: usize, snapshotting: bool) -> Result<Self, RuntimeError> {
        Self::build(base, None, heap_limit_bytes, snapshotting)
    }

    /// A snapshotting runtime from stored heap bytes (already hash-checked).
    pub fn from_heap(bytes: Arc<[u8]>, heap_limit_bytes: usize) -> Result<Self, RuntimeError> {
        // SAFETY: `bytes` is stored in the returned `Isolate`, whose `Drop`
        // releases the runtime before it; nothing else keeps the slice.
        let slice: &'static [u8] = unsafe { std::mem::transmute::<&[u8], &'static [u8]>(&bytes) };
        Self::build(slice, Some(bytes), heap_limit_bytes, true)
    }

    fn build(
        snapshot: &'static [u8],
        keep: Option<Arc<[u8]>>,
        heap_limit_bytes: usize,
        snapshotting: bool,
    ) -> Result<Self, RuntimeError> {
        init_v8();
        let v8_limit = if keep.is_some() { restore_heap_limit(snapshot.len(), heap_limit_bytes) } else { heap_limit_bytes };
        let account = MemoryAccount::new();
        let loader = Rc::new(crate::modules::Loader::default());
        let options = || {
            let mut params =
                v8::CreateParams::default().heap_limits(0, v8_limit).array_buffer_allocator(account.allocator());
            if snapshotting {
                // V8 gives every isolate a C++ heap except those made for
                // snapshotting, and Deno's web ops keep native state there
                // (a streaming TextDecoder, a CompressionStream): without
                // one, making such an object aborts the process.
                params = params.cpp_heap(v8::cppgc::Heap::create(v8::V8::get_current_platform(), Default::default()));
            }
            RuntimeOptions {
                extensions: crate::web::extensions(),
                startup_snapshot: Some(snapshot),
                create_params: Some(params),
                module_loader: Some(loader.clone()),
                // Every runtime takes its ops from the snapshot as they are
                // (deno_core attaches their fast calls when a script loaded
                // lazily, such as the web platform from the lean base, first
                // needs them; code already in a snapshot keeps the ops it
                // captured there, made again or not). Made again (a function
                // and its template for every op of every extension), they
                // cost every stateless isolate almost a millisecond of CPU, a
                // fifth of a stateless run; and in a snapshotting runtime
                // each restore left one more set of deno_core's op classes in
                // V8's template cache, which every later snapshot carried (a
                // session's heap grew by 41 KB per run under `every-run`,
                // each run slower with it).
                skip_op_registration: true,
                ..Default::default()
            }
        };
        let mut runtime = if snapshotting {
            Runtime::Snapshotting(
                JsRuntimeForSnapshot::try_new(options()).map_err(|e| RuntimeError::Snapshot(e.to_string()))?,
            )
        } else {
            Runtime::Plain(JsRuntime::try_new(options()).map_err(|e| RuntimeError::Snapshot(e.to_string()))?)
        };
        account.attach(runtime.js().v8_isolate().thread_safe_handle());
        runtime.js().op_state().borrow_mut().put(account.clone());
        // A heap of an earlier run may hold registries; the base has none.
        runtime.js().op_state().borrow_mut().put(Finalizers(keep.is_some()));
        let stopper: Arc<parking_lot::Mutex<Option<Arc<Stopper>>>> = Arc::default();
        {
            let stopper = stopper.clone();
            let handle = runtime.js().v8_isolate().thread_safe_handle();
            runtime.js().add_near_heap_limit_callback(move |current, _initial| {
                if let Some(stopper) = &*stopper.lock() {
                    stopper.stop(StopReason::HeapLimit);
                }
                handle.terminate_execution();
                // Room to unwind (a builtin such as JSON.stringify does not
                // stop for termination until it returns); the isolate is
                // retired afterwards.
                current.saturating_mul(2).max(current.saturating_add(256 << 20))
            });
        }
        let hidden = hide_globals(runtime.js());
        // A new isolate is entered; leave it so that the thread's isolates
        // nest (see `enter`).
        // SAFETY: it is the current isolate, entered once by its creation.
        unsafe { runtime.js().v8_isolate().exit() };
        let mut isolate = Self {
            hidden: None,
            runtime: Some(runtime),
            _snapshot: keep,
            heap_limit_bytes,
            stopper,
            account,
            loader,
            modules_unsettled: false,
            poisoned: false,
            stack_traces_sealed: true,
        };
        isolate.hidden = Some(hidden?);
        if snapshotting {
            // See guards.js: a heap holding captured stack frames would
            // abort the process when snapshotted.
            isolate.enter();
            let sealed = isolate.call_internal_bool("sealStackTraces");
            isolate.exit();
            isolate.stack_traces_sealed = sealed;
        } else {
            // WebAssembly and SharedArrayBuffer exist only in isolates that
            // are never snapshotted; guard them here (see guards.js).
            isolate.enter();
            let installed = isolate.call_internal("installStatelessGuards", &[]);
            isolate.exit();
            installed.map_err(|e| RuntimeError::Snapshot(format!("cannot install the memory guards: {e}")))?;
        }
        Ok(isolate)
    }

    pub fn heap_limit_bytes(&self) -> usize {
        self.heap_limit_bytes
    }

    fn rt(&mut self) -> &mut JsRuntime {
        self.runtime.as_mut().expect("present until consumed").js()
    }

    /// Makes this the thread's current isolate for one operation. V8 keeps
    /// a stack of entered isolates per thread and rusty_v8 asserts that an
    /// isolate is current when it is dropped, so a worker keeps all its
    /// isolates exited and enters one only while it uses it.
    fn enter(&mut self) {
        // SAFETY: paired with `exit` by every caller, on this thread.
        unsafe { self.rt().v8_isolate().enter() }
    }

    fn exit(&mut self) {
        // SAFETY: the isolate was entered by `enter` and is current.
        unsafe { self.rt().v8_isolate().exit() }
    }

    /// True after the heap limit was hit: the isolate must not run again.
    pub fn is_poisoned(&self) -> bool {
        self.poisoned
    }

    /// The isolate's memory now: JS heap, and buffers and WebAssembly memories.
    pub fn usage(&mut self) -> Usage {
        self.enter();
        let account = self.account.clone();
        let usage = account.measure(self.rt().v8_isolate());
        self.exit();
        usage
    }

    /// The most memory the last run used, as its checks saw it.
    pub fn peak_bytes(&self) -> usize {
        self.account.peak()
    }

    /// The memory account, for the engine's periodic checks of a run.
    pub fn account(&self) -> Arc<MemoryAccount> {
        self.account.clone()
    }

    /// Runs prepared code to completion of its event loop, or until stopped.
    /// Its ops find `context` in their `OpState` for the length of the run.
    pub async fn run(&mut self, code: &Prepared, output: Arc<Output>, context: Arc<RunContext>) -> RunEnd {
        assert!(!self.poisoned, "a poisoned isolate must be retired");
        self.enter();
        let stopper = context.stopper.clone();
        self.loader.start_run(context.clone());
        self.rt().op_state().borrow_mut().put(context);
        let end = self.run_entered(code, output, stopper).await;
        // deno_crypto's brand symbols are this isolate's global handles,
        // kept per thread: V8 would refuse to snapshot with them (see
        // vendor/deno_crypto), and the next run may be another isolate's.
        deno_crypto::forget_symbols();
        // Ops and imports still pending (a stopped run) find no context and refuse.
        self.rt().op_state().borrow_mut().try_take::<Arc<RunContext>>();
        self.loader.end_run();
        self.modules_unsettled = self.loader.unsettled(matches!(end, RunEnd::Completed(_)));
        self.exit();
        end
    }

    async fn run_entered(&mut self, code: &Prepared, output: Arc<Output>, stopper: Arc<Stopper>) -> RunEnd {
        *self.stopper.lock() = Some(stopper.clone());
        self.account.start_run(self.heap_limit_bytes, stopper.clone());
        let snapshotting = matches!(self.runtime, Some(Runtime::Snapshotting(_)));
        let account = self.account.clone();
        let result_cap = output.cap();
        let rt = self.rt();
        rt.op_state().borrow_mut().put(ConsoleSink(Some(output)));
        stopper.attach(rt.v8_isolate().thread_safe_handle());

        // A heap restored from a snapshot may already be over this budget.
        account.check_before_run(rt.v8_isolate());
        let outcome = if stopper.reason().is_some() {
            Err(None)
        } else {
            let work = run_to_idle(rt, code);
            tokio::select! {
                biased;
                outcome = work => outcome,
                () = stopper.stopped() => Err(None),
            }
        };

        // Memory grown between two periodic checks (from inside
        // WebAssembly) is caught here at the latest.
        if stopper.reason().is_none() {
            account.check(self.rt().v8_isolate());
        }
        // The result is converted, and finalizers run, while the run can
        // still be stopped: a `toJSON` or a cleanup callback may loop.
        let mut end = match (stopper.reason(), outcome) {
            (Some(reason), _) => RunEnd::Stopped(reason),
            (None, Ok(value)) => match self.convert_result(value, result_cap) {
                Ok(json) => RunEnd::Completed(json),
                Err(error) => RunEnd::Threw(error),
            },
            (None, Err(Some(error))) => RunEnd::Threw(error),
            (None, Err(None)) => RunEnd::Stopped(StopReason::Cancelled),
        };
        if matches!(end, RunEnd::Completed(_)) && snapshotting && self.rt().op_state().borrow().borrow::<Finalizers>().0 {
            if self.call_internal_bool("hasFinalizers") {
                let _ = self.call_internal("runFinalizers", &[]);
                self.account.forget_measurement();
            } else {
                self.rt().op_state().borrow_mut().put(Finalizers(false));
            }
        }
        if let Some(reason) = stopper.reason() {
            end = RunEnd::Stopped(reason);
        }
        stopper.detach();
        *self.stopper.lock() = None;
        self.account.end_run();

        let rt = self.rt();
        // The WeakRef targets our calls above dereferenced are kept until the
        // job ends, which no microtask checkpoint marks here; V8 cannot
        // snapshot a heap that still keeps them.
        rt.v8_isolate().clear_kept_objects();
        rt.op_state().borrow_mut().put(ConsoleSink(None));
        match end {
            RunEnd::Stopped(StopReason::HeapLimit) => self.poisoned = true,
            RunEnd::Stopped(_) | RunEnd::Threw(_) => {
                rt.v8_isolate().cancel_terminate_execution();
                // Timers of a stopped or failed run must not fire into the next one.
                let _ = self.call_internal("dropTimers", &[]);
            }
            RunEnd::Completed(_) => {}
        }
        end
    }

    /// Makes this stateless isolate ready for another run: the run's
    /// context is retired for good (no JavaScript of it runs again) and a
    /// fresh one is made from the base snapshot in the same isolate (see
    /// the vendored deno_core's `recycle_main_realm`); the runtime's globals
    /// are hidden, the guards and the preloaded WebAssembly modules put on
    /// it again, and what the op state keeps for a run is reset (the blob
    /// URLs, the time origin). The isolate's heap stays shared with the
    /// retired contexts (their objects are garbage, unreachable from the new
    /// one), so the caller recycles only for runs of the same principal.
    ///
    /// False: it cannot be (a snapshotting or poisoned isolate, an import
    /// left unsettled, a resource or an async op still open); drop it.
    pub fn recycle(&mut self) -> bool {
        if self.poisoned || self.modules_unsettled || !matches!(self.runtime, Some(Runtime::Plain(_))) {
            return false;
        }
        if self.rt().op_state().borrow().resource_table.names().next().is_some() {
            return false;
        }
        self.enter();
        let recycled = self.rt().recycle_main_realm() && self.prepare_context();
        self.exit();
        recycled
    }

    /// What a new stateless context gets before its first run.
    fn prepare_context(&mut self) -> bool {
        match hide_globals(self.rt()) {
            Ok(hidden) => self.hidden = Some(hidden),
            Err(_) => return false,
        }
        {
            let state = self.rt().op_state();
            let mut state = state.borrow_mut();
            state.borrow::<Arc<dyn deno_web::BlobStoreTrait>>().clear();
            state.put(deno_web::StartTime::default());
            state.put(Finalizers(false));
        }
        if self.call_internal("installStatelessGuards", &[]).is_err() {
            return false;
        }
        let wasm = self.rt().op_state().borrow().try_borrow::<Arc<crate::wasm::WasmSet>>().cloned();
        match wasm {
            Some(set) => self.install_wasm_entered(&set).is_ok(),
            None => true,
        }
    }

    /// Checks that V8 can snapshot this heap and that it is within
    /// `max_bytes`: no live object V8 cannot serialize (Intl objects, see
    /// guards.js), and a heap plus buffers no larger than the limit.
    pub fn check_snapshot(&mut self, max_bytes: usize) -> Result<Usage, Refusal> {
        self.enter();
        let result = self.check_snapshot_entered(max_bytes);
        self.exit();
        result
    }

    fn check_snapshot_entered(&mut self, max_bytes: usize) -> Result<Usage, Refusal> {
        if !self.stack_traces_sealed {
            return Err(Refusal(
                "it fixed Error.stackTraceLimit, and a session's heap cannot keep captured stack frames; start a new session".into(),
            ));
        }
        if self.modules_unsettled {
            return Err(Refusal(
                "the run ended while a module it imported was still loading or starting; run the import again".into(),
            ));
        }
        if self.call_internal_bool("hasTracked") {
            // Only objects still reachable count: collect the rest first
            // (WeakRefs keep their targets until the current job ends).
            let isolate = self.rt().v8_isolate();
            isolate.clear_kept_objects();
            isolate.low_memory_notification();
            let blocker = self.call_internal("snapshotBlocker", &[]);
            self.rt().v8_isolate().clear_kept_objects();
            if let Ok(Some(what)) = blocker {
                // "name: what to do instead" (guards.js).
                let (name, advice) = what.split_once(": ").unwrap_or((what.as_str(), ""));
                return Err(Refusal(format!(
                    "it holds a live {name}, which a session's heap cannot keep; {advice}"
                )));
            }
        }
        let account = self.account.clone();
        let usage = account.measure(self.rt().v8_isolate());
        if usage.total() > max_bytes {
            return Err(Refusal(format!(
                "it takes {} MB (JS heap {} MB, buffers {} MB), more than the {} MB a snapshot may take (--max-snapshot-bytes)",
                usage.total() >> 20,
                usage.heap >> 20,
                usage.external >> 20,
                max_bytes >> 20
            )));
        }
        Ok(usage)
    }

    /// The completion value as JSON text, at most `cap` bytes.
    fn convert_result(&mut self, value: v8::Global<v8::Value>, cap: usize) -> Result<Option<String>, JsErrorInfo> {
        let cap = {
            let rt = self.rt();
            deno_core::scope!(scope, rt);
            let number: v8::Local<v8::Value> = v8::Number::new(scope, cap as f64).into();
            v8::Global::new(scope, number)
        };
        self.call_internal("toResult", &[value, cap])
    }

    /// Compiles the preloaded WebAssembly modules in this (stateless) isolate.
    pub(crate) fn compile_wasm(&mut self, preloads: &[crate::wasm::WasmPreload]) -> Result<crate::wasm::WasmSet, RuntimeError> {
        self.enter();
        let set = crate::wasm::WasmSet::compile(self.rt(), preloads);
        self.exit();
        set
    }

    /// Puts the preloaded WebAssembly modules on this stateless isolate's
    /// global object (made when first reached; see wasm.rs).
    pub(crate) fn install_wasm(&mut self, set: &Arc<crate::wasm::WasmSet>) -> Result<(), RuntimeError> {
        self.rt().op_state().borrow_mut().put(set.clone());
        self.enter();
        let installed = self.install_wasm_entered(set);
        self.exit();
        installed
    }

    fn install_wasm_entered(&mut self, set: &Arc<crate::wasm::WasmSet>) -> Result<(), RuntimeError> {
        let list = {
            let rt = self.rt();
            deno_core::scope!(scope, rt);
            let text: v8::Local<v8::Value> =
                v8::String::new(scope, &set.install_list().to_string()).expect("a short list").into();
            v8::Global::new(scope, text)
        };
        let installed = self.call_internal("installWasm", &[list]);
        installed.map(|_| ()).map_err(|e| RuntimeError::Snapshot(format!("cannot install the WebAssembly modules: {}", e.message)))
    }

    fn call_internal_bool(&mut self, name: &str) -> bool {
        matches!(self.call_internal(name, &[]), Ok(Some(text)) if text == "true")
    }

    /// Calls a function of `__bootstrap.mcpv8`; returns its string result.
    fn call_internal(&mut self, name: &str, args: &[v8::Global<v8::Value>]) -> Result<Option<String>, JsErrorInfo> {
        let internals = self.hidden.as_ref().expect("present until consumed").internals.clone();
        let rt = self.rt();
        deno_core::scope!(scope, rt);
        v8::tc_scope!(let scope, scope);
        let object = v8::Local::new(scope, internals);
        let key = v8::String::new(scope, name).expect("short string");
        let function = object
            .get(scope, key.into())
            .and_then(|f| v8::Local::<v8::Function>::try_from(f).ok())
            .expect("bootstrap defines every internal");
        let receiver = v8::undefined(scope).into();
        let args: Vec<v8::Local<v8::Value>> = args.iter().map(|a| v8::Local::new(scope, a)).collect();
        match function.call(scope, receiver, &args) {
            Some(value) if value.is_undefined() => Ok(None),
            Some(value) => Ok(Some(value.to_rust_string_lossy(scope))),
            None => {
                let message = scope
                    .exception()
                    .map(|e| e.to_rust_string_lossy(scope))
                    .unwrap_or_else(|| "execution terminated".to_owned());
                let name = if message.starts_with("RangeError") { "RangeError" } else { "Error" };
                Err(JsErrorInfo::plain(name, format!("the result could not be converted: {message}")))
            }
        }
    }

    /// Takes a heap snapshot, consuming the isolate. A heap that fails
    /// [`Isolate::check_snapshot`], or whose snapshot is over `max_bytes`,
    /// is refused and the isolate discarded.
    pub fn snapshot(mut self, max_bytes: usize) -> Result<Box<[u8]>, Refusal> {
        if !matches!(self.runtime, Some(Runtime::Snapshotting(_))) {
            return Err(Refusal("a stateless isolate cannot be snapshotted".into()));
        }
        self.check_snapshot(max_bytes)?;
        // Entered here; the isolate exits when the snapshot consumes it.
        self.enter();
        if let Err(refusal) = self.restore_globals() {
            self.exit();
            return Err(refusal); // `self` is discarded as it drops
        }
        drop(self.hidden.take());
        let Some(Runtime::Snapshotting(rt)) = self.runtime.take() else { unreachable!("checked above") };
        let bytes = rt.snapshot();
        // `self` drops after this: the runtime is gone, then the source bytes go.
        if bytes.len() > max_bytes {
            return Err(Refusal(format!(
                "its snapshot takes {} MB, more than --max-snapshot-bytes ({} MB)",
                bytes.len() >> 20,
                max_bytes >> 20
            )));
        }
        Ok(bytes)
    }

    fn restore_globals(&mut self) -> Result<(), Refusal> {
        let values = self.hidden.as_ref().expect("present until consumed").values.clone();
        let rt = self.rt();
        deno_core::scope!(scope, rt);
        let global = scope.get_current_context().global(scope);
        for (name, value) in values {
            let key = v8::String::new(scope, name).expect("short string");
            let value = v8::Local::new(scope, value);
            if global.define_own_property(scope, key.into(), value, v8::PropertyAttribute::NONE) != Some(true) {
                return Err(Refusal(format!(
                    "globalThis.{name} is reserved by the runtime and was made read-only by user code"
                )));
            }
        }
        Ok(())
    }
}

impl Drop for Isolate {
    fn drop(&mut self) {
        // Handles first, then the isolate; the snapshot bytes field drops last.
        if self.runtime.is_none() {
            return;
        }
        // Entered so that it is current when its drop exits it.
        self.enter();
        drop(self.hidden.take());
        match self.runtime.take() {
            // deno_core leaks a snapshotting isolate that is dropped, and V8
            // may refuse to snapshot its heap: discard it.
            Some(Runtime::Snapshotting(rt)) => rt.discard(),
            Some(Runtime::Plain(rt)) => drop(rt),
            None => {}
        }
    }
}

fn hide_globals(rt: &mut JsRuntime) -> Result<Hidden, RuntimeError> {
    deno_core::scope!(scope, rt);
    let global = scope.get_current_context().global(scope);
    let mut values = Vec::with_capacity(HIDDEN_GLOBALS.len());
    let mut bootstrap = None;
    for name in HIDDEN_GLOBALS {
        let key = v8::String::new(scope, name).expect("short string");
        // deno_core may already have removed some of them itself.
        let Some(value) = global.get(scope, key.into()).filter(|v| !v.is_undefined()) else { continue };
        if name == "__bootstrap" {
            bootstrap = v8::Local::<v8::Object>::try_from(value).ok();
        }
        values.push((name, v8::Global::new(scope, value)));
        global.delete(scope, key.into());
    }
    let bootstrap = bootstrap.ok_or_else(bad_bootstrap)?;
    let key = v8::String::new(scope, "mcpv8").expect("short string");
    let internals = bootstrap
        .get(scope, key.into())
        .and_then(|v| v8::Local::<v8::Object>::try_from(v).ok())
        .ok_or_else(bad_bootstrap)?;
    Ok(Hidden { values, internals: v8::Global::new(scope, internals) })
}

fn bad_bootstrap() -> RuntimeError {
    RuntimeError::Snapshot("the snapshot lacks the mcp-v8 bootstrap".into())
}

/// Executes the script, awaits its completion value and then the event loop.
/// `Err(None)` means execution was terminated.
async fn run_to_idle(
    rt: &mut JsRuntime,
    code: &Prepared,
) -> Result<v8::Global<v8::Value>, Option<JsErrorInfo>> {
    let value = rt.execute_script(SCRIPT_NAME, code.code.clone()).map_err(|e| js_error(&e))?;
    let resolve = rt.resolve(value);
    let value = rt
        .with_event_loop_promise(resolve, PollEventLoopOptions::default())
        .await
        .map_err(core_error)?;
    rt.run_event_loop(PollEventLoopOptions::default()).await.map_err(core_error)?;
    Ok(value)
}

fn core_error(error: deno_core::error::CoreError) -> Option<JsErrorInfo> {
    match *error.0 {
        deno_core::error::CoreErrorKind::Js(js) => js_error(&js),
        other => Some(JsErrorInfo::plain("Error", other.to_string())),
    }
}

fn js_error(error: &deno_core::error::JsError) -> Option<JsErrorInfo> {
    if error.exception_message.contains("execution terminated") && error.frames.is_empty() && error.name.is_none() {
        return None;
    }
    Some(JsErrorInfo::from_js(error))
}
