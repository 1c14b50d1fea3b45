#!/usr/bin/env bash
# Every help text fits an 80-column terminal: `flinkmem --help`, each
# command's `--help` and `flinkmem help CMD` (the commands as the top-level
# help lists them). Width is display width (UTF-8 characters, tabs to the
# next multiple of 8); a line over 80 fails, named with its width.
# usage: help_width.sh FLINKMEM
set -u
FM=$1
export NO_COLOR=1
unset COLUMNS
fail=0; n=0
cmds=$("$FM" --help | awk '/^commands:/ { f = 1; next } f && /^  [a-z]/ { print $1 }')
[ -n "$cmds" ] || { echo "FAIL: no commands in flinkmem --help"; exit 1; }
check() { # label, then the help text on stdin
	local out
	out=$(python3 -c '
import sys
bad = 0
for n, line in enumerate(sys.stdin.buffer.read().decode("utf-8").split("\n"), 1):
    w = len(line.expandtabs(8))
    if w > 80:
        print("FAIL %s: line %d is %d columns: %s" % (sys.argv[1], n, w, line))
        bad = 1
sys.exit(bad)' "$1") || { echo "$out"; fail=1; }
	n=$((n + 1))
}
check "flinkmem --help" < <("$FM" --help 2>&1)
for c in $cmds; do
	check "flinkmem $c --help" < <("$FM" "$c" --help 2>&1)
	check "flinkmem help $c" < <("$FM" help "$c" 2>&1)
done
[ $n -ge 13 ] || { echo "FAIL: only $n help texts checked"; fail=1; }
[ $fail = 0 ] && echo "help width: $n help texts within 80 columns"
exit $fail
