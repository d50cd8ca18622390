//! The one integration-test binary of the gateway (V8 is linked once).
//! Every test drives the real `mcp-v8` binary over a real transport.

mod auth;
mod capabilities;
mod cli;
mod fetch;
mod hostile;
mod http;
mod modules;
mod ownership;
mod redis;
mod reuse;
mod schema;
mod sse;
mod stdio;
mod wasm;
mod websocket;
mod support;
mod telemetry;
mod upstreams;
