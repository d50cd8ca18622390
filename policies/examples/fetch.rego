# Example `fetch` policy: which URLs `fetch()` (and `new WebSocket()`) may reach.
#
# Input (every redirect hop is decided again):
#   operation   "fetch", or "websocket" for a WebSocket's handshake (scheme ws/wss, method GET)
#   url         the absolute URL of this hop
#   method      "GET", "POST", ...
#   headers     the request's headers, names lower-case (injected ones excluded)
#   url_parsed  {scheme, host, port, path, query}
#   execution_id, session, principal, claims (with auth)
package mcp.fetch

# Read-only APIs anyone may call.
read_only_hosts := {"api.github.com", "example.com"}

# Hosts only callers in the "net-write" group may send data to.
write_hosts := {"example.com"}

default allow := false

allow if {
	input.url_parsed.scheme == "https"
	input.method in {"GET", "HEAD"}
	input.url_parsed.host in read_only_hosts
}

allow if {
	input.url_parsed.scheme == "https"
	input.method in {"POST", "PUT"}
	input.url_parsed.host in write_hosts
	startswith(input.url_parsed.path, "/api/")
	"net-write" in input.claims.groups
}

# A live feed, over TLS only.
allow if {
	input.operation == "websocket"
	input.url_parsed.scheme == "wss"
	input.url_parsed.host == "stream.example.com"
}

reason := "only https" if {
	input.operation == "fetch"
	input.url_parsed.scheme != "https"
}

reason := sprintf("%s is not an allowed host", [input.url_parsed.host]) if {
	input.url_parsed.scheme == "https"
	not input.url_parsed.host in read_only_hosts
	not input.url_parsed.host in write_hosts
}
