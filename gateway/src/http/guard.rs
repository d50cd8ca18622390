//! DNS-rebinding protection for the routes rmcp does not guard itself
//! (`/api`, `/sse`, `/message`): the same `--allowed-hosts` and
//! `--allowed-origins` lists, the same rules. Without it, a web page could
//! make a browser on the server's machine post code to `/api/exec`.
//!
//! - `Host` must name an allowed host, with or without a port.
//! - `Origin`, when present, must match an allowed origin: scheme and host
//!   exactly, and the port exactly, or any port for an entry ending in `:*`,
//!   or the scheme's default port for an entry without one.

use pingora_http::RequestHeader;

use super::Reply;
use crate::config::HttpConfig;

pub fn check(head: &RequestHeader, http: &HttpConfig) -> Result<(), Reply> {
    let host = head
        .headers
        .get(http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| head.uri.authority().map(|a| a.as_str()))
        .unwrap_or("");
    if !host_allowed(host, &http.allowed_hosts) {
        return Err(Reply::error(403, format!("Host '{host}' is not allowed (see --allowed-hosts)")));
    }
    if let Some(origin) = head.headers.get(http::header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        if !http.allowed_origins.iter().any(|allowed| origin_matches(origin, allowed)) {
            return Err(Reply::error(403, format!("Origin '{origin}' is not allowed (see --allowed-origins)")));
        }
    }
    Ok(())
}

fn host_allowed(host: &str, allowed: &[String]) -> bool {
    let bare = strip_port(host);
    allowed.iter().any(|a| a.eq_ignore_ascii_case(host) || a.trim_matches(['[', ']']).eq_ignore_ascii_case(bare))
}

/// `example.com:8080` → `example.com`; `[::1]:8080` → `::1`.
fn strip_port(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

fn origin_matches(origin: &str, allowed: &str) -> bool {
    if allowed == "null" || origin == "null" {
        return allowed == origin;
    }
    let wildcard = allowed.ends_with(":*");
    let (Ok(origin), Ok(entry)) = (url::Url::parse(origin), url::Url::parse(allowed.trim_end_matches(":*"))) else {
        return false;
    };
    origin.scheme() == entry.scheme()
        && origin.host_str() == entry.host_str()
        && (wildcard || origin.port_or_known_default() == entry.port_or_known_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_origins() {
        let allowed = vec!["localhost".to_owned(), "127.0.0.1".to_owned(), "::1".to_owned()];
        assert!(host_allowed("127.0.0.1:8080", &allowed));
        assert!(host_allowed("[::1]:8080", &allowed));
        assert!(host_allowed("LOCALHOST", &allowed));
        assert!(!host_allowed("evil.example", &allowed));
        assert!(!host_allowed("localhost.evil.example:80", &allowed));
        assert!(origin_matches("http://localhost:3000", "http://localhost:*"));
        assert!(origin_matches("https://app.example.com", "https://app.example.com:443"));
        assert!(origin_matches("https://app.example.com", "https://app.example.com"));
        assert!(!origin_matches("https://app.example.com:8443", "https://app.example.com"));
        assert!(!origin_matches("http://app.example.com", "https://app.example.com"));
        assert!(!origin_matches("https://evil.example", "https://app.example.com:*"));
    }
}
