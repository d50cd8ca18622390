// server: stateless
// expect: failed
// error: memory limit exceeded
// A resizable buffer's memory bypasses the allocator; its size is checked.
const b = new ArrayBuffer(0, { maxByteLength: 2 ** 32 });
b.resize(2 ** 31);
new Uint8Array(b).fill(7).length
