#!/usr/bin/env bash
# `make install` into a scratch DESTDIR: every file where the shells, man and
# kubectl look for it; the man pages render (no scdoc markup left as text);
# `flinkmem help CMD` is CMD's help; -V is --version; each completion file
# offers every long option `flinkmem CMD --help` names, and the bash one
# completes them when asked.
#   run.sh BUILDDIR
set -u
BUILD=$(realpath "$1")
FM=$BUILD/flinkmem
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

prefix=/usr/local
dest=$tmp/root
DESTDIR=$dest cmake --install "$BUILD" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log"; echo "FAIL: cmake --install"; exit 1; }
root=$dest$prefix

cmds=$("$FM" --help | awk '/^commands:/ { f = 1; next } f && /^  [a-z]/ { print $1 }')
[ -n "$cmds" ] || { echo "FAIL: no commands in flinkmem --help"; exit 1; }

# The files.
for f in bin/flinkmem bin/kubectl-flinkmem share/man/man1/flinkmem.1 share/man/man1/kubectl-flinkmem.1 \
	share/bash-completion/completions/flinkmem share/zsh/site-functions/_flinkmem \
	share/fish/vendor_completions.d/flinkmem.fish share/doc/flinkmem/README.md; do
	[ -s "$root/$f" ] || bad "$f not installed"
done
for c in $cmds; do
	[ -s "$root/share/man/man1/flinkmem-$c.1" ] || bad "no man page flinkmem-$c.1"
done
[ -x "$root/bin/flinkmem" ] && [ -x "$root/bin/kubectl-flinkmem" ] || bad "bin/ not executable"
"$root/bin/flinkmem" show -c "$root/share/doc/flinkmem/examples/flink-conf.yaml" >/dev/null ||
	bad "the installed flinkmem cannot show the installed example"
# live's HTTP helper: in libexec, where flinkmem looks (it is not on PATH
# and not next to the installed flinkmem, so finding it proves the path).
if [ -e "$BUILD/flinkmem-http" ]; then
	helper=$root/libexec/flinkmem/flinkmem-http
	[ -x "$helper" ] || bad "libexec/flinkmem/flinkmem-http not installed"
	strings "$root/bin/flinkmem" | grep -qx "$prefix/libexec/flinkmem" ||
		bad "the installed flinkmem does not look for its helper in $prefix/libexec/flinkmem"
fi

