//! A Redis write-through cache in front of the durable heap directory.
//!
//! **Invariant:** Redis is an optimisation only. Every heap is written to
//! the durable store before Redis; a Redis failure (down, slow, evicted,
//! corrupted entry) falls back to the durable store and never fails a run.
//! A lost connection is logged once when it goes and once when it comes back,
//! not per operation.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use mcp_v8_runtime::store::{FsStore, HeapStore};
use mcp_v8_runtime::{HeapHash, RuntimeError};
use redis::AsyncCommands;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

/// How long one Redis operation may take before the durable store is used.
const OP_TIMEOUT: Duration = Duration::from_millis(250);
/// Cached heaps expire after a day; the durable store keeps them.
const TTL_SECS: u64 = 24 * 3600;

pub struct RedisCache {
    durable: FsStore,
    redis: ConnectionManager,
    url: String,
    healthy: AtomicBool,
}

impl RedisCache {
    /// Connects lazily: a Redis that is down at startup is not an error.
    pub fn new(durable: FsStore, url: &str) -> Result<Self, RuntimeError> {
        let client = redis::Client::open(url).map_err(|e| RuntimeError::Store(format!("redis url '{url}': {e}")))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(OP_TIMEOUT))
            .set_response_timeout(Some(OP_TIMEOUT))
            .set_number_of_retries(1);
        let redis = ConnectionManager::new_lazy_with_config(client, config)
            .map_err(|e| RuntimeError::Store(format!("redis: {e}")))?;
        Ok(Self { durable, redis, url: redact(url), healthy: AtomicBool::new(true) })
    }

    fn key(hash: &HeapHash) -> String {
        format!("mcp-v8:heap:{hash}")
    }

    fn report<T>(&self, result: Result<Result<T, redis::RedisError>, tokio::time::error::Elapsed>) -> Option<T> {
        let error = match result {
            Ok(Ok(value)) => {
                if !self.healthy.swap(true, Ordering::SeqCst) {
                    tracing::info!(url = %self.url, "redis is reachable again; caching heaps");
                }
                return Some(value);
            }
            Ok(Err(error)) => error.to_string(),
            Err(_) => format!("no answer within {} ms", OP_TIMEOUT.as_millis()),
        };
        if self.healthy.swap(false, Ordering::SeqCst) {
            tracing::warn!(url = %self.url, %error, "redis is unavailable; serving heaps from the durable store");
        }
        None
    }
}

#[async_trait::async_trait]
impl HeapStore for RedisCache {
    async fn put(&self, hash: &HeapHash, bytes: Arc<[u8]>) -> Result<(), RuntimeError> {
        self.durable.put(hash, bytes.clone()).await?;
        let mut redis = self.redis.clone();
        let result = tokio::time::timeout(OP_TIMEOUT, redis.set_ex::<_, _, ()>(Self::key(hash), &*bytes, TTL_SECS)).await;
        self.report(result);
        Ok(())
    }

    async fn get(&self, hash: &HeapHash) -> Result<Option<Arc<[u8]>>, RuntimeError> {
        let mut redis = self.redis.clone();
        let cached = tokio::time::timeout(OP_TIMEOUT, redis.get::<_, Option<Vec<u8>>>(Self::key(hash))).await;
        if let Some(Some(bytes)) = self.report(cached) {
            // A corrupted cache entry is skipped, not trusted.
            if &HeapHash::of(&bytes) == hash {
                return Ok(Some(Arc::from(bytes)));
            }
            tracing::warn!(%hash, "redis held corrupted bytes for a heap; using the durable store");
        }
        let bytes = self.durable.get(hash).await?;
        if let Some(bytes) = &bytes {
            let mut redis = self.redis.clone();
            let result =
                tokio::time::timeout(OP_TIMEOUT, redis.set_ex::<_, _, ()>(Self::key(hash), &**bytes, TTL_SECS)).await;
            self.report(result);
        }
        Ok(bytes)
    }

    async fn list(&self) -> Result<Vec<(HeapHash, std::time::SystemTime)>, RuntimeError> {
        self.durable.list().await
    }

    async fn delete(&self, hash: &HeapHash) -> Result<(), RuntimeError> {
        self.durable.delete(hash).await?;
        let mut redis = self.redis.clone();
        let result = tokio::time::timeout(OP_TIMEOUT, redis.del::<_, ()>(Self::key(hash))).await;
        self.report(result);
        Ok(())
    }

    fn describe(&self) -> String {
        format!("redis {} in front of {}", self.url, self.durable.describe())
    }
}

/// Hides a password in a Redis URL for logs.
fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}
