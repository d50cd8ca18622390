# Example `modules` policy: which ES modules `import` may load (the server
# runs with --allow-external-modules; npm:/jsr: go through esm.sh).
#
# Input (see policies/README.md):
#   operation       "import"
#   specifier       as written ("npm:lodash-es@4.17.21", "https://...", "./x.js")
#   specifier_type  "npm" | "jsr" | "url" | "relative"
#   resolved_url    the URL this hop fetches
#   url_parsed      {scheme, host, port, path, query} of resolved_url
#   referrer        the importing module's URL, or null for the run's code
#   execution_id, session, principal, claims (with auth)
package mcp.modules

default allow := false

# npm packages, pinned to an exact version, from a short list.
allowed_npm := {"lodash-es", "date-fns", "zod"}

allow if {
	input.specifier_type == "npm"
	[name, version] := split(trim_prefix(input.specifier, "npm:"), "@")
	name in allowed_npm
	regex.match(`^\d+\.\d+\.\d+`, version)
}

# What an esm.sh module imports in turn stays on esm.sh.
allow if {
	input.specifier_type == "relative"
	input.url_parsed.scheme == "https"
	input.url_parsed.host == "esm.sh"
	startswith(input.referrer, "https://esm.sh/")
}

# Any module from these hosts, over https.
allow if {
	input.specifier_type in {"url", "jsr"}
	input.url_parsed.scheme == "https"
	input.url_parsed.host in {"esm.sh", "jsr.io", "cdn.jsdelivr.net"}
}

reason := sprintf("%s is not an allowed module", [input.specifier]) if not allow
