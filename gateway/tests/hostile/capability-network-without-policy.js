// server: stateless
// expect: failed
// error: PermissionDenied
// error: fetch denied: GET http://127.0.0.1:18099/
// error: a `fetch` policy in --policies-json turns it on
// No policy, no network: decided before anything is sent.
await fetch("http://127.0.0.1:18099/")
// ---
// expect: failed
// error: fetch denied: POST http://169.254.169.254/latest/api/token
// The cloud metadata service is no exception.
await fetch(new Request("http://169.254.169.254/latest/api/token", { method: "POST", body: "x" }))
// ---
// expect: failed
// error: TypeError
// error: only http: and https:
// Other schemes never reach a decision.
await fetch("file:///etc/passwd")
// ---
// expect: completed
// result: ["undefined","undefined","undefined"]
// Deno's own HTTP client and namespace stay out of reach.
[typeof Deno, typeof globalThis.createHttpClient, typeof globalThis.__bootstrap]
