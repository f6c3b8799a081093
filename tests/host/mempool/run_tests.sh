#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Run the pool's host test binaries in $1, number the TAP lines across them,
# and end with "N passed, N failed". Usage: run_tests.sh DIR OPS_ASAN OPS_TSAN OPS_DEBUG
dir=$1
n=1; passed=0; failed=0
run() {
	name=$1; shift
	out=$("$@" 2>"$dir/$name.stderr")
	st=$?
	printf '%s\n' "$out" | grep -v '^# result'
	res=$(printf '%s\n' "$out" | sed -n 's/^# result //p')
	if [ -z "$res" ]; then
		echo "not ok $n - $name: test binary died (status $st), see $dir/$name.stderr"
		failed=$((failed + 1)); n=$((n + 1))
		return
	fi
	p=${res% *}; f=${res#* }
	passed=$((passed + p)); failed=$((failed + f)); n=$((n + p + f))
	grep '^#' "$dir/$name.stderr" | sed "s/^# /# $name: /"
	if [ "$f" != 0 ]; then sed "s/^/# $name stderr: /" "$dir/$name.stderr" | tail -40; fi
}
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
run asan "$dir/test_asan" asan "$n" "$2"
run tsan "$dir/test_tsan" tsan "$n" "$3"
run debug "$dir/test_debug" debug "$n" "$4"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
