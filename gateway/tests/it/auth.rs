//! Bearer auth against a JWKS served on loopback, with keys made for the
//! test by `openssl`: what a real identity provider does, minus the network.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::Engine as _;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{HttpServer, call, call_json, http_client};

pub(crate) const ISSUER: &str = "https://id.example.test";
pub(crate) const AUDIENCE: &str = "mcp-v8-test";

pub(crate) struct Keys {
    private_pem: Vec<u8>,
    public_pem: Vec<u8>,
    pub(crate) jwks: Value,
}

fn openssl(args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new("openssl").args(args).output().expect("openssl must be installed (.ci/run installs it)");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn rsa_keys(kid: &str) -> Keys {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.pem");
    let key = key.to_str().unwrap();
    openssl(&["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key]);
    let public_pem = openssl(&["pkey", "-in", key, "-pubout"]);
    let modulus = String::from_utf8(openssl(&["rsa", "-in", key, "-noout", "-modulus"])).unwrap();
    let n = hex::decode(modulus.trim().trim_start_matches("Modulus=")).unwrap();
    let jwks = json!({"keys": [{"kty": "RSA", "kid": kid, "use": "sig", "n": b64(&n), "e": "AQAB"}]});
    Keys { private_pem: std::fs::read(key).unwrap(), public_pem, jwks }
}

/// Serves `jwks` to any request on a loopback port; counts the fetches.
async fn serve_jwks(jwks: Value) -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/jwks.json", listener.local_addr().unwrap());
    let fetches = Arc::new(AtomicUsize::new(0));
    let counter = fetches.clone();
    let body = jwks.to_string();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            counter.fetch_add(1, Ordering::SeqCst);
            let body = body.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(body.as_bytes()).await;
            });
        }
    });
    (url, fetches)
}

/// A gateway over HTTP that verifies tokens against a JWKS served on
/// loopback (key `k1`, the test issuer and audience), with `extra` flags;
/// the keys sign tokens for it, and the counter counts JWKS fetches.
pub(crate) async fn jwks_server(extra: &[&str]) -> (HttpServer, Keys, Arc<AtomicUsize>) {
    let keys = rsa_keys("k1");
    let (jwks_url, fetches) = serve_jwks(keys.jwks.clone()).await;
    let mut flags = vec!["--jwks-url", &jwks_url, "--jwt-issuer", ISSUER, "--jwt-audience", AUDIENCE];
    flags.extend_from_slice(extra);
    (HttpServer::start(&flags).await, keys, fetches)
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

pub(crate) fn token(keys: &Keys, kid: &str, claims: Value) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.to_owned());
    jsonwebtoken::encode(&header, &claims, &EncodingKey::from_rsa_pem(&keys.private_pem).unwrap()).unwrap()
}

pub(crate) fn claims(overrides: Value) -> Value {
    let mut claims = json!({"sub": "agent-7", "iss": ISSUER, "aud": AUDIENCE, "exp": now() + 600, "iat": now()});
    for (k, v) in overrides.as_object().unwrap() {
        claims[k] = v.clone();
    }
    claims
}

