//! `mcp-v8`: parse the command line, set up logging on stderr (stdout is the
//! JSON-RPC stream) and trace export, serve. A failure is one line on stderr and exit code 1.

use std::collections::HashMap;

use mcp_v8_gateway::config::{Config, parse_cli, reference};

#[tokio::main]
async fn main() {
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
        Ok(config) => match mcp_v8_gateway::telemetry::init(&config.telemetry) {
            // Kept to the end: dropping it exports the spans still queued.
            Ok(_telemetry) => mcp_v8_gateway::serve(config).await,
            Err(error) => Err(error),
        },
        Err(error) => Err(error),
    };
    if let Err(error) = result {
        eprintln!("mcp-v8: {error}");
        std::process::exit(1);
    }
}
