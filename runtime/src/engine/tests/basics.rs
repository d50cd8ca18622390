//! The basics: results, console, web APIs, errors, limits, sessions, idle
//! persistence, corruption, parallel snapshots.

use std::time::Duration;

use super::*;
use crate::output::OutputQuery;

#[test]
fn stateless_results_console_timers_and_web_apis() {
    rt().block_on(async {
        let engine = stateless();
        let info = run(&engine, code("1 + 1")).await;
        assert_eq!(info.status, ExecutionStatus::Completed);
        assert_eq!(info.result, Some(serde_json::json!(2)));

        let info = run(&engine, code("({a: [1, 'x'], b: null})")).await;
        assert_eq!(info.result, Some(serde_json::json!({"a": [1, "x"], "b": null})));

        let info = run(&engine, code("const t: number = await new Promise(r => setTimeout(() => r(7), 20)); t * 6")).await;
        assert_eq!(info.result, Some(serde_json::json!(42)), "{info:?}");

        let exec = engine
            .submit(&local(), code("console.log('hi', {a: 1}); console.error('bad'); console.warn('w'); setTimeout(() => console.info('later'), 10);"))
            .unwrap();
        exec.wait(Duration::from_secs(10)).await;
        let page = exec.output.page(OutputQuery::default());
        assert_eq!(page.text, "hi { a: 1 }\nbad\nw\nlater");
        let levels: Vec<_> = page.lines.unwrap().iter().map(|l| l.level).collect();
        use crate::output::OutputLevel::*;
        assert_eq!(levels, vec![Log, Error, Warn, Info]);

        let info = run(
            &engine,
            code(
                "const u = new URL('https://a.b/c?x=1#h'); u.searchParams.append('y', 'z w');
                 [u.href, new TextDecoder().decode(new TextEncoder().encode('héllo')), btoa('hi'), atob('aGk='),
                  structuredClone({d: 1}).d, crypto.randomUUID().length, crypto.getRandomValues(new Uint8Array(4)).length,
                  typeof performance.now(), typeof queueMicrotask]",
            ),
        )
        .await;
        assert_eq!(
            info.result,
            Some(serde_json::json!(["https://a.b/c?x=1&y=z+w#h", "héllo", "aGk=", "hi", 1, 36, 4, "number", "function"])),
            "{info:?}"
        );
    });
}

#[test]
fn user_code_cannot_reach_deno_internals() {
    rt().block_on(async {
        let engine = stateless();
        let info = run(&engine, code("[typeof Deno, typeof __bootstrap, typeof __infra, typeof globalThis.Deno]")).await;
        assert_eq!(info.result, Some(serde_json::json!(["undefined", "undefined", "undefined", "undefined"])), "{info:?}");
    });
}

#[test]
fn errors_carry_class_stack_and_line() {
    rt().block_on(async {
        let engine = stateless();
        let info = run(&engine, code("const a = 1;\nfunction f() { throw new TypeError('nope'); }\nf();")).await;
        assert_eq!(info.status, ExecutionStatus::Failed);
        let error = info.error.unwrap();
        assert_eq!(error.name, "TypeError");
        assert_eq!(error.message, "nope");
        assert_eq!(error.line, Some(2), "{error:?}");
        assert!(error.stack.unwrap().contains("run_js:2:"));

        let info = run(&engine, code("let x = 1;\nlet y = ;")).await;
        let error = info.error.unwrap();
        assert_eq!((error.name.as_str(), error.line), ("SyntaxError", Some(2)));

        let info = run(&engine, code("await Promise.reject(new RangeError('r'))")).await;
        assert_eq!(info.error.unwrap().name, "RangeError");
    });
}

