//! V8's filter of unreachable heap objects, made a no-op.
//!
//! `SnapshotCreator::CreateBlob` collects all garbage (full GCs, no stack
//! scanning), then walks the heap once more looking for asm.js and exported
//! WebAssembly functions, which a snapshot cannot hold. That walk asks for
//! unreachable objects to be filtered out, and the filter
//! (`UnreachableObjectsFilter`) marks the whole heap again from the roots
//! into `std::unordered_set`s: about 11% of the CPU of a run under
//! `--snapshot-policy every-run`, to find nothing, since the collection just
//! before left no unreachable object, and our snapshotting isolates have no
//! WebAssembly at all (V8 leaves it out of them; see `guards.js`).
//!
//! This module defines the filter's two member functions (by their C++
//! names) so that it marks nothing and skips nothing. Both are inline
//! members, emitted by V8 as weak symbols (`heap.o`), so ours, strong, are
//! the ones the linker keeps.
//!
//! **Invariants:**
//! - Only what asks for `kFilterUnreachable` changes. In V8 150 that is the
//!   snapshot's check above (after the full collection: the same objects
//!   either way), the heap profiler (`QueryObjects`, finding an object by
//!   id) and LiveEdit: neither is reachable here (no inspector, no heap
//!   profiler is started by the runtime or the gateway).
//! - If a later V8 renames or reshapes the filter, nothing refers to these
//!   symbols any more and V8's own filter runs: slower, never wrong. The
//!   test below fails then, and says so.

use std::ffi::c_void;
use std::sync::atomic::{AtomicU64, Ordering};

/// Times V8 set a filter up: ours runs (checked by the test).
static FILTERS: AtomicU64 = AtomicU64::new(0);

/// `void UnreachableObjectsFilter::MarkReachableObjects()`: called when the
/// filter is made. Marks nothing.
///
/// # Safety
/// Called by V8 with its filter as `this`; touches nothing.
#[unsafe(export_name = "_ZN2v88internal24UnreachableObjectsFilter20MarkReachableObjectsEv")]
pub unsafe extern "C" fn mark_reachable_objects(_this: *mut c_void) {
    FILTERS.fetch_add(1, Ordering::Relaxed);
}

/// `bool UnreachableObjectsFilter::SkipObject(Tagged<HeapObject>)`: a
/// `Tagged` is one word, trivially copyable, so it comes in a register.
/// Skips nothing.
///
/// # Safety
/// Called by V8 with its filter as `this`; touches nothing.
#[unsafe(export_name = "_ZN2v88internal24UnreachableObjectsFilter10SkipObjectENS0_6TaggedINS0_10HeapObjectEEE")]
pub unsafe extern "C" fn skip_object(_this: *mut c_void, _object: usize) -> bool {
    false
}

/// How many filters V8 made with ours, so far.
#[cfg(test)]
pub(crate) fn filters_made() -> u64 {
    FILTERS.load(Ordering::Relaxed)
}
