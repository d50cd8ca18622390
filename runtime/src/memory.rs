//! Memory a run uses, inside and outside V8's JS heap, and the budgets that
//! bound it.
//!
//! A run's budget (`heap_memory_max_mb`) covers its JS heap plus its
//! `ArrayBuffer` and `SharedArrayBuffer` backing stores plus its WebAssembly
//! memories. Three mechanisms enforce it, because V8 allocates these through
//! different paths:
//!
//! - V8's own heap limit (set to the budget) and the near-heap-limit
//!   callback in `isolate.rs` stop a JS heap bomb.
//! - A counting `ArrayBuffer` allocator per isolate ([`MemoryAccount`])
//!   refuses a buffer that would take the run over its budget (V8 retries
//!   after garbage collections, then throws a `RangeError`); the refusal
//!   schedules a check that stops the run.
//! - Resizable buffers, growable `SharedArrayBuffer`s and WebAssembly
//!   memories do not go through the allocator. `bootstrap.js` checks their
//!   sizes against the budget where they are made or grown, and a check
//!   requested as a V8 interrupt (after those operations, and every
//!   [`CHECK_INTERVAL`] while a run executes) measures the JS heap plus
//!   V8's external memory (which counts buffers and WebAssembly memories)
//!   and stops a run that went over.
//!
//! [`MemoryBudget`] bounds all runs of the process together: a run reserves
//! its budget plus [`RUN_OVERHEAD`] before it starts and waits (`queued`)
//! while the process has no room.
//!
//! **Invariants:**
//! - The allocator's budget is off (unlimited) while an isolate is being
//!   created: restoring a snapshot whose buffers do not fit would otherwise
//!   abort V8. It is switched on before user code runs.
//! - Counters are atomic: V8 frees backing stores from its background
//!   sweeper threads.

use std::ffi::c_void;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use deno_core::v8;
use parking_lot::Mutex;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::RuntimeError;
use crate::isolate::{StopReason, Stopper};

/// How often a running isolate measures its memory.
pub const CHECK_INTERVAL: Duration = Duration::from_millis(10);
/// Memory a run costs beyond its budget (V8's fixed heap spaces, compiled
/// code, the worker's own structures), reserved from the process budget.
pub const RUN_OVERHEAD: usize = 16 << 20;
const MIB: usize = 1 << 20;

/// The memory of one isolate outside its JS heap, shared with the
/// `ArrayBuffer` allocator V8 uses for it.
#[derive(Debug)]
pub struct MemoryAccount {
    /// Bytes handed out by the allocator and not yet freed.
    allocated: AtomicUsize,
    /// Growable `SharedArrayBuffer` capacity made in this isolate (counted
    /// at its maximum: V8 tracks neither its growth nor its release).
    reserved: AtomicUsize,
    /// The run's budget; `usize::MAX` while no run is going.
    budget: AtomicUsize,
    /// The JS heap in use when last measured (the allocator may not call
    /// back into V8).
    heap_used: AtomicUsize,
    /// The last allocation was refused for the budget.
    refused: AtomicBool,
    /// The most the run used, for the error message.
    peak: AtomicUsize,
    /// The isolate was measured since user code last ran outside a run's
    /// checks (then `heap_used` and the counters together bound its usage
    /// until the next run: between runs only the collector changes it, and
    /// it only frees).
    measured: AtomicBool,
    handle: Mutex<Option<v8::IsolateHandle>>,
    stopper: Mutex<Option<Arc<Stopper>>>,
}

/// What a run used when it was measured.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    pub heap: usize,
    /// Buffers and WebAssembly memories.
    pub external: usize,
}

impl Usage {
    pub fn total(self) -> usize {
        self.heap.saturating_add(self.external)
    }
}

