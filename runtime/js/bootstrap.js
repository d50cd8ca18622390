// The web surface user code sees: console, timers, crypto and performance
// (the web platform proper is web.js's, from Deno's crates).
//
// Invariant: everything here captures `Deno.core` in closures while it is
// still a global. Rust hides `Deno`, `__bootstrap` and `__infra` before user
// code runs (see `isolate.rs`), so user code reaches ops only through the
// functions defined below, and each op checks its own input in Rust.
"use strict";

((globalThis) => {
  const core = globalThis.Deno.core;
  const {
    op_mcpv8_console,
    op_mcpv8_console_room,
    op_mcpv8_random_fill,
    op_mcpv8_uuid,
    op_mcpv8_now,
    op_mcpv8_user_agent,
  } = core.ops;

  // A capability the run's policy denied (see src/capability.rs).
  core.registerErrorBuilder("PermissionDenied", (message) => {
    const error = new Error(message);
    error.name = "PermissionDenied";
    return error;
  });

  const defineHidden = (obj, name, value) =>
    Object.defineProperty(obj, name, {
      value,
      writable: true,
      enumerable: false,
      configurable: true,
    });

  // ---------------------------------------------------------------- inspect
  const MAX_DEPTH = 4;
  const MAX_ITEMS = 100;

  function quote(s) {
    return "'" + s.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n") + "'";
  }

  function className(value) {
    const proto = Object.getPrototypeOf(value);
    if (proto === null) return "[Object: null prototype]";
    const ctor = proto.constructor;
    return typeof ctor === "function" && ctor.name ? ctor.name : "Object";
  }

  function keyText(key) {
    if (typeof key === "symbol") return `[${key.toString()}]`;
    return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key);
  }

  function inspect(value, depth = 0, seen = []) {
    switch (typeof value) {
      case "string":
        return depth === 0 ? value : quote(value);
      case "number":
        return Object.is(value, -0) ? "-0" : String(value);
      case "bigint":
        return `${value}n`;
      case "boolean":
      case "undefined":
        return String(value);
      case "symbol":
        return value.toString();
      case "function": {
        const text = Function.prototype.toString.call(value);
        if (text.startsWith("class")) return `[class ${value.name || "(anonymous)"}]`;
        return `[Function: ${value.name || "(anonymous)"}]`;
      }
    }
    if (value === null) return "null";
    if (seen.includes(value)) return "[Circular]";
    if (value instanceof Error) {
      return value.stack ?? `${value.name}: ${value.message}`;
    }
    if (value instanceof Date) return isNaN(value) ? "Invalid Date" : value.toISOString();
    if (value instanceof RegExp) return value.toString();
    if (value instanceof Promise) return "Promise {}";
    if (value instanceof WeakMap || value instanceof WeakSet) return `${className(value)} { <items unknown> }`;
    const nested = depth + 1;
    if (depth >= MAX_DEPTH) {
      return Array.isArray(value) ? "[Array]" : `[${className(value)}]`;
    }
    seen.push(value);
    try {
      if (value instanceof Map) {
        const items = [];
        for (const [k, v] of value) {
          if (items.length >= MAX_ITEMS) { items.push(`... ${value.size - MAX_ITEMS} more items`); break; }
          items.push(`${inspect(k, nested, seen)} => ${inspect(v, nested, seen)}`);
        }
        return `Map(${value.size}) {${items.length ? " " + items.join(", ") + " " : ""}}`;
      }
      if (value instanceof Set) {
        const items = [];
        for (const v of value) {
          if (items.length >= MAX_ITEMS) { items.push(`... ${value.size - MAX_ITEMS} more items`); break; }
          items.push(inspect(v, nested, seen));
        }
        return `Set(${value.size}) {${items.length ? " " + items.join(", ") + " " : ""}}`;
      }
      if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
        const items = Array.prototype.slice.call(value, 0, MAX_ITEMS).map((v) => inspect(v, nested, seen));
        if (value.length > MAX_ITEMS) items.push(`... ${value.length - MAX_ITEMS} more items`);
        return `${className(value)}(${value.length}) [${items.length ? " " + items.join(", ") + " " : ""}]`;
      }
      if (Array.isArray(value)) {
        const items = [];
        const shown = Math.min(value.length, MAX_ITEMS);
        for (let i = 0; i < shown; i++) {
          items.push(i in value ? inspect(value[i], nested, seen) : "<empty>");
        }
        if (value.length > MAX_ITEMS) items.push(`... ${value.length - MAX_ITEMS} more items`);
        return items.length ? `[ ${items.join(", ")} ]` : "[]";
      }
      const keys = Reflect.ownKeys(value).filter((k) =>
        Object.prototype.propertyIsEnumerable.call(value, k)
      );
      const items = [];
      for (const k of keys.slice(0, MAX_ITEMS)) {
        let v;
        try {
          v = value[k];
        } catch (error) {
          v = `<getter threw ${error}>`;
        }
        items.push(`${keyText(k)}: ${inspect(v, nested, seen)}`);
      }
      if (keys.length > MAX_ITEMS) items.push(`... ${keys.length - MAX_ITEMS} more items`);
      const name = className(value);
      const prefix = name === "Object" ? "" : `${name} `;
      return items.length ? `${prefix}{ ${items.join(", ")} }` : `${prefix}{}`;
    } finally {
      seen.pop();
    }
  }

  // printf-style substitutions, as browsers and Node do for a string first argument.
  function format(args) {
    if (args.length === 0) return "";
    let first = args[0];
    let rest = 1;
    if (typeof first === "string" && first.includes("%")) {
      first = first.replace(/%[sdifjoOc%]/g, (spec) => {
        if (spec === "%%") return "%";
        if (rest >= args.length) return spec;
        const arg = args[rest++];
        switch (spec) {
          case "%s": return typeof arg === "string" ? arg : inspect(arg, 1);
          case "%d": case "%i": return typeof arg === "bigint" ? `${arg}n` : String(spec === "%i" ? parseInt(arg) : Number(arg));
          case "%f": return String(parseFloat(arg));
          case "%j": try { return JSON.stringify(arg); } catch { return "[Circular]"; }
          case "%c": return "";
          default: return inspect(arg, 1);
        }
      });
    }
    const parts = [inspect(first)];
    for (let i = rest; i < args.length; i++) parts.push(inspect(args[i]));
    return parts.join(" ");
  }

  // ---------------------------------------------------------------- console
  // Levels match `OutputLevel` in output.rs.
  const LEVEL = { debug: 0, log: 1, info: 2, warn: 3, error: 4, trace: 5 };
  let groupIndent = "";
  const counts = new Map();
  const timers = new Map();

  function write(level, text) {
    // One character more than fits, so the sink sees the cut and marks it.
    const room = op_mcpv8_console_room() + 1;
    if (text.length > room) text = text.slice(0, room);
    if (groupIndent) text = text.split("\n").map((l) => groupIndent + l).join("\n");
    op_mcpv8_console(level, text);
  }

  const console = {
    log: (...args) => write(LEVEL.log, format(args)),
    info: (...args) => write(LEVEL.info, format(args)),
    warn: (...args) => write(LEVEL.warn, format(args)),
    error: (...args) => write(LEVEL.error, format(args)),
    debug: (...args) => write(LEVEL.debug, format(args)),
    trace: (...args) => {
      const stack = new Error().stack.split("\n").slice(2).join("\n");
      write(LEVEL.trace, `Trace${args.length ? ": " + format(args) : ""}\n${stack}`);
    },
    dir: (value) => write(LEVEL.log, inspect(value, 1)),
    assert: (condition, ...args) => {
      if (!condition) write(LEVEL.error, `Assertion failed${args.length ? ": " + format(args) : ""}`);
    },
    table: (data) => {
      let text;
      try { text = JSON.stringify(data, null, 2); } catch { text = inspect(data, 1); }
      write(LEVEL.log, text ?? inspect(data, 1));
    },
    count: (label = "default") => {
      const n = (counts.get(label) ?? 0) + 1;
      counts.set(label, n);
      write(LEVEL.info, `${label}: ${n}`);
    },
    countReset: (label = "default") => counts.delete(label),
    time: (label = "default") => timers.set(label, op_mcpv8_now()),
    timeLog: (label = "default", ...args) => {
      const start = timers.get(label);
      if (start === undefined) return write(LEVEL.warn, `Timer '${label}' does not exist`);
      write(LEVEL.info, `${label}: ${(op_mcpv8_now() - start).toFixed(3)}ms${args.length ? " " + format(args) : ""}`);
    },
    timeEnd: (label = "default") => {
      console.timeLog(label);
      timers.delete(label);
    },
    group: (...args) => {
      if (args.length) write(LEVEL.log, format(args));
      groupIndent += "  ";
    },
    groupEnd: () => {
      groupIndent = groupIndent.slice(2);
    },
  };
  console.groupCollapsed = console.group;
  defineHidden(globalThis, "console", console);

  // ----------------------------------------------------------------- timers
  // Ids are numbers, as in browsers; the map lets a terminated run drop every
  // pending timer so it cannot fire into the session's next run.
  const activeTimers = new Map();
  let nextTimerId = 1;

  function startTimer(callback, delay, args, repeat) {
    if (typeof callback !== "function") {
      throw new TypeError("timer callback must be a function (string callbacks are not evaluated)");
    }
    const id = nextTimerId++;
    const run = repeat ? callback : (...a) => {
      activeTimers.delete(id);
      return callback(...a);
    };
    const ms = Math.max(0, Number(delay) || 0);
    activeTimers.set(id, core.createTimer(run, ms, args, repeat, true));
    return id;
  }

  function stopTimer(id) {
    const timer = activeTimers.get(id);
    if (timer !== undefined) {
      activeTimers.delete(id);
      core.cancelTimer(timer);
    }
  }

  defineHidden(globalThis, "setTimeout", (cb, delay, ...args) => startTimer(cb, delay, args, false));
  defineHidden(globalThis, "setInterval", (cb, delay, ...args) => startTimer(cb, delay, args, true));
  defineHidden(globalThis, "clearTimeout", (id) => stopTimer(id));
  defineHidden(globalThis, "clearInterval", (id) => stopTimer(id));

  // ----------------------------------------------------------------- crypto
  const crypto = {
    getRandomValues(array) {
      if (!ArrayBuffer.isView(array) || array instanceof Float32Array || array instanceof Float64Array || array instanceof DataView) {
        throw new DOMException("getRandomValues: expected an integer TypedArray", "TypeMismatchError");
      }
      if (array.byteLength > 65536) {
        throw new DOMException(`getRandomValues: ${array.byteLength} bytes requested, at most 65536 allowed`, "QuotaExceededError");
      }
      op_mcpv8_random_fill(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
      return array;
    },
    randomUUID: () => op_mcpv8_uuid(),
  };
  defineHidden(globalThis, "crypto", crypto);

  const timeOrigin = Date.now() - op_mcpv8_now();
  defineHidden(globalThis, "performance", {
    now: () => op_mcpv8_now(),
    get timeOrigin() { return timeOrigin; },
    toJSON() { return { timeOrigin }; },
  });

  // The rest of the WinterTC minimum common API that is not Deno's.
  defineHidden(globalThis, "self", globalThis);
  defineHidden(globalThis, "navigator", Object.freeze({ userAgent: op_mcpv8_user_agent() }));
  // With no page to dispatch to, an error reported is logged as uncaught;
  // the run goes on.
  defineHidden(globalThis, "reportError", function reportError(error) {
    if (arguments.length === 0) throw new TypeError("reportError: 1 argument required, but only 0 present");
    globalThis.console.error("Uncaught", error);
  });

  // ------------------------------------------------------------- internals
  // Reached from Rust only, through the hidden `__bootstrap` object.

  // Taken now: user code may replace the globals of its own run, and its
  // result is still reported as it is.
  const {
    ArrayBufferIsView,
    ArrayFrom,
    ArrayPrototypeIncludes,
    ArrayPrototypePop,
    ArrayPrototypePush,
    BigIntPrototypeToString,
    JSONStringify,
    ObjectFromEntries,
  } = globalThis.__bootstrap.primordials;

  // Only a value that contains itself is "[Circular]": the replacer keeps
  // the chain of objects from the root to the one being written (`this` is
  // the holder of `key`), so an object that merely appears twice is written
  // twice. The replacer also counts what is written and stops past `cap`
  // bytes: JSON.stringify itself never checks for termination, so a huge
  // value would otherwise fill the heap before the run could be stopped.
  function toResult(value, cap) {
    if (value === undefined) return undefined;
    const ancestors = [];
    let size = 0;
    const count = (n) => {
      size += n;
      if (size > cap) {
        throw new RangeError(`result too large: more than ${cap} bytes (the cap); return less, or log it and page through the output`);
      }
    };
    return JSONStringify(value, function (key, v) {
      count(key.length + 4);
      while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ArrayPrototypePop(ancestors);
      if (typeof v === "string") {
        count(v.length);
        return v;
      }
      if (typeof v === "bigint") return BigIntPrototypeToString(v);
      if (typeof v === "function" || typeof v === "symbol") return inspect(v);
      if (typeof v !== "object" || v === null) return v;
      if (ArrayPrototypeIncludes(ancestors, v)) return "[Circular]";
      let out = v;
      if (v instanceof Map) out = ObjectFromEntries(v);
      else if (v instanceof Set) out = ArrayFrom(v);
      else if (v instanceof Error) out = { name: v.name, message: v.message, stack: v.stack };
      else if (ArrayBufferIsView(v) && !(v instanceof DataView)) {
        count(v.length * 2);
        out = ArrayFrom(v);
      }
      // The original too, so a Map or Set that contains itself is caught.
      if (out !== v) ArrayPrototypePush(ancestors, v);
      ArrayPrototypePush(ancestors, out);
      return out;
    });
  }

  function dropTimers() {
    for (const timer of activeTimers.values()) core.cancelTimer(timer);
    activeTimers.clear();
  }

  globalThis.__bootstrap.mcpv8 = { toResult, dropTimers, inspect };
})(globalThis);
