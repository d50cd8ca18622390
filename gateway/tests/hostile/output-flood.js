// server: stateless
// args: {"execution_timeout_secs": 2}
// expect: timed_out
// contains: "output_truncated":true
// contains: dropped at the output cap
for (;;) console.log("x".repeat(10000));
