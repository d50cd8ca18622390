// Guards for what V8 neither bounds nor snapshots on its own. Runs after
// bootstrap.js, in the base snapshot every isolate starts from.
//
// - Memory: resizable ArrayBuffers, growable SharedArrayBuffers and
//   WebAssembly memories bypass the counting allocator (memory.rs). Their
//   sizes are checked against the run's budget where they are made or grown,
//   and a memory check is requested right after (it measures V8's external
//   memory and stops a run that went over).
// - Snapshots: V8 aborts the process when it snapshots a heap holding a live
//   Intl object, and a session's heap cannot keep what lives outside it
//   (Blob bytes, open fetch responses). Such objects are tracked through
//   WeakRefs so a run that keeps one can be refused before the snapshot.
//   (FinalizationRegistry, the other thing V8 will not snapshot, is
//   weak.js's, as is the tracker these use.)
//
// Invariant: the internals exported at the end are reached from Rust only
// (`__bootstrap` is hidden from user code); user code reaches the ops below
// only through the wrappers, which check their input.
"use strict";

((globalThis) => {
  const core = globalThis.Deno.core;
  const {
    op_mcpv8_memory_budget,
    op_mcpv8_memory_exceeded,
    op_mcpv8_memory_check,
    op_mcpv8_memory_reserve,
    op_mcpv8_wasm_module,
  } = core.ops;
  const {
    ArrayPrototypePush,
    FunctionPrototypeCall,
    JSONParse,
    ObjectDefineProperty,
    ObjectGetOwnPropertyDescriptor,
    ObjectGetOwnPropertyNames,
    ObjectGetPrototypeOf,
    ObjectValues,
    PromisePrototypeThen,
    Proxy,
    ReflectApply,
    ReflectConstruct,
    SymbolIterator,
    TypeError,
    RangeError,
    WeakRef,
    WeakRefPrototypeDeref,
  } = globalThis.__bootstrap.primordials;
  const internals = globalThis.__bootstrap.mcpv8;
  const { Error } = globalThis.__bootstrap.primordials;

  /** Replaces `obj[name]` with `value`, keeping the property's attributes. */
  function replace(obj, name, value) {
    const desc = ObjectGetOwnPropertyDescriptor(obj, name);
    ObjectDefineProperty(obj, name, {
      value,
      writable: desc ? desc.writable : true,
      enumerable: desc ? desc.enumerable : false,
      configurable: desc ? desc.configurable : true,
    });
  }

  /** Wraps a constructor so `hook(result)` sees every object it makes,
   *  whether called with `new`, as a function, or through a subclass. The
   *  prototype's `constructor` is the wrapper too, so the native one is not
   *  reachable from an instance. */
  function wrapConstructor(owner, name, { before, after }) {
    const Native = owner[name];
    const Wrapped = new Proxy(Native, {
      construct(target, args, newTarget) {
        if (before) before(args);
        const made = ReflectConstruct(target, args, newTarget);
        if (after) after(made);
        return made;
      },
      apply(target, thisArg, args) {
        if (before) before(args);
        const made = ReflectApply(target, thisArg, args);
        if (after && made !== null && (typeof made === "object" || typeof made === "function")) after(made);
        return made;
      },
    });
    replace(Native.prototype, "constructor", Wrapped);
    replace(owner, name, Wrapped);
    return Native;
  }

  /** Wraps a method of `proto`; keeps its name and length. */
  function wrapMethod(proto, name, wrap) {
    const desc = ObjectGetOwnPropertyDescriptor(proto, name);
    if (!desc || typeof desc.value !== "function") return;
    const native = desc.value;
    const wrapped = wrap(native);
    ObjectDefineProperty(wrapped, "name", { value: native.name });
    ObjectDefineProperty(wrapped, "length", { value: native.length });
    replace(proto, name, wrapped);
  }

  // ----------------------------------------------------------------- memory
  const WASM_PAGE = 65536;

  function toSize(value) {
    const n = Number(value);
    return n > 0 ? n : 0;
  }

  function exceeded(bytes, what) {
    op_mcpv8_memory_exceeded(bytes);
    throw new RangeError(`memory limit exceeded: ${what} of ${bytes} bytes is more than heap_memory_max_mb allows`);
  }

  function checkSize(bytes, what) {
    if (bytes > op_mcpv8_memory_budget()) exceeded(bytes, what);
  }

  function maxByteLength(options) {
    if (options === null || (typeof options !== "object" && typeof options !== "function")) return undefined;
    return options.maxByteLength;
  }

  // A resizable ArrayBuffer's memory comes from V8's page allocator, not the
  // counting allocator; V8 counts its current length as external memory.
  wrapConstructor(globalThis, "ArrayBuffer", {
    before(args) {
      if (maxByteLength(args[1]) !== undefined) checkSize(toSize(args[0]), "a resizable ArrayBuffer");
    },
  });
  wrapMethod(globalThis.ArrayBuffer.prototype, "resize", (native) => function (newLength) {
    checkSize(toSize(newLength), "an ArrayBuffer resized");
    const result = FunctionPrototypeCall(native, this, newLength);
    op_mcpv8_memory_check();
    return result;
  });
  wrapMethod(globalThis.ArrayBuffer.prototype, "transfer", (native) => function (newLength) {
    if (newLength !== undefined) checkSize(toSize(newLength), "an ArrayBuffer transferred");
    const result = FunctionPrototypeCall(native, this, newLength);
    op_mcpv8_memory_check();
    return result;
  });

  // Snapshotting isolates have no SharedArrayBuffer or WebAssembly (V8
  // leaves them out of isolates that can be snapshotted); stateless ones get
  // these guards when they are made (`installStatelessGuards`), installed on
  // first use: most runs never touch either, and wrapping costs a fresh
  // isolate about a tenth of a `1 + 1` run. Both globals become accessors
  // that install every guard the first time either is read, then turn back
  // into plain values. Either one is the only way to reach the other's
  // natives (a shared WebAssembly.Memory's buffer leads to
  // SharedArrayBuffer), so neither is reachable unguarded.
  function installStatelessGuards(warmingUp = false) {
    // Never snapshotted: CryptoKeys are safe here (see web.js).
    if (!warmingUp) internals.allowCryptoKeys();
    const names = ["SharedArrayBuffer", "WebAssembly"];
    const natives = [];
    for (const name of names) {
      const desc = ObjectGetOwnPropertyDescriptor(globalThis, name);
      if (desc !== undefined && "value" in desc) ArrayPrototypePush(natives, { name, desc });
    }
    let installed = false;
    const install = () => {
      if (installed) return;
      installed = true;
      for (const { name, desc } of natives) ObjectDefineProperty(globalThis, name, desc);
      guardStatelessGlobals();
    };
    for (const { name } of natives) {
      ObjectDefineProperty(globalThis, name, {
        get() {
          install();
          return globalThis[name];
        },
        set(value) {
          install();
          globalThis[name] = value;
        },
        enumerable: false,
        configurable: true,
      });
    }
  }

  function guardStatelessGlobals() {
    if (typeof globalThis.SharedArrayBuffer === "function") {
      // A growable SharedArrayBuffer is counted at its maximum: V8 tracks
      // neither its growth nor its release.
      wrapConstructor(globalThis, "SharedArrayBuffer", {
        before(args) {
          const max = maxByteLength(args[1]);
          if (max === undefined) return;
          const bytes = toSize(max);
          checkSize(bytes, "a growable SharedArrayBuffer");
          if (!op_mcpv8_memory_reserve(bytes)) exceeded(bytes, "a growable SharedArrayBuffer");
        },
      });
    }
    const wasm = globalThis.WebAssembly;
    if (wasm === null || typeof wasm !== "object") return;
    wrapConstructor(wasm, "Memory", {
      before(args) {
        const descriptor = args[0];
        if (descriptor === null || typeof descriptor !== "object") return;
        checkSize(toSize(descriptor.initial) * WASM_PAGE, "a WebAssembly.Memory");
      },
      after() {
        op_mcpv8_memory_check();
      },
    });
    wrapMethod(wasm.Memory.prototype, "grow", (native) => function (delta) {
      const current = this.buffer.byteLength;
      checkSize(current + toSize(delta) * WASM_PAGE, "a WebAssembly.Memory grown");
      const result = FunctionPrototypeCall(native, this, delta);
      op_mcpv8_memory_check();
      return result;
    });
    // Instantiating a module makes the memories it declares.
    wrapConstructor(wasm, "Instance", { after: () => op_mcpv8_memory_check() });
    for (const name of ["instantiate", "instantiateStreaming"]) {
      wrapMethod(wasm, name, (native) => function (...args) {
        return PromisePrototypeThen(ReflectApply(native, this, args), (result) => {
          op_mcpv8_memory_check();
          return result;
        });
      });
    }
  }

  // ------------------------------------------------- what a heap cannot keep
  // An Intl object holds ICU state V8 cannot snapshot; a Blob's bytes and
  // an unread fetch response's body live in Rust, outside the heap, and
  // would be gone in the next run. They are tracked weakly; before a
  // stateful run's heap is kept, Rust collects garbage and asks
  // `snapshotBlocker()` whether any is still alive (and, for a response,
  // still unread).
  const { track } = internals;
  const INTL_ADVICE = "keep Intl objects in local variables (or make them again in each run), not in globals";

  // Reached before anything is wrapped, so the probe is not tracked (a
  // tracked object stays alive until the current job ends, and this job
  // ends with the base snapshot).
  const SegmentsPrototype = ObjectGetPrototypeOf(new globalThis.Intl.Segmenter().segment(""));
  for (const name of ObjectGetOwnPropertyNames(globalThis.Intl)) {
    const value = globalThis.Intl[name];
    if (typeof value !== "function" || value.prototype === undefined) continue;
    wrapConstructor(globalThis.Intl, name, { after: (made) => track(made, `Intl.${name}`, INTL_ADVICE) });
  }
  // Objects made by methods rather than constructors.
  const trackResult = (name) => (native) => function (...args) {
    const made = ReflectApply(native, this, args);
    if (made !== null && typeof made === "object") track(made, `Intl.${name}`, INTL_ADVICE);
    return made;
  };
  wrapMethod(globalThis.Intl.Locale.prototype, "maximize", trackResult("Locale"));
  wrapMethod(globalThis.Intl.Locale.prototype, "minimize", trackResult("Locale"));
  wrapMethod(globalThis.Intl.Segmenter.prototype, "segment", trackResult("Segmenter segments"));
  wrapMethod(SegmentsPrototype, SymbolIterator, trackResult("Segmenter iterator"));

  // Blobs (and Files), however made, and the responses fetch returns. Deno's
  // fetch and file scripts load on first use (web.js), which calls this
  // with what they made before putting it on the global object.
  const BLOB_ADVICE = "keep what you read from it (await blob.text() or arrayBuffer()) instead";
  const RESPONSE_ADVICE = "read its body in the run that fetched it (await res.json(), text() or arrayBuffer()) and keep that";

  /** Wraps `web`'s Blob, File, Request, Response and fetch so that what a
   *  session's heap cannot keep is tracked; returns `web`. */
  function guardWeb(web) {
    const FilePrototype = web.File.prototype;
    const trackBlob = (made) => track(made, ObjectGetPrototypeOf(made) === FilePrototype ? "File" : "Blob", BLOB_ADVICE);
    wrapConstructor(web, "Blob", { after: trackBlob });
    wrapConstructor(web, "File", { after: trackBlob });
    wrapMethod(web.Blob.prototype, "slice", (native) => function (...args) {
      const made = ReflectApply(native, this, args);
      trackBlob(made);
      return made;
    });
    const unread = (response) => !response.bodyUsed && response.body !== null;
    const trackResponse = (response) => track(response, "fetch Response with an unread body", RESPONSE_ADVICE, unread);
    for (const proto of [web.Response.prototype, web.Request.prototype]) {
      wrapMethod(proto, "blob", (native) => function (...args) {
        return PromisePrototypeThen(ReflectApply(native, this, args), (blob) => {
          trackBlob(blob);
          return blob;
        });
      });
    }
    wrapMethod(web.Response.prototype, "clone", (native) => function (...args) {
      const made = ReflectApply(native, this, args);
      trackResponse(made);
      return made;
    });
    const native = web.fetch;
    web.fetch = function fetch(input, init = undefined) {
      return PromisePrototypeThen(ReflectApply(native, this, [input, init]), (response) => {
        trackResponse(response);
        return response;
      });
    };
    return web;
  }

  // ------------------------------------------------- preloaded WebAssembly
  /** A global made by `make` when first read (or replaced when first written). */
  function lazyGlobal(name, make) {
    const settle = (value) =>
      ObjectDefineProperty(globalThis, name, { value, writable: true, enumerable: false, configurable: true });
    ObjectDefineProperty(globalThis, name, {
      enumerable: false,
      configurable: true,
      get() {
        const value = make();
        settle(value);
        return value;
      },
      set(value) {
        settle(value);
      },
    });
  }

  /** Puts the server's preloaded modules (src/wasm.rs) on the global
   *  object of a stateless isolate, after `installStatelessGuards`:
   *  `__wasm_<name>`, and `<name>` (an instance's exports) for a module
   *  without imports. `list` is JSON: [[name, selfContained, maxMemory]]. */
  function installWasm(list) {
    const { Instance, Memory } = globalThis.WebAssembly;
    const modules = JSONParse(list);
    for (let index = 0; index < modules.length; index++) {
      const [name, selfContained, maxMemory] = modules[index];
      let module;
      const getModule = () => module ??= op_mcpv8_wasm_module(index);
      lazyGlobal(`__wasm_${name}`, getModule);
      if (!selfContained) continue;
      lazyGlobal(name, () => {
        const { exports } = new Instance(getModule(), {});
        for (const value of ObjectValues(exports)) {
          if (value instanceof Memory && value.buffer.byteLength > maxMemory) {
            throw new RangeError(
              `the WebAssembly module '${name}' starts with ${value.buffer.byteLength} bytes of memory, over its cap of ${maxMemory} (--wasm-module ${name}=path:max_memory)`,
            );
          }
        }
        return exports;
      });
    }
  }

  /** Runs, once, what every run calls, while the base snapshot is made:
   *  V8 keeps the compiled code in the snapshot, so isolates made from it do
   *  not compile these again for each run. Leaves nothing behind. */
  function warmUp() {
    internals.toResult({ n: 1, s: "two", list: [1, [2]], bytes: new Uint8Array(2), none: null }, 1 << 16);
    internals.toResult(2, 1 << 16);
    internals.hasTracked();
    internals.hasFinalizers();
    // A snapshotting isolate has neither global: this only compiles it.
    installStatelessGuards(true);
  }

  /** Session isolates (made for snapshotting) capture no stack traces: V8
   *  leaves `Error.stackTraceLimit` out of them, and aborts the process
   *  when it snapshots a heap holding an error whose frames were captured
   *  but not yet formatted. So the limit is fixed at undefined there: user
   *  code cannot set it (an assignment fails, in strict code it throws).
   *  Returns false when a heap already holds a limit it cannot replace. */
  function sealStackTraces() {
    const desc = ObjectGetOwnPropertyDescriptor(Error, "stackTraceLimit");
    if (desc && !desc.configurable) return desc.value === undefined && !desc.writable && !desc.set;
    ObjectDefineProperty(Error, "stackTraceLimit", {
      value: undefined,
      writable: false,
      enumerable: false,
      configurable: false,
    });
    return true;
  }

  internals.sealStackTraces = sealStackTraces;
  internals.installStatelessGuards = installStatelessGuards;
  internals.installWasm = installWasm;
  internals.guardWeb = guardWeb;
  internals.warmUp = warmUp;
})(globalThis);
