#!/usr/bin/env bash
# Start-up cost of `flinkmem show` against /bin/true, as a ratio measured in
# one run (issue 12: show <= 1.1x /bin/true). CPU time per run (perf stat
# task-clock: user + sys of the process), because wall time on a loaded
# machine mostly measures the scheduler. Commands alternate over ROUNDS
# rounds of RUNS runs each, so a load change hits all of them alike; the
# figure is the median of the rounds. Prints figures, asserts nothing.
#   bench/run_startup.sh [FLINKMEM...]   (default build/flinkmem)
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
rounds=${ROUNDS:-7}
runs=${RUNS:-200}
bins=("$@")
[ ${#bins[@]} -gt 0 ] || bins=(build/flinkmem)
command -v perf >/dev/null || { echo "perf is needed (linux-perf)"; exit 1; }
names=("/bin/true")
cmds=("/bin/true")
for b in "${bins[@]}"; do
	names+=("$b --version" "$b show" "$b show --format json")
	cmds+=("$b --version" "$b show -c examples/flink-conf.yaml" "$b show -c examples/config.yaml --format json")
done
rounds names cmds
for b in "${bins[@]}"; do echo "libraries of $b: $(ldd "$b" | awk '{ printf "%s ", $1 }')"; done
