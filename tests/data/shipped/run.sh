#!/usr/bin/env bash
# Flink's shipped configs and the operator's example CRs (see SOURCE) must
# load and give no error-level finding: `flinkmem check --format json` exits
# 0 and reports "error":0 for each. Usage: run.sh FLINKMEM DIR
set -u
FLINKMEM=$1; DIR=$2
unset FLINK_CONF_DIR FLINK_PROPERTIES FLINK_TM_HEAP FLINK_JM_HEAP
fail=0; n=0
check() { # label, args...
  local label=$1; shift
  n=$((n+1))
  out=$("$FLINKMEM" check --format json "$@" 2>&1); rc=$?
  if [ $rc != 0 ] || ! printf '%s' "$out" | grep -q '"summary":{"error":0,'; then
    echo "FAIL $label (exit $rc):"; printf '%s\n' "$out" | head -c 2000; echo; fail=$((fail+1))
  fi
}
for v in 1.17 1.18; do check "flink-conf.yaml as $v" -c "$DIR/flink-1.18/flink-conf.yaml" --flink-version $v; done
check "flink-conf.yaml detected" -c "$DIR/flink-1.18/flink-conf.yaml"
for v in 1.19 1.20 2.0 2.1 2.2; do check "config.yaml as $v" -c "$DIR/flink-2.x/config.yaml" --flink-version $v; done
check "config.yaml detected" -c "$DIR/flink-2.x/config.yaml"
for f in "$DIR"/operator/*.yaml; do check "$(basename "$f")" -c "$f"; done
echo "$((n-fail)) of $n shipped inputs without error findings"
[ $fail = 0 ]
