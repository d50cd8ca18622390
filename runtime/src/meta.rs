//! Durable metadata beside the heap store, in one redb file
//! (`--session-db-path`): session heads and logs, heap tags, which owners
//! made each heap, and what expires when.
//!
//! Writes go through one writer thread that commits in groups (as databases
//! do): every caller's change is durable (`fsync`ed) when its `await`
//! returns, and concurrent writers share one commit.
//!
//! **Invariants:**
//! - A session head or log entry only ever names a heap that was already
//!   written to the heap store.
//! - Every key starts with an owner's escaped key (see `owner.rs`), so a
//!   prefix scan by owner finds exactly that owner's rows.
//! - A head moves only on a run that succeeded (`Write::Runs::head`);
//!   failed runs are logged with the heap they left, if any.
//! - Several writes that belong together (a heap, its owner, its tags and
//!   the runs that reached it) go in one [`Batch`]: one commit, all or
//!   nothing.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition, TableHandle};
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;

use crate::error::RuntimeError;
use crate::ids::{ExecutionId, HeapHash, SessionName};
use crate::owner::{Owner, SEPARATOR, SessionKey};

/// Session key → [`SessionHead`].
const HEADS: TableDefinition<&str, &[u8]> = TableDefinition::new("heads_v2");
/// (session key, seq) → [`SessionLogEntry`].
const LOG: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("session_log_v2");
/// `owner␟hash` → [`Tags`].
const TAGS: TableDefinition<&str, &[u8]> = TableDefinition::new("tags_v2");
/// `hash␟owner` → when the owner's run wrote it (ms).
const HEAP_OWNERS: TableDefinition<&str, u64> = TableDefinition::new("heap_owners");
/// `owner␟hash` → the same, by owner.
const OWNER_HEAPS: TableDefinition<&str, u64> = TableDefinition::new("owner_heaps");
/// [`Expiry::key`] → when it expires (ms).
const EXPIRING: TableDefinition<&str, u64> = TableDefinition::new("expiring");
/// A heap adopted as the dictionary heaps are packed against → when (ms).
/// Never removed: heaps packed against it need it as long as they live.
const DICTIONARIES: TableDefinition<&str, u64> = TableDefinition::new("dictionaries");

/// The tables of the first release (no owners): migrated to the local owner.
const V1_HEADS: TableDefinition<&str, &[u8]> = TableDefinition::new("session_heads");
const V1_LOG: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("session_log");
const V1_TAGS: TableDefinition<&str, &[u8]> = TableDefinition::new("heap_tags");

pub type Tags = BTreeMap<String, String>;

/// Where a session stands.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionHead {
    pub session: SessionName,
    /// The heap of the session's latest successful run, persisted.
    pub heap: Option<HeapHash>,
    pub runs: u64,
    /// Milliseconds since the Unix epoch.
    pub updated_at_ms: u64,
    /// A connection's implicit session: dropped some time after it ends.
    #[serde(default)]
    pub ephemeral: bool,
}

/// One run of a session, as its log keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionLogEntry {
    pub seq: u64,
    pub execution_id: ExecutionId,
    pub input_heap: Option<HeapHash>,
    /// The heap the run left: for a failed run too, when it could be taken
    /// (the session's head did not move to it). `None` while the run's heap
    /// is not persisted yet (snapshot policy `idle`), or when a later run of
    /// the same warm isolate superseded it.
    pub output_heap: Option<HeapHash>,
    /// SHA-256 of the submitted code.
    pub code_hash: String,
    pub status: String,
    pub started_at_ms: u64,
    pub finished_at_ms: u64,
}

/// Something that ends at a given time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expiry {
    /// Everything an ephemeral owner has.
    Owner(Owner),
    /// One session (an implicit session of a token's subject).
    Session(SessionKey),
}

impl Expiry {
    fn key(&self) -> String {
        match self {
            Expiry::Owner(owner) => format!("o{SEPARATOR}{}", owner.key()),
            Expiry::Session(session) => format!("s{SEPARATOR}{}", session.key()),
        }
    }

