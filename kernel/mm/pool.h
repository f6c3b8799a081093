// SPDX-License-Identifier: GPL-2.0-only
/*
 * The memory pool: a buddy page allocator with per-CPU page caches, and an
 * object allocator (kmalloc size classes and kmem_cache-style named caches)
 * with per-CPU slabs, usable from any context on any CPU. This header is the
 * whole interface; the design is described in pool.c and docs/mempool.md.
 *
 * Guarantees, the ones Linux drivers rely on: every object is at least 8-byte
 * aligned, an object whose size is a power of two is aligned to its size (up
 * to POOL_KMALLOC_MAX; page blocks are aligned to their size), pool_ksize()
 * tells the usable size, POOL_ZERO zeroes it, and an allocation that cannot be
 * satisfied returns NULL and changes nothing.
 */
#ifndef DDEOS_MM_POOL_H
#define DDEOS_MM_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define POOL_PAGE_SHIFT 12
#define POOL_PAGE_SIZE (1UL << POOL_PAGE_SHIFT)
/* Largest page block order: 2^10 pages = 4 MiB, as Linux's MAX_ORDER - 1. */
#define POOL_MAX_ORDER 10
/* Largest request served from size classes; larger ones get page blocks. */
#define POOL_KMALLOC_MAX 8192
/* Memory regions (RAM ranges) the page allocator can manage. */
#define POOL_MAX_REGIONS 8
/* Named caches, the kmalloc size classes included. */
#define POOL_MAX_CACHES 48
/*
 * Remote frees one pool_drain(POOL_DRAIN_TICK/IDLE/RECLAIM) call returns to
 * their slabs at most; the rest waits for the next call or allocation. It
 * bounds the time a drain runs with interrupts off (tick, idle loop).
 */
#define POOL_DRAIN_BUDGET 4096
/*
 * Consecutive ticks without any pool operation after which a context gives
 * back its cached pages and empty slabs (idle trim).
 */
#define POOL_IDLE_TICKS 3

/* Memory zones of the page allocator (Linux's ZONE_DMA32, ZONE_NORMAL). */
enum pool_zone {
	/* Physical addresses below 4 GiB. */
	POOL_ZONE_DMA32 = 0,
	/* Everything else, and memory whose physical address is unknown. */
	POOL_ZONE_NORMAL = 1,
	POOL_NR_ZONES = 2,
};

/* Allocation flags. */
enum pool_flags {
	/* May not sleep (any context). The default: pass 0. */
	POOL_ATOMIC = 0,
	/* May sleep a bounded time waiting for other CPUs to give memory back. */
	POOL_SLEEP = 1u << 0,
	/* Zero the whole usable size (pool_ksize()) of the object. */
	POOL_ZERO = 1u << 1,
	/*
	 * Memory from POOL_ZONE_DMA32 regions only (physical address below
	 * 4 GiB): pool_page_alloc(), and pool_alloc() of any size (served
	 * as a page block, so pool_ksize() is a multiple of the page size).
	 */
	POOL_DMA32 = 1u << 2,
};

/* How much pool_drain() does. */
enum pool_drain_how {
	/* Timer tick / idle: hand over queued remote frees, take in own inbox. */
	POOL_DRAIN_TICK = 0,
	/*
	 * Also return every cached page and empty slab to the buddy allocator,
	 * and every queued remote free however many: unbounded work (tests,
	 * shutdown, a CPU going offline).
	 */
	POOL_DRAIN_ALL = 1,
	/*
	 * Idle loop, before halting: as POOL_DRAIN_TICK but not a tick (it
	 * does not age the context towards its idle trim).
	 */
	POOL_DRAIN_IDLE = 2,
	/*
	 * A sleeping allocation failed somewhere: as POOL_DRAIN_TICK, then
	 * give back cached pages and empty slabs now (bounded work).
	 */
	POOL_DRAIN_RECLAIM = 3,
};

struct pool_cache;

/**
 * pool_add_region() - give a range of RAM to the page allocator.
 * @base: virtual address of the range (the direct map, in the kernel).
 * @size: length in bytes.
 *
 * The range is in POOL_ZONE_NORMAL (see pool_add_region_zone()). The pool
 * keeps its page descriptors at the start of the range. Ranges may be added
 * before or after pool_init().
 *
 * Context: thread or early boot; not concurrently with itself.
 * Return: 0, or -1 if the range is too small or all region slots are used.
 */
int pool_add_region(void *base, size_t size);

/**
 * pool_add_region_zone() - give a range of RAM of a given zone.
 * @base: virtual address of the range (the direct map, in the kernel).
 * @size: length in bytes.
 * @zone: POOL_ZONE_DMA32 if the whole range is below 4 GiB physical,
 *        else POOL_ZONE_NORMAL. A range must not cross 4 GiB.
 *
 * Normal allocations take NORMAL memory first and fall back to DMA32, as
 * Linux does; POOL_DMA32 allocations take only DMA32 memory. Each zone keeps
 * a reserve (Linux's min watermark: about sqrt(16 * zone KiB) KiB) that only
 * allocations without POOL_SLEEP may take.
 *
 * Context: thread or early boot; not concurrently with itself.
 * Return: 0, or -1 if the range is too small, all region slots are used or
 * @zone is not a zone.
 */
