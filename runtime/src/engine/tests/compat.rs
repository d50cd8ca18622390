//! Heaps written by earlier versions of mcp-v8 load, run and are
//! snapshotted again, generation after generation.

use std::time::Duration;

use serde_json::json;

use super::*;

/// `fixtures/heap-937506a.heap` (see the fixtures' README): its realm's
/// global has two internal fields. This version writes a restored realm as
/// the snapshot's only context, which a realm with fields cannot be
/// restored from (V8 crashed on the generation after); such a realm keeps
/// deno_core's layout instead.
#[test]
fn a_heap_written_by_an_earlier_version_resumes_run_after_run() {
    let dir = tempfile::tempdir().unwrap();
    let hash = HeapHash::parse("5871f246fbc142971552c398d2f840ee10930ae346a702a0325e0254462db955").unwrap();
    std::fs::create_dir_all(dir.path().join("heaps")).unwrap();
    std::fs::write(dir.path().join("heaps").join(format!("{hash}.heap")), include_bytes!("fixtures/heap-937506a.heap"))
        .unwrap();
    rt().block_on(async {
        let engine = stateful(dir.path(), SnapshotPolicy::EveryRun);
        engine.meta().unwrap().add_heap_owner(hash.clone(), local().principal).await.unwrap();
        let mut heap = hash;
        for n in 2..=4 {
            let info = run(&engine, RunRequest { heap: Some(heap), ..code("n += 1; [legacy, n]") }).await;
            assert_eq!(info.status, ExecutionStatus::Completed, "{info:?}");
            assert_eq!(info.result, Some(json!(["kept since 0.1 (937506a)", n])));
            heap = info.heap.expect("a stateful run stores its heap");
        }
        engine.shutdown(Duration::from_secs(1)).await;
    });
}
