// session: bank-timeout
// expect: completed
globalThis.balance = 100
// ---
// session: bank-timeout
// args: {"execution_timeout_secs": 1}
// expect: timed_out
// save: stuck
balance = -1;
while (true) {}
// ---
// session: bank-timeout
// result: 100
balance
// ---
// args: {"heap": "{{stuck.heap}}"}
// result: -1
// The failed run's heap is stored and can be resumed on purpose.
balance
