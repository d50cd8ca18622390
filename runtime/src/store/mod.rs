//! Where heap snapshots live: a content-addressed blob store behind a trait.
//!
//! A store keeps a heap's stored form (its snapshot bytes compressed, alone
//! or against a dictionary that is itself a heap of the store, see
//! [`packing`]) under the SHA-256 of the snapshot bytes ([`HeapHash`]). The
//! engine checks the hash of every heap it loads, after unpacking, whatever
//! store returned it, so a corrupted file or cache entry is refused rather
//! than restored.
//! [`FsStore`] (a directory) is the durable default; the gateway can put a
//! cache in front of it (Redis), which must stay an optimisation only.

mod fs;
pub(crate) mod packing;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;

pub use fs::FsStore;
pub use packing::{Dictionary, pack};

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

/// The dictionaries heaps were packed against (see [`packing`]), by name:
/// each loaded from the store the first time a heap names it, and kept.
/// A process meets few: the ones chosen by the builds that wrote its store.
#[derive(Default)]
pub struct Dictionaries {
    known: parking_lot::Mutex<HashMap<HeapHash, Arc<Dictionary>>>,
}

impl Dictionaries {
    /// Keeps `dictionary` for the heaps that name it.
    pub fn add(&self, dictionary: Arc<Dictionary>) {
        self.known.lock().insert(dictionary.hash().clone(), dictionary);
    }

    /// The dictionary named `hash`: known, or loaded from `store`. A
    /// dictionary is a heap packed alone; the inner error says why the one
    /// named cannot serve (missing, damaged, packed against another).
    pub async fn get(
        &self,
        store: &dyn HeapStore,
        hash: &HeapHash,
    ) -> Result<Result<Arc<Dictionary>, String>, RuntimeError> {
        if let Some(dictionary) = self.known.lock().get(hash) {
            return Ok(Ok(dictionary.clone()));
        }
        let Some(stored) = store.get(hash).await? else {
            return Ok(Err("is missing from the store".into()));
        };
        if !matches!(packing::dictionary_of(&stored), Ok(None)) {
            return Ok(Err("is packed against a dictionary itself".into()));
        }
        let snapshot = match unpack_checked(stored, hash.clone(), None).await {
            Ok(snapshot) => snapshot,
            Err(RuntimeError::HeapCorrupted { actual, .. }) => {
                return Ok(Err(format!("is corrupted: its bytes hash to {actual}")));
            }
            Err(error) => return Err(error),
        };
        let name = hash.clone();
        let dictionary = tokio::task::spawn_blocking(move || Dictionary::new(name, &snapshot))
            .await
            .map_err(|e| RuntimeError::Store(e.to_string()))?;
        let Some(dictionary) = dictionary else {
            return Ok(Err("is not raw content".into()));
        };
        let dictionary = Arc::new(dictionary);
        self.add(dictionary.clone());
        Ok(Ok(dictionary))
    }
}

/// Loads a heap, unpacks it (see [`packing`]; with the dictionary it names,
/// from `dictionaries`) and checks its snapshot bytes against its name.
pub async fn load_checked(
    store: &dyn HeapStore,
    dictionaries: &Dictionaries,
    hash: &HeapHash,
) -> Result<Arc<[u8]>, RuntimeError> {
    let stored = store.get(hash).await?.ok_or_else(|| RuntimeError::heap_not_found(hash))?;
    let named = packing::dictionary_of(&stored)
        .map_err(|why| RuntimeError::HeapCorrupted { expected: hash.to_string(), actual: format!("nothing: {why}") })?;
    let dictionary = match named {
        Some(name) => Some(dictionaries.get(store, &name).await?.map_err(|why| RuntimeError::HeapCorrupted {
            expected: hash.to_string(),
            actual: format!("nothing: the dictionary it was packed against, {name}, {why}"),
        })?),
        None => None,
    };
    unpack_checked(stored, hash.clone(), dictionary).await
}

/// Unpacks stored bytes (off the runtime's threads) and checks them against
/// their name.
async fn unpack_checked(
    stored: Arc<[u8]>,
    expected: HeapHash,
    dictionary: Option<Arc<Dictionary>>,
) -> Result<Arc<[u8]>, RuntimeError> {
    tokio::task::spawn_blocking(move || {
        let snapshot = packing::unpack(&stored, dictionary.as_deref()).map_err(|why| RuntimeError::HeapCorrupted {
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