    fn from_key(key: &str) -> Option<Self> {
        let (kind, rest) = key.split_once(SEPARATOR)?;
        match kind {
            "o" => Owner::from_key(rest).map(Expiry::Owner),
            "s" => SessionKey::from_key(rest).map(Expiry::Session),
            _ => None,
        }
    }
}

enum Write {
    /// Appends log entries, counts the runs, and moves the head to `head`
    /// (the persisted heap the last of them reached, when it succeeded).
    Runs { session: SessionKey, entries: Vec<SessionLogEntry>, head: Option<HeapHash>, ephemeral: bool },
    /// Records that `owner` made (or may use) `heap`.
    HeapOwner { heap: HeapHash, owner: Owner },
    SetTags { owner: Owner, heap: HeapHash, tags: Tags },
    DeleteTags { owner: Owner, heap: HeapHash, keys: Option<Vec<String>> },
    Expire { what: Expiry, at_ms: u64 },
    /// Drops a session: head, log, expiry, and its owner's claims on the
    /// heaps in its log.
    DropSession { session: SessionKey },
    /// Drops everything an owner has.
    DropOwner { owner: Owner },
    /// Forgets a heap the sweep deleted.
    ForgetHeap { heap: HeapHash },
    /// Adopts a heap as the dictionary new heaps are packed against.
    AdoptDictionary { heap: HeapHash, at_ms: u64 },
    /// Writes applied in one commit.
    Batch(Vec<Write>),
}

/// Writes that commit together ([`Meta::commit`]).
#[derive(Default)]
pub struct Batch(Vec<Write>);

impl Batch {
    /// Logs runs of `session` (see [`Meta::record_runs`]).
    pub fn runs(mut self, session: SessionKey, entries: Vec<SessionLogEntry>, head: Option<HeapHash>, ephemeral: bool) -> Self {
        self.0.push(Write::Runs { session, entries, head, ephemeral });
        self
    }

    /// Records that `owner` made (or may use) `heap`.
    pub fn heap_owner(mut self, heap: HeapHash, owner: Owner) -> Self {
        self.0.push(Write::HeapOwner { heap, owner });
        self
    }

    /// Adds `tags` to what `owner` tagged `heap` with.
    pub fn tags(mut self, owner: Owner, heap: HeapHash, tags: Tags) -> Self {
        self.0.push(Write::SetTags { owner, heap, tags });
        self
    }
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

fn owner_prefix(owner: &Owner) -> String {
    format!("{}{SEPARATOR}", owner.key())
}

fn tag_key(owner: &Owner, heap: &HeapHash) -> String {
    format!("{}{SEPARATOR}{heap}", owner.key())
}

fn heap_owner_key(heap: &HeapHash, owner: &Owner) -> String {
    format!("{heap}{SEPARATOR}{}", owner.key())
}

/// The keys of a table that start with `prefix`.
fn keys_with_prefix<V: redb::Value + 'static>(
    table: &impl ReadableTable<&'static str, V>,
    prefix: &str,
) -> Result<Vec<String>, RuntimeError> {
    let mut out = Vec::new();
    for row in table.range(prefix..).map_err(store_error)? {
        let (key, _) = row.map_err(store_error)?;
        let key = key.value();
        if !key.starts_with(prefix) {
            break;
        }
        out.push(key.to_owned());
    }
    Ok(out)
}

