# Example `mcp_tools` policy: which upstream MCP tools `mcp.callTool` may call.
# (Evaluated at data.mcp.tools.allow, as the reference does.)
#
# Input:
#   server     the upstream server's name
#   tool       the tool's name
#   arguments  the call's arguments
#   execution_id, session, principal, claims (with auth)
package mcp.tools

default allow := false

# Read-only GitHub tools.
allow if {
	input.server == "github"
	some prefix in {"get_", "list_", "search_"}
	startswith(input.tool, prefix)
}

# Any tool of the "docs" server.
allow if input.server == "docs"

reason := sprintf("%s/%s is not allowed", [input.server, input.tool]) if not allow
