//! How upstream servers are described: the reference's `--mcp-server
//! name=stdio:command:arg1:arg2` / `name=http:URL`, its `--mcp-config` JSON
//! array, and the Claude Desktop `{"mcpServers": {...}}` file.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

/// The default limit of one call, when neither the server nor the call sets one.
pub const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(60);
/// The default number of calls in flight to one server.
pub const DEFAULT_MAX_CONCURRENT: usize = 64;

/// How to reach one server.
#[derive(Debug, Clone, PartialEq)]
pub enum Transport {
    Stdio {
        command: String,
        args: Vec<String>,
        env: BTreeMap<String, String>,
        cwd: Option<String>,
    },
    Http {
        url: String,
        headers: BTreeMap<String, String>,
        auth: Auth,
    },
    /// The legacy HTTP+SSE transport (protocol 2024-11-05).
    Sse {
        url: String,
        headers: BTreeMap<String, String>,
        auth: Auth,
    },
}

/// How the gateway proves itself to an HTTP upstream.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Auth {
    #[default]
    None,
    /// A fixed bearer token.
    Bearer(String),
    /// Tokens from an OAuth 2.0 token endpoint (client credentials grant).
    ClientCredentials(ClientCredentials),
}

/// The OAuth 2.0 client credentials grant (RFC 6749 §4.4).
#[derive(Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientCredentials {
    pub token_url: String,
    pub client_id: String,
    /// The secret itself, or (`client_secret_env`) read from the environment at start.
    #[serde(default, rename = "client_secret")]
    pub secret: String,
    #[serde(default)]
    pub client_secret_env: Option<String>,
    #[serde(default)]
    pub scopes: Vec<String>,
    /// RFC 8707's resource indicator (the MCP authorization spec asks for the server's URL).
    #[serde(default)]
    pub resource: Option<String>,
    /// How the client authenticates at the token endpoint.
    #[serde(default)]
    pub method: ClientAuthMethod,
}

impl std::fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("scopes", &self.scopes)
            .field("resource", &self.resource)
            .finish_non_exhaustive()
    }
}

/// `client_secret_basic` (HTTP Basic, RFC 6749's default) or `client_secret_post` (in the form).
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize)]
pub enum ClientAuthMethod {
    #[default]
    #[serde(rename = "client_secret_basic")]
    Basic,
    #[serde(rename = "client_secret_post")]
    Post,
}

/// One upstream server.
#[derive(Debug, Clone, PartialEq)]
pub struct UpstreamSpec {
    pub name: String,
    pub transport: Transport,
    pub call_timeout: Duration,
    pub max_concurrent: usize,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

fn error(message: impl Into<String>) -> ConfigError {
    ConfigError(message.into())
}

/// A name usable as an identifier (`mcp.callTool("github", ...)`, a tool prefix).
fn check_name(name: &str) -> Result<(), ConfigError> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if !first_ok || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') || name.len() > 64 {
        return Err(error(format!(
            "upstream name '{name}': use letters, digits, '_' and '-', starting with a letter (at most 64)"
        )));
    }
    Ok(())
}

/// `name=stdio:command:arg1:arg2`, `name=http:URL` (Streamable HTTP) or
/// `name=sse:URL` (the legacy HTTP+SSE transport).
pub fn parse_flag(text: &str) -> Result<UpstreamSpec, ConfigError> {
    let (name, rest) = text.split_once('=').ok_or_else(|| {
        error(format!("--mcp-server '{text}': expected name=stdio:command[:arg...] or name=http:URL"))
    })?;
    let transport = if let Some(command) = rest.strip_prefix("stdio:") {
        let mut parts = command.split(':').map(str::to_owned);
        let command = parts
            .next()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| error(format!("--mcp-server '{text}': no command")))?;
        Transport::Stdio { command, args: parts.collect(), env: BTreeMap::new(), cwd: None }
    } else if let Some(url) =
        rest.strip_prefix("http:").filter(|u| u.starts_with("http://") || u.starts_with("https://"))
    {
        Transport::Http { url: url.to_owned(), headers: BTreeMap::new(), auth: Auth::None }
    } else if rest.starts_with("http://") || rest.starts_with("https://") {
        Transport::Http { url: rest.to_owned(), headers: BTreeMap::new(), auth: Auth::None }
    } else if let Some(url) =
        rest.strip_prefix("sse:").filter(|u| u.starts_with("http://") || u.starts_with("https://"))
    {
        Transport::Sse { url: url.to_owned(), headers: BTreeMap::new(), auth: Auth::None }
    } else {
        return Err(error(format!(
            "--mcp-server '{text}': expected stdio:command[:arg...], http:URL or sse:URL after the name"
        )));
    };
    check_name(name)?;
    Ok(UpstreamSpec {
        name: name.to_owned(),
        transport,
        call_timeout: DEFAULT_CALL_TIMEOUT,
        max_concurrent: DEFAULT_MAX_CONCURRENT,
    })
}

