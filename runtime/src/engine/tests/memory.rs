//! A run's budget covers its JS heap, its buffers and its WebAssembly
//! memories; going over fails the run with "memory limit exceeded" and the
//! engine keeps serving. Heaps V8 cannot snapshot are refused before V8
//! sees them.

use std::time::Duration;

use serde_json::json;

use super::*;

/// A module exporting a memory of 2048 pages (128 MB).
const BIG_MEMORY_MODULE: &str = "[0,97,115,109,1,0,0,0,5,4,1,0,128,16,7,7,1,3,109,101,109,2,0]";
/// A module with a one-page memory and `grow(pages)`, which grows it from
/// inside WebAssembly (no JavaScript wrapper sees that).
const GROWING_MODULE: &str = "[0,97,115,109,1,0,0,0,1,6,1,96,1,127,1,127,3,2,1,0,5,3,1,0,1,7,14,2,3,109,101,109,2,0,4,103,114,111,119,0,0,10,8,1,6,0,32,0,64,0,11]";

fn assert_memory_limit(info: &ExecutionInfo) {
    assert_eq!(info.status, ExecutionStatus::Failed, "{info:?}");
    let message = &info.error.as_ref().unwrap().message;
    assert!(message.contains("memory limit exceeded"), "{message}");
}

#[test]
fn buffers_count_against_the_budget() {
    rt().block_on(async {
        let engine = stateless();
        // The repro: four 1 GiB arrays, filled, under a 64 MB budget.
        let info = run(&engine, code("const keep = []; for (let i = 0; i < 4; i++) keep.push(new Uint8Array(1 << 30).fill(1)); keep.length")).await;
        assert_memory_limit(&info);

        // Many small ones add up; catching the RangeError does not help.
        let info = run(
            &engine,
            code("const keep = []; try { for (;;) keep.push(new ArrayBuffer(8 << 20)) } catch (e) { 'caught: ' + keep.length }"),
        )
        .await;
        assert_memory_limit(&info);

        // Garbage is collected before a buffer is refused: this fits.
        let info = run(&engine, code("let n = 0; for (let i = 0; i < 40; i++) n += new Uint8Array(16 << 20).length; n")).await;
        assert_eq!(info.result, Some(json!(40 * (16 << 20))), "{info:?}");

        // Resizable and growable buffers bypass the allocator; their sizes are checked.
        for source in [
            "new ArrayBuffer(200 << 20, { maxByteLength: 400 << 20 }).byteLength",
            "const b = new ArrayBuffer(0, { maxByteLength: 1 << 30 }); b.resize(512 << 20); new Uint8Array(b).fill(1).length",
            "const b = new ArrayBuffer(8, { maxByteLength: 1 << 30 }); b.transfer(600 << 20).byteLength",
            "new SharedArrayBuffer(8, { maxByteLength: 1 << 30 }).growable",
            "new SharedArrayBuffer(100 << 20).byteLength",
        ] {
            assert_memory_limit(&run(&engine, code(source)).await);
        }
        let info = run(&engine, code("const b = new ArrayBuffer(0, { maxByteLength: 1 << 20 }); b.resize(1 << 20); b.byteLength")).await;
        assert_eq!(info.result, Some(json!(1 << 20)), "small resizable buffers work: {info:?}");

        assert_eq!(run(&engine, code("6 * 7")).await.result, Some(json!(42)));
    });
}

