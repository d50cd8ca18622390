// server: stateless
// args: {"execution_timeout_secs": 1}
// expect: timed_out|failed
// Atomics.wait on the only thread: nobody will ever notify it.
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)