impl MemoryAccount {
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            allocated: AtomicUsize::new(0),
            reserved: AtomicUsize::new(0),
            budget: AtomicUsize::new(usize::MAX),
            heap_used: AtomicUsize::new(0),
            refused: AtomicBool::new(false),
            peak: AtomicUsize::new(0),
            measured: AtomicBool::new(false),
            handle: Mutex::new(None),
            stopper: Mutex::new(None),
        })
    }

    /// The allocator V8 is to use for this account's isolate.
    pub fn allocator(self: &Arc<Self>) -> v8::SharedRef<v8::Allocator> {
        static VTABLE: v8::RustAllocatorVtable<MemoryAccount> = v8::RustAllocatorVtable {
            allocate: allocate_zeroed,
            allocate_uninitialized,
            free,
            drop: release,
        };
        // SAFETY: the pointer is an `Arc` given to V8, which gives it back
        // through `release` when it drops the allocator.
        unsafe { v8::new_rust_allocator(Arc::into_raw(self.clone()), &VTABLE) }.make_shared()
    }

    /// Binds the account to its isolate once it exists (for interrupts).
    pub fn attach(&self, handle: v8::IsolateHandle) {
        *self.handle.lock() = Some(handle);
    }

    /// Switches the budget on for a run.
    pub fn start_run(&self, budget: usize, stopper: Arc<Stopper>) {
        self.refused.store(false, Ordering::SeqCst);
        self.peak.store(0, Ordering::SeqCst);
        *self.stopper.lock() = Some(stopper);
        self.budget.store(budget, Ordering::SeqCst);
    }

    /// Switches the budget off after a run.
    pub fn end_run(&self) {
        self.budget.store(usize::MAX, Ordering::SeqCst);
        self.stopper.lock().take();
    }

    pub fn budget(&self) -> usize {
        self.budget.load(Ordering::SeqCst)
    }

    /// The highest usage seen during the run.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// Counts a growable `SharedArrayBuffer`'s maximum against the run.
    /// Returns false (and stops the run) when it does not fit.
    pub fn reserve(&self, bytes: usize) -> bool {
        let reserved = self.reserved.fetch_add(bytes, Ordering::SeqCst).saturating_add(bytes);
        let used = self.heap_used.load(Ordering::SeqCst) + self.allocated.load(Ordering::SeqCst) + reserved;
        if used > self.budget() {
            self.exceeded(used);
            return false;
        }
        true
    }

    /// Stops the run in progress for going over its budget.
    pub fn exceeded(&self, used: usize) {
        self.peak.fetch_max(used, Ordering::SeqCst);
        if let Some(stopper) = &*self.stopper.lock() {
            stopper.stop(StopReason::MemoryLimit);
        }
    }

    /// Asks V8 to run [`Self::check`] on the isolate's thread at its next
    /// safe point (soon, if JavaScript is running).
    pub fn request_check(self: &Arc<Self>) {
        if let Some(handle) = &*self.handle.lock() {
            handle.request_interrupt(check_interrupt, Arc::as_ptr(self) as *mut c_void);
        }
    }

    /// Measures the isolate and stops the run if it went over its budget.
    /// Runs on the isolate's thread.
    pub fn check(&self, isolate: &mut v8::Isolate) {
        let usage = self.measure(isolate);
        let budget = self.budget();
        let total = usage.total().max(usage.heap + self.allocated.load(Ordering::SeqCst));
        self.peak.fetch_max(total, Ordering::SeqCst);
        if total > budget || self.refused.load(Ordering::SeqCst) {
            self.exceeded(total);
        }
    }

    /// Checks the isolate before a run: an isolate restored from a
    /// snapshot is measured; a warm one is known to be within `budget` when
    /// what it used when last measured fits (it has not grown since).
    pub fn check_before_run(&self, isolate: &mut v8::Isolate) {
        let known = self.heap_used.load(Ordering::SeqCst)
            + self.allocated.load(Ordering::SeqCst)
            + self.reserved.load(Ordering::SeqCst);
        if !self.measured.load(Ordering::SeqCst) || known > self.budget() {
            self.check(isolate);
        }
    }

    /// User code ran after the last measurement (finalization callbacks):
    /// the next run measures before it starts.
    pub fn forget_measurement(&self) {
        self.measured.store(false, Ordering::SeqCst);
    }

    /// The isolate's memory now. Runs on the isolate's thread.
    pub fn measure(&self, isolate: &mut v8::Isolate) -> Usage {
        let heap = isolate.get_heap_statistics().used_heap_size();
        self.heap_used.store(heap, Ordering::SeqCst);
        self.measured.store(true, Ordering::SeqCst);
        // V8's external memory counts non-shared buffers (with their current
        // length) and WebAssembly memories; shared buffers are only in the
        // allocator's count, growable ones in `reserved`.
        let external = usize::try_from(isolate.adjust_amount_of_external_allocated_memory(0)).unwrap_or(0);
        let external = external.max(self.allocated.load(Ordering::SeqCst)) + self.reserved.load(Ordering::SeqCst);
        Usage { heap, external }
    }

    fn admit(&self, len: usize) -> bool {
        let budget = self.budget();
        if budget == usize::MAX {
            self.allocated.fetch_add(len, Ordering::SeqCst);
            return true;
        }
        let fixed = self.heap_used.load(Ordering::SeqCst) + self.reserved.load(Ordering::SeqCst);
        let mut current = self.allocated.load(Ordering::SeqCst);
        loop {
            let after = current.saturating_add(len);
            if after.saturating_add(fixed) > budget {
                self.refused.store(true, Ordering::SeqCst);
                return false;
            }
            match self.allocated.compare_exchange(current, after, Ordering::SeqCst, Ordering::SeqCst) {
                Ok(_) => {
                    self.refused.store(false, Ordering::SeqCst);
                    return true;
                }
                Err(now) => current = now,
            }
        }
    }
}

