#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# build.sh BUILD: build BUILD/qemu-plugin/insn_split.so, the instruction-
# counting TCG plugin bench/blk-profile loads. Its one input from QEMU,
# include/qemu/qemu-plugin.h, comes from Debian's source package of the
# QEMU installed here (the plugin API must match the binary), fetched by
# tools/deb-source and never committed. Rebuilt only when missing.
set -eu

build=${1:?usage: build.sh BUILD}
here=$(cd "$(dirname "$0")" && pwd)
out=$build/qemu-plugin
so=$out/insn_split.so
[ "$so" -nt "$here/insn_split.c" ] && exit 0
mkdir -p "$out"

# The installed QEMU's source version: no epoch, no binNMU suffix (+bN).
ver=$(dpkg-query -W -f '${Version}' qemu-system-x86 | sed 's/^[0-9]*://; s/+b[0-9]*$//')
dsc=$("$here/../../tools/deb-source" qemu "$ver" "$build/qemu-apt" "$build/qemu-dl")
orig=$(sed -n 's/^ [0-9a-f]\{64\} [0-9]* \(qemu_.*\.orig\.tar\.xz\)$/\1/p' "$dsc" | head -n 1)
[ -n "$orig" ] || { echo "error: no orig tarball named in $dsc" >&2; exit 1; }
rm -rf "$out/include"
mkdir -p "$out/include"
tar -xJf "$(dirname "$dsc")/$orig" -C "$out/include" --wildcards --strip-components=3 \
	'*/include/qemu/qemu-plugin.h'
${CC:-cc} -O2 -Wall -shared -fPIC -pthread -I "$out/include" "$here/insn_split.c" -o "$so"
echo "  PLUGIN  $so (qemu-plugin.h from $(basename "$dsc"))"
