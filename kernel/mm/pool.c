// SPDX-License-Identifier: GPL-2.0-only
/*
 * The memory pool's entry points: kmalloc-style allocation and free, named
 * caches, ksize, and the per-CPU drain. The backend of kmalloc, kmem_cache
 * and alloc_pages for the DDE.
 *
 * Strategy. Each CPU has POOL_NEST allocation contexts (pool_internal.h).
 * Every operation takes the first free context of its CPU by setting a
 * CPU-local busy flag (preemption off, interrupts on), works on that
 * context's slabs and page cache without any lock, and clears the flag.
 * An interrupt handler that enters the pool while the code it interrupted
 * holds context 0 finds it busy and takes context 1 (a softirq inside a
 * thread, then a hard IRQ inside the softirq takes context 2), so it never
 * touches state the interrupted code is in the middle of changing, and never
 * waits: there is nothing to wait for. Each context owns its slabs; freeing
 * an object owned by another context, of this CPU or another, queues it for
 * that owner (pool_remote.c), which is how an interrupt that finds its CPU's
 * pool busy frees, and how cross-CPU frees work.
 *
 * Why it cannot deadlock: the fast path and the per-CPU slow paths take no
 * lock at all; remote frees are lock-free; the only lock, buddy_lock, is a
 * leaf taken with interrupts off (buddy.c). A context busy flag is not a
 * lock: nobody ever waits for one.
 *
 * Life cycle: pool_add_region() and pool_init() at boot; pool_drain() on
 * each CPU at every timer tick and when it goes idle (it pushes queued
 * remote frees, takes in at most POOL_DRAIN_BUDGET objects of the CPU's
 * inbox, and after POOL_IDLE_TICKS ticks with no pool operation returns the
 * context's cached pages and free slabs).
 *
 * NMIs. Every entry point may be called from an NMI, at any depth: an NMI
 * is one more interrupt that nests last-in first-out, so the context rule
 * holds for it, and the buddy lock refuses (instead of spinning) when its
 * own CPU holds it (buddy.c). At depth POOL_NEST + 1 an allocation returns
 * NULL and a free goes straight to the owner's inbox (one CAS) or, for a
 * page block, to the buddy allocator or its deferred list.
 */
#include "pool_internal.h"

struct pool_ctx *pool_ctx_base;
unsigned int pool_nr_owners;
uint32_t pool_reclaim_gen;
size_t pool_meta_pages;

/* Waits of a POOL_SLEEP allocation before it fails: ~8 ticks. */
#define POOL_RECLAIM_TRIES 8

int pool_init(void)
{
	unsigned int nr = pool_platform_nr_cpus(), owners, i, order = 0;
	size_t bytes;
	struct pool_page *pg;
	struct pool_batch *batches;

	if (!nr || nr > POOL_MAX_CPUS || pool_ctx_base)
		return -1;
	owners = nr * POOL_NEST;
	bytes = owners * sizeof(struct pool_ctx) +
		(size_t)owners * owners * sizeof(struct pool_batch);
	while ((POOL_PAGE_SIZE << order) < bytes)
		order++;
	if (order > POOL_MAX_ORDER)
		return -1;
	pg = pool_buddy_alloc(order, POOL_ATOMIC);
	if (!pg)
		return -1;
	pool_pages_mark(pg, order, PK_RESERVED);
	pool_meta_pages = 1UL << order;
	pool_ctx_base = pool_page_to_virt(pg);
	memset(pool_ctx_base, 0, bytes);
	batches = (struct pool_batch *)(pool_ctx_base + owners);
	for (i = 0; i < owners; i++) {
		pool_ctx_base[i].id = (uint16_t)i;
		pool_ctx_base[i].cpu = (uint16_t)(i / POOL_NEST);
		pool_ctx_base[i].out = batches + (size_t)i * owners;
	}
	pool_nr_owners = owners;
	return pool_slab_init();
}

/* Give back everything @c caches but objects in use. Holder of @c. */
void pool_ctx_trim(struct pool_ctx *c)
{
	pool_slab_trim(c, false);
	pool_pages_trim(c);
}

/*
 * A POOL_SLEEP allocation found no memory: every CPU trims at its next
 * drain (the generation), this one now; then the platform waits, and may
 * make the other CPUs drain at once (the kernel sends IPIs).
 */
bool pool_wait_reclaim(unsigned int attempt)
{
	__atomic_fetch_add(&pool_reclaim_gen, 1, __ATOMIC_RELAXED);
	pool_drain(POOL_DRAIN_ALL);
	if (attempt >= POOL_RECLAIM_TRIES)
		return false;
	return pool_platform_wait_reclaim(attempt);
}

