// session: bank-throw
// expect: completed
globalThis.balance = 100
// ---
// session: bank-throw
// expect: failed
// error: refused
// contains: the session stays at heap
balance = -3;
throw new Error("refused")
// ---
// session: bank-throw
// result: 100
balance
