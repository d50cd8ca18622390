//! The Redis cache in front of the heap directory, with a real `redis-server`.

use serde_json::json;

use crate::support::{Redis, Server};

#[tokio::test]
async fn heaps_are_cached_in_redis_and_runs_survive_redis_going_away() {
    let mut redis = Redis::start();
    let server = Server::stateful(&["--redis-url", &redis.url()]).await;
    let first = server.run(json!({"code": "var n = 1; n", "session": "r"})).await;
    assert_eq!(first["status"], "completed", "{first}");
    let heap = first["heap"].as_str().unwrap().to_owned();
    assert!(redis.heap_keys().iter().any(|k| k.ends_with(&heap)), "the heap is cached in redis");

    redis.stop();
    // Runs keep working from the durable store, state intact.
    for expected in 2..=6 {
        let reply = server.run(json!({"code": "++n", "session": "r"})).await;
        assert_eq!(reply["result"], expected, "{reply}");
    }
    let forked = server.run(json!({"code": "n", "heap": heap})).await;
    assert_eq!(forked["result"], 1);
    let stderr = crate::support::eventually("the warning in the log", 10, || async {
        let stderr = server.stderr();
        stderr.contains("redis is unavailable").then_some(stderr)
    })
    .await;
    assert_eq!(stderr.matches("redis is unavailable").count(), 1, "logged once, not per run:\n{stderr}");
    server.stop().await;
}

#[tokio::test]
async fn a_redis_down_at_startup_is_not_an_error() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("redis://127.0.0.1:{port}/");
    let server = Server::stateful(&["--redis-url", &url]).await;
    assert_eq!(server.run(json!({"code": "var a = 2", "session": "s"})).await["status"], "completed");
    assert_eq!(server.run(json!({"code": "a * 21", "session": "s"})).await["result"], 42);
    server.stop().await;
}
