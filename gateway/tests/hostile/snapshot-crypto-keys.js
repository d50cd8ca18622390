// session: crypto
// expect: completed
// result: "ba7816bf"
// Hashing works in a session.
const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode("abc"));
[...new Uint8Array(d)].slice(0, 4).map((b) => b.toString(16).padStart(2, "0")).join("")
// ---
// session: crypto
// expect: failed
// error: NotSupportedError
// error: CryptoKeys are not available in sessions
// A CryptoKey holds handles V8 aborts on when it snapshots the heap: none is made.
globalThis.key = await crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, true, ["sign"]);
// ---
// session: crypto
// expect: failed
// error: NotSupportedError
// Nor through the structured-clone entry point, nor Node's interop.
[typeof CryptoKey.importSync, CryptoKey.fromCloneData({})]
// ---
// session: crypto
// expect: failed
// error: HeapError
// error: crypto.subtle
// The SubtleCrypto object itself is native: it cannot be kept either.
globalThis.subtle = crypto.subtle; 1
// ---
// session: crypto
// expect: completed
// result: ["undefined","undefined"]
// The session is where it was.
[typeof key, typeof subtle]
