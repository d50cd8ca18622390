#!/usr/bin/env bash
# Runs the official MCP conformance suite's server scenarios that apply to a
# server without the suite's own test tools, against `mcp-v8 --http-port`.
# Usage: run.sh PATH/TO/mcp-v8. Installs the suite (npm) on first use.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: run.sh PATH/TO/mcp-v8}
scenarios=(server-initialize ping tools-list logging-set-level dns-rebinding-protection server-sse-polling server-sse-multiple-streams)

if [ ! -x "$here/node_modules/.bin/node" ] || [ ! -f "$here/node_modules/@modelcontextprotocol/conformance/dist/index.js" ]; then
  (cd "$here" && npm install --no-audit --no-fund --loglevel=error)
fi
node="$here/node_modules/.bin/node"
suite="$here/node_modules/@modelcontextprotocol/conformance/dist/index.js"

work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" --http-port "$port" --directory-path "$work/data" 2>"$work/stderr.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 200); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.05
done

passed=0 failed=0
for scenario in "${scenarios[@]}"; do
  if out=$("$node" "$suite" server --url "http://127.0.0.1:$port/mcp" --scenario "$scenario" 2>&1) \
     && grep -q ", 0 failed" <<<"$out"; then
    echo "conformance $scenario ... ok"
    passed=$((passed + 1))
  else
    echo "conformance $scenario ... FAILED"
    echo "$out" | tail -n 20
    failed=$((failed + 1))
  fi
done
echo "conformance: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
