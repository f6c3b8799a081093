// SPDX-License-Identifier: GPL-2.0-only
/*
 * The memory pool's platform (pool_platform.h) on the ddeos kernel: CPU id
 * and preemption from the shared per-CPU state, IRQ flags from the arch,
 * output on the console, reclaim waits as one scheduler tick of sleep.
 */
#include <ddeos/arch.h>
#include <ddeos/console.h>
#include <ddeos/panic.h>
#include <ddeos/percpu.h>
#include <ddeos/preempt.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>
#include "pool_platform.h"

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

void pool_platform_report(const char *msg)
{
	kprintf("pool: %s\n", msg);
}

void pool_platform_panic(const char *msg)
{
	kpanic("pool: %s", msg);
}

/* Context: thread, may sleep (the pool only asks for POOL_SLEEP requests). */
bool pool_platform_wait_reclaim(unsigned int attempt)
{
	if (attempt >= POOL_RECLAIM_WAITS || preempt_level() || !arch_irqs_enabled())
		return false;
	thread_sleep_ns(SCHED_SLICE_NS);
	return true;
}
