// SPDX-License-Identifier: GPL-2.0-only
/*
 * Remote frees: how an object freed by a context other than its slab's owner
 * (another CPU, or an interrupt that found its CPU's pool busy) gets back to
 * the owner without a lock.
 *
 * Data. Every context has an inbox: one pointer, the head of a chain of
 * elements linked through their link word (the first word, or after the
 * object in constructor caches and the debug build: struct pool_page
 * ->link_off of the element's slab). An element is a freed object,
 * or (tagged in bit 0 of the pointer to it) a carrier: a freed object of at
 * least 256 bytes whose body holds the pointers of up to 30 more (see
 * struct pool_carrier). Every context also has, per possible owner, an
 * outgoing batch (a chain or a carrier it builds privately) and a bitmap
 * of owners with a non-empty batch.
 *
 * Protocol. The freer appends the object to its batch for the owner (plain
 * stores: the batch is CPU-local): into the carrier if the batch has one, as
 * the carrier if the batch is empty and the object is big enough (not in
 * the debug build, whose poison the array would overwrite, nor in a cache
 * with a constructor, whose objects keep their state), else onto the
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
 * the pool (that context is then drained at the next tick), plus one tick
 * per POOL_DRAIN_BUDGET objects queued before it: a drain returns at most
 * that many to their slabs and keeps the rest taken (->reclaim) for the next
 * call, so a tick never runs long with interrupts off. Objects held in
 * batches: at most POOL_BATCH - 1 per (freer context, owner) pair.
 *
 * Double frees. Freeing an object that is the last one queued for its owner
 * (the batch's head or carrier), or on arrival the head of its slab's free
 * list, is reported and refused: one compare catches the commonest case.
 */
#include "pool_internal.h"

uint64_t pool_direct_remote;
uint64_t pool_direct_remote_cache[POOL_MAX_CACHES];

/* How many carried objects ahead pool_remote_reuse() prefetches. */
#define POOL_REUSE_AHEAD 6

/* Hang the element chain head..tail onto @owner's inbox; @head may be a
 * tagged carrier pointer, @tail_link is the last element's link word. */
static void inbox_push(struct pool_ctx *owner, void *head, void **tail_link)
{
	void *old = __atomic_load_n(&owner->inbox, __ATOMIC_RELAXED);

	do {
		*tail_link = old;
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
			   (void *)((uintptr_t)b->car | POOL_CARRIER_TAG),
			   &b->car->next);
		b->car = NULL;
		return;
	}
	inbox_push(pool_owner_ctx(owner), b->head, b->tail_link);
	b->head = NULL;
	b->tail_link = NULL;
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

	/* Another context of this CPU is remote to the pool, but not to the
	 * caches: only a free on another CPU than the allocation counts. */
	if (owner / POOL_NEST != c->cpu)
		pool_stat_add(&c->cross_cpu_frees, 1);
	if (car) {
		if (pool_unlikely(p == car ||
				  (car->n && car->obj[car->n - 1] == p)))
			goto double_free;
		pool_stat_add(&c->cc[pg->cache].remote_out, 1);
		car->obj[car->n++] = p;
		if (car->n == POOL_CARRIER_SLOTS)
			batch_flush(c, owner);
		return;
	}
	if (pool_unlikely(p == b->head))
		goto double_free;
	pool_stat_add(&c->cc[pg->cache].remote_out, 1);
	if (!b->n) {
		c->pending[owner / 64] |= 1ULL << (owner % 64);
		if (pool_caches[pg->cache].carrier) {
			car = p;
			car->n = 0;
			b->car = car;
			return;
		}
		b->tail_link = pool_obj_link(p, pg->link_off);
	}
	*pool_obj_link(p, pg->link_off) = b->head;
	b->head = p;
	if (++b->n >= POOL_BATCH)
		batch_flush(c, owner);
	return;
double_free:
	pool_report("double free of", p, (uintptr_t)__builtin_return_address(0),
		    owner / POOL_NEST, 0);
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
	__atomic_fetch_add(&pool_direct_remote_cache[pg->cache], 1,
			   __ATOMIC_RELAXED);
	inbox_push(pool_owner_ctx(pg->owner), p, pool_obj_link(p, pg->link_off));
}

