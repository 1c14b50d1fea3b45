#!/usr/bin/env bash
# The pre-commit hook (.pre-commit-hooks.yaml) as a user runs it: `pre-commit
# try-repo` of this source tree in a scratch git repository, with flinkmem
# on PATH. The hook checks the Flink config names it matches (and only
# those), fails on an error finding, and passes once it is fixed. Skipped
# (77) without pre-commit or when the source is not a git checkout.
#   precommit.sh FLINKMEM SRCDIR
set -u
FM=$(realpath "$1") SRC=$(realpath "$2")
command -v pre-commit >/dev/null || { echo "pre-commit not installed: skipped"; exit 77; }
git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1 || { echo "$SRC is not a git checkout: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PRE_COMMIT_HOME=$tmp/cache PATH=$(dirname "$FM"):$PATH
fail=0
bad() { echo "FAIL: $*"; fail=1; }
mkdir -p "$tmp/bin" "$tmp/repo/conf"
ln -s "$FM" "$tmp/bin/flinkmem" && PATH=$tmp/bin:$PATH
cd "$tmp/repo" && git init -q . && git config user.email t@t && git config user.name t
printf 'taskmanager.memory.process.size: 4g\njobmanager.memory.process.size: 2g\ntaskmanager.memory.managed.fraction: 40\n' >flink-conf.yaml
printf 'taskmanager.memory.process.size: 4g\njobmanager.memory.process.size: 2g\n' >conf/config.yaml
printf 'taskmanager.memory.process.size: 1\n' >values.yaml # not a name the hook matches
git add . >/dev/null
pre-commit try-repo "$SRC" flinkmem-check --all-files >out 2>&1; rc=$?
[ $rc = 1 ] || bad "a fraction of 40: exit $rc, expected 1"
# (pre-commit captures the output: text is wrapped at 80 columns, so lines are joined first)
tr -s ' \n' '  ' <out | grep -q 'flink-conf.yaml:3:38: taskmanager.memory.managed.fraction: 40 looks like a percentage' ||
	bad "no FM012 finding in: $(tail -n 5 out)"
grep -q 'values.yaml' out && bad "the hook checked values.yaml"
sed -i 's/fraction: 40/fraction: 0.4/' flink-conf.yaml && git add flink-conf.yaml
pre-commit try-repo "$SRC" flinkmem-check --all-files >out 2>&1; rc=$?
[ $rc = 0 ] || bad "fixed: exit $rc: $(tail -n 5 out)"
[ $fail = 0 ] && echo "pre-commit hook: checks flink-conf.yaml and config.yaml, fails on errors, passes when fixed"
exit $fail
