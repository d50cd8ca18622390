//! Where heap snapshots live: a content-addressed blob store behind a trait.
//!
//! A store keeps bytes under their SHA-256 ([`HeapHash`]). The engine checks
//! the hash of every blob it loads, whatever store returned it, so a
//! corrupted file or cache entry is refused rather than restored.
//! [`FsStore`] (a directory) is the durable default; the gateway can put a
//! cache in front of it (Redis), which must stay an optimisation only.

mod fs;

use std::sync::Arc;
use std::time::SystemTime;

pub use fs::FsStore;

use crate::error::RuntimeError;
use crate::ids::HeapHash;

#[async_trait::async_trait]
pub trait HeapStore: Send + Sync + 'static {
    /// Stores `bytes` under `hash` (which the caller computed). Storing a
    /// hash that is already there is a cheap no-op.
    async fn put(&self, hash: &HeapHash, bytes: Arc<[u8]>) -> Result<(), RuntimeError>;

    /// The bytes stored under `hash`, if any (not yet hash-checked).
    async fn get(&self, hash: &HeapHash) -> Result<Option<Arc<[u8]>>, RuntimeError>;

    /// Every stored heap with the time it was last written, for the sweep
    /// of unreferenced heaps.
    async fn list(&self) -> Result<Vec<(HeapHash, SystemTime)>, RuntimeError>;

    /// Removes a heap (nothing happens if it is not there).
    async fn delete(&self, hash: &HeapHash) -> Result<(), RuntimeError>;

    /// A short description for logs and `--help`-like output.
    fn describe(&self) -> String;
}

/// Loads a heap and checks its bytes against its name.
pub async fn load_checked(store: &dyn HeapStore, hash: &HeapHash) -> Result<Arc<[u8]>, RuntimeError> {
    let bytes = store.get(hash).await?.ok_or_else(|| RuntimeError::heap_not_found(hash))?;
    let actual = HeapHash::of(&bytes);
    if &actual != hash {
        return Err(RuntimeError::HeapCorrupted { expected: hash.to_string(), actual: actual.to_string() });
    }
    Ok(bytes)
}
