//! Heap store layers the gateway puts in front of the runtime's durable store.

mod redis;

pub use self::redis::RedisCache;
