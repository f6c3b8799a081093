// SPDX-License-Identifier: GPL-2.0-only
/*
 * Debug checks of the memory pool, compiled in with -DPOOL_DEBUG=1:
 * poisoning of free objects, red zones after objects, and detection of
 * double frees, frees of pointers into the middle of an object and writes
 * after free, each reported through pool_platform_report() with the
 * caller's address and the object's owner CPU. Without POOL_DEBUG only the
 * layout helper and the reporter are used.
 *
 * Layout of an object slot in a debug build, at the cache's stride:
 *
 *   [ object: size bytes ][ red zone >= 16 bytes ][ struct pool_dbg ][ pad ]
 *
 * A free object is POISON_FREE in every byte, word 0 included (a list head
 * or refcount written after free is the commonest use-after-free); its
 * free-list link is the trailer's first word (->link). Objects of a cache
 * with a constructor are never poisoned: they keep their constructed state
 * while free; their red zone and trailer are checked as for any other.
 * An allocated object's bytes between the size asked for and the
 * usable size are red zone too (pool_ksize() gives them to the caller).
 * The trailer's state word changes with an atomic exchange, so of two
 * racing frees of one object, on any CPUs, exactly one sees ALLOC.
 */
#include "pool_internal.h"

#define POISON_FREE 0x6b
#define REDZONE 0xbb
#define RZ_MIN 16
#define STATE_FREE 0xf4eef4eef4eef4eeULL
#define STATE_ALLOC 0xa110ca7eda110ca7ULL

struct pool_dbg {
	void *link;			/* free list / remote chains */
	uint64_t state;
	uintptr_t alloc_ip;
	uintptr_t free_ip;
	uint32_t req;			/* bytes the caller may use */
	uint16_t alloc_cpu;
	uint16_t free_cpu;
};

static uint32_t dbg_offset(uint32_t size)
{
	return (size + RZ_MIN + 7) & ~7u;
}

static struct pool_dbg *dbg_of(const struct pool_cache *k, void *obj)
{
	return (struct pool_dbg *)((char *)obj + dbg_offset(k->size));
}

/*
 * Distance between objects of @size and @align, debug fields included, and
 * where in a slot the free link lives: word 0, or (constructor caches, debug
 * build) after the object, as SLUB keeps its free pointer.
 */
uint32_t pool_debug_stride(uint32_t size, uint32_t align, bool ctor,
			   uint16_t *link_off)
{
	uint32_t need = size;

	*link_off = 0;
	if (POOL_DEBUG) {
		need = dbg_offset(size) + (uint32_t)sizeof(struct pool_dbg);
		*link_off = (uint16_t)dbg_offset(size);
	} else if (ctor) {
		*link_off = (uint16_t)((size + 7) & ~7u);
		need = *link_off + (uint32_t)sizeof(void *);
	}
	return (need + align - 1) & ~(align - 1);
}

void pool_report(const char *what, const void *p, uintptr_t ip, int owner_cpu,
		 uintptr_t alloc_ip)
{
	char msg[192];

	pool_format(msg, sizeof(msg),
		    "pool: %s %p: caller %p, owner cpu %d, allocated by %p",
		    what, p, (void *)ip, owner_cpu, (void *)alloc_ip);
	pool_platform_report(msg);
}

/* First byte in [from, to) of @obj that is not @val, or -1. */
static long find_not(const void *obj, uint32_t from, uint32_t to, int val)
{
	const unsigned char *b = obj;
	uint32_t i;

	for (i = from; i < to; i++) {
		if (b[i] != (unsigned char)val)
			return (long)i;
	}
	return -1;
}

void pool_debug_slab_init(const struct pool_cache *k, void *obj)
{
	struct pool_dbg *d = dbg_of(k, obj);

	if (!k->ctor)
		memset(obj, POISON_FREE, k->size);
	memset((char *)obj + k->size, REDZONE, dbg_offset(k->size) - k->size);
	memset(d, 0, sizeof(*d));
	__atomic_store_n(&d->state, STATE_FREE, __ATOMIC_RELAXED);
}

void pool_debug_on_alloc(const struct pool_cache *k, void *obj, size_t req,
			 uintptr_t ip, unsigned int cpu)
{
	struct pool_dbg *d = dbg_of(k, obj);
	uint32_t rz_end = dbg_offset(k->size);
	int owner = pool_virt_to_page(obj)->head->owner / POOL_NEST;

	if (__atomic_load_n(&d->state, __ATOMIC_RELAXED) != STATE_FREE)
		pool_report("allocated object was not free (corrupt free list)",
			    obj, ip, owner, d->alloc_ip);
	if (!k->ctor && find_not(obj, 0, k->size, POISON_FREE) >= 0)
		pool_report("object written after free", obj, d->free_ip,
			    owner, d->alloc_ip);
	if (find_not(obj, k->size, rz_end, REDZONE) >= 0)
		pool_report("red zone of free object overwritten", obj,
			    d->free_ip, owner, d->alloc_ip);
	d->alloc_ip = ip;
	d->free_ip = 0;
	d->req = (uint32_t)req;
	d->alloc_cpu = (uint16_t)cpu;
	memset((char *)obj + req, REDZONE, k->size - req);
	__atomic_store_n(&d->state, STATE_ALLOC, __ATOMIC_RELAXED);
}

void pool_debug_set_size(const struct pool_cache *k, void *obj, size_t req)
{
	dbg_of(k, obj)->req = (uint32_t)req;
}

/*
 * pool_debug_on_free() - check a free of @obj in slab @pg.
 *
 * Return: true to go on with the free, false to refuse it (reported; the
 * object is leaked rather than corrupting the pool).
 */
bool pool_debug_on_free(const struct pool_cache *k, struct pool_page *pg,
			void *obj, uintptr_t ip)
{
	uintptr_t off = (uintptr_t)obj - (uintptr_t)pool_page_to_virt(pg);
	int owner = pg->owner / POOL_NEST;
	struct pool_dbg *d;
	uint64_t old;

	if (off % k->stride || off / k->stride >= pg->nobj) {
		pool_report("free of a pointer that is not an object", obj, ip,
			    owner, 0);
		return false;
	}
	d = dbg_of(k, obj);
	old = __atomic_exchange_n(&d->state, STATE_FREE, __ATOMIC_RELAXED);
	if (old == STATE_FREE) {
		pool_report("double free of", obj, ip, owner, d->alloc_ip);
		return false;
	}
	if (old != STATE_ALLOC) {
		pool_report("free of object with corrupt debug trailer", obj,
			    ip, owner, 0);
		return false;
	}
	if (d->req > k->size ||
	    find_not(obj, d->req, dbg_offset(k->size), REDZONE) >= 0)
		pool_report("red zone overwritten (buffer overflow) in", obj,
			    ip, owner, d->alloc_ip);
	d->free_ip = ip;
	if (!k->ctor)
		memset(obj, POISON_FREE, k->size);
	memset((char *)obj + k->size, REDZONE, dbg_offset(k->size) - k->size);
	return true;
}
