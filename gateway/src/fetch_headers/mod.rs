//! Header injection for `fetch` (`--fetch-header`, `--fetch-header-config`):
//! rules that add headers (API keys, tokens) to the requests user code
//! makes to a host, so the script uses a credential it never sees.
//!
//! A rule names a host (exact, `host:port`, or `*.example.com` for every
//! subdomain), optionally the methods it applies to, and either static
//! headers or an OAuth client-credentials source ([`oauth`]) whose token is
//! fetched, cached and refreshed before it expires.
//!
//! **Invariants:**
//! - Secrets (header values, client secrets, tokens) are never in a log,
//!   an error or a `Debug` rendering: [`Secret`] prints `***`.
//! - A header the script set itself wins, and then no token is fetched for
//!   it. Rules are applied per request hop, after the policy allowed it:
//!   a redirect to another host gets that host's headers, not these.
//! - A rule for every host (`*`) is refused: a policy that lets scripts
//!   fetch anywhere would hand its secret to anyone.

pub mod oauth;

use std::sync::Arc;
use std::time::Duration;

use mcp_v8_runtime::fetch::HeaderInjector;
use serde::Deserialize;
use url::Url;

use oauth::{OAuthSettings, TokenSource};

/// A string that never shows itself.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// Which hosts a rule is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPattern {
    /// Lower case; for `*.example.com`, `.example.com`.
    host: String,
    wildcard: bool,
    port: Option<u16>,
}

impl HostPattern {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim().to_ascii_lowercase();
        if text.is_empty() {
            return Err("a rule needs a host".into());
        }
        if text == "*" || text == "*." {
            return Err("a rule for every host (`*`) would send its secret to any host a policy lets scripts fetch; name the host, or `*.example.com`".into());
        }
        // `host:port`, `[v6]:port`, `[v6]`, `host`.
        let (host, port) = match text.rsplit_once(':') {
            Some((host, port)) if !host.contains(':') || host.ends_with(']') => {
                (host.to_owned(), Some(port.parse::<u16>().map_err(|_| format!("'{text}': the port is not a number"))?))
            }
            _ => (text.clone(), None),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']').to_owned();
        let (host, wildcard) = match host.strip_prefix("*.") {
            Some(rest) if !rest.is_empty() && !rest.contains('*') => (format!(".{rest}"), true),
            _ if host.contains('*') => {
                return Err(format!("'{text}': a wildcard is only `*.` before a domain"));
            }
            _ => (host, false),
        };
        Ok(Self { host, wildcard, port })
    }

    fn matches(&self, url: &Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        let host = host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
        let host_ok = if self.wildcard { host.ends_with(&self.host) } else { host == self.host };
        host_ok && self.port.is_none_or(|port| url.port_or_known_default() == Some(port))
    }
}

/// What a rule adds.
#[derive(Debug, Clone)]
pub enum Source {
    Static(Vec<(String, Secret)>),
    OAuth(OAuthSettings),
}

/// One rule, as configured.
#[derive(Debug, Clone)]
pub struct RuleSpec {
    pub host: HostPattern,
    /// Upper case; `None` for every method.
    pub methods: Option<Vec<String>>,
    pub source: Source,
}

/// A rule in `--fetch-header-config`'s JSON (the reference's shape).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonRule {
    host: String,
    #[serde(default)]
    methods: Option<Vec<String>>,
    #[serde(default)]
    headers: Option<std::collections::BTreeMap<String, Secret>>,
    #[serde(default)]
    auth: Option<JsonAuth>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonAuth {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    header: Option<String>,
    token_url: String,
    client_id: String,
    client_secret: Secret,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    refresh_buffer_secs: Option<u64>,
}

fn methods(list: Option<Vec<String>>) -> Result<Option<Vec<String>>, String> {
    let Some(list) = list else { return Ok(None) };
    let list: Vec<String> = list.iter().map(|m| m.trim().to_ascii_uppercase()).filter(|m| !m.is_empty()).collect();
    if list.is_empty() {
        return Err("`methods` is empty: leave it out to apply the rule to every method".into());
    }
    if let Some(bad) = list.iter().find(|m| http::Method::from_bytes(m.as_bytes()).is_err()) {
        return Err(format!("'{bad}' is not an HTTP method"));
    }
    Ok(Some(list))
}

