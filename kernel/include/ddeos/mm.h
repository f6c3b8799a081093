/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The memory pool in the running kernel (kernel/mm/pool_boot.c): handing it
 * the RAM at boot, and the per-CPU drains on every tick and in idle. The
 * pool's own interface is kernel/mm/pool.h.
 */
#ifndef DDEOS_MM_H
#define DDEOS_MM_H

#include <ddeos/types.h>

/*
 * Give the free RAM to the pool, start it, and switch page_alloc() over.
 * Context: boot CPU, once every CPU is online, before threads are created.
 */
void pool_boot_init(void);

/* Drain this CPU's pool state before halting. Context: idle loop, IRQs off. */
void pool_boot_idle(void);

/*
 * Make the pool quiet: every CPU hands over its queued remote frees, then
 * every CPU takes in its inbox and returns its cached pages and empty slabs
 * (pool_drain(POOL_DRAIN_ALL) by IPI, twice round). Exact totals follow when
 * nothing else allocates meanwhile. Context: thread, may sleep.
 */
void pool_boot_drain_all(void);

/* Pool drains done by @cpu's timer tick so far. Context: any. */
uint64_t pool_boot_ticks(unsigned int cpu);

/* True once pool_boot_init() has switched page_alloc() to the pool. */
bool pool_boot_ready(void);

#endif