#[test]
fn limits_timeouts_heap_bombs_and_cancel() {
    rt().block_on(async {
        let engine = stateless();
        let request = RunRequest { timeout: Some(Duration::from_millis(300)), ..code("while (true) {}") };
        let info = run(&engine, request).await;
        assert_eq!(info.status, ExecutionStatus::TimedOut);

        let request = RunRequest { timeout: Some(Duration::from_millis(300)), ..code("await new Promise(() => setInterval(() => {}, 5))") };
        assert_eq!(run(&engine, request).await.status, ExecutionStatus::TimedOut);

        let request = RunRequest { heap_max_bytes: Some(16 << 20), ..code("const a = []; while (true) a.push(new Array(1e5).fill(1));") };
        let info = run(&engine, request).await;
        assert_eq!(info.status, ExecutionStatus::Failed);
        assert!(info.error.unwrap().message.contains("memory limit exceeded"));

        let exec = engine.submit(&local(), code("while (true) {}")).unwrap();
        while exec.status() == ExecutionStatus::Queued {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert_eq!(engine.cancel(&local(), &exec.id).unwrap(), CancelOutcome::Cancelled(ExecutionStatus::Running));
        assert!(exec.wait(Duration::from_secs(5)).await);
        assert_eq!(exec.status(), ExecutionStatus::Cancelled);

        // The engine still serves after all of that.
        assert_eq!(run(&engine, code("2 * 21")).await.result, Some(serde_json::json!(42)));
    });
}

#[test]
fn stateless_runs_are_isolated() {
    rt().block_on(async {
        let engine = stateless();
        run(&engine, code("globalThis.leak = 1; var v = 2;")).await;
        let info = run(&engine, code("[typeof leak, typeof v]")).await;
        assert_eq!(info.result, Some(serde_json::json!(["undefined", "undefined"])));
    });
}

#[test]
fn sessions_keep_state_every_run() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let engine = stateful(dir.path(), SnapshotPolicy::EveryRun);
        let first = run(&engine, in_session("s1", "const counter = 41; class K { v() { return 1 } }")).await;
        assert_eq!(first.status, ExecutionStatus::Completed, "{first:?}");
        let heap1 = first.heap.clone().expect("every-run reports a heap");
        // The snapshot went through our no-op reachability filter, not V8's
        // (a later V8 that renamed it would run its own: slower).
        assert!(crate::snapshot_filter::filters_made() > 0, "V8 made its snapshot without our filter");
        let second = run(&engine, in_session("s1", "const counter2 = counter + 1; new K().v() + counter2")).await;
        assert_eq!(second.result, Some(serde_json::json!(43)), "{second:?}");
        // Redeclaring a top-level const in a later run works, as in a REPL.
        let third = run(&engine, in_session("s1", "const counter = 1; counter")).await;
        assert_eq!(third.result, Some(serde_json::json!(1)), "{third:?}");

        // A heap resumes anywhere, without a session.
        let forked = run(&engine, RunRequest { heap: Some(heap1.clone()), ..code("typeof counter2 + counter") }).await;
        assert_eq!(forked.result, Some(serde_json::json!("undefined41")));

        let (_, log) = engine.session_log(&local(), "s1", 0, 100).unwrap();
        assert_eq!(log.len(), 3);
        assert_eq!(log[1].input_heap.as_ref(), Some(&heap1));
        let sessions = engine.list_sessions(&local()).unwrap();
        assert_eq!(sessions[0].runs, 3);

        // Tags.
        let mut tags = Tags::new();
        tags.insert("stage".into(), "one".into());
        engine.set_heap_tags(&local(), heap1.clone(), tags.clone()).await.unwrap();
        assert_eq!(engine.query_heaps(&local(), &tags).unwrap()[0].0, heap1);
        engine.delete_heap_tags(&local(), heap1.clone(), None).await.unwrap();
        assert!(engine.query_heaps(&local(), &tags).unwrap().is_empty());
    });
}

