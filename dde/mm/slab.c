// SPDX-License-Identifier: GPL-2.0-only
/*
 * kmalloc and kmem_cache on the ddeos pool (Linux: mm/slab_common.c,
 * mm/slob.c, include/linux/slab.h). The config selects SLOB, so every
 * kmalloc() whose size is not a constant above a page is a call to
 * __kmalloc(); the pool's size classes are SLUB's x86_64 ones.
 *
 * Objects up to DDEOS_MEM_CLASS_MAX come from the pool's classes and named
 * caches, safe in every context on every CPU. Larger kmalloc()s are
 * compound page blocks, as Linux's kmalloc_large(): kfree() tells the two
 * apart by PG_slab, which only a page-aligned pointer needs to look at.
 */
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <dde/mm.h>

struct kmem_cache {
	struct ddeos_cache *pool;	/* NULL: objects are page blocks */
	unsigned int object_size;	/* as asked */
	unsigned int align;
	unsigned int order;		/* page-block caches */
	slab_flags_t flags;
	void (*ctor)(void *);
	const char *name;
};

/*
 * GFP bits a slab allocation cannot honour: Linux warns and drops them
 * (kmalloc_fix_flags()). Memory below 4 GiB comes from alloc_pages() or the
 * DMA API, as on Linux.
 */
#define SLAB_GFP_BAD	(__GFP_DMA32 | __GFP_HIGHMEM | ~__GFP_BITS_MASK)

static gfp_t fix_slab_gfp(gfp_t gfp, unsigned long caller)
{
	if (unlikely(gfp & SLAB_GFP_BAD)) {
		WARN_ONCE(1, "mm: unexpected gfp %#x for a slab object from %pS; dropping %#x\n",
			  gfp, (void *)caller, gfp & SLAB_GFP_BAD);
		gfp &= ~SLAB_GFP_BAD;
	}
	return gfp;
}

static void *kmalloc_pages(size_t size, gfp_t gfp, unsigned long caller)
{
	struct page *page = dde_alloc_pages(gfp | __GFP_COMP, get_order(size), caller);

	return page ? page_address(page) : NULL;
}

static __always_inline void *do_kmalloc(size_t size, gfp_t gfp, unsigned long caller)
{
	void *p;

	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	gfp = fix_slab_gfp(gfp, caller);
	if (dde_should_fail_alloc(gfp, size))
		return NULL;
	if (unlikely(size > DDEOS_MEM_CLASS_MAX))
		return kmalloc_pages(size, gfp, caller);
	p = ddeos_mem_alloc(size, dde_gfp_to_mem(gfp, caller), caller);
	if (unlikely(!p))
		dde_alloc_failed("kmalloc", size, gfp, caller);
	return p;
}

void *__kmalloc(size_t size, gfp_t gfp)
{
	return do_kmalloc(size, gfp, _RET_IP_);
}

void *__kmalloc_node(size_t size, gfp_t gfp, int node)
{
	return do_kmalloc(size, gfp, _RET_IP_);
}

void *__kmalloc_node_track_caller(size_t size, gfp_t gfp, int node,
				  unsigned long caller)
{
	return do_kmalloc(size, gfp, caller);
}

void *kmalloc_large(size_t size, gfp_t gfp)
{
	return kmalloc_pages(size, fix_slab_gfp(gfp, _RET_IP_), _RET_IP_);
}

void *kmalloc_large_node(size_t size, gfp_t gfp, int node)
{
	return kmalloc_pages(size, fix_slab_gfp(gfp, _RET_IP_), _RET_IP_);
}

/* The compound block of a large kmalloc, or NULL for a pool object. */
static struct folio *large_folio(const void *p)
{
	struct folio *folio;

	if (likely(offset_in_page(p)))
		return NULL;	/* page blocks start on a page */
	folio = virt_to_folio(p);
	return folio_test_slab(folio) ? NULL : folio;
}

void kfree(const void *p)
{
	struct folio *folio;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return;
	folio = large_folio(p);
	if (unlikely(folio)) {
		WARN_ONCE(!folio_test_large(folio),
			  "kfree(%px) from %pS: a single page, not a kmalloc object\n",
			  p, (void *)_RET_IP_);
		__free_pages(&folio->page, folio_order(folio));
		return;
	}
	ddeos_mem_free((void *)p, _RET_IP_);
}

size_t __ksize(const void *p)
{
	struct folio *folio;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return 0;
	folio = large_folio(p);
	if (folio)
		return folio_size(folio);
	return ddeos_mem_ksize(p);
}

size_t ksize(const void *p)
{
	return __ksize(p);
}

void kfree_sensitive(const void *p)
{
	size_t ks = ksize(p);

	if (ks)
		memzero_explicit((void *)p, ks);
	kfree(p);
}

/* Grow in place when the usable size allows; otherwise copy, as Linux. */
void *krealloc(const void *p, size_t new_size, gfp_t gfp)
{
	size_t ks;
	void *q;

	if (unlikely(!new_size)) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	ks = ksize(p);
	if (ks >= new_size)
		return (void *)p;
	q = do_kmalloc(new_size, gfp, _RET_IP_);
	if (q && ks)
		memcpy(q, p, ks);
	if (q)
		kfree(p);
	return q;
}

bool slab_is_available(void)
{
	return true;	/* the pool is up before any Linux code runs */
}

/* ---- named caches ---------------------------------------------------------- */

