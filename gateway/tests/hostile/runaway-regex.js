// server: stateless
// args: {"execution_timeout_secs": 1}
// expect: timed_out
// Catastrophic backtracking.
/^(a+)+$/.test("a".repeat(40) + "!")
