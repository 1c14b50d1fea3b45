#!/usr/bin/env bash
# Benchmark for the log scan behind `flinkmem diagnose` (issues 4 and 12).
# Prints figures, asserts nothing; not part of ctest (a 1 GiB log takes a
# while). For each SIZE it generates a TaskManager log (bench/gen_tmlog,
# deterministic) and compares, in the same hyperfine run:
#   grep     grep -F -n -f LITERALS LOG       GNU grep
#   rg       rg -F -n -f LITERALS LOG         ripgrep (one thread: one file)
#   rg-all   rg -n -f ALL LOG                 ripgrep doing diagnose's whole job
#   ours-2t  flinkmem diagnose --format json --jobs 2 LOG
#   ours-1t  flinkmem diagnose --format json --jobs 1 LOG
# LITERALS is every literal signature of diagnose's own table, ALL every
# signature (regexes too), both printed by build/bench/bench_literals from
# fm_signature_patterns(), so rows added to the table are benchmarked as
# they are. ours always does more than grep/rg: it also runs the regex
# signatures, then classifies what it found and renders a report.
# Every tool writes its matches to a regular file (GNU grep stops at the
# first match when stdout is /dev/null, which would not be a scan).
#
# Reported: wall time (mean and median of RUNS), CPU time (user + sys),
# throughput, peak RSS (GNU time), and speed-ups as ratios of the same run:
# rg / ours-2t and rg / ours-1t by wall time (targets 1.5 and 1.0) and by CPU
# time. The load average is printed before and after: on a shared machine,
# wall ratios move with it, CPU ratios much less.
#
#   bench/run_diagnose.sh [SIZE...]   SIZE like 256m (default); RUNS=n (5)
#   bench/run_diagnose.sh 256m 1g     the issue-12 figures (by hand: minutes)
# Logs are kept in $BENCH_DIR (default ${TMPDIR:-/tmp}/flinkmem-bench).
set -u
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
dir=${BENCH_DIR:-${TMPDIR:-/tmp}/flinkmem-bench}
[ $# -gt 0 ] || set -- 256m
mkdir -p "$dir" || exit 1
[ -x build/flinkmem ] && [ -x build/bench/bench_literals ] && [ -x build/bench/gen_tmlog ] ||
	make >/dev/null || exit 1
command -v hyperfine >/dev/null && command -v rg >/dev/null || {
	echo "run_diagnose: needs hyperfine and rg (make deps)" >&2
	exit 1
}

lits=$dir/literals.txt all=$dir/all-patterns.txt
build/bench/bench_literals >"$lits" && build/bench/bench_literals -a >"$all" || exit 1
echo "patterns: $(build/bench/bench_literals -s)"
echo "grep/rg get the $(wc -l <"$lits") literals; rg-all and ours all of them"

to_bytes() { # 64m -> bytes
	local n=${1%[kKmMgG]}
	case $1 in
	*[kK]) echo $((n << 10)) ;; *[mM]) echo $((n << 20)) ;; *[gG]) echo $((n << 30)) ;; *) echo "$1" ;;
	esac
}
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
rss() { # peak RSS in KiB (GNU time, Debian package "time")
	if [ -x /usr/bin/time ]; then /usr/bin/time -f %M sh -c "$1" 2>&1 >/dev/null | tail -1; else echo n/a; fi
}

for size in "$@"; do
	bytes=$(to_bytes "$size")
	log=$dir/tm-$bytes.log out=$dir/out
	[ -s "$log" ] || build/bench/gen_tmlog "$bytes" "$log" || exit 1
	cat "$log" >/dev/null # in the page cache for every tool alike
	declare -A cmd=(
		[grep]="grep -F -n -f $lits $log >$out.grep"
		[rg]="rg --no-config -F -n -f $lits $log >$out.rg"
		[rg-all]="rg --no-config -n -f $all $log >$out.rg-all"
		[ours-2t]="build/flinkmem diagnose --format json --jobs 2 $log >$out.ours2 2>/dev/null"
		[ours-1t]="build/flinkmem diagnose --format json --jobs 1 $log >$out.ours1 2>/dev/null"
	)
	order=(grep rg rg-all ours-2t ours-1t)
	echo
	echo "== $log ($bytes bytes, $(wc -l <"$log") lines), $runs runs each"
	echo "load before: $(uptime)"
	csv=$dir/hyperfine-$bytes.csv args=()
	for t in "${order[@]}"; do args+=(-n "$t" "${cmd[$t]}"); done
	hyperfine -i --warmup 1 --runs "$runs" --export-csv "$csv" "${args[@]}" >/dev/null 2>&1 || exit 1
	echo "load after:  $(uptime)"
	# hyperfine CSV: command,mean,stddev,median,user,system,min,max
	field() { awk -F, -v c="$1" -v k="$2" '$1 == c { print $k }' "$csv"; }
	cpu() { calc %.4f "$(field "$1" 5) + $(field "$1" 6)"; }
	printf '%-8s %8s %8s %8s %8s %13s\n' tool "mean s" "median s" "cpu s" "MiB/s" "peak RSS KiB"
	for t in "${order[@]}"; do
		printf '%-8s %8.3f %8.3f %8.3f %8.0f %13s\n' "$t" "$(field "$t" 2)" "$(field "$t" 4)" "$(cpu "$t")" \
			"$(calc %.0f "$bytes / $(field "$t" 2) / 1048576")" "$(rss "${cmd[$t]}")"
	done
	for base in rg grep rg-all; do
		printf 'speed-up vs %-6s wall (mean): 2 threads %.2fx, 1 thread %.2fx;' "$base" \
			"$(calc %.4f "$(field "$base" 2) / $(field ours-2t 2)")" "$(calc %.4f "$(field "$base" 2) / $(field ours-1t 2)")"
		printf ' median: %.2fx, %.2fx; cpu: %.2fx, %.2fx\n' \
			"$(calc %.4f "$(field "$base" 4) / $(field ours-2t 4)")" "$(calc %.4f "$(field "$base" 4) / $(field ours-1t 4)")" \
			"$(calc %.4f "$(cpu "$base") / $(cpu ours-2t)")" "$(calc %.4f "$(cpu "$base") / $(cpu ours-1t)")"
	done
	echo "targets (issue 12): vs rg >= 1.5x with 2 threads, >= 1.0x with 1; peak RSS <= 32768 KiB"
	echo "matching lines: grep $(wc -l <"$out.grep"), rg $(wc -l <"$out.rg"), rg-all $(wc -l <"$out.rg-all");" \
		"ours: $(grep -o '"failure"' "$out.ours1" | wc -l) incidents (1 thread), $(grep -o '"failure"' "$out.ours2" | wc -l) (2)"
	cmp -s "$out.ours1" "$out.ours2" && echo "ours: 1 and 2 threads give the same report" ||
		echo "ours: 1 and 2 threads DIFFER ($out.ours1, $out.ours2)"
done
