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
//! - A snapshotting isolate is only ever consumed by [`Isolate::snapshot`]:
//!   deno_core leaks one that is dropped.
//! - After a run was stopped (timeout, cancel) the isolate is usable again:
//!   termination is cancelled and every pending timer dropped. After the heap
//!   limit was hit it is not: the owner must retire it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use deno_core::{JsRuntime, JsRuntimeForSnapshot, PollEventLoopOptions, RuntimeOptions, v8};

use crate::error::{JsErrorInfo, RuntimeError};
use crate::ext::{ConsoleSink, mcpv8};
use crate::output::Output;
use crate::transform::{Prepared, SCRIPT_NAME};

const HIDDEN_GLOBALS: [&str; 3] = ["Deno", "__bootstrap", "__infra"];

/// Why a run was stopped from outside. The first reason set wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum StopReason {
    Timeout = 1,
    Cancelled = 2,
    HeapLimit = 3,
}

/// Lets another thread stop the run in progress on an isolate.
#[derive(Debug, Default)]
pub struct Stopper {
    reason: AtomicU8,
    handle: parking_lot::Mutex<Option<v8::IsolateHandle>>,
    notify: tokio::sync::Notify,
}

impl Stopper {
    /// Stops the run: terminates JavaScript that is running and wakes the
    /// worker if it is waiting on the event loop. Returns false if the run
    /// was already stopped.
    pub fn stop(&self, reason: StopReason) -> bool {
        if self.reason.compare_exchange(0, reason as u8, Ordering::SeqCst, Ordering::SeqCst).is_err() {
            return false;
        }
        if let Some(handle) = &*self.handle.lock() {
            handle.terminate_execution();
        }
        self.notify.notify_one();
        true
    }

