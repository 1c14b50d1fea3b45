#!/usr/bin/env bash
# Benchmark for `flinkmem live`: one sample of a simulated cluster of N
# TaskManagers (tests/live/server.py on 127.0.0.1; 2 requests per TM plus 6
# cluster-wide), wall time and peak RSS, at two sizes so the cost per
# TaskManager shows. Prints figures, asserts nothing.
#   bench/run_live.sh [N]   (default 500); RUNS=n
set -u
cd "$(dirname "$0")/.."
n=${1:-500}
runs=${RUNS:-5}
[ -x build/flinkmem ] || make >/dev/null || exit 1
for tms in $((n / 5)) "$n"; do
	pf=$(mktemp)
	python3 tests/live/server.py --tms "$tms" --release 1.20 --max-seconds 300 >"$pf" &
	spid=$!
	for _ in $(seq 100); do [ -s "$pf" ] && break; sleep 0.05; done
	port=$(head -1 "$pf")
	echo "== $tms TaskManagers ($((2 * tms + 6)) requests)"
	hyperfine -N -i --warmup 1 --runs "$runs" "build/flinkmem live --format json http://127.0.0.1:$port" 2>/dev/null |
		grep -E 'Time|Range'
	/usr/bin/time -f "  peak RSS %M KB, %e s" build/flinkmem live --format json "http://127.0.0.1:$port" >/dev/null
	kill $spid 2>/dev/null; wait $spid 2>/dev/null; rm -f "$pf"
done
