// The global `mcp`: the tools of the upstream MCP servers the gateway
// fronts (src/host.rs), each call decided by the `mcp_tools` policy.
//
// Invariant: the ops stay in this closure; what user code gets back is
// plain data it owns.
"use strict";

((globalThis) => {
  const core = globalThis.Deno.core;
  const { op_mcpv8_mcp_servers, op_mcpv8_mcp_tools, op_mcpv8_mcp_call } = core.ops;

  // Failing to get an answer at all (unknown server or tool, server down,
  // timeout), as opposed to a tool's own error (McpToolError).
  core.registerErrorBuilder("McpCallError", (message) => {
    const error = new Error(message);
    error.name = "McpCallError";
    return error;
  });

  /** A tool answered with `isError`: its text, the server and the tool. */
  class McpToolError extends Error {
    constructor(server, tool, message, result) {
      super(`${server}.${tool}: ${message}`);
      this.name = "McpToolError";
      this.server = server;
      this.tool = tool;
      this.result = result;
    }
  }

  const textOf = (result) =>
    result.content
      .filter((part) => part?.type === "text")
      .map((part) => part.text)
      .join("\n") || "the tool reported an error";

  const words = (text) => String(text ?? "").toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);

  const mcp = {
    /** The upstream servers: `[{name, status, tools, error?}]`. */
    get servers() {
      return op_mcpv8_mcp_servers();
    },
    /** The catalogue (of one server, or all): `[{server, name, description, inputSchema}]`. */
    listTools(server = undefined) {
      return op_mcpv8_mcp_tools(server === undefined || server === null ? "" : String(server));
    },
    /** Calls a tool: `{content, structuredContent, isError}`; throws McpToolError when `isError`. */
    async callTool(server, tool, args = {}, options = {}) {
      if (args !== null && (typeof args !== "object" || Array.isArray(args))) {
        throw new TypeError("mcp.callTool: the arguments must be an object");
      }
      const timeoutMs = options?.timeoutMs;
      const result = await op_mcpv8_mcp_call(String(server), String(tool), args ?? {}, { timeoutMs: timeoutMs ?? null });
      if (result.isError) throw new McpToolError(String(server), String(tool), textOf(result), result);
      return result;
    },
    /** The catalogue ranked by how well names and descriptions match `query`. */
    searchTools(query, limit = 10) {
      const wanted = words(query);
      const scored = [];
      for (const tool of op_mcpv8_mcp_tools("")) {
        const name = words(`${tool.server} ${tool.name}`);
        const description = words(tool.description);
        let score = 0;
        for (const word of wanted) {
          if (name.includes(word)) score += 3;
          else if (name.some((part) => part.startsWith(word))) score += 2;
          if (description.includes(word)) score += 1;
        }
        if (score > 0) scored.push({ score, tool });
      }
      scored.sort((a, b) => b.score - a.score || a.tool.name.localeCompare(b.tool.name));
      return scored.slice(0, Math.max(0, limit)).map(({ tool }) => tool);
    },
  };

  for (const [name, value] of [["mcp", mcp], ["McpToolError", McpToolError]]) {
    Object.defineProperty(globalThis, name, { value, writable: true, enumerable: false, configurable: true });
  }
})(globalThis);