#[test]
fn webassembly_memories_count_against_the_budget() {
    rt().block_on(async {
        let engine = stateless();
        for source in [
            "new WebAssembly.Memory({ initial: 2048 }).buffer.byteLength".to_owned(),
            "const m = new WebAssembly.Memory({ initial: 1 }); m.grow(4096); m.buffer.byteLength".to_owned(),
            format!("const {{ instance }} = await WebAssembly.instantiate(new Uint8Array({BIG_MEMORY_MODULE})); instance.exports.mem.buffer.byteLength"),
            format!("new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array({BIG_MEMORY_MODULE}))).exports.mem.buffer.byteLength"),
            // Grown from inside WebAssembly: caught by the periodic check
            // or, at the latest, when the run ends.
            format!(
                "const {{ instance }} = await WebAssembly.instantiate(new Uint8Array({GROWING_MODULE}));
                 let pages = 0; while (instance.exports.grow(16) >= 0) pages += 16; pages"
            ),
        ] {
            assert_memory_limit(&run(&engine, code(&source)).await);
        }
        let info = run(&engine, code(&format!(
            "const {{ instance }} = await WebAssembly.instantiate(new Uint8Array({GROWING_MODULE})); instance.exports.grow(3) + instance.exports.mem.buffer.byteLength"
        )))
        .await;
        assert_eq!(info.result, Some(json!(1 + 4 * 65536)), "{info:?}");
    });
}

#[test]
fn the_process_budget_refuses_what_cannot_fit() {
    rt().block_on(async {
        let engine = Engine::start(
            EngineConfig {
                stateful: false,
                max_concurrent: 2,
                max_concurrent_per_principal: 2,
                memory_max_bytes: 200 << 20,
                ..Default::default()
            },
            EngineDeps::default(),
        )
        .unwrap();
        let error = engine.submit(&local(), RunRequest { heap_max_bytes: Some(512 << 20), ..code("1") }).unwrap_err();
        assert!(matches!(error, RuntimeError::InvalidRequest(_)), "{error}");
        assert!(error.to_string().contains("--memory-max"), "{error}");
        assert_eq!(run(&engine, code("1")).await.result, Some(json!(1)));
    });
}

#[test]
fn heap_content_v8_cannot_snapshot_is_refused_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let engine = stateful_with(dir.path(), EngineConfig { max_snapshot_bytes: 48 << 20, ..test_config() });
        assert_eq!(run(&engine, in_session("h", "globalThis.kept = 'yes'")).await.status, ExecutionStatus::Completed);

        // Intl objects, however they are kept.
        for source in [
            "globalThis.nf = new Intl.NumberFormat('en')",
            "globalThis.f = new Intl.DateTimeFormat('en').format",
            "globalThis.s = new Intl.Segmenter('en').segment('a b')",
            "class Money extends Intl.NumberFormat {}; globalThis.m = new Money('en')",
            "Object.prototype.hidden = Intl.Collator('en')",
        ] {
            let info = run(&engine, in_session("h", source)).await;
            assert_eq!(info.status, ExecutionStatus::Failed, "{source}: {info:?}");
            assert_eq!(info.error.as_ref().unwrap().name, "HeapError", "{source}");
        }
        // Used and dropped within a run, they are fine.
        let info = run(&engine, in_session("h", "new Intl.NumberFormat('de').format(1234.5) + (1.5).toLocaleString('en')")).await;
        assert_eq!(info.result, Some(json!("1.234,51.5")), "{info:?}");

        // Buffers over --max-snapshot-bytes.
        let info = run(&engine, RunRequest { heap_max_bytes: Some(128 << 20), ..in_session("h", "globalThis.big = new Uint8Array(64 << 20); big.length") }).await;
        assert_eq!(info.error.as_ref().map(|e| e.name.as_str()), Some("HeapError"), "{info:?}");
        assert!(info.error.unwrap().message.contains("--max-snapshot-bytes"));

        // FinalizationRegistry and WeakRef work, cleanups included, and snapshot.
        let info = run(
            &engine,
            in_session(
                "h",
                "globalThis.cleaned = []; globalThis.reg = new FinalizationRegistry((v) => cleaned.push(v));
                 (function () { for (let i = 0; i < 100; i++) reg.register({ big: new Array(1000).fill(i) }, i); })();
                 globalThis.alive = {}; reg.register(alive, 'alive', alive); globalThis.ref = new WeakRef(alive);
                 reg.unregister(alive)",
            ),
        )
        .await;
        assert_eq!(info.status, ExecutionStatus::Completed, "{info:?}");
        let info = run(&engine, in_session("h", "[typeof ref.deref(), cleaned.length >= 0, reg instanceof FinalizationRegistry]")).await;
        assert_eq!(info.result, Some(json!(["object", true, true])), "{info:?}");

        // What snapshotting isolates do not have fails with a clear error.
        for (source, missing) in [
            ("new SharedArrayBuffer(8)", "SharedArrayBuffer"),
            ("new WebAssembly.Memory({ initial: 1 })", "WebAssembly"),
        ] {
            let info = run(&engine, in_session("h", source)).await;
            let error = info.error.unwrap();
            assert_eq!(error.name, "ReferenceError");
            assert!(error.message.contains(missing), "{}", error.message);
        }

        // The session went through all of that unharmed.
        assert_eq!(run(&engine, in_session("h", "kept")).await.result, Some(json!("yes")));
    });
}