/// One entry of `--mcp-config`, in either shape.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    #[serde(default)]
    name: Option<String>,
    #[serde(default, alias = "type")]
    transport: Option<String>,
    #[serde(default)]
    command: Option<String>,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    #[serde(default)]
    cwd: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    bearer_token: Option<String>,
    #[serde(default)]
    oauth: Option<ClientCredentials>,
    #[serde(default)]
    timeout_secs: Option<u64>,
    #[serde(default)]
    max_concurrent: Option<usize>,
    /// Claude Desktop's switch.
    #[serde(default)]
    disabled: bool,
}

impl Entry {
    fn into_spec(self, name: String) -> Result<Option<UpstreamSpec>, ConfigError> {
        if self.disabled {
            return Ok(None);
        }
        check_name(&name)?;
        let kind = self.transport.as_deref().unwrap_or(if self.url.is_some() { "http" } else { "stdio" });
        let auth = match (self.bearer_token, self.oauth) {
            (Some(_), Some(_)) => {
                return Err(error(format!("upstream '{name}': bearer_token or oauth, not both")));
            }
            (Some(token), None) => Auth::Bearer(token),
            (None, Some(mut oauth)) => {
                if let Some(var) = oauth.client_secret_env.take() {
                    oauth.secret = std::env::var(&var).map_err(|_| {
                        error(format!("upstream '{name}': oauth.client_secret_env names '{var}', which is not set"))
                    })?;
                }
                if oauth.secret.is_empty() {
                    return Err(error(format!("upstream '{name}': oauth needs client_secret or client_secret_env")));
                }
                if !(oauth.token_url.starts_with("https://") || oauth.token_url.starts_with("http://")) {
                    return Err(error(format!("upstream '{name}': oauth.token_url must be an http(s) URL")));
                }
                Auth::ClientCredentials(oauth)
            }
            (None, None) => Auth::None,
        };
        if kind == "stdio" && auth != Auth::None {
            return Err(error(format!("upstream '{name}': bearer_token and oauth are for http and sse servers")));
        }
        let transport = match kind {
            "stdio" => Transport::Stdio {
                command: self.command.ok_or_else(|| error(format!("upstream '{name}': stdio needs a command")))?,
                args: self.args,
                env: self.env,
                cwd: self.cwd,
            },
            "http" | "streamable-http" | "streamable_http" => Transport::Http {
                url: self.url.ok_or_else(|| error(format!("upstream '{name}': http needs a url")))?,
                headers: self.headers,
                auth: auth.clone(),
            },
            "sse" => Transport::Sse {
                url: self.url.ok_or_else(|| error(format!("upstream '{name}': sse needs a url")))?,
                headers: self.headers,
                auth,
            },
            other => return Err(error(format!("upstream '{name}': unknown transport '{other}' (stdio, http or sse)"))),
        };
        if self.max_concurrent == Some(0) || self.timeout_secs == Some(0) {
            return Err(error(format!("upstream '{name}': timeout_secs and max_concurrent must be at least 1")));
        }
        Ok(Some(UpstreamSpec {
            name,
            transport,
            call_timeout: self.timeout_secs.map_or(DEFAULT_CALL_TIMEOUT, Duration::from_secs),
            max_concurrent: self.max_concurrent.unwrap_or(DEFAULT_MAX_CONCURRENT),
        }))
    }
}

/// `--mcp-config`: a JSON array of `{name, transport, command, args, env,
/// cwd, url, headers, bearer_token | oauth, timeout_secs, max_concurrent}`, or a
/// Claude Desktop file `{"mcpServers": {"name": {command, args, env} |
/// {url, headers}}}`.
pub fn parse_file(value: &Value) -> Result<Vec<UpstreamSpec>, ConfigError> {
    let entries: Vec<(String, Entry)> = match value {
        Value::Array(items) => items
            .iter()
            .map(|item| {
                let entry: Entry =
                    serde_json::from_value(item.clone()).map_err(|e| error(format!("--mcp-config: {e}")))?;
                let name = entry.name.clone().ok_or_else(|| error("--mcp-config: an entry without a name"))?;
                Ok((name, entry))
            })
            .collect::<Result<_, ConfigError>>()?,
        Value::Object(object) => {
            let servers = object
                .get("mcpServers")
                .and_then(Value::as_object)
                .ok_or_else(|| error("--mcp-config: expected an array of servers or {\"mcpServers\": {...}}"))?;
            servers
                .iter()
                .map(|(name, item)| {
                    let entry: Entry = serde_json::from_value(item.clone())
                        .map_err(|e| error(format!("--mcp-config '{name}': {e}")))?;
                    Ok((name.clone(), entry))
                })
                .collect::<Result<_, ConfigError>>()?
        }
        _ => return Err(error("--mcp-config: expected an array of servers or {\"mcpServers\": {...}}")),
    };
    let mut specs = Vec::new();
    for (name, entry) in entries {
        if let Some(spec) = entry.into_spec(name)? {
            specs.push(spec);
        }
    }
    Ok(specs)
}

