//! Where heap snapshots live: a content-addressed blob store behind a trait.
//!
//! A store keeps a heap's stored form (its snapshot bytes compressed, see
//! [`packing`]) under the SHA-256 of the snapshot bytes ([`HeapHash`]). The
//! engine checks the hash of every heap it loads, after unpacking, whatever
//! store returned it, so a corrupted file or cache entry is refused rather
//! than restored.
//! [`FsStore`] (a directory) is the durable default; the gateway can put a
//! cache in front of it (Redis), which must stay an optimisation only.

mod fs;
mod packing;

use std::sync::Arc;
use std::time::SystemTime;

pub use fs::FsStore;
pub use packing::pack;

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

/// Loads a heap, unpacks it (see [`packing`]) and checks its snapshot bytes
/// against its name.
pub async fn load_checked(store: &dyn HeapStore, hash: &HeapHash) -> Result<Arc<[u8]>, RuntimeError> {
    let stored = store.get(hash).await?.ok_or_else(|| RuntimeError::heap_not_found(hash))?;
    let expected = hash.clone();
    tokio::task::spawn_blocking(move || {
        let snapshot = packing::unpack(&stored).map_err(|why| RuntimeError::HeapCorrupted {
            expected: expected.to_string(),
            actual: format!("nothing: {why}"),
        })?;
        let actual = HeapHash::of(&snapshot);
        if actual != expected {
            return Err(RuntimeError::HeapCorrupted { expected: expected.to_string(), actual: actual.to_string() });
        }
        Ok(match snapshot {
            std::borrow::Cow::Borrowed(_) => stored,
            std::borrow::Cow::Owned(snapshot) => Arc::from(snapshot),
        })
    })
    .await
    .map_err(|e| RuntimeError::Store(e.to_string()))?
}
