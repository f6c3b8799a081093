// SPDX-License-Identifier: GPL-2.0-only
/*
 * Slabs of the memory pool: the caches (kmalloc size classes and named
 * kmem_cache-style caches), and the slow paths that give a context a new
 * slab, move slabs between its lists and give fully free slabs back.
 *
 * A slab is a page block cut into objects of one cache. It belongs to the
 * context that created it (its owner) for its whole life: only the owner
 * takes objects from it or puts them back, so a slab needs no lock; other
 * CPUs hand their frees to the owner (pool_remote.c). Per cache, an owner
 * has the current slab (allocations come from it), a list of partial slabs
 * and a list of at most POOL_KEEP_EMPTY empty slabs; full slabs are on no
 * list. A slab moves:
 *
 *   new -> CUR -> (exhausted) FULL -> (a free) PARTIAL -> (all free) EMPTY
 *   PARTIAL/EMPTY -> CUR when the current slab is exhausted
 *   EMPTY beyond the watermark, or at trim -> pages
 *
 * Objects are laid out from the start of the slab at a fixed stride, and
 * slabs are aligned to their size, so an object whose size is a power of
 * two is aligned to it. A free object's link word (free list, remote-free
 * chains) is its first word, except in caches with a constructor and in the
 * debug build, where it lives after the object (->link_off): a constructed
 * object keeps its state while free, and debug poison covers every byte.
 *
 * Cache slots. pool_caches[] has POOL_MAX_CACHES slots, each with a state
 * (enum pool_cache_state) that changes only by compare-and-swap: a creator
 * claims a FREE slot, or a DEAD one that no context holds slabs of any
 * more, by CAS to SETUP, so two creators never get one slot; it fills the
 * slot, sets LIVE with release ordering and raises pool_ncaches (the number
 * of slots ever used) with a CAS loop. pool_cache_destroy() counts the
 * objects in use from the per-context counters and, when there are none,
 * sets DEAD and bumps pool_dead_gen, at which every context gives back its
 * slabs of dead caches at its next pool_drain().
 */
#include "pool_internal.h"

struct pool_cache pool_caches[POOL_MAX_CACHES];
unsigned int pool_ncaches;
uint32_t pool_dead_gen;
uint8_t pool_size_index[POOL_KMALLOC_MAX / 8 + 1];

/* Linux's kmalloc size classes on x86_64 (mm/slab_common.c). */
static const uint32_t kmalloc_sizes[] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};
#define NR_KMALLOC (sizeof(kmalloc_sizes) / sizeof(kmalloc_sizes[0]))

/*
 * Slabs hold at least 8 objects where that fits in 32 KiB (order 3), so the
 * owner goes to the page cache at most every 8 allocations of large classes
 * while keeping an empty slab small.
 */
#define SLAB_MIN_OBJECTS 8
#define SLAB_MAX_ORDER 3

/* Fill @k (not yet visible to anyone) for the arguments; -1 if bad. */
static int cache_setup(struct pool_cache *k, const char *name, size_t size,
		       size_t align, void (*ctor)(void *))
{
	unsigned int o, i;
	uint32_t stride;
	uint16_t link_off;

	if (align & (align - 1))
		return -1;
	if (align < 8)
		align = 8;
	/* Above a page only the kmalloc classes (natural alignment) ask. */
	if (size == 0 || size > POOL_KMALLOC_MAX || (align & (align - 1)) ||
	    align > POOL_KMALLOC_MAX)
		return -1;
	if (size < 8)
		size = 8;
	stride = pool_debug_stride((uint32_t)size, (uint32_t)align, ctor != NULL,
				   &link_off);

	for (o = 0; o < SLAB_MAX_ORDER; o++) {
		if ((POOL_PAGE_SIZE << o) / stride >= SLAB_MIN_OBJECTS)
			break;
	}
	while ((POOL_PAGE_SIZE << o) < stride)
		o++;
	k->order = (uint8_t)o;
	k->nobj = (uint16_t)((POOL_PAGE_SIZE << o) / stride);
	for (o = 0; (POOL_PAGE_SIZE << o) < stride; o++)
		;
	k->min_order = (uint8_t)o;
	k->size = (uint32_t)size;
	k->stride = stride;
	k->align = (uint32_t)align;
	k->link_off = link_off;
	k->ctor = ctor;
	/* A carrier is written into a free object: not with a constructor,
	 * not over debug poison, and only where it fits. */
	k->carrier = !POOL_DEBUG && !ctor && link_off == 0 &&
		     size >= sizeof(struct pool_carrier);
	for (i = 0; i + 1 < sizeof(k->name) && name && name[i]; i++)
		k->name[i] = name[i];
	k->name[i] = 0;
	return 0;
}

