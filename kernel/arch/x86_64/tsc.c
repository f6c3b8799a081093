// SPDX-License-Identifier: GPL-2.0-only
/*
 * The monotonic clock: the TSC, scaled to ns since the PVH entry. Its rate
 * comes from the first source the machine offers: CPUID leaf 0x15 (crystal
 * ratio) or 0x16 (base MHz) when they are filled in, else a measurement
 * against the HPET (pc and q35 have one at its usual address; QEMU 7.2's
 * microvm has none), else against PIT channel 0 (microvm has a PIT under TCG
 * but no port 0x61 gate for channel 2). Nothing is assumed: a source that
 * does not answer is skipped, and none at all is fatal. QEMU keeps the TSCs of all vCPUs in step, so one scale
 * serves every CPU.
 */
#include <arch/cpu.h>
#include <ddeos/arch.h>
#include <ddeos/console.h>
#include <ddeos/panic.h>

#define PIT_HZ		1193182u
#define CALIBRATE_MS	5	/* TSC error ~1e-4 here; boot time matters (issue 3) */

/*
 * The HPET's register block (IA-PC HPET specification 1.0a, 2.3). QEMU's pc
 * and q35 put it here; it is probed rather than found through the ACPI HPET
 * table, which is read after the TSC is calibrated.
 */
#define HPET_BASE	0xfed00000ull
#define HPET_CAP	0x000	/* bits 63:32 period in fs, 15:0 vendor */
#define HPET_CONFIG	0x010	/* bit 0: counter runs */
#define HPET_COUNTER	0x0f0
#define HPET_MAX_FS	100000000u	/* the spec's longest period, 100 ns */

extern uint64_t boot_tsc;	/* in .boot.data: identity-mapped only early */
static uint64_t tsc_at_entry;
static uint64_t tsc_mult;	/* ns per tick, 32.32 fixed point */
static uint64_t tsc_hz;
static const char *tsc_source = "none";

/* CPUID 0x15: TSC = crystal * EBX / EAX; 0x16: base frequency in MHz. */
static uint64_t cpuid_tsc_hz(const char **source)
{
	uint32_t max, a, b, c, d;

	cpuid(0, 0, &max, &b, &c, &d);
	if (max >= 0x15) {
		cpuid(0x15, 0, &a, &b, &c, &d);
		if (a && b && c) {
			*source = "cpuid15";
			return (uint64_t)c * b / a;
		}
	}
	if (max >= 0x16) {
		cpuid(0x16, 0, &a, &b, &c, &d);
		if (a & 0xffff) {
			*source = "cpuid16";
			return (uint64_t)(a & 0xffff) * 1000000;
		}
	}
	return 0;
}

/* The HPET's main counter against the TSC, for CALIBRATE_MS. */
static uint64_t hpet_measure_tsc(void)
{
	volatile uint64_t *hpet = arch_map_mmio(HPET_BASE, 0x400);
	uint64_t cap = hpet[HPET_CAP / 8];
	uint32_t fs = cap >> 32;
	uint64_t ticks, c0, c1, t0, t1;

	/* Nothing there reads as 0 (QEMU) or all-ones; a period of 0 or
	 * beyond 100 ns is not an HPET. */
	if (cap == ~0ull || !fs || fs > HPET_MAX_FS)
		return 0;
	hpet[HPET_CONFIG / 8] |= 1;
	ticks = (uint64_t)CALIBRATE_MS * 1000000000000ull / fs;
	c0 = hpet[HPET_COUNTER / 8];
	t0 = rdtsc();
	for (uint64_t spins = 0; (c1 = hpet[HPET_COUNTER / 8]) - c0 < ticks; spins++)
		if (spins > 100000000ull)
			return 0;	/* the counter does not run */
	t1 = rdtsc();
	/* Scale by the ticks actually seen: the last read may overshoot.
	 * 5 ms is 5e12 fs and (t1 - t0) * 1e9 stays below 2^64 up to 3 GHz *
	 * 5 ms * 1e9 = 1.5e16: no 128-bit division needed. */
	return (t1 - t0) * 1000000000ull / ((c1 - c0) * fs / 1000000);
}

/* PIT channel 0's count, latched so that both bytes belong together. */
static uint16_t pit_read0(void)
{
	uint8_t lo, hi;

	outb(0x43, 0x00);			/* latch channel 0 */
	lo = inb(0x40);
	hi = inb(0x40);
	return (uint16_t)(hi << 8 | lo);
}

/*
 * Channel 0 counting down from 0xffff (mode 2), read by latching: unlike
 * channel 2 this needs no gate at port 0x61, which microvm lacks. The PIC
 * is masked and IRQs are off, so its IRQ 0 goes nowhere.
 */
static uint64_t pit_measure_tsc(void)
{
	uint32_t want = PIT_HZ * CALIBRATE_MS / 1000;
	uint16_t c0, c1;
	uint64_t t0, t1, spins = 0;

	outb(0x43, 0x34);			/* ch0, lo/hi, mode 2, binary */
	outb(0x40, 0xff);
	outb(0x40, 0xff);
	/* Start on a tick edge; a counter that never moves is no PIT. */
	c0 = pit_read0();
	while ((c1 = pit_read0()) == c0)
		if (++spins > 1000000)
			return 0;
	t0 = rdtsc();
	while ((uint16_t)(c1 - (c0 = pit_read0())) < want)
		;
	t1 = rdtsc();
	/* One-shot from here: it fires once and stops. */
	outb(0x43, 0x30);
	outb(0x40, 0xff);
	outb(0x40, 0xff);
	return (t1 - t0) * PIT_HZ / (uint16_t)(c1 - c0);
}

/* Context: boot CPU, after arch_paging_init() (the HPET is mapped here). */
void arch_time_init(void)
{
	tsc_at_entry = boot_tsc;
	tsc_hz = cpuid_tsc_hz(&tsc_source);
	if (!tsc_hz) {
		tsc_hz = hpet_measure_tsc();
		tsc_source = "hpet";
	}
	if (!tsc_hz) {
		tsc_hz = pit_measure_tsc();
		tsc_source = "pit";
	}
	if (tsc_hz < 1000000)
		kpanic("TSC calibration: %llu Hz is implausible (no CPUID leaf, HPET or PIT)",
		      (unsigned long long)tsc_hz);
	tsc_mult = (1000000000ull << 32) / tsc_hz;	/* fits: 1e9 < 2^32 */
}

uint64_t arch_tsc_hz(void)
{
	return tsc_hz;
}

/* Return: what the TSC's rate was taken from, for the boot summary. */
const char *arch_tsc_source(void)
{
	return tsc_source;
}

/* Context: any. Monotonic, ns since the PVH entry (0 before calibration). */
uint64_t arch_clock_ns(void)
{
	return (uint64_t)(((unsigned __int128)(rdtsc() - tsc_at_entry) * tsc_mult) >> 32);
}
