//! Engine tests: real isolates, a real directory store, real metadata.

mod atomic;
mod basics;
mod compat;
mod dictionary;
mod lifecycle;
mod memory;
mod ownership;

use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::ids::SessionName;
use crate::store::FsStore;

pub(super) fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

pub(super) fn stateless() -> Arc<Engine> {
    Engine::start(EngineConfig { stateful: false, max_concurrent: 4, max_concurrent_per_principal: 4, ..Default::default() }, EngineDeps::default()).unwrap()
}

pub(super) fn stateful(dir: &std::path::Path, policy: SnapshotPolicy) -> Arc<Engine> {
    stateful_with(dir, EngineConfig { snapshot_policy: policy, ..test_config() })
}

pub(super) fn test_config() -> EngineConfig {
    EngineConfig {
        stateful: true,
        max_concurrent: 4,
        max_concurrent_per_principal: 4,
        idle_after: Duration::from_millis(300),
        ..Default::default()
    }
}

pub(super) fn stateful_with(dir: &std::path::Path, config: EngineConfig) -> Arc<Engine> {
    let store: Arc<dyn HeapStore> = Arc::new(FsStore::open(&dir.join("heaps")).unwrap());
    // The previous engine's metadata writer thread may still be closing the file.
    let mut meta = Meta::open(&dir.join("meta.redb"));
    for _ in 0..50 {
        if meta.is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
        meta = Meta::open(&dir.join("meta.redb"));
    }
    let meta = meta.unwrap();
    Engine::start(config, EngineDeps { store: Some((store, meta)), ..Default::default() }).unwrap()
}

pub(super) async fn run(engine: &Arc<Engine>, request: RunRequest) -> ExecutionInfo {
    run_as(engine, &Caller::local(), request).await
}

pub(super) async fn run_as(engine: &Arc<Engine>, caller: &Caller, request: RunRequest) -> ExecutionInfo {
    let exec = engine.submit(caller, request).unwrap();
    assert!(exec.wait(Duration::from_secs(60)).await, "run did not finish");
    exec.info()
}

pub(super) fn code(code: &str) -> RunRequest {
    RunRequest { code: code.into(), ..Default::default() }
}

pub(super) fn in_session(session: &str, code: &str) -> RunRequest {
    let session = Caller::local().session(session).unwrap();
    RunRequest { code: code.into(), session: Some(session), ..Default::default() }
}

pub(super) fn local() -> Caller {
    Caller::local()
}
