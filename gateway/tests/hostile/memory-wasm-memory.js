// server: stateless
// expect: failed
// error: memory limit exceeded
// A WebAssembly memory of 4 GiB, filled from JavaScript.
const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
memory.grow(65535);
new Uint8Array(memory.buffer).fill(1).length
