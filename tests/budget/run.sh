#!/usr/bin/env bash
# Memory and time budgets on hostile inputs (docs/budgets.md): each class
# generated here runs the binary with its address space capped at 64 MiB
# (prlimit --as) and a timeout, and must end with its one-line error or
# its correct result -- never an OOM, a crash or a timeout.
# usage: run.sh FLINKMEM GEN_PY [--no-limit]   (--no-limit: sanitizer
# builds, whose shadow memory needs terabytes of address space; results
# are still checked, timings are not)
set -u
FLINKMEM=$(realpath "$1"); GEN=$(realpath "$2"); LIMIT=${3:-}
export NO_COLOR=1 COLUMNS=0 # text unwrapped (a pipe gets 80 columns otherwise): one line per item
unset FLINK_CONF_DIR FLINK_PROPERTIES FLINK_TM_HEAP FLINK_JM_HEAP
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0; pass=0

gen() { python3 "$GEN" "$@" || { echo "gen.py $* failed"; exit 1; }; }

# match RE FILE: RE "" matches anything, "EMPTY" only an empty file.
match() {
  case $1 in
    "") return 0 ;;
    EMPTY) [ ! -s "$2" ] ;;
    *) grep -Eq -- "$1" "$2" ;;
  esac
}

# run NAME WANT_RC STDERR_RE STDOUT_RE ARGS... ; sets $secs
run() {
  local name=$1 want_rc=$2 err_re=$3 out_re=$4; shift 4
  local lim=(prlimit --as=$((64 * 1024 * 1024)))
  [ "$LIMIT" = --no-limit ] && lim=()
  local t0=$(date +%s.%N)
  timeout 120 "${lim[@]}" "$FLINKMEM" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$? ok=1
  secs=$(echo "$(date +%s.%N) - $t0" | bc)
  [ "$rc" = "$want_rc" ] || { ok=0; echo "--- $name: exit $rc, expected $want_rc"; }
  match "$err_re" "$tmp/err" || { ok=0; echo "--- $name: stderr is not /$err_re/"; }
  match "$out_re" "$tmp/out" || { ok=0; echo "--- $name: stdout is not /$out_re/"; }
  [ $ok = 1 ] || { head -c 400 "$tmp/err"; echo; }
  if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
  echo "$name: exit $rc in ${secs}s"
}

# slow NAME SECS: the last run took more than SECS (not in sanitizer builds).
slow() {
  if [ "$LIMIT" != --no-limit ] && [ "$(echo "$secs > $2" | bc)" = 1 ]; then
    echo "--- $1: ${secs}s, more than $2 s"; fail=$((fail + 1))
  fi
}

cd "$tmp" || exit 1
gen yaml-scalar-alias config.yaml
for cmd in show check "plan --want task-heap>=1g"; do
  # shellcheck disable=SC2086
  run "config.yaml scalar-alias bomb: $cmd" 2 '^flinkmem: config.yaml:[0-9]+:[0-9]+: alias expansion exceeds [0-9]+ bytes' '' \
    $cmd -c config.yaml
done
gen yaml-list-alias config.yaml
run "config.yaml aliased lists of scalar aliases: show" 2 'config.yaml:4:1: alias expansion exceeds' '' show -c config.yaml
gen yaml-long-key config.yaml
run "config.yaml 100 KB key over 10,000 nested keys: check" 2 'config.yaml:[0-9]+:[0-9]+: nested keys expand past [0-9]+ bytes' '' \
  check -c config.yaml
gen yaml-long-int config.yaml
run "config.yaml 1 MB-digit integer: show" 0 EMPTY '"totalProcessMemory":2147483648' show --format json -c config.yaml
run "config.yaml 1 MB-digit integer: check" 0 '' '^0 error\(s\), 0 warning' check -c config.yaml
gen yaml-padded-int config.yaml
run "config.yaml 1 MB of leading zeros: show" 0 EMPTY '"totalProcessMemory":1073741824' show --format json -c config.yaml
gen yaml-long-hex config.yaml
run "config.yaml 1 MB-digit hex integer: show" 2 'config.yaml:3:9: hexadecimal integer longer than 2048 digits' '' \
  show -c config.yaml
gen k8s-alias cr.yaml
run "FlinkDeployment alias bomb: check" 2 '^flinkmem: cr.yaml:[0-9]+:[0-9]+: alias expansion exceeds [0-9]+ bytes' '' \
  check -c cr.yaml
gen k8s-many cr.yaml 2000
run "2,000 FlinkDeployments: check" 1 '' "^1000 error\\(s\\), 1000 warning\\(s\\)" check -c cr.yaml
if ! grep -q "FlinkDeployment 'd1998' (Flink 1.20): spec.taskManager" "$tmp/out"; then
  echo "--- 2,000 FlinkDeployments: no finding for the last one"; fail=$((fail + 1))
fi
# Linear, not quadratic: 2,000 took 60 s before. Generous for a loaded
# machine; bench/ has the real figure.
slow "2,000 FlinkDeployments" 10
gen k8s-jobs cr.yaml 10000
run "10,000 FlinkDeployments and 10,000 FlinkSessionJobs: check --name" 0 '' \
  "^0 error\\(s\\), 0 warning\\(s\\), 10000 note" check -c cr.yaml --name d9999
run "10,000 FlinkDeployments and 10,000 FlinkSessionJobs: show --name" 0 '' 'd9999' show -c cr.yaml --name d9999
# Anchors are looked up by hash (a linear search made these 6 s and 2 s).
gen yaml-anchors config.yaml
run "config.yaml 50,000 anchors and aliases: show" 0 EMPTY 'Total Process Memory' show -c config.yaml
slow "config.yaml 50,000 anchors and aliases" 3
gen k8s-anchors cr.yaml
run "FlinkDeployment 1,024 anchors, 500,000 aliases: check" 0 '' '^0 error' check -c cr.yaml
slow "FlinkDeployment 1,024 anchors, 500,000 aliases" 3
echo "$pass passed, $fail failed"
[ $fail = 0 ]
