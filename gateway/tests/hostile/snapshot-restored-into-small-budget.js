// session: grown
// args: {"heap_memory_max_mb": 512}
// expect: completed
// result: 1000000
globalThis.rows = [];
for (let i = 0; i < 1e6; i++) rows.push({ i, s: "row " + i });
rows.length
// ---
// session: grown
// args: {"heap_memory_max_mb": 16}
// expect: failed
// error: memory limit exceeded
// V8 cannot collect garbage while it restores a heap: restoring this one
// under 16 MB used to abort the process. It is refused instead.
rows.length
// ---
// session: grown
// args: {"heap_memory_max_mb": 512}
// expect: completed
// result: 1000000
rows.length
