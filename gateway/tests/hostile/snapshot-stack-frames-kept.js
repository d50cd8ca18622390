// session: stacks
// expect: completed
// result: [null,false,"undefined"]
// A session's isolate captures no stack traces, and user code cannot turn
// them on: V8 aborted the process when it snapshotted a heap holding an
// error whose frames were captured but not formatted.
Error.stackTraceLimit = 10;
globalThis.kept = new Error("kept");
[Error.stackTraceLimit ?? null, Reflect.defineProperty(Error, "stackTraceLimit", { value: 10 }), typeof kept.stack]
// ---
// session: stacks
// expect: failed
// error: TypeError
"use strict";
Error.stackTraceLimit = 10;
// ---
// session: stacks
// expect: completed
// result: ["undefined","undefined",true]
// The session kept its heap, and it is still sealed after the restore.
const o = {};
Error.captureStackTrace(o);
[typeof kept.stack, typeof o.stack, Object.getOwnPropertyDescriptor(Error, "stackTraceLimit").configurable === false]
