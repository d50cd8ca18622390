// session: cut
// expect: completed
globalThis.before = 1
// ---
// session: cut
// expect: failed
// error: HeapError
// error: web platform that failed to load
// The web platform loads on first use; reached with almost no stack left,
// its load is cut short. Every later read in that run says so, and the
// session does not keep a heap with it half loaded.
let depth = 0;
try { (function probe() { depth++; probe(); })(); } catch {}
function at(n) { if (n > 0) return at(n - 1); return typeof globalThis.ReadableStream; }
const out = [];
for (let d = depth; d > 0; d -= 3) {
  try { const r = at(d); out.push(r); if (r === "function") break; }
  catch (e) { if (out[out.length - 1] !== e.message) out.push(e.message); }
}
globalThis.out = out;
out.slice(-2)
// ---
// session: cut
// expect: completed
// result: [1, "undefined", "ok"]
// The session is where it was, and the platform loads whole this time.
[before, typeof out, await new Response("ok").text()]