impl Meta {
    pub fn open(path: &Path) -> Result<Self, RuntimeError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| RuntimeError::Store(format!("cannot create {}: {e}", dir.display())))?;
        }
        let db = Database::create(path).map_err(|e| {
            RuntimeError::Store(format!("cannot open {}: {e} (is another mcp-v8 using it?)", path.display()))
        })?;
        {
            let txn = db.begin_write().map_err(store_error)?;
            txn.open_table(HEADS).map_err(store_error)?;
            txn.open_table(LOG).map_err(store_error)?;
            txn.open_table(TAGS).map_err(store_error)?;
            txn.open_table(HEAP_OWNERS).map_err(store_error)?;
            txn.open_table(OWNER_HEAPS).map_err(store_error)?;
            txn.open_table(EXPIRING).map_err(store_error)?;
            txn.open_table(DICTIONARIES).map_err(store_error)?;
            migrate_v1(&txn)?;
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

    /// Appends runs to a session's log (creating the session), and moves
    /// its head to `head` when given.
    pub async fn record_runs(
        &self,
        session: SessionKey,
        entries: Vec<SessionLogEntry>,
        head: Option<HeapHash>,
        ephemeral: bool,
    ) -> Result<(), RuntimeError> {
        self.write(Write::Runs { session, entries, head, ephemeral }).await
    }

    /// Applies `batch` in one commit.
    pub async fn commit(&self, batch: Batch) -> Result<(), RuntimeError> {
        self.write(Write::Batch(batch.0)).await
    }

    pub async fn add_heap_owner(&self, heap: HeapHash, owner: Owner) -> Result<(), RuntimeError> {
        self.write(Write::HeapOwner { heap, owner }).await
    }

    pub async fn set_tags(&self, owner: Owner, heap: HeapHash, tags: Tags) -> Result<(), RuntimeError> {
        self.write(Write::SetTags { owner, heap, tags }).await
    }

    pub async fn delete_tags(&self, owner: Owner, heap: HeapHash, keys: Option<Vec<String>>) -> Result<(), RuntimeError> {
        self.write(Write::DeleteTags { owner, heap, keys }).await
    }

    pub async fn expire(&self, what: Expiry, at_ms: u64) -> Result<(), RuntimeError> {
        self.write(Write::Expire { what, at_ms }).await
    }

    pub async fn drop_session(&self, session: SessionKey) -> Result<(), RuntimeError> {
        self.write(Write::DropSession { session }).await
    }

    pub async fn drop_owner(&self, owner: Owner) -> Result<(), RuntimeError> {
        self.write(Write::DropOwner { owner }).await
    }

    pub async fn forget_heap(&self, heap: HeapHash) -> Result<(), RuntimeError> {
        self.write(Write::ForgetHeap { heap }).await
    }

    /// Adopts `heap` (already in the heap store) as the dictionary new heaps
    /// are packed against; it is kept from now on.
    pub async fn adopt_dictionary(&self, heap: HeapHash) -> Result<(), RuntimeError> {
        self.write(Write::AdoptDictionary { heap, at_ms: now_ms() }).await
    }

    /// The dictionary adopted last, if any.
    pub fn dictionary(&self) -> Result<Option<HeapHash>, RuntimeError> {
        let txn = self.db.begin_read().map_err(store_error)?;
        let table = txn.open_table(DICTIONARIES).map_err(store_error)?;
        let mut latest: Option<(u64, HeapHash)> = None;
        for row in table.iter().map_err(store_error)? {
            let (key, at) = row.map_err(store_error)?;
            if let Ok(hash) = HeapHash::parse(key.value())
                && latest.as_ref().is_none_or(|(when, _)| at.value() >= *when)
            {
                latest = Some((at.value(), hash));
            }
        }
        Ok(latest.map(|(_, hash)| hash))
    }

    pub fn head(&self, session: &SessionKey) -> Result<Option<SessionHead>, RuntimeError> {
        let txn = self.db.begin_read().map_err(store_error)?;
        let table = txn.open_table(HEADS).map_err(store_error)?;
        let value = table.get(session.key().as_str()).map_err(store_error)?;
        Ok(value.and_then(|v| serde_json::from_slice(v.value()).ok()))
    }

    /// The sessions of the given owners.
    pub fn sessions(&self, owners: &[&Owner]) -> Result<Vec<(SessionKey, SessionHead)>, RuntimeError> {
        let txn = self.db.begin_read().map_err(store_error)?;
        let table = txn.open_table(HEADS).map_err(store_error)?;
        let mut out = Vec::new();
        let mut done = HashSet::new();
        for owner in owners {
            if !done.insert(owner.key()) {
                continue;
            }
            let prefix = owner_prefix(owner);
            for row in table.range(prefix.as_str()..).map_err(store_error)? {
                let (key, value) = row.map_err(store_error)?;
                if !key.value().starts_with(&prefix) {
                    break;
                }
                if let (Some(session), Ok(head)) =
                    (SessionKey::from_key(key.value()), serde_json::from_slice::<SessionHead>(value.value()))
                {
                    out.push((session, head));
                }
            }
        }
        Ok(out)
    }

    /// Every session (for the sweep).
    pub fn all_sessions(&self) -> Result<Vec<(SessionKey, SessionHead)>, RuntimeError> {
        let txn = self.db.begin_read().map_err(store_error)?;
        let table = txn.open_table(HEADS).map_err(store_error)?;
        let mut out = Vec::new();
        for row in table.iter().map_err(store_error)? {
            let (key, value) = row.map_err(store_error)?;
            if let (Some(session), Ok(head)) =
                (SessionKey::from_key(key.value()), serde_json::from_slice::<SessionHead>(value.value()))
            {
                out.push((session, head));
            }
        }
        Ok(out)
    }

    /// The log of a session, oldest first, from `after_seq` on.
    pub fn log(&self, session: &SessionKey, after_seq: u64, limit: usize) -> Result<Vec<SessionLogEntry>, RuntimeError> {
        let txn = self.db.begin_read().map_err(store_error)?;
        let table = txn.open_table(LOG).map_err(store_error)?;
        let key = session.key();
        let mut out = Vec::new();
        let range = table.range((key.as_str(), after_seq)..=(key.as_str(), u64::MAX)).map_err(store_error)?;
        for row in range.take(limit) {
            let (_, value) = row.map_err(store_error)?;
            if let Ok(entry) = serde_json::from_slice(value.value()) {
                out.push(entry);
            }
        }
        Ok(out)
    }

    pub fn tags(&self, owner: &Owner, heap: &HeapHash) -> Result<Option<Tags>, RuntimeError> {
        let txn = self.db.begin_read().map_err(store_error)?;
        let table = txn.open_table(TAGS).map_err(store_error)?;
        let value = table.get(tag_key(owner, heap).as_str()).map_err(store_error)?;
        Ok(value.and_then(|v| serde_json::from_slice(v.value()).ok()))
    }

    /// Heaps of the given owners whose tags contain every pair of `filter`.
    pub fn query_tags(&self, owners: &[&Owner], filter: &Tags) -> Result<Vec<(HeapHash, Tags)>, RuntimeError> {
        let txn = self.db.begin_read().map_err(store_error)?;
        let table = txn.open_table(TAGS).map_err(store_error)?;
        let mut out: BTreeMap<HeapHash, Tags> = BTreeMap::new();
        for owner in owners {
            let prefix = owner_prefix(owner);
            for row in table.range(prefix.as_str()..).map_err(store_error)? {
                let (key, value) = row.map_err(store_error)?;
                let Some(hash) = key.value().strip_prefix(&prefix) else { break };
                let (Ok(hash), Ok(tags)) = (HeapHash::parse(hash), serde_json::from_slice::<Tags>(value.value())) else {
                    continue;
                };
                if !tags.is_empty() && filter.iter().all(|(k, v)| tags.get(k) == Some(v)) {
                    out.entry(hash).or_default().extend(tags);
                }
            }
        }
        Ok(out.into_iter().collect())
    }

    /// The owners that made (or may use) a heap.
    pub fn heap_owners(&self, heap: &HeapHash) -> Result<Vec<Owner>, RuntimeError> {
        let txn = self.db.begin_read().map_err(store_error)?;
        let table = txn.open_table(HEAP_OWNERS).map_err(store_error)?;
        let prefix = format!("{heap}{SEPARATOR}");
        Ok(keys_with_prefix(&table, &prefix)?
            .iter()
            .filter_map(|k| Owner::from_key(&k[prefix.len()..]))
            .collect())
    }

    /// What expires, with when.
    pub fn expiring(&self) -> Result<Vec<(Expiry, u64)>, RuntimeError> {
        let txn = self.db.begin_read().map_err(store_error)?;
        let table = txn.open_table(EXPIRING).map_err(store_error)?;
        let mut out = Vec::new();
        for row in table.iter().map_err(store_error)? {
            let (key, at) = row.map_err(store_error)?;
            if let Some(what) = Expiry::from_key(key.value()) {
                out.push((what, at.value()));
            }
        }
        Ok(out)
    }

    /// The ephemeral owners and sessions that have data: after a restart
    /// none of their connections is alive any more.
    pub fn ephemeral(&self) -> Result<Vec<Expiry>, RuntimeError> {
        let txn = self.db.begin_read().map_err(store_error)?;
        let mut out = Vec::new();
        let mut owners = HashSet::new();
        let heads = txn.open_table(HEADS).map_err(store_error)?;
        for row in heads.iter().map_err(store_error)? {
            let (key, value) = row.map_err(store_error)?;
            let Some(session) = SessionKey::from_key(key.value()) else { continue };
            if session.owner.is_ephemeral() {
                owners.insert(session.owner);
            } else if serde_json::from_slice::<SessionHead>(value.value()).is_ok_and(|h| h.ephemeral) {
                out.push(Expiry::Session(session));
            }
        }
        let heap_owners = txn.open_table(HEAP_OWNERS).map_err(store_error)?;
        for row in heap_owners.iter().map_err(store_error)? {
            let (key, _) = row.map_err(store_error)?;
            if let Some(owner) = key.value().split_once(SEPARATOR).and_then(|(_, o)| Owner::from_key(o))
                && owner.is_ephemeral()
            {
                owners.insert(owner);
            }
        }
        out.extend(owners.into_iter().map(Expiry::Owner));
        Ok(out)
    }

    /// Heaps that a session head, a session log or a tag names, and the
    /// dictionaries: the sweep keeps them.
    pub fn referenced_heaps(&self) -> Result<HashSet<HeapHash>, RuntimeError> {
        let txn = self.db.begin_read().map_err(store_error)?;
        let mut out = HashSet::new();
        let heads = txn.open_table(HEADS).map_err(store_error)?;
        for row in heads.iter().map_err(store_error)? {
            let (_, value) = row.map_err(store_error)?;
            if let Ok(head) = serde_json::from_slice::<SessionHead>(value.value()) {
                out.extend(head.heap);
            }
        }
        let log = txn.open_table(LOG).map_err(store_error)?;
        for row in log.iter().map_err(store_error)? {
            let (_, value) = row.map_err(store_error)?;
            if let Ok(entry) = serde_json::from_slice::<SessionLogEntry>(value.value()) {
                out.extend(entry.input_heap);
                out.extend(entry.output_heap);
            }
        }
        let tags = txn.open_table(TAGS).map_err(store_error)?;
        for row in tags.iter().map_err(store_error)? {
            let (key, _) = row.map_err(store_error)?;
            if let Some(hash) = key.value().rsplit_once(SEPARATOR).and_then(|(_, h)| HeapHash::parse(h).ok()) {
                out.insert(hash);
            }
        }
        let dictionaries = txn.open_table(DICTIONARIES).map_err(store_error)?;
        for row in dictionaries.iter().map_err(store_error)? {
            let (key, _) = row.map_err(store_error)?;
            out.extend(HeapHash::parse(key.value()).ok());
        }
        Ok(out)
    }

    /// Heaps some owner made (or may use).
    pub fn owned_heaps(&self) -> Result<HashSet<HeapHash>, RuntimeError> {
        let txn = self.db.begin_read().map_err(store_error)?;
        let table = txn.open_table(HEAP_OWNERS).map_err(store_error)?;
        let mut out = HashSet::new();
        for row in table.iter().map_err(store_error)? {
            let (key, _) = row.map_err(store_error)?;
            if let Some(hash) = key.value().split_once(SEPARATOR).and_then(|(h, _)| HeapHash::parse(h).ok()) {
                out.insert(hash);
            }
        }
        Ok(out)
    }
}

