// server: stateless
// expect: completed
// result: [[],[]]
// No upstream servers: empty lists, not errors.
[mcp.servers, mcp.listTools()]
// ---
// expect: failed
// error: mcp_tools denied: tools/call github.delete_repository
// error: a `mcp_tools` policy in --policies-json turns it on
// Decided before anything else, and denied without a policy.
await mcp.callTool("github", "delete_repository", { owner: "x", repo: "y" })
// ---
// expect: failed
// error: TypeError
// error: the arguments must be an object
// Arguments that are not an object are refused in JS.
await mcp.callTool("github", "x", [1, 2, 3])
// ---
// expect: failed
// error: TypeError
// error: exception during value conversion
// Arguments cross as plain data: a getter that throws fails the call before anything is decided or sent.
await mcp.callTool({ toString() { return "srv"; } }, "t", { get boom() { throw new Error("getter ran"); } })
// ---
// expect: completed
// result: "object"
// The global can be replaced by the run; internals stay out of reach.
globalThis.mcp = null; typeof globalThis.Deno === "undefined" && typeof McpToolError === "function" ? "object" : "leak"
