// The web surface user code sees: console, timers and the small web set.
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
    op_mcpv8_url_parse,
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

  // ------------------------------------------------------------ encoding
  class TextEncoder {
    get encoding() { return "utf-8"; }
    encode(input = "") {
      return core.encode(String(input));
    }
    encodeInto(input, dest) {
      const bytes = core.encode(String(input));
      // Only whole characters are written: back off to a UTF-8 boundary.
      let written = Math.min(bytes.length, dest.length);
      while (written > 0 && written < bytes.length && (bytes[written] & 0xc0) === 0x80) written--;
      dest.set(bytes.subarray(0, written));
      const read = core.decode(bytes.subarray(0, written)).length;
      return { read, written };
    }
  }

  function sameBytes(a, b) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  class TextDecoder {
    #fatal;
    #ignoreBOM;
    constructor(label = "utf-8", options = {}) {
      const name = String(label).trim().toLowerCase();
      if (name !== "utf-8" && name !== "utf8" && name !== "unicode-1-1-utf-8") {
        throw new RangeError(`TextDecoder: only utf-8 is supported, got '${label}'`);
      }
      this.#fatal = Boolean(options.fatal);
      this.#ignoreBOM = Boolean(options.ignoreBOM);
    }
    get encoding() { return "utf-8"; }
    get fatal() { return this.#fatal; }
    get ignoreBOM() { return this.#ignoreBOM; }
    decode(input = new Uint8Array()) {
      let bytes;
      if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
      else if (ArrayBuffer.isView(input)) bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
      else throw new TypeError("TextDecoder.decode: expected a BufferSource");
      if (this.#ignoreBOM && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        return "\ufeff" + core.decode(bytes.subarray(3));
      }
      const text = core.decode(bytes);
      if (this.#fatal && text.includes("\ufffd") && !sameBytes(core.encode(text), bytes)) {
        throw new TypeError("TextDecoder: the encoded data is not valid utf-8");
      }
      return text;
    }
  }
  defineHidden(globalThis, "TextEncoder", TextEncoder);
  defineHidden(globalThis, "TextDecoder", TextDecoder);

  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  function btoa(data) {
    const s = String(data);
    let out = "";
    for (let i = 0; i < s.length; i += 3) {
      const a = s.charCodeAt(i), b = s.charCodeAt(i + 1), c = s.charCodeAt(i + 2);
      if (a > 255 || b > 255 || c > 255) {
        throw new DOMException("btoa: the string contains characters outside of the Latin1 range", "InvalidCharacterError");
      }
      const n = (a << 16) | ((b || 0) << 8) | (c || 0);
      out += B64[n >> 18] + B64[(n >> 12) & 63] +
        (i + 1 < s.length ? B64[(n >> 6) & 63] : "=") +
        (i + 2 < s.length ? B64[n & 63] : "=");
    }
    return out;
  }
  function atob(data) {
    let s = String(data).replace(/[\t\n\f\r ]/g, "");
    if (s.length % 4 === 0) s = s.replace(/==?$/, "");
    if (s.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(s)) {
      throw new DOMException("atob: the string to be decoded is not correctly encoded", "InvalidCharacterError");
    }
    let out = "";
    let bits = 0, acc = 0;
    for (const ch of s) {
      acc = (acc << 6) | B64.indexOf(ch);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out += String.fromCharCode((acc >> bits) & 0xff);
      }
    }
    return out;
  }
  defineHidden(globalThis, "btoa", btoa);
  defineHidden(globalThis, "atob", atob);

  class DOMException extends Error {
    #name;
    constructor(message = "", name = "Error") {
      super(message);
      this.#name = String(name);
    }
    get name() { return this.#name; }
  }
  defineHidden(globalThis, "DOMException", DOMException);

  defineHidden(globalThis, "structuredClone", (value) => {
    try {
      return core.structuredClone(value);
    } catch (error) {
      throw new DOMException(error.message, "DataCloneError");
    }
  });

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

  // -------------------------------------------------------------------- URL
  // Parsing is the `url` crate's (WHATWG); the op returns the parts, or
  // throws a TypeError for an invalid URL.
  const FORM_SAFE = /[A-Za-z0-9*\-._]/;
  function formEncode(s) {
    let out = "";
    for (const byte of core.encode(String(s))) {
      const ch = String.fromCharCode(byte);
      if (byte < 0x80 && FORM_SAFE.test(ch)) out += ch;
      else if (byte === 0x20) out += "+";
      else out += "%" + byte.toString(16).toUpperCase().padStart(2, "0");
    }
    return out;
  }
  function formDecode(s) {
    const bytes = [];
    const text = s.replace(/\+/g, " ");
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch === "%" && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
        bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
        i += 2;
      } else {
        for (const b of core.encode(ch)) bytes.push(b);
      }
    }
    return core.decode(new Uint8Array(bytes));
  }

  class URLSearchParams {
    #list = [];
    #url = null;
    constructor(init = "") {
      if (typeof init === "object" && init !== null) {
        if (init instanceof URLSearchParams) {
          this.#list = init.#list.map(([k, v]) => [k, v]);
        } else if (typeof init[Symbol.iterator] === "function") {
          for (const pair of init) {
            const p = [...pair];
            if (p.length !== 2) throw new TypeError("URLSearchParams: each pair must have two items");
            this.#list.push([String(p[0]), String(p[1])]);
          }
        } else {
          for (const k of Object.keys(init)) this.#list.push([k, String(init[k])]);
        }
      } else {
        this.#parse(String(init));
      }
    }
    #parse(query) {
      this.#list = [];
      for (const part of query.replace(/^\?/, "").split("&")) {
        if (part === "") continue;
        const eq = part.indexOf("=");
        const k = eq === -1 ? part : part.slice(0, eq);
        const v = eq === -1 ? "" : part.slice(eq + 1);
        this.#list.push([formDecode(k), formDecode(v)]);
      }
    }
    #update() {
      if (this.#url) {
        const q = this.toString();
        this.#url._setSearchFromParams(q === "" ? "" : "?" + q);
      }
    }
    static _attach(params, url, query) {
      params.#url = url;
      params.#parse(query);
    }
    get size() { return this.#list.length; }
    append(k, v) { this.#list.push([String(k), String(v)]); this.#update(); }
    delete(k, v) {
      k = String(k);
      this.#list = this.#list.filter(([a, b]) => a !== k || (v !== undefined && b !== String(v)));
      this.#update();
    }
    get(k) { const e = this.#list.find(([a]) => a === String(k)); return e ? e[1] : null; }
    getAll(k) { return this.#list.filter(([a]) => a === String(k)).map(([, b]) => b); }
    has(k, v) { return this.#list.some(([a, b]) => a === String(k) && (v === undefined || b === String(v))); }
    set(k, v) {
      k = String(k);
      const i = this.#list.findIndex(([a]) => a === k);
      if (i === -1) this.#list.push([k, String(v)]);
      else {
        this.#list[i][1] = String(v);
        this.#list = this.#list.filter(([a], j) => a !== k || j === i);
      }
      this.#update();
    }
    sort() {
      this.#list.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      this.#update();
    }
    forEach(fn, thisArg) { for (const [k, v] of this.#list) fn.call(thisArg, v, k, this); }
    *keys() { for (const [k] of this.#list) yield k; }
    *values() { for (const [, v] of this.#list) yield v; }
    *entries() { for (const [k, v] of this.#list) yield [k, v]; }
    [Symbol.iterator]() { return this.entries(); }
    toString() { return this.#list.map(([k, v]) => `${formEncode(k)}=${formEncode(v)}`).join("&"); }
  }

  // Setters go through the `url` crate's WHATWG setters (`url::quirks`).
  class URL {
    #parts;
    #params;
    constructor(url, base) {
      this.#parts = op_mcpv8_url_parse(String(url), base === undefined ? null : String(base), null, null);
      this.#params = new URLSearchParams();
      URLSearchParams._attach(this.#params, this, this.#parts.search);
    }
    static canParse(url, base) {
      try { new URL(url, base); return true; } catch { return false; }
    }
    static parse(url, base) {
      try { return new URL(url, base); } catch { return null; }
    }
    #set(part, value) {
      this.#parts = op_mcpv8_url_parse(this.#parts.href, null, part, String(value));
      if (part !== "hash") URLSearchParams._attach(this.#params, this, this.#parts.search);
    }
    _setSearchFromParams(search) {
      this.#parts = op_mcpv8_url_parse(this.#parts.href, null, "search", search);
    }
    get href() { return this.#parts.href; }
    set href(v) { this.#set("href", v); }
    get origin() { return this.#parts.origin; }
    get protocol() { return this.#parts.protocol; }
    set protocol(v) { this.#set("protocol", v); }
    get username() { return this.#parts.username; }
    set username(v) { this.#set("username", v); }
    get password() { return this.#parts.password; }
    set password(v) { this.#set("password", v); }
    get host() { return this.#parts.host; }
    set host(v) { this.#set("host", v); }
    get hostname() { return this.#parts.hostname; }
    set hostname(v) { this.#set("hostname", v); }
    get port() { return this.#parts.port; }
    set port(v) { this.#set("port", v); }
    get pathname() { return this.#parts.pathname; }
    set pathname(v) { this.#set("pathname", v); }
    get search() { return this.#parts.search; }
    set search(v) { this.#set("search", v); }
    get hash() { return this.#parts.hash; }
    set hash(v) { this.#set("hash", v); }
    get searchParams() { return this.#params; }
    toString() { return this.#parts.href; }
    toJSON() { return this.#parts.href; }
  }
  defineHidden(globalThis, "URL", URL);
  defineHidden(globalThis, "URLSearchParams", URLSearchParams);

  // ------------------------------------------------------------- internals
  // Reached from Rust only, through the hidden `__bootstrap` object.
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
    return JSON.stringify(value, function (key, v) {
      count(key.length + 4);
      while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
      if (typeof v === "string") {
        count(v.length);
        return v;
      }
      if (typeof v === "bigint") return v.toString();
      if (typeof v === "function" || typeof v === "symbol") return inspect(v);
      if (typeof v !== "object" || v === null) return v;
      if (ancestors.includes(v)) return "[Circular]";
      let out = v;
      if (v instanceof Map) out = Object.fromEntries(v);
      else if (v instanceof Set) out = [...v];
      else if (v instanceof Error) out = { name: v.name, message: v.message, stack: v.stack };
      else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
        count(v.length * 2);
        out = Array.from(v);
      }
      // The original too, so a Map or Set that contains itself is caught.
      if (out !== v) ancestors.push(v);
      ancestors.push(out);
      return out;
    });
  }

  function dropTimers() {
    for (const timer of activeTimers.values()) core.cancelTimer(timer);
    activeTimers.clear();
  }

  globalThis.__bootstrap.mcpv8 = { toResult, dropTimers, inspect };
})(globalThis);
