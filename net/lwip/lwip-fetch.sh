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
apt=$build/lwip-apt
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/parts" \
	"$build/lwip-dl" "$build/lwip"
apt=$(cd "$apt" && pwd)
dl=$(cd "$build/lwip-dl" && pwd)

# 1. A deb-src line for each Debian archive the machine's apt uses for
# bookworm (deb822 .sources and one-line lists alike), with its keyring.
{
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '
		function flush() {
			if (deb && uri != "" && suites ~ /(^| )bookworm( |$)/)
				printf "deb-src%s %s bookworm main\n", \
					key != "" ? " [signed-by=" key "]" : "", uri
			deb = 0; uri = ""; suites = ""; key = ""
		}
		/^[ \t]*$/ { flush(); next }
		/^Types:/ { deb = ($0 ~ /[ \t]deb([ \t]|$)/) }
		/^URIs:/ { uri = $2 }
		/^Suites:/ { suites = $0; sub(/^Suites:[ \t]*/, "", suites) }
		/^Signed-By:/ { key = $2 }
		END { flush() }' "$f"
	done
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '$1 == "deb" {
			i = 2; opt = ""
			if ($2 ~ /^\[/) { while ($i !~ /\]$/) opt = opt " " $(i++); opt = opt " " $(i++) }
			if ($(i + 1) == "bookworm") print "deb-src" opt, $i, "bookworm main"
		}'
} | sort -u >"$apt/sources.list"
if [ ! -s "$apt/sources.list" ]; then
	echo "error: no Debian bookworm archive in /etc/apt/sources.list*;" >&2
	echo "  lwIP is fetched as Debian's source package from it." >&2
	exit 1
fi
opts="-o Dir::Etc::SourceList=$apt/sources.list -o Dir::Etc::SourceParts=$apt/parts
      -o Dir::State::Lists=$apt/lists -o Dir::Cache=$apt/cache -q"

# 2. Download the .dsc and its tarballs (once).
dsc=$(ls "$dl"/${pkg}_${want}-*.dsc 2>/dev/null | tail -n 1 || true)
if [ -z "$dsc" ]; then
	echo "  FETCH   $pkg source from $(grep -o 'http[^ ]*' "$apt/sources.list" | tr '\n' ' ')"
	# shellcheck disable=SC2086
	apt-get $opts update >"$dl/update.log" 2>&1 || { cat "$dl/update.log" >&2; exit 1; }
	ver=$(apt-cache $opts showsrc "$pkg" | sed -n 's/^Version: //p' |
		grep "^$want-" | sort -V | tail -n 1)
	if [ -z "$ver" ]; then
		echo "error: the archive has no source package $pkg $want-*" >&2
		exit 1
	fi
	# shellcheck disable=SC2086
	(cd "$dl" && apt-get $opts source --download-only "$pkg=$ver") \
		>"$dl/download.log" 2>&1 || { cat "$dl/download.log" >&2; exit 1; }
	dsc=$(ls "$dl"/${pkg}_${want}-*.dsc | tail -n 1)
fi

# 3. Unpack as Debian ships it.
src=$build/lwip-src
rm -rf "$src" "$src.tmp"
dpkg-source --no-check -q -x "$dsc" "$src.tmp" >/dev/null
mv "$src.tmp" "$src"
basename "$dsc" .dsc | sed 's/^lwip_//' >"$build/lwip/debian-version"
echo "  UNPACK  $(basename "$dsc") -> $src"
