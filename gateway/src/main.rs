//! `mcp-v8`: parse the command line, set up logging on stderr (stdout is the
//! JSON-RPC stream), serve. A failure is one line on stderr and exit code 1.

use std::collections::HashMap;

use mcp_v8_gateway::config::{Config, parse_cli, reference};

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MCP_V8_LOG").unwrap_or_else(|_| "info".into()),
        )
        .init();
    let env: HashMap<String, String> = std::env::vars().collect();
    let cli = parse_cli(std::env::args_os(), &env).unwrap_or_else(|e| e.exit());
    if cli.print_config_reference {
        print!("{}", reference::markdown());
        return;
    }
    let print_openapi = cli.print_openapi;
    let result = match Config::resolve(cli, &env) {
        Ok(config) if print_openapi => {
            println!("{}", mcp_v8_gateway::openapi_json(&config));
            return;
        }
        Ok(config) => mcp_v8_gateway::serve(config).await,
        Err(error) => Err(error),
    };
    if let Err(error) = result {
        eprintln!("mcp-v8: {error}");
        std::process::exit(1);
    }
}
