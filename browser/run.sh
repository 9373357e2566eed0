#!/usr/bin/env bash
# Browser suite: starts `hromada demo` on a temporary data folder and a free
# port, runs the accessibility and keyboard tests in headless Chromium against
# it, stops the server and exits with the suite's code.
#
#   browser/run.sh [path/to/hromada]     (default: ../target/debug/hromada)
#
# Needs Node.js 20+, npm and Chromium (CHROMIUM_PATH, default /usr/bin/chromium).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="${1:-$here/../target/debug/hromada}"
if [[ "$bin" != /* ]]; then bin="$PWD/$bin"; fi
if [[ ! -x "$bin" ]]; then
  echo "run.sh: no executable hromada binary at $bin" >&2
  exit 2
fi
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ ! -x "$CHROMIUM_PATH" ]]; then
  echo "run.sh: Chromium not found at $CHROMIUM_PATH (apt-get install -y chromium)" >&2
  exit 2
fi

cd "$here"
if [[ ! -d node_modules/playwright-core || ! -d node_modules/axe-core ]]; then
  npm ci --no-audit --no-fund
fi

data="$(mktemp -d "${TMPDIR:-/tmp}/hromada-browser.XXXXXX")"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
base="http://127.0.0.1:$port"
log="$data/server.log"
mkdir -p "$data/data"

echo "== starting hromada demo on $base (data: $data)"
"$bin" demo --data-dir "$data/data" --bind "127.0.0.1:$port" >"$log" 2>&1 &
server_pid=$!

ready=0
for _ in $(seq 1 120); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "run.sh: the server exited before it was ready; its log:" >&2
    cat "$log" >&2
    exit 1
  fi
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base/readyz" || true)"
  if [[ "$code" == "200" ]]; then
    ready=1
    break
  fi
  sleep 0.5
done
if [[ "$ready" != 1 ]]; then
  echo "run.sh: $base/readyz did not answer 200 within 60 s; server log:" >&2
  tail -n 100 "$log" >&2
  exit 1
fi
echo "== server ready"

export BASE_URL="$base"
status=0
npm test || status=$?

if [[ "$status" != 0 ]]; then
  echo "== the suite failed (exit $status); last lines of the server log:"
  tail -n 60 "$log" || true
fi
exit "$status"
