// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-CPU areas, set up the way Linux 6.1 does on x86_64 SMP
 * (arch/x86/kernel/setup_percpu.c): the linker gives a zero-based template
 * (__per_cpu_start.. __per_cpu_end, loaded at __per_cpu_load); each CPU gets
 * a copy, __per_cpu_offset[cpu] is the copy's address (the template is at
 * 0, so address == offset), the copy's this_cpu_off holds the same value,
 * and the CPU's GS base points at it. Until then the boot CPU runs on the
 * template itself (GS base = __per_cpu_load, set in boot.S). Unlike Linux's
 * page-allocator areas, ours sit at a fixed stride in a range of their own
 * and grow in place (below).
 */
#include <ddeos/arch.h>
#include <ddeos/page_alloc.h>
#include <ddeos/panic.h>
#include <ddeos/percpu.h>
#include <ddeos/preempt.h>
#include <ddeos/spinlock.h>
#include <ddeos/string.h>

extern char __per_cpu_start[], __per_cpu_end[], __per_cpu_load[];

/* Linux's names: Linux objects read these directly. */
DEFINE_PERCPU(unsigned long, this_cpu_off);
DEFINE_PERCPU(int, cpu_number);
unsigned long __per_cpu_offset[MAX_CPUS];

/*
 * The boot context of each CPU starts with preemption disabled, like
 * Linux's init_task (PREEMPT_DISABLED); sched_idle_loop() keeps it (the
 * idle thread is never preempted).
 */
DEFINE_PERCPU(int, __preempt_count) = PREEMPT_ENABLED + PREEMPT_OFFSET;

void percpu_init_boot(void)
{
	percpu_write(this_cpu_off, (unsigned long)__per_cpu_load);
	percpu_write(cpu_number, 0);
}

/*
 * Each CPU's area is at PERCPU_VA + cpu * PERCPU_STRIDE, so one distance
 * separates the CPUs' copies of any per-CPU object, static or dynamic: a
 * dynamically allocated one (percpu_alloc()) is an offset past the static
 * template, valid in every area, which Linux's per_cpu_ptr(p, cpu) = p +
 * __per_cpu_offset[cpu] and this_cpu_inc(*p) = incl %gs:p assume. Areas are
 * mapped page by page as they grow, the same pages in every CPU's.
 */
#define DYN_UNIT	16			/* allocation granule */
#define DYN_MAX		(1u << 20)		/* dynamic bytes per CPU */
#define DYN_UNITS	(DYN_MAX / DYN_UNIT)

static unsigned int percpu_ncpus;
static unsigned long dyn_start;			/* first dynamic offset */
static unsigned long mapped_end;		/* offsets below are mapped */
static uint64_t dyn_used[DYN_UNITS / 64];	/* unit allocated */
static uint64_t dyn_head[DYN_UNITS / 64];	/* unit starts an allocation */
static struct spinlock percpu_lock = SPINLOCK_INIT;

static bool bit(const uint64_t *map, unsigned long i)
{
	return map[i / 64] & (1ull << (i % 64));
}

static void set_bit_to(uint64_t *map, unsigned long i, bool v)
{
	if (v)
		map[i / 64] |= 1ull << (i % 64);
	else
		map[i / 64] &= ~(1ull << (i % 64));
}

/* Map [mapped_end, end) in every CPU's area with zeroed pages. */
static bool map_up_to(unsigned long end)
{
	for (; mapped_end < end; mapped_end += PAGE_SIZE) {
		for (unsigned int cpu = 0; cpu < percpu_ncpus; cpu++) {
			void *pg = page_alloc_zeroed(0);

			if (!pg)
				return false;	/* the mapped part stays usable */
			arch_map_page(PERCPU_VA + cpu * PERCPU_STRIDE + mapped_end,
				      virt_to_phys(pg));
		}
	}
	return true;
}

/* Context: boot CPU, IRQs off, before any other CPU runs. */
void percpu_setup_areas(unsigned int ncpus)
{
	size_t size = (size_t)(__per_cpu_end - __per_cpu_start);

	percpu_ncpus = ncpus;
	dyn_start = ALIGN_UP(size, 64);
	if (!map_up_to(ALIGN_UP(size, PAGE_SIZE)))
		kpanic("per-CPU areas: out of memory (%zu bytes per CPU)", size);
	for (unsigned int cpu = 0; cpu < ncpus; cpu++) {
		char *area = (char *)(PERCPU_VA + cpu * PERCPU_STRIDE);

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

unsigned long percpu_alloc(size_t size, size_t align)
{
	unsigned long n = ALIGN_UP(size ? size : 1, DYN_UNIT) / DYN_UNIT, step, i, j;
	unsigned long off = 0, flags;

	if (align < DYN_UNIT)
		align = DYN_UNIT;
	if ((align & (align - 1)) || align > PAGE_SIZE || size > DYN_MAX)
		return 0;
	step = align / DYN_UNIT;
	flags = spinlock_lock_irqsave(&percpu_lock);
	/* First fit; units are counted from dyn_start, which is 64-aligned. */
	for (i = ALIGN_UP(dyn_start, align) / DYN_UNIT - dyn_start / DYN_UNIT;
	     i + n <= DYN_UNITS; i += step) {
		for (j = 0; j < n && !bit(dyn_used, i + j); j++)
			;
		if (j == n) {
			off = dyn_start + i * DYN_UNIT;
			break;
		}
	}
	if (off && !map_up_to(ALIGN_UP(off + n * DYN_UNIT, PAGE_SIZE)))
		off = 0;
	if (off) {
		for (j = 0; j < n; j++)
			set_bit_to(dyn_used, i + j, true);
		set_bit_to(dyn_head, i, true);
	}
	spinlock_unlock_irqrestore(&percpu_lock, flags);
	if (off)	/* Linux hands out zeroed per-CPU memory */
		for (unsigned int cpu = 0; cpu < percpu_ncpus; cpu++)
			memset((void *)(__per_cpu_offset[cpu] + off), 0, n * DYN_UNIT);
	return off;
}

void percpu_free(unsigned long off)
{
	unsigned long i = (off - dyn_start) / DYN_UNIT, flags;

	if (off < dyn_start || (off - dyn_start) % DYN_UNIT || i >= DYN_UNITS ||
	    !bit(dyn_head, i))
		kpanic("percpu_free(%#lx): not a per-CPU allocation", off);
	flags = spinlock_lock_irqsave(&percpu_lock);
	set_bit_to(dyn_head, i, false);
	do
		set_bit_to(dyn_used, i++, false);
	while (i < DYN_UNITS && bit(dyn_used, i) && !bit(dyn_head, i));
	spinlock_unlock_irqrestore(&percpu_lock, flags);
}

/* Point this CPU's GS base at its area. Context: the CPU itself, IRQs off. */
void percpu_enter(unsigned int cpu)
{
	arch_set_percpu_base(__per_cpu_offset[cpu]);
}