fn header_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    http::HeaderName::from_bytes(name.as_bytes())
        .map(|n| n.as_str().to_owned())
        .map_err(|_| format!("'{name}' is not a header name"))
}

fn oauth_settings(
    header: Option<String>,
    token_url: &str,
    client_id: String,
    client_secret: Secret,
    scope: Option<String>,
    refresh_buffer_secs: Option<u64>,
) -> Result<OAuthSettings, String> {
    let token_url = Url::parse(token_url).map_err(|e| format!("token_url '{token_url}': {e}"))?;
    if !matches!(token_url.scheme(), "http" | "https") {
        return Err(format!("token_url '{token_url}' is not http: or https:"));
    }
    if client_id.is_empty() {
        return Err("client_id is empty".into());
    }
    Ok(OAuthSettings {
        header: header_name(header.as_deref().unwrap_or("Authorization"))?,
        token_url,
        client_id,
        client_secret,
        scope: scope.filter(|s| !s.is_empty()),
        refresh_buffer: Duration::from_secs(refresh_buffer_secs.unwrap_or(30)),
    })
}

impl RuleSpec {
    /// One `--fetch-header` value: `host=..,header=..,value=..[,methods=GET;POST]`,
    /// or for OAuth `host=..,header=..,token_url=..,client_id=..,client_secret=..[,scope=..][,refresh_buffer_secs=..][,methods=..]`.
    /// A value may contain commas: only `,key=` with a known key starts a new field.
    pub fn parse_flag(text: &str) -> Result<Self, String> {
        const KEYS: [&str; 9] = [
            "host",
            "header",
            "value",
            "methods",
            "token_url",
            "client_id",
            "client_secret",
            "scope",
            "refresh_buffer_secs",
        ];
        let mut fields: Vec<(String, String)> = Vec::new();
        for piece in text.split(',') {
            let key = piece.split_once('=').map(|(k, _)| k.trim());
            match key {
                Some(key) if KEYS.contains(&key) => {
                    if fields.iter().any(|(k, _)| k == key) {
                        return Err(format!("`{key}` is given twice"));
                    }
                    let value = piece.split_once('=').map_or("", |(_, v)| v);
                    fields.push((key.to_owned(), value.to_owned()));
                }
                _ => match fields.last_mut() {
                    Some((_, value)) => {
                        value.push(',');
                        value.push_str(piece);
                    }
                    None => {
                        return Err("expected host=..,header=..,value=.. (or token_url=.. for OAuth)".into());
                    }
                },
            }
        }
        let mut take = |key: &str| fields.iter().position(|(k, _)| k == key).map(|i| fields.remove(i).1);
        let host = HostPattern::parse(&take("host").ok_or("a rule needs host=")?)?;
        let methods = methods(take("methods").map(|m| m.split(';').map(str::to_owned).collect()))?;
        let header = take("header");
        let source = match (take("value"), take("token_url")) {
            (Some(value), None) => {
                let name = header_name(&header.ok_or("a rule needs header=")?)?;
                if ["client_id", "client_secret", "scope", "refresh_buffer_secs"].iter().any(|k| take(k).is_some()) {
                    return Err("value= is a static header: client_id, client_secret, scope and refresh_buffer_secs belong to token_url= rules".into());
                }
                Source::Static(vec![(name, Secret(value))])
            }
            (None, Some(token_url)) => {
                let client_id = take("client_id").ok_or("an OAuth rule needs client_id=")?;
                let client_secret = Secret(take("client_secret").ok_or("an OAuth rule needs client_secret=")?);
                let scope = take("scope");
                let buffer = take("refresh_buffer_secs")
                    .map(|s| {
                        s.trim().parse::<u64>().map_err(|_| "refresh_buffer_secs is not a number of seconds".to_owned())
                    })
                    .transpose()?;
                Source::OAuth(oauth_settings(header, &token_url, client_id, client_secret, scope, buffer)?)
            }
            (Some(_), Some(_)) => {
                return Err("a rule has either value= (a static header) or token_url= (OAuth), not both".into());
            }
            (None, None) => {
                return Err("a rule needs value= (a static header) or token_url= (OAuth client credentials)".into());
            }
        };
        Ok(Self { host, methods, source })
    }

