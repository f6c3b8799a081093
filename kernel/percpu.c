// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-CPU areas, set up the way Linux 6.1 does on x86_64 SMP
 * (arch/x86/kernel/setup_percpu.c): the linker gives a zero-based template
 * (__per_cpu_start.. __per_cpu_end, loaded at __per_cpu_load); each CPU gets
 * a copy, __per_cpu_offset[cpu] is the copy's address (the template is at
 * 0, so address == offset), the copy's this_cpu_off holds the same value,
 * and the CPU's GS base points at it. Until then the boot CPU runs on the
 * template itself (GS base = __per_cpu_load, set in boot.S).
 */
#include <ddeos/arch.h>
#include <ddeos/page_alloc.h>
#include <ddeos/panic.h>
#include <ddeos/percpu.h>
#include <ddeos/preempt.h>
#include <ddeos/string.h>

extern char __per_cpu_start[], __per_cpu_end[], __per_cpu_load[];

/* Linux's names: Linux objects read these directly. */
DEFINE_PERCPU(unsigned long, this_cpu_off);
DEFINE_PERCPU(int, cpu_number);
unsigned long __per_cpu_offset[MAX_CPUS];

/*
 * The boot context of each CPU starts with preemption disabled, like
 * Linux's init_task (PREEMPT_DISABLED); sched_idle_loop() drops it.
 */
DEFINE_PERCPU(int, __preempt_count) = PREEMPT_ENABLED + PREEMPT_OFFSET;

void percpu_init_boot(void)
{
	percpu_write(this_cpu_off, (unsigned long)__per_cpu_load);
	percpu_write(cpu_number, 0);
}

/* Context: boot CPU, IRQs off, before any other CPU runs. */
void percpu_setup_areas(unsigned int ncpus)
{
	size_t size = (size_t)(__per_cpu_end - __per_cpu_start);
	unsigned int order = 0;

	while ((size_t)(PAGE_SIZE << order) < size)
		order++;
	for (unsigned int cpu = 0; cpu < ncpus; cpu++) {
		char *area = page_alloc_zeroed(order);

		if (!area)
			kpanic("per-CPU areas: out of memory (%zu bytes per CPU)", size);
		/* CPU 0 inherits the template's current state (its own). */
		memcpy(area, __per_cpu_load, size);
		__per_cpu_offset[cpu] = (unsigned long)area;
		*(unsigned long *)(area + (unsigned long)&this_cpu_off) =
			(unsigned long)area;
		*(int *)(area + (unsigned long)&cpu_number) = (int)cpu;
		if (cpu)
			*(int *)(area + (unsigned long)&__preempt_count) =
				PREEMPT_ENABLED + PREEMPT_OFFSET;
	}
	percpu_enter(0);
}

/* Point this CPU's GS base at its area. Context: the CPU itself, IRQs off. */
void percpu_enter(unsigned int cpu)
{
	arch_set_percpu_base(__per_cpu_offset[cpu]);
}
