//! `fetch` behind its policy, end to end: the real binary over stdio, a real
//! HTTP origin on loopback that records every request it gets (so "denied"
//! is checked as "never arrived"), and a real OAuth token endpoint.

use std::path::Path;
use std::sync::Arc;

use parking_lot::Mutex;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::capabilities::{outcome, stateless};
use crate::support::{Server, eventually};

/// One request the origin got.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// An HTTP/1.1 origin on a loopback port (see `route` for its paths; the
/// modules test uses it too).
pub(crate) struct Origin {
    pub(crate) port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Origin {
    pub(crate) async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(serve(socket, port, log.clone()));
            }
        });
        Self { port, seen }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub(crate) fn seen_nothing(&self) -> bool {
        self.seen.lock().is_empty()
    }

    /// How many requests for `path` arrived.
    pub(crate) fn count(&self, path: &str) -> usize {
        self.seen(path).len()
    }

    fn seen(&self, path: &str) -> Vec<Seen> {
        self.seen.lock().iter().filter(|s| s.path == path).cloned().collect()
    }
}

async fn serve(mut socket: TcpStream, port: u16, log: Arc<Mutex<Vec<Seen>>>) {
    let mut buf = Vec::new();
    let head_end = loop {
        let mut chunk = [0u8; 4096];
        let Ok(n) = socket.read(&mut chunk).await else {
            return;
        };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let (method, path) = (first.next().unwrap_or("").to_owned(), first.next().unwrap_or("").to_owned());
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers.iter().find(|(n, _)| n == "content-length").map_or(0, |(_, v)| v.parse().unwrap_or(0));
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let mut chunk = vec![0u8; length - body.len()];
        let Ok(n) = socket.read(&mut chunk).await else {
            return;
        };
        if n == 0 {
            return;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let seen = Seen { method, path, headers, body };
    let tokens = {
        let mut log = log.lock();
        log.push(seen.clone());
        log.iter().filter(|s| s.path == "/token").count()
    };
    route(&mut socket, port, &seen, tokens).await;
}

async fn respond(socket: &mut TcpStream, status: &str, headers: &[(&str, String)], body: &[u8]) {
    let mut head = format!("HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n", body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = socket.write_all(head.as_bytes()).await;
    let _ = socket.write_all(body).await;
}

async fn chunked(socket: &mut TcpStream, chunks: impl Iterator<Item = Vec<u8>>) {
    let _ = socket.write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n").await;
    for chunk in chunks {
        let _ = socket.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).await;
        let _ = socket.write_all(&chunk).await;
        let _ = socket.write_all(b"\r\n").await;
    }
    let _ = socket.write_all(b"0\r\n\r\n").await;
}

/// ES modules, for the modules test (`/npm/` is its CDN).
fn module(path: &str, port: u16) -> Option<(&'static str, String)> {
    let js = "text/javascript";
    Some(match path {
        "/m/lib.js" => (js, "export const add = (a, b) => a + b;\nexport default 'lib';\n".into()),
        "/m/uses-relative.js" => (js, "import { add } from './lib.js';\nexport const twice = (x) => add(x, x);\n".into()),
        "/m/denied-dep.js" => (js, "import '/private/evil.js';\nexport const x = 1;\n".into()),
        "/m/typed.ts" => ("application/typescript", "export function greet(name: string): string { return `hi ${name}`; }\n".into()),
        "/m/counter.js" => (js, "export let n = 0;\nexport function inc() { return ++n; }\n".into()),
        "/m/page.js" => ("text/html", "<html></html>".into()),
        "/npm/left-pad@1.0.0" => (js, "export default (s, n) => String(s).padStart(n, '.');\n".into()),
        "/npm/jsr/@std/answer@1" => (js, "export const answer = 42;\n".into()),
        "/m/redirect-out.js" => ("redirect", format!("http://localhost:{port}/m/landing.js")),
        "/npm/left-pad" => ("redirect", "/npm/left-pad@1.0.0".into()),
        _ => return None,
    })
}

async fn route(socket: &mut TcpStream, port: u16, seen: &Seen, tokens: usize) {
    let json = || ("content-type", "application/json".to_owned());
    if let Some((kind, text)) = module(&seen.path, port) {
        return match kind {
            "redirect" => respond(socket, "302 Found", &[("location", text)], b"").await,
            kind => respond(socket, "200 OK", &[("content-type", kind.to_owned())], text.as_bytes()).await,
        };
    }
    match seen.path.as_str() {
        "/data.json" => respond(socket, "200 OK", &[json()], br#"{"items":[1,2,3],"name":"data"}"#).await,
        "/echo" => respond(socket, "200 OK", &[("content-type", "application/octet-stream".into())], &seen.body).await,
        "/private" | "/landing" => respond(socket, "200 OK", &[], b"you should not see this").await,
        "/redirect-out" => {
            respond(socket, "302 Found", &[("location", format!("http://localhost:{port}/landing"))], b"").await
        }
        "/redirect-in" => respond(socket, "302 Found", &[("location", "/data.json".into())], b"").await,
        "/big" => respond(socket, "200 OK", &[], &vec![b'x'; 65536]).await,
        "/big-chunked" => chunked(socket, (0..16).map(|_| vec![b'y'; 4096])).await,
        "/stream" => chunked(socket, (0..5).map(|i| format!("chunk-{i}\n").into_bytes())).await,
        "/slow" | "/m/slow.js" => {
            tokio::time::sleep(std::time::Duration::from_secs(60)).await;
            respond(socket, "200 OK", &[], b"late").await;
        }
        "/token" => {
            let body = json!({"access_token": format!("tok-{tokens}"), "token_type": "bearer", "expires_in": 31, "refresh_token": format!("r-{tokens}")});
            respond(socket, "200 OK", &[json()], body.to_string().as_bytes()).await;
        }
        "/token-denied" => {
            respond(
                socket,
                "401 Unauthorized",
                &[json()],
                br#"{"error":"invalid_client","error_description":"bad secret"}"#,
            )
            .await
        }
        _ => respond(socket, "404 Not Found", &[], b"").await,
    }
}

/// A fetch policy: loopback on `127.0.0.1` (and `localhost` when
/// `localhost` is true), never under `/private`.
pub(crate) fn policy(dir: &Path, localhost: bool) -> Vec<String> {
    let file = dir.join("fetch.rego");
    let hosts = if localhost { r#"{"127.0.0.1", "localhost"}"# } else { r#"{"127.0.0.1"}"# };
    std::fs::write(
        &file,
        format!(
            "package mcp.fetch\n\
             allow if {{\n  input.url_parsed.host in {hosts}\n  not startswith(input.url_parsed.path, \"/private\")\n}}\n\
             reason := sprintf(\"%s%s is not allowed\", [input.url_parsed.host, input.url_parsed.path]) if not allow\n"
        ),
    )
    .unwrap();
    vec!["--policies-json".into(), json!({"fetch": {"policies": [{"url": file.to_str().unwrap()}]}}).to_string()]
}

fn js(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

#[tokio::test]
async fn fetch_reaches_only_what_the_policy_allows() {
    let origin = Origin::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut flags = policy(dir.path(), false);
    flags.extend(["--fetch-max-bytes".into(), "4096".into()]);
    let server = stateless(flags, dir.path()).await;

    // Allowed: the WHATWG surface, JSON and binary bodies both ways intact.
    let got = outcome(
        &server,
        &format!(
            "const r = await fetch({}); [r.status, r.ok, r.headers.get('content-type'), await r.json()]",
            js(&origin.url("/data.json"))
        ),
    )
    .await;
    assert_eq!(got, json!([200, true, "application/json", {"items": [1, 2, 3], "name": "data"}]));
    let binary = outcome(
        &server,
        &format!(
            "const sent = new Uint8Array(256).map((_, i) => i); \
             const r = await fetch(new Request({}, {{method: 'POST', body: sent, headers: {{'x-kind': 'bytes', authorization: 'Basic c2NyaXB0OnNlY3JldA=='}}}})); \
             const back = new Uint8Array(await r.arrayBuffer()); [back.length, back.every((b, i) => b === i)]",
            js(&origin.url("/echo"))
        ),
    )
    .await;
    assert_eq!(binary, json!([256, true]));
    let echo = &origin.seen("/echo")[0];
    assert_eq!((echo.method.as_str(), echo.body.len()), ("POST", 256));
    assert_eq!(echo.header("x-kind"), Some("bytes"));
    assert!(echo.body.iter().enumerate().all(|(i, &b)| b as usize == i), "the bytes arrived intact");

    // A streamed body is read as it comes.
    let streamed = outcome(
        &server,
        &format!(
            "const r = await fetch({}); const reader = r.body.pipeThrough(new TextDecoderStream()).getReader(); \
             let text = ''; for (;;) {{ const {{done, value}} = await reader.read(); if (done) break; text += value; }} text.split('\\n').filter(Boolean)",
            js(&origin.url("/stream"))
        ),
    )
    .await;
    assert_eq!(streamed, json!(["chunk-0", "chunk-1", "chunk-2", "chunk-3", "chunk-4"]));

    // A redirect on allowed ground is followed (and decided again).
    let redirected = outcome(
        &server,
        &format!("const r = await fetch({}); [r.redirected, new URL(r.url).pathname]", js(&origin.url("/redirect-in"))),
    )
    .await;
    assert_eq!(redirected, json!([true, "/data.json"]));

    // Denied: the capability, the operation, the policy's reason, the rule;
    // and the request never arrived.
    let private = outcome(&server, &format!("await fetch({})", js(&origin.url("/private")))).await;
    let private = private.as_str().unwrap();
    assert!(private.starts_with("PermissionDenied: fetch denied: GET http://127.0.0.1:"), "{private}");
    assert!(
        private.contains("(127.0.0.1/private is not allowed)") && private.contains("[rule data.mcp.fetch.allow]"),
        "{private}"
    );
    assert!(origin.seen("/private").is_empty(), "a denied request was sent");

    // A redirect to a host the policy does not allow: that hop is denied and never sent.
    let out = outcome(&server, &format!("await fetch({})", js(&origin.url("/redirect-out")))).await;
    assert!(out.as_str().unwrap().contains("fetch denied: GET http://localhost:"), "{out}");
    assert_eq!(origin.seen("/redirect-out").len(), 1);
    assert!(origin.seen("/landing").is_empty(), "the denied hop was sent");

    // Not http(s): refused before any decision.
    let scheme = outcome(&server, "await fetch('file:///etc/passwd')").await;
    assert!(scheme.as_str().unwrap().contains("TypeError"), "{scheme}");

    // Bodies over --fetch-max-bytes: refused by their length, or cut while read.
    let big = outcome(&server, &format!("await fetch({})", js(&origin.url("/big")))).await;
    assert!(big.as_str().unwrap().contains("over the limit of 4096 (--fetch-max-bytes)"), "{big}");
    let big = outcome(&server, &format!("await (await fetch({})).text()", js(&origin.url("/big-chunked")))).await;
    assert!(big.as_str().unwrap().contains("--fetch-max-bytes"), "{big}");

    // AbortSignal: a request that never answers is given up, and the server goes on.
    let aborted = outcome(
        &server,
        &format!("(async () => {{ try {{ await fetch({}, {{signal: AbortSignal.timeout(200)}}) }} catch (e) {{ return e.name }} }})()", js(&origin.url("/slow"))),
    )
    .await;
    assert_eq!(aborted, "TimeoutError");
    let controller = outcome(
        &server,
        &format!(
            "const c = new AbortController(); const p = fetch({}, {{signal: c.signal}}); c.abort(); await p.catch((e) => e.name)",
            js(&origin.url("/slow"))
        ),
    )
    .await;
    assert_eq!(controller, "AbortError");
    // The run's own timeout ends a fetch that waits forever.
    let run = server
        .run(json!({"code": format!("await fetch({})", js(&origin.url("/slow"))), "execution_timeout_secs": 1}))
        .await;
    assert_eq!(run["status"], "timed_out", "{run}");

    // Every decision is logged; credentials the script set are not.
    let log = server.stderr();
    assert!(
        log.contains("policy decision") && log.contains("capability=\"fetch\"") || log.contains("capability=fetch"),
        "{log}"
    );
    assert!(log.contains("<redacted>") && !log.contains("c2NyaXB0OnNlY3JldA"), "a script's credential in the log");
    server.stop().await;
}

#[tokio::test]
async fn without_a_policy_there_is_no_network() {
    let origin = Origin::start().await;
    let server = Server::stateless(&[]).await;
    let out = outcome(&server, &format!("await fetch({})", js(&origin.url("/data.json")))).await;
    let out = out.as_str().unwrap();
    assert!(out.starts_with("PermissionDenied: fetch denied: GET"), "{out}");
    assert!(out.contains("a `fetch` policy in --policies-json turns it on"), "{out}");
    assert!(origin.seen.lock().is_empty(), "a request was sent without a policy");
    server.stop().await;
}

#[tokio::test]
async fn injected_headers_reach_the_host_but_never_the_script() {
    let origin = Origin::start().await;
    let refusing = Origin::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut flags = policy(dir.path(), true);
    flags.extend([
        "--directory-path".into(),
        dir.path().join("data").to_str().unwrap().into(),
        // Static, GET only, on this origin's port.
        "--fetch-header".into(),
        format!("host=127.0.0.1:{},header=X-Api-Key,value=static-secret,methods=GET", origin.port),
        // OAuth client credentials for `localhost`.
        "--fetch-header".into(),
        format!(
            "host=localhost,header=Authorization,token_url={},client_id=gateway,client_secret=client-s3cret,scope=read:all",
            origin.url("/token")
        ),
    ]);
    // The refusing origin's token endpoint says no.
    let rules = dir.path().join("headers.json");
    std::fs::write(
        &rules,
        json!([{"host": format!("127.0.0.1:{}", refusing.port), "auth": {"type": "oauth_client_credentials",
            "token_url": refusing.url("/token-denied"), "client_id": "gateway", "client_secret": "client-s3cret"}}])
        .to_string(),
    )
    .unwrap();
    flags.extend(["--fetch-header-config".into(), rules.to_str().unwrap().into()]);
    let server = Server::spawn_logging(&flags, dir.path(), "debug").await;

    // The static header reaches the host; the script sees no trace of it.
    let seen_by_script = outcome(
        &server,
        &format!(
            "const r = await fetch({}); JSON.stringify([...r.headers]) + (await r.text())",
            js(&origin.url("/data.json"))
        ),
    )
    .await;
    assert!(!seen_by_script.as_str().unwrap().contains("static-secret"));
    assert_eq!(origin.seen("/data.json")[0].header("x-api-key"), Some("static-secret"));
    // Not for a method the rule leaves out; and a header the script sets wins.
    outcome(&server, &format!("await fetch({}, {{method: 'POST', body: 'x'}})", js(&origin.url("/echo")))).await;
    assert_eq!(origin.seen("/echo")[0].header("x-api-key"), None);
    outcome(&server, &format!("await fetch({}, {{headers: {{'X-Api-Key': 'mine'}}}})", js(&origin.url("/data.json"))))
        .await;
    assert_eq!(origin.seen("/data.json")[1].header("x-api-key"), Some("mine"));

    // OAuth: one token request, the token reused, then refreshed before it expires.
    let localhost = format!("http://localhost:{}/data.json", origin.port);
    for _ in 0..2 {
        assert_eq!(outcome(&server, &format!("(await (await fetch({})).json()).name", js(&localhost))).await, "data");
    }
    let tokens = origin.seen("/token");
    assert_eq!(tokens.len(), 1, "the token is cached");
    let form = String::from_utf8(tokens[0].body.clone()).unwrap();
    assert!(
        form.contains("grant_type=client_credentials")
            && form.contains("client_id=gateway")
            && form.contains("scope=read%3Aall"),
        "{form}"
    );
    let bearers: Vec<String> =
        origin.seen("/data.json").iter().filter_map(|s| s.header("authorization").map(str::to_owned)).collect();
    assert_eq!(bearers, ["Bearer tok-1", "Bearer tok-1"]);
    // expires_in 31 less the 30 s buffer: a second later it is refreshed.
    eventually("the token to be refreshed", 15, || async {
        outcome(&server, &format!("await (await fetch({})).text()", js(&localhost))).await;
        (origin.seen("/token").len() == 2).then_some(())
    })
    .await;
    let refresh = String::from_utf8(origin.seen("/token")[1].body.clone()).unwrap();
    assert!(refresh.contains("grant_type=refresh_token") && refresh.contains("refresh_token=r-1"), "{refresh}");
    assert_eq!(origin.seen("/data.json").last().unwrap().header("authorization"), Some("Bearer tok-2"));

    // A token endpoint that refuses: the request fails, says why, holds no secret, never leaves.
    let failed = outcome(&server, &format!("await fetch({})", js(&refusing.url("/data.json")))).await;
    let failed = failed.as_str().unwrap();
    assert!(failed.contains("answered 401, invalid_client"), "{failed}");
    assert!(refusing.seen("/data.json").is_empty());

    // Stateful: a session keeps what it read; an unread response cannot be kept.
    let kept = server
        .run(json!({"code": format!("const r = await fetch({}); globalThis.kept = (await r.clone().json()).items; await r.text(); kept.length", js(&origin.url("/data.json"))), "session": "f"}))
        .await;
    assert_eq!(kept["result"], 3, "{kept}");
    assert_eq!(server.run(json!({"code": "kept.join(',')", "session": "f"})).await["result"], "1,2,3");
    let unread = server
        .run(json!({"code": format!("globalThis.pending = await fetch({}); 1", js(&origin.url("/data.json"))), "session": "f"}))
        .await;
    assert!(unread["error"]["message"].as_str().unwrap_or("").contains("live"), "{unread}");
    assert_eq!(server.run(json!({"code": "typeof pending", "session": "f"})).await["result"], "undefined");

    // No secret anywhere: not in the log (at debug), not in any reply.
    let log = server.stderr();
    for secret in ["static-secret", "client-s3cret", "tok-1", "tok-2", "r-1"] {
        assert!(!log.contains(secret), "{secret} is in the log");
        assert!(!failed.contains(secret));
    }
    server.stop().await;
}

/// A policy's answers are remembered by the question, and a policy that
/// reads the caller's claims has them in its question: a caller outside
/// the group is denied the very fetch another caller was just allowed
/// (over Streamable HTTP, two token subjects), and the first is still
/// allowed after that.
#[tokio::test]
async fn a_remembered_answer_never_crosses_to_a_caller_with_other_claims() {
    use crate::auth::{claims, jwks_server, token};
    use crate::support::{call, call_json, text_of};

    let origin = Origin::start().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fetch.rego");
    std::fs::write(
        &file,
        "package mcp.fetch\n\
         allow if {\n  input.url_parsed.host == \"127.0.0.1\"\n  \"net-write\" in input.claims.groups\n}\n\
         reason := \"net-write callers only\" if not allow\n",
    )
    .unwrap();
    let policies = json!({"fetch": {"policies": [{"url": file.to_str().unwrap()}]}}).to_string();
    let (server, keys, _) = jwks_server(&["--policies-json", &policies]).await;
    let alice = server
        .mcp_client_with(Some(&token(&keys, "k1", claims(json!({"sub": "alice", "groups": ["net-write"]})))))
        .await;
    let bob =
        server.mcp_client_with(Some(&token(&keys, "k1", claims(json!({"sub": "bob", "groups": ["read"]}))))).await;
    let code = json!({
        "code": format!("let n = 0; for (let i = 0; i < 3; i++) {{ const r = await fetch({}); n += (await r.json()).items.length; }} n",
            js(&origin.url("/data.json")))
    });

    let allowed = call_json(&alice, "run_js", code.clone()).await;
    assert_eq!(allowed["result"], 9, "{allowed}");
    let denied = call(&bob, "run_js", code.clone()).await;
    let text = text_of(&denied);
    assert!(text.contains("PermissionDenied") && text.contains("net-write callers only"), "{text}");
    let again = call_json(&alice, "run_js", code).await;
    assert_eq!(again["result"], 9, "{again}");
    assert_eq!(origin.count("/data.json"), 6, "alice's six fetches arrived, none of bob's");
    let _ = alice.cancel().await;
    let _ = bob.cancel().await;
}