#[tokio::test]
async fn tokens_are_verified_with_the_jwks_key_and_its_algorithm() {
    let (server, keys, fetches) = jwks_server(&["--metrics-port", "0"]).await;
    let http = crate::support::http_client();
    let get = |token: Option<String>| {
        let mut request = http.get(server.url("/api/version"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };

    // Health checks stay open; the API does not.
    assert_eq!(http.get(server.url("/healthz")).send().await.unwrap().status(), 200);
    let missing = get(None).await.unwrap();
    assert_eq!(missing.status(), 401);
    let challenge = missing.headers()["www-authenticate"].to_str().unwrap().to_owned();
    assert!(challenge.starts_with("Bearer resource_metadata=\""), "{challenge}");
    let metadata_url = challenge.split('"').nth(1).unwrap().to_owned();
    let metadata: Value = http.get(&metadata_url).send().await.unwrap().json().await.unwrap();
    assert_eq!(metadata["authorization_servers"], json!([ISSUER]));
    assert!(metadata["resource"].as_str().unwrap().ends_with("/mcp"));

    let valid = token(&keys, "k1", claims(json!({})));
    assert_eq!(get(Some(valid.clone())).await.unwrap().status(), 200);

    // The dashboard's figures are behind auth like the API, and list no
    // denial's reason (it may quote another caller's request).
    let figures = server.url("/dashboard/data");
    assert_eq!(http.get(&figures).send().await.unwrap().status(), 401);
    let data: Value = http.get(&figures).bearer_auth(&valid).send().await.unwrap().json().await.unwrap();
    assert_eq!(data["reasons_shown"], json!(false));
    assert_eq!(http.get(server.url("/dashboard")).send().await.unwrap().status(), 200, "the page itself holds no data");
    // A refused token is counted by reason.
    let metrics = http.get(server.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains(r#"mcp_v8_auth_failures_total{reason="missing"}"#), "{metrics}");
    // The metrics port has no auth: it serves the metrics, never the
    // dashboard's figures, and no other route.
    let ops = crate::support::metrics_base(|| server.stderr()).await;
    let scraped = http.get(format!("{ops}/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(scraped.contains(r#"mcp_v8_auth_failures_total{reason="missing"}"#), "{scraped}");
    for path in ["/dashboard/data", "/dashboard", "/api/version", "/mcp"] {
        assert_eq!(http.get(format!("{ops}{path}")).send().await.unwrap().status(), 404, "{path} on the metrics port");
    }

    let refused = [
        ("expired", token(&keys, "k1", claims(json!({"exp": now() - 3600})))),
        ("not yet valid", token(&keys, "k1", claims(json!({"nbf": now() + 3600})))),
        ("wrong audience", token(&keys, "k1", claims(json!({"aud": "someone-else"})))),
        ("wrong issuer", token(&keys, "k1", claims(json!({"iss": "https://evil.example"})))),
        ("unknown kid", token(&keys, "k9", claims(json!({})))),
        ("alg none", format!("{}.{}.", b64(br#"{"alg":"none","kid":"k1","typ":"JWT"}"#), b64(claims(json!({})).to_string().as_bytes()))),
        ("HS256 keyed with the public key", {
            let mut header = Header::new(Algorithm::HS256);
            header.kid = Some("k1".into());
            jsonwebtoken::encode(&header, &claims(json!({})), &EncodingKey::from_secret(&keys.public_pem)).unwrap()
        }),
        ("garbage", "not.a.token".to_owned()),
    ];
    for (what, token) in refused {
        let response = get(Some(token)).await.unwrap();
        assert_eq!(response.status(), 401, "{what} must be refused");
        let challenge = response.headers()["www-authenticate"].to_str().unwrap();
        assert!(challenge.contains("invalid_token"), "{what}: {challenge}");
    }
    // Unknown kids do not make the server hammer the identity provider: the
    // first fetch was under the refetch interval ago, so no more happened.
    assert_eq!(fetches.load(Ordering::SeqCst), 1, "one JWKS fetch, cached");

    // An MCP client with a valid token works over Streamable HTTP.
    let config = rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig::with_uri(server.url("/mcp"))
        .auth_header(valid);
    let transport = rmcp::transport::StreamableHttpClientTransport::from_config(config);
    let client = rmcp::ServiceExt::serve((), transport).await.expect("initialize with a token");
    let run = call_json(&client, "run_js", json!({"code": "'authorized'"})).await;
    assert_eq!(run["result"], "authorized");
    let _ = client.cancel().await;

    // Without a token, MCP is refused too.
    let response = http
        .post(server.url("/mcp"))
        .header("accept", "application/json, text/event-stream")
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

/// Two token subjects are two tenants: neither sees the other's sessions,
/// executions, heaps or tags, on MCP or REST, and another's id is "not found".
#[tokio::test]
async fn token_subjects_never_see_each_other() {
    let (server, keys, _) = jwks_server(&[]).await;
    let alice = token(&keys, "k1", claims(json!({"sub": "alice"})));
    let bob = token(&keys, "k1", claims(json!({"sub": "bob"})));
    let http = http_client();

    let a_client = server.mcp_client_with(Some(&alice)).await;
    let named = call_json(&a_client, "run_js", json!({"code": "var secret = 'alice-only'", "session": "work"})).await;
    let implicit = call_json(&a_client, "run_js", json!({"code": "var mine = 1; mine"})).await;
    let heap = named["heap"].as_str().unwrap().to_owned();
    call_json(&a_client, "set_heap_tags", json!({"heap": heap, "tags": {"project": "x"}})).await;

    let b_client = server.mcp_client_with(Some(&bob)).await;
    let same_name = call_json(&b_client, "run_js", json!({"code": "typeof secret", "session": "work"})).await;
    assert_eq!(same_name["result"], "undefined", "bob's 'work' is another session");
    let from_heap = call(&b_client, "run_js", json!({"code": "secret", "heap": heap})).await;
    assert_eq!(from_heap.is_error, Some(true));
    assert!(crate::support::text_of(&from_heap).contains("not found"));
    for (tool, args) in [
        ("get_execution", json!({"execution_id": named["execution_id"]})),
        ("get_execution_output", json!({"execution_id": implicit["execution_id"]})),
        ("cancel_execution", json!({"execution_id": named["execution_id"]})),
        ("get_heap_tags", json!({"heap": heap})),
        ("list_session_snapshots", json!({"session": implicit["session"]})),
    ] {
        let result = call(&b_client, tool, args).await;
        assert_eq!(result.is_error, Some(true), "{tool}");
        assert!(crate::support::text_of(&result).contains("not found"), "{tool}: {result:?}");
    }
    let listed = call_json(&b_client, "list_executions", json!({})).await;
    assert!(!listed.to_string().contains(named["execution_id"].as_str().unwrap()));
    let sessions = call_json(&b_client, "list_sessions", json!({})).await;
    assert_eq!(sessions["sessions"].as_array().unwrap().len(), 1, "bob's own 'work' only: {sessions}");
    let found = call_json(&b_client, "query_heaps_by_tags", json!({"tags": {}})).await;
    assert!(found["heaps"].as_array().unwrap().is_empty(), "{found}");

    // REST with bob's token: the same answers.
    let id = named["execution_id"].as_str().unwrap();
    let response = http.get(server.url(&format!("/api/executions/{id}"))).bearer_auth(&bob).send().await.unwrap();
    assert_eq!(response.status(), 404);
    let response = http.get(server.url(&format!("/api/heaps/{heap}/tags"))).bearer_auth(&bob).send().await.unwrap();
    assert_eq!(response.status(), 404);
    // And alice's own REST calls see her MCP runs: one principal.
    let response = http.get(server.url(&format!("/api/executions/{id}"))).bearer_auth(&alice).send().await.unwrap();
    assert_eq!(response.status(), 200);

    // A token that names no principal is refused.
    let anonymous = token(&keys, "k1", {
        let mut c = claims(json!({}));
        c.as_object_mut().unwrap().remove("sub");
        c
    });
    let response = http.get(server.url("/api/version")).bearer_auth(anonymous).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let _ = a_client.cancel().await;
    let _ = b_client.cancel().await;
}

/// `--principal-claim` picks which claim names the principal.
#[tokio::test]
async fn the_principal_claim_can_be_another_claim() {
    let (server, keys, _) = jwks_server(&["--principal-claim", "org"]).await;
    // Two subjects of one org share its sessions.
    let one = token(&keys, "k1", claims(json!({"sub": "u1", "org": "acme"})));
    let two = token(&keys, "k1", claims(json!({"sub": "u2", "org": "acme"})));
    let http = http_client();
    let exec = |token: String, code: &'static str| {
        http.post(server.url("/api/exec?wait=10000")).bearer_auth(token).json(&json!({"code": code, "session": "team"})).send()
    };
    exec(one, "var board = 'shared in acme'").await.unwrap();
    let seen: serde_json::Value = exec(two, "board").await.unwrap().json().await.unwrap();
    assert_eq!(seen["result"], "shared in acme");
}

#[test]
fn auth_needs_issuer_and_audience() {
    let out = std::process::Command::new(crate::support::BIN)
        .args(["--http-port", "1", "--jwks-url", "http://127.0.0.1:9/jwks.json"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--jwt-issuer"));
}
