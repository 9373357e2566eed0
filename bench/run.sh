#!/usr/bin/env bash
# Throughput of the community home page and a petition page against a static asset, measured with
# wrk on loopback against `hromada demo`. Builds nothing: pass a release binary.
#
#   bench/run.sh [path/to/hromada]      (default: target/release/hromada)
#   DURATION=10s THREADS=2 CONNECTIONS=32 bench/run.sh
#
# Prints figures only; there is no pass/fail.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
bin="${1:-$root/target/release/hromada}"
if [[ "$bin" != /* ]]; then bin="$PWD/$bin"; fi
duration="${DURATION:-10s}"
threads="${THREADS:-2}"
connections="${CONNECTIONS:-32}"
community="${COMMUNITY:-sievierodonetska}"
petition="${PETITION:-1}"

if [[ ! -x "$bin" ]]; then
  echo "bench: no executable hromada binary at $bin (build it with: cargo build --release -p hromada-app --bin hromada)" >&2
  exit 2
fi
if ! command -v wrk >/dev/null 2>&1; then
  echo "bench: installing wrk"
  if [[ "$(id -u)" == 0 ]]; then
    apt-get update -q && apt-get install -y --no-install-recommends wrk
  else
    sudo apt-get update -q && sudo apt-get install -y --no-install-recommends wrk
  fi
fi

data="$(mktemp -d "${TMPDIR:-/tmp}/hromada-bench.XXXXXX")"
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

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null ||
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
base="http://127.0.0.1:$port"
mkdir -p "$data/data"
"$bin" demo --data-dir "$data/data" --bind "127.0.0.1:$port" >"$data/server.log" 2>&1 &
server_pid=$!

ready=0
for _ in $(seq 1 120); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "bench: the server exited early; its log:" >&2
    cat "$data/server.log" >&2
    exit 1
  fi
  if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base/readyz" || true)" == 200 ]]; then
    ready=1
    break
  fi
  sleep 0.5
done
if [[ "$ready" != 1 ]]; then
  echo "bench: $base/readyz did not answer 200 within 60 s" >&2
  tail -n 50 "$data/server.log" >&2
  exit 1
fi

# Both targets must answer 200, or the figures would measure an error page.
for path in "/c/$community/" "/c/$community/petitions/$petition" "/static/app.css"; do
  code="$(curl -s -o /dev/null -w '%{http_code}' "$base$path" || true)"
  if [[ "$code" != 200 ]]; then
    echo "bench: GET $path answered $code, not 200" >&2
    exit 1
  fi
done

# run_wrk PATH -> prints "requests_per_second p99_ms non2xx"
run_wrk() {
  local out
  # warm-up, not measured
  wrk -t "$threads" -c "$connections" -d 2s "$base$1" >/dev/null 2>&1 || true
  out="$(wrk -t "$threads" -c "$connections" -d "$duration" --latency "$base$1")"
  printf '%s\n' "$out" >"$data/wrk-$(echo "$1" | tr '/' '_').txt"
  awk '
    function ms(v) {
      if (v ~ /us$/) { sub(/us$/, "", v); return v / 1000 }
      if (v ~ /ms$/) { sub(/ms$/, "", v); return v + 0 }
      if (v ~ /m$/)  { sub(/m$/, "", v);  return v * 60000 }
      if (v ~ /s$/)  { sub(/s$/, "", v);  return v * 1000 }
      return v + 0
    }
    /^Requests\/sec:/ { rps = $2 }
    /^ +99%/ { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { bad = $NF }
    END { printf "%s %s %s\n", rps, p99, (bad == "" ? 0 : bad) }
  ' <<<"$out"
}

echo "hromada bench: $bin"
echo "wrk: ${threads} threads, ${connections} connections, ${duration} per target, on $base"
echo
read -r home_rps home_p99 home_bad < <(run_wrk "/c/$community/")
read -r pet_rps pet_p99 pet_bad < <(run_wrk "/c/$community/petitions/$petition")
read -r static_rps static_p99 static_bad < <(run_wrk "/static/app.css")

printf '%-28s %14s %12s %10s\n' "target" "requests/s" "p99 (ms)" "non-2xx"
printf '%-28s %14.1f %12.2f %10s\n' "/c/$community/" "$home_rps" "$home_p99" "$home_bad"
printf '%-28s %14.1f %12.2f %10s\n' "/c/$community/petitions/$petition" "$pet_rps" "$pet_p99" "$pet_bad"
printf '%-28s %14.1f %12.2f %10s\n' "/static/app.css" "$static_rps" "$static_p99" "$static_bad"
awk -v h="$home_rps" -v s="$static_rps" 'BEGIN { if (s > 0) printf "home / static: %.1f%%\n", 100 * h / s; else print "home / static: n/a" }'
awk -v h="$pet_rps" -v s="$static_rps" 'BEGIN { if (s > 0) printf "petition / static: %.1f%%\n", 100 * h / s; else print "petition / static: n/a" }'
