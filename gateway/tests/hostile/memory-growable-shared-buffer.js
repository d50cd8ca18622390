// server: stateless
// expect: failed
// error: memory limit exceeded
// Growable SharedArrayBuffers are counted at their maximum.
const list = [];
for (let i = 0; i < 100; i++) list.push(new SharedArrayBuffer(0, { maxByteLength: 16 << 20 }));
list.length
// ---
// expect: failed
// error: memory limit exceeded
// The constructor reached another way: through a shared WebAssembly memory's
// buffer, before the global SharedArrayBuffer was ever read.
const SharedBuffer = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer.constructor;
const grown = [];
for (let i = 0; i < 100; i++) grown.push(new SharedBuffer(0, { maxByteLength: 16 << 20 }));
grown.length
// ---
// expect: failed
// error: memory limit exceeded
// Or through the global's property descriptor.
const Descriptor = Object.getOwnPropertyDescriptor(globalThis, "SharedArrayBuffer");
const Made = Descriptor.get ? Descriptor.get() : Descriptor.value;
const more = [];
for (let i = 0; i < 100; i++) more.push(new Made(0, { maxByteLength: 16 << 20 }));
more.length
