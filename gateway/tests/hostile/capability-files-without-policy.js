// server: stateless
// expect: failed
// error: PermissionDenied
// error: filesystem denied: readFile /etc/passwd
// error: --policies-json
// No policy, no files: the error says what would turn them on.
await fs.readFile("/etc/passwd", "utf8")
// ---
// expect: failed
// error: filesystem denied: writeFile
// Nothing is written.
await fs.writeFile("/tmp/mcp-v8-hostile-planted", "x")
// ---
// expect: completed
// result: false
// The denied write had no effect (decided before anything is touched; this
// check is denied as well, so it is asked through a rejection).
await fs.exists("/tmp/mcp-v8-hostile-planted").then(() => true, (e) => e.name !== "PermissionDenied")
