// SPDX-License-Identifier: GPL-2.0-only
/*
 * The memory pool in the running kernel: at boot it takes over the free RAM
 * from the bitmap page allocator, and afterwards every CPU drains its pool
 * state on each timer tick and before it halts in idle. The design and the
 * bounds this gives are in docs/mempool.md, "In the kernel".
 *
 * Why the handover waits until all CPUs are up: the pool sizes its per-CPU
 * state from pool_platform_nr_cpus() once, at pool_init(). Until then only
 * page tables, per-CPU areas, GDT/IST and AP stacks are allocated, from the
 * bitmap; they stay its pages for ever, and page_free() sends them back
 * there by address.
 *
 * Zones: page_alloc_take_runs() never returns a run that crosses 4 GiB
 * physical, and every run below 4 GiB is given to the pool as
 * POOL_ZONE_DMA32, the others as POOL_ZONE_NORMAL.
 */
#include <ddeos/arch.h>
#include <ddeos/boot.h>
#include <ddeos/console.h>
#include <ddeos/mm.h>
#include <ddeos/page_alloc.h>
#include <ddeos/panic.h>
#include <ddeos/percpu.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>
#include "pool.h"

/*
 * Runs shorter than this stay in the bitmap: a region costs 1/32 of its
 * pages in descriptors plus a slot of the pool's POOL_MAX_REGIONS, and 1 MiB
 * keeps the low-memory fragments below 640 KiB out.
 */
#define POOL_BOOT_MIN_RUN_PAGES	256

/* Written by the owning CPU's tick only (CPU-local), read by anyone. */
struct pool_boot_cpu {
	uint64_t ticks;
} __aligned(64);

static struct pool_boot_cpu pool_boot_cpus[MAX_CPUS];
static bool pool_boot_on;

/* Context: hard IRQ, every tick of every CPU (sched_tick). */
static void pool_boot_tick(void)
{
	struct pool_boot_cpu *pc = &pool_boot_cpus[cpu_id()];

	pool_drain(POOL_DRAIN_TICK);
	__atomic_store_n(&pc->ticks, pc->ticks + 1, __ATOMIC_RELEASE);
}

bool pool_boot_ready(void)
{
	return __atomic_load_n(&pool_boot_on, __ATOMIC_ACQUIRE);
}

void pool_boot_init(void)
{
	struct mem_range runs[POOL_MAX_REGIONS];
	uint64_t pages = 0, left;
	unsigned int n;

	n = page_alloc_take_runs(runs, POOL_MAX_REGIONS, POOL_BOOT_MIN_RUN_PAGES);
	if (!n)
		kpanic("pool: no free run of %u pages to give the pool",
		      POOL_BOOT_MIN_RUN_PAGES);
	for (unsigned int i = 0; i < n; i++) {
		unsigned int zone = runs[i].end <= GiB(4) ? POOL_ZONE_DMA32
							  : POOL_ZONE_NORMAL;

		/* Cannot fail: a free slot and at least 256 pages each. */
		if (pool_add_region_zone(phys_to_virt(runs[i].start),
					 runs[i].end - runs[i].start, zone))
			kpanic("pool: region %#llx-%#llx refused",
			      (unsigned long long)runs[i].start,
			      (unsigned long long)runs[i].end);
		pages += (runs[i].end - runs[i].start) / PAGE_SIZE;
	}
	/* Its per-CPU state is a few pages out of at least 1 MiB. */
	if (pool_init())
		kpanic("pool: pool_init failed");
	left = page_alloc_free_pages();	/* the bitmap's, before the switch */
	page_alloc_switch_to_pool(runs, n);
	__atomic_store_n(&pool_boot_on, true, __ATOMIC_RELEASE);
	if (sched_add_tick_hook(pool_boot_tick))
		kpanic("pool: no tick hook slot left");
	kprintf("pool: %llu MiB in %u regions, %llu KiB left to the boot bitmap\n",
		(unsigned long long)(pages >> 8), n,
		(unsigned long long)left * (PAGE_SIZE / 1024));
}

/* Context: idle loop, IRQs off (so an IPI'd drain never finds it busy). */
void pool_boot_idle(void)
{
	if (pool_boot_ready())
		pool_drain(POOL_DRAIN_IDLE);
}

static void drain_all_ipi(void *unused)
{
	pool_drain(POOL_DRAIN_RECLAIM);
}

/* Rounds of IPIs before pool_boot_drain_all() gives up on a CPU that keeps
 * freeing remotely meanwhile (a quiet system needs 2). */
#define DRAIN_ALL_MAX_ROUNDS	64

void pool_boot_drain_all(void)
{
	struct pool_totals t;

	/* Round 1 pushes every CPU's batches; round 2 takes every inbox,
	 * including what round 1 pushed to CPUs already visited, and trims.
	 * Each IPI does at most POOL_DRAIN_BUDGET objects with IRQs off
	 * (POOL_DRAIN_RECLAIM, not the unbounded POOL_DRAIN_ALL), so rounds
	 * go on until no remote free is left in flight. */
	for (int round = 0; round < DRAIN_ALL_MAX_ROUNDS; round++) {
		for (unsigned int cpu = 0; cpu < smp_cpus_online(); cpu++)
			smp_run_on_cpu(cpu, drain_all_ipi, NULL);
		if (round % 2 == 0)
			continue;
		pool_get_totals(&t);
		if (!t.remote_in_flight)
			break;
	}
}

size_t pool_boot_cache_destroy(struct pool_cache *k)
{
	if (!k)
		return 0;
	pool_boot_drain_all();
	return pool_cache_destroy(k);
}

void pool_boot_stats(struct pool_boot_stats *s)
{
	struct pool_totals t;

	pool_get_totals(&t);
	s->pages_total = t.pages_total;
	s->pages_free = t.pages_free + t.pages_cached;
	s->pages_slab = t.pages_slab;
	s->objects_in_use = t.objects_in_use;
	s->remote_in_flight = t.remote_in_flight;
}

uint64_t pool_boot_remote_frees(unsigned int cpu)
{
	return pool_remote_frees(cpu);
}

uint64_t pool_boot_ticks(unsigned int cpu)
{
	return __atomic_load_n(&pool_boot_cpus[cpu].ticks, __ATOMIC_ACQUIRE);
}
