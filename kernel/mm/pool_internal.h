// SPDX-License-Identifier: GPL-2.0-only
/*
 * Data structures shared by the memory pool's files (buddy.c, pool_pages.c,
 * pool_slab.c, pool_remote.c, pool_debug.c, pool_stats.c, pool.c), and the
 * per-CPU context acquire/release that every pool operation starts with.
 * Not an interface for anyone else: use pool.h.
 */
#ifndef DDEOS_MM_POOL_INTERNAL_H
#define DDEOS_MM_POOL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pool.h"
#include "pool_platform.h"

/* Compile-time switch for poisoning, red zones and misuse detection. */
#ifndef POOL_DEBUG
#define POOL_DEBUG 0
#endif

/*
 * Contexts per CPU: a thread, a softirq that interrupted it inside the pool,
 * a hard IRQ that interrupted that softirq inside the pool. A fourth level
 * (an NMI inside all three) gets NULL from allocations and frees straight
 * into the owner's inbox.
 */
#define POOL_NEST 3
#define POOL_MAX_OWNERS (POOL_MAX_CPUS * POOL_NEST)

/* Page block orders each context caches (0..3: slabs and small blocks). */
#define POOL_PCP_ORDERS 4

/*
 * Remote frees queued per (freeing context, owner) before they are pushed to
 * the owner's inbox with one compare-and-swap: 32 objects cut the atomics
 * per object to 1/32 while holding back at most 32 objects per owner between
 * ticks.
 */
#define POOL_BATCH 32

/* Empty slabs a context keeps per cache before giving pages back. */
#define POOL_KEEP_EMPTY 1

#define POOL_CACHELINE 64

/* Provided by the kernel's library, and by libc on the host. */
void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);

#define pool_likely(x) __builtin_expect(!!(x), 1)
#define pool_unlikely(x) __builtin_expect(!!(x), 0)

/* What a page descriptor describes. */
enum pool_page_kind {
	PK_RESERVED = 0,	/* descriptors, holes: never allocated */
	PK_FREE,		/* in the buddy free lists or a page cache */
	PK_PAGE,		/* head of a pool_page_alloc() block */
	PK_LARGE,		/* head of a large pool_alloc() block */
	PK_SLAB,		/* head of a slab */
	PK_TAIL,		/* other pages of a block; ->head names the head */
};

/* Which list of its owner's cache a slab is on. */
enum pool_slab_list {
	SL_NONE = 0,
	SL_CUR,			/* the slab allocations come from */
	SL_PARTIAL,		/* some objects free, some in use */
	SL_EMPTY,		/* all objects free, kept for reuse */
	SL_FULL,		/* no free object: on no list */
};

#define POOL_NOT_IN_BUDDY 0xff

/*
 * One descriptor per page of every region, kept at the start of the region.
 * Two cache lines: the first holds what other CPUs read to free an object
 * (written once per block life), the second what the owner changes on
 * every allocation and free, so remote frees do not bounce the owner's
 * line (that sharing cost 60% of the producer-consumer throughput).
 *
 * Guarded by buddy_lock: buddy_order, and next/prev while the page heads a
 * block in the buddy free lists.
 * Owner-local (the context that took the block from the buddy allocator or a
 * page cache): everything else while the block is allocated. Other CPUs read
 * head, kind, owner, cache, order of a block they hold an object of; those
 * fields do not change while any object of the block is allocated.
 */
struct pool_page {
	/* read by other CPUs; set when the block is handed out */
	struct pool_page *head;		/* first page of the block (self if head) */
	uint16_t owner;			/* slab: owning context id */
	uint16_t nobj;			/* slab: objects in the slab */
	uint8_t cache;			/* slab: cache id */
	uint8_t kind;			/* enum pool_page_kind */
	uint8_t order;			/* block order */
	uint8_t region;			/* index into pool_regions, immutable */
	uint16_t link_off;		/* slab: offset of the free link in an
					   object slot (0, or after the object:
					   constructor caches, debug build) */

	/* owner-local, or buddy_lock while free in the buddy lists */
	_Alignas(POOL_CACHELINE) void *freelist;	/* slab: free objects */
	struct pool_page *next;
	struct pool_page *prev;
	uint16_t inuse;			/* slab: objects not on freelist */
	uint8_t list;			/* slab: enum pool_slab_list */
	uint8_t buddy_order;		/* buddy_lock: free block order or 0xff */
};

