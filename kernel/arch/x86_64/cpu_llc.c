// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which CPUs share a last-level cache, from CPUID, as Linux's x86 code
 * decides it (arch/x86/kernel/cpu/cacheinfo.c, amd.c): the LLC id of a CPU
 * is its APIC ID with the low bits of the CPUs sharing that cache cut off.
 * The machine is taken to be symmetric, so the width is read once, on the
 * CPU that asks first, and applied to every CPU's APIC ID from the MADT.
 */
#include <ddeos/arch.h>
#include <arch/cpu.h>

#define LLC_UNKNOWN	0xffu

static unsigned int llc_shift = LLC_UNKNOWN;

/* Bits to hold @n values (Linux's get_count_order()). */
static unsigned int count_order(uint32_t n)
{
	unsigned int bits = 0;

	while ((1u << bits) < n)
		bits++;
	return bits;
}

/*
 * The logical processors sharing the highest-level cache of a CPUID cache
 * leaf (4 on Intel, 0x8000001D on AMD with TOPOEXT; same layout). Return:
 * the APIC ID bits that count them, or -1 when the leaf lists no cache.
 */
static int cache_leaf_shift(uint32_t leaf)
{
	uint32_t a, b, c, d, sharing = 0, level = 0;

	for (uint32_t sub = 0; sub < 16; sub++) {
		cpuid(leaf, sub, &a, &b, &c, &d);
		if (!(a & 0x1f))
			break;		/* no more caches */
		if (((a >> 5) & 7) >= level) {
			level = (a >> 5) & 7;
			sharing = ((a >> 14) & 0xfff) + 1;
		}
	}
	return sharing ? (int)count_order(sharing) : -1;
}

static unsigned int llc_shift_read(void)
{
	uint32_t max, a, b, c, d, ext;
	bool intel, amd;
	int shift;

	cpuid(0, 0, &max, &b, &c, &d);
	/* "GenuineIntel", "AuthenticAMD", "HygonGenuine" in EBX. */
	intel = b == 0x756e6547;
	amd = b == 0x68747541 || b == 0x6f677948;
	cpuid(0x80000000, 0, &ext, &b, &c, &d);
	if (intel && max >= 4) {
		shift = cache_leaf_shift(4);
		if (shift >= 0)
			return (unsigned int)shift;
	}
	if (amd && ext >= 0x80000008) {
		cpuid(0x80000006, 0, &a, &b, &c, &d);
		if (!d)
			return 0;	/* no L3: Linux finds no sharing */
		cpuid(0x80000001, 0, &a, &b, &c, &d);
		if ((c & (1u << 22)) && ext >= 0x8000001d) {	/* TOPOEXT */
			shift = cache_leaf_shift(0x8000001d);
			if (shift >= 0)
				return (unsigned int)shift;
		}
		/* Older parts: the LLC is the socket's (amd_detect_cmp()). */
		cpuid(0x80000008, 0, &a, &b, &c, &d);
		if ((c >> 12) & 0xf)
			return (c >> 12) & 0xf;
		return count_order((c & 0xff) + 1);
	}
	/*
	 * Unknown: as Linux with no LLC id, no two CPUs share. That only
	 * costs an IPI per moved completion, never correctness.
	 */
	return 0;
}

/**
 * arch_cpu_llc_id - @cpu's last-level cache: equal for CPUs that share it
 * Context: any. The first call reads CPUID; racing first calls write the
 * same value.
 */
unsigned int arch_cpu_llc_id(unsigned int cpu)
{
	unsigned int shift = __atomic_load_n(&llc_shift, __ATOMIC_RELAXED);

	if (shift == LLC_UNKNOWN) {
		shift = llc_shift_read();
		__atomic_store_n(&llc_shift, shift, __ATOMIC_RELAXED);
	}
	return arch_cpu_apic_id(cpu) >> shift;
}
