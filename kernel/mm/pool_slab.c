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
 * two is aligned to it. A free object's first word links the free list.
 */
#include "pool_internal.h"

struct pool_cache pool_caches[POOL_MAX_CACHES];
unsigned int pool_ncaches;
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

static int cache_setup(struct pool_cache *k, const char *name, size_t size,
		       size_t align)
{
	unsigned int o, i;
	uint32_t stride;

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
	stride = pool_debug_stride((uint32_t)size, (uint32_t)align);

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
	k->dead = 0;
	for (i = 0; i + 1 < sizeof(k->name) && name && name[i]; i++)
		k->name[i] = name[i];
	k->name[i] = 0;
	return 0;
}

static struct pool_cache *cache_create(const char *name, size_t size,
				       size_t align)
{
	struct pool_cache *k;
	unsigned int id = __atomic_load_n(&pool_ncaches, __ATOMIC_RELAXED);

	if (id >= POOL_MAX_CACHES)
		return NULL;
	k = &pool_caches[id];
	if (cache_setup(k, name, size, align))
		return NULL;
	k->id = (uint8_t)id;
	/* Publish the cache before anyone can see its id. */
	__atomic_store_n(&pool_ncaches, id + 1, __ATOMIC_RELEASE);
	return k;
}

struct pool_cache *pool_cache_create(const char *name, size_t size,
				     size_t align)
{
	if (align > POOL_PAGE_SIZE)
		return NULL;
	return cache_create(name, size, align);
}

void pool_cache_destroy(struct pool_cache *k)
{
	if (k)
		__atomic_store_n(&k->dead, 1, __ATOMIC_RELAXED);
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
				       ? 8 : kmalloc_sizes[i]))
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

static struct pool_page *slab_new(struct pool_ctx *c, struct pool_cache *k)
{
	unsigned int order = k->order;
	struct pool_page *pg = pool_pages_get(c, order);
	uint32_t nobj = k->nobj, i;
	char *base;
	void *fl = NULL;

	if (!pg && k->min_order < order) {
		order = k->min_order;
		pg = pool_pages_get(c, order);
		nobj = (uint32_t)((POOL_PAGE_SIZE << order) / k->stride);
	}
	if (!pg)
		return NULL;
	pool_pages_mark(pg, order, PK_SLAB);
	pool_platform_slab_event(pool_page_to_virt(pg), order, 1);
	pg->cache = k->id;
	pg->owner = c->id;
	pg->nobj = (uint16_t)nobj;
	pg->inuse = 0;
	pg->list = SL_NONE;
	base = pool_page_to_virt(pg);
	for (i = nobj; i-- > 0;) {
		void *obj = base + (size_t)i * k->stride;

		if (POOL_DEBUG)
			pool_debug_slab_init(k, obj);
		pool_obj_set_next(obj, fl);
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
void *pool_slab_alloc_slow(struct pool_ctx *c, struct pool_cache *k)
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
		s = slab_new(c, k);
		if (!s)
			return NULL;
	}
	s->list = SL_CUR;
	cc->cur = s;
	p = s->freelist;
	s->freelist = pool_obj_next(p);
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
	if (cc->nempty >= POOL_KEEP_EMPTY ||
	    __atomic_load_n(&pool_caches[pg->cache].dead, __ATOMIC_RELAXED)) {
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
		    (all || __atomic_load_n(&pool_caches[i].dead,
					    __ATOMIC_RELAXED))) {
			slab_release(c, cc->cur);
			cc->cur = NULL;
		}
	}
}
