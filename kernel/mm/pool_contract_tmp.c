// SPDX-License-Identifier: GPL-2.0-only
/* TEMPORARY: weak stand-ins for the pool API being added in branch `pool`;
 * deleted when it merges. Each is loud. */
#include <ddeos/mm.h>
#include <ddeos/panic.h>
#include "pool_contract_tmp.h"

__attribute__((weak)) struct pool_cache *pool_cache_create_ctor(const char *name, size_t size,
				     size_t align, void (*ctor)(void *))
{
	if (ctor)
		kpanic("pool: constructors not yet");
	return pool_cache_create(name, size, align);
}

__attribute__((weak)) void pool_page_split(void *addr, unsigned int order)
{
	kpanic("pool: split not yet");
}

__attribute__((weak)) size_t pool_boot_cache_destroy(struct pool_cache *k)
{
	pool_boot_drain_all();
	pool_cache_destroy(k);
	return 0;
}

static void (*slab_hook)(void *base, unsigned int order, int created);

__attribute__((weak)) void pool_boot_set_slab_hook(void (*hook)(void *base, unsigned int order, int created))
{
	slab_hook = hook;
}

__attribute__((weak)) void pool_platform_slab_event(void *base, unsigned int order, int created)
{
	if (slab_hook)
		slab_hook(base, order, created);
}
