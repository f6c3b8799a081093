#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Debian ships mimalloc only as a shared library. Build the static archive
# the benchmark's static column needs from Debian's source package of the
# installed version, with the flags Debian's build uses (debian/rules:
# hardening=+all, -Wall -pedantic appended, CMake RelWithDebInfo, the same
# MI_* options except MI_BUILD_STATIC=ON). The system's apt configuration is
# not touched: the deb-src lines and the index live under OUT.
#   mimalloc-static.sh OUT        writes OUT/libmimalloc.a, or OUT/why
set -u
out=$1
mkdir -p "$out"
rm -f "$out/why" "$out/libmimalloc.a"
na() {
	echo "$*" >"$out/why"
	echo "static mimalloc: n/a: $*" >&2
	exit 1
}
ver=$(dpkg-query -W -f='${Version}' libmimalloc-dev 2>/dev/null) ||
	na "libmimalloc-dev is not installed"
command -v cmake >/dev/null || na "cmake is not installed (tools/setup-host --bench)"
command -v dpkg-buildflags >/dev/null ||
	na "dpkg-buildflags is not installed (dpkg-dev; tools/setup-host --bench)"

apt=$out/apt
mkdir -p "$apt/lists/partial" "$apt/archives/partial" "$apt/src"
apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' \
	'Created-By: Packages' | sort -u |
	sed 's/^/deb-src /' >"$apt/sources.list"
[ -s "$apt/sources.list" ] || na "no Debian package source configured"
opts=(-q -o "Dir::Etc::SourceList=$apt/sources.list"
	-o "Dir::Etc::SourceParts=$apt/none" -o "Dir::State::Lists=$apt/lists"
	-o "Dir::Cache::Archives=$apt/archives" -o "APT::Sandbox::User=$(id -un)")
apt-get "${opts[@]}" update >"$apt/log" 2>&1 ||
	na "apt-get update of the source index failed (network?); see $apt/log"
(cd "$apt/src" && apt-get "${opts[@]}" source --download-only \
	"mimalloc=$ver") >>"$apt/log" 2>&1 ||
	na "apt-get source mimalloc=$ver failed; see $apt/log"

src=$apt/mimalloc-$ver
rm -rf "$src" && mkdir -p "$src"
tar -xf "$apt"/src/mimalloc_*.orig.tar.* -C "$src" --strip-components=1 &&
	tar -xf "$apt"/src/mimalloc_*.debian.tar.* -C "$src" ||
	na "cannot unpack the source package"
if [ -s "$src/debian/patches/series" ]; then
	grep -v '^#' "$src/debian/patches/series" | while read -r p _; do
		[ -n "$p" ] && patch -d "$src" -p1 -s <"$src/debian/patches/$p"
	done || na "debian/patches do not apply"
fi

export DEB_BUILD_MAINT_OPTIONS=hardening=+all
export DEB_CFLAGS_MAINT_APPEND="-Wall -pedantic"
cflags="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
bld=$apt/build
rm -rf "$bld"
{
	CFLAGS="$cflags" cmake -S "$src" -B "$bld" \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DMI_BUILD_SHARED=OFF -DMI_BUILD_STATIC=ON \
		-DMI_BUILD_OBJECT=OFF -DMI_BUILD_TESTS=OFF \
		-DMI_INSTALL_TOPLEVEL=ON -DMI_USE_LIBATOMIC=OFF &&
		cmake --build "$bld" -j2 --verbose
} >>"$apt/log" 2>&1 || na "the CMake build failed; see $apt/log"
lib=$(find "$bld" -maxdepth 1 -name 'libmimalloc*.a' | head -n 1)
[ -n "$lib" ] || na "the build made no static archive; see $apt/log"
cp "$lib" "$out/libmimalloc.a"
echo "static mimalloc: built $out/libmimalloc.a from Debian's mimalloc $ver" >&2
