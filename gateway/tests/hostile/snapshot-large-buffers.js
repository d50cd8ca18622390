// session: big
// args: {"heap_memory_max_mb": 512}
// expect: failed
// error: --max-snapshot-bytes
// Buffers over the snapshot limit (256 MiB by default): refused with the
// limit named, instead of V8 failing a check and aborting.
globalThis.big = [new Uint8Array(200 << 20), new Uint8Array(100 << 20)];
big.length
// ---
// session: big
// expect: completed
// result: "undefined"
typeof big
