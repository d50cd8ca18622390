# Example `modules` policy: which ES modules `import` may load (with
# --allow-external-modules).
#
# Input:
#   specifier       as written in the code ("npm:lodash-es@4", "https://...")
#   specifier_type  "url" | "npm" | "jsr"
#   resolved_url    the URL it is fetched from
#   url_parsed      {scheme, host, port, path, query} of resolved_url
#   execution_id, session, principal, claims (with auth)
package mcp.modules

default allow := false

allow if {
	input.url_parsed.scheme == "https"
	input.url_parsed.host in {"esm.sh", "jsr.io", "cdn.jsdelivr.net"}
}

reason := sprintf("modules come from esm.sh, jsr.io or jsdelivr, not %s", [input.url_parsed.host]) if not allow
