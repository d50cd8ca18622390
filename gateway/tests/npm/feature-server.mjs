// An upstream MCP server (the official SDK) for gateway/tests/it/upstreams.rs
// with what the gateway forwards besides tools: a resource, a resource
// template, a prompt, progress and log notifications. Over stdio by default;
// `--http PORT` serves Streamable HTTP at /mcp, where `expire` forgets every
// session (the next request with an old session id gets 404, as the spec
// says), and the legacy HTTP+SSE transport at /sse; `--oauth ID:SECRET`
// requires a bearer token from `POST /token` (client_credentials grant,
// tokens valid `--token-ttl` seconds) on both.
import http from "node:http";
import { randomUUID } from "node:crypto";
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { z } from "zod";

const flag = (name) => {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
};
const counts = { initialize: 0, tokens: 0 };
let sessions = new Map();

function server() {
  const mcp = new McpServer(
    { name: "features", version: "1.0.0" },
    { capabilities: { logging: {}, resources: { listChanged: true }, prompts: { listChanged: true } } },
  );
  mcp.registerTool("echo", { description: "Echoes", inputSchema: { text: z.string() } }, async ({ text }) => ({
    content: [{ type: "text", text }],
  }));
  mcp.registerTool(
    "steps",
    { description: "Reports progress and logs each step", inputSchema: { count: z.number() } },
    async ({ count }, extra) => {
      const token = extra._meta?.progressToken;
      for (let step = 1; step <= count; step++) {
        await extra.sendNotification({
          method: "notifications/message",
          params: { level: "info", logger: "steps", data: `step ${step}` },
        });
        if (token !== undefined) {
          await extra.sendNotification({
            method: "notifications/progress",
            params: { progressToken: token, progress: step, total: count, message: `step ${step}` },
          });
        }
      }
      return { content: [{ type: "text", text: `did ${count} steps` }] };
    },
  );
  mcp.registerTool("expire", { description: "Forgets every HTTP session" }, async () => {
    setImmediate(() => (sessions = new Map()));
    return { content: [{ type: "text", text: "expired" }] };
  });
  // The request's _meta as the server received it (the trace context the
  // gateway passes on), and over HTTP the trace headers of its POST.
  mcp.registerTool("meta", { description: "The request's _meta" }, async (extra) => {
    const headers = extra.requestInfo?.headers ?? {};
    const received = { ...(extra._meta ?? {}), http_traceparent: headers.traceparent ?? null };
    return { content: [{ type: "text", text: JSON.stringify(received) }], structuredContent: received };
  });
  mcp.registerTool("counts", { description: "initialize requests and tokens issued" }, async () => ({
    content: [{ type: "text", text: JSON.stringify(counts) }],
    structuredContent: counts,
  }));
  mcp.registerResource("hello", "note://hello", { mimeType: "text/plain", description: "A note" }, async (uri) => ({
    contents: [{ uri: uri.href, mimeType: "text/plain", text: "hello from the upstream" }],
  }));
  mcp.registerResource(
    "notes",
    new ResourceTemplate("note://notes/{name}", { list: undefined }),
    { mimeType: "text/plain" },
    async (uri, { name }) => ({ contents: [{ uri: uri.href, mimeType: "text/plain", text: `note ${name}` }] }),
  );
  mcp.registerPrompt("greet", { description: "Greets", argsSchema: { name: z.string() } }, ({ name }) => ({
    messages: [{ role: "user", content: { type: "text", text: `Say hello to ${name}` } }],
  }));
  return mcp;
}

const port = flag("--http");
if (port === undefined) {
  counts.initialize += 1;
  await server().connect(new StdioServerTransport());
} else {
  const [clientId, clientSecret] = (flag("--oauth") ?? "").split(":");
  const ttl = Number(flag("--token-ttl") ?? 3600);
  const tokens = new Map();
  const legacy = new Map();
  const body = (req) =>
    new Promise((resolve) => {
      let data = "";
      req.on("data", (chunk) => (data += chunk));
      req.on("end", () => resolve(data));
    });
  http
    .createServer(async (req, res) => {
      if (req.url === "/token" && req.method === "POST") {
        const form = new URLSearchParams(await body(req));
        // client_secret_basic (form-encoded id and secret, RFC 6749 §2.3.1) or client_secret_post.
        const basic = (req.headers.authorization ?? "").match(/^Basic (.+)$/);
        const [id, secret] = basic
          ? Buffer.from(basic[1], "base64").toString().split(":").map(decodeURIComponent)
          : [form.get("client_id"), form.get("client_secret")];
        const ok = form.get("grant_type") === "client_credentials" && id === clientId && secret === clientSecret;
        res.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
        if (!ok) return res.end(JSON.stringify({ error: "invalid_client" }));
        counts.tokens += 1;
        const token = randomUUID();
        tokens.set(token, Date.now() + ttl * 1000);
        return res.end(
          JSON.stringify({ access_token: token, token_type: "Bearer", expires_in: ttl, scope: form.get("scope") }),
        );
      }
      if (clientId) {
        const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
        if (!(tokens.get(token) > Date.now())) {
          res.writeHead(401, { "www-authenticate": 'Bearer error="invalid_token"' });
          return res.end();
        }
      }
      if (req.method === "GET" && req.url === "/sse") {
        const transport = new SSEServerTransport("/messages", res);
        legacy.set(transport.sessionId, transport);
        counts.initialize += 1;
        return server().connect(transport);
      }
      if (req.method === "POST" && req.url.startsWith("/messages")) {
        const transport = legacy.get(new URL(req.url, "http://x").searchParams.get("sessionId"));
        if (!transport) return res.writeHead(404).end();
        return transport.handlePostMessage(req, res);
      }
      const id = req.headers["mcp-session-id"];
      if (id !== undefined) {
        const transport = sessions.get(id);
        if (!transport) {
          res.writeHead(404, { "content-type": "application/json" });
          return res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32001, message: "Session not found" }, id: null }));
        }
        return transport.handleRequest(req, res);
      }
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (sid) => sessions.set(sid, transport),
      });
      counts.initialize += 1;
      await server().connect(transport);
      return transport.handleRequest(req, res);
    })
    .listen(Number(port), "127.0.0.1");
}
