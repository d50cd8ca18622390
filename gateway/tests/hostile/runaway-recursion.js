// server: stateless
// expect: failed
// error: RangeError
const f = (n) => f(n + 1) + 1;
f(0)
