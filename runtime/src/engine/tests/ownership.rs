//! One caller never sees or touches another's sessions, executions, heaps
//! or tags; what it may not see is "not found". And one principal's burst
//! does not hold the V8 threads others need.

use std::time::{Duration, Instant};

use serde_json::json;

use super::*;

fn connection(id: &str) -> Caller {
    Caller { tenant: Owner::Local, principal: Owner::Connection(id.into()), implicit: Some(SessionName::implicit(id)), claims: None }
}

fn subject(sub: &str) -> Caller {
    Caller { tenant: Owner::Subject(sub.into()), principal: Owner::Subject(sub.into()), implicit: None, claims: None }
}

fn implicit(caller: &Caller, code: &str) -> RunRequest {
    RunRequest { code: code.into(), session: caller.implicit_session(), ..Default::default() }
}

fn not_found<T: std::fmt::Debug>(result: Result<T, RuntimeError>) {
    assert!(matches!(result, Err(RuntimeError::NotFound(_))), "{result:?}");
}

#[test]
fn connections_without_auth_keep_their_implicit_state_to_themselves() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let engine = stateful(dir.path(), SnapshotPolicy::EveryRun);
        let (alice, bob) = (connection("alice-conn-0001"), connection("bob-conn-0002"));
        let mine = run_as(&engine, &alice, implicit(&alice, "globalThis.secret = 'alice'; secret")).await;
        assert_eq!(mine.status, ExecutionStatus::Completed, "{mine:?}");
        let heap = mine.heap.clone().unwrap();
        let label = alice.implicit.clone().unwrap();
        assert!(label.as_str().starts_with('~'));

        // Bob sees none of it: not in lists, not by name, not by id, not by hash.
        assert!(engine.list_sessions(&bob).unwrap().iter().all(|s| s.session != label));
        not_found(bob.session(label.as_str()));
        not_found(engine.get(&bob, &mine.execution_id));
        assert!(engine.list(&bob, None, None, 100).unwrap().is_empty());
        not_found(engine.cancel(&bob, &mine.execution_id));
        not_found(engine.submit(&bob, RunRequest { heap: Some(heap.clone()), ..code("secret") }));
        not_found(engine.heap_tags(&bob, &heap));
        not_found(engine.set_heap_tags(&bob, heap.clone(), Tags::from([("x".into(), "y".into())])).await);
        not_found(engine.session_log(&bob, label.as_str(), 0, 10));

        // Alice sees her own, by the same ways.
        assert!(engine.list_sessions(&alice).unwrap().iter().any(|s| s.session == label && s.ephemeral));
        assert_eq!(engine.get(&alice, &mine.execution_id).unwrap().id, mine.execution_id);
        let again = run_as(&engine, &alice, RunRequest { session: Some(alice.session(label.as_str()).unwrap()), ..code("secret") }).await;
        assert_eq!(again.result, Some(json!("alice")));

        // Named sessions are the shared tenant's: both see them.
        let shared = run_as(&engine, &alice, RunRequest { session: Some(alice.session("team").unwrap()), ..code("var board = 1") }).await;
        assert_eq!(shared.status, ExecutionStatus::Completed);
        let seen = run_as(&engine, &bob, RunRequest { session: Some(bob.session("team").unwrap()), ..code("board") }).await;
        assert_eq!(seen.result, Some(json!(1)));
        assert!(engine.get(&bob, &shared.execution_id).is_ok(), "runs of a shared session are shared");
        // A run outside any session is its principal's alone.
        let lone = run_as(&engine, &alice, code("1")).await;
        not_found(engine.get(&bob, &lone.execution_id));
        // The local tenant (stdio, REST) sees the shared session, not the implicit one.
        assert!(engine.list_sessions(&local()).unwrap().iter().any(|s| s.session.as_str() == "team"));
        assert!(engine.list_sessions(&local()).unwrap().iter().all(|s| s.session != label));
    });
}

#[test]
fn token_subjects_are_separate_tenants() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let engine = stateful(dir.path(), SnapshotPolicy::EveryRun);
        let (alice, bob) = (subject("alice"), subject("bob"));
        let a = run_as(&engine, &alice, RunRequest { session: Some(alice.session("work").unwrap()), ..code("var who = 'alice'") }).await;
        let b = run_as(&engine, &bob, RunRequest { session: Some(bob.session("work").unwrap()), ..code("typeof who") }).await;
        assert_eq!(b.result, Some(json!("undefined")), "the same name is another session");
        let tags = Tags::from([("owner".into(), "alice".into())]);
        engine.set_heap_tags(&alice, a.heap.clone().unwrap(), tags.clone()).await.unwrap();
        assert_eq!(engine.query_heaps(&alice, &tags).unwrap().len(), 1);
        assert!(engine.query_heaps(&bob, &Tags::new()).unwrap().is_empty());
        not_found(engine.get(&bob, &a.execution_id));
        assert_eq!(engine.list_sessions(&bob).unwrap().len(), 1);
        assert_eq!(engine.list_sessions(&alice).unwrap().len(), 1);
    });
}

/// A burst of 50 slow runs on one session does not delay a run of another
/// session by more than its own duration: queued runs of a busy session hold
/// no permit, and one principal cannot take every V8 thread.
#[test]
fn a_burst_on_one_session_does_not_block_others() {
    let dir = tempfile::tempdir().unwrap();
    rt().block_on(async {
        let engine = stateful_with(dir.path(), EngineConfig { max_concurrent: 2, max_concurrent_per_principal: 1, ..test_config() });
        let burst = connection("bursty-0001");
        let slow = "await new Promise((r) => setTimeout(r, 100)); 1";
        let mut queued = Vec::new();
        for _ in 0..50 {
            queued.push(engine.submit(&burst, implicit(&burst, slow)).unwrap());
        }
        let calm = connection("calm-0002");
        let started = Instant::now();
        let info = run_as(&engine, &calm, implicit(&calm, slow)).await;
        let took = started.elapsed();
        assert_eq!(info.status, ExecutionStatus::Completed);
        let own = Duration::from_millis(info.duration_ms.unwrap() as u64);
        assert!(took < own * 2 + Duration::from_millis(300), "took {took:?} for a run of {own:?}");

        // The same burst spread over 50 sessions: the principal's cap leaves
        // a V8 thread for the others.
        for i in 0..50 {
            let session = burst.session(&format!("spread-{i}")).unwrap();
            queued.push(engine.submit(&burst, RunRequest { session: Some(session), ..code(slow) }).unwrap());
        }
        let started = Instant::now();
        let info = run_as(&engine, &calm, implicit(&calm, slow)).await;
        let took = started.elapsed();
        let own = Duration::from_millis(info.duration_ms.unwrap() as u64);
        assert!(took < own * 2 + Duration::from_millis(300), "took {took:?} for a run of {own:?}");
        for exec in queued.drain(..) {
            let _ = engine.cancel(&burst, &exec.id);
        }
    });
}
