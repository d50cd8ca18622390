// session: bank-cancel
// expect: completed
globalThis.balance = 100
// ---
// session: bank-cancel
// cancel: true
// expect: cancelled
balance = -4;
await new Promise((resolve) => setTimeout(resolve, 60000));
// ---
// session: bank-cancel
// result: 100
balance