_Static_assert(sizeof(struct pool_page) == 2 * POOL_CACHELINE,
	       "descriptor is two cache lines");

struct pool_region {
	uintptr_t base;			/* first page (descriptors live here) */
	uintptr_t end;
	struct pool_page *pages;	/* descriptor of the page at base */
	size_t npages;
	unsigned int zone;		/* enum pool_zone */
};

extern struct pool_region pool_regions[POOL_MAX_REGIONS];
extern unsigned int pool_nregions;

/* Per (context, cache) state. Owner-local, counters read racily. */
struct pool_cc {
	struct pool_page *cur;
	struct pool_page *partial;
	struct pool_page *empty;
	uint32_t nempty;
	uint32_t unused;
	/* counters */
	uint64_t allocs;		/* objects handed out */
	uint64_t frees;			/* objects freed by their owner */
	uint64_t remote_out;		/* frees queued for another owner */
	uint64_t remote_in;		/* frees taken from the inbox */
	uint64_t slabs_new;
	uint64_t slabs_freed;
	uint64_t slab_pages;		/* pages in this context's slabs */
};

/* Queued remote frees for one owner: a chain linked through each object's
 * link word (struct pool_page ->link_off). */
struct pool_batch {
	void *head;
	void **tail_link;		/* link word of the last object */
	uint32_t n;
	struct pool_carrier *car;	/* or: a carrier being filled */
};

/*
 * A freed object of at least 256 bytes can carry its batch: instead of
 * linking the others through their first words (which makes the freeing CPU
 * write, and the owner read, every object's cache line), their pointers go
 * into the carrier's array. The owner then walks an array, not a chain of
 * cache misses, and hands the objects out again untouched. An inbox element
 * is a carrier when bit 0 of the pointer to it is set.
 */
#define POOL_CARRIER_SLOTS	30
#define POOL_CARRIER_TAG	1UL

struct pool_carrier {
	void *next;			/* next inbox element (tagged) */
	uint32_t n;			/* objects in obj[] */
	uint32_t unused;
	void *obj[POOL_CARRIER_SLOTS];
};

_Static_assert(sizeof(struct pool_carrier) == 256, "a carrier is a 256 B object");

static inline bool pool_is_carrier(const void *e)
{
	return (uintptr_t)e & POOL_CARRIER_TAG;
}

static inline struct pool_carrier *pool_carrier_of(const void *e)
{
	return (struct pool_carrier *)((uintptr_t)e & ~POOL_CARRIER_TAG);
}

/* A per-CPU page cache of one order: a list of free blocks. */
struct pool_pcp {
	struct pool_page *list;
	uint32_t count;
};

#define POOL_PENDING_WORDS ((POOL_MAX_OWNERS + 63) / 64)

/*
 * A per-CPU allocation context. CPU c has contexts c * POOL_NEST + 0..2; a
 * pool operation takes the first one that is not busy (see pool_ctx_get()).
 */
struct pool_ctx {
	/* Written by other CPUs (lock-free, see pool_remote.c): own line. */
	_Alignas(POOL_CACHELINE) void *inbox;

	/* CPU-local; taken with ->busy, preemption off. */
	_Alignas(POOL_CACHELINE) uint8_t busy;
	uint16_t id;
	uint16_t cpu;
	uint32_t drained;		/* remote drains that returned objects */
	uint64_t ops_at_tick;		/* pool_ctx_ops() at the last tick */
	uint32_t reclaim_seen;		/* pool_reclaim_gen last acted on */
	uint32_t idle_ticks;		/* ticks in a row without an operation */
	uint32_t dead_seen;		/* pool_dead_gen whose slabs are all back */
	void *reclaim;			/* taken from the inbox, not yet back in
					   a slab: see pool_remote_reuse() */
	uint32_t reclaim_i;		/* objects handed out of the carrier at
					   the head of ->reclaim */
	uint64_t pending[POOL_PENDING_WORDS];	/* owners with queued frees */
	uint64_t cross_cpu_frees;	/* remote frees of another CPU's objects */
	struct pool_batch *out;		/* [nr owners], see pool_remote.c */
	struct pool_pcp pcp[POOL_PCP_ORDERS];
	uint64_t page_allocs[POOL_MAX_ORDER + 1];
	uint64_t page_frees[POOL_MAX_ORDER + 1];
	struct pool_cc cc[POOL_MAX_CACHES];
};

