/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The boot-time physical page allocator: a bitmap over all RAM, usable from
 * the first steps of boot and from any context. The per-CPU pool of issue 4
 * (kernel/mm/pool*.c) takes its memory from here.
 */
#ifndef DDEOS_PAGE_ALLOC_H
#define DDEOS_PAGE_ALLOC_H

#include <ddeos/types.h>

struct boot_info;

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

uint64_t page_alloc_free_pages(void);
uint64_t page_alloc_total_pages(void);

#endif
