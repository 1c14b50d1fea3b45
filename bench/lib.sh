# Shared by the bench scripts (sourced): CPU time per run and medians.
# clock CMD... : msec of task-clock per run (perf stat over $runs runs), "-"
# when perf cannot count
clock() { perf stat -r "$runs" -x, -e task-clock "$@" 2>&1 >/dev/null | awk -F, '$3 == "task-clock" { print $1; f = 1 } END { if (!f) print "-" }'; }
# median of the numbers on stdin, one per line
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# rounds NAMES CMDS: runs every command of the array CMDS once per round,
# alternating, for $rounds rounds; prints per command the median msec and
# its ratio to the first command (the baseline)
rounds() {
	local -n names_=$1 cmds_=$2
	local -a t=()
	local r i
	echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
	for ((r = 0; r < rounds; r++)); do
		for i in "${!cmds_[@]}"; do
			# shellcheck disable=SC2086
			t[$i]+="$(clock ${cmds_[$i]}) "
		done
	done
	echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
	local base m
	base=$(echo "${t[0]}" | tr ' ' '\n' | grep -v '^$' | median)
	printf '%-58s %9s %7s   %s\n' "command (median of $rounds rounds x $runs runs)" "ms CPU" "ratio" "rounds"
	for i in "${!cmds_[@]}"; do
		m=$(echo "${t[$i]}" | tr ' ' '\n' | grep -v '^$' | median)
		printf '%-58s %9.3f %6.2fx   %s\n' "${names_[$i]}" "$m" "$(echo "$m / $base" | bc -l)" "${t[$i]}"
	done
}
