// An upstream MCP server (stdio, the official SDK) for
// gateway/tests/it/upstreams.rs: its tools change while it runs (`grow` adds
// a tool named by its argument, and the SDK sends
// notifications/tools/list_changed), and it counts the calls cancelled by
// notifications/cancelled (`wait` waits for one, `cancelled` tells how many).
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "growing", version: "1.0.0" });
server.registerTool(
  "grow",
  { description: "Adds a tool", inputSchema: { name: z.string() } },
  async ({ name }) => {
    server.registerTool(name, { description: `Added at run time: ${name}` }, async () => ({
      content: [{ type: "text", text: `I am ${name}` }],
    }));
    return { content: [{ type: "text", text: `added ${name}` }] };
  },
);
let cancelled = 0;
let started = 0;
server.registerTool("wait", { description: "Waits until the call is cancelled" }, async (extra) => {
  started += 1;
  await new Promise((resolve) => extra.signal.addEventListener("abort", () => { cancelled += 1; resolve(); }));
  return { content: [{ type: "text", text: "cancelled" }] };
});
server.registerTool("cancelled", { description: "How many calls were cancelled" }, async () => ({
  content: [{ type: "text", text: String(cancelled) }],
  // And how many `wait` calls began: a test cancels one only once it is here.
  structuredContent: { cancelled, started },
}));
await server.connect(new StdioServerTransport());
