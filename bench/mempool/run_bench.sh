#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Run every allocator's benchmark binary, both linkings, RUNS times,
# interleaved (each round runs every binary once, starting one allocator
# later than the round before), so that machine noise hits all alike. The
# retained-memory workload runs in a fresh process of its own. Then
# summarise.py writes the tables and the plot.
# Usage: run_bench.sh BIN_DIR OUT_DIR RUNS [SCALE]
set -eu
bin=$1; out=$2; runs=$3; scale=${4:-1}
allocs=(ddeos seed glibc jemalloc tcmalloc mimalloc)
links=(so static)
mkdir -p "$out"
raw=$out/mempool-raw.csv
load=$out/mempool-load.txt
echo "run,allocator,link,workload,value,unit" >"$raw"
{
	echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "cpus: $(nproc); runs: $runs; scale: $scale"
	echo "uptime before: $(uptime)"
} >"$load"
: >"$out/mempool-na.txt"
for l in "${links[@]}"; do
	for a in "${allocs[@]}"; do
		if [ ! -x "$bin/$l/bench_$a" ]; then
			why=$(cat "$bin/lib/$a/why" 2>/dev/null || echo "not built")
			echo "$a,$l,$why" >>"$out/mempool-na.txt"
		fi
	done
done
# Percentage of CPU time idle over one second (all CPUs, from /proc/stat).
idle_pct() {
	local a b
	read -r -a a < <(head -n 1 /proc/stat)
	sleep 1
	read -r -a b < <(head -n 1 /proc/stat)
	local i tot=0 idle
	for i in 1 2 3 4 5 6 7 8; do
		tot=$((tot + b[i] - a[i]))
	done
	idle=$((b[4] - a[4] + b[5] - a[5]))
	echo $((tot > 0 ? 100 * idle / tot : 100))
}

# Before each round, wait up to QUIET_WAIT seconds (default 30) for the
# machine to be at least QUIET_IDLE % idle (default 85), and log what it was.
quiet_wait=${QUIET_WAIT:-30}
quiet_idle=${QUIET_IDLE:-85}
r=1
while [ "$r" -le "$runs" ]; do
	waited=0
	idle=$(idle_pct)
	while [ "$idle" -lt "$quiet_idle" ] && [ "$waited" -lt "$quiet_wait" ]; do
		idle=$(idle_pct)
		waited=$((waited + 1))
	done
	echo "round $r: ${idle}% idle before it (waited ${waited} s), load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$load"
	n=${#allocs[@]}
	for i in $(seq 0 $((n - 1))); do
		a=${allocs[$(((i + r - 1) % n))]}
		for l in "${links[@]}"; do
			b=$bin/$l/bench_$a
			[ -x "$b" ] || continue
			"$b" "$a" "$l" "$scale" | sed "s/^/$r./" >>"$raw"
			"$b" "$a" "$l" 1 retained | sed "s/^/$r./" >>"$raw"
		done
	done
	echo "run $r of $runs done (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
	r=$((r + 1))
done
echo "uptime after: $(uptime)" >>"$load"
python3 "$(dirname "$0")/summarise.py" "$out"
cat "$out/mempool-summary.md"