unsafe extern "C" fn check_interrupt(isolate: v8::UnsafeRawIsolatePtr, data: *mut c_void) {
    // SAFETY: `data` is the account of this isolate, kept alive by the
    // isolate's allocator for as long as the isolate exists; interrupts run
    // only on a live isolate, on its own thread.
    let account = unsafe { &*(data as *const MemoryAccount) };
    let mut isolate = unsafe { v8::Isolate::from_raw_isolate_ptr(isolate) };
    account.check(&mut isolate);
}

fn layout(len: usize) -> Option<std::alloc::Layout> {
    std::alloc::Layout::from_size_align(len.max(1), 16).ok()
}

unsafe extern "C" fn allocate_zeroed(account: &MemoryAccount, len: usize) -> *mut c_void {
    allocate(account, len, true)
}

unsafe extern "C" fn allocate_uninitialized(account: &MemoryAccount, len: usize) -> *mut c_void {
    allocate(account, len, false)
}

fn allocate(account: &MemoryAccount, len: usize, zeroed: bool) -> *mut c_void {
    let Some(layout) = layout(len) else { return std::ptr::null_mut() };
    if !account.admit(len) {
        if let Some(handle) = &*account.handle.lock() {
            // The refusal stands unless V8's retry after a GC succeeds; the
            // check runs when JavaScript resumes and stops the run if so.
            handle.request_interrupt(check_interrupt, account as *const MemoryAccount as *mut c_void);
        }
        return std::ptr::null_mut();
    }
    // SAFETY: the layout has a non-zero size.
    let ptr = unsafe { if zeroed { std::alloc::alloc_zeroed(layout) } else { std::alloc::alloc(layout) } };
    if ptr.is_null() {
        account.allocated.fetch_sub(len, Ordering::SeqCst);
    }
    ptr.cast()
}

unsafe extern "C" fn free(account: &MemoryAccount, data: *mut c_void, len: usize) {
    if data.is_null() {
        return;
    }
    account.allocated.fetch_sub(len, Ordering::SeqCst);
    if let Some(layout) = layout(len) {
        // SAFETY: `data` came from `allocate` with this length.
        unsafe { std::alloc::dealloc(data.cast(), layout) };
    }
}

