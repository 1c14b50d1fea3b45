#!/usr/bin/env bash
# Golden CLI cases: tests/cases/NAME/cmd is a shell snippet run with
# $FLINKMEM (the binary) and $CASE (the case dir) set, from the case dir.
# Its stdout must equal NAME/expected.out and its exit status
# NAME/expected.rc (stderr goes to NAME/expected.err when that file exists).
# FM_UPDATE=1 rewrites the expected files from the current output.
set -u
FLINKMEM=$(realpath "$1"); CASES=$(realpath "$2")
# COLUMNS=0: text unwrapped, whatever the width rule (80 for a pipe); the
# term_width_* cases check the widths themselves.
export FLINKMEM NO_COLOR=1 COLUMNS=0
unset FLINK_CONF_DIR FLINK_PROPERTIES FLINK_TM_HEAP FLINK_JM_HEAP FLINKMEM_FLINK_VERSION FLINK_HOME FLINK_LIB_DIR
pass=0; fail=0
for dir in "$CASES"/*/; do
  name=$(basename "$dir"); [ -f "$dir/cmd" ] || continue
  out=$(mktemp); err=$(mktemp)
  (cd "$dir" && CASE="$dir" bash ./cmd >"$out" 2>"$err"); rc=$?
  if [ "${FM_UPDATE:-}" = 1 ]; then
    cp "$out" "$dir/expected.out"; echo "$rc" >"$dir/expected.rc"
    [ -f "$dir/expected.err" ] && cp "$err" "$dir/expected.err"
  fi
  ok=1
  cmp -s "$out" "$dir/expected.out" || { ok=0; echo "--- $name: stdout differs"; diff "$dir/expected.out" "$out" | head -20; }
  [ "$rc" = "$(cat "$dir/expected.rc")" ] || { ok=0; echo "--- $name: exit $rc, expected $(cat "$dir/expected.rc")"; }
  if [ -f "$dir/expected.err" ]; then
    cmp -s "$err" "$dir/expected.err" || { ok=0; echo "--- $name: stderr differs"; diff "$dir/expected.err" "$err" | head -10; }
  fi
  if [ $ok = 1 ]; then pass=$((pass+1)); else fail=$((fail+1)); fi
  rm -f "$out" "$err"
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