static inline void *obj_alloc(struct pool_ctx *c, struct pool_cache *k,
			      unsigned int flags)
{
	struct pool_cc *cc = &c->cc[k->id];
	struct pool_page *s;
	void *p;

	if (pool_unlikely(c->reclaim ||
			  __atomic_load_n(&c->inbox, __ATOMIC_RELAXED))) {
		p = pool_remote_reuse(c, k);
		if (p) {
			pool_stat_add(&cc->allocs, 1);
			return p;
		}
	}
	s = cc->cur;
	if (pool_likely(s != NULL) && pool_likely((p = s->freelist) != NULL)) {
		s->freelist = *pool_obj_link(p, k->link_off);
		s->inuse++;
	} else {
		p = pool_slab_alloc_slow(c, k, flags);
		if (pool_unlikely(!p))
			return NULL;
	}
	pool_stat_add(&cc->allocs, 1);
	return p;
}

static void *cache_alloc(struct pool_cache *k, size_t req, unsigned int flags,
			 uintptr_t ip)
{
	unsigned int attempt;

	for (attempt = 0;; attempt++) {
		struct pool_ctx *c = pool_ctx_get();
		void *p = NULL;

		if (pool_likely(c != NULL)) {
			p = obj_alloc(c, k, flags);
			if (POOL_DEBUG && p)
				pool_debug_on_alloc(k, p, req, ip, c->cpu);
			pool_ctx_put(c);
		}
		if (pool_likely(p != NULL)) {
			if (flags & POOL_ZERO)
				memset(p, 0, POOL_DEBUG ? req : k->size);
			return p;
		}
		if (!(flags & POOL_SLEEP) || !pool_wait_reclaim(attempt))
			return NULL;
	}
}

static void *large_alloc(size_t size, unsigned int flags)
{
	unsigned int order = 0;

	while ((POOL_PAGE_SIZE << order) < size) {
		if (++order > POOL_MAX_ORDER)
			return NULL;
	}
	return pool_pages_alloc_virt(order, PK_LARGE, flags);
}

void *pool_alloc_caller(size_t size, unsigned int flags, uintptr_t ip)
{
	/* POOL_DMA32 objects are page blocks: folded into the size test, so
	 * the fast path keeps one branch. */
	if (pool_unlikely((size | ((size_t)(flags & POOL_DMA32) << 40)) >
			  POOL_KMALLOC_MAX))
		return large_alloc(size, flags);
	if (pool_unlikely(!size))
		size = 1;
	return cache_alloc(&pool_caches[pool_size_index[(size + 7) >> 3]],
			   size, flags, ip);
}

void *pool_alloc(size_t size, unsigned int flags)
{
	return pool_alloc_caller(size, flags,
				 (uintptr_t)__builtin_return_address(0));
}

void *pool_cache_alloc(struct pool_cache *k, unsigned int flags)
{
	return cache_alloc(k, k->size, flags,
			   (uintptr_t)__builtin_return_address(0));
}

/* Free a block that is not a slab object: a large object, or a misuse. */
static void free_other(struct pool_page *pg, void *p, uintptr_t ip)
{
	if (pg->kind == PK_LARGE && p == pool_page_to_virt(pg)) {
		pool_pages_free_block(pg, pg->order);
		return;
	}
	pool_report(pg->kind == PK_FREE ? "free of a free block (double free?)"
					: "free of a pointer the pool did not hand out",
		    p, ip, -1, 0);
}

static inline void obj_free(void *p, uintptr_t ip, const struct pool_cache *want)
{
	struct pool_page *pg = pool_virt_to_page(p);
	struct pool_ctx *c;

	if (pool_unlikely(!pg)) {
		pool_report("free of a pointer outside the pool", p, ip, -1, 0);
		return;
	}
	pg = pg->head;
	if (pool_unlikely(pg->kind != PK_SLAB)) {
		free_other(pg, p, ip);
		return;
	}
	if (POOL_DEBUG) {
		if (want && want->id != pg->cache) {
			pool_report("pool_cache_free to the wrong cache", p, ip,
				    pg->owner / POOL_NEST, 0);
			return;
		}
		if (!pool_debug_on_free(&pool_caches[pg->cache], pg, p, ip))
			return;
	}
	c = pool_ctx_get();
	if (pool_unlikely(!c)) {
		pool_remote_push_direct(pg, p);
		return;
	}
	if (pool_likely(pg->owner == c->id)) {
		/* The commonest double free, in one compare: refused. */
		if (pool_unlikely(p == pg->freelist)) {
			pool_ctx_put(c);
			pool_report("double free of", p, ip, pg->owner / POOL_NEST, 0);
			return;
		}
		*pool_obj_link(p, pg->link_off) = pg->freelist;
		pg->freelist = p;
		pg->inuse--;
		pool_stat_add(&c->cc[pg->cache].frees, 1);
		if (pool_unlikely(pg->list != SL_CUR))
			pool_slab_free_slow(c, pg);
	} else {
		pool_remote_queue(c, pg, p);
	}
	pool_ctx_put(c);
}

