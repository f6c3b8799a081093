#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# linux-config.sh BUILD FRAGMENT [MAKE ARGS...]: configure Linux in
# BUILD/linux-obj as x86_64 `tinyconfig` with FRAGMENT merged over it, then
# `olddefconfig`, then check that every option of FRAGMENT survived.
set -eu

build=${1:?usage: linux-config.sh BUILD FRAGMENT}
frag=${2:?usage: linux-config.sh BUILD FRAGMENT}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$build/linux-src" && pwd)
mkdir -p "$build/linux-obj"
obj=$(cd "$build/linux-obj" && pwd)
frag=$(cd "$(dirname "$frag")" && pwd)/$(basename "$frag")
kmake() { ${MAKE:-make} -C "$src" O="$obj" ARCH=x86_64 "$@"; }

echo "  CONFIG  tinyconfig + $(basename "$frag")"
kmake -s "$@" tinyconfig >"$obj/tinyconfig.log" 2>&1 ||
	{ cat "$obj/tinyconfig.log" >&2; exit 1; }
# -m: merge only; olddefconfig below resolves the dependencies.
(cd "$obj" && ARCH=x86_64 "$src/scripts/kconfig/merge_config.sh" -m -O "$obj" \
	"$obj/.config" "$frag" >"$obj/merge_config.log")
# olddefconfig warns about every choice the fragment overrides: keep that in
# a log, shown only if it fails.
kmake -s "$@" olddefconfig >"$obj/olddefconfig.log" 2>&1 ||
	{ cat "$obj/olddefconfig.log" >&2; exit 1; }
"$here/linux-checkconfig.sh" "$frag" "$obj/.config"
