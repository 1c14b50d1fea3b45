#!/usr/bin/env bash
# Goal-seek (`plan --want`, no --container) on a small config and on one
# with 10,000 other keys, for goals from 8g to 1t: CPU time per run as the
# median of alternating rounds, the first command the baseline; with BASE
# naming another build's flinkmem, its runs come in the same rounds (a
# same-run ratio). Prints figures, asserts nothing.
#   BASE=/path/to/flinkmem bench/run_plan.sh
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
rounds=${ROUNDS:-5}
runs=${RUNS:-20}
command -v perf >/dev/null || { echo "perf is needed (linux-perf)"; exit 1; }
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
printf 'taskmanager.memory.process.size: 4g\njobmanager.memory.process.size: 2g\n' >"$d/small.yaml"
{ cat "$d/small.yaml"; for ((i = 0; i < 10000; i++)); do echo "custom.key.$i: v$i"; done; } >"$d/big.yaml"
bins=(build/flinkmem)
[ -n "${BASE:-}" ] && bins+=("$BASE")
names=() cmds=()
for c in small big; do
	for g in 8g 60g 1t; do
		for b in "${bins[@]}"; do
			names+=("$b $c task-heap>=$g")
			cmds+=("$b plan -c $d/$c.yaml --want task-heap>=$g --format json")
		done
	done
done
rounds names cmds
