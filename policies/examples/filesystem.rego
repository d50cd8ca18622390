# Example `filesystem` policy: what the global `fs` may touch.
#
# Input (paths are absolute and canonical: links resolved, no `..`):
#   operation    "readFile" | "writeFile" | "appendFile" | "readdir" | "stat" | "exists"
#                | "mkdir" | "rm" | "rename" | "copyFile"
#   path         the file or directory
#   destination  for "rename" and "copyFile": where to
#   source       a "rename" or "copyFile" is decided twice: once for its source
#                (`path`, with `destination`), once for its destination (`path`,
#                with `source`); both must allow
#   recursive    for "mkdir" and "rm"
#   execution_id, session, principal, claims (with auth)
package mcp.filesystem

# Anything under here may be read.
readable := ["/srv/data/", "/tmp/mcp-v8-scratch/"]

# Only this may be written, and each session has its own folder in it.
scratch := "/tmp/mcp-v8-scratch/"

reads := {"readFile", "readdir", "stat", "exists"}

writes := {"writeFile", "appendFile", "mkdir", "rm", "rename", "copyFile"}

default allow := false

allow if {
	input.operation in reads
	some prefix in readable
	startswith(input.path, prefix)
}

allow if {
	input.operation in writes
	startswith(input.path, scratch)
	input.path != scratch
	not input.destination
}

allow if {
	input.operation in {"rename", "copyFile"}
	startswith(input.path, scratch)
	startswith(input.destination, scratch)
}

reason := "writes go to /tmp/mcp-v8-scratch/ only" if input.operation in writes