/* States of a cache slot (->state). */
enum pool_cache_state {
	CS_FREE = 0,		/* never used */
	CS_SETUP,		/* claimed by a pool_cache_create() in progress */
	CS_LIVE,		/* in use */
	CS_DEAD,		/* destroyed; reusable once no context has slabs */
};

/* Read-only while live; ->state changes with atomics (pool_slab.c). */
struct pool_cache {
	char name[24];
	uint32_t size;			/* usable bytes */
	uint32_t stride;		/* distance between objects */
	uint32_t align;
	uint16_t nobj;			/* objects per slab of ->order */
	uint16_t link_off;		/* free link's offset in a slot */
	uint8_t order;			/* preferred slab order */
	uint8_t min_order;		/* fallback order: one object */
	uint8_t id;
	uint8_t state;			/* enum pool_cache_state */
	uint8_t carrier;		/* freed objects may carry a batch */
	void (*ctor)(void *obj);
};

static inline bool pool_cache_dead(const struct pool_cache *k)
{
	return __atomic_load_n(&k->state, __ATOMIC_RELAXED) == CS_DEAD;
}

extern struct pool_cache pool_caches[POOL_MAX_CACHES];
extern unsigned int pool_ncaches;
extern struct pool_ctx *pool_ctx_base;
extern unsigned int pool_nr_owners;
extern uint32_t pool_reclaim_gen;
extern uint32_t pool_dead_gen;
extern size_t pool_meta_pages;
/* Counters of operations done without a context (all levels busy). */
extern uint64_t pool_direct_remote;
extern uint64_t pool_direct_remote_cache[POOL_MAX_CACHES];
extern uint64_t pool_direct_page_allocs[POOL_MAX_ORDER + 1];
extern uint64_t pool_direct_page_frees[POOL_MAX_ORDER + 1];

/* Relaxed counter update by the single writer; others read racily. */
static inline void pool_stat_add(uint64_t *ctr, uint64_t v)
{
	__atomic_store_n(ctr, __atomic_load_n(ctr, __ATOMIC_RELAXED) + v,
			 __ATOMIC_RELAXED);
}

static inline uint64_t pool_stat_read(const uint64_t *ctr)
{
	return __atomic_load_n(ctr, __ATOMIC_RELAXED);
}

/**
 * pool_ctx_get() - take this CPU's first free context.
 *
 * The states of ->busy: 0 (free) and 1 (held by one context of this CPU).
 * Only code running on this CPU touches it, with preemption off, so the
 * load-then-store needs no atomic read-modify-write: an interrupt that comes
 * between the load and the store runs to completion (takes, uses and frees
 * the context, leaving it 0) before the interrupted code stores 1; interrupts
 * nest last-in first-out. The signal fences keep the compiler from moving
 * pool accesses out of the section; the CPU sees its own stores in order.
 *
 * Context: any context. Return: a context, or NULL when all POOL_NEST
 * contexts of this CPU are held by code this one interrupted.
 */
static inline struct pool_ctx *pool_ctx_get(void)
{
	struct pool_ctx *c;
	unsigned int n;

	pool_platform_preempt_disable();
	c = &pool_ctx_base[pool_platform_cpu() * POOL_NEST];
	for (n = 0; n < POOL_NEST; n++, c++) {
		if (pool_likely(!__atomic_load_n(&c->busy, __ATOMIC_RELAXED))) {
			__atomic_store_n(&c->busy, 1, __ATOMIC_RELAXED);
			__atomic_signal_fence(__ATOMIC_SEQ_CST);
			return c;
		}
	}
	pool_platform_preempt_enable();
	return NULL;
}

/*
 * pool_ctx_try() - take context @c of this CPU if it is free (pool_drain()).
 * Context: preemption off, on @c's CPU. Same argument as pool_ctx_get().
 */
static inline bool pool_ctx_try(struct pool_ctx *c)
{
	if (__atomic_load_n(&c->busy, __ATOMIC_RELAXED))
		return false;
	__atomic_store_n(&c->busy, 1, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	return true;
}

static inline void pool_ctx_put(struct pool_ctx *c)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&c->busy, 0, __ATOMIC_RELAXED);
	pool_platform_preempt_enable();
}

static inline void pool_ctx_put_keep_preempt(struct pool_ctx *c)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&c->busy, 0, __ATOMIC_RELAXED);
}

