// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-CPU page caches and the page allocation interface of the memory pool
 * (pool_page_alloc/pool_page_free, the backend of alloc_pages).
 *
 * Each context (pool_internal.h) keeps short lists of free blocks of orders
 * 0..POOL_PCP_ORDERS-1, refilled from and trimmed to the buddy allocator in
 * batches, so that slab creation and small page allocations rarely take
 * buddy_lock. A block has no owner once allocated: whoever frees it puts it
 * in its own context's cache. The caches are CPU-local data, used only by
 * the holder of their context (preemption off, ->busy set).
 *
 * Retained memory: a context caches at most pcp_high[] blocks per order,
 * 32 + 8*2 + 4*4 + 2*8 = 80 pages (320 KiB), and after POOL_IDLE_TICKS
 * ticks without an operation pool_drain() returns all of them.
 *
 * POOL_DMA32 allocations bypass the caches (their blocks may be of either
 * zone) and go to the buddy allocator's DMA32 lists; their blocks are freed
 * like any other. Allocations with POOL_SLEEP refill the caches only above
 * the zones' reserves (buddy.c).
 */
#include "pool_internal.h"

/*
 * High watermark and batch per order. 32 order-0 pages is one refill of
 * a busy 64-byte class every 1024 objects; the batch of half the watermark
 * keeps a CPU that alternately allocates and frees pages off the lock.
 */
static const uint32_t pcp_high[POOL_PCP_ORDERS] = { 32, 8, 4, 2 };
static const uint32_t pcp_batch[POOL_PCP_ORDERS] = { 16, 4, 2, 1 };

uint64_t pool_direct_page_allocs[POOL_MAX_ORDER + 1];
uint64_t pool_direct_page_frees[POOL_MAX_ORDER + 1];

/* The owner updates ->count; statistics read it from other CPUs. */
static void pcp_count_add(struct pool_pcp *pcp, int32_t v)
{
	__atomic_store_n(&pcp->count, pcp->count + (uint32_t)v,
			 __ATOMIC_RELAXED);
}

/* Describe the block at @pg as a block of @order and @kind. */
void pool_pages_mark(struct pool_page *pg, unsigned int order,
		     unsigned int kind)
{
	size_t i, n = 1UL << order;

	pg->kind = (uint8_t)kind;
	pg->order = (uint8_t)order;
	pg->head = pg;
	for (i = 1; i < n; i++) {
		pg[i].kind = PK_TAIL;
		pg[i].head = pg;
	}
}

/*
 * pool_pages_get() - a free block of @order for context @c.
 *
 * Context: holder of @c. Returns the block's descriptor (kind not yet set)
 * or NULL when the buddy allocator has none even after @c gave back its
 * own cached memory.
 */
struct pool_page *pool_pages_get(struct pool_ctx *c, unsigned int order,
				 unsigned int flags)
{
	struct pool_page *pg = NULL;

	if (order < POOL_PCP_ORDERS && !(flags & POOL_DMA32)) {
		struct pool_pcp *pcp = &c->pcp[order];

		if (!pcp->list)
			pcp_count_add(pcp, (int32_t)pool_buddy_alloc_batch(
						   order, pcp_batch[order],
						   &pcp->list, flags));
		pg = pcp->list;
		if (pg) {
			pcp->list = pg->next;
			pcp_count_add(pcp, -1);
		}
	} else {
		pg = pool_buddy_alloc(order, flags);
	}
	if (pool_unlikely(!pg)) {
		/* Own caches may hold the pages, in other orders or slabs. */
		pool_ctx_trim(c);
		pg = pool_buddy_alloc(order, flags);
		if (!pg)
			return NULL;
	}
	pg->next = NULL;
	pg->prev = NULL;
	pool_stat_add(&c->page_allocs[order], 1);
	return pg;
}

/*
 * pool_pages_put() - context @c frees the block at @pg of @order.
 *
 * Context: holder of @c.
 */
void pool_pages_put(struct pool_ctx *c, struct pool_page *pg,
		    unsigned int order)
{
	struct pool_pcp *pcp;
	struct pool_page *chain = NULL;
	uint32_t i;

	pg->kind = PK_FREE;
	pool_stat_add(&c->page_frees[order], 1);
	if (order >= POOL_PCP_ORDERS) {
		pool_buddy_free(pg, order);
		return;
	}
	pcp = &c->pcp[order];
	pg->next = pcp->list;
	pcp->list = pg;
	pcp_count_add(pcp, 1);
	if (pcp->count <= pcp_high[order])
		return;
	for (i = 0; i < pcp_batch[order]; i++) {
		struct pool_page *b = pcp->list;

		pcp->list = b->next;
		b->next = chain;
		chain = b;
	}
	pcp_count_add(pcp, -(int32_t)pcp_batch[order]);
	pool_buddy_free_list(chain, order);
}