#[test]
fn idle_policy_keeps_warm_and_persists_when_idle_or_shut_down() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let engine = stateful(dir.path(), SnapshotPolicy::Idle);
        let first = run(&engine, in_session("warm", "var n = 1; n")).await;
        assert!(first.heap_pending && first.heap.is_none(), "{first:?}");
        let second = run(&engine, in_session("warm", "n += 1; n")).await;
        assert_eq!(second.result, Some(serde_json::json!(2)));
        assert_eq!(engine.list_sessions(&local()).unwrap()[0].runs, 2);
        assert_eq!(engine.session_log(&local(), "warm", 0, 10).unwrap().1.len(), 2);
        // Idle for longer than idle_after: the keeper persists it.
        let head = loop {
            if let Some(heap) = engine.list_sessions(&local()).unwrap()[0].heap.clone() {
                break heap;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let exec = engine.get(&local(), &second.execution_id).unwrap();
        assert_eq!(exec.info().heap, Some(head.clone()));
        // Both runs are logged with the heap they reached.
        let (_, log) = engine.session_log(&local(), "warm", 0, 10).unwrap();
        assert!(log.iter().all(|e| e.output_heap.as_ref() == Some(&head)), "{log:?}");
        let third = run(&engine, in_session("warm", "n += 1; n")).await;
        assert_eq!(third.result, Some(serde_json::json!(3)));
        engine.shutdown(Duration::from_secs(1)).await;
    });
    // A new engine on the same directory continues where the clean stop left it.
    rt().block_on(async {
        let engine = stateful(dir.path(), SnapshotPolicy::Idle);
        let fourth = run(&engine, in_session("warm", "n + 1")).await;
        assert_eq!(fourth.result, Some(serde_json::json!(4)), "{fourth:?}");
        assert_eq!(engine.session_log(&local(), "warm", 0, 10).unwrap().1.len(), 4);
        engine.shutdown(Duration::from_secs(1)).await;
    });
}

/// Each every-run run restores the heap the one before stored and stores
/// the next: a session's heap must not grow with its age (deno_core's op
/// classes, made again on every restore, added 41 KB per run; its callsite
/// prototype's twenty functions, 5.7 KB per run; a new external-reference slot
/// per lazily loaded script, 148 bytes per run).
#[test]
fn an_every_run_session_heap_does_not_grow_run_after_run() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let engine = stateful(dir.path(), SnapshotPolicy::EveryRun);
        let store = FsStore::open(&dir.path().join("heaps")).unwrap();
        let mut sizes = Vec::new();
        for _ in 0..8 {
            let info = run(&engine, in_session("aging", "globalThis.n = (globalThis.n ?? 0) + 1; new TextEncoder().encode('x').length")).await;
            assert_eq!(info.status, ExecutionStatus::Completed, "{info:?}");
            let heap = info.heap.expect("every-run reports a heap");
            sizes.push(crate::store::load_checked(&store, &Dictionaries::default(), &heap).await.unwrap().len());
        }
        assert!(sizes[1..].iter().all(|&size| size == sizes[1]), "the heap grows run after run: {sizes:?}");
    });
}

/// Deno's web scripts load when a session's code first names one of their
/// globals, each in some generation; the snapshots after keep them (their
/// source strings in the heap point into the slots the parent snapshot
/// lists, which a restored runtime takes over rather than adding its own).
#[test]
fn web_scripts_loaded_in_different_generations_of_a_session_keep_working() {
    use serde_json::json;
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let engine = stateful(dir.path(), SnapshotPolicy::EveryRun);
        let steps = [
            ("globalThis.u = new URL('https://example.com/a?b=1'); u.pathname", json!("/a")),
            ("globalThis.h = new Headers({a: '2'}); [u.searchParams.get('b'), h.get('a')]", json!(["1", "2"])),
            (
                "globalThis.t = new TextDecoder().decode(new TextEncoder().encode('ok')); [u.href, h.get('a'), t]",
                json!(["https://example.com/a?b=1", "2", "ok"]),
            ),
            (
                "[new URL('b', u).href, [...h.keys()], t, structuredClone({x: 1}).x]",
                json!(["https://example.com/b", ["a"], "ok", 1]),
            ),
        ];
        for (code, expected) in steps {
            let info = run(&engine, in_session("web", code)).await;
            assert_eq!(info.status, ExecutionStatus::Completed, "{code}: {info:?}");
            assert_eq!(info.result, Some(expected), "{code}");
        }
        engine.shutdown(Duration::from_secs(1)).await;
    });
}

/// A user's `Error.prepareStackTrace` gets deno_core's callsites, whose
/// prototype is made on first use (no longer with every runtime: its
/// functions stayed in each session's heap, one more set per generation).
/// (Session isolates, made for snapshotting, capture no stack traces at all:
/// V8 leaves `stack` undefined there.)
#[test]
fn a_custom_prepare_stack_trace_gets_callsites() {
    let code = "Error.prepareStackTrace = (e, sites) => \
        sites.slice(0, 1).map((s) => [typeof s.getFileName(), typeof s.getLineNumber(), s.isToplevel()].join()).join(); \
        [new Error('x').stack, new TypeError('y').stack]";
    rt().block_on(async {
        let engine = stateless();
        let info = run(&engine, self::code(code)).await;
        assert_eq!(info.result, Some(serde_json::json!(["string,number,true", "string,number,true"])), "{info:?}");
        engine.shutdown(Duration::from_secs(1)).await;
    });
}

