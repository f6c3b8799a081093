#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# linux-fetch.sh BUILD: obtain Debian bookworm's linux-source-6.1 with
# `apt-get download`, unpack its tarball into BUILD/linux-src (pristine: no
# file is changed), and write BUILD/linux/version.h with the Linux and the
# Debian package versions. Called by linux/linux.mk once; the stamp
# BUILD/linux/fetch.stamp keeps later builds from downloading or unpacking.
set -eu

build=${1:?usage: linux-fetch.sh BUILD}
pkg=linux-source-6.1
here=$(cd "$(dirname "$0")" && pwd)

"$here/linux-hosttools.sh"

mkdir -p "$build/linux-dl" "$build/linux"
dl=$(cd "$build/linux-dl" && pwd)

# 1. Download the .deb (once). apt-get download needs no root; on a machine
# whose package lists are stale or empty (CI), refresh them if we are root.
deb=$(ls "$dl"/${pkg}_*_all.deb 2>/dev/null | tail -n 1 || true)
if [ -z "$deb" ]; then
	echo "  FETCH   $pkg (apt-get download)"
	t0=$(date +%s)
	if ! (cd "$dl" && apt-get download -q "$pkg" >download.log 2>&1); then
		if [ "$(id -u)" = 0 ]; then
			echo "  FETCH   apt-get download failed; running apt-get update"
			apt-get update -q >"$dl/update.log" 2>&1 || {
				cat "$dl/update.log"; exit 1; }
			(cd "$dl" && apt-get download -q "$pkg") || exit 1
		else
			cat "$dl/download.log" >&2
			echo "error: apt-get download $pkg failed." >&2
			echo "  Is a Debian bookworm (or bookworm-security) source in" >&2
			echo "  /etc/apt/sources.list*? Then run: sudo apt-get update" >&2
			exit 1
		fi
	fi
	deb=$(ls "$dl"/${pkg}_*_all.deb | tail -n 1)
	echo "  FETCH   $(basename "$deb") in $(( $(date +%s) - t0 ))s"
fi
pkgver=$(dpkg-deb -f "$deb" Version)

# 2. Unpack the whole tree. xz decompression dominates (about 7 s of 8 s on
# the build machine), so extracting a subset would save disk, not time; the
# whole tree keeps every Kconfig/Makefile kbuild may read.
src=$build/linux-src
echo "  UNPACK  $pkg $pkgver -> $src"
t0=$(date +%s)
rm -rf "$src" "$src.tmp"
mkdir -p "$src.tmp"
if command -v nproc >/dev/null; then xzj=-T$(nproc); else xzj=; fi
dpkg-deb --fsys-tarfile "$deb" |
	tar -xO ./usr/src/$pkg.tar.xz |
	xz -dc $xzj |
	tar -x -C "$src.tmp" --strip-components=1
mv "$src.tmp" "$src"
echo "$pkgver" >"$build/linux/debian-version"
echo "  UNPACK  done in $(( $(date +%s) - t0 ))s"

"$here/linux-version.sh" "$build"