    pub fn reason(&self) -> Option<StopReason> {
        match self.reason.load(Ordering::SeqCst) {
            1 => Some(StopReason::Timeout),
            2 => Some(StopReason::Cancelled),
            3 => Some(StopReason::HeapLimit),
            _ => None,
        }
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
    heap_limit_bytes: usize,
    stopper: Arc<parking_lot::Mutex<Option<Arc<Stopper>>>>,
    poisoned: bool,
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
pub fn init_v8() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let unknown = deno_core::v8_set_flags(vec!["mcp-v8".into(), "--no-extensible-ro-snapshot".into()]);
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
        let runtime =
            JsRuntimeForSnapshot::new(RuntimeOptions { extensions: vec![mcpv8::init()], ..Default::default() });
        let bytes = Box::leak(runtime.snapshot());
        tracing::debug!(bytes = bytes.len(), elapsed_ms = started.elapsed().as_millis() as u64, "base snapshot made");
        bytes
    })
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
        let options = || RuntimeOptions {
            extensions: vec![mcpv8::init()],
            startup_snapshot: Some(snapshot),
            create_params: Some(v8::CreateParams::default().heap_limits(0, heap_limit_bytes)),
            ..Default::default()
        };
        let mut runtime = if snapshotting {
            Runtime::Snapshotting(
                JsRuntimeForSnapshot::try_new(options()).map_err(|e| RuntimeError::Snapshot(e.to_string()))?,
            )
        } else {
            Runtime::Plain(JsRuntime::try_new(options()).map_err(|e| RuntimeError::Snapshot(e.to_string()))?)
        };
        let stopper: Arc<parking_lot::Mutex<Option<Arc<Stopper>>>> = Arc::default();
        {
            let stopper = stopper.clone();
            let handle = runtime.js().v8_isolate().thread_safe_handle();
            runtime.js().add_near_heap_limit_callback(move |current, _initial| {
                if let Some(stopper) = &*stopper.lock() {
                    stopper.stop(StopReason::HeapLimit);
                }
                handle.terminate_execution();
                // Room to unwind; the isolate is retired afterwards.
                current.saturating_mul(2)
            });
        }
        let hidden = hide_globals(runtime.js());
        // A new isolate is entered; leave it so that the thread's isolates
        // nest (see `enter`).
        // SAFETY: it is the current isolate, entered once by its creation.
        unsafe { runtime.js().v8_isolate().exit() };
        let hidden = match hidden {
            Ok(hidden) => hidden,
            Err(error) => {
                // SAFETY: re-entered so that its drop exits the current isolate.
                unsafe { runtime.js().v8_isolate().enter() };
                if let Runtime::Snapshotting(rt) = runtime {
                    drop(rt.snapshot());
                }
                return Err(error);
            }
        };
        Ok(Self {
            hidden: Some(hidden),
            runtime: Some(runtime),
            _snapshot: keep,
            heap_limit_bytes,
            stopper,
            poisoned: false,
        })
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

    /// Bytes in use on the V8 heap, for memory-bounded caches.
    pub fn used_heap_bytes(&mut self) -> usize {
        self.enter();
        let stats = self.rt().v8_isolate().get_heap_statistics();
        self.exit();
        stats.used_heap_size()
    }

    /// Runs prepared code to completion of its event loop, or until stopped.
    pub async fn run(&mut self, code: &Prepared, output: Arc<Output>, stopper: Arc<Stopper>) -> RunEnd {
        assert!(!self.poisoned, "a poisoned isolate must be retired");
        self.enter();
        let end = self.run_entered(code, output, stopper).await;
        self.exit();
        end
    }

    async fn run_entered(&mut self, code: &Prepared, output: Arc<Output>, stopper: Arc<Stopper>) -> RunEnd {
        *self.stopper.lock() = Some(stopper.clone());
        let rt = self.rt();
        rt.op_state().borrow_mut().put(ConsoleSink(Some(output)));
        stopper.attach(rt.v8_isolate().thread_safe_handle());

        let outcome = {
            let work = run_to_idle(rt, code);
            tokio::select! {
                biased;
                outcome = work => outcome,
                () = stopper.notify.notified() => Err(None),
            }
        };
        stopper.detach();
        *self.stopper.lock() = None;

        let end = match (stopper.reason(), outcome) {
            (Some(reason), _) => RunEnd::Stopped(reason),
            (None, Ok(value)) => match self.call_internal("toResult", Some(value)) {
                Ok(json) => RunEnd::Completed(json),
                Err(error) => RunEnd::Threw(error),
            },
            (None, Err(Some(error))) => RunEnd::Threw(error),
            (None, Err(None)) => RunEnd::Stopped(StopReason::Cancelled),
        };
        let rt = self.rt();
        rt.op_state().borrow_mut().put(ConsoleSink(None));
        match end {
            RunEnd::Stopped(StopReason::HeapLimit) => self.poisoned = true,
            RunEnd::Stopped(_) | RunEnd::Threw(_) => {
                rt.v8_isolate().cancel_terminate_execution();
                // Timers of a stopped or failed run must not fire into the next one.
                let _ = self.call_internal("dropTimers", None);
            }
            RunEnd::Completed(_) => {}
        }
        end
    }

    /// Calls a function of `__bootstrap.mcpv8`; returns its string result.
    fn call_internal(
        &mut self,
        name: &str,
        arg: Option<v8::Global<v8::Value>>,
    ) -> Result<Option<String>, JsErrorInfo> {
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
        let args: Vec<v8::Local<v8::Value>> = arg.iter().map(|a| v8::Local::new(scope, a)).collect();
        match function.call(scope, receiver, &args) {
            Some(value) if value.is_undefined() => Ok(None),
            Some(value) => Ok(Some(value.to_rust_string_lossy(scope))),
            None => {
                let message = scope
                    .exception()
                    .map(|e| e.to_rust_string_lossy(scope))
                    .unwrap_or_else(|| "execution terminated".to_owned());
                Err(JsErrorInfo::plain("Error", format!("the result could not be converted: {message}")))
            }
        }
    }

    /// Takes a heap snapshot, consuming the isolate.
    pub fn snapshot(mut self) -> Result<Box<[u8]>, RuntimeError> {
        // Entered here; the isolate exits when the snapshot consumes it.
        self.enter();
        let restored = self.restore_globals();
        drop(self.hidden.take());
        match self.runtime.take() {
            Some(Runtime::Snapshotting(rt)) => {
                let bytes = rt.snapshot();
                restored.map(|()| bytes)
            }
            Some(plain @ Runtime::Plain(_)) => {
                drop(plain);
                Err(RuntimeError::Snapshot("a stateless isolate cannot be snapshotted".into()))
            }
            None => Err(RuntimeError::Snapshot("the isolate was consumed".into())),
        }
        // `self` drops here: the runtime is gone, then the source bytes go.
    }

    fn restore_globals(&mut self) -> Result<(), RuntimeError> {
        let values = self.hidden.as_ref().expect("present until consumed").values.clone();
        let rt = self.rt();
        deno_core::scope!(scope, rt);
        let global = scope.get_current_context().global(scope);
        for (name, value) in values {
            let key = v8::String::new(scope, name).expect("short string");
            let value = v8::Local::new(scope, value);
            if global.define_own_property(scope, key.into(), value, v8::PropertyAttribute::NONE) != Some(true) {
                return Err(RuntimeError::Snapshot(format!(
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
            // deno_core leaks a snapshotting isolate that is dropped; taking
            // (and discarding) a snapshot frees it.
            Some(Runtime::Snapshotting(rt)) => drop(rt.snapshot()),
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
