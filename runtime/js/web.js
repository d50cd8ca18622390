// The web platform from Deno's own implementations (deno_webidl, deno_web,
// deno_fetch, deno_crypto). Runs after weak.js, in the base snapshot every isolate
// starts from.
//
// None of it is in the base snapshot (which every isolate deserializes and
// every session snapshot re-serializes; with it, the base was 2.6 times
// larger). Each group loads when user code first reads one of its globals:
// - the basics: URL, URLSearchParams, DOMException, Event, EventTarget,
//   CustomEvent, ErrorEvent, structuredClone, AbortController, AbortSignal,
//   atob, btoa, TextEncoder, TextDecoder, TextEncoderStream,
//   TextDecoderStream;
// - the rest (after the basics): fetch, Headers, Request, Response,
//   FormData, URLPattern, the streams (ReadableStream and the rest, the
//   queuing strategies, CompressionStream, DecompressionStream), Blob, File,
//   FileReader;
// - crypto (after the basics): crypto.subtle, CryptoKey, SubtleCrypto;
// - WebSocket, CloseEvent, MessageEvent (after the rest).
// A session that used them keeps them in its heap (but no crypto.subtle
// object, and it makes no keys: see below).
// Not installed: BroadcastChannel and MessageChannel (they would connect
// isolates), Deno.createHttpClient, file: fetches.
//
// Invariant: nothing here keeps a path to `Deno.core` or to the captured
// bootstrap that user code can reach (they live in this closure); our own
// scripts (bootstrap, fs, process, guards) read no lazy global while the
// base snapshot is made.
"use strict";

