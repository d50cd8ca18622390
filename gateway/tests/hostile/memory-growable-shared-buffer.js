// server: stateless
// expect: failed
// error: memory limit exceeded
// Growable SharedArrayBuffers are counted at their maximum.
const list = [];
for (let i = 0; i < 100; i++) list.push(new SharedArrayBuffer(0, { maxByteLength: 16 << 20 }));
list.length