int pool_add_region_zone(void *base, size_t size, unsigned int zone);

/**
 * pool_init() - set up per-CPU state and the kmalloc size classes.
 *
 * Call once, after the first pool_add_region() and once
 * pool_platform_nr_cpus() is final.
 *
 * Context: thread or early boot, one CPU, before any other pool call.
 * Return: 0, or -1 if there is not enough memory for the per-CPU state.
 */
int pool_init(void);

/**
 * pool_page_alloc() - allocate 2^@order contiguous pages.
 * @order: 0..POOL_MAX_ORDER.
 * @flags: POOL_ATOMIC or POOL_SLEEP, optionally POOL_ZERO.
 *
 * The block is aligned to its size.
 *
 * Context: any context; with POOL_SLEEP, thread context that may sleep.
 * Return: the block's address, or NULL.
 */
void *pool_page_alloc(unsigned int order, unsigned int flags);

/**
 * pool_page_split() - make 2^@order independent pages of one block.
 * @addr: a block from pool_page_alloc(@order, ...), not yet freed.
 * @order: its order.
 *
 * Afterwards each page of the block is a block of order 0 of its own, freed
 * with pool_page_free(page, 0) from any CPU in any order (Linux's
 * split_page()). A bad @addr or @order is reported and nothing changes.
 *
 * Context: any context.
 */
void pool_page_split(void *addr, unsigned int order);

/**
 * pool_page_free() - free a block from pool_page_alloc().
 * @addr: the block's address.
 * @order: the order it was allocated with.
 *
 * Context: any context, any CPU.
 */
void pool_page_free(void *addr, unsigned int order);

/**
 * pool_alloc() - allocate an object of at least @size bytes (kmalloc).
 * @size: bytes; above POOL_KMALLOC_MAX a page block is used.
 * @flags: POOL_ATOMIC or POOL_SLEEP, optionally POOL_ZERO.
 *
 * A zero @size is served as 1 byte; returning ZERO_SIZE_PTR is the DDE's
 * business.
 *
 * Context: any context; with POOL_SLEEP, thread context that may sleep.
 * Return: the object, or NULL.
 */
void *pool_alloc(size_t size, unsigned int flags);

/**
 * pool_alloc_caller() - pool_alloc() that records @ip as its caller.
 * @size: as pool_alloc().
 * @flags: as pool_alloc().
 * @ip: return address of the function to blame (e.g. kmalloc's caller).
 *
 * Context: as pool_alloc().
 * Return: as pool_alloc().
 */
void *pool_alloc_caller(size_t size, unsigned int flags, uintptr_t ip);

/**
 * pool_free() - free an object from pool_alloc() or pool_cache_alloc().
 * @p: the object, or NULL (nothing happens).
 *
 * Any CPU may free any object; an object owned by another CPU (or by an
 * interrupted context of this CPU) is handed to its owner, lock-free.
 *
 * Context: any context.
 */
void pool_free(void *p);

/**
 * pool_free_caller() - pool_free() that blames @ip in debug reports.
 * @p: the object, or NULL.
 * @ip: return address of the function to blame (e.g. kfree's caller).
 *
 * Context: any context.
 */
void pool_free_caller(void *p, uintptr_t ip);

/**
 * pool_ksize() - usable size of an object.
 * @p: an allocated object (from pool_alloc() or pool_cache_alloc()).
 *
 * Context: any context.
 * Return: the bytes the caller may use, at least the size asked for; 0 for
 * NULL or a pointer the pool does not know.
 */
size_t pool_ksize(const void *p);

/**
 * pool_cache_create() - create a named cache of fixed-size objects.
 * @name: for statistics and reports; copied (first 23 characters).
 * @size: object size, 1..POOL_KMALLOC_MAX.
 * @align: required alignment, 0 or a power of two up to POOL_PAGE_SIZE;
 *         objects are at least 8-byte aligned whatever is asked.
 *
 * pool_cache_create_ctor() without a constructor. Several threads may
 * create caches at once; each gets a slot of its own.
 *
 * Context: thread context.
 * Return: the cache, or NULL if the arguments are bad or all
 * POOL_MAX_CACHES slots are in use (a destroyed cache's slot is free again
 * once every context has given its slabs back).
 */
struct pool_cache *pool_cache_create(const char *name, size_t size,
				     size_t align);

/**
 * pool_cache_create_ctor() - create a named cache with a constructor.
 * @name: for statistics and reports; copied (first 23 characters).
 * @size: object size, 1..POOL_KMALLOC_MAX.
 * @align: as pool_cache_create().
 * @ctor: called once for each object when its slab is made, before the
 *        object is first handed out; never at allocation. NULL: none.
 *
 * A freed object keeps its constructed state: the pool writes nothing into
 * the @size bytes of an object of a cache with a constructor while it is
 * free (its free-list and remote-free links live after the object, and no
 * debug poison goes into it). @ctor runs in the context of the allocation
 * that needs a new slab, which may be an interrupt: it must not sleep.
 *
 * Context: thread context; safe from several threads at once.
 * Return: the cache, or NULL as pool_cache_create().
 */
