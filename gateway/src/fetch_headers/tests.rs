use serde_json::json;
use url::Url;

use super::{HostPattern, RuleSpec, Source};

fn url(text: &str) -> Url {
    Url::parse(text).unwrap()
}

#[test]
fn hosts_match_exactly_by_port_or_by_subdomain() {
    let exact = HostPattern::parse("API.example.com").unwrap();
    assert!(exact.matches(&url("https://api.example.com/x")));
    assert!(!exact.matches(&url("https://evil-api.example.com/x")));
    assert!(!exact.matches(&url("https://api.example.com.evil.net/x")));
    let port = HostPattern::parse("127.0.0.1:8080").unwrap();
    assert!(port.matches(&url("http://127.0.0.1:8080/")));
    assert!(!port.matches(&url("http://127.0.0.1:8081/")));
    let https = HostPattern::parse("example.com:443").unwrap();
    assert!(https.matches(&url("https://example.com/")));
    let wild = HostPattern::parse("*.example.com").unwrap();
    assert!(wild.matches(&url("https://a.b.example.com/")));
    assert!(!wild.matches(&url("https://example.com/")));
    assert!(!wild.matches(&url("https://notexample.com/")));
    let v6 = HostPattern::parse("[::1]:9000").unwrap();
    assert!(v6.matches(&url("http://[::1]:9000/")));
    assert!(HostPattern::parse("*").unwrap_err().contains("every host"));
    assert!(HostPattern::parse("a*.example.com").is_err());
    assert!(HostPattern::parse("example.com:http").is_err());
}

#[test]
fn flag_rules_parse_static_and_oauth() {
    let rule =
        RuleSpec::parse_flag("host=api.github.com,header=Authorization,value=Bearer a,b,c,methods=get;POST").unwrap();
    assert_eq!(rule.methods.as_deref(), Some(&["GET".to_owned(), "POST".to_owned()][..]));
    let Source::Static(headers) = &rule.source else { panic!("static") };
    assert_eq!(headers[0].0, "authorization");
    assert_eq!(headers[0].1.0, "Bearer a,b,c", "a value keeps its commas");
    assert!(rule.applies(&url("https://api.github.com/user"), "GET"));
    assert!(!rule.applies(&url("https://api.github.com/user"), "DELETE"));

    let rule = RuleSpec::parse_flag(
        "host=*.example.com,header=Authorization,token_url=https://issuer/token,client_id=me,client_secret=s3cret,scope=read:all,refresh_buffer_secs=45",
    )
    .unwrap();
    let Source::OAuth(oauth) = &rule.source else { panic!("oauth") };
    assert_eq!(oauth.refresh_buffer.as_secs(), 45);
    assert_eq!(oauth.scope.as_deref(), Some("read:all"));
    let shown = format!("{rule:?}");
    assert!(!shown.contains("s3cret"), "Debug shows no secret: {shown}");

    for (bad, says) in [
        ("header=A,value=b", "host="),
        ("host=a,value=b", "header="),
        ("host=a,header=A", "value="),
        ("host=a,header=A,value=b,token_url=https://t", "not both"),
        ("host=a,header=A,value=b,client_id=x", "belong to token_url"),
        ("host=a,token_url=https://t,client_secret=x", "client_id"),
        ("host=a,token_url=ftp://t,client_id=x,client_secret=y", "not http"),
        ("host=a,header=A,value=b,methods=G ET", "not an HTTP method"),
        ("host=a,host=b,header=A,value=b", "twice"),
        ("nonsense", "expected"),
        ("host=*,header=A,value=b", "every host"),
    ] {
        let error = RuleSpec::parse_flag(bad).unwrap_err();
        assert!(error.contains(says), "{bad}: {error}");
    }
}

#[test]
fn json_rules_parse_the_reference_shape() {
    let rules = RuleSpec::parse_json(json!([
        {"host": "api.github.com", "methods": ["GET", "POST"], "headers": {"Authorization": "Bearer x", "X-GitHub-Api-Version": "2022-11-28"}},
        {"host": "api.example.com", "auth": {"type": "oauth_client_credentials", "header": "Authorization",
          "token_url": "https://issuer.example.com/oauth2/token", "client_id": "c", "client_secret": "s", "scope": "read:all", "refresh_buffer_secs": 45}}
    ]))
    .unwrap();
    assert_eq!(rules.len(), 2);
    assert!(matches!(&rules[0].source, Source::Static(h) if h.len() == 2));
    assert!(matches!(&rules[1].source, Source::OAuth(o) if o.client_id == "c"));

    let both =
        RuleSpec::parse_json(json!([{"host": "a", "headers": {"A": "b"}, "auth": {"type": "oauth_client_credentials",
        "token_url": "https://t", "client_id": "c", "client_secret": "s"}}]));
    assert!(both.unwrap_err().contains("rule 1: a rule has exactly one"));
    let kind = RuleSpec::parse_json(
        json!([{"host": "a", "auth": {"type": "basic", "token_url": "https://t", "client_id": "c", "client_secret": "s"}}]),
    );
    assert!(kind.unwrap_err().contains("not known"));
    assert!(RuleSpec::parse_json(json!([{"host": "a", "headers": {}, "extra": 1}])).is_err());
}
