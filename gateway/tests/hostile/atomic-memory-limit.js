// session: bank-memory
// expect: completed
globalThis.balance = 100
// ---
// session: bank-memory
// expect: failed
// error: memory limit exceeded
balance = -5;
globalThis.hoard = [];
for (;;) hoard.push(new ArrayBuffer(8 << 20));
// ---
// session: bank-memory
// result: [100,"undefined"]
[balance, typeof hoard]
