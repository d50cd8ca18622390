// session: missing
// expect: failed
// error: SharedArrayBuffer is not defined
// V8 leaves SharedArrayBuffer and WebAssembly out of isolates that can be
// snapshotted: a clear ReferenceError, not a crash.
globalThis.shared = new SharedArrayBuffer(8)
// ---
// session: missing
// expect: failed
// error: WebAssembly is not defined
globalThis.memory = new WebAssembly.Memory({ initial: 1 })
