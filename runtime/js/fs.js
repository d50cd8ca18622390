// The global `fs`: files on the server, each operation allowed or denied by
// the `filesystem` policy (see src/fs.rs). A promise API in the shape of
// Node's `fs/promises`.
//
// Invariant: the ops are captured here while `Deno.core` is still a global;
// user code reaches them only through these functions.
"use strict";

((globalThis) => {
  const core = globalThis.Deno.core;
  const { op_mcpv8_fs_read, op_mcpv8_fs_write, op_mcpv8_fs } = core.ops;
  const { TypeError, ObjectFreeze, ArrayPrototypeMap } = globalThis.__bootstrap.primordials;

  function pathOf(path) {
    if (typeof path === "object" && path !== null && path instanceof globalThis.URL) {
      if (path.protocol !== "file:") throw new TypeError(`fs: only file: URLs are paths, not ${path.protocol}`);
      return decodeURIComponent(path.pathname);
    }
    if (typeof path !== "string") throw new TypeError("fs: the path must be a string");
    return path;
  }

  function encodingOf(options) {
    const encoding = typeof options === "string" ? options : options?.encoding;
    if (encoding === undefined || encoding === null) return null;
    if (encoding === "utf8" || encoding === "utf-8") return "utf8";
    throw new TypeError(`fs: unsupported encoding '${encoding}' (use "utf8", or none for bytes)`);
  }

  function bytesOf(data) {
    if (typeof data === "string") return core.encode(data);
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    throw new TypeError("fs: data must be a string, an ArrayBuffer or a typed array");
  }

  const fs = {
    async readFile(path, options) {
      const encoding = encodingOf(options);
      const bytes = await op_mcpv8_fs_read(pathOf(path));
      return encoding ? core.decode(bytes) : bytes;
    },
    async writeFile(path, data) {
      await op_mcpv8_fs_write(pathOf(path), bytesOf(data), false);
    },
    async appendFile(path, data) {
      await op_mcpv8_fs_write(pathOf(path), bytesOf(data), true);
    },
    async readdir(path, options) {
      const entries = await op_mcpv8_fs("readdir", pathOf(path), null, false, false);
      if (options?.withFileTypes) return entries;
      return ArrayPrototypeMap(entries, (entry) => entry.name);
    },
    async stat(path) {
      return await op_mcpv8_fs("stat", pathOf(path), null, false, false);
    },
    async exists(path) {
      return await op_mcpv8_fs("exists", pathOf(path), null, false, false);
    },
    async mkdir(path, options) {
      await op_mcpv8_fs("mkdir", pathOf(path), null, !!options?.recursive, false);
    },
    async rm(path, options) {
      await op_mcpv8_fs("rm", pathOf(path), null, !!options?.recursive, !!options?.force);
    },
    async rename(from, to) {
      await op_mcpv8_fs("rename", pathOf(from), pathOf(to), false, false);
    },
    async copyFile(from, to) {
      await op_mcpv8_fs("copyFile", pathOf(from), pathOf(to), false, false);
    },
  };
  Object.defineProperty(globalThis, "fs", {
    value: ObjectFreeze(fs),
    writable: true,
    enumerable: false,
    configurable: true,
  });
})(globalThis);
