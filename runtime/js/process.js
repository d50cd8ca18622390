// The global `child_process`: programs on the server, each run allowed or
// denied by the `subprocess` policy (see src/process.rs). No shell.
//
//   const { stdout } = await child_process.execFile("git", ["log", "-1"], { cwd: "/srv/repo" });
//   const out = await new child_process.Command("echo", { args: ["hi"] }).output();
//
// Invariant: the op is captured here while `Deno.core` is still a global.
"use strict";

((globalThis) => {
  const core = globalThis.Deno.core;
  const { op_mcpv8_exec } = core.ops;
  const { TypeError, ObjectFreeze } = globalThis.__bootstrap.primordials;

  function optionsOf(command, args, options = {}) {
    if (typeof command !== "string") throw new TypeError("child_process: the command must be a string");
    if (args !== undefined && !Array.isArray(args)) throw new TypeError("child_process: args must be an array of strings");
    const env = options.env ?? {};
    return {
      command,
      args: (args ?? []).map(String),
      cwd: options.cwd === undefined ? null : String(options.cwd),
      env: Object.fromEntries(Object.entries(env).map(([k, v]) => [String(k), String(v)])),
      timeout: options.timeout ?? null,
      maxBuffer: options.maxBuffer ?? null,
      input: options.input === undefined ? null : String(options.input),
    };
  }

  /** Runs a program; resolves `{stdout, stderr}` (text) when it exits 0,
   *  rejects otherwise with an error carrying `code`, `stdout`, `stderr`. */
  async function execFile(command, args, options) {
    const out = await op_mcpv8_exec(optionsOf(command, args, options));
    const stdout = core.decode(out.stdout);
    const stderr = core.decode(out.stderr);
    if (out.code === 0) return { stdout, stderr };
    const why = out.killed
      ? `killed (${out.killed === "timeout" ? "timeout" : "output over maxBuffer"})`
      : out.code === null ? `ended by signal ${out.signal}` : `exit code ${out.code}`;
    const error = new Error(`Command failed: ${[command, ...(args ?? [])].join(" ")}: ${why}\n${stderr}`);
    error.code = out.code;
    error.signal = out.signal;
    error.killed = !!out.killed;
    error.stdout = stdout;
    error.stderr = stderr;
    throw error;
  }

  /** Like `Deno.Command`: `await new Command(cmd, {args, cwd, env}).output()`
   *  resolves `{code, success, signal, stdout, stderr}` (bytes) whatever the
   *  exit code. */
  class Command {
    #options;
    constructor(command, options = {}) {
      this.#options = optionsOf(command, options.args, options);
    }
    async output() {
      const out = await op_mcpv8_exec(this.#options);
      return {
        code: out.code,
        success: out.code === 0,
        signal: out.signal,
        killed: out.killed,
        stdout: out.stdout,
        stderr: out.stderr,
      };
    }
  }

  Object.defineProperty(globalThis, "child_process", {
    value: ObjectFreeze({ execFile, Command }),
    writable: true,
    enumerable: false,
    configurable: true,
  });
})(globalThis);
