// An upstream MCP server (stdio, the official SDK) whose tools change while
// it runs: `grow` adds a tool named by its argument, and the SDK sends
// notifications/tools/list_changed. For gateway/tests/it/upstreams.rs.
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
await server.connect(new StdioServerTransport());
