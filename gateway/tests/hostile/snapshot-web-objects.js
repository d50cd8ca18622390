// session: web
// expect: completed
// result: 1
// Streams, abort signals and blobs register with FinalizationRegistries
// inside Deno's scripts; collected before the snapshot, they must not abort
// V8 (which refuses native registries with pending cleanups).
for (let i = 0; i < 2000; i++) {
  const s = new ReadableStream({ start(c) { c.enqueue(new Uint8Array(256)); c.close(); } });
  await s.getReader().read();
  AbortSignal.any([new AbortController().signal]);
  await new Blob(["x".repeat(128)]).text();
}
let junk = []; for (let i = 0; i < 300; i++) junk.push(new Array(20000).fill(i)); junk = null;
globalThis.kept = new ReadableStream({ start(c) { c.enqueue("still here"); c.close(); } });
1
// ---
// session: web
// expect: completed
// result: "still here"
// A plain JS stream is part of the heap and survives the snapshot.
(await kept.getReader().read()).value
// ---
// session: web
// expect: failed
// error: HeapError
// error: Blob
// A Blob's bytes live outside the heap: keeping one is refused, clearly.
globalThis.blob = new Blob(["bytes outside the heap"]);
// ---
// session: web
// expect: completed
// result: ["undefined", "string"]
// The refused run left the session as it was; the bytes, read, can be kept.
globalThis.text = await new Blob(["bytes outside the heap"]).text();
[typeof blob, typeof text]
// ---
// session: web
// expect: failed
// error: HeapError
// error: TextDecoder in the middle of a stream
// Deno keeps a streaming decoder's state in native memory, which V8 cannot
// snapshot (it would crash): refused, with what to do instead.
globalThis.decoder = new TextDecoder();
decoder.decode(new Uint8Array([0xe2]), { stream: true }).length
// ---
// session: web
// expect: failed
// error: HeapError
// error: CompressionStream
globalThis.zip = new CompressionStream("gzip");
// ---
// session: web
// expect: completed
// result: ["string", "€", true]
// Finished within the run, both are fine; the session is where it was.
const d = new TextDecoder();
d.decode(new Uint8Array([0xe2]), { stream: true });
const zipped = await new Response(new Blob(["x".repeat(1000)]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
[typeof text, d.decode(new Uint8Array([0x82, 0xac])), zipped.byteLength < 100]