void pool_free_caller(void *p, uintptr_t ip)
{
	if (p)
		obj_free(p, ip, NULL);
}

void pool_free(void *p)
{
	if (p)
		obj_free(p, (uintptr_t)__builtin_return_address(0), NULL);
}

void pool_cache_free(struct pool_cache *k, void *p)
{
	if (p)
		obj_free(p, (uintptr_t)__builtin_return_address(0), k);
}

size_t pool_ksize(const void *p)
{
	struct pool_page *pg = p ? pool_virt_to_page(p) : NULL;
	struct pool_cache *k;

	if (!pg)
		return 0;
	pg = pg->head;
	if (pg->kind == PK_LARGE)
		return POOL_PAGE_SIZE << pg->order;
	if (pg->kind != PK_SLAB)
		return 0;
	k = &pool_caches[pg->cache];
	if (POOL_DEBUG)
		pool_debug_set_size(k, (void *)p, k->size);
	return k->size;
}

/*
 * Everything the context did, from counters the operations keep anyway:
 * summed at each tick rather than counted on the fast path. Owner-local.
 */
static uint64_t pool_ctx_ops(const struct pool_ctx *c)
{
	unsigned int n = __atomic_load_n(&pool_ncaches, __ATOMIC_ACQUIRE);
	uint64_t sum = c->drained;

	for (unsigned int i = 0; i < n; i++)
		sum += c->cc[i].allocs + c->cc[i].frees + c->cc[i].remote_out;
	for (unsigned int o = 0; o <= POOL_MAX_ORDER; o++)
		sum += c->page_allocs[o] + c->page_frees[o];
	return sum;
}

void pool_drain(unsigned int how)
{
	uint32_t gen = __atomic_load_n(&pool_reclaim_gen, __ATOMIC_RELAXED);
	uint32_t dgen = __atomic_load_n(&pool_dead_gen, __ATOMIC_ACQUIRE);
	unsigned int budget = how == POOL_DRAIN_ALL ? ~0u : POOL_DRAIN_BUDGET;
	struct pool_ctx *c;
	unsigned int n;

	pool_buddy_flush_deferred();	/* blocks freed at NMI depth */
	pool_platform_preempt_disable();
	c = &pool_ctx_base[pool_platform_cpu() * POOL_NEST];
	for (n = 0; n < POOL_NEST; n++, c++) {
		uint64_t ops;
		bool trim;

		if (!pool_ctx_try(c))
			continue;	/* interrupted inside: next time */
		pool_remote_flush(c);
		/* Objects came back: slabs may have emptied, so count the
		 * context busy and trim after its next idle ticks (a CPU
		 * that stopped using the pool gets its slabs back). At most
		 * @budget of them: the rest at the next call. */
		if (pool_remote_drain(c, budget))
			c->drained++;
		if (dgen != c->dead_seen && pool_slab_trim_dead(c))
			c->dead_seen = dgen;
		/*
		 * Idle trim: only after POOL_IDLE_TICKS ticks in a row without
		 * an operation, once, so a CPU that wakes up often keeps its
		 * caches and stays off the buddy lock. Idle-loop drains are
		 * not ticks. Also trim when asked by a failing POOL_SLEEP
		 * allocation (generation, or an IPI'd POOL_DRAIN_RECLAIM).
		 */
		ops = pool_ctx_ops(c);
		if (how == POOL_DRAIN_TICK) {
			if (ops != c->ops_at_tick)
				c->idle_ticks = 0;
			else if (c->idle_ticks <= POOL_IDLE_TICKS)
				c->idle_ticks++;
			c->ops_at_tick = ops;
		}
		trim = how == POOL_DRAIN_ALL || how == POOL_DRAIN_RECLAIM ||
		       gen != c->reclaim_seen ||
		       (how == POOL_DRAIN_TICK && c->idle_ticks == POOL_IDLE_TICKS);
		if (trim) {
			pool_slab_trim(c, true);
			pool_pages_trim(c);
		}
		c->reclaim_seen = gen;
		pool_ctx_put_keep_preempt(c);
	}
	pool_platform_preempt_enable();
}
