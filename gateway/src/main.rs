//! `mcp-v8`: parse the command line, set up logging on stderr (stdout is the
//! JSON-RPC stream), serve. A failure is one line on stderr and exit code 1.

use clap::Parser;
use mcp_v8_gateway::config::{Cli, Config};

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MCP_V8_LOG").unwrap_or_else(|_| "info".into()),
        )
        .init();
    let cli = Cli::parse();
    if cli.print_openapi {
        println!("{}", mcp_v8_gateway::openapi_json());
        return;
    }
    let result = match Config::resolve(cli, &std::env::vars().collect()) {
        Ok(config) => mcp_v8_gateway::serve(config).await,
        Err(error) => Err(error),
    };
    if let Err(error) = result {
        eprintln!("mcp-v8: {error}");
        std::process::exit(1);
    }
}