unsafe extern "C" fn release(account: *const MemoryAccount) {
    // SAFETY: the `Arc` given to V8 in `MemoryAccount::allocator`.
    drop(unsafe { Arc::from_raw(account) });
}

/// The process-wide budget for all runs at once (`--memory-max`), in MiB
/// units of a semaphore.
#[derive(Debug)]
pub struct MemoryBudget {
    total: usize,
    units: Arc<Semaphore>,
}

/// Room a run holds in the process budget until it ends.
#[derive(Debug)]
pub struct Reservation(#[allow(dead_code)] OwnedSemaphorePermit);

impl MemoryBudget {
    pub fn new(total_bytes: usize) -> Self {
        let units = (total_bytes / MIB).clamp(1, Semaphore::MAX_PERMITS);
        Self { total: units * MIB, units: Arc::new(Semaphore::new(units)) }
    }

    /// What a run with this budget reserves.
    pub fn cost(run_budget: usize) -> usize {
        run_budget.saturating_add(RUN_OVERHEAD)
    }

    pub fn total(&self) -> usize {
        self.total
    }

    /// Refuses a run that could never fit.
    pub fn check(&self, run_budget: usize) -> Result<(), RuntimeError> {
        if Self::cost(run_budget) > self.total {
            return Err(RuntimeError::InvalidRequest(format!(
                "heap_memory_max_mb {} does not fit the server's memory budget of {} MB (--memory-max; a run also needs {} MB of overhead)",
                run_budget / MIB,
                self.total / MIB,
                RUN_OVERHEAD / MIB
            )));
        }
        Ok(())
    }

    /// Waits until the process has room for a run with this budget.
    pub async fn reserve(&self, run_budget: usize) -> Result<Reservation, RuntimeError> {
        self.check(run_budget)?;
        let units = Self::cost(run_budget).div_ceil(MIB) as u32;
        self.units
            .clone()
            .acquire_many_owned(units)
            .await
            .map(Reservation)
            .map_err(|_| RuntimeError::Unavailable("the server is shutting down".into()))
    }
}

/// The default process budget: three quarters of the memory this process
/// may use (the cgroup limit when one is set, else the machine's memory).
pub fn default_process_budget() -> usize {
    let machine = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
            line.split_whitespace().nth(1)?.parse::<usize>().ok()
        })
        .map(|kib| kib * 1024);
    let cgroup = std::fs::read_to_string("/sys/fs/cgroup/memory.max").ok().and_then(|t| t.trim().parse::<usize>().ok());
    let limit = match (machine, cgroup) {
        (Some(m), Some(c)) => m.min(c),
        (Some(m), None) => m,
        (None, Some(c)) => c,
        (None, None) => 4 << 30,
    };
    limit / 4 * 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admit_counts_and_refuses_past_the_budget() {
        let account = MemoryAccount::new();
        assert!(account.admit(100 * MIB), "no budget while no run is going");
        account.allocated.store(0, Ordering::SeqCst);
        account.budget.store(64 * MIB, Ordering::SeqCst);
        account.heap_used.store(8 * MIB, Ordering::SeqCst);
        assert!(account.admit(50 * MIB));
        assert!(!account.admit(10 * MIB), "8 + 50 + 10 > 64");
        assert!(account.refused.load(Ordering::SeqCst));
        assert!(account.admit(4 * MIB));
        assert!(!account.refused.load(Ordering::SeqCst), "a later success clears the refusal");
    }

    #[tokio::test]
    async fn the_process_budget_queues_and_refuses() {
        let budget = MemoryBudget::new(100 * MIB);
        assert!(budget.check(90 * MIB).is_err(), "90 + 16 overhead > 100");
        let first = budget.reserve(40 * MIB).await.unwrap();
        assert!(tokio::time::timeout(Duration::from_millis(50), budget.reserve(40 * MIB)).await.is_err(), "waits");
        drop(first);
        assert!(budget.reserve(40 * MIB).await.is_ok());
    }
}