# The man pages render, and what they render holds no markup: scdoc's * or _
# shown as text (as in [-D_key=value_]) is a mistake in the source. Words
# with _ before a lower-case letter are none of flinkmem's (its environment
# variables are upper case).
for page in "$root"/share/man/man1/*.1; do
	name=$(basename "$page" .1)
	if command -v man >/dev/null; then
		MANWIDTH=80 man -l "$page" >"$tmp/page" 2>"$tmp/page.err" || bad "man -l $name: $(head -n 1 "$tmp/page.err")"
	else
		sed 's/\\f[BIR]//g' "$page" >"$tmp/page" # no man: read the roff scdoc wrote
	fi
	grep -q "^NAME" "$tmp/page" || grep -q '^\.SH "*NAME' "$tmp/page" || bad "$name has no NAME section"
	grep -q "$name" "$tmp/page" || bad "$name does not name itself"
	if grep -n -E '(^|[ [(|])[*_][A-Za-z-]|_[a-z]|[A-Za-z]\*' "$tmp/page" >"$tmp/markup"; then
		bad "$name shows scdoc markup as text: $(head -n 1 "$tmp/markup")"
	fi
done

# help CMD, -V.
for c in $cmds; do
	"$FM" help "$c" >"$tmp/help.a" 2>&1; rca=$?
	"$FM" "$c" --help >"$tmp/help.b" 2>&1; rcb=$?
	[ $rca = 0 ] && [ $rca = $rcb ] && cmp -s "$tmp/help.a" "$tmp/help.b" || bad "flinkmem help $c differs from flinkmem $c --help"
	grep -q "^usage: flinkmem $c " "$tmp/help.a" || bad "flinkmem help $c: not $c's usage"
done
"$FM" help check | head -n 1 | grep -q '^usage: flinkmem check' || bad "flinkmem help check does not print check's usage"
"$FM" help no-such-command >/dev/null 2>&1; [ $? = 2 ] || bad "flinkmem help no-such-command: not exit 2"
[ "$("$FM" -V)" = "$("$FM" --version)" ] && "$FM" -V | grep -q '^flinkmem [0-9]' || bad "-V is not --version"

# Completions: every long option of every command's --help.
bashc=$root/share/bash-completion/completions/flinkmem
zshc=$root/share/zsh/site-functions/_flinkmem
fishc=$root/share/fish/vendor_completions.d/flinkmem.fish
for c in $cmds; do
	opts=$("$FM" "$c" --help 2>&1 | grep -o -E -- '--[A-Za-z][A-Za-z-]*' | sort -u)
	[ -n "$opts" ] || bad "flinkmem $c --help names no long option"
	# bash: the words it offers for "flinkmem CMD --"
	offered=$(bash -c 'source "$1"; COMP_WORDS=(flinkmem "$2" --); COMP_CWORD=2; _flinkmem; printf "%s\n" "${COMPREPLY[@]}"' _ "$bashc" "$c")
	# zsh and fish: the command's own lines
	zsh_block=$(awk -v c="$c" '$0 == "\t" c ")" { f = 1; next } f && /;;$/ { print; exit } f' "$zshc")
	for o in $opts; do
		grep -qx -- "$o" <<<"$offered" || bad "bash does not complete $c $o"
		grep -q -- "'\*${o}[=[']" <<<"$zsh_block" || grep -q -- "'\*$o'" <<<"$zsh_block" || bad "zsh does not complete $c $o"
		grep -q -E -- "__fish_seen_subcommand_from $c' .*-l ${o#--}( |$)" "$fishc" || bad "fish does not complete $c $o"
	done
done
# A value list and file completion, as a user would see them.
formats=$(bash -c 'source "$1"; COMP_WORDS=(flinkmem check --format ""); COMP_CWORD=3; _flinkmem; echo "${COMPREPLY[*]}"' _ "$bashc")
[ "$formats" = "text json sarif gcc" ] || bad "bash: check --format offers '$formats'"
touch "$tmp/flink-conf.yaml"
files=$(cd "$tmp" && bash -c 'source "$1"; COMP_WORDS=(flinkmem show -c flink-c); COMP_CWORD=3; _flinkmem; echo "${COMPREPLY[*]}"' _ "$bashc")
[ "$files" = "flink-conf.yaml" ] || bad "bash: show -c flink-c offers '$files'"
cmdsoffered=$(bash -c 'source "$1"; COMP_WORDS=(flinkmem ""); COMP_CWORD=1; _flinkmem; echo "${COMPREPLY[*]}"' _ "$bashc")
for c in $cmds help; do grep -qw -- "$c" <<<"$cmdsoffered" || bad "bash does not complete the command $c"; done
# The shells read them.
bash -n "$bashc" || bad "bash cannot parse its completion"
if command -v zsh >/dev/null; then zsh -n "$zshc" || bad "zsh cannot parse its completion"; else echo "zsh absent: its completion is not parsed"; fi
if command -v fish >/dev/null; then
	fish -n "$fishc" || bad "fish cannot parse its completion"
	got=$(fish -c "source '$fishc'; complete -C 'flinkmem check --format '" | cut -f1 | tr '\n' ' ')
	[ "$got" = "gcc json sarif text " ] || bad "fish: check --format offers '$got'"
else
	echo "fish absent: its completion is not parsed"
fi

[ $fail = 0 ] && echo "install: all checks passed"
exit $fail
