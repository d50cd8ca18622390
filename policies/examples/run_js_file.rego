# Example `run_js_file` policy: which files on the server `run_js` may take
# its code from (`file` instead of `code`).
#
# Input:
#   operation  "read"
#   path       absolute and canonical
#   execution_id, session, principal, claims (with auth)
package mcp.run_js_file

default allow := false

allow if {
	startswith(input.path, "/srv/scripts/")
	some suffix in {".js", ".ts", ".mjs"}
	endswith(input.path, suffix)
}