/* Return every cached block of @c to the buddy allocator. */
void pool_pages_trim(struct pool_ctx *c)
{
	unsigned int o;

	for (o = 0; o < POOL_PCP_ORDERS; o++) {
		struct pool_pcp *pcp = &c->pcp[o];

		if (!pcp->list)
			continue;
		pool_buddy_free_list(pcp->list, o);
		pcp->list = NULL;
		__atomic_store_n(&pcp->count, 0, __ATOMIC_RELAXED);
	}
}

/*
 * pool_pages_alloc_kind() - a block of @order described as @kind, with or
 * without a context (all contexts busy: NMI depth), waiting for reclaim if
 * @flags has POOL_SLEEP.
 */
struct pool_page *pool_pages_alloc_kind(unsigned int order, unsigned int kind,
					unsigned int flags)
{
	struct pool_page *pg;
	unsigned int attempt;
	struct pool_ctx *c;

	for (attempt = 0;; attempt++) {
		c = pool_ctx_get();
		if (pool_likely(c)) {
			pg = pool_pages_get(c, order, flags);
			if (pg)
				pool_pages_mark(pg, order, kind);
			pool_ctx_put(c);
		} else {
			/* NMI depth: never waits (the buddy lock says no if
			 * this CPU holds it). */
			pg = pool_buddy_alloc(order, flags);
			if (pg) {
				pool_pages_mark(pg, order, kind);
				__atomic_fetch_add(&pool_direct_page_allocs[order],
						   1, __ATOMIC_RELAXED);
			}
		}
		if (pg || !(flags & POOL_SLEEP) || !pool_wait_reclaim(attempt))
			return pg;
	}
}

/* Free a block described by @pg (head, kind already checked). */
void pool_pages_free_block(struct pool_page *pg, unsigned int order)
{
	struct pool_ctx *c = pool_ctx_get();

	if (pool_likely(c)) {
		pool_pages_put(c, pg, order);
		pool_ctx_put(c);
		return;
	}
	pg->kind = PK_FREE;
	__atomic_fetch_add(&pool_direct_page_frees[order], 1, __ATOMIC_RELAXED);
	pool_buddy_free(pg, order);
}

/* A block of @order described as @kind, as an address, zeroed on request. */
void *pool_pages_alloc_virt(unsigned int order, unsigned int kind,
			    unsigned int flags)
{
	struct pool_page *pg;
	void *p;

	if (order > POOL_MAX_ORDER)
		return NULL;
	pg = pool_pages_alloc_kind(order, kind, flags);
	if (!pg)
		return NULL;
	p = pool_page_to_virt(pg);
	if (flags & POOL_ZERO)
		memset(p, 0, POOL_PAGE_SIZE << order);
	return p;
}

void *pool_page_alloc(unsigned int order, unsigned int flags)
{
	return pool_pages_alloc_virt(order, PK_PAGE, flags);
}

/* A misused page block: report it with the caller's address. */
static bool page_block_ok(void *addr, struct pool_page *pg, unsigned int order,
			  const char *what, uintptr_t ip)
{
	if (pg && !((uintptr_t)addr & (POOL_PAGE_SIZE - 1)) &&
	    pg->kind == PK_PAGE && pg->order == order)
		return true;
	pool_report(what, addr, ip, -1, 0);
	return false;
}

void pool_page_split(void *addr, unsigned int order)
{
	struct pool_page *pg = addr ? pool_virt_to_page(addr) : NULL;
	struct pool_ctx *c;
	size_t i, n = 1UL << order;

	if (!page_block_ok(addr, pg, order,
			   "pool_page_split: not a page block of this order",
			   (uintptr_t)__builtin_return_address(0)))
		return;
	if (!order)
		return;
	/* Each page becomes the head of an order-0 block. */
	for (i = n; i-- > 0;)
		pool_pages_mark(pg + i, 0, PK_PAGE);
	/* Accounting: one block of @order freed, n blocks of order 0 taken. */
	c = pool_ctx_get();
	if (pool_likely(c)) {
		pool_stat_add(&c->page_frees[order], 1);
		pool_stat_add(&c->page_allocs[0], n);
		pool_ctx_put(c);
	} else {
		__atomic_fetch_add(&pool_direct_page_frees[order], 1,
				   __ATOMIC_RELAXED);
		__atomic_fetch_add(&pool_direct_page_allocs[0], n,
				   __ATOMIC_RELAXED);
	}
}

void pool_page_free(void *addr, unsigned int order)
{
	struct pool_page *pg = pool_virt_to_page(addr);

	if (!addr)
		return;
	if (!page_block_ok(addr, pg, order,
			   "pool_page_free: not a page block of this order",
			   (uintptr_t)__builtin_return_address(0)))
		return;
	pool_pages_free_block(pg, order);
}
