// SPDX-License-Identifier: GPL-2.0-only
/*
 * The monotonic clock: the TSC, calibrated once against the PIT (a known
 * 1.193182 MHz clock on both pc and q35), scaled to ns since the PVH entry.
 * QEMU keeps the TSCs of all vCPUs in step, so one scale serves every CPU.
 */
#include <arch/cpu.h>
#include <ddeos/arch.h>
#include <ddeos/console.h>
#include <ddeos/panic.h>

#define PIT_HZ		1193182u
#define CALIBRATE_MS	5	/* TSC error ~1e-4 here; boot time matters (issue 3) */

extern uint64_t boot_tsc;	/* in .boot.data: identity-mapped only early */
static uint64_t tsc_at_entry;
static uint64_t tsc_mult;	/* ns per tick, 32.32 fixed point */
static uint64_t tsc_hz;

static uint64_t pit_measure_tsc(void)
{
	uint32_t count = PIT_HZ * CALIBRATE_MS / 1000;
	uint64_t t0, t1;
	uint8_t gate = inb(0x61);

	outb(0x61, (gate & ~0x02) | 0x01);	/* gate on, speaker off */
	outb(0x43, 0xb0);			/* ch2, lo/hi, mode 0 */
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	t0 = rdtsc();
	for (uint64_t spins = 0; !(inb(0x61) & 0x20); spins++)
		if (spins > 100000000ull)
			kpanic("TSC calibration: the PIT never fired");
	t1 = rdtsc();
	outb(0x61, gate);
	return (t1 - t0) * 1000 / CALIBRATE_MS;
}

void arch_time_init(void)
{
	tsc_at_entry = boot_tsc;
	tsc_hz = pit_measure_tsc();
	if (tsc_hz < 1000000)
		kpanic("TSC calibration: %llu Hz is implausible",
		      (unsigned long long)tsc_hz);
	tsc_mult = (1000000000ull << 32) / tsc_hz;	/* fits: 1e9 < 2^32 */
}

uint64_t arch_tsc_hz(void)
{
	return tsc_hz;
}

/* Context: any. Monotonic, ns since the PVH entry (0 before calibration). */
uint64_t arch_clock_ns(void)
{
	return (uint64_t)(((unsigned __int128)(rdtsc() - tsc_at_entry) * tsc_mult) >> 32);
}
