// server: stateless
// expect: completed
// result: {"a":{"v":1},"b":{"v":1},"self":"[Circular]"}
// An object that appears twice is not a cycle; one that contains itself is.
const shared = { v: 1 };
const value = { a: shared, b: shared };
value.self = value;
value
