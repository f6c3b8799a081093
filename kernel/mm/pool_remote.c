// SPDX-License-Identifier: GPL-2.0-only
/*
 * Remote frees: how an object freed by a context other than its slab's owner
 * (another CPU, or an interrupt that found its CPU's pool busy) gets back to
 * the owner without a lock.
 *
 * Data. Every context has an inbox: one pointer, the head of a chain of
 * objects linked through their first word. Every context also has, per
 * possible owner, an outgoing batch (a chain it builds privately) and a
 * bitmap of owners with a non-empty batch.
 *
 * Protocol. The freer appends the object to its batch for the owner (plain
 * stores: the batch is CPU-local). When the batch holds POOL_BATCH objects,
 * or at the freer's next pool_drain() (timer tick, idle), the freer splices
 * the whole chain onto the owner's inbox with one compare-and-swap. The
 * owner takes its whole inbox with one atomic exchange, at the start of
 * an allocation and in pool_drain(). An allocation of the cache the next
 * object belongs to gets that object straight away (pool_remote_reuse());
 * otherwise, and at every drain, each object goes back to its slab.
 *
 * States of an inbox and why each transition is safe:
 *   EMPTY (NULL) --push--> CHAIN: a producer sets its tail's link to the head
 *     it read (NULL), then CAS(head: NULL -> first). The CAS fails if anyone
 *     changed the head meanwhile, and the producer retries with the new head;
 *     its chain is private until the CAS succeeds.
 *   CHAIN --push--> CHAIN: the same, with the old chain hung after the tail.
 *   CHAIN --take--> EMPTY: the owner exchanges the head with NULL and owns
 *     the chain it got; a producer whose CAS raced with it fails and retries
 *     on NULL. Nothing is ever popped one at a time, so no ABA: a head value
 *     seen again means the same chain prefix is still correct to hang after.
 *   The CAS is a release and the exchange an acquire, so the owner sees the
 *   links and everything the freer wrote to the objects before freeing.
 * Producers never wait for each other or for the owner (lock-free: a failed
 * CAS means another succeeded), so an interrupt handler on the owner's CPU
 * can always push, and the owner's take cannot fail.
 *
 * Bound. A remote free waits at most until the freer's batch fills or the
 * freer's next tick, then until the owner's next allocation or tick: two
 * tick periods, plus any tick that lands while the owner's context is inside
 * the pool (that context is then drained at the next tick). Objects held in
 * batches: at most POOL_BATCH - 1 per (freer context, owner) pair.
 */
#include "pool_internal.h"

uint64_t pool_direct_remote;

static void inbox_push(struct pool_ctx *owner, void *head, void *tail)
{
	void *old = __atomic_load_n(&owner->inbox, __ATOMIC_RELAXED);

	do {
		pool_obj_set_next(tail, old);
	} while (!__atomic_compare_exchange_n(&owner->inbox, &old, head, true,
					      __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));
}

static void batch_flush(struct pool_ctx *c, unsigned int owner)
{
	struct pool_batch *b = &c->out[owner];

	c->pending[owner / 64] &= ~(1ULL << (owner % 64));
	inbox_push(pool_owner_ctx(owner), b->head, b->tail);
	b->head = NULL;
	b->tail = NULL;
	b->n = 0;
}

/*
 * pool_remote_queue() - context @c frees @p, an object of slab @pg owned by
 * another context.
 *
 * Context: holder of @c.
 */
void pool_remote_queue(struct pool_ctx *c, struct pool_page *pg, void *p)
{
	unsigned int owner = pg->owner;
	struct pool_batch *b = &c->out[owner];

	pool_stat_add(&c->cc[pg->cache].remote_out, 1);
	if (!b->n) {
		b->tail = p;
		c->pending[owner / 64] |= 1ULL << (owner % 64);
	}
	pool_obj_set_next(p, b->head);
	b->head = p;
	if (++b->n >= POOL_BATCH)
		batch_flush(c, owner);
}

/*
 * pool_remote_push_direct() - free @p to its owner's inbox at once, for a
 * caller that has no context (all of its CPU's contexts are busy).
 *
 * Context: any context.
 */
void pool_remote_push_direct(struct pool_page *pg, void *p)
{
	__atomic_fetch_add(&pool_direct_remote, 1, __ATOMIC_RELAXED);
	inbox_push(pool_owner_ctx(pg->owner), p, p);
}

/* Push every queued batch of @c. Context: holder of @c. */
void pool_remote_flush(struct pool_ctx *c)
{
	unsigned int w;

	for (w = 0; w < POOL_PENDING_WORDS; w++) {
		while (c->pending[w]) {
			unsigned int bit = (unsigned int)__builtin_ctzll(
				c->pending[w]);

			batch_flush(c, w * 64 + bit);
		}
	}
}

/* Free a chain of objects handed to @c back to their slabs. */
static bool drain_chain(struct pool_ctx *c, void *p)
{
	bool any = p != NULL;

	while (p) {
		void *next = pool_obj_next(p);
		struct pool_page *pg = pool_virt_to_page(p)->head;

		if (pool_unlikely(pg->owner != c->id))
			pool_platform_panic("pool: foreign object in inbox");
		pool_stat_add(&c->cc[pg->cache].remote_in, 1);
		pool_obj_set_next(p, pg->freelist);
		pg->freelist = p;
		pg->inuse--;
		if (pg->list != SL_CUR)
			pool_slab_free_slow(c, pg);
		p = next;
	}
	return any;
}

/*
 * Free to their slabs the objects other contexts handed to @c: those
 * already taken (->reclaim) and those in the inbox.
 * Return: true if there were any.
 */
bool pool_remote_drain(struct pool_ctx *c)
{
	bool any = drain_chain(c, c->reclaim);

	c->reclaim = NULL;
	return drain_chain(c, __atomic_exchange_n(&c->inbox, NULL,
						  __ATOMIC_ACQUIRE)) || any;
}

/*
 * pool_remote_reuse() - hand out again an object that came back from a
 * remote free, without putting it into its slab first, if the next one is
 * of cache @k. Freeing to the slab would read the object's link (a cache
 * miss: the freeing CPU holds the line) and the caller's first write would
 * miss again; reused, the object's line moves once. This is the NIC
 * receive pattern: buffers of one size allocated here, freed elsewhere.
 * Objects of other caches send the whole chain to the slabs.
 * Return: the object, or NULL (then allocate from the slabs).
 *
 * Context: holder of @c.
 */
void *pool_remote_reuse(struct pool_ctx *c, const struct pool_cache *k)
{
	struct pool_page *pg;
	void *p;

	if (!c->reclaim)
		c->reclaim = __atomic_exchange_n(&c->inbox, NULL, __ATOMIC_ACQUIRE);
	p = c->reclaim;
	if (!p)
		return NULL;
	pg = pool_virt_to_page(p)->head;
	if (pool_unlikely(pg->owner != c->id))
		pool_platform_panic("pool: foreign object in inbox");
	if (pg->cache != k->id) {
		pool_remote_drain(c);
		return NULL;
	}
	c->reclaim = pool_obj_next(p);
	/* The next one is the next allocation's: start its miss now. */
	if (c->reclaim)
		__builtin_prefetch(c->reclaim, 1, 3);
	pool_stat_add(&c->cc[k->id].remote_in, 1);
	return p;
}
