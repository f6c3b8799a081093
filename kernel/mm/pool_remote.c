// SPDX-License-Identifier: GPL-2.0-only
/*
 * Remote frees: how an object freed by a context other than its slab's owner
 * (another CPU, or an interrupt that found its CPU's pool busy) gets back to
 * the owner without a lock.
 *
 * Data. Every context has an inbox: one pointer, the head of a chain of
 * elements linked through their first word. An element is a freed object,
 * or (tagged in bit 0 of the pointer to it) a carrier: a freed object of at
 * least 256 bytes whose body holds the pointers of up to 30 more (see
 * struct pool_carrier). Every context also has, per possible owner, an
 * outgoing batch (a chain or a carrier it builds privately) and a bitmap
 * of owners with a non-empty batch.
 *
 * Protocol. The freer appends the object to its batch for the owner (plain
 * stores: the batch is CPU-local): into the carrier if the batch has one, as
 * the carrier if the batch is empty and the object is big enough (not in
 * the debug build, whose poison the array would overwrite), else onto the
 * chain. When the batch holds POOL_BATCH objects or its carrier is full,
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

/* How many carried objects ahead pool_remote_reuse() prefetches. */
#define POOL_REUSE_AHEAD 6

/* Hang the element chain head..tail onto @owner's inbox; @head may be a
 * tagged carrier pointer, @tail is the last element's address. */
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
	if (b->car) {
		inbox_push(pool_owner_ctx(owner),
			   (void *)((uintptr_t)b->car | POOL_CARRIER_TAG), b->car);
		b->car = NULL;
		return;
	}
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
	struct pool_carrier *car = b->car;

	pool_stat_add(&c->cc[pg->cache].remote_out, 1);
	if (car) {
		car->obj[car->n++] = p;
		if (car->n == POOL_CARRIER_SLOTS)
			batch_flush(c, owner);
		return;
	}
	if (!b->n) {
		c->pending[owner / 64] |= 1ULL << (owner % 64);
		if (!POOL_DEBUG &&
		    pool_caches[pg->cache].size >= sizeof(struct pool_carrier)) {
			car = p;
			car->n = 0;
			b->car = car;
			return;
		}
		b->tail = p;
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

/* The descriptor of @p, which must belong to @c. */
static struct pool_page *owned_page(struct pool_ctx *c, void *p)
{
	struct pool_page *pg = pool_virt_to_page(p)->head;

	if (pool_unlikely(pg->owner != c->id))
		pool_platform_panic("pool: foreign object in inbox");
	return pg;
}

/* One returned object back into its slab. */
static void free_one(struct pool_ctx *c, void *p)
{
	struct pool_page *pg = owned_page(c, p);

	pool_stat_add(&c->cc[pg->cache].remote_in, 1);
	pool_obj_set_next(p, pg->freelist);
	pg->freelist = p;
	pg->inuse--;
	if (pg->list != SL_CUR)
		pool_slab_free_slow(c, pg);
}

/* The objects of @car from index @i on, then the carrier itself. */
static void free_carrier(struct pool_ctx *c, struct pool_carrier *car,
			 uint32_t i)
{
	for (; i < car->n; i++)
		free_one(c, car->obj[i]);
	free_one(c, car);
}

/* Free a chain of inbox elements back to their slabs. */
static bool drain_chain(struct pool_ctx *c, void *e)
{
	bool any = e != NULL;

	while (e) {
		void *next;

		if (pool_is_carrier(e)) {
			struct pool_carrier *car = pool_carrier_of(e);

			next = car->next;
			free_carrier(c, car, 0);
		} else {
			next = pool_obj_next(e);
			free_one(c, e);
		}
		e = next;
	}
	return any;
}

/*
 * Free to their slabs the objects other contexts handed to @c: those
 * already taken (->reclaim, whose first element may be a carrier partly
 * handed out: ->reclaim_i) and those in the inbox. Each chain is detached
 * before it is walked.
 * Return: true if there were any.
 */
bool pool_remote_drain(struct pool_ctx *c)
{
	void *e = c->reclaim;
	bool any = e != NULL;

	c->reclaim = NULL;
	if (e && pool_is_carrier(e) && c->reclaim_i) {
		struct pool_carrier *car = pool_carrier_of(e);

		e = car->next;
		free_carrier(c, car, c->reclaim_i);
	}
	c->reclaim_i = 0;
	drain_chain(c, e);
	return drain_chain(c, __atomic_exchange_n(&c->inbox, NULL,
						  __ATOMIC_ACQUIRE)) || any;
}

/*
 * pool_remote_reuse() - hand out again an object that came back from a
 * remote free, without putting it into its slab first, if the next one is
 * of cache @k. Freeing to the slab would touch the object (a cache miss: the
 * freeing CPU had the line) and the caller's first write would miss again;
 * reused, the line moves once, and objects that came in a carrier are not
 * touched at all until the caller uses them (prefetched a few ahead). This
 * is the NIC receive pattern: buffers of one size allocated here, freed
 * elsewhere. An object of another cache sends everything taken back to the
 * slabs.
 * Return: the object, or NULL (then allocate from the slabs).
 *
 * Context: holder of @c.
 */
void *pool_remote_reuse(struct pool_ctx *c, const struct pool_cache *k)
{
	void *e, *p;

	if (!c->reclaim)
		c->reclaim = __atomic_exchange_n(&c->inbox, NULL, __ATOMIC_ACQUIRE);
	e = c->reclaim;
	if (!e)
		return NULL;
	if (pool_is_carrier(e)) {
		struct pool_carrier *car = pool_carrier_of(e);
		uint32_t i = c->reclaim_i;

		if (i == 0)	/* a new carrier: start the first misses */
			for (uint32_t j = 0; j < POOL_REUSE_AHEAD && j < car->n; j++)
				__builtin_prefetch(car->obj[j], 1, 3);
		p = i < car->n ? car->obj[i] : car;	/* the carrier last */
		if (owned_page(c, p)->cache != k->id)
			goto drain;
		if (p == car) {
			c->reclaim = car->next;
			c->reclaim_i = 0;
		} else {
			c->reclaim_i = ++i;
			if (i + POOL_REUSE_AHEAD < car->n)
				__builtin_prefetch(car->obj[i + POOL_REUSE_AHEAD], 1, 3);
		}
	} else {
		p = e;
		if (owned_page(c, p)->cache != k->id)
			goto drain;
		c->reclaim = pool_obj_next(p);
		if (c->reclaim && !pool_is_carrier(c->reclaim))
			__builtin_prefetch(c->reclaim, 1, 3);
	}
	pool_stat_add(&c->cc[k->id].remote_in, 1);
	return p;
drain:
	pool_remote_drain(c);
	return NULL;
}
