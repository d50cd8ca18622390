//! Sessions move only on success: a run that throws, times out, is
//! cancelled, hits a limit or leaves a heap that cannot be kept leaves its
//! session where it was, and reports its heap when one could be taken.

use std::time::Duration;

use serde_json::json;

use super::*;

async fn balance(engine: &Arc<Engine>) -> serde_json::Value {
    run(engine, in_session("bank", "balance")).await.result.unwrap_or(serde_json::Value::Null)
}

#[test]
fn every_failure_kind_leaves_the_session_where_it_was() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let engine = stateful(dir.path(), SnapshotPolicy::EveryRun);
        let start = run(&engine, in_session("bank", "globalThis.balance = 100")).await;
        assert_eq!(start.status, ExecutionStatus::Completed);
        let head = start.heap.clone().unwrap();

        // Throws.
        let threw = run(&engine, in_session("bank", "balance = -3; throw new Error('refused')")).await;
        assert_eq!(threw.status, ExecutionStatus::Failed);
        let threw_heap = threw.heap.clone().expect("the failed run's heap is reported");
        assert_ne!(threw_heap, head);
        let message = threw.error.unwrap().message;
        assert!(message.contains(&format!("the session stays at heap {head}")), "{message}");
        assert_eq!(balance(&engine).await, json!(100));

        // Times out.
        let timed_out = run(
            &engine,
            RunRequest { timeout: Some(Duration::from_millis(300)), ..in_session("bank", "balance = -1; while (true) {}") },
        )
        .await;
        assert_eq!(timed_out.status, ExecutionStatus::TimedOut);
        let timed_out_heap = timed_out.heap.clone().expect("a timed-out run's heap can be taken");
        assert_eq!(balance(&engine).await, json!(100));

        // Cancelled.
        let exec = engine.submit(&local(), in_session("bank", "balance = -4; await new Promise((r) => setTimeout(r, 60_000))")).unwrap();
        while exec.status() == ExecutionStatus::Queued {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        engine.cancel(&local(), &exec.id).unwrap();
        assert!(exec.wait(Duration::from_secs(10)).await);
        assert_eq!(exec.status(), ExecutionStatus::Cancelled);
        assert_eq!(balance(&engine).await, json!(100));

        // A memory bomb.
        let bomb = run(
            &engine,
            RunRequest {
                heap_max_bytes: Some(16 << 20),
                ..in_session("bank", "balance = -5; const a = []; while (true) a.push(new Array(1e5).fill(1))")
            },
        )
        .await;
        assert_eq!(bomb.status, ExecutionStatus::Failed);
        assert!(bomb.error.unwrap().message.contains("memory limit exceeded"));
        assert_eq!(balance(&engine).await, json!(100));

        // A heap V8 cannot snapshot (a live Intl object).
        let refused = run(&engine, in_session("bank", "balance = -6; globalThis.fmt = new Intl.NumberFormat('en'); fmt.format(1)")).await;
        assert_eq!(refused.status, ExecutionStatus::Failed);
        assert_eq!(refused.result, Some(json!("1")), "the result is still reported");
        let error = refused.error.unwrap();
        assert_eq!(error.name, "HeapError");
        assert!(error.message.contains("Intl.NumberFormat"), "{}", error.message);
        assert_eq!(balance(&engine).await, json!(100));

        // The session's head moved only with the runs that completed; every
        // run is in its log.
        let (_, log) = engine.session_log(&local(), "bank", 0, 100).unwrap();
        let last_completed = log.iter().rev().find(|e| e.status == "completed").unwrap().output_heap.clone();
        let sessions = engine.list_sessions(&local()).unwrap();
        assert_eq!(sessions[0].heap, last_completed);
        assert_ne!(sessions[0].heap.as_ref(), Some(&threw_heap));
        let statuses: Vec<_> = log.iter().map(|e| e.status.as_str()).collect();
        assert_eq!(
            statuses,
            ["completed", "failed", "completed", "timed_out", "completed", "cancelled", "completed", "failed", "completed", "failed", "completed"]
        );
        assert_eq!(log[1].output_heap.as_ref(), Some(&threw_heap));

        // A failed run's heap can be resumed on purpose.
        let resumed = run(&engine, RunRequest { heap: Some(timed_out_heap), ..code("balance") }).await;
        assert_eq!(resumed.result, Some(json!(-1)));
        let resumed = run(&engine, RunRequest { heap: Some(threw_heap), ..in_session("bank", "balance") }).await;
        assert_eq!(resumed.result, Some(json!(-3)), "and a session can be moved to it");
        assert_eq!(balance(&engine).await, json!(-3));
    });
}

#[test]
fn idle_sessions_go_back_to_their_persisted_heap_on_failure() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let engine = stateful_with(
            dir.path(),
            EngineConfig { snapshot_policy: SnapshotPolicy::Idle, idle_after: Duration::from_secs(3600), ..test_config() },
        );
        run(&engine, in_session("bank", "globalThis.balance = 100")).await;
        // What the keeper does when the session goes idle.
        engine.persist_all_warm().await;
        let head = engine.list_sessions(&local()).unwrap()[0].heap.clone().expect("persisted");
        assert_eq!(run(&engine, in_session("bank", "balance += 1")).await.result, Some(json!(101)));
        // The warm run is logged and listed (from memory until its heap is
        // persisted).
        let (_, log) = engine.session_log(&local(), "bank", 0, 10).unwrap();
        assert_eq!(log.iter().map(|e| e.output_heap.as_ref()).collect::<Vec<_>>(), [Some(&head), None]);
        let listed = &engine.list_sessions(&local()).unwrap()[0];
        assert_eq!((listed.runs, listed.unpersisted_runs, listed.warm), (2, 1, true), "{listed:?}");

        let failed = run(&engine, in_session("bank", "balance = -1; throw new Error('no')")).await;
        assert_eq!(failed.status, ExecutionStatus::Failed);
        let message = failed.error.unwrap().message;
        assert!(message.contains(&format!("went back to heap {head}, losing 1 unpersisted run")), "{message}");
        let failed_heap = failed.heap.expect("the warm isolate's heap is reported");
        // The lost run stays in the log, without a heap.
        let (_, log) = engine.session_log(&local(), "bank", 0, 10).unwrap();
        let logged: Vec<_> = log.iter().map(|e| (e.status.as_str(), e.output_heap.as_ref())).collect();
        assert_eq!(logged, [("completed", Some(&head)), ("completed", None), ("failed", Some(&failed_heap))]);
        assert_eq!(engine.list_sessions(&local()).unwrap()[0].unpersisted_runs, 0);
        assert_eq!(balance(&engine).await, json!(100));

        // The failed run's heap holds the lost run and the failed changes.
        let resumed = run(&engine, RunRequest { heap: Some(failed_heap), ..code("balance") }).await;
        assert_eq!(resumed.result, Some(json!(-1)));
        engine.shutdown(Duration::from_secs(1)).await;
    });
}
