// server: stateless
// expect: completed
// result: true
// A stateless run that ends with work still pending in V8: a FinalizationRegistry with garbage
// to clean up, an Atomics.waitAsync that times out later, a WebAssembly compile (which may finish
// first) and a promise that never settles. None of it may reach a later run of the same caller: not its globals, not
// its output (a guard for any reuse of isolates between runs).
globalThis.leak = "LEAK-global";
globalThis.registry = new FinalizationRegistry((held) => {
  console.log("LEAK-finalizer", held);
  globalThis.leak = "LEAK-finalizer";
});
for (let i = 0; i < 2000; i++) registry.register({ payload: new Array(50).fill(i) }, i);
const cell = new Int32Array(new SharedArrayBuffer(4));
const waited = Atomics.waitAsync(cell, 0, 0, 300);
if (waited.async) waited.value.then(() => { console.log("LEAK-wait-async"); globalThis.leak = "LEAK-wait-async"; });
WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(() => { console.log("LEAK-wasm"); });
new Promise(() => {});
waited.async // the wait is still pending when the run ends
// ---
// args: {"execution_timeout_secs": 1}
// expect: timed_out
// The same, left by a run that is stopped: a timer, a waitAsync and a registry outlive it.
globalThis.leak = "LEAK-global";
globalThis.registry = new FinalizationRegistry(() => console.log("LEAK-finalizer"));
for (let i = 0; i < 2000; i++) registry.register({ payload: new Array(50).fill(i) }, i);
setTimeout(() => console.log("LEAK-timer"), 1200);
const waited = Atomics.waitAsync(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1200);
if (waited.async) waited.value.then(() => console.log("LEAK-wait-async"));
while (true) {}
// ---
// expect: completed
// result: "clean"
// lacks: LEAK
// Long enough for every leftover above to come due, with garbage for finalizers to run on.
await new Promise((resolve) => setTimeout(resolve, 600));
for (let i = 0; i < 200; i++) new Array(10000).fill(i);
await new Promise((resolve) => setTimeout(resolve, 50));
globalThis.leak === undefined && globalThis.registry === undefined ? "clean" : `found ${globalThis.leak}`
