#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Run every allocator's benchmark binary RUNS times (interleaved, so that
# machine noise hits all alike), then summarise with summarise.py.
# Usage: run_bench.sh BIN_DIR OUT_DIR PNG RUNS
set -e
bin=$1; out=$2; png=$3; runs=$4
mkdir -p "$out"
raw=$out/mempool-raw.csv
echo "run,allocator,workload,value,unit" > "$raw"
r=1
while [ "$r" -le "$runs" ]; do
	for a in ddeos seed glibc jemalloc tcmalloc mimalloc; do
		"$bin/bench_$a" 1 | sed "s/^/$r,/" >> "$raw"
		"$bin/bench_$a" 1 retained | sed "s/^/$r,/" >> "$raw"
	done
	echo "run $r of $runs done" >&2
	r=$((r + 1))
done
python3 "$(dirname "$0")/summarise.py" "$raw" "$out/mempool.csv" \
	"$out/mempool-summary.md" "$png"
cat "$out/mempool-summary.md"
