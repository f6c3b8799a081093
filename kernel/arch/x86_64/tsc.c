// SPDX-License-Identifier: GPL-2.0-only
/*
 * The monotonic clock: the TSC, scaled to ns since the PVH entry. Its rate
 * comes from the first source the machine offers: CPUID leaf 0x15 (crystal
 * ratio) or 0x16 (base MHz) when they are filled in, else a measurement
 * against the HPET (pc and q35 have one at its usual address; QEMU 7.2's
 * microvm has none), else against PIT channel 0 (microvm has a PIT under TCG
 * but no port 0x61 gate for channel 2), else against the CMOS RTC's
 * periodic flag (microvm with pit=off). Nothing is assumed: a source that
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

/*
 * The CMOS RTC's periodic interrupt flag (MC146818: register A's rate 9 is
 * 128 Hz; register C's bit 6 is set each period and cleared by reading
 * C). microvm with pit=off still has its RTC. QEMU sets the flag only
 * while the periodic interrupt is enabled in register B, so it is, with
 * IRQs off and IRQ 8 masked, for the measurement. QEMU raises the flag
 * from a host timer, which the host's scheduling makes late: a flag late
 * by less than a period lengthens that period and shortens the next (so
 * the rate is the median of single periods, not their sum), but one late
 * by more is lost and the next is a period later (QEMU's default
 * lost-tick policy). At 1024 Hz, beside two busy loops, most ticks were
 * lost and the TSC read twice its rate; at 128 Hz the host has 7.8 ms to
 * be on time. The last resort: RTC_PERIODS of them take 125 ms.
 */
#define RTC_RATE	9		/* 32768 Hz >> (9 - 1) = 128 Hz */
#define RTC_HZ		128
#define RTC_PERIODS	16

static uint8_t cmos_read(uint8_t reg)
{
	outb(0x70, 0x80 | reg);			/* bit 7: NMIs stay off */
	return inb(0x71);
}

static void cmos_write(uint8_t reg, uint8_t v)
{
	outb(0x70, 0x80 | reg);
	outb(0x71, v);
}

/* The TSC at register C's next periodic flag; 0 if none in ~2^31 cycles. */
static uint64_t rtc_next_period(void)
{
	uint64_t t0 = rdtsc(), t;

	while (!(cmos_read(0x0c) & 0x40))
		if (rdtsc() - t0 > (1ull << 31))
			return 0;
	t = rdtsc();
	return t ? t : 1;
}

static uint64_t rtc_measure_tsc(void)
{
	uint8_t a = cmos_read(0x0a), b = cmos_read(0x0b);
	uint64_t period[RTC_PERIODS], prev, t;
	int n = 0;

	if (a == 0xff && b == 0xff)
		return 0;			/* no RTC */
	cmos_write(0x0a, (a & 0x70) | RTC_RATE);	/* keep the divider */
	cmos_write(0x0b, b | 0x40);		/* periodic interrupt on */
	cmos_read(0x0c);
	prev = rtc_next_period();		/* start on a flag */
	while (prev && n < RTC_PERIODS && (t = rtc_next_period())) {
		/* Insertion sort as they come: the median at the end. */
		int i = n++;

		for (; i > 0 && period[i - 1] > t - prev; i--)
			period[i] = period[i - 1];
		period[i] = t - prev;
		prev = t;
	}
	cmos_write(0x0b, b);
	cmos_write(0x0a, a & 0x7f);
	cmos_read(0x0c);			/* and IRQ 8 down again */
	if (n < RTC_PERIODS)
		return 0;
	return period[RTC_PERIODS / 2] * RTC_HZ;
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
	if (!tsc_hz) {
		tsc_hz = rtc_measure_tsc();
		tsc_source = "rtc";
	}
	if (tsc_hz < 1000000)
		kpanic("TSC calibration: %llu Hz is implausible (no CPUID leaf, HPET, PIT or RTC)",
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
