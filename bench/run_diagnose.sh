#!/usr/bin/env bash
# Benchmark for the log scan behind `flinkmem diagnose` (issue 4). Prints
# figures, asserts nothing. On one generated TaskManager log (bench/gen_tmlog)
# it compares, in the same run:
#   grep -F -n -f LITERALS LOG      (GNU grep, the literal signatures)
#   rg -F -n -f LITERALS LOG        (ripgrep, the same literals)
#   ours: build/flinkmem diagnose --format json LOG when that command exists,
#         else build/bench/bench_scan (every lit: and re: signature)
# wall times (hyperfine), ratios, throughput, peak RSS (/usr/bin/time), and
# ours on a log a quarter of the size (cost must stay linear).
#
#   bench/run_diagnose.sh [SIZE]     SIZE like 64m (default) or 1g; RUNS=n
# Logs are kept in $BENCH_DIR (default ${TMPDIR:-/tmp}/flinkmem-bench).
set -u
cd "$(dirname "$0")/.."
size=${1:-64m}
runs=${RUNS:-5}
dir=${BENCH_DIR:-${TMPDIR:-/tmp}/flinkmem-bench}
tsv=tests/unit/data/signatures.tsv
mkdir -p "$dir"
[ -x build/bench/bench_scan ] && [ -x build/bench/gen_tmlog ] || make >/dev/null || exit 1

to_bytes() { # 64m -> bytes
	local n=${1%[kKmMgG]}
	case $1 in
	*[kK]) echo $((n << 10)) ;; *[mM]) echo $((n << 20)) ;; *[gG]) echo $((n << 30)) ;; *) echo "$1" ;;
	esac
}
bytes=$(to_bytes "$size")
quarter=$((bytes / 4))
log=$dir/tm-$bytes.log
qlog=$dir/tm-$quarter.log
[ -s "$log" ] || build/bench/gen_tmlog "$bytes" "$log" || exit 1
[ -s "$qlog" ] || build/bench/gen_tmlog "$quarter" "$qlog" || exit 1
lits=$dir/literals.txt
awk -F'\t' '$2 ~ /^lit:/ { print substr($2, 5) }' "$tsv" >"$lits"
nre=$(awk -F'\t' '$2 ~ /^re:/' "$tsv" | wc -l)

if build/flinkmem diagnose --help >/dev/null 2>&1; then
	ours="build/flinkmem diagnose --format json"
else
	ours="build/bench/bench_scan -t $tsv"
fi
# Output goes to a regular file: GNU grep stops at the first match when its
# stdout is /dev/null, which would not be a scan.
out=$dir/out
cmd_grep="grep -F -n -f $lits $log >$out.grep"
cmd_rg="rg -F -n -f $lits $log >$out.rg"
cmd_ours="$ours $log >$out.ours 2>/dev/null"
cmd_quarter="$ours $qlog >$out.quarter 2>/dev/null"
# bench_scan splits a big file across cores; -j1 shows the single-core cost.
cmd_ours_1thread="build/bench/bench_scan -j1 -t $tsv $log >$out.ours1 2>/dev/null"

echo "log: $log ($bytes bytes, $(wc -l <"$log") lines)"
echo "patterns: grep/rg $(wc -l <"$lits") literals; ours the same + $nre regexes"
echo "ours: $ours"
csv=$dir/hyperfine.csv
hyperfine -i --warmup 1 --runs "$runs" --export-csv "$csv" \
	-n grep "$cmd_grep" -n rg "$cmd_rg" -n ours "$cmd_ours" -n ours-quarter "$cmd_quarter" \
	-n ours-1thread "$cmd_ours_1thread" |
	grep -E '^(Benchmark|  Time)'

# hyperfine CSV: command,mean,stddev,median,user,system,min,max
field() { awk -F, -v c="$1" -v k="$2" '$1 == c { print $k }' "$csv"; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
rss() { # peak RSS in KiB (needs GNU time, Debian package "time")
	if [ -x /usr/bin/time ]; then /usr/bin/time -f %M sh -c "$1" 2>&1 >/dev/null | tail -1; else echo n/a; fi
}
echo
printf '%-13s %8s %8s %9s %13s\n' tool "wall s" "cpu s" "MiB/s" "peak RSS KiB"
for t in grep rg ours ours-quarter ours-1thread; do
	c=cmd_${t/-/_} b=$bytes
	[ "$t" = ours-quarter ] && c=cmd_quarter b=$quarter
	w=$(field "$t" 2) cpu=$(calc %.3f "$(field "$t" 5) + $(field "$t" 6)")
	printf '%-13s %8.3f %8s %9.0f %13s\n' "$t" "$w" "$cpu" "$(calc %.0f "$b / $w / 1048576")" "$(rss "${!c}")"
done
w_grep=$(field grep 2) w_rg=$(field rg 2) w_ours=$(field ours 2) w_q=$(field ours-quarter 2)
c_rg=$(calc %.4f "$(field rg 5) + $(field rg 6)") c_ours=$(calc %.4f "$(field ours 5) + $(field ours 6)")
c_grep=$(calc %.4f "$(field grep 5) + $(field grep 6)")
echo
echo "speed-up of ours (wall): $(calc %.2f "$w_grep / $w_ours")x grep -F (target >= 1.5)," \
	"$(calc %.2f "$w_rg / $w_ours")x rg -F (target >= 1.0)"
echo "speed-up of ours-1thread (wall): $(calc %.2f "$w_rg / $(field ours-1thread 2)")x rg -F"
echo "speed-up of ours (cpu):  $(calc %.2f "$c_grep / $c_ours")x grep -F, $(calc %.2f "$c_rg / $c_ours")x rg -F"
echo "linearity: full/quarter wall time = $(calc %.2f "$w_ours / $w_q") (4.00 = linear, less: fixed start-up cost)"
echo "output lines: grep $(wc -l <"$out.grep"), rg $(wc -l <"$out.rg"), ours $(wc -l <"$out.ours")" \
	"(ours reports all signatures)"