/// An error a session run does not catch is reported with its frames,
/// from V8's own trace: the isolate makes no `stack` (sealed) and the
/// error, kept in the heap, holds none.
#[test]
fn an_uncaught_error_in_a_session_reports_its_frames() {
    let dir = tempfile::tempdir().unwrap();
    let code = "globalThis.kept = new Error('kept');\nfunction inner(x) {\n  return x.y.z;\n}\nfunction outer() { return inner({}); }\nouter();";
    rt().block_on(async {
        let engine = stateful(dir.path(), SnapshotPolicy::EveryRun);
        let info = run(&engine, in_session("frames", code)).await;
        assert_eq!(info.status, ExecutionStatus::Failed, "{info:?}");
        let error = info.error.expect("an error");
        assert_eq!((error.line, error.column), (Some(3), Some(14)), "{error:?}");
        let stack = error.stack.expect("a stack made of the frames");
        assert!(stack.starts_with("TypeError: Cannot read properties of undefined"), "{stack}");
        assert!(stack.contains("\n    at inner (run_js:3:14)\n    at outer (run_js:5:27)\n    at run_js:6:1"), "{stack}");
        // The session goes on; errors inside it still have no `stack`.
        let next = run(&engine, in_session("frames", "typeof new Error('x').stack")).await;
        assert_eq!(next.result, Some(serde_json::json!("undefined")), "{next:?}");
        engine.shutdown(Duration::from_secs(1)).await;
    });
}

/// Warm sessions stay on the thread they first ran on; sessions made one
/// after the other go to different threads, so a long run in one session
/// does not hold up a run in another.
#[test]
fn warm_sessions_spread_over_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let config = EngineConfig { snapshot_policy: SnapshotPolicy::Idle, idle_after: Duration::from_secs(3600), ..test_config() };
        let engine = stateful_with(dir.path(), config);
        for session in ["a", "b"] {
            assert_eq!(run(&engine, in_session(session, "globalThis.n = 1")).await.status, ExecutionStatus::Completed);
        }
        let long = RunRequest { timeout: Some(Duration::from_secs(120)), ..in_session("a", "while (true) {}") };
        let long = engine.submit(&local(), long).unwrap();
        while long.status() == ExecutionStatus::Queued {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        // On the same thread, `b` would wait for `a`'s run to time out.
        let quick = engine.submit(&local(), in_session("b", "n + 1")).unwrap();
        assert!(quick.wait(Duration::from_secs(20)).await, "a run in another session waited for the long one");
        assert_eq!(quick.info().result, Some(serde_json::json!(2)));
        engine.cancel(&local(), &long.id).unwrap();
        assert!(long.wait(Duration::from_secs(5)).await);
    });
}

#[test]
fn corrupted_heap_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let engine = stateful(dir.path(), SnapshotPolicy::EveryRun);
        let heap = run(&engine, code("var x = 1")).await.heap.unwrap();
        let path = dir.path().join("heaps").join(format!("{heap}.heap"));
        let mut bytes = std::fs::read(&path).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0xff;
        std::fs::write(&path, bytes).unwrap();
        let info = run(&engine, RunRequest { heap: Some(heap.clone()), ..code("x") }).await;
        assert_eq!(info.status, ExecutionStatus::Failed);
        assert!(info.error.unwrap().message.contains("corrupted"));
    });
}

/// Snapshots of different sessions are taken at once on different V8
/// threads, several generations deep. V8 shares its read-only space between
/// isolates; before it was sealed (`init_v8`), this crashed the process.
#[test]
fn sessions_snapshot_in_parallel_across_generations() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let engine = stateful_with(dir.path(), EngineConfig { max_concurrent: 8, ..test_config() });
        for generation in 1..=6 {
            let runs = (0..16).map(|s| {
                let engine = engine.clone();
                tokio::spawn(async move {
                    run(&engine, in_session(&format!("p{s}"), &format!("var n = (globalThis.n ?? 0) + 1; [n, {s}]"))).await
                })
            });
            for (s, handle) in runs.enumerate() {
                let info = handle.await.unwrap();
                assert_eq!(info.result, Some(serde_json::json!([generation, s])), "{info:?}");
                assert!(info.heap.is_some());
            }
        }
    });
}