/// Every server from the flags and the file; names must be unique.
pub fn collect(flags: &[String], file: Option<&Value>) -> Result<Vec<UpstreamSpec>, ConfigError> {
    let mut specs = flags.iter().map(|flag| parse_flag(flag)).collect::<Result<Vec<_>, _>>()?;
    if let Some(file) = file {
        specs.extend(parse_file(file)?);
    }
    let mut seen = std::collections::HashSet::new();
    for spec in &specs {
        if !seen.insert(spec.name.as_str()) {
            return Err(error(format!("upstream '{}' is configured twice", spec.name)));
        }
    }
    Ok(specs)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn flags_in_the_reference_shape() {
        let spec = parse_flag("fs=stdio:npx:-y:@modelcontextprotocol/server-filesystem:/tmp").unwrap();
        assert_eq!(
            spec.transport,
            Transport::Stdio {
                command: "npx".into(),
                args: vec!["-y".into(), "@modelcontextprotocol/server-filesystem".into(), "/tmp".into()],
                env: BTreeMap::new(),
                cwd: None
            }
        );
        let spec = parse_flag("api=http:https://mcp.example.com/mcp").unwrap();
        assert!(matches!(spec.transport, Transport::Http { ref url, .. } if url == "https://mcp.example.com/mcp"));
        let spec = parse_flag("old=sse:http://127.0.0.1:3001/sse").unwrap();
        assert!(matches!(spec.transport, Transport::Sse { ref url, .. } if url == "http://127.0.0.1:3001/sse"));
        for bad in ["nameonly", "x=ftp:host", "9x=stdio:a", "a b=stdio:x", "x=stdio:", "x=sse:h/sse"] {
            assert!(parse_flag(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn files_in_both_shapes_and_unique_names() {
        let array = json!([
            {"name": "gh", "transport": "http", "url": "https://h/mcp", "bearer_token": "t", "timeout_secs": 5, "max_concurrent": 2},
            {"name": "fs", "command": "node", "args": ["server.js"], "env": {"A": "1"}, "cwd": "/srv"}
        ]);
        let specs = parse_file(&array).unwrap();
        assert_eq!((specs[0].call_timeout, specs[0].max_concurrent), (Duration::from_secs(5), 2));
        assert!(matches!(specs[1].transport, Transport::Stdio { ref cwd, .. } if cwd.as_deref() == Some("/srv")));
        let claude = json!({"mcpServers": {"everything": {"command": "npx", "args": ["-y", "x"]}, "off": {"command": "y", "disabled": true}}});
        let specs = parse_file(&claude).unwrap();
        assert_eq!(specs.len(), 1);
        assert_eq!(specs[0].name, "everything");
        assert!(collect(&["a=stdio:x".into()], Some(&json!([{"name": "a", "command": "y"}]))).is_err());
        assert!(parse_file(&json!([{"name": "a", "command": "y", "colour": "red"}])).is_err());
    }

    #[test]
    fn oauth_client_credentials() {
        let oauth = json!({"token_url": "https://auth.example/token", "client_id": "gw", "client_secret": "s3", "scopes": ["mcp"]});
        let specs = parse_file(&json!([{"name": "a", "url": "https://h/mcp", "oauth": oauth}])).unwrap();
        let Transport::Http { auth: Auth::ClientCredentials(credentials), .. } = &specs[0].transport else {
            panic!("{:?}", specs[0].transport)
        };
        assert_eq!((credentials.secret.as_str(), credentials.method), ("s3", ClientAuthMethod::Basic));
        assert!(!format!("{credentials:?}").contains("s3"), "the secret is not printed");
        let both = json!([{"name": "a", "url": "https://h/mcp", "oauth": oauth, "bearer_token": "t"}]);
        assert!(parse_file(&both).is_err());
        let unset =
            json!({"token_url": "https://a/t", "client_id": "gw", "client_secret_env": "MCP_V8_TEST_UNSET_SECRET"});
        let error = parse_file(&json!([{"name": "a", "url": "https://h/mcp", "oauth": unset}])).err().unwrap();
        assert!(error.0.contains("MCP_V8_TEST_UNSET_SECRET"), "{error}");
        let stdio = json!([{"name": "a", "command": "x", "bearer_token": "t"}]);
        assert!(parse_file(&stdio).is_err());
    }
}
