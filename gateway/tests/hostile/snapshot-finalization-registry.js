// session: finalizers
// expect: completed
// V8 aborts the process on a snapshot with pending finalization cleanups;
// FinalizationRegistry here is built on WeakRef, which snapshots.
globalThis.cleaned = [];
globalThis.registry = new FinalizationRegistry((held) => cleaned.push(held));
for (let i = 0; i < 1000; i++) registry.register({ payload: new Array(100).fill(i) }, i);
globalThis.ref = new WeakRef(globalThis);
registry instanceof FinalizationRegistry
// ---
// session: finalizers
// expect: completed
// result: true
typeof cleaned.length === "number" && ref.deref() === globalThis
