#!/usr/bin/env bash
# Crash test of petition signing: builds `hromada` and `hromada-bench`, then runs
# `hromada-bench crash`, which kills `hromada serve` with SIGKILL while it takes signatures at
# full rate, restarts it on the same data and checks that every acknowledged signature is there
# exactly once, that the counter equals the rows and that the signer chain verifies.
#
#   bench/crash.sh                       debug build (what CI runs)
#   PROFILE=release bench/crash.sh       release build, for figures
#   RUNS=3 bench/crash.sh                several runs in a row
#   bench/crash.sh --database-url postgres://postgres@127.0.0.1:5432/postgres
#                                        PostgreSQL (a fresh database, dropped after a clean run)
#
# Further arguments go to `hromada-bench crash` (see its --help). Exits non-zero on a violation.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
profile="${PROFILE:-debug}"
runs="${RUNS:-1}"
case "$profile" in
  debug) build=() ;;
  release) build=(--release) ;;
  *) echo "crash: PROFILE must be debug or release" >&2; exit 2 ;;
esac
target_dir="${CARGO_TARGET_DIR:-$root/target}"
if [[ "$target_dir" != /* ]]; then target_dir="$root/$target_dir"; fi

(cd "$root" && cargo build "${build[@]}" -p hromada-app -p hromada-bench --bins)
for run in $(seq 1 "$runs"); do
  [[ "$runs" == 1 ]] || echo "--- run $run of $runs"
  "$target_dir/$profile/hromada-bench" crash --binary "$target_dir/$profile/hromada" "$@"
done