struct pool_cache *pool_cache_create_ctor(const char *name, size_t size,
					  size_t align, void (*ctor)(void *obj));

/**
 * pool_cache_destroy() - retire a cache whose objects are all freed.
 * @cache: the cache (NULL: nothing happens, returns 0).
 *
 * Counts the cache's objects still in use (allocated and not freed; an
 * object whose remote free is still on its way counts as freed). With none,
 * the cache is retired: every context gives its slabs of it back at its
 * next pool_drain(), and once all have, a later pool_cache_create() may
 * reuse the slot. Otherwise it reports "pool: cache NAME destroyed with N
 * objects in use" through pool_platform_report() and the cache stays, its
 * memory leaked, as SLUB does. The count is exact when no CPU is
 * allocating or freeing objects of the cache.
 *
 * Context: thread context.
 * Return: the number of objects still in use (0: destroyed).
 */
size_t pool_cache_destroy(struct pool_cache *cache);

/**
 * pool_cache_alloc() - allocate an object from a named cache.
 * @cache: the cache.
 * @flags: POOL_ATOMIC or POOL_SLEEP, optionally POOL_ZERO.
 *
 * Context: any context; with POOL_SLEEP, thread context that may sleep.
 * Return: the object, or NULL.
 */
void *pool_cache_alloc(struct pool_cache *cache, unsigned int flags);

/**
 * pool_cache_free() - free an object of a named cache.
 * @cache: the cache the object came from (checked in debug builds).
 * @p: the object, or NULL.
 *
 * Context: any context.
 */
void pool_cache_free(struct pool_cache *cache, void *p);

/**
 * pool_drain() - periodic work of the calling CPU.
 * @how: POOL_DRAIN_TICK on every timer tick; POOL_DRAIN_IDLE when going
 *       idle; POOL_DRAIN_RECLAIM when asked to give memory back now;
 *       POOL_DRAIN_ALL to give everything back (shutdown, tests).
 *
 * Hands this CPU's queued frees of other CPUs' objects to their owners and
 * frees at most POOL_DRAIN_BUDGET objects other CPUs handed to this one
 * (all of them with POOL_DRAIN_ALL). A context with no operation during
 * POOL_IDLE_TICKS ticks gives back its cached pages and empty slabs. This
 * is what bounds the memory held on behalf of a CPU that stopped calling
 * the pool. Also returns blocks freed where the buddy lock could not be
 * taken (NMI) and the slabs of destroyed caches.
 *
 * Context: any context on the CPU being drained, typically the timer
 * interrupt; a context of this CPU that is interrupted inside the pool is
 * skipped and drained at the next call.
 */
void pool_drain(unsigned int how);

/**
 * pool_print_stats() - print counters per size class, per CPU and per order.
 *
 * Context: any context; the figures of other CPUs are a racy snapshot.
 */
void pool_print_stats(void);

/**
 * pool_remote_frees() - objects @cpu freed that another CPU allocated.
 * @cpu: a CPU number.
 *
 * Counts the frees that take the remote path to an owner on another CPU
 * (buffers received in one CPU's interrupt and freed by an application on
 * another, say); a free into another context of the same CPU does not
 * count. Frees made with no context free (pool_remote_push_direct()) are
 * not counted per CPU.
 *
 * Context: any context; a racy snapshot while @cpu runs.
 * Return: the count since boot, 0 for a CPU the pool does not have.
 */
uint64_t pool_remote_frees(unsigned int cpu);

/* A snapshot of the pool's totals, for tests and statistics. */
struct pool_totals {
	size_t pages_total;		/* pages handed to the buddy allocator */
	size_t pages_meta;		/* of those, the pool's per-CPU state */
	size_t pages_free;		/* pages in the buddy free lists */
	size_t pages_cached;		/* free pages in per-CPU page caches */
	size_t pages_slab;		/* pages in slabs (in use, partial, empty) */
	size_t objects_in_use;		/* allocated objects not yet drained back */
	size_t remote_in_flight;	/* remote frees not yet at their owner */
	size_t free_blocks[POOL_MAX_ORDER + 1];	/* buddy free blocks per order */
	size_t used_blocks[POOL_MAX_ORDER + 1];	/* allocated blocks per order */
	size_t zone_total[POOL_NR_ZONES];	/* pages per zone */
	size_t zone_free[POOL_NR_ZONES];	/* buddy free pages per zone */
	size_t zone_reserve[POOL_NR_ZONES];	/* atomic-only reserve per zone */
	size_t pages_deferred;		/* freed at NMI depth, not yet in buddy */
	uint64_t buddy_locks;		/* buddy lock acquisitions so far */
};

/**
 * pool_get_totals() - fill @t with a snapshot of the pool's totals.
 * @t: where to write.
 *
 * Exact only when no CPU is inside the pool.
 *
 * Context: any context.
 */
void pool_get_totals(struct pool_totals *t);

#endif /* DDEOS_MM_POOL_H */
