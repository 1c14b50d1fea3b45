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

echo "log: $log ($bytes bytes, $(wc -l <"$log") lines)"
echo "patterns: grep/rg $(wc -l <"$lits") literals; ours the same + $nre regexes"
echo "ours: $ours"
json=$dir/hyperfine.json
hyperfine -i --warmup 1 --runs "$runs" --export-json "$json" \
	-n grep "$cmd_grep" -n rg "$cmd_rg" -n ours "$cmd_ours" -n ours-quarter "$cmd_quarter" |
	grep -E '^(Benchmark|  Time)'

mean() { jq -r ".results[] | select(.command == \"$1\") | .mean" "$json"; }
t_grep=$(mean grep) t_rg=$(mean rg) t_ours=$(mean ours) t_q=$(mean ours-quarter)
rss() { /usr/bin/time -f %M sh -c "$1" 2>&1 >/dev/null | tail -1; }
echo
printf '%-14s %9s %10s %14s\n' tool "mean s" "MiB/s" "peak RSS KiB"
for t in grep rg ours; do
	v=t_$t c=cmd_$t
	printf '%-14s %9.3f %10.0f %14s\n' "$t" "${!v}" "$(echo "$bytes / ${!v} / 1048576" | bc -l)" "$(rss "${!c}")"
done
printf '%-14s %9.3f %10.0f %14s\n' ours-quarter "$t_q" "$(echo "$quarter / $t_q / 1048576" | bc -l)" "$(rss "$cmd_quarter")"
echo
printf 'speed-up of ours: %.2fx grep -F (target >= 1.5), %.2fx rg -F (target >= 1.0)\n' \
	"$(echo "$t_grep / $t_ours" | bc -l)" "$(echo "$t_rg / $t_ours" | bc -l)"
printf 'linearity: full/quarter time = %.2f (4.00 = linear)\n' "$(echo "$t_ours / $t_q" | bc -l)"
echo "matching lines: grep $(wc -l <"$out.grep"), rg $(wc -l <"$out.rg"); ours (all signatures): $(wc -l <"$out.ours")"
