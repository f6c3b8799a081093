/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's physical page allocator: a bitmap over all RAM from the first
 * steps of boot, then the per-CPU memory pool (kernel/mm/pool*.c) once
 * pool_boot_init() has handed it the free RAM. Usable from any context.
 */
#ifndef DDEOS_PAGE_ALLOC_H
#define DDEOS_PAGE_ALLOC_H

#include <ddeos/types.h>

struct boot_info;
struct mem_range;

#define PAGE_ALLOC_MAX_ORDER	10

void page_alloc_init(const struct boot_info *bi);

/*
 * Allocate 2^order physically contiguous pages, naturally aligned.
 * Return: the physical address, or 0 when no such run is free.
 * Context: any (IRQs are disabled inside for a bounded scan).
 */
uint64_t page_alloc(unsigned int order);
void page_free(uint64_t pa, unsigned int order);

/* Zeroed pages, returned as direct-map pointers (NULL when out of memory). */
void *page_alloc_zeroed(unsigned int order);
void page_free_virt(void *va, unsigned int order);

/*
 * Pages free in the bitmap and in the pool (its buddy lists and per-CPU page
 * caches), and pages either can ever hand out (the pool's own descriptors
 * excluded). Exact when no CPU is allocating. Context: any.
 */
uint64_t page_alloc_free_pages(void);
uint64_t page_alloc_total_pages(void);

/*
 * Take up to @max of the longest free runs of at least @min_pages pages out
 * of the bitmap, for the pool; @runs gets physical ranges, longest first.
 * Return: how many. Context: boot, before page_alloc_switch_to_pool().
 */
unsigned int page_alloc_take_runs(struct mem_range *runs, unsigned int max,
				  uint64_t min_pages);
/*
 * From now on, serve page_alloc() from the pool and send frees of pages in
 * @runs (as given to the pool) to it. Context: boot, once the pool is ready.
 */
void page_alloc_switch_to_pool(const struct mem_range *runs, unsigned int n);

#endif
