// SPDX-License-Identifier: GPL-2.0-only
/*
 * The memory pool's platform (pool_platform.h) on the ddeos kernel: CPU id
 * and preemption from the shared per-CPU state, IRQ flags from the arch,
 * output on the console, reclaim waits as IPIs that make every CPU give
 * its cached memory back, then one scheduler tick of sleep, and slab
 * events passed to the hook the DDE sets (pool_boot_set_slab_hook()).
 */
#include <ddeos/arch.h>
#include <ddeos/console.h>
#include <ddeos/mm.h>
#include <ddeos/panic.h>
#include <ddeos/percpu.h>
#include <ddeos/preempt.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>
#include "pool_platform.h"
#include "pool.h"

_Static_assert(POOL_MAX_CPUS == MAX_CPUS, "pool and kernel agree on CPUs");

/* A sleeping allocation waits at most this many ticks for memory. */
#define POOL_RECLAIM_WAITS	8

unsigned int pool_platform_cpu(void)
{
	return cpu_id();
}

unsigned int pool_platform_nr_cpus(void)
{
	return smp_cpus_online();
}

void pool_platform_preempt_disable(void)
{
	preempt_off();
}

void pool_platform_preempt_enable(void)
{
	preempt_on();
}

unsigned long pool_platform_irq_save(void)
{
	return arch_irq_save();
}

void pool_platform_irq_restore(unsigned long flags)
{
	arch_irq_restore(flags);
}

void pool_platform_cpu_relax(void)
{
	arch_cpu_relax();
}

void pool_platform_print(const char *line)
{
	kprintf("%s\n", line);	/* the pool passes lines without newline */
}

/* The pool's messages start with "pool: " already. */
void pool_platform_report(const char *msg)
{
	kprintf("%s\n", msg);
}

void pool_platform_panic(const char *msg)
{
	kpanic("pool: %s", msg);
}

static uint64_t reclaim_ipi_rounds;

static void reclaim_ipi(void *unused)
{
	pool_drain(POOL_DRAIN_RECLAIM);
}

/*
 * Context: thread, may sleep (the pool only asks for POOL_SLEEP requests).
 * Every CPU drains and trims by IPI, twice round (the first round pushes
 * the batches of frees, the second takes them in), so the memory other
 * CPUs cache is in the buddy allocator before the caller tries again;
 * then a tick of sleep lets frees in progress finish.
 */
bool pool_platform_wait_reclaim(unsigned int attempt)
{
	if (attempt >= POOL_RECLAIM_WAITS || preempt_level() || !arch_irqs_enabled())
		return false;
	if (pool_boot_ready()) {
		for (int round = 0; round < 2; round++)
			for (unsigned int cpu = 0; cpu < smp_cpus_online(); cpu++)
				smp_run_on_cpu(cpu, reclaim_ipi, NULL);
		__atomic_fetch_add(&reclaim_ipi_rounds, 1, __ATOMIC_RELAXED);
	}
	thread_sleep_ns(SCHED_SLICE_NS);
	return true;
}

uint64_t pool_boot_reclaim_rounds(void)
{
	return __atomic_load_n(&reclaim_ipi_rounds, __ATOMIC_RELAXED);
}

static void (*slab_hook)(void *base, unsigned int order, int created);

void pool_boot_set_slab_hook(void (*hook)(void *base, unsigned int order,
					  int created))
{
	__atomic_store_n(&slab_hook, hook, __ATOMIC_RELEASE);
}

void (*pool_boot_slab_hook(void))(void *base, unsigned int order, int created)
{
	return __atomic_load_n(&slab_hook, __ATOMIC_ACQUIRE);
}

/* Context: any, including hard IRQ (where the pool makes a slab). */
void pool_platform_slab_event(void *base, unsigned int order, int created)
{
	void (*hook)(void *, unsigned int, int) =
		__atomic_load_n(&slab_hook, __ATOMIC_ACQUIRE);

	if (hook)
		hook(base, order, created);
}
