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

/*
 * Drain this CPU's pool state before halting (bounded work; no idle trim:
 * that is for ticks). Context: idle loop, IRQs off.
 */
void pool_boot_idle(void);

/*
 * Make the pool quiet: every CPU hands over its queued remote frees, then
 * every CPU takes in its inbox and returns its cached pages and empty slabs
 * (pool_drain(POOL_DRAIN_RECLAIM) by IPI, twice round, and again while
 * remote frees are in flight: each IPI does bounded work with IRQs off).
 * Exact totals follow when nothing else allocates meanwhile.
 * Context: thread, may sleep.
 */
void pool_boot_drain_all(void);

/*
 * The pool's totals for statistics (apps/netstat, apps/httpd), without its
 * internals: pages handed to it, free (buddy and per-CPU caches), in
 * slabs, objects in use and remote frees not yet at their owner. A racy
 * snapshot while other CPUs allocate; exact after pool_boot_drain_all()
 * with nothing else running. Context: any, does not sleep.
 */
struct pool_boot_stats {
	uint64_t pages_total, pages_free, pages_slab;
	uint64_t objects_in_use, remote_in_flight;
};
void pool_boot_stats(struct pool_boot_stats *s);
/* Objects @cpu freed that another CPU allocated, since boot (the pool's
 * remote path). Context: any. */
uint64_t pool_boot_remote_frees(unsigned int cpu);

/* Pool drains done by @cpu's timer tick so far. Context: any. */
uint64_t pool_boot_ticks(unsigned int cpu);

/* True once pool_boot_init() has switched page_alloc() to the pool. */
bool pool_boot_ready(void);

struct pool_cache;

/*
 * Destroy a pool cache (kmem_cache_destroy): first every CPU drains (the
 * IPI rounds of pool_boot_drain_all()), so that the count of objects still
 * in use is exact and the slabs come back, then pool_cache_destroy().
 * Return: the objects still in use (0: destroyed, its slot reusable; else
 * reported by name and the cache stays). Context: thread, may sleep.
 */
size_t pool_boot_cache_destroy(struct pool_cache *k);

/*
 * Call @hook(base, order, created) whenever the pool makes a slab from
 * pages (created = 1, before any object of it is handed out) and when it
 * gives a slab's pages back (created = 0): for Linux's PageSlab. The hook
 * runs in any context, hard IRQ included, and must not call the pool.
 * NULL: no hook. Context: any.
 */
void pool_boot_set_slab_hook(void (*hook)(void *base, unsigned int order,
					  int created));

/* The hook set last (NULL: none), so that a test can chain to it. */
void (*pool_boot_slab_hook(void))(void *base, unsigned int order, int created);

/* Reclaim waits that sent drain IPIs to every CPU so far (for tests). */
uint64_t pool_boot_reclaim_rounds(void);

#endif