static inline struct pool_ctx *pool_owner_ctx(unsigned int id)
{
	return &pool_ctx_base[id];
}

/* Descriptor of the page holding @p, or NULL if no region has it. */
static inline struct pool_page *pool_virt_to_page(const void *p)
{
	uintptr_t a = (uintptr_t)p;
	unsigned int i;

	for (i = 0; i < pool_nregions; i++) {
		const struct pool_region *r = &pool_regions[i];

		if (pool_likely(a - r->base < r->end - r->base))
			return &r->pages[(a - r->base) >> POOL_PAGE_SHIFT];
	}
	return NULL;
}

static inline void *pool_page_to_virt(const struct pool_page *pg)
{
	const struct pool_region *r = &pool_regions[pg->region];

	return (void *)(r->base +
			((uintptr_t)(pg - r->pages) << POOL_PAGE_SHIFT));
}

/* The link word of a free object whose slot keeps it at @off. */
static inline void **pool_obj_link(void *obj, unsigned int off)
{
	return (void **)((char *)obj + off);
}

/* buddy.c: the global buddy allocator, under buddy_lock with IRQs off. */
struct pool_page *pool_buddy_alloc(unsigned int order, unsigned int flags);
void pool_buddy_free(struct pool_page *pg, unsigned int order);
unsigned int pool_buddy_alloc_batch(unsigned int order, unsigned int n,
				    struct pool_page **list, unsigned int flags);
void pool_buddy_free_list(struct pool_page *list, unsigned int order);
void pool_buddy_counts(struct pool_totals *t);
void pool_buddy_flush_deferred(void);
bool pool_buddy_lock_irqsave(unsigned long *flags);
void pool_buddy_unlock_irqrestore(unsigned long flags);

/* pool_pages.c: per-context page caches. */
struct pool_page *pool_pages_get(struct pool_ctx *c, unsigned int order,
				 unsigned int flags);
void pool_pages_put(struct pool_ctx *c, struct pool_page *pg,
		    unsigned int order);
void pool_pages_trim(struct pool_ctx *c);
void pool_pages_mark(struct pool_page *pg, unsigned int order,
		     unsigned int kind);
struct pool_page *pool_pages_alloc_kind(unsigned int order, unsigned int kind,
					unsigned int flags);
void *pool_pages_alloc_virt(unsigned int order, unsigned int kind,
			    unsigned int flags);
void pool_pages_free_block(struct pool_page *pg, unsigned int order);

/* pool_slab.c: slabs of one context. */
int pool_slab_init(void);
void *pool_slab_alloc_slow(struct pool_ctx *c, struct pool_cache *k,
			   unsigned int flags);
void pool_slab_free_slow(struct pool_ctx *c, struct pool_page *pg);
void pool_slab_trim(struct pool_ctx *c, bool all);
bool pool_slab_trim_dead(struct pool_ctx *c);
extern uint8_t pool_size_index[POOL_KMALLOC_MAX / 8 + 1];

/* pool_remote.c: handing frees to other contexts. */
void pool_remote_queue(struct pool_ctx *c, struct pool_page *pg, void *p);
void pool_remote_push_direct(struct pool_page *pg, void *p);
void pool_remote_flush(struct pool_ctx *c);
unsigned int pool_remote_drain(struct pool_ctx *c, unsigned int budget);
void *pool_remote_reuse(struct pool_ctx *c, const struct pool_cache *k);

/* pool_debug.c: debug-build checks (no-ops unless POOL_DEBUG). */
uint32_t pool_debug_stride(uint32_t size, uint32_t align, bool ctor,
			   uint16_t *link_off);
void pool_debug_slab_init(const struct pool_cache *k, void *obj);
void pool_debug_on_alloc(const struct pool_cache *k, void *obj, size_t req,
			 uintptr_t ip, unsigned int cpu);
bool pool_debug_on_free(const struct pool_cache *k, struct pool_page *pg,
			void *obj, uintptr_t ip);
void pool_debug_set_size(const struct pool_cache *k, void *obj, size_t req);
void pool_report(const char *what, const void *p, uintptr_t ip, int owner_cpu,
		 uintptr_t alloc_ip);

/* pool_stats.c: formatting without libc. */
size_t pool_format(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* pool.c */
void pool_ctx_trim(struct pool_ctx *c);
bool pool_wait_reclaim(unsigned int attempt);

#endif /* DDEOS_MM_POOL_INTERNAL_H */
