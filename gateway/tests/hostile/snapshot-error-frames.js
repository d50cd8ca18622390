// session: frames
// expect: failed
// error: RangeError
// contains: at f (run_js:
// A session's isolate keeps no frames on its errors (its
// `Error.stackTraceLimit` is sealed); an uncaught error is still reported
// with the frames of V8's own trace, read when the run fails: a stack
// overflow, eval'd code and a constructor must not upset that.
const f = (n) => f(n + 1) + 1;
f(0)
// ---
// session: frames
// expect: failed
// error: TypeError
// contains: at g (
eval("function g() { null.x }\ng()")
// ---
// session: frames
// expect: failed
// error: TypeError
// contains: at new A (run_js:
class A { constructor() { null.x } }
new A()
// ---
// session: frames
// expect: completed
// result: "undefined"
typeof new Error("x").stack
