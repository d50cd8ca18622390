// server: stateless
// args: {"execution_timeout_secs": 1}
// expect: timed_out
// Converting the result runs user code (toJSON); the timeout still applies.
({ toJSON() { for (;;) {} } })
