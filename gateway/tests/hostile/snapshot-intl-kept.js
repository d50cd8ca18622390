// session: intl
// expect: completed
globalThis.kept = "yes"
// ---
// session: intl
// expect: failed
// error: HeapError
// error: Intl.NumberFormat
// V8 aborts the process on a snapshot holding a live Intl object: the
// heap is refused first, and the session stays where it was.
globalThis.money = new Intl.NumberFormat("en", { style: "currency", currency: "EUR" });
money.format(12)
// ---
// session: intl
// expect: completed
// result: ["yes","undefined","12,00\u00a0€"]
// Intl objects made and dropped within a run are fine.
[kept, typeof money, new Intl.NumberFormat("de", { style: "currency", currency: "EUR" }).format(12)]
