// server: stateless
// expect: failed
// error: memory limit exceeded
// The repro: a 64 MB budget, four 1 GiB arrays, filled.
const keep = [];
for (let i = 0; i < 4; i++) keep.push(new Uint8Array(1 << 30).fill(1));
keep.length
