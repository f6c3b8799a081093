#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# lwip-fetch.sh BUILD: obtain Debian's source package lwip (2.1.3+dfsg1)
# with `apt-get source`, through a private deb-src list for the archive
# this machine's apt already uses (its own lists and sources stay as they
# are), and unpack it into BUILD/lwip-src as Debian ships it (dpkg-source
# applies Debian's own patches; we change nothing). Called by net/lwip/lwip.mk
# once; the stamp BUILD/lwip/fetch.stamp keeps later builds from fetching.
set -eu

build=${1:?usage: lwip-fetch.sh BUILD}
pkg=lwip
want=2.1.3+dfsg1
mkdir -p "$build/lwip"

# 1. Download the .dsc and its tarballs (once), through a private deb-src
# list for the bookworm archive the machine's apt already uses.
dsc=$("$(dirname "$0")/../../tools/deb-source" "$pkg" "$want-" \
	"$build/lwip-apt" "$build/lwip-dl")

# 2. Unpack as Debian ships it.
src=$build/lwip-src
rm -rf "$src" "$src.tmp"
dpkg-source --no-check -q -x "$dsc" "$src.tmp" >/dev/null
mv "$src.tmp" "$src"
basename "$dsc" .dsc | sed 's/^lwip_//' >"$build/lwip/debian-version"
echo "  UNPACK  $(basename "$dsc") -> $src"
