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
rounds=${ROUNDS:-7}
runs=${RUNS:-200}
bins=("$@")
[ ${#bins[@]} -gt 0 ] || bins=(build/flinkmem)
command -v perf >/dev/null || { echo "perf is needed (linux-perf)"; exit 1; }
# msec of task-clock per run, or "-" when perf cannot count
clock() { perf stat -r "$runs" -x, -e task-clock "$@" 2>&1 >/dev/null | awk -F, '$3 == "task-clock" { print $1; f = 1 } END { if (!f) print "-" }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A t
names=("/bin/true")
cmds=("/bin/true")
for b in "${bins[@]}"; do
	names+=("$b --version" "$b show" "$b show --format json")
	cmds+=("$b --version" "$b show -c examples/flink-conf.yaml" "$b show -c examples/config.yaml --format json")
done
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 0; r < rounds; r++)); do
	for i in "${!cmds[@]}"; do
		# shellcheck disable=SC2086
		t[$i]+="$(clock ${cmds[$i]}) "
	done
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
base=$(echo "${t[0]}" | tr ' ' '\n' | grep -v '^$' | median)
printf '%-58s %9s %7s   %s\n' "command (median of $rounds rounds x $runs runs)" "ms CPU" "ratio" "rounds"
for i in "${!cmds[@]}"; do
	m=$(echo "${t[$i]}" | tr ' ' '\n' | grep -v '^$' | median)
	printf '%-58s %9.3f %6.2fx   %s\n' "${names[$i]}" "$m" "$(echo "$m / $base" | bc -l)" "${t[$i]}"
done
for b in "${bins[@]}"; do echo "libraries of $b: $(ldd "$b" | awk '{ printf "%s ", $1 }')"; done