/// `queueMicrotask` in a session (an isolate made for snapshotting, where
/// V8 installs no native queueMicrotask: see the deno_core patch).
#[test]
fn queue_microtask_works_in_sessions() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let engine = stateful(dir.path(), SnapshotPolicy::EveryRun);
        let info = run(&engine, in_session("mt", "globalThis.seen = []; queueMicrotask(() => seen.push('micro')); seen.push('sync'); await null; seen")).await;
        assert_eq!(info.result, Some(serde_json::json!(["sync", "micro"])), "{info:?}");
        let info = run(&engine, in_session("mt", "queueMicrotask(() => seen.push('again')); await null; seen.length")).await;
        assert_eq!(info.result, Some(serde_json::json!(3)), "{info:?}");
    });
}

/// Deno's web objects register with FinalizationRegistries (streams, abort
/// signals, blobs); V8 aborts on a snapshot while a native registry has
/// cleanups pending. Collected by the time the session's heap is taken,
/// they must not matter (weak.js and the deno_core patch #4).
#[test]
fn web_objects_collected_in_a_session_do_not_stop_its_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let engine = stateful(dir.path(), SnapshotPolicy::EveryRun);
        let code = "for (let i = 0; i < 2000; i++) { \
                      const s = new ReadableStream({ start(c) { c.enqueue(new Uint8Array(512)); c.close(); } }); \
                      await s.getReader().read(); \
                      AbortSignal.any([new AbortController().signal, AbortSignal.timeout(60000)]); \
                      await new Blob(['x'.repeat(256)]).text(); \
                    } \
                    let junk = []; for (let i = 0; i < 300; i++) junk.push(new Array(20000).fill(i)); junk = null; \
                    globalThis.done = 'yes'; 1";
        let info = run(&engine, in_session("gc", code)).await;
        assert_eq!(info.result, Some(serde_json::json!(1)), "{info:?}");
        let info = run(&engine, in_session("gc", "done")).await;
        assert_eq!(info.result, Some(serde_json::json!("yes")), "{info:?}");
    });
}

/// Deno's native (cppgc) objects: a streaming TextDecoder, a compression
/// stream. Isolates made for snapshotting get a C++ heap, so they can be
/// made at all; V8 cannot snapshot a live one, so a session keeping one is
/// refused (and the process does not crash), while one finished within its
/// run is fine.
#[test]
fn native_web_objects_are_refused_in_a_session_heap_not_crashed_on() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let engine = stateful(dir.path(), SnapshotPolicy::EveryRun);
        let info = run(&engine, in_session("n", "globalThis.kept = 'yes'; 1")).await;
        assert!(info.error.is_none(), "{info:?}");
        for (code, what) in [
            ("globalThis.d = new TextDecoder(); d.decode(new Uint8Array([0xe2]), {stream: true}).length", "TextDecoder in the middle of a stream"),
            ("globalThis.z = new CompressionStream('gzip'); 1", "CompressionStream"),
            ("globalThis.u = new DecompressionStream('deflate'); 1", "DecompressionStream"),
        ] {
            let info = run(&engine, in_session("n", code)).await;
            let error = info.error.as_ref().map(|e| format!("{}: {}", e.name, e.message)).unwrap_or_default();
            assert!(error.starts_with("HeapError") && error.contains(what), "{code}: {error}");
        }
        let code = "const d = new TextDecoder(); d.decode(new Uint8Array([0xe2]), {stream: true}); \
                    const zipped = await new Response(new Blob(['x'.repeat(1000)]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer(); \
                    globalThis.euro = d.decode(new Uint8Array([0x82, 0xac])); [kept, euro, zipped.byteLength < 100]";
        let info = run(&engine, in_session("n", code)).await;
        assert_eq!(info.result, Some(serde_json::json!(["yes", "€", true])), "{info:?}");
    });
}

