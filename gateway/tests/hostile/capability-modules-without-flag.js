// expect: failed
// error: modules denied: import 'npm:left-pad@1.3.0'
// error: --allow-external-modules
// No flag, no imports: refused before anything is resolved or fetched.
import pad from "npm:left-pad@1.3.0";
pad("x", 3)
// ---
// expect: failed
// error: TypeError
// error: --allow-external-modules
// Not through import() either, nor from the cloud metadata service.
await import("http://169.254.169.254/latest/meta-data/")
// ---
// expect: failed
// error: SyntaxError
// error: export declarations are not available
// A run is a script: it exports nothing.
export const leaked = 1;
// ---
// expect: failed
// error: --allow-external-modules
// deno_core's own modules stay out of reach.
await import("ext:core/ops")
// ---
// expect: completed
// result: "object"
// A failed import leaves the session as it was.
typeof globalThis
