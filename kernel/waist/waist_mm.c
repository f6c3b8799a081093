// SPDX-License-Identifier: GPL-2.0-only
/*
 * The waist's memory entries: the DDE's kmalloc, kmem_cache and page
 * allocator reach the per-CPU pool (kernel/mm/pool.h) through these. Each
 * is a thin forward, so Linux's kmalloc() costs one call more than the
 * pool's own; the flag values are the pool's, checked below, so nothing is
 * translated on the way.
 */
#include <ddeos/boot.h>
#include <ddeos/mm.h>
#include <ddeos/page_alloc.h>
#include <ddeos/percpu.h>
#include <ddeos/sched.h>
#include "../mm/pool.h"
#include "ddeos_waist.h"

_Static_assert(DDEOS_MEM_SLEEP == POOL_SLEEP && DDEOS_MEM_ZERO == POOL_ZERO &&
	       DDEOS_MEM_DMA32 == POOL_DMA32, "waist flags are the pool's");
_Static_assert(DDEOS_MEM_CLASS_MAX == POOL_KMALLOC_MAX &&
	       DDEOS_MEM_MAX_ORDER == POOL_MAX_ORDER, "waist limits are the pool's");

void *ddeos_mem_alloc(unsigned long size, unsigned int flags, unsigned long caller)
{
	return pool_alloc_caller(size, flags, caller);
}

void ddeos_mem_free(void *p, unsigned long caller)
{
	pool_free_caller(p, caller);
}

unsigned long long ddeos_mem_phys_end(void)
{
	return boot_info.max_phys;
}

unsigned long ddeos_mem_ksize(const void *p)
{
	return pool_ksize(p);
}

void *ddeos_pages_alloc(unsigned int order, unsigned int flags)
{
	return pool_page_alloc(order, flags);
}

void ddeos_pages_free(void *addr, unsigned int order)
{
	pool_page_free(addr, order);
}

void ddeos_pages_split(void *addr, unsigned int order)
{
	pool_page_split(addr, order);
}

struct ddeos_cache *ddeos_cache_create(const char *name, unsigned long size,
				       unsigned long align, void (*ctor)(void *))
{
	return (struct ddeos_cache *)pool_cache_create_ctor(name, size, align, ctor);
}

unsigned long ddeos_cache_destroy(struct ddeos_cache *c)
{
	return pool_boot_cache_destroy((struct pool_cache *)c);
}

void *ddeos_cache_alloc(struct ddeos_cache *c, unsigned int flags)
{
	return pool_cache_alloc((struct pool_cache *)c, flags);
}

void ddeos_cache_free(struct ddeos_cache *c, void *p)
{
	pool_cache_free((struct pool_cache *)c, p);
}

unsigned long ddeos_percpu_alloc(unsigned long size, unsigned long align)
{
	return percpu_alloc(size, align);
}

void ddeos_percpu_free(unsigned long ptr)
{
	percpu_free(ptr);
}

void ddeos_mem_quiesce(struct ddeos_mem_totals *t)
{
	struct pool_totals pt;

	thread_reap_wait();	/* exited threads' stacks back first */
	pool_boot_drain_all();
	pool_get_totals(&pt);
	t->pages_free = pt.pages_free + pt.pages_cached;
	t->pages_total = pt.pages_total;
	t->objects_in_use = pt.objects_in_use;
	t->pages_slab = pt.pages_slab;
}