/// crypto.subtle (deno_crypto): every operation in stateless runs; in a
/// session digest works, and what would make a CryptoKey (whose global
/// handles would abort the process when the heap is snapshotted) throws,
/// the session intact; the SubtleCrypto object cannot be kept either.
#[test]
fn crypto_subtle_is_whole_when_stateless_and_keyless_in_sessions() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let sha = "const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode('abc')); \
                   [...new Uint8Array(d)].slice(0, 4).map((b) => b.toString(16).padStart(2, '0')).join('')";
        let stateless = stateless();
        let keys = "const k = await crypto.subtle.generateKey({name: 'HMAC', hash: 'SHA-256'}, true, ['sign', 'verify']); \
                    const data = new TextEncoder().encode('x'); const sig = await crypto.subtle.sign('HMAC', k, data); \
                    const aes = await crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['encrypt', 'decrypt']); \
                    const iv = new Uint8Array(12); \
                    const back = await crypto.subtle.decrypt({name: 'AES-GCM', iv}, aes, await crypto.subtle.encrypt({name: 'AES-GCM', iv}, aes, data)); \
                    [k instanceof CryptoKey, await crypto.subtle.verify('HMAC', k, sig, data), new TextDecoder().decode(back)]";
        for _ in 0..2 {
            // Twice: keys of one isolate never carry the brand of another on the same thread.
            assert_eq!(run(&stateless, code(sha)).await.result, Some(serde_json::json!("ba7816bf")));
            let info = run(&stateless, code(keys)).await;
            assert_eq!(info.result, Some(serde_json::json!([true, true, "x"])), "{info:?}");
        }

        let engine = stateful(dir.path(), SnapshotPolicy::EveryRun);
        let info = run(&engine, in_session("c", &format!("globalThis.kept = 'yes'; {sha}"))).await;
        assert_eq!(info.result, Some(serde_json::json!("ba7816bf")), "{info:?}");
        for (attempt, what) in [
            (keys, "NotSupportedError: CryptoKeys are not available in sessions"),
            ("CryptoKey.fromCloneData({})", "NotSupportedError"),
            ("globalThis.s = crypto.subtle; 1", "HeapError: the run completed, but its heap cannot be kept: it holds a live crypto.subtle"),
        ] {
            let info = run(&engine, in_session("c", attempt)).await;
            let error = info.error.as_ref().map(|e| format!("{}: {}", e.name, e.message)).unwrap_or_default();
            assert!(error.starts_with(what), "{attempt}: {error}");
        }
        let info = run(&engine, in_session("c", "[kept, typeof s, typeof CryptoKey.importSync]")).await;
        assert_eq!(info.result, Some(serde_json::json!(["yes", "undefined", "undefined"])), "{info:?}");
        assert_eq!(run(&engine, in_session("c", sha)).await.result, Some(serde_json::json!("ba7816bf")));
    });
}

/// `(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))`
const ADD_WASM: &[u8] = &[
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x03, 0x02, 0x01,
    0x00, 0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a,
    0x0b,
];

/// `(module (import "env" "log" (func (param i32))) (func (export "run") i32.const 42 call 0))`
const IMPORTS_WASM: &[u8] = &[
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x00, 0x02, 0x0b,
    0x01, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x6c, 0x6f, 0x67, 0x00, 0x00, 0x03, 0x02, 0x01, 0x01, 0x07, 0x07, 0x01, 0x03, 0x72,
    0x75, 0x6e, 0x00, 0x01, 0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x2a, 0x10, 0x00, 0x0b,
];

