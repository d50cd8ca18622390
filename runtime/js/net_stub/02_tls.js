// Stands in for deno_net's TLS helpers, which deno_fetch loads for
// `Deno.createHttpClient` (out of reach of user code here): no client
// certificates.
"use strict";

(function () {
  function loadTlsKeyPair() {
    throw new TypeError("custom HTTP clients are not available");
  }
  return { loadTlsKeyPair };
})();
