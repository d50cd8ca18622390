//! Heaps packed against a dictionary: one per build, kept across restarts
//! and sweeps; a build whose heaps differ adopts its own and still reads
//! the heaps packed against the old one; a lost dictionary is a clear error.

use std::time::Duration;

use serde_json::json;

use super::*;

fn heap_file(dir: &std::path::Path, hash: &HeapHash) -> std::path::PathBuf {
    dir.join("heaps").join(format!("{hash}.heap"))
}

/// The dictionary a stored heap names, read from its file.
fn named_dictionary(dir: &std::path::Path, hash: &HeapHash) -> Option<HeapHash> {
    crate::store::packing::dictionary_of(&std::fs::read(heap_file(dir, hash)).unwrap()).unwrap()
}

fn config() -> EngineConfig {
    EngineConfig { heap_retention: Duration::ZERO, snapshot_policy: SnapshotPolicy::EveryRun, ..test_config() }
}

#[test]
fn heaps_are_packed_against_one_dictionary_that_outlives_restarts_and_sweeps() {
    let dir = tempfile::tempdir().unwrap();
    let first = rt().block_on(async {
        let engine = stateful_with(dir.path(), config());
        let heap = run(&engine, in_session("a", "var x = 1")).await.heap.unwrap();
        let dictionary = engine.meta().unwrap().dictionary().unwrap().expect("adopted on the first write");
        assert_eq!(named_dictionary(dir.path(), &heap).as_ref(), Some(&dictionary));
        let stored = std::fs::metadata(heap_file(dir.path(), &heap)).unwrap().len();
        assert!(stored < 32 << 10, "a one-variable session's heap takes {stored} bytes on disk");
        assert!(std::fs::read(heap_file(dir.path(), &dictionary)).unwrap().starts_with(b"MV8ZSTD1"), "stored alone");
        engine.shutdown(Duration::from_secs(1)).await;
        dictionary
    });
    rt().block_on(async {
        let engine = stateful_with(dir.path(), config());
        // A new engine knows no dictionary: it loads the one the heap names.
        assert_eq!(run(&engine, in_session("a", "x + 1")).await.result, Some(json!(2)));
        let heap = run(&engine, in_session("b", "var y = 2")).await.heap.unwrap();
        assert_eq!(named_dictionary(dir.path(), &heap), Some(first.clone()), "the same build keeps its dictionary");
        engine.sweep().await.unwrap();
        assert!(heap_file(dir.path(), &first).exists(), "the sweep keeps the dictionary");
        // Nobody owns it: no caller can run from it.
        let from_dictionary = engine.submit(&local(), RunRequest { heap: Some(first.clone()), ..code("1") });
        assert!(matches!(from_dictionary, Err(RuntimeError::NotFound(_))), "{from_dictionary:?}");
        assert_eq!(run(&engine, in_session("b", "y")).await.result, Some(json!(2)));
        engine.shutdown(Duration::from_secs(1)).await;
    });
}

#[test]
fn a_build_whose_heaps_differ_adopts_its_own_dictionary_and_still_reads_the_old_heaps() {
    let dir = tempfile::tempdir().unwrap();
    let (big, first) = rt().block_on(async {
        let engine = stateful_with(dir.path(), config());
        let code = "globalThis.s = Array.from({length: 20000}, () => Math.random().toString(36).slice(2)).join(''); s.length > 150000";
        let info = run(&engine, in_session("big", code)).await;
        assert_eq!(info.result, Some(json!(true)), "{info:?}");
        let first = engine.meta().unwrap().dictionary().unwrap().unwrap();
        // As if an older build had adopted a heap unlike this build's.
        engine.meta().unwrap().adopt_dictionary(info.heap.clone().unwrap()).await.unwrap();
        engine.shutdown(Duration::from_secs(1)).await;
        (info.heap.unwrap(), first)
    });
    rt().block_on(async {
        let engine = stateful_with(dir.path(), config());
        let heap = run(&engine, in_session("c", "var z = 3")).await.heap.unwrap();
        let adopted = engine.meta().unwrap().dictionary().unwrap().unwrap();
        assert_ne!(adopted, big, "the big heap does not fit this build's heaps");
        assert_eq!(named_dictionary(dir.path(), &heap), Some(adopted));
        // Heaps packed against the first dictionary are still read.
        assert_eq!(named_dictionary(dir.path(), &big), Some(first));
        assert_eq!(run(&engine, in_session("big", "s.length > 150000")).await.result, Some(json!(true)));
        engine.shutdown(Duration::from_secs(1)).await;
    });
}

/// A session's heap, then its dictionary's file harmed by `harm`: the next
/// engine refuses the heap with an error naming the dictionary and saying
/// `why`, and new sessions go on against a dictionary adopted anew.
fn a_harmed_dictionary_is_a_clear_error(harm: impl FnOnce(&std::path::Path), why: &str) {
    let dir = tempfile::tempdir().unwrap();
    let dictionary = rt().block_on(async {
        let engine = stateful_with(dir.path(), config());
        run(&engine, in_session("a", "var x = 1")).await;
        engine.shutdown(Duration::from_secs(1)).await;
        engine.meta().unwrap().dictionary().unwrap().unwrap()
    });
    harm(&heap_file(dir.path(), &dictionary));
    rt().block_on(async {
        let engine = stateful_with(dir.path(), config());
        let info = run(&engine, in_session("a", "x")).await;
        assert_eq!(info.status, ExecutionStatus::Failed);
        let message = info.error.unwrap().message;
        assert!(message.contains(dictionary.as_str()) && message.contains(why), "{message}");
        let heap = run(&engine, in_session("n", "var n = 1")).await.heap.unwrap();
        let adopted = named_dictionary(dir.path(), &heap).unwrap();
        assert!(heap_file(dir.path(), &adopted).exists());
        assert_eq!(run(&engine, in_session("n", "n")).await.result, Some(json!(1)));
        engine.shutdown(Duration::from_secs(1)).await;
    });
}

#[test]
fn a_heap_whose_dictionary_is_lost_is_refused_with_a_clear_error() {
    a_harmed_dictionary_is_a_clear_error(|path| std::fs::remove_file(path).unwrap(), "missing");
}

#[test]
fn a_heap_whose_dictionary_is_damaged_is_refused_with_a_clear_error() {
    let flip = |path: &std::path::Path| {
        let mut bytes = std::fs::read(path).unwrap();
        let at = bytes.len() / 2;
        bytes[at] ^= 0x40;
        std::fs::write(path, bytes).unwrap();
    };
    a_harmed_dictionary_is_a_clear_error(flip, "corrupted");
}
