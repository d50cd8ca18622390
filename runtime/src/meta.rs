//! Durable metadata beside the heap store: session heads, session logs and
//! heap tags, in one redb file.
//!
//! Writes go through one writer thread that commits in groups (as databases
//! do): every caller's change is durable (`fsync`ed) when its `await`
//! returns, and concurrent writers share one commit.
//!
//! **Invariant:** a session head or log entry only ever names a heap that was
//! already written to the heap store.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;

use crate::error::RuntimeError;
use crate::ids::{ExecutionId, HeapHash, SessionName};

const HEADS: TableDefinition<&str, &[u8]> = TableDefinition::new("session_heads");
const LOG: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("session_log");
const TAGS: TableDefinition<&str, &[u8]> = TableDefinition::new("heap_tags");

pub type Tags = BTreeMap<String, String>;

/// Where a session stands.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionHead {
    pub session: SessionName,
    /// The latest persisted heap of the session.
    pub heap: Option<HeapHash>,
    pub runs: u64,
    /// Milliseconds since the Unix epoch.
    pub updated_at_ms: u64,
}

/// One run of a session, as its log keeps it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionLogEntry {
    pub seq: u64,
    pub execution_id: ExecutionId,
    pub input_heap: Option<HeapHash>,
    /// `None` while the run's heap is not persisted yet (snapshot policy
    /// `idle`), or when a later run of the same warm isolate superseded it.
    pub output_heap: Option<HeapHash>,
    /// SHA-256 of the submitted code.
    pub code_hash: String,
    pub status: String,
    pub started_at_ms: u64,
    pub finished_at_ms: u64,
}

enum Write {
    /// Appends a log entry and moves the head (`heap: Some`) or only counts the run.
    Run { session: SessionName, entry: SessionLogEntry },
    /// Sets the output heap of logged runs and moves the head to it.
    Persisted { session: SessionName, seqs: Vec<u64>, heap: HeapHash },
    SetTags { heap: HeapHash, tags: Tags },
    DeleteTags { heap: HeapHash, keys: Option<Vec<String>> },
}

type Reply = oneshot::Sender<Result<(), RuntimeError>>;

#[derive(Clone)]
pub struct Meta {
    db: Arc<Database>,
    writer: std::sync::mpsc::Sender<(Write, Reply)>,
}

pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

fn store_error(error: impl std::fmt::Display) -> RuntimeError {
    RuntimeError::Store(format!("metadata: {error}"))
}

impl Meta {
    pub fn open(path: &Path) -> Result<Self, RuntimeError> {
        let db = Database::create(path).map_err(|e| {
            RuntimeError::Store(format!("cannot open {}: {e} (is another mcp-v8 using this directory?)", path.display()))
        })?;
        {
            let txn = db.begin_write().map_err(store_error)?;
            txn.open_table(HEADS).map_err(store_error)?;
            txn.open_table(LOG).map_err(store_error)?;
            txn.open_table(TAGS).map_err(store_error)?;
            txn.commit().map_err(store_error)?;
        }
        let db = Arc::new(db);
        let (tx, rx) = std::sync::mpsc::channel::<(Write, Reply)>();
        let writer_db = db.clone();
        std::thread::Builder::new()
            .name("mcpv8-meta".into())
            .spawn(move || writer_loop(&writer_db, &rx))
            .map_err(store_error)?;
        Ok(Self { db, writer: tx })
    }

    async fn write(&self, write: Write) -> Result<(), RuntimeError> {
        let (tx, rx) = oneshot::channel();
        self.writer.send((write, tx)).map_err(|_| RuntimeError::Unavailable("metadata writer stopped".into()))?;
        rx.await.map_err(|_| RuntimeError::Unavailable("metadata writer stopped".into()))?
    }

    pub async fn record_run(&self, session: SessionName, entry: SessionLogEntry) -> Result<(), RuntimeError> {
        self.write(Write::Run { session, entry }).await
    }

    pub async fn record_persisted(&self, session: SessionName, seqs: Vec<u64>, heap: HeapHash) -> Result<(), RuntimeError> {
        self.write(Write::Persisted { session, seqs, heap }).await
    }

    pub async fn set_tags(&self, heap: HeapHash, tags: Tags) -> Result<(), RuntimeError> {
        self.write(Write::SetTags { heap, tags }).await
    }

    pub async fn delete_tags(&self, heap: HeapHash, keys: Option<Vec<String>>) -> Result<(), RuntimeError> {
        self.write(Write::DeleteTags { heap, keys }).await
    }

    pub fn head(&self, session: &SessionName) -> Result<Option<SessionHead>, RuntimeError> {
        let txn = self.db.begin_read().map_err(store_error)?;
        let table = txn.open_table(HEADS).map_err(store_error)?;
        let value = table.get(session.as_str()).map_err(store_error)?;
        Ok(value.and_then(|v| serde_json::from_slice(v.value()).ok()))
    }

    pub fn sessions(&self) -> Result<Vec<SessionHead>, RuntimeError> {
        let txn = self.db.begin_read().map_err(store_error)?;
        let table = txn.open_table(HEADS).map_err(store_error)?;
        let mut out = Vec::new();
        for row in table.iter().map_err(store_error)? {
            let (_, value) = row.map_err(store_error)?;
            if let Ok(head) = serde_json::from_slice(value.value()) {
                out.push(head);
            }
        }
        Ok(out)
    }

