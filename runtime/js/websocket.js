// The WHATWG WebSocket class, over our ops (src/websocket.rs), behind the
// fetch policy. web.js makes it, with Deno's events and Blob, the first time
// user code reads `WebSocket`.
//
// Invariant: the ops and Deno.core stay in this closure; a session's heap
// cannot keep a socket that is not closed (it is tracked, see weak.js).
"use strict";

((globalThis) => {
  const { core, primordials } = globalThis.__bootstrap;
  const mcpv8 = globalThis.__bootstrap.mcpv8;
  const { op_mcpv8_ws_connect, op_mcpv8_ws_send_text, op_mcpv8_ws_send_binary, op_mcpv8_ws_close, op_mcpv8_ws_next } =
    core.ops;
  const { ArrayBufferIsView, ObjectDefineProperty, PromisePrototypeThen, SafeArrayIterator } = primordials;

  const CONNECTING = 0;
  const OPEN = 1;
  const CLOSING = 2;
  const CLOSED = 3;

  /** The class, from the loaded web platform's pieces. */
  function makeWebSocket(
    { EventTarget, Event, MessageEvent, CloseEvent, DOMException, Blob, URL, TextEncoder, defineEventHandler, setIsTrusted },
  ) {
    const encoder = new TextEncoder();

    class WebSocket extends EventTarget {
      #rid = undefined;
      #state = CONNECTING;
      #url;
      #protocol = "";
      #extensions = "";
      #binaryType = "blob";
      #buffered = 0;
      #closeAfterOpen = undefined;

      constructor(url, protocols = []) {
        super();
        let parsed;
        try {
          parsed = new URL(String(url));
        } catch {
          throw new DOMException(`WebSocket: invalid URL '${url}'`, "SyntaxError");
        }
        if (parsed.protocol === "http:") parsed.protocol = "ws:";
        else if (parsed.protocol === "https:") parsed.protocol = "wss:";
        if (parsed.protocol !== "ws:" && parsed.protocol !== "wss:") {
          throw new DOMException(`WebSocket: the URL's scheme must be ws: or wss:, not ${parsed.protocol}`, "SyntaxError");
        }
        if (parsed.hash !== "") throw new DOMException("WebSocket: a URL with a fragment", "SyntaxError");
        const list = typeof protocols === "string" ? [protocols] : [...new SafeArrayIterator(protocols)].map(String);
        if (new Set(list).size !== list.length) {
          throw new DOMException("WebSocket: a protocol is given twice", "SyntaxError");
        }
        this.#url = parsed.href;
        mcpv8.track(this, "WebSocket that is not closed", "close it (and await its close event) in the run that opened it",
          (socket) => socket.readyState !== CLOSED);
        PromisePrototypeThen(
          op_mcpv8_ws_connect(this.#url, list),
          ({ rid, protocol, extensions }) => {
            this.#rid = rid;
            this.#protocol = protocol;
            this.#extensions = extensions;
            if (this.#closeAfterOpen !== undefined) {
              this.#state = CLOSING;
              const [code, reason] = this.#closeAfterOpen;
              op_mcpv8_ws_close(rid, code, reason);
            } else {
              this.#state = OPEN;
              this.#fire(new Event("open"));
            }
            this.#receive();
          },
          (error) => this.#fail(error),
        );
      }

      #fire(event) {
        setIsTrusted(event, true);
        this.dispatchEvent(event);
      }

      #fail(error) {
        this.#state = CLOSED;
        const event = new Event("error");
        ObjectDefineProperty(event, "message", { value: String(error?.message ?? error) });
        ObjectDefineProperty(event, "error", { value: error });
        this.#fire(event);
        this.#fire(new CloseEvent("close", { wasClean: false, code: 1006, reason: "" }));
      }

      async #receive() {
        for (;;) {
          let event;
          try {
            event = await op_mcpv8_ws_next(this.#rid);
          } catch (error) {
            this.#fail(error);
            return;
          }
          switch (event.kind) {
            case "text":
              this.#fire(new MessageEvent("message", { data: event.text, origin: new URL(this.#url).origin }));
              break;
            case "binary": {
              const bytes = event.data;
              const data = this.#binaryType === "arraybuffer"
                ? bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
                : new Blob([bytes]);
              this.#fire(new MessageEvent("message", { data, origin: new URL(this.#url).origin }));
              break;
            }
            case "close":
              this.#state = CLOSED;
              this.#fire(new CloseEvent("close", { wasClean: event.code !== 1006, code: event.code, reason: event.reason }));
              return;
            default:
              this.#fail(new DOMException(`WebSocket: ${event.reason}`, "NetworkError"));
              return;
          }
        }
      }

      get url() {
        return this.#url;
      }
      get readyState() {
        return this.#state;
      }
      get protocol() {
        return this.#protocol;
      }
      get extensions() {
        return this.#extensions;
      }
      get bufferedAmount() {
        return this.#buffered;
      }
      get binaryType() {
        return this.#binaryType;
      }
      set binaryType(value) {
        if (value === "blob" || value === "arraybuffer") this.#binaryType = value;
      }

      send(data) {
        if (this.#state === CONNECTING) throw new DOMException("WebSocket: still connecting", "InvalidStateError");
        if (this.#state !== OPEN) return;
        const rid = this.#rid;
        const sent = (promise, size) => {
          this.#buffered += size;
          PromisePrototypeThen(promise, () => { this.#buffered -= size; }, () => { this.#buffered -= size; });
        };
        if (typeof data === "string") {
          sent(op_mcpv8_ws_send_text(rid, data), data.length);
        } else if (data instanceof ArrayBuffer) {
          sent(op_mcpv8_ws_send_binary(rid, new Uint8Array(data)), data.byteLength);
        } else if (ArrayBufferIsView(data)) {
          sent(op_mcpv8_ws_send_binary(rid, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)), data.byteLength);
        } else if (data instanceof Blob) {
          sent(PromisePrototypeThen(data.arrayBuffer(), (buffer) => op_mcpv8_ws_send_binary(rid, new Uint8Array(buffer))), data.size);
        } else {
          const text = String(data);
          sent(op_mcpv8_ws_send_text(rid, text), text.length);
        }
      }

      close(code = undefined, reason = undefined) {
        if (code !== undefined) {
          code = Number(code);
          if (code !== 1000 && !(code >= 3000 && code <= 4999)) {
            throw new DOMException(`WebSocket: close code ${code} is neither 1000 nor in 3000-4999`, "InvalidAccessError");
          }
        }
        reason = reason === undefined ? "" : String(reason);
        if (encoder.encode(reason).byteLength > 123) {
          throw new DOMException("WebSocket: a close reason is at most 123 bytes", "SyntaxError");
        }
        if (this.#state === CLOSING || this.#state === CLOSED) return;
        if (this.#state === CONNECTING) {
          this.#state = CLOSING;
          this.#closeAfterOpen = [code ?? 0, reason];
          return;
        }
        this.#state = CLOSING;
        op_mcpv8_ws_close(this.#rid, code ?? 0, reason);
      }
    }

    for (const [name, value] of [["CONNECTING", CONNECTING], ["OPEN", OPEN], ["CLOSING", CLOSING], ["CLOSED", CLOSED]]) {
      ObjectDefineProperty(WebSocket, name, { value, enumerable: true });
      ObjectDefineProperty(WebSocket.prototype, name, { value, enumerable: true });
    }
    for (const name of ["open", "message", "error", "close"]) defineEventHandler(WebSocket.prototype, name);
    return WebSocket;
  }

  mcpv8.makeWebSocket = makeWebSocket;
})(globalThis);
