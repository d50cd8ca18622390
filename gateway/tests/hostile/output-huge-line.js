// server: stateless
// expect: completed
// result: "logged"
// contains: "output_truncated":true
// contains: dropped at the output cap
// One console line of 40 MB is cut in JavaScript, not copied out of V8 whole.
console.log("y".repeat(40 << 20));
"logged"
