// server: stateless
// expect: failed
// error: memory limit exceeded
// Catching the RangeError does not get a run past its budget.
const keep = [];
try { for (;;) keep.push(new ArrayBuffer(8 << 20)); } catch (e) { "caught " + keep.length }
