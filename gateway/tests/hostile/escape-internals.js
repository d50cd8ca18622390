// server: stateless
// expect: completed
// result: ["undefined","undefined","undefined","undefined"]
// The runtime's internals are out of reach.
[typeof Deno, typeof __bootstrap, typeof __infra, typeof globalThis.Deno]
