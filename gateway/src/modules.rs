//! Gets the ES modules user code imports (the runtime's `ModuleFetcher`):
//! one HTTP request per call, never following a redirect (the runtime
//! decides each hop first), with a cache by URL on disk and in memory.
//!
//! A response is cached when it is a module (2xx) or a redirect; errors are
//! not. The disk cache stops growing at 1 GiB (modules are still fetched
//! then). An entry on disk is a `<sha256 of the URL>.json` record (the URL,
//! and the redirect target or the body's SHA-256 and content type) next to
//! the body; the body is hashed again on every reuse from disk, and an
//! entry that does not match is dropped and fetched again. So an `npm:x`
//! import without a version stays on the version it first resolved to until
//! the cache directory is deleted, as a lockfile would keep it.
//!
//! **Invariant:** requests run on the gateway's runtime, not on the V8
//! thread that asked (a connection pool shared by all V8 threads must not
//! depend on one of them being idle).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use mcp_v8_runtime::modules::{Fetched, ModuleFetcher};
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use url::Url;

/// How much module text the memory cache keeps before it starts over.
const MEMORY_CACHE_BYTES: usize = 64 << 20;
/// How much the disk cache may hold: past it, modules are still fetched and
/// kept in memory, but no more is written (user code choosing URLs must not
/// fill the server's disk).
const DISK_CACHE_BYTES: u64 = 1 << 30;

pub struct HttpModules {
    client: reqwest::Client,
    runtime: tokio::runtime::Handle,
    dir: PathBuf,
    memory: Mutex<Memory>,
    /// The bytes in `dir`, counted on the first write.
    on_disk: Mutex<Option<u64>>,
}

#[derive(Default)]
struct Memory {
    entries: HashMap<Url, Fetched>,
    bytes: usize,
}

/// The record of one cached URL.
#[derive(Serialize, Deserialize)]
struct Record {
    url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    redirect: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
}

fn hex_sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl HttpModules {
    /// A fetcher caching in `dir` (made on first use). Call inside the
    /// gateway's tokio runtime.
    pub fn new(dir: PathBuf) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .user_agent(concat!("mcp-v8/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot make the module HTTP client: {e}"))?;
        Ok(Self {
            client,
            runtime: tokio::runtime::Handle::current(),
            dir,
            memory: Mutex::default(),
            on_disk: Mutex::default(),
        })
    }

    fn paths(&self, url: &Url) -> (PathBuf, PathBuf) {
        let key = hex_sha256(url.as_str().as_bytes());
        (self.dir.join(format!("{key}.json")), self.dir.join(format!("{key}.body")))
    }

    fn remember(&self, url: &Url, fetched: &Fetched) {
        let size = match fetched {
            Fetched::Module { bytes, .. } => bytes.len(),
            Fetched::Redirect(_) => 0,
        };
        let mut memory = self.memory.lock();
        if memory.bytes + size > MEMORY_CACHE_BYTES {
            *memory = Memory::default();
        }
        memory.bytes += size;
        memory.entries.insert(url.clone(), fetched.clone());
    }

    /// The entry on disk, when there is a sound one.
    fn read_disk(&self, url: &Url) -> Option<Fetched> {
        let (record_path, body_path) = self.paths(url);
        let record: Record = serde_json::from_slice(&std::fs::read(&record_path).ok()?).ok()?;
        if record.url != url.as_str() {
            return None;
        }
        if let Some(target) = record.redirect {
            return Url::parse(&target).ok().map(Fetched::Redirect);
        }
        let bytes = std::fs::read(&body_path).ok()?;
        let actual = hex_sha256(&bytes);
        if record.sha256.as_deref() != Some(actual.as_str()) {
            tracing::warn!(%url, file = %body_path.display(), "a cached module does not match its SHA-256: fetching it again");
            let _ = std::fs::remove_file(&record_path);
            let _ = std::fs::remove_file(&body_path);
            return None;
        }
        Some(Fetched::Module { bytes: bytes.into(), content_type: record.content_type })
    }

    fn write_disk(&self, url: &Url, fetched: &Fetched) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let size = match fetched {
            Fetched::Module { bytes, .. } => bytes.len() as u64 + 512,
            Fetched::Redirect(_) => 512,
        };
        {
            let mut on_disk = self.on_disk.lock();
            let total = on_disk.get_or_insert_with(|| {
                std::fs::read_dir(&self.dir)
                    .map(|entries| entries.flatten().filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum())
                    .unwrap_or(0)
            });
            if *total + size > DISK_CACHE_BYTES {
                return Err(std::io::Error::other(format!("the cache holds {} MiB, its limit", DISK_CACHE_BYTES >> 20)));
            }
            *total += size;
        }
        let (record_path, body_path) = self.paths(url);
        let record = match fetched {
            Fetched::Redirect(target) => {
                Record { url: url.to_string(), redirect: Some(target.to_string()), sha256: None, content_type: None }
            }
            Fetched::Module { bytes, content_type } => {
                write_atomically(&body_path, bytes)?;
                Record {
                    url: url.to_string(),
                    redirect: None,
                    sha256: Some(hex_sha256(bytes)),
                    content_type: content_type.clone(),
                }
            }
        };
        write_atomically(&record_path, &serde_json::to_vec(&record).expect("a record serializes"))
    }
}

fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let temp = path.with_extension(format!("tmp{}", rand_suffix()));
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, path)
}

fn rand_suffix() -> u32 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now()) as u32
}

/// A request task that ends with the run waiting for it.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn too_large(max_bytes: usize) -> String {
    format!("the module is larger than {max_bytes} bytes (--fetch-max-bytes, and the run's memory budget)")
}

/// One request, its body read up to `max_bytes`.
async fn get(client: reqwest::Client, url: Url, max_bytes: usize) -> Result<Fetched, String> {
    let mut response = client.get(url.clone()).send().await.map_err(|e| describe(&e))?;
    let status = response.status();
    if status.is_redirection() {
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| format!("HTTP {status} without a Location"))?;
        let target = url.join(location).map_err(|e| format!("HTTP {status} to a bad Location '{location}': {e}"))?;
        return Ok(Fetched::Redirect(target));
    }
    if !status.is_success() {
        return Err(format!("HTTP {status}"));
    }
    if response.content_length().is_some_and(|n| n > max_bytes as u64) {
        return Err(too_large(max_bytes));
    }
    let content_type =
        response.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| describe(&e))? {
        if body.len() + chunk.len() > max_bytes {
            return Err(too_large(max_bytes));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Fetched::Module { bytes: body.into(), content_type })
}

/// reqwest's error with its cause (the cause says what went wrong on the wire).
fn describe(error: &reqwest::Error) -> String {
    match std::error::Error::source(error) {
        Some(cause) => format!("{error}: {cause}"),
        None => error.to_string(),
    }
}

#[async_trait::async_trait]
impl ModuleFetcher for HttpModules {
    async fn fetch(&self, url: &Url, max_bytes: usize) -> Result<Fetched, String> {
        let hit = self.memory.lock().entries.get(url).cloned();
        let hit = match hit {
            Some(hit) => Some(hit),
            None => self.read_disk(url).inspect(|fetched| self.remember(url, fetched)),
        };
        if let Some(fetched) = hit {
            if let Fetched::Module { bytes, .. } = &fetched
                && bytes.len() > max_bytes
            {
                return Err(too_large(max_bytes));
            }
            return Ok(fetched);
        }
        // Aborted when the run stops waiting (see `AbortOnDrop`).
        let mut request = AbortOnDrop(self.runtime.spawn(get(self.client.clone(), url.clone(), max_bytes)));
        let fetched = (&mut request.0).await.map_err(|e| format!("the request failed: {e}"))??;
        if let Err(error) = self.write_disk(url, &fetched) {
            tracing::warn!(%url, dir = %self.dir.display(), %error, "cannot cache a module on disk");
        }
        self.remember(url, &fetched);
        Ok(fetched)
    }
}

/// The runtime's module settings from the configuration.
pub fn setup(config: &crate::config::ModulesConfig) -> Result<mcp_v8_runtime::modules::ModuleSetup, String> {
    Ok(mcp_v8_runtime::modules::ModuleSetup {
        allow_external: config.allow_external,
        cdn: config.cdn.clone(),
        fetcher: Arc::new(HttpModules::new(config.cache_dir.clone())?),
    })
}
