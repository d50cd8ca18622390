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
# Port 0: the server binds a free port itself and logs "serving on <url>".
"$bin" --http-port 0 --directory-path "$work/data" 2>"$work/stderr.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
base=""
for _ in $(seq 600); do
  base=$(grep -o 'serving on http://[^ ]*' "$work/stderr.log" | head -n1 | sed 's/^serving on //; s/:$//') || true
  [ -n "$base" ] && break
  kill -0 "$server" 2>/dev/null || { echo "mcp-v8 exited:"; cat "$work/stderr.log"; exit 1; }
  sleep 0.05
done
[ -n "$base" ] || { echo "mcp-v8 did not start:"; cat "$work/stderr.log"; exit 1; }

passed=0 failed=0
for scenario in "${scenarios[@]}"; do
  if out=$("$node" "$suite" server --url "$base/mcp" --scenario "$scenario" 2>&1) \
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