/// Which owners made (or may use) which heaps: two tables kept in step, one
/// by heap and one by owner.
struct Claims<'t> {
    by_heap: redb::Table<'t, &'static str, u64>,
    by_owner: redb::Table<'t, &'static str, u64>,
}

impl<'t> Claims<'t> {
    fn open(txn: &'t redb::WriteTransaction) -> Result<Self, RuntimeError> {
        Ok(Self {
            by_heap: txn.open_table(HEAP_OWNERS).map_err(store_error)?,
            by_owner: txn.open_table(OWNER_HEAPS).map_err(store_error)?,
        })
    }

    fn add(&mut self, heap: &HeapHash, owner: &Owner) -> Result<(), RuntimeError> {
        let now = now_ms();
        self.by_heap.insert(heap_owner_key(heap, owner).as_str(), now).map_err(store_error)?;
        self.by_owner.insert(tag_key(owner, heap).as_str(), now).map_err(store_error)?;
        Ok(())
    }

    fn remove(&mut self, heap: &HeapHash, owner: &Owner) -> Result<(), RuntimeError> {
        self.by_heap.remove(heap_owner_key(heap, owner).as_str()).map_err(store_error)?;
        self.by_owner.remove(tag_key(owner, heap).as_str()).map_err(store_error)?;
        Ok(())
    }

