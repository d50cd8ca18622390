// server: stateless
// expect: failed
// error: memory limit exceeded
// A module that grows its own memory from inside WebAssembly, where no
// JavaScript wrapper sees it.
const bytes = new Uint8Array([0,97,115,109,1,0,0,0,1,6,1,96,1,127,1,127,3,2,1,0,5,3,1,0,1,7,14,2,3,109,101,109,2,0,4,103,114,111,119,0,0,10,8,1,6,0,32,0,64,0,11]);
const { instance } = await WebAssembly.instantiate(bytes);
let pages = 0;
while (instance.exports.grow(64) >= 0) {
  pages += 64;
  new Uint8Array(instance.exports.mem.buffer, pages * 65536 - 65536, 65536).fill(1);
}
pages
