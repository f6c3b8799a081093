/* SPDX-License-Identifier: GPL-2.0-only */
/* TEMPORARY: the pool API being added in branch `pool`; deleted at merge. */
#ifndef POOL_CONTRACT_TMP_H
#define POOL_CONTRACT_TMP_H
#include "pool.h"
#ifndef POOL_DMA32
#define POOL_DMA32 (1u << 2)
#endif
struct pool_cache *pool_cache_create_ctor(const char *name, size_t size,
				     size_t align, void (*ctor)(void *));
void pool_page_split(void *addr, unsigned int order);
size_t pool_boot_cache_destroy(struct pool_cache *k);
void pool_boot_set_slab_hook(void (*hook)(void *base, unsigned int order, int created));
#endif
