# Example `subprocess` policy: which programs user code may run.
#
# Input:
#   operation  "exec"
#   command    the program, as given (run without a shell)
#   args       its arguments
#   cwd        the working directory (absolute), or null
#   env        extra environment variables (an object), or {}
#   execution_id, session, principal, claims (with auth)
package mcp.subprocess

default allow := false

# echo anything.
allow if input.command in {"echo", "/bin/echo", "/usr/bin/echo"}

# git, read-only subcommands, no extra environment.
allow if {
	input.command in {"git", "/usr/bin/git"}
	input.args[0] in {"status", "log", "diff", "show"}
	count(input.env) == 0
}

reason := sprintf("%s may not be run", [input.command]) if not allow
