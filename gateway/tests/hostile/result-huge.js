// server: stateless
// expect: failed
// error: result too large
// JSON.stringify never checks for termination: a huge result is refused
// while it is written, before it fills the heap.
new Uint8Array(32 << 20)
