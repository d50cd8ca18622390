//! Which dictionary this process packs heaps against (see
//! `store::packing`): the one the metadata names, while it fits this
//! build; else the heap of a new, empty session of this build, adopted.
//!
//! The dictionary is a session's heap rather than the base snapshot itself:
//! V8 writes a heap it restored in another order than one it built, and a
//! session's heap packs 10x smaller against another session's than against
//! the base. An empty session of another process of the same build differs
//! in a few places (V8 seeds its hashes anew) and serves as well, so
//! restarts keep one dictionary; a build whose empty session packs to more
//! than a sixteenth of its size against it (new bootstrap code, another V8)
//! adopts its own.
//!
//! **Invariants:**
//! - A dictionary is in the heap store and named in the metadata (which
//!   makes the sweep keep it for good) before any heap packed against it
//!   is written; both happen under the shared heaps lock, as a heap's
//!   write does.
//! - Choosing starts with the engine and is tried again on the next write
//!   when it failed (the store or the metadata was unavailable); meanwhile
//!   heaps are packed alone.

use std::sync::{Arc, Weak};

use super::Engine;
use crate::error::RuntimeError;
use crate::ids::HeapHash;
use crate::store::{Dictionary, pack};

/// Chooses the dictionary as the engine starts: a first write waits for the
/// choice only when it comes before the choice is made.
pub(super) fn spawn_choice(engine: Weak<Engine>) {
    tokio::spawn(async move {
        if let Some(engine) = engine.upgrade() {
            engine.dictionary().await;
        }
    });
}

impl Engine {
    /// The dictionary to pack new heaps against, if one can be had.
    pub(super) async fn dictionary(&self) -> Option<Arc<Dictionary>> {
        match self.dictionary.get_or_try_init(|| self.choose_dictionary()).await {
            Ok(dictionary) => Some(dictionary.clone()),
            Err(error) => {
                tracing::warn!(%error, "no dictionary to pack heaps against: packing them alone (larger) until one can be had");
                None
            }
        }
    }

    async fn choose_dictionary(&self) -> Result<Arc<Dictionary>, RuntimeError> {
        let (store, meta) = (self.store()?, self.meta()?);
        let heap_limit = self.config.default_heap_bytes;
        let empty: Arc<[u8]> = blocking(move || {
            crate::isolate::Isolate::from_static(crate::isolate::base_snapshot(), heap_limit, true)?
                .snapshot(usize::MAX)
                .map_err(|refusal| RuntimeError::Snapshot(refusal.0))
        })
        .await??
        .into();
        if let Some(adopted) = meta.dictionary()? {
            match self.dictionaries.get(store, &adopted).await? {
                Ok(dictionary) => {
                    let fits = {
                        let (dictionary, empty) = (dictionary.clone(), empty.clone());
                        blocking(move || pack(&empty, Some(&dictionary)).map(|packed| packed.len() <= empty.len() / 16))
                            .await?
                            .map_err(|e| RuntimeError::Store(format!("cannot compress a heap: {e}")))?
                    };
                    if fits {
                        return Ok(dictionary);
                    }
                    tracing::info!(dictionary = %adopted, "this build's heaps differ much from the dictionary: adopting one of its own");
                }
                Err(why) => {
                    tracing::warn!(dictionary = %adopted, "the dictionary {why}: adopting another");
                }
            }
        }
        let hash = HeapHash::of(&empty);
        let name = hash.clone();
        let (dictionary, packed) = blocking(move || (Dictionary::new(name, &empty), pack(&empty, None))).await?;
        let dictionary = Arc::new(
            dictionary.ok_or_else(|| RuntimeError::Store("an empty session's heap cannot be a dictionary".into()))?,
        );
        let packed = packed.map_err(|e| RuntimeError::Store(format!("cannot compress a heap: {e}")))?;
        let _guard = self.heaps.read().await;
        store.put(&hash, Arc::from(packed)).await?;
        meta.adopt_dictionary(hash.clone()).await?;
        self.dictionaries.add(dictionary.clone());
        tracing::debug!(dictionary = %hash, "adopted an empty session's heap as the dictionary heaps are packed against");
        Ok(dictionary)
    }
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, RuntimeError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| RuntimeError::Store(e.to_string()))
}
