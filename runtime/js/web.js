// The web platform from Deno's own implementations (deno_webidl, deno_web,
// deno_fetch): fetch and what it is built on. Runs after bootstrap.js, in
// the base snapshot every isolate starts from; replaces bootstrap.js's
// URL, encoding, base64 and structuredClone with these, so that fetch
// recognizes what it is given (a URLSearchParams body, a Blob, ...).
//
// What is installed: fetch, Headers, Request, Response, FormData, URL,
// URLSearchParams, URLPattern, AbortController, AbortSignal, Event,
// EventTarget, CustomEvent, ErrorEvent, DOMException, the streams
// (ReadableStream and the rest, TextEncoderStream, TextDecoderStream,
// CompressionStream, DecompressionStream, the queuing strategies), Blob,
// File, FileReader, TextEncoder, TextDecoder, atob, btoa, structuredClone.
// Not installed: BroadcastChannel and MessageChannel (they would connect
// isolates), Deno.createHttpClient, file: fetches.
//
// Invariant: loaded with `__bootstrap` still a global; nothing here keeps a
// path to `Deno.core` that user code can reach. Deno's scripts are all
// loaded here, while the base snapshot is made, never later.
"use strict";

((globalThis) => {
  const { core, internals } = globalThis.__bootstrap;

  // deno_fetch reports to OpenTelemetry through these; tracing is the
  // gateway's (see src/fetch.rs), so they stay off here.
  internals.__telemetry = {
    TRACING_ENABLED: false,
    PROPAGATORS: [],
    builtinTracer() {},
    ContextManager: { active() {} },
    DID_NOT_ENTER: {},
    enterSpan() {},
    exitSpan() {},
  };
  internals.__telemetryUtil = {
    updateSpanFromClientResponse() {},
    updateSpanFromError() {},
    updateSpanFromRequest() {},
  };

  // Deno's scripts are lent, while they load, what they take from the
  // captured bootstrap (vendor/deno_core patch #4; taken once, nothing can
  // lend again):
  // - primordials whose SafeFinalizationRegistry is weak.js's (V8's own
  //   cannot be snapshotted with cleanups pending);
  // - ops that make native (cppgc) objects, wrapped so every such object is
  //   tracked: V8 cannot snapshot one (it crashes), so a session's heap that
  //   still holds one is refused with what to do instead.
  const lent = internals.lazyScriptBootstrap;
  delete internals.lazyScriptBootstrap;
  const { primordials } = globalThis.__bootstrap;
  const { track } = globalThis.__bootstrap.mcpv8;
  const ownPrimordials = lent.primordials;
  lent.primordials = primordials.ObjectFreeze(primordials.ObjectCreate(primordials, {
    SafeFinalizationRegistry: { value: globalThis.__bootstrap.mcpv8.InternalFinalizationRegistry, enumerable: true },
  }));
  const NATIVE = {
    op_encoding_new_decoder: ["TextDecoder in the middle of a stream",
      "finish the stream (a last decode() without {stream: true}) in the run that started it"],
    op_compression_new: ["CompressionStream or DecompressionStream",
      "close it and read it to the end in the run that made it"],
  };
  const ownOps = {};
  for (const name of primordials.ObjectKeys(NATIVE)) {
    const op = ownOps[name] = lent.core.ops[name];
    const [what, advice] = NATIVE[name];
    lent.core.ops[name] = function (...args) {
      const made = primordials.ReflectApply(op, this, args);
      track(made, what, advice);
      return made;
    };
  }
  const load = (specifier) => core.loadExtScript(specifier);
  const url = load("ext:deno_web/00_url.js");
  const urlPattern = load("ext:deno_web/01_urlpattern.js");
  const domException = load("ext:deno_web/01_dom_exception.js");
  const event = load("ext:deno_web/02_event.js");
  const structuredClone = load("ext:deno_web/02_structured_clone.js");
  const abortSignal = load("ext:deno_web/03_abort_signal.js");
  const base64 = load("ext:deno_web/05_base64.js");
  const streams = load("ext:deno_web/06_streams.js");
  const encoding = load("ext:deno_web/08_text_encoding.js");
  const file = load("ext:deno_web/09_file.js");
  const fileReader = load("ext:deno_web/10_filereader.js");
  const compression = load("ext:deno_web/14_compression.js");
  const headers = load("ext:deno_fetch/20_headers.js");
  const formData = load("ext:deno_fetch/21_formdata.js");
  const request = load("ext:deno_fetch/23_request.js");
  const response = load("ext:deno_fetch/23_response.js");
  const fetch = load("ext:deno_fetch/26_fetch.js");

  lent.primordials = ownPrimordials;
  primordials.ObjectAssign(lent.core.ops, ownOps);

  const globals = {
    URL: url.URL,
    URLSearchParams: url.URLSearchParams,
    URLPattern: urlPattern.URLPattern,
    DOMException: domException.DOMException,
    Event: event.Event,
    EventTarget: event.EventTarget,
    CustomEvent: event.CustomEvent,
    ErrorEvent: event.ErrorEvent,
    structuredClone: structuredClone.structuredClone,
    AbortController: abortSignal.AbortController,
    AbortSignal: abortSignal.AbortSignal,
    atob: base64.atob,
    btoa: base64.btoa,
    ReadableStream: streams.ReadableStream,
    ReadableStreamDefaultReader: streams.ReadableStreamDefaultReader,
    ReadableStreamBYOBReader: streams.ReadableStreamBYOBReader,
    ReadableStreamBYOBRequest: streams.ReadableStreamBYOBRequest,
    ReadableByteStreamController: streams.ReadableByteStreamController,
    ReadableStreamDefaultController: streams.ReadableStreamDefaultController,
    WritableStream: streams.WritableStream,
    WritableStreamDefaultWriter: streams.WritableStreamDefaultWriter,
    WritableStreamDefaultController: streams.WritableStreamDefaultController,
    TransformStream: streams.TransformStream,
    TransformStreamDefaultController: streams.TransformStreamDefaultController,
    ByteLengthQueuingStrategy: streams.ByteLengthQueuingStrategy,
    CountQueuingStrategy: streams.CountQueuingStrategy,
    TextEncoder: encoding.TextEncoder,
    TextDecoder: encoding.TextDecoder,
    TextEncoderStream: encoding.TextEncoderStream,
    TextDecoderStream: encoding.TextDecoderStream,
    CompressionStream: compression.CompressionStream,
    DecompressionStream: compression.DecompressionStream,
    Blob: file.Blob,
    File: file.File,
    FileReader: fileReader.FileReader,
    Headers: headers.Headers,
    FormData: formData.FormData,
    Request: request.Request,
    Response: response.Response,
    fetch: fetch.fetch,
  };
  for (const name of Object.keys(globals)) {
    Object.defineProperty(globalThis, name, {
      value: globals[name],
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }
})(globalThis);
