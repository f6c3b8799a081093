// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host implementation of the pool's platform interface (pool_platform.h),
 * inline part: a thread registered with pool_host_cpu_enter() is a CPU, its
 * signal handlers are its interrupts, and its signal mask is its interrupt
 * flag. The out-of-line part is pool_host.c.
 */
#ifndef POOL_PLATFORM_INLINE_H
#define POOL_PLATFORM_INLINE_H

#include <stdbool.h>
#include <stdint.h>
#include <sched.h>

extern __thread unsigned int pool_host_cpu_id;
extern unsigned int pool_host_nr_cpus;

void pool_host_unregistered(void) __attribute__((noreturn, cold));

static inline unsigned int pool_platform_cpu(void)
{
	unsigned int id = pool_host_cpu_id;

	if (__builtin_expect(id >= pool_host_nr_cpus, 0))
		pool_host_unregistered();
	return id;
}

static inline unsigned int pool_platform_nr_cpus(void)
{
	return pool_host_nr_cpus;
}

/* A thread is its own CPU: it never migrates to another id. */
static inline void pool_platform_preempt_disable(void)
{
}

static inline void pool_platform_preempt_enable(void)
{
}

/* Host threads outnumber cores: a spinning thread lets the holder run. */
static inline void pool_platform_cpu_relax(void)
{
	__builtin_ia32_pause();
	sched_yield();
}

unsigned long pool_platform_irq_save(void);
void pool_platform_irq_restore(unsigned long flags);
void pool_platform_print(const char *line);
void pool_platform_report(const char *msg);
void pool_platform_panic(const char *msg) __attribute__((noreturn));
bool pool_platform_wait_reclaim(unsigned int attempt);
void pool_platform_slab_event(void *base, unsigned int order, int created);

#endif
