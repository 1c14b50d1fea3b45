#!/usr/bin/env bash
# Every long option a command's --help names is documented in its man page
# (docs/flinkmem-CMD.1.scd): a new option without a word in the manual fails
# here, naming both.
#   man_options.sh FLINKMEM DOCSDIR
set -u
FM=$1 DOCS=$2
fail=0
for c in $("$FM" --help | awk '/^commands:/ { f = 1; next } f && /^  [a-z]/ { print $1 }'); do
	page=$DOCS/flinkmem-$c.1.scd
	[ -f "$page" ] || { echo "FAIL: no $page"; fail=1; continue; }
	for o in $("$FM" "$c" --help 2>&1 | grep -o -E -- '--[A-Za-z][A-Za-z-]*' | sort -u); do
		grep -q -- "\*$o\*" "$page" || grep -q -- "\*-[A-Za-z], $o\*" "$page" ||
			{ echo "FAIL: $o of 'flinkmem $c --help' is not in docs/flinkmem-$c.1.scd"; fail=1; }
	done
done
[ $fail = 0 ] && echo "man pages: every option documented"
exit $fail
