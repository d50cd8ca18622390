//! What ends: connections' data after their TTL, heaps nothing refers to,
//! session slots nobody uses.

use std::time::Duration;

use serde_json::json;

use super::*;

/// Once the server has started, one heap file is the dictionary heaps
/// are packed against, which the sweep keeps.
const DICTIONARY: usize = 1;

fn heap_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir.join("heaps")).unwrap().filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".heap")).count()
}

#[test]
fn an_ended_connection_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let engine = stateful_with(dir.path(), EngineConfig { heap_retention: Duration::ZERO, ..test_config() });
        let keeper = run(&engine, in_session("kept", "var x = 1")).await;
        let mut last = None;
        for i in 0..10 {
            let caller = Caller {
                tenant: Owner::Local,
                principal: Owner::Connection(format!("conn-{i}")),
                implicit: Some(SessionName::implicit(&format!("conn-{i}"))),
                claims: None,
            };
            let request = RunRequest { session: caller.implicit_session(), ..code("var y = 2") };
            let info = run_as(&engine, &caller, request).await;
            assert_eq!(info.status, ExecutionStatus::Completed);
            // A tag on a connection's heap does not outlive the connection.
            engine.set_heap_tags(&caller, info.heap.clone().unwrap(), Tags::from([("k".into(), "v".into())])).await.unwrap();
            engine.expire_owner(&caller.principal, Duration::ZERO).await.unwrap();
            last = Some((caller, info));
        }
        assert_eq!(heap_files(dir.path()), 11 + DICTIONARY);
        let report = engine.sweep().await.unwrap();
        assert_eq!(report.owners_dropped, 10, "{report:?}");
        assert_eq!(heap_files(dir.path()), 1 + DICTIONARY, "only the named session's heap is left");
        let (caller, info) = last.unwrap();
        assert!(engine.list_sessions(&caller).unwrap().iter().all(|s| !s.ephemeral));
        assert!(engine.get(&caller, &info.execution_id).is_err(), "its executions are gone too");
        // The named session is untouched.
        assert_eq!(run(&engine, in_session("kept", "x")).await.result, Some(json!(1)));
        assert!(keeper.heap.is_some());
        // No slot stays in memory once nothing runs.
        assert_eq!(engine.stats().session_slots, 0);
    });
}

#[test]
fn unreferenced_heaps_stay_for_their_retention_then_go() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let engine = stateful_with(dir.path(), EngineConfig { heap_retention: Duration::from_secs(3600), ..test_config() });
        let lone = run(&engine, code("var z = 3")).await;
        let heap = lone.heap.unwrap();
        engine.sweep().await.unwrap();
        assert_eq!(heap_files(dir.path()), 1 + DICTIONARY, "a heap given to a caller stays loadable");
        assert_eq!(run(&engine, RunRequest { heap: Some(heap), ..code("z") }).await.result, Some(json!(3)));
        engine.shutdown(Duration::from_secs(1)).await;
    });
    rt().block_on(async {
        let engine = stateful_with(dir.path(), EngineConfig { heap_retention: Duration::ZERO, ..test_config() });
        let report = engine.sweep().await.unwrap();
        assert_eq!(report.heaps_deleted, 2, "{report:?}");
        assert_eq!(heap_files(dir.path()), DICTIONARY);
    });
}

#[test]
fn connections_of_a_previous_run_expire_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let caller = Caller {
        tenant: Owner::Local,
        principal: Owner::Connection("gone".into()),
        implicit: Some(SessionName::implicit("gone")),
        claims: None,
    };
    rt().block_on(async {
        let engine = stateful(dir.path(), SnapshotPolicy::EveryRun);
        run_as(&engine, &caller, RunRequest { session: caller.implicit_session(), ..code("1") }).await;
        engine.shutdown(Duration::from_secs(1)).await;
    });
    rt().block_on(async {
        let engine = stateful_with(dir.path(), EngineConfig { connection_ttl: Duration::ZERO, heap_retention: Duration::ZERO, ..test_config() });
        // The sweeper adopts the orphan at start; wait for it, then sweep.
        let mut report = SweepReport::default();
        for _ in 0..100 {
            report = engine.sweep().await.unwrap();
            if report.owners_dropped > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(report.owners_dropped, 1, "{report:?}");
        assert!(engine.list_sessions(&caller).unwrap().is_empty());
    });
}
