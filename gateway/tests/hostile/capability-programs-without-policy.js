// server: stateless
// expect: failed
// error: PermissionDenied
// error: subprocess denied: exec sh -c
// No policy, no programs.
await child_process.execFile("sh", ["-c", "touch /tmp/mcp-v8-hostile-ran"])
// ---
// expect: failed
// error: subprocess denied
await new child_process.Command("/bin/echo", { args: ["x"] }).output()
// ---
// tool: run_js
// contains: --allow-run-js-file
{"file": "/etc/passwd"}
