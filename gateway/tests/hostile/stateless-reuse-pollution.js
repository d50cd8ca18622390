// server: stateless
// expect: completed
// result: "polluted"
// A caller's stateless runs may share an isolate (a fresh context each, --isolate-reuse-runs).
// This run changes every built-in it can reach and leaves callbacks behind; the next run of the
// same caller must find every built-in as it was, its console working, and no line of this one.
Object.prototype.polluted = "LEAK-object";
Array.prototype.push = () => "LEAK-push";
Function.prototype.call = () => "LEAK-call";
Promise.prototype.then = function () { return "LEAK-then"; };
JSON.stringify = () => "LEAK-json";
Math.random = () => 4;
Error.prepareStackTrace = () => "LEAK-stack";
Error.stackTraceLimit = 0;
console.log = () => {};
Symbol.prototype.toString = () => "LEAK-symbol";
globalThis.setTimeout = () => "LEAK-timeout";
Object.freeze(Object.prototype);
Promise.resolve().constructor.prototype.catch = () => "LEAK-catch";
queueMicrotask(() => { globalThis.leak = "LEAK-microtask"; });
"polluted"
// ---
// as: bob
// expect: completed
// result: "undefined"
// Another caller in between (over HTTP without auth, each connection is its own caller).
typeof polluted
// ---
// expect: completed
// result: [null, 2, 5, "2", "[\"a\"]", false, "Error: fresh", "Symbol(s)", "ok", "undefined"]
// lacks: LEAK
const list = [];
list.push(1, 2);
console.log("console works");
const waited = await new Promise((resolve) => setTimeout(() => resolve("ok"), 5));
[
  ({}).polluted ?? null,
  list.length,
  Math.max.call(null, 5, 1),
  String(await Promise.resolve(2).then((x) => x)),
  JSON.stringify(["a"]),
  Math.random() === 4,
  new Error("fresh").stack.split("\n")[0],
  Symbol("s").toString(),
  waited,
  typeof leak,
]