/* As SLUB's calculate_alignment(): cache-line alignment, but small objects
 * may share a line at a power-of-two fraction of it. */
static unsigned int cache_align(slab_flags_t flags, unsigned int align,
				unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = cache_line_size();

		while (size <= ralign / 2)
			ralign /= 2;
		align = max(align, ralign);
	}
	return max_t(unsigned int, align, ARCH_SLAB_MINALIGN);
}

struct kmem_cache *kmem_cache_create_usercopy(const char *name, unsigned int size,
					      unsigned int align, slab_flags_t flags,
					      unsigned int useroffset,
					      unsigned int usersize,
					      void (*ctor)(void *))
{
	struct kmem_cache *s;

	might_sleep();
	if (flags & SLAB_TYPESAFE_BY_RCU) {
		/* Its slabs may only go back to the page allocator after an RCU
		 * grace period; the pool gives slab pages back at once. */
		pr_err("kmem_cache_create(%s): SLAB_TYPESAFE_BY_RCU is not supported by the DDE (slab pages are reused without a grace period), from %pS\n",
		       name, (void *)_RET_IP_);
		return NULL;
	}
	if (!name || !size || (align & (align - 1))) {
		pr_err("kmem_cache_create(%s): bad arguments size %u align %u, from %pS\n",
		       name ?: "(null)", size, align, (void *)_RET_IP_);
		return NULL;
	}
	if (size > DDEOS_MEM_CLASS_MAX && ctor) {
		pr_err("kmem_cache_create(%s): a constructor needs objects of at most %d bytes (asked %u), from %pS\n",
		       name, DDEOS_MEM_CLASS_MAX, size, (void *)_RET_IP_);
		return NULL;
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return NULL;
	s->name = name;
	s->object_size = size;
	s->flags = flags;
	s->ctor = ctor;
	s->align = cache_align(flags, align, size);
	if (size <= DDEOS_MEM_CLASS_MAX) {
		s->pool = ddeos_cache_create(name, size, s->align, ctor);
		if (!s->pool) {
			pr_err("kmem_cache_create(%s): the pool has no cache left for size %u align %u, from %pS\n",
			       name, size, s->align, (void *)_RET_IP_);
			kfree(s);
			return NULL;
		}
	} else {
		s->order = get_order(size);
	}
	return s;
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *))
{
	struct kmem_cache *s = kmem_cache_create_usercopy(name, size, align, flags,
							  0, 0, ctor);

	if (!s && (flags & SLAB_PANIC))	/* the caller has no error path */
		panic("kmem_cache_create(%s) failed, SLAB_PANIC\n", name);
	return s;
}

/*
 * As SLUB: a cache destroyed with objects still in use is reported with the
 * caller and kept (its objects stay valid); otherwise its pool slot is free
 * for the next kmem_cache_create(). Context: thread, may sleep.
 */
void kmem_cache_destroy(struct kmem_cache *s)
{
	unsigned long in_use;

	if (!s)
		return;
	might_sleep();
	if (s->pool) {
		in_use = ddeos_cache_destroy(s->pool);
		if (in_use) {
			pr_err("kmem_cache_destroy %s: Slab cache still has %lu objects in use, called from %pS; the cache is kept\n",
			       s->name, in_use, (void *)_RET_IP_);
			ddeos_backtrace_here();
			return;
		}
	}
	kfree(s);
}

int kmem_cache_shrink(struct kmem_cache *s)
{
	return 0;	/* the pool gives empty slabs back at its ticks */
}

unsigned int kmem_cache_size(struct kmem_cache *s)
{
	return s->object_size;
}

static __always_inline void *cache_alloc(struct kmem_cache *s, gfp_t gfp,
					 unsigned long caller)
{
	void *p;

	gfp = fix_slab_gfp(gfp, caller);
	if (dde_should_fail_alloc(gfp, s->object_size))
		return NULL;
	if (likely(s->pool))
		p = ddeos_cache_alloc(s->pool, dde_gfp_to_mem(gfp, caller));
	else
		p = kmalloc_pages(s->object_size, gfp, caller);
	if (unlikely(!p))
		dde_alloc_failed(s->name, s->object_size, gfp, caller);
	return p;
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return cache_alloc(s, gfp, _RET_IP_);
}

void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfp, int node)
{
	return cache_alloc(s, gfp, _RET_IP_);
}

void *kmem_cache_alloc_lru(struct kmem_cache *s, struct list_lru *lru, gfp_t gfp)
{
	return cache_alloc(s, gfp, _RET_IP_);
}

void kmem_cache_free(struct kmem_cache *s, void *p)
{
	if (unlikely(!p))
		return;
	if (likely(s->pool))
		ddeos_cache_free(s->pool, p);
	else
		__free_pages(virt_to_page(p), s->order);
}

/* A NULL cache means kmalloc objects (kfree_bulk()). */
void kmem_cache_free_bulk(struct kmem_cache *s, size_t nr, void **p)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		if (s)
			kmem_cache_free(s, p[i]);
		else
			kfree(p[i]);
	}
}

/* All or nothing: on failure what was taken is given back and 0 returned. */
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t gfp, size_t nr, void **p)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		p[i] = cache_alloc(s, gfp, _RET_IP_);
		if (unlikely(!p[i])) {
			kmem_cache_free_bulk(s, i, p);
			return 0;
		}
	}
	return nr;
}