#[test]
fn preloaded_webassembly_modules_reach_every_stateless_run() {
    use crate::wasm::WasmPreload;
    rt().block_on(async {
        let preload = |name: &str, bytes: &[u8]| WasmPreload { name: name.into(), bytes: bytes.into(), max_memory_bytes: 16 << 20 };
        let config = EngineConfig { stateful: false, max_concurrent: 2, max_concurrent_per_principal: 2, ..Default::default() };
        let deps = EngineDeps { wasm: vec![preload("math", ADD_WASM), preload("host", IMPORTS_WASM)], ..Default::default() };
        let engine = Engine::start(config.clone(), deps).unwrap();
        let infos = engine.wasm_modules();
        assert_eq!((infos[0].exports.clone(), infos[1].imports.clone()), (vec!["add".to_owned()], vec!["env.log".to_owned()]));
        for _ in 0..3 {
            let info = run(&engine, code("[math.add(2, 3), __wasm_math instanceof WebAssembly.Module, typeof host]")).await;
            assert_eq!(info.result, Some(serde_json::json!([5, true, "undefined"])), "{info:?}");
        }
        let info = run(
            &engine,
            code("let seen; new WebAssembly.Instance(__wasm_host, {env: {log: (n) => { seen = n; }}}).exports.run(); seen"),
        )
        .await;
        assert_eq!(info.result, Some(serde_json::json!(42)), "{info:?}");
        // A run may shadow the globals; the next run has them back.
        run(&engine, code("globalThis.math = 1; __wasm_math = null")).await;
        let info = run(&engine, code("math.add(20, 22)")).await;
        assert_eq!(info.result, Some(serde_json::json!(42)), "{info:?}");

        // A module whose instance starts over its memory cap is refused when reached.
        const MEMORY_WASM: &[u8] =
            &[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x03, 0x01, 0x00, 0x02, 0x07, 0x07, 0x01, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00];
        let capped = EngineDeps {
            wasm: vec![WasmPreload { name: "big".into(), bytes: MEMORY_WASM.into(), max_memory_bytes: 64 << 10 }],
            ..Default::default()
        };
        let engine = Engine::start(config.clone(), capped).unwrap();
        let info = run(&engine, code("big.mem")).await;
        let error = info.error.map(|e| e.message).unwrap_or_default();
        assert!(error.contains("starts with 131072 bytes of memory, over its cap of 65536"), "{error}");

        // A module that does not compile stops the start, naming it.
        let broken = EngineDeps { wasm: vec![preload("bad", b"\0asm\x01\0\0\0\x99")], ..Default::default() };
        let error = Engine::start(config, broken).err().expect("refused").to_string();
        assert!(error.contains("'bad' does not compile"), "{error}");
        // Sessions have no WebAssembly: preloads are refused there.
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn HeapStore> = Arc::new(crate::store::FsStore::open(&dir.path().join("heaps")).unwrap());
        let meta = Meta::open(&dir.path().join("meta.redb")).unwrap();
        let stateful = EngineDeps { store: Some((store, meta)), wasm: vec![preload("math", ADD_WASM)], ..Default::default() };
        let error = Engine::start(EngineConfig { stateful: true, ..test_config() }, stateful).err().expect("refused").to_string();
        assert!(error.contains("stateless"), "{error}");
        drop(dir);
    });
}

/// fetch, the streams and Blob load on first use (web.js): a run that
/// never touches them does not pay for them, one that sets such a global
/// first keeps its own, and a session that loaded them keeps them.
#[test]
fn the_web_platform_loads_on_first_use() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let engine = stateless();
        let info = run(&engine, code("globalThis.Response = 'mine'; const b = new Blob(['x']); [Response, await b.text(), typeof fetch]")).await;
        assert_eq!(info.result, Some(serde_json::json!(["mine", "x", "function"])), "{info:?}");
        let info = run(&engine, code("typeof Response")).await;
        assert_eq!(info.result, Some(serde_json::json!("function")), "{info:?}");

        let engine = stateful(dir.path(), SnapshotPolicy::EveryRun);
        let info = run(&engine, in_session("w", "globalThis.text = await new Response(new Blob(['hi']).stream()).text(); text")).await;
        assert_eq!(info.result, Some(serde_json::json!("hi")), "{info:?}");
        let info = run(&engine, in_session("w", "[text, await new Blob([text, '!']).text(), typeof TransformStream]")).await;
        assert_eq!(info.result, Some(serde_json::json!(["hi", "hi!", "function"])), "{info:?}");
    });
}

#[test]
fn the_rest_of_the_wintertc_globals() {
    rt().block_on(async {
        let engine = stateless();
        let exec = engine
            .submit(&local(), code("reportError(new Error('seen')); [self === globalThis, navigator.userAgent.startsWith('mcp-v8/'), 'after']"))
            .unwrap();
        exec.wait(Duration::from_secs(10)).await;
        assert_eq!(exec.info().result, Some(serde_json::json!([true, true, "after"])), "{:?}", exec.info());
        let page = exec.output.page(OutputQuery::default());
        assert!(page.text.contains("Uncaught") && page.text.contains("seen"), "{}", page.text);
    });
}
