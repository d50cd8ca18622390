//! The durable heap store: one file per heap in a directory.
//!
//! **Invariants:**
//! - A file named after a hash is complete when it exists: bytes are written
//!   to a temporary file and renamed into place.
//! - `put` returns once the heap is on disk (the file's data and the rename
//!   are fsynced), because the session metadata that names it is committed
//!   with fsync right after: a power loss must not leave a head naming a
//!   heap that never reached the disk.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::error::RuntimeError;
use crate::ids::HeapHash;

use super::HeapStore;

#[derive(Debug, Clone)]
pub struct FsStore {
    dir: PathBuf,
}

impl FsStore {
    pub fn open(dir: &Path) -> Result<Self, RuntimeError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| RuntimeError::Store(format!("cannot create {}: {e}", dir.display())))?;
        // Half-written heaps of a process that died mid-write.
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if name.starts_with('.') && name.ends_with(".tmp") {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
        Ok(Self { dir: dir.to_owned() })
    }

    /// The path of a heap's file (the hash is checked hex, so no traversal).
    pub fn path_of(&self, hash: &HeapHash) -> PathBuf {
        self.dir.join(format!("{hash}.heap"))
    }
}

/// Writes `bytes` to `tmp`, fsyncs it, renames it to `path` and fsyncs the
/// directory so the rename is durable too.
fn write_durably(tmp: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::File::create(tmp)?;
    file.write_all(bytes)?;
    file.sync_data()?;
    drop(file);
    std::fs::rename(tmp, path)?;
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl HeapStore for FsStore {
    async fn put(&self, hash: &HeapHash, bytes: Arc<[u8]>) -> Result<(), RuntimeError> {
        let path = self.path_of(hash);
        let tmp = self.dir.join(format!(".{hash}.{}.tmp", uuid::Uuid::new_v4().simple()));
        tokio::task::spawn_blocking(move || {
            if path.exists() {
                // Written again: the sweep judges a heap's age by this time.
                let _ = std::fs::File::options().append(true).open(&path).and_then(|f| f.set_modified(SystemTime::now()));
                return Ok(());
            }
            write_durably(&tmp, &path, &bytes).map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                RuntimeError::Store(format!("cannot write {}: {e}", path.display()))
            })
        })
        .await
        .map_err(|e| RuntimeError::Store(e.to_string()))?
    }

    async fn get(&self, hash: &HeapHash) -> Result<Option<Arc<[u8]>>, RuntimeError> {
        let path = self.path_of(hash);
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(Some(Arc::from(bytes))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(RuntimeError::Store(format!("cannot read {}: {e}", path.display()))),
        }
    }

    async fn list(&self) -> Result<Vec<(HeapHash, SystemTime)>, RuntimeError> {
        let dir = self.dir.clone();
        tokio::task::spawn_blocking(move || {
            let mut out = Vec::new();
            let entries = std::fs::read_dir(&dir).map_err(|e| RuntimeError::Store(format!("cannot list {}: {e}", dir.display())))?;
            for entry in entries.flatten() {
                let name = entry.file_name();
                let Some(hash) = name.to_str().and_then(|n| n.strip_suffix(".heap")).and_then(|h| HeapHash::parse(h).ok()) else {
                    continue;
                };
                let modified = entry.metadata().and_then(|m| m.modified()).unwrap_or_else(|_| SystemTime::now());
                out.push((hash, modified));
            }
            Ok(out)
        })
        .await
        .map_err(|e| RuntimeError::Store(e.to_string()))?
    }

    async fn delete(&self, hash: &HeapHash) -> Result<(), RuntimeError> {
        match tokio::fs::remove_file(self.path_of(hash)).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(RuntimeError::Store(format!("cannot delete heap {hash}: {e}"))),
        }
    }

    fn describe(&self) -> String {
        format!("directory {}", self.dir.display())
    }
}