#[test]
fn a_heap_made_with_a_larger_budget_is_refused_in_a_smaller_one() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let engine = stateful(dir.path(), SnapshotPolicy::EveryRun);
        let big = run(
            &engine,
            RunRequest {
                heap_max_bytes: Some(512 << 20),
                ..in_session("big", "globalThis.rows = []; for (let i = 0; i < 1e6; i++) rows.push({ i, s: 'row ' + i }); rows.length")
            },
        )
        .await;
        assert_eq!(big.status, ExecutionStatus::Completed, "{big:?}");
        // V8 cannot collect garbage while it restores a heap; restoring this
        // one under 16 MB used to abort the process.
        let small = run(&engine, RunRequest { heap_max_bytes: Some(16 << 20), ..in_session("big", "rows.length") }).await;
        assert_memory_limit(&small);
        let again = run(&engine, RunRequest { heap_max_bytes: Some(512 << 20), ..in_session("big", "rows.length") }).await;
        assert_eq!(again.result, Some(json!(1_000_000)));
    });
}

#[test]
fn results_and_conversions_cannot_hang_or_lie() {
    rt().block_on(async {
        let engine = stateless();
        // An object that appears twice is not a cycle.
        let info = run(&engine, code("const shared = { v: 1 }; const m = new Map([['k', shared]]); ({ a: shared, b: shared, m, list: [shared, shared] })")).await;
        assert_eq!(info.result, Some(json!({ "a": { "v": 1 }, "b": { "v": 1 }, "m": { "k": { "v": 1 } }, "list": [{ "v": 1 }, { "v": 1 }] })));
        let info = run(&engine, code("const a = { name: 'a' }; a.self = a; const m = new Map(); m.set('m', m); [a, m]")).await;
        assert_eq!(info.result, Some(json!([{ "name": "a", "self": "[Circular]" }, { "m": "[Circular]" }])));

        // A huge result is refused without filling the heap first.
        let info = run(&engine, code("new Uint8Array(32 << 20)")).await;
        assert_eq!(info.status, ExecutionStatus::Failed);
        assert!(info.error.unwrap().message.contains("result too large"));
        let info = run(&engine, code("new Uint8Array([1, 2, 3])")).await;
        assert_eq!(info.result, Some(json!([1, 2, 3])), "typed arrays come back as arrays");
        // A huge console line is cut in JavaScript.
        let info = run(&engine, code("console.log('x'.repeat(20 << 20)); 'logged'")).await;
        assert_eq!(info.result, Some(json!("logged")), "{:?}", info.error);
        assert!(info.output_truncated);

        // A toJSON that never returns is stopped by the timeout.
        let info = run(&engine, RunRequest { timeout: Some(Duration::from_millis(300)), ..code("({ toJSON() { for (;;) {} } })") }).await;
        assert_eq!(info.status, ExecutionStatus::TimedOut);
        assert_eq!(run(&engine, code("'still here'")).await.result, Some(json!("still here")));
    });
}




