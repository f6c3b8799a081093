// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host's TSC rate in kHz, for the Linux guest on microvm under TCG:
 * QEMU's TCG reads the host's TSC for the guest's RDTSC, and microvm offers
 * Linux nothing to calibrate it against (no HPET, no ACPI PM timer, and no
 * port 0x61 for its PIT method), so the benchmarks pass this as
 * tsc_early_khz=. Built and run with the host's gcc by bench/lib/benchlib.py
 * (host_tsc_khz()), for bench/boot/machines, bench/blk and bench/net/run.
 */
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

int main(void)
{
	struct timespec a, b, nap = { 0, 200000000 };
	unsigned long long t0, t1;
	double ns;

	clock_gettime(CLOCK_MONOTONIC, &a);
	t0 = __rdtsc();
	nanosleep(&nap, NULL);
	t1 = __rdtsc();
	clock_gettime(CLOCK_MONOTONIC, &b);
	ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
	printf("%.0f\n", (t1 - t0) / ns * 1e6);
	return 0;
}
