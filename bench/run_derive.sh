#!/usr/bin/env bash
# Derivations per CPU second (issue 12: >= 1.5 M full derivations), as the
# median of ROUNDS alternating runs of build/bench/bench_derive, and, when
# BASE names another build's bench_derive (e.g. the main branch's), the
# same for it in the same rounds and the ratio. CPU time, not wall time:
# the machine is shared. Prints figures, asserts nothing.
#   BASE=/path/to/bench_derive bench/run_derive.sh
set -u
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-7}
ours=build/bench/bench_derive
[ -x "$ours" ] || make >/dev/null
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# one run: "full numbers-only" derivations per CPU second
rates() { "$1" | awk '/^full/ { f = $6 } /^numbers-only/ { n = $6 } END { print f, n }'; }
of=() on=() bf=() bn=()
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 0; r < rounds; r++)); do
	read -r f n < <(rates "$ours"); of+=("$f"); on+=("$n")
	if [ -n "${BASE:-}" ]; then read -r f n < <(rates "$BASE"); bf+=("$f"); bn+=("$n"); fi
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
m() { printf '%s\n' "$@" | median; }
printf 'derivations per CPU second, median of %d rounds (2 CPU s each):\n' "$rounds"
printf '  this build  full %9.0f   numbers-only %9.0f   (full rounds: %s)\n' "$(m "${of[@]}")" "$(m "${on[@]}")" "${of[*]}"
if [ -n "${BASE:-}" ]; then
	printf '  BASE        full %9.0f   numbers-only %9.0f   (full rounds: %s)\n' "$(m "${bf[@]}")" "$(m "${bn[@]}")" "${bf[*]}"
	printf '  ratio       full %8.2fx   numbers-only %8.2fx\n' "$(echo "$(m "${of[@]}") / $(m "${bf[@]}")" | bc -l)" \
		"$(echo "$(m "${on[@]}") / $(m "${bn[@]}")" | bc -l)"
fi
