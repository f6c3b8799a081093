// SPDX-License-Identifier: GPL-2.0-only
/*
 * boot_cpu_data (Linux: arch/x86/kernel/setup.c, cpu/common.c), reduced to
 * what Linux inlines on our paths read: the cache-line size
 * (cache_line_size(), SLAB_HWCACHE_ALIGN) and the CPUID feature words that
 * boot_cpu_has() tests, read from the boot CPU. Every CPU of a ddeos guest
 * is the same model.
 */
#include <asm/cpufeature.h>
#include <asm/processor.h>
#include <dde/dde.h>

struct cpuinfo_x86 boot_cpu_data __read_mostly;

void dde_cpuinfo_init(void)
{
	struct cpuinfo_x86 *c = &boot_cpu_data;
	u32 eax, ebx, ecx, edx;

	cpuid(0, &eax, &ebx, &ecx, &edx);
	c->cpuid_level = eax;
	cpuid(1, &eax, &ebx, &ecx, &edx);
	c->x86 = (eax >> 8) & 0xf;
	c->x86_model = (eax >> 4) & 0xf;
	c->x86_capability[CPUID_1_EDX] = edx;
	c->x86_capability[CPUID_1_ECX] = ecx;
	c->x86_clflush_size = ((ebx >> 8) & 0xff) * 8;
	c->x86_cache_alignment = c->x86_clflush_size ?: 64;
	if (c->cpuid_level >= 7) {
		cpuid_count(7, 0, &eax, &ebx, &ecx, &edx);
		c->x86_capability[CPUID_7_0_EBX] = ebx;
		c->x86_capability[CPUID_7_ECX] = ecx;
		c->x86_capability[CPUID_7_EDX] = edx;
	}
}
