#!/usr/bin/env bash
# `make deb`'s script builds a .deb from the tree (in BUILDDIR, reused
# between runs), and lintian finds no error in it; the package holds what
# Debian expects (gzipped man pages, copyright, changelog) and its flinkmem
# runs. Skips (exit 77) only when lintian is not installed.
#   deb.sh SRCDIR BUILDDIR
set -u
SRC=$(realpath "$1") BUILD=$2
command -v lintian >/dev/null || { echo "SKIP: lintian is not installed (make deps installs it)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

deb=$(sh "$SRC/dist/make_deb.sh" "$SRC" "$BUILD" "$tmp" | tail -n 1)
[ -f "$deb" ] || { echo "FAIL: dist/make_deb.sh made no .deb"; exit 1; }
echo "built $(basename "$deb")"

# lintian: errors fail; warnings are shown.
lintian --fail-on error --tag-display-limit 0 "$deb" 2>&1 | grep -v "^running with root privileges" | tee "$tmp/lintian"
[ "${PIPESTATUS[0]}" = 0 ] || bad "lintian reports errors"

dpkg-deb -c "$deb" | awk '{ print $6 }' >"$tmp/files"
for f in ./usr/bin/flinkmem ./usr/bin/kubectl-flinkmem ./usr/share/man/man1/flinkmem.1.gz \
	./usr/share/man/man1/flinkmem-check.1.gz ./usr/share/man/man1/kubectl-flinkmem.1.gz \
	./usr/share/doc/flinkmem/copyright ./usr/share/doc/flinkmem/changelog.gz \
	./usr/libexec/flinkmem/flinkmem-http ./usr/share/bash-completion/completions/flinkmem ./usr/share/zsh/vendor-completions/_flinkmem \
	./usr/share/fish/vendor_completions.d/flinkmem.fish; do
	grep -qx -- "$f" "$tmp/files" || bad "$f not in the package"
done
grep -q '\.1$' "$tmp/files" && bad "a man page is not gzipped"
dpkg-deb -f "$deb" Depends | grep -q libyaml || bad "Depends lacks libyaml: $(dpkg-deb -f "$deb" Depends)"
dpkg-deb -f "$deb" Recommends | grep -q libvectorscan5 || bad "Recommends lacks libvectorscan5"
dpkg-deb -f "$deb" Recommends | grep -q libcurl4 || bad "Recommends lacks libcurl4 (live's helper links it)"
mkdir "$tmp/x" && dpkg-deb -x "$deb" "$tmp/x"
"$tmp/x/usr/bin/flinkmem" show -c "$SRC/examples/flink-conf.yaml" >/dev/null || bad "the packaged flinkmem does not run"

[ $fail = 0 ] && echo "deb: lintian clean of errors, contents complete"
exit $fail