uint64_t pool_remote_frees(unsigned int cpu)
{
	uint64_t sum = 0;
	unsigned int n;

	if (cpu >= pool_nr_owners / POOL_NEST)
		return 0;
	for (n = 0; n < POOL_NEST; n++)
		sum += pool_stat_read(&pool_owner_ctx(cpu * POOL_NEST + n)->cross_cpu_frees);
	return sum;
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

/* Returned object @p of slab @pg (owned by @c) back into its slab. */
static void free_one_pg(struct pool_ctx *c, void *p, struct pool_page *pg)
{
	pool_stat_add(&c->cc[pg->cache].remote_in, 1);
	if (pool_unlikely(p == pg->freelist)) {
		/* Freed twice, by two CPUs or batches: refused. Count it as
		 * allocated again, so the counters say what is true: the
		 * object is free once. */
		pool_stat_add(&c->cc[pg->cache].allocs, 1);
		pool_report("double free of", p, 0, c->cpu, 0);
		return;
	}
	*pool_obj_link(p, pg->link_off) = pg->freelist;
	pg->freelist = p;
	pg->inuse--;
	if (pg->list != SL_CUR)
		pool_slab_free_slow(c, pg);
}

static void free_one(struct pool_ctx *c, void *p)
{
	free_one_pg(c, p, owned_page(c, p));
}

/*
 * pool_remote_drain() - free to their slabs up to @budget objects that
 * other contexts handed to @c: first those already taken (->reclaim, whose
 * first element may be a carrier partly handed out: ->reclaim_i), then the
 * inbox, taken whole with one exchange. What the budget does not cover stays
 * in ->reclaim (the next drain or allocation goes on from there).
 * Return: the number of objects freed.
 *
 * Context: holder of @c.
 */
unsigned int pool_remote_drain(struct pool_ctx *c, unsigned int budget)
{
	unsigned int done = 0;

	for (;;) {
		void *e = c->reclaim;

		if (!e) {
			e = __atomic_exchange_n(&c->inbox, NULL,
						__ATOMIC_ACQUIRE);
			if (!e)
				break;
			c->reclaim_i = 0;
		}
		while (e) {
			void *next;

			if (done >= budget)
				goto out;
			if (pool_is_carrier(e)) {
				struct pool_carrier *car = pool_carrier_of(e);
				uint32_t i = c->reclaim_i;

				for (; i < car->n && done < budget; i++, done++)
					free_one(c, car->obj[i]);
				c->reclaim_i = i;
				if (done >= budget)
					goto out;	/* carrier itself left */
				next = car->next;
				free_one(c, car);
				c->reclaim_i = 0;
			} else {
				struct pool_page *pg = owned_page(c, e);

				next = *pool_obj_link(e, pg->link_off);
				free_one_pg(c, e, pg);
			}
			done++;
			e = next;
		}
		c->reclaim = NULL;
		c->reclaim_i = 0;
		continue;
out:
		c->reclaim = e;
		break;
	}
	return done;
}

/*
 * pool_remote_reuse() - hand out again an object that came back from a
 * remote free, without putting it into its slab first, if the next one is
 * of cache @k. Freeing to the slab would touch the object (a cache miss: the
 * freeing CPU had the line) and the caller's first write would miss again;
 * reused, the line moves once, and objects that came in a carrier are not
 * touched at all until the caller uses them (prefetched a few ahead). This
 * is the NIC receive pattern: buffers of one size allocated here, freed
 * elsewhere. An object of another cache sends up to POOL_DRAIN_BUDGET taken
 * objects back to the slabs.
 * Return: the object, or NULL (then allocate from the slabs).
 *
 * Context: holder of @c.
 */
void *pool_remote_reuse(struct pool_ctx *c, const struct pool_cache *k)
{
	void *e, *p;

	if (!c->reclaim) {
		c->reclaim = __atomic_exchange_n(&c->inbox, NULL, __ATOMIC_ACQUIRE);
		c->reclaim_i = 0;
	}
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
		struct pool_page *pg = owned_page(c, e);

		p = e;
		if (pg->cache != k->id)
			goto drain;
		c->reclaim = *pool_obj_link(p, pg->link_off);
		if (c->reclaim && !pool_is_carrier(c->reclaim))
			__builtin_prefetch(c->reclaim, 1, 3);
	}
	pool_stat_add(&c->cc[k->id].remote_in, 1);
	return p;
drain:
	pool_remote_drain(c, POOL_DRAIN_BUDGET);
	return NULL;
}
