#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# linux-checkconfig.sh FRAGMENT DOTCONFIG: fail, naming each option, if an
# option of FRAGMENT did not survive into DOTCONFIG. kconfig silently drops
# or changes options whose dependencies are not met, so we check:
#   CONFIG_X=v           DOTCONFIG must contain exactly CONFIG_X=v
#   # CONFIG_X is not set  DOTCONFIG must not set CONFIG_X to y or m
#                        (absent is fine: the option does not exist here)
set -eu

frag=${1:?usage: linux-checkconfig.sh FRAGMENT DOTCONFIG}
dot=${2:?usage: linux-checkconfig.sh FRAGMENT DOTCONFIG}

awk -v frag="$frag" '
FNR == NR {
	if ($0 ~ /^CONFIG_[A-Za-z0-9_]+=/) {
		n = index($0, "="); sym = substr($0, 1, n - 1)
		if (!(sym in want)) order[++cnt] = sym
		want[sym] = substr($0, n + 1)
	} else if ($0 ~ /^# CONFIG_[A-Za-z0-9_]+ is not set/) {
		if (!($2 in want)) order[++cnt] = $2
		want[$2] = "n"
	}
	next
}
/^CONFIG_[A-Za-z0-9_]+=/ {
	n = index($0, "="); have[substr($0, 1, n - 1)] = substr($0, n + 1)
}
/^# CONFIG_[A-Za-z0-9_]+ is not set/ { have[$2] = "n" }
END {
	bad = 0
	for (i = 1; i <= cnt; i++) {
		sym = order[i]; w = want[sym]
		h = (sym in have) ? have[sym] : "(absent)"
		if (w == "n") {
			if (h == "y" || h == "m") {
				printf "  %s: wanted off, got %s=%s\n", sym, sym, h
				bad++
			}
		} else if (h != w) {
			printf "  %s: wanted %s=%s, got %s\n", sym, sym, w, \
				(h == "n" ? "not set" : h == "(absent)" ? "absent (unmet dependency?)" : sym "=" h)
			bad++
		}
	}
	if (bad) {
		printf "error: %d option(s) of %s did not survive olddefconfig " \
			"(check their dependencies with make menuconfig, / search)\n", bad, frag
		exit 1
	}
	printf "  CHECK   %d options of %s present in .config\n", cnt, frag
}' "$frag" "$dot" >&2
