# Example `mcp_tools` policy: which upstream MCP tools `mcp.callTool` may call.
# (Evaluated at data.mcp.tools.allow, as the reference does.)
#
# Input:
#   operation  mcp_call_tool; with --expose-upstream-tools also
#              mcp_read_resource (with uri) and mcp_get_prompt (with prompt)
#   server     the upstream server's name
#   tool       the tool's name (mcp_call_tool)
#   arguments  the call's (or the prompt's) arguments
#   execution_id, session, principal, claims (with auth)
package mcp.tools

default allow := false

# Read-only GitHub tools.
allow if {
	input.operation == "mcp_call_tool"
	input.server == "github"
	some prefix in {"get_", "list_", "search_"}
	startswith(input.tool, prefix)
}

# Any tool, resource or prompt of the "docs" server.
allow if input.server == "docs"

reason := sprintf("%s/%s is not allowed", [input.server, object.get(input, "tool", input.operation)]) if not allow