/* Pages in slabs of cache @id, over every context (racy snapshot). */
static uint64_t cache_slab_pages(unsigned int id)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i < pool_nr_owners; i++)
		n += pool_stat_read(&pool_owner_ctx(i)->cc[id].slab_pages);
	return n;
}

/* Objects of cache @id allocated and not freed (a queued remote free
 * counts as freed): exact when nobody uses the cache meanwhile. */
static size_t cache_in_use(unsigned int id)
{
	uint64_t a = 0, f = __atomic_load_n(&pool_direct_remote_cache[id],
					    __ATOMIC_RELAXED);

	for (unsigned int i = 0; i < pool_nr_owners; i++) {
		const struct pool_cc *cc = &pool_owner_ctx(i)->cc[id];

		a += pool_stat_read(&cc->allocs);
		f += pool_stat_read(&cc->frees) + pool_stat_read(&cc->remote_out);
	}
	return a > f ? (size_t)(a - f) : 0;
}

/* Claim slot @id if it is in state @from: by CAS, so only one creator wins. */
static bool slot_claim(unsigned int id, uint8_t from)
{
	uint8_t old = from;

	return __atomic_compare_exchange_n(&pool_caches[id].state, &old,
					   CS_SETUP, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

static struct pool_cache *cache_create(const char *name, size_t size,
				       size_t align, void (*ctor)(void *))
{
	struct pool_cache tmp = { 0 }, *k = NULL;
	unsigned int id, n;

	if (cache_setup(&tmp, name, size, align, ctor))
		return NULL;
	for (id = 0; id < POOL_MAX_CACHES; id++) {
		uint8_t st = __atomic_load_n(&pool_caches[id].state,
					     __ATOMIC_ACQUIRE);

		if (st == CS_FREE && slot_claim(id, CS_FREE))
			break;
		/* A dead cache's slot, once no context has slabs of it:
		 * no object, slab or queued free refers to it any more. */
		if (st == CS_DEAD && pool_ctx_base && !cache_slab_pages(id) &&
		    slot_claim(id, CS_DEAD))
			break;
	}
	if (id >= POOL_MAX_CACHES)
		return NULL;
	/* Every field but ->state, which other creators read meanwhile. */
	k = &pool_caches[id];
	memcpy(k->name, tmp.name, sizeof(k->name));
	k->size = tmp.size;
	k->stride = tmp.stride;
	k->align = tmp.align;
	k->nobj = tmp.nobj;
	k->link_off = tmp.link_off;
	k->order = tmp.order;
	k->min_order = tmp.min_order;
	k->id = (uint8_t)id;
	k->carrier = tmp.carrier;
	k->ctor = tmp.ctor;
	/* Publish the cache, then raise the number of slots in use. */
	__atomic_store_n(&k->state, CS_LIVE, __ATOMIC_RELEASE);
	n = __atomic_load_n(&pool_ncaches, __ATOMIC_RELAXED);
	while (n < id + 1 &&
	       !__atomic_compare_exchange_n(&pool_ncaches, &n, id + 1, true,
					    __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		;
	return k;
}

struct pool_cache *pool_cache_create_ctor(const char *name, size_t size,
					  size_t align, void (*ctor)(void *obj))
{
	if (align > POOL_PAGE_SIZE)
		return NULL;
	return cache_create(name, size, align, ctor);
}

struct pool_cache *pool_cache_create(const char *name, size_t size,
				     size_t align)
{
	return pool_cache_create_ctor(name, size, align, NULL);
}

size_t pool_cache_destroy(struct pool_cache *k)
{
	size_t n;
	char msg[96];

	if (!k || __atomic_load_n(&k->state, __ATOMIC_ACQUIRE) != CS_LIVE)
		return 0;
	n = cache_in_use(k->id);
	if (n) {
		pool_format(msg, sizeof(msg),
			    "pool: cache %s destroyed with %zu objects in use",
			    k->name, n);
		pool_platform_report(msg);
		return n;
	}
	__atomic_store_n(&k->state, CS_DEAD, __ATOMIC_RELEASE);
	__atomic_fetch_add(&pool_dead_gen, 1, __ATOMIC_RELEASE);
	return 0;
}

int pool_slab_init(void)
{
	unsigned int i, c = 0;
	char name[24];

	for (i = 0; i < NR_KMALLOC; i++) {
		pool_format(name, sizeof(name), "kmalloc-%u", kmalloc_sizes[i]);
		/* Power-of-two classes ask for natural alignment (debug). */
		if (!cache_create(name, kmalloc_sizes[i],
				  (kmalloc_sizes[i] & (kmalloc_sizes[i] - 1))
				  ? 8 : kmalloc_sizes[i], NULL))
			return -1;
	}
	for (i = 0; i <= POOL_KMALLOC_MAX / 8; i++) {
		while (kmalloc_sizes[c] < i * 8)
			c++;
		pool_size_index[i] = (uint8_t)c;
	}
	return 0;
}

static void list_add(struct pool_page **head, struct pool_page *pg)
{
	pg->prev = NULL;
	pg->next = *head;
	if (pg->next)
		pg->next->prev = pg;
	*head = pg;
}

static void list_del(struct pool_page **head, struct pool_page *pg)
{
	if (pg->prev)
		pg->prev->next = pg->next;
	else
		*head = pg->next;
	if (pg->next)
		pg->next->prev = pg->prev;
	pg->next = NULL;
	pg->prev = NULL;
}

static struct pool_page *slab_new(struct pool_ctx *c, struct pool_cache *k,
				  unsigned int flags)
{
	unsigned int order = k->order;
	struct pool_page *pg = pool_pages_get(c, order, flags);
	uint32_t nobj = k->nobj, i;
	char *base;
	void *fl = NULL;

	if (!pg && k->min_order < order) {
		order = k->min_order;
		pg = pool_pages_get(c, order, flags);
		nobj = (uint32_t)((POOL_PAGE_SIZE << order) / k->stride);
	}
	if (!pg)
		return NULL;
	pool_pages_mark(pg, order, PK_SLAB);
	pg->cache = k->id;
	pg->owner = c->id;
	pg->nobj = (uint16_t)nobj;
	pg->link_off = k->link_off;
	pg->inuse = 0;
	pg->list = SL_NONE;
	base = pool_page_to_virt(pg);
	pool_platform_slab_event(base, order, 1);
	for (i = nobj; i-- > 0;) {
		void *obj = base + (size_t)i * k->stride;

		if (POOL_DEBUG)
			pool_debug_slab_init(k, obj);
		if (k->ctor)
			k->ctor(obj);
		*pool_obj_link(obj, k->link_off) = fl;
		fl = obj;
	}
	pg->freelist = fl;
	pool_stat_add(&c->cc[k->id].slabs_new, 1);
	pool_stat_add(&c->cc[k->id].slab_pages, 1ULL << order);
	return pg;
}

static void slab_release(struct pool_ctx *c, struct pool_page *pg)
{
	pool_stat_add(&c->cc[pg->cache].slabs_freed, 1);
	pool_stat_add(&c->cc[pg->cache].slab_pages, 0ULL - (1ULL << pg->order));
	pg->list = SL_NONE;
	pool_platform_slab_event(pool_page_to_virt(pg), pg->order, 0);
	pool_pages_put(c, pg, pg->order);
}

/*
 * pool_slab_alloc_slow() - the current slab of @k is exhausted (or missing):
 * make another slab current and take an object from it.
 *
 * Context: holder of @c. Return: an object, or NULL if out of memory.
 */
void *pool_slab_alloc_slow(struct pool_ctx *c, struct pool_cache *k,
			   unsigned int flags)
{
	struct pool_cc *cc = &c->cc[k->id];
	struct pool_page *s = cc->cur;
	void *p;

	if (s) {
		/* Its free list is empty: every object is allocated. */
		s->list = SL_FULL;
		cc->cur = NULL;
	}
	s = cc->partial;
	if (s) {
		list_del(&cc->partial, s);
	} else if (cc->empty) {
		s = cc->empty;
		list_del(&cc->empty, s);
		cc->nempty--;
	} else {
		s = slab_new(c, k, flags);
		if (!s)
			return NULL;
	}
	s->list = SL_CUR;
	cc->cur = s;
	p = s->freelist;
	s->freelist = *pool_obj_link(p, k->link_off);
	s->inuse++;
	return p;
}

/*
 * pool_slab_free_slow() - an object went back to @pg, which is not the
 * current slab: move @pg to the list its new state belongs on.
 *
 * Context: holder of @c, the owner of @pg.
 */
void pool_slab_free_slow(struct pool_ctx *c, struct pool_page *pg)
{
	struct pool_cc *cc = &c->cc[pg->cache];

	if (pg->list == SL_FULL) {
		if (pg->inuse) {
			list_add(&cc->partial, pg);
			pg->list = SL_PARTIAL;
			return;
		}
	} else if (pg->list == SL_PARTIAL) {
		if (pg->inuse)
			return;
		list_del(&cc->partial, pg);
	} else {
		pool_platform_panic("pool: free to a slab on no list");
	}
	/* All objects are free. */
	if (cc->nempty >= POOL_KEEP_EMPTY || pool_cache_dead(&pool_caches[pg->cache])) {
		slab_release(c, pg);
		return;
	}
	list_add(&cc->empty, pg);
	pg->list = SL_EMPTY;
	cc->nempty++;
}

/*
 * pool_slab_trim() - give back the empty slabs of every cache of @c; with
 * @all, or for a destroyed cache, also a current slab with no object in use.
 *
 * Context: holder of @c.
 */
void pool_slab_trim(struct pool_ctx *c, bool all)
{
	unsigned int i, n = __atomic_load_n(&pool_ncaches, __ATOMIC_ACQUIRE);

	for (i = 0; i < n; i++) {
		struct pool_cc *cc = &c->cc[i];

		while (cc->empty) {
			struct pool_page *pg = cc->empty;

			list_del(&cc->empty, pg);
			slab_release(c, pg);
		}
		cc->nempty = 0;
		if (cc->cur && !cc->cur->inuse &&
		    (all || pool_cache_dead(&pool_caches[i]))) {
			slab_release(c, cc->cur);
			cc->cur = NULL;
		}
	}
}

/*
 * pool_slab_trim_dead() - give back the slabs @c holds of destroyed caches
 * that have no object in use (empty, or current and unused).
 * Return: true if @c holds no slab of a destroyed cache any more.
 *
 * Context: holder of @c.
 */
bool pool_slab_trim_dead(struct pool_ctx *c)
{
	unsigned int i, n = __atomic_load_n(&pool_ncaches, __ATOMIC_ACQUIRE);
	bool clean = true;

	for (i = 0; i < n; i++) {
		struct pool_cc *cc = &c->cc[i];

		if (!pool_cache_dead(&pool_caches[i]))
			continue;
		while (cc->empty) {
			struct pool_page *pg = cc->empty;

			list_del(&cc->empty, pg);
			slab_release(c, pg);
		}
		cc->nempty = 0;
		if (cc->cur && !cc->cur->inuse) {
			slab_release(c, cc->cur);
			cc->cur = NULL;
		}
		clean &= !cc->cur && !cc->partial;
	}
	return clean;
}