((globalThis) => {
  const { core, internals, primordials } = globalThis.__bootstrap;
  const mcpv8 = globalThis.__bootstrap.mcpv8;
  const { ObjectDefineProperty, ObjectGetOwnPropertyDescriptor, ObjectKeys, ReflectApply } = primordials;

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
  // captured bootstrap (vendor/deno_core patch #4; taken once, and kept in
  // this closure only):
  // - primordials whose SafeFinalizationRegistry is weak.js's (V8's own
  //   cannot be snapshotted with cleanups pending);
  // - ops that make native (cppgc) objects, wrapped so every such object is
  //   tracked: V8 cannot snapshot one (it crashes), so a session's heap that
  //   still holds one is refused with what to do instead.
  const lent = internals.lazyScriptBootstrap;
  delete internals.lazyScriptBootstrap;
  const lentPrimordials = primordials.ObjectFreeze(primordials.ObjectCreate(primordials, {
    SafeFinalizationRegistry: { value: mcpv8.InternalFinalizationRegistry, enumerable: true },
  }));
  const NATIVE = {
    op_encoding_new_decoder: ["TextDecoder in the middle of a stream",
      "finish the stream (a last decode() without {stream: true}) in the run that started it"],
    op_compression_new: ["CompressionStream or DecompressionStream",
      "close it and read it to the end in the run that made it"],
  };
  const ownOps = {};
  const trackingOps = {};
  for (const name of ObjectKeys(NATIVE)) {
    const op = ownOps[name] = lent.core.ops[name];
    const [what, advice] = NATIVE[name];
    trackingOps[name] = function (...args) {
      const made = ReflectApply(op, this, args);
      mcpv8.track(made, what, advice);
      return made;
    };
  }

  /** Loads Deno's scripts with the lent primordials and ops. */
  function loadAll(specifiers) {
    const ownPrimordials = lent.primordials;
    lent.primordials = lentPrimordials;
    primordials.ObjectAssign(lent.core.ops, trackingOps);
    try {
      const loaded = [];
      for (let i = 0; i < specifiers.length; i++) loaded[i] = core.loadExtScript(specifiers[i]);
      return loaded;
    } finally {
      lent.primordials = ownPrimordials;
      primordials.ObjectAssign(lent.core.ops, ownOps);
    }
  }

  const define = (name, value) =>
    ObjectDefineProperty(globalThis, name, { value, writable: true, enumerable: false, configurable: true });

  /** A group of globals made by Deno's scripts, loaded (with the groups it
   *  needs first) when user code first reads one of its names; a name user
   *  code set first keeps its value. `build` maps the loaded scripts to the
   *  globals. */
  function lazyGroup(names, specifiers, build, needs = undefined) {
    const getters = {};
    let loaded = false;
    // A load cut short (a stack overflow caught by user code, say) cannot
    // be retried (deno_core gives a script's source out once): the group
    // stays broken in this isolate, every read says why, and a snapshot
    // check keeps a session's heap from being kept with it.
    let broken;
    function load() {
      if (loaded) return;
      if (broken !== undefined) throw new TypeError(`the web platform failed to load in this run: ${broken?.message ?? broken}`);
      try {
        if (needs !== undefined) needs();
        const globals = build(loadAll(specifiers));
        for (const name of names) {
          const desc = ObjectGetOwnPropertyDescriptor(globalThis, name);
          if (desc !== undefined && desc.get === getters[name]) define(name, globals[name]);
        }
        loaded = true;
      } catch (error) {
        // No call here: this may run with no stack left.
        broken = error;
        throw error;
      }
    }
    mcpv8.addSnapshotCheck(() =>
      broken === undefined
        ? undefined
        : "web platform that failed to load: use fetch, streams, URL and the like before recursing deeply, in a new run"
    );
    for (const name of names) {
      const get = getters[name] = function () {
        load();
        const desc = ObjectGetOwnPropertyDescriptor(globalThis, name);
        return desc?.get === get ? undefined : globalThis[name];
      };
      ObjectDefineProperty(globalThis, name, {
        get,
        set(value) {
          define(name, value);
        },
        enumerable: false,
        configurable: true,
      });
    }
    return load;
  }

  // URLs, text, events, errors, cloning, base64.
  const loadBasics = lazyGroup(
    [
      "URL", "URLSearchParams", "DOMException", "Event", "EventTarget", "CustomEvent", "ErrorEvent",
      "structuredClone", "AbortController", "AbortSignal", "atob", "btoa", "TextEncoder", "TextDecoder",
      "TextEncoderStream", "TextDecoderStream",
    ],
    [
      "ext:deno_web/00_url.js",
      "ext:deno_web/01_dom_exception.js",
      "ext:deno_web/02_event.js",
      "ext:deno_web/02_structured_clone.js",
      "ext:deno_web/03_abort_signal.js",
      "ext:deno_web/05_base64.js",
      "ext:deno_web/08_text_encoding.js",
    ],
    ([url, domException, event, structuredClone, abortSignal, base64, encoding]) => ({
      URL: url.URL,
      URLSearchParams: url.URLSearchParams,
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
      TextEncoder: encoding.TextEncoder,
      TextDecoder: encoding.TextDecoder,
      TextEncoderStream: encoding.TextEncoderStream,
      TextDecoderStream: encoding.TextDecoderStream,
    }),
  );

  // What guards.js made of the rest (its Blob tracks the bytes it holds).
  let guarded;

  // Streams, blobs and fetch. guards.js wraps what a session's heap must
  // not keep (Blobs, fetch responses) before user code sees it.
  const loadRest = lazyGroup(
    [
      "fetch", "Headers", "Request", "Response", "FormData", "URLPattern",
      "ReadableStream", "ReadableStreamDefaultReader", "ReadableStreamBYOBReader",
      "ReadableStreamBYOBRequest", "ReadableByteStreamController",
      "ReadableStreamDefaultController", "WritableStream", "WritableStreamDefaultWriter",
      "WritableStreamDefaultController", "TransformStream", "TransformStreamDefaultController",
      "ByteLengthQueuingStrategy", "CountQueuingStrategy", "CompressionStream",
      "DecompressionStream", "Blob", "File", "FileReader",
    ],
    [
      "ext:deno_web/01_urlpattern.js",
      "ext:deno_web/06_streams.js",
      "ext:deno_web/09_file.js",
      "ext:deno_web/10_filereader.js",
      "ext:deno_web/14_compression.js",
      "ext:deno_fetch/20_headers.js",
      "ext:deno_fetch/21_formdata.js",
      "ext:deno_fetch/23_request.js",
      "ext:deno_fetch/23_response.js",
      "ext:deno_fetch/26_fetch.js",
    ],
    ([urlPattern, streams, file, fileReader, compression, headers, formData, request, response, fetch]) =>
      guarded = mcpv8.guardWeb({
        fetch: fetch.fetch,
        Headers: headers.Headers,
        Request: request.Request,
        Response: response.Response,
        FormData: formData.FormData,
        URLPattern: urlPattern.URLPattern,
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
        CompressionStream: compression.CompressionStream,
        DecompressionStream: compression.DecompressionStream,
        Blob: file.Blob,
        File: file.File,
        FileReader: fileReader.FileReader,
      }),
    loadBasics,
  );

  // crypto.subtle and CryptoKey, from deno_crypto. Its objects are native
  // (cppgc). A CryptoKey holds global handles, with which V8 aborts the
  // process when it snapshots (or discards) an isolate: keys are made only
  // in stateless isolates (`allowCryptoKeys`, from installStatelessGuards);
  // in a session every way to a key throws NotSupportedError (which leaves
  // digest). The SubtleCrypto object holds no handles: it is tracked
  // (a session cannot keep it) and made again once the last one was
  // collected, not kept for good as deno_crypto's own singleton would be.
  // deno_crypto keeps the brand symbols it stamps on keys per thread, and a
  // V8 thread runs many isolates: every way to a new key registers this
  // isolate's symbols first (the engine forgets them when a run ends).
  internals.kKeyObject ??= primordials.Symbol("kKeyObject");
  let keysAllowed = false;
  mcpv8.allowCryptoKeys = () => {
    keysAllowed = true;
  };
  let api;
  let brand;
  let DOMExceptionClass;
  function beforeKey() {
    if (!keysAllowed) {
      throw new DOMExceptionClass(
        "CryptoKeys are not available in sessions (V8 cannot snapshot a heap that made one); " +
          "crypto.subtle.digest is, and a stateless server (--stateless) has every key operation",
        "NotSupportedError",
      );
    }
    api.Crypto.registerSymbols(brand, internals.kKeyObject);
  }
  function guardKeyMaking(target, name) {
    const method = target[name];
    const async = name !== "fromCloneData";
    const wrapped = async
      ? {
        async [name](...args) {
          beforeKey();
          return await ReflectApply(method, this, args);
        },
      }[name]
      : {
        [name](...args) {
          beforeKey();
          return ReflectApply(method, this, args);
        },
      }[name];
    ObjectDefineProperty(wrapped, "length", { value: method.length, configurable: true });
    ObjectDefineProperty(target, name, { value: wrapped, writable: true, enumerable: true, configurable: true });
  }
  const loadCrypto = lazyGroup(
    ["CryptoKey", "SubtleCrypto"],
    ["ext:deno_webidl/00_webidl.js", "ext:deno_web/01_dom_exception.js", "ext:deno_crypto/00_crypto.js"],
    ([webidl, domException, crypto]) => {
      api = crypto;
      brand = webidl.brand;
      DOMExceptionClass = domException.DOMException;
      const proto = crypto.SubtleCrypto.prototype;
      for (const name of ["generateKey", "importKey", "deriveKey", "unwrapKey", "getPublicKey", "encapsulateKey", "decapsulateKey"]) {
        guardKeyMaking(proto, name);
      }
      guardKeyMaking(crypto.CryptoKey, "fromCloneData");
      // Node's KeyObject interop: no Node here.
      delete crypto.CryptoKey.importSync;
      delete crypto.CryptoKey.exportNodeMaterial;
      return { CryptoKey: crypto.CryptoKey, SubtleCrypto: crypto.SubtleCrypto };
    },
    loadBasics,
  );
  let subtleRef;
  ObjectDefineProperty(globalThis.crypto, "subtle", {
    get() {
      loadCrypto();
      let made = subtleRef === undefined ? undefined : primordials.WeakRefPrototypeDeref(subtleRef);
      if (made === undefined) {
        made = api.SubtleCrypto.create();
        made[brand] = brand;
        mcpv8.track(made, "crypto.subtle", "read crypto.subtle in each run instead of keeping it in a global");
        subtleRef = new primordials.SafeWeakRef(made);
      }
      return made;
    },
    enumerable: true,
    configurable: true,
  });

  // WebSocket (js/websocket.js, over src/websocket.rs), behind the fetch
  // policy; binary messages come as the guarded Blob.
  lazyGroup(
    ["WebSocket", "CloseEvent", "MessageEvent"],
    ["ext:deno_web/00_url.js", "ext:deno_web/01_dom_exception.js", "ext:deno_web/02_event.js", "ext:deno_web/08_text_encoding.js"],
    ([url, domException, event, encoding]) => ({
      WebSocket: mcpv8.makeWebSocket({
        EventTarget: event.EventTarget,
        Event: event.Event,
        MessageEvent: event.MessageEvent,
        CloseEvent: event.CloseEvent,
        DOMException: domException.DOMException,
        Blob: guarded.Blob,
        URL: url.URL,
        TextEncoder: encoding.TextEncoder,
        defineEventHandler: event.defineEventHandler,
        setIsTrusted: event.setIsTrusted,
      }),
      CloseEvent: event.CloseEvent,
      MessageEvent: event.MessageEvent,
    }),
    loadRest,
  );

  /** Loads all of it now: for the second base snapshot, which stateless
   *  runs that name these globals start from (see isolate.rs). */
  mcpv8.loadWebPlatform = loadRest;
})(globalThis);
