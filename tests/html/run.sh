#!/usr/bin/env bash
# `diagnose --format html` as a person sees it: each report is rendered by
# headless Chromium (Debian's `chromium`) at 1200x2000; the screenshot must
# be a 1200x2000 PNG that is not blank and shows the layout picture's bar
# colours (png_check.py), and the page's DOM as Chromium built it must hold
# the texts a reader needs (root cause, evidence, keys, SVG labels) and no
# element that came from a log line. Screenshots stay in OUT for a look.
# Skips (exit 77) only when chromium is not installed.
# usage: run.sh FLINKMEM TESTS_DIR OUT_DIR
set -u
FLINKMEM=$(realpath "$1"); TESTS=$(realpath "$2"); OUT=$3
command -v chromium >/dev/null || { echo "SKIP: chromium is not installed (make deps installs it)"; exit 77; }
mkdir -p "$OUT"; OUT=$(realpath "$OUT")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1 COLUMNS=0 # text unwrapped (a pipe gets 80 columns otherwise): one line per item
unset FLINK_CONF_DIR FLINK_PROPERTIES FLINK_TM_HEAP FLINK_JM_HEAP FLINKMEM_FLINK_VERSION
pass=0; fail=0
# root, no sandbox (the test runs as root in CI), no GPU, own profile dir; bounded in time
chrome() {
  HOME="$tmp" timeout -k 5 90 chromium --headless --disable-gpu --no-sandbox --no-first-run \
    --disable-extensions --disable-dev-shm-usage --hide-scrollbars --user-data-dir="$tmp/profile" \
    --window-size=1200,2000 "$@" 2>>"$tmp/chromium.log"
}
# check NAME DIR "FLINKMEM ARGS" COLOURS -- TEXT... [! ABSENT...]
check() {
  local name=$1 dir=$2 args=$3 colours=$4; shift 5
  local html="$OUT/$name.html" png="$OUT/$name.png" ok=1
  (cd "$TESTS/cases/$dir" && eval "\"\$FLINKMEM\" diagnose --format html $args") >"$html"
  rm -f "$png"
  chrome --screenshot="$png" "file://$html" >/dev/null || { echo "FAIL $name: chromium --screenshot failed"; ok=0; }
  [ -s "$png" ] && { python3 "$TESTS/html/png_check.py" "$png" 1200 2000 $colours || ok=0; } ||
    { echo "FAIL $name: no screenshot"; ok=0; }
  chrome --dump-dom "file://$html" >"$tmp/dom.html" || { echo "FAIL $name: chromium --dump-dom failed"; ok=0; }
  local absent=0
  for t in "$@"; do
    if [ "$t" = "!" ]; then absent=1; continue; fi
    if [ $absent = 0 ] && ! grep -qF -- "$t" "$tmp/dom.html"; then echo "FAIL $name: the page lacks: $t"; ok=0; fi
    if [ $absent = 1 ] && grep -qF -- "$t" "$tmp/dom.html"; then echo "FAIL $name: the page has: $t"; ok=0; fi
  done
  if [ $ok = 1 ]; then pass=$((pass+1)); echo "ok $name"; else fail=$((fail+1)); fi
}
# heap OOM with a config: fix with before/after; task heap #4fc3f7, managed #ce93d8, network #ffcc80
check fix diagnose_html_fix "-c flink-conf.yaml --flink-version 1.20 oom.log" "4fc3f7 ce93d8 ffcc80" -- \
  "Root cause" "heap in the taskmanager" '<a href="#i1-e1">oom.log:2</a>' \
  "java.lang.OutOfMemoryError: Java heap space" "taskmanager.memory.task.heap.size: 8883m" \
  ">Total Process Memory 16.68 GiB<" ">Framework Off-Heap 128 MiB<" ">JVM Metaspace 256 MiB<" \
  ">Task Heap 8.67 GiB<" "TaskManager memory before and after the fix"
# the fix and the pinned alternative; a change under 1 MiB is grey
check pinned diagnose_html_pinned "net.txt" "4fc3f7 ce93d8 ffcc80" -- \
  "network-buffers in the taskmanager" "Insufficient number of network buffers: required 66" \
  "taskmanager.memory.network.min" "Alternative: keep the process size" \
  'class="minor">+204.80 KiB<' 'class="up">+42.80 MiB<' ">Network Memory 192 MiB<"
# no fix: advice only, and no picture
check nofix diagnose_html_nofix "vmem.txt" "" -- \
  "container-killed-yarn in the taskmanager" "running beyond virtual memory limits" \
  "yarn.nodemanager.vmem-check-enabled: false" ! "<svg"
# a hostile log line stays text: no script element in the DOM Chromium built
# (the terminal colour before the error is dropped as pasted text's, unwrap.h)
check hostile diagnose_html "tm.log" "4fc3f7" -- \
  "&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"q\" java.lang.OutOfMemoryError: Metaspace" \
  "metaspace in the taskmanager" ! "<script" "alert(1)</script>"
echo "screenshots: $OUT"
[ $fail = 0 ] || { echo "chromium's messages:"; tail -5 "$tmp/chromium.log"; }
echo "$pass passed, $fail failed"
[ $fail = 0 ]
