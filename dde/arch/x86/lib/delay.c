// SPDX-License-Identifier: GPL-2.0-only
/*
 * Busy-wait delays (Linux: arch/x86/lib/delay.c): udelay(), ndelay() and
 * mdelay() end in __const_udelay(), whose argument is the delay in units
 * of 2^-32 s (usecs * 0x10c7). Linux turns that into TSC cycles or loops
 * calibrated at boot; here the ddeos monotonic clock is read until the
 * time has passed, so no calibration is needed and the delay is never
 * shorter than asked, however slowly the (emulated) CPU runs.
 */
#include <linux/delay.h>
#include <linux/processor.h>
#include <linux/time64.h>
#include <dde/dde.h>

void __const_udelay(unsigned long xloops)
{
	unsigned long long end = ddeos_clock_ns() +
		(((unsigned long long)xloops * NSEC_PER_SEC) >> 32) + 1;

	while (ddeos_clock_ns() < end)
		cpu_relax();
}

void __udelay(unsigned long usecs)
{
	__const_udelay(usecs * 0x000010c7);	/* 2^32 / 10^6, rounded up */
}

void __ndelay(unsigned long nsecs)
{
	__const_udelay(nsecs * 0x00005);	/* 2^32 / 10^9, rounded up */
}
