#!/bin/sh
# make_deb — builds flinkmem_VERSION_ARCH.deb from the source tree with
# dpkg-deb on a DESTDIR staging tree (no debian/ source package needed):
#
#   dist/make_deb.sh SRCDIR BUILDDIR OUTDIR
#
# The build follows Debian's rules for a binary package: the distribution's
# build flags (dpkg-buildflags: hardening), shared libyaml/jansson/zlib
# (FM_STATIC_DEPS=OFF, so security updates reach flinkmem), stripped
# binaries, gzipped man pages and changelog, a copyright file, Depends
# computed by dpkg-shlibdeps. Vectorscan and libcurl are Recommends, not
# Depends: flinkmem loads Vectorscan with dlopen only when diagnose runs,
# and only live's HTTP helper (/usr/libexec/flinkmem/flinkmem-http) links
# libcurl; show/check/plan/bash-java-utils work without them (e.g. in a
# slim Flink image that only wants bash-java-utils), and apt installs
# Recommends by default, so a normal install gets every command. A missing
# one is named when the command needs it. The package's flinkmem is the
# dynamically linked build (FM_STATIC_DEPS=OFF), not the static one of the
# default build: Debian wants shared libraries so that their security
# updates reach it (docs/perf.md).
# Prints the path of the .deb on its last line.
set -eu
[ $# = 3 ] || { echo "usage: make_deb.sh SRCDIR BUILDDIR OUTDIR" >&2; exit 2; }
SRC=$(cd "$1" && pwd)
mkdir -p "$2" "$3"
BUILD=$(cd "$2" && pwd)
OUT=$(cd "$3" && pwd)
cd "$SRC" # dpkg-buildflags maps this directory out of the debug info
MAINTAINER=${DEB_MAINTAINER:-flinkmem maintainers <maintainers@flinkmem.invalid>}
# Every hardening feature (bindnow too), as lintian expects of a binary.
DEB_BUILD_MAINT_OPTIONS=${DEB_BUILD_MAINT_OPTIONS:-hardening=+all}
export DEB_BUILD_MAINT_OPTIONS
for tool in dpkg-deb dpkg-shlibdeps dpkg-buildflags scdoc gzip; do
	command -v "$tool" >/dev/null || { echo "make_deb: $tool not found (make deps installs it)" >&2; exit 2; }
done



	cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
	-DCMAKE_C_FLAGS="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)" \
	-DCMAKE_EXE_LINKER_FLAGS="$(dpkg-buildflags --get LDFLAGS)" \
	-DFM_STATIC_DEPS=OFF -DFM_TESTS=OFF \
	-DFM_ZSH_COMPLETION_DIR=share/zsh/vendor-completions >/dev/null
cmake --build "$BUILD" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null

stage=$BUILD/deb-root
rm -rf "$stage"
DESTDIR=$stage cmake --install "$BUILD" --strip >/dev/null
doc=$stage/usr/share/doc/flinkmem

# Version: the binary's own; the changelog's newest entry must name it.
version=$("$stage/usr/bin/flinkmem" --version | awk '{ print $2 }')
head -n 1 "$SRC/dist/debian/changelog" | grep -q "^flinkmem ($version)" || {
	echo "make_deb: dist/debian/changelog has no entry for $version at its top" >&2
	exit 1
}
arch=$(dpkg --print-architecture)

gzip -9n "$stage"/usr/share/man/man1/*.1
install -m 644 "$SRC/dist/debian/copyright" "$doc/copyright"
gzip -9n -c "$SRC/dist/debian/changelog" >"$doc/changelog.gz"
chmod 644 "$doc/changelog.gz"

# Depends from the libraries the binary links (dpkg-shlibdeps wants a
# debian/control to read; a two-line one in a scratch directory will do).
shl=$BUILD/shlibdeps
rm -rf "$shl"
mkdir -p "$shl/debian"
printf 'Source: flinkmem\n\nPackage: flinkmem\nArchitecture: any\n' >"$shl/debian/control"
# (It warns that the binary is not under debian/: the staging tree is ours.)
depends=$(cd "$shl" && dpkg-shlibdeps -O "$stage/usr/bin/flinkmem" 2>"$shl/err" |
	sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { cat "$shl/err" >&2; echo "make_deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
mkdir -p "$stage/DEBIAN"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
	-e "s/@DEPENDS@/$depends/" -e "s/@MAINTAINER@/$MAINTAINER/" \
	"$SRC/dist/debian/control.in" >"$stage/DEBIAN/control"
# md5sums, as dpkg-deb does not write it and dpkg --verify reads it.
(cd "$stage" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$stage/DEBIAN/md5sums"
chmod 644 "$stage/DEBIAN/control" "$stage/DEBIAN/md5sums"
find "$stage" -type d -exec chmod 755 {} +

deb=$OUT/flinkmem_${version}_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "$deb"
