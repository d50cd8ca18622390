//! Errors of the gateway crate. Only this crate maps errors onto JSON-RPC.

#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// The configuration is wrong; the process does not start.
    #[error("configuration: {0}")]
    Config(String),
    /// The engine failed to start or stopped.
    #[error(transparent)]
    Runtime(#[from] mcp_v8_runtime::RuntimeError),
    /// The MCP transport failed.
    #[error("transport: {0}")]
    Transport(String),
}