    fn remove_heap(&mut self, heap: &HeapHash) -> Result<(), RuntimeError> {
        let prefix = format!("{heap}{SEPARATOR}");
        for key in keys_with_prefix(&self.by_heap, &prefix)? {
            if let Some(owner) = Owner::from_key(&key[prefix.len()..]) {
                self.by_owner.remove(tag_key(&owner, heap).as_str()).map_err(store_error)?;
            }
            self.by_heap.remove(key.as_str()).map_err(store_error)?;
        }
        Ok(())
    }

    fn remove_owner(&mut self, owner: &Owner) -> Result<(), RuntimeError> {
        let prefix = owner_prefix(owner);
        for key in keys_with_prefix(&self.by_owner, &prefix)? {
            if let Ok(heap) = HeapHash::parse(&key[prefix.len()..]) {
                self.by_heap.remove(heap_owner_key(&heap, owner).as_str()).map_err(store_error)?;
            }
            self.by_owner.remove(key.as_str()).map_err(store_error)?;
        }
        Ok(())
    }
}

/// Moves the first release's tables (no owners) to the local owner.
fn migrate_v1(txn: &redb::WriteTransaction) -> Result<(), RuntimeError> {
    let present: HashSet<String> = txn.list_tables().map_err(store_error)?.map(|t| t.name().to_owned()).collect();
    if !present.contains(V1_HEADS.name()) {
        return Ok(());
    }
    let local = Owner::Local;
    {
        let old = txn.open_table(V1_HEADS).map_err(store_error)?;
        let mut heads = txn.open_table(HEADS).map_err(store_error)?;
        let mut claims = Claims::open(txn)?;
        for row in old.iter().map_err(store_error)? {
            let (name, value) = row.map_err(store_error)?;
            let key = SessionKey { owner: local.clone(), name: SessionName::from_stored(name.value()) };
            heads.insert(key.key().as_str(), value.value()).map_err(store_error)?;
            if let Ok(head) = serde_json::from_slice::<SessionHead>(value.value())
                && let Some(heap) = head.heap
            {
                claims.add(&heap, &local)?;
            }
        }
    }
    if present.contains(V1_LOG.name()) {
        let old = txn.open_table(V1_LOG).map_err(store_error)?;
        let mut log = txn.open_table(LOG).map_err(store_error)?;
        let mut claims = Claims::open(txn)?;
        for row in old.iter().map_err(store_error)? {
            let (key, value) = row.map_err(store_error)?;
            let (name, seq) = key.value();
            let session = SessionKey { owner: local.clone(), name: SessionName::from_stored(name) };
            log.insert((session.key().as_str(), seq), value.value()).map_err(store_error)?;
            if let Ok(entry) = serde_json::from_slice::<SessionLogEntry>(value.value()) {
                for heap in entry.input_heap.iter().chain(entry.output_heap.iter()) {
                    claims.add(heap, &local)?;
                }
            }
        }
    }
    if present.contains(V1_TAGS.name()) {
        let old = txn.open_table(V1_TAGS).map_err(store_error)?;
        let mut tags = txn.open_table(TAGS).map_err(store_error)?;
        let mut claims = Claims::open(txn)?;
        for row in old.iter().map_err(store_error)? {
            let (hash, value) = row.map_err(store_error)?;
            let Ok(heap) = HeapHash::parse(hash.value()) else { continue };
            tags.insert(tag_key(&local, &heap).as_str(), value.value()).map_err(store_error)?;
            claims.add(&heap, &local)?;
        }
    }
    for name in [V1_HEADS.name(), V1_LOG.name(), V1_TAGS.name()] {
        if present.contains(name) {
            match name {
                n if n == V1_HEADS.name() => txn.delete_table(V1_HEADS),
                n if n == V1_LOG.name() => txn.delete_table(V1_LOG),
                _ => txn.delete_table(V1_TAGS),
            }
            .map_err(store_error)?;
        }
    }
    tracing::info!("session metadata migrated to per-owner tables (existing sessions belong to the local tenant)");
    Ok(())
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
        let mut flat = Vec::with_capacity(writes.len());
        for write in writes {
            flatten(write, &mut flat);
        }
        let result = apply(db, flat);
        for reply in replies {
            let _ = reply.send(result.as_ref().map(|_| ()).map_err(|e| RuntimeError::Store(e.to_string())));
        }
    }
}