    /// The log of a session, oldest first, from `after_seq` on.
    pub fn log(&self, session: &SessionName, after_seq: u64, limit: usize) -> Result<Vec<SessionLogEntry>, RuntimeError> {
        let txn = self.db.begin_read().map_err(store_error)?;
        let table = txn.open_table(LOG).map_err(store_error)?;
        let mut out = Vec::new();
        let range = table.range((session.as_str(), after_seq)..=(session.as_str(), u64::MAX)).map_err(store_error)?;
        for row in range.take(limit) {
            let (_, value) = row.map_err(store_error)?;
            if let Ok(entry) = serde_json::from_slice(value.value()) {
                out.push(entry);
            }
        }
        Ok(out)
    }

    pub fn tags(&self, heap: &HeapHash) -> Result<Tags, RuntimeError> {
        let txn = self.db.begin_read().map_err(store_error)?;
        let table = txn.open_table(TAGS).map_err(store_error)?;
        let value = table.get(heap.as_str()).map_err(store_error)?;
        Ok(value.and_then(|v| serde_json::from_slice(v.value()).ok()).unwrap_or_default())
    }

    /// Heaps whose tags contain every pair of `filter`.
    pub fn query_tags(&self, filter: &Tags) -> Result<Vec<(HeapHash, Tags)>, RuntimeError> {
        let txn = self.db.begin_read().map_err(store_error)?;
        let table = txn.open_table(TAGS).map_err(store_error)?;
        let mut out = Vec::new();
        for row in table.iter().map_err(store_error)? {
            let (key, value) = row.map_err(store_error)?;
            let Ok(tags) = serde_json::from_slice::<Tags>(value.value()) else { continue };
            if filter.iter().all(|(k, v)| tags.get(k) == Some(v))
                && let Ok(hash) = HeapHash::parse(key.value())
            {
                out.push((hash, tags));
            }
        }
        Ok(out)
    }
}

/// Applies writes in groups: one commit (one fsync) for all that queued up.
fn writer_loop(db: &Database, rx: &std::sync::mpsc::Receiver<(Write, Reply)>) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < 256 {
            match rx.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let (writes, replies): (Vec<_>, Vec<_>) = batch.into_iter().unzip();
        let result = apply(db, writes);
        for reply in replies {
            let _ = reply.send(result.as_ref().map(|_| ()).map_err(|e| RuntimeError::Store(e.to_string())));
        }
    }
}

fn apply(db: &Database, writes: Vec<Write>) -> Result<(), RuntimeError> {
    let txn = db.begin_write().map_err(store_error)?;
    {
        let mut heads = txn.open_table(HEADS).map_err(store_error)?;
        let mut log = txn.open_table(LOG).map_err(store_error)?;
        let mut tags = txn.open_table(TAGS).map_err(store_error)?;
        for write in writes {
            match write {
                Write::Run { session, entry } => {
                    let mut head = heads
                        .get(session.as_str())
                        .map_err(store_error)?
                        .and_then(|v| serde_json::from_slice::<SessionHead>(v.value()).ok())
                        .unwrap_or(SessionHead { session: session.clone(), heap: None, runs: 0, updated_at_ms: 0 });
                    head.runs += 1;
                    head.updated_at_ms = entry.finished_at_ms;
                    if let Some(heap) = &entry.output_heap {
                        head.heap = Some(heap.clone());
                    }
                    let bytes = serde_json::to_vec(&entry).map_err(store_error)?;
                    log.insert((session.as_str(), entry.seq), bytes.as_slice()).map_err(store_error)?;
                    let bytes = serde_json::to_vec(&head).map_err(store_error)?;
                    heads.insert(session.as_str(), bytes.as_slice()).map_err(store_error)?;
                }
                Write::Persisted { session, seqs, heap } => {
                    for seq in seqs {
                        let entry = log
                            .get((session.as_str(), seq))
                            .map_err(store_error)?
                            .and_then(|v| serde_json::from_slice::<SessionLogEntry>(v.value()).ok());
                        if let Some(mut entry) = entry {
                            entry.output_heap = Some(heap.clone());
                            let bytes = serde_json::to_vec(&entry).map_err(store_error)?;
                            log.insert((session.as_str(), seq), bytes.as_slice()).map_err(store_error)?;
                        }
                    }
                    let mut head = heads
                        .get(session.as_str())
                        .map_err(store_error)?
                        .and_then(|v| serde_json::from_slice::<SessionHead>(v.value()).ok())
                        .unwrap_or(SessionHead { session: session.clone(), heap: None, runs: 0, updated_at_ms: 0 });
                    head.heap = Some(heap);
                    head.updated_at_ms = now_ms();
                    let bytes = serde_json::to_vec(&head).map_err(store_error)?;
                    heads.insert(session.as_str(), bytes.as_slice()).map_err(store_error)?;
                }
                Write::SetTags { heap, tags: new } => {
                    let mut current = tags
                        .get(heap.as_str())
                        .map_err(store_error)?
                        .and_then(|v| serde_json::from_slice::<Tags>(v.value()).ok())
                        .unwrap_or_default();
                    current.extend(new);
                    let bytes = serde_json::to_vec(&current).map_err(store_error)?;
                    tags.insert(heap.as_str(), bytes.as_slice()).map_err(store_error)?;
                }
                Write::DeleteTags { heap, keys } => match keys {
                    None => {
                        tags.remove(heap.as_str()).map_err(store_error)?;
                    }
                    Some(keys) => {
                        let mut current = tags
                            .get(heap.as_str())
                            .map_err(store_error)?
                            .and_then(|v| serde_json::from_slice::<Tags>(v.value()).ok())
                            .unwrap_or_default();
                        for key in keys {
                            current.remove(&key);
                        }
                        let bytes = serde_json::to_vec(&current).map_err(store_error)?;
                        tags.insert(heap.as_str(), bytes.as_slice()).map_err(store_error)?;
                    }
                },
            }
        }
    }
    txn.commit().map_err(store_error)
}