    /// The rules of `--fetch-header-config`: a JSON array of
    /// `{host, methods?, headers}` or `{host, methods?, auth: {type:
    /// "oauth_client_credentials", header?, token_url, client_id,
    /// client_secret, scope?, refresh_buffer_secs?}}`.
    pub fn parse_json(value: serde_json::Value) -> Result<Vec<Self>, String> {
        let rules: Vec<JsonRule> = serde_json::from_value(value).map_err(|e| e.to_string())?;
        rules
            .into_iter()
            .enumerate()
            .map(|(i, rule)| {
                let at = |e: String| format!("rule {}: {e}", i + 1);
                let host = HostPattern::parse(&rule.host).map_err(at)?;
                let methods = methods(rule.methods).map_err(at)?;
                let source = match (rule.headers, rule.auth) {
                    (Some(headers), None) => {
                        if headers.is_empty() {
                            return Err(at("`headers` is empty".into()));
                        }
                        let headers = headers
                            .into_iter()
                            .map(|(k, v)| Ok((header_name(&k)?, v)))
                            .collect::<Result<Vec<_>, String>>()
                            .map_err(at)?;
                        Source::Static(headers)
                    }
                    (None, Some(auth)) => {
                        if auth.kind != "oauth_client_credentials" {
                            return Err(at(format!(
                                "auth type '{}' is not known (oauth_client_credentials is)",
                                auth.kind
                            )));
                        }
                        Source::OAuth(
                            oauth_settings(
                                auth.header,
                                &auth.token_url,
                                auth.client_id,
                                auth.client_secret,
                                auth.scope,
                                auth.refresh_buffer_secs,
                            )
                            .map_err(at)?,
                        )
                    }
                    _ => return Err(at("a rule has exactly one of `headers` and `auth`".into())),
                };
                Ok(Self { host, methods, source })
            })
            .collect()
    }

    fn applies(&self, url: &Url, method: &str) -> bool {
        self.host.matches(url) && self.methods.as_ref().is_none_or(|m| m.iter().any(|m| m == method))
    }
}

enum Adds {
    Static(Vec<(String, Secret)>),
    OAuth { header: String, source: Box<TokenSource> },
}

/// The configured rules, answering the runtime's [`HeaderInjector`].
pub struct HeaderRules {
    rules: Vec<(RuleSpec, Adds)>,
}

impl HeaderRules {
    pub fn new(specs: Vec<RuleSpec>) -> Self {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap_or_default();
        let rules = specs
            .into_iter()
            .map(|spec| {
                let adds = match &spec.source {
                    Source::Static(headers) => Adds::Static(headers.clone()),
                    Source::OAuth(settings) => Adds::OAuth {
                        header: settings.header.clone(),
                        source: Box::new(TokenSource::new(settings.clone(), http.clone())),
                    },
                };
                (spec, adds)
            })
            .collect();
        Self { rules }
    }
}

#[async_trait::async_trait]
impl HeaderInjector for HeaderRules {
    async fn headers(&self, url: &Url, method: &str, present: &[String]) -> Result<Vec<(String, String)>, String> {
        let mut out: Vec<(String, String)> = Vec::new();
        let taken = |name: &str, out: &[(String, String)]| {
            present.iter().any(|p| p.eq_ignore_ascii_case(name))
                || out.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
        };
        for (spec, adds) in &self.rules {
            if !spec.applies(url, method) {
                continue;
            }
            match adds {
                Adds::Static(headers) => {
                    for (name, value) in headers {
                        if !taken(name, &out) {
                            out.push((name.clone(), value.0.clone()));
                        }
                    }
                }
                Adds::OAuth { header, source } => {
                    if !taken(header, &out) {
                        out.push((header.clone(), source.header_value().await?));
                    }
                }
            }
        }
        Ok(out)
    }
}

/// Builds the injector for the configured rules.
pub fn injector(specs: &[RuleSpec]) -> Arc<dyn HeaderInjector> {
    if specs.is_empty() {
        Arc::new(mcp_v8_runtime::fetch::NoHeaders)
    } else {
        Arc::new(HeaderRules::new(specs.to_vec()))
    }
}

#[cfg(test)]
mod tests;