fn flatten(write: Write, out: &mut Vec<Write>) {
    match write {
        Write::Batch(writes) => writes.into_iter().for_each(|w| flatten(w, out)),
        write => out.push(write),
    }
}

fn read_json<T: serde::de::DeserializeOwned>(value: Option<redb::AccessGuard<'_, &'static [u8]>>) -> Option<T> {
    value.and_then(|v| serde_json::from_slice(v.value()).ok())
}

fn apply(db: &Database, writes: Vec<Write>) -> Result<(), RuntimeError> {
    let txn = db.begin_write().map_err(store_error)?;
    {
        let mut heads = txn.open_table(HEADS).map_err(store_error)?;
        let mut log = txn.open_table(LOG).map_err(store_error)?;
        let mut tags = txn.open_table(TAGS).map_err(store_error)?;
        let mut claims = Claims::open(&txn)?;
        let mut expiring = txn.open_table(EXPIRING).map_err(store_error)?;
        for write in writes {
            match write {
                Write::Runs { session, entries, head: moved_to, ephemeral } => {
                    let key = session.key();
                    let mut head = read_json::<SessionHead>(heads.get(key.as_str()).map_err(store_error)?).unwrap_or(
                        SessionHead { session: session.name.clone(), heap: None, runs: 0, updated_at_ms: 0, ephemeral },
                    );
                    for entry in &entries {
                        head.runs = head.runs.max(entry.seq + 1);
                        head.updated_at_ms = head.updated_at_ms.max(entry.finished_at_ms);
                        let bytes = serde_json::to_vec(entry).map_err(store_error)?;
                        log.insert((key.as_str(), entry.seq), bytes.as_slice()).map_err(store_error)?;
                    }
                    if let Some(heap) = moved_to {
                        head.heap = Some(heap);
                    }
                    let bytes = serde_json::to_vec(&head).map_err(store_error)?;
                    heads.insert(key.as_str(), bytes.as_slice()).map_err(store_error)?;
                }
                Write::HeapOwner { heap, owner } => claims.add(&heap, &owner)?,
                Write::SetTags { owner, heap, tags: new } => {
                    let key = tag_key(&owner, &heap);
                    let mut current = read_json::<Tags>(tags.get(key.as_str()).map_err(store_error)?).unwrap_or_default();
                    current.extend(new);
                    let bytes = serde_json::to_vec(&current).map_err(store_error)?;
                    tags.insert(key.as_str(), bytes.as_slice()).map_err(store_error)?;
                }
                Write::DeleteTags { owner, heap, keys } => {
                    let key = tag_key(&owner, &heap);
                    let current = read_json::<Tags>(tags.get(key.as_str()).map_err(store_error)?);
                    let remaining = match (current, keys) {
                        (Some(mut current), Some(keys)) => {
                            for k in keys {
                                current.remove(&k);
                            }
                            current
                        }
                        _ => Tags::new(),
                    };
                    if remaining.is_empty() {
                        tags.remove(key.as_str()).map_err(store_error)?;
                    } else {
                        let bytes = serde_json::to_vec(&remaining).map_err(store_error)?;
                        tags.insert(key.as_str(), bytes.as_slice()).map_err(store_error)?;
                    }
                }
                Write::Expire { what, at_ms } => {
                    expiring.insert(what.key().as_str(), at_ms).map_err(store_error)?;
                }
                Write::DropSession { session } => {
                    let key = session.key();
                    let mut heaps = HashSet::new();
                    let entries: Vec<u64> = {
                        let mut seqs = Vec::new();
                        for row in log.range((key.as_str(), 0)..=(key.as_str(), u64::MAX)).map_err(store_error)? {
                            let (k, v) = row.map_err(store_error)?;
                            seqs.push(k.value().1);
                            if let Ok(entry) = serde_json::from_slice::<SessionLogEntry>(v.value()) {
                                heaps.extend(entry.input_heap);
                                heaps.extend(entry.output_heap);
                            }
                        }
                        seqs
                    };
                    for seq in entries {
                        log.remove((key.as_str(), seq)).map_err(store_error)?;
                    }
                    if let Some(head) = read_json::<SessionHead>(heads.remove(key.as_str()).map_err(store_error)?) {
                        heaps.extend(head.heap);
                    }
                    for heap in heaps {
                        // The owner keeps its claim on a heap it tagged.
                        if tags.get(tag_key(&session.owner, &heap).as_str()).map_err(store_error)?.is_none() {
                            claims.remove(&heap, &session.owner)?;
                        }
                    }
                    expiring.remove(Expiry::Session(session).key().as_str()).map_err(store_error)?;
                }
                Write::DropOwner { owner } => {
                    let prefix = owner_prefix(&owner);
                    for key in keys_with_prefix(&heads, &prefix)? {
                        let mut seqs = Vec::new();
                        for row in log.range((key.as_str(), 0)..=(key.as_str(), u64::MAX)).map_err(store_error)? {
                            seqs.push(row.map_err(store_error)?.0.value().1);
                        }
                        for seq in seqs {
                            log.remove((key.as_str(), seq)).map_err(store_error)?;
                        }
                        heads.remove(key.as_str()).map_err(store_error)?;
                    }
                    for key in keys_with_prefix(&tags, &prefix)? {
                        tags.remove(key.as_str()).map_err(store_error)?;
                    }
                    claims.remove_owner(&owner)?;
                    expiring.remove(Expiry::Owner(owner).key().as_str()).map_err(store_error)?;
                }
                Write::ForgetHeap { heap } => claims.remove_heap(&heap)?,
                Write::AdoptDictionary { heap, at_ms } => {
                    let mut dictionaries = txn.open_table(DICTIONARIES).map_err(store_error)?;
                    dictionaries.insert(heap.as_str(), at_ms).map_err(store_error)?;
                }
                Write::Batch(_) => unreachable!("batches are flattened by the writer"),
            }
        }
    }
    txn.commit().map_err(store_error)
}
