/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtual address layout, Linux 6.1 x86_64 with 4-level paging and no
 * KASLR (Documentation/x86/x86_64/mm.rst), so that __pa(), __va(),
 * virt_to_page() and page_address() in Linux headers compute our addresses.
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define KERNEL_VMA	0xffffffff80000000	/* __START_KERNEL_map */
#define PAGE_OFFSET_VA	0xffff888000000000	/* direct map of all RAM */
#define STACKS_VA	0xffffc90000000000	/* guarded stacks (Linux's vmalloc
						   area, where VMAP_STACK puts them) */
#define STACKS_END_VA	0xffffd90000000000	/* the lower 16 TiB of it */
#define IOREMAP_VA	0xffffd90000000000	/* ioremap: the upper 16 TiB of */
#define IOREMAP_END_VA	0xffffe90000000000	/* Linux's vmalloc area */
#define PERCPU_VA	0xffffe90000000000	/* per-CPU areas, one per stride */
#define PERCPU_STRIDE	0x40000000ul		/* 1 GiB between CPUs' areas */
#define VMEMMAP_VA	0xffffea0000000000	/* struct page array */
#define VMEMMAP_END_VA	0xffffeb0000000000
#define PAGE_SIZE	4096
#define PAGE_SHIFT	12

#ifndef __ASSEMBLY__
#include <ddeos/types.h>

static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(pa + PAGE_OFFSET_VA);
}

static inline uint64_t virt_to_phys(const void *va)
{
	uint64_t v = (uint64_t)va;

	if (v >= KERNEL_VMA)
		return v - KERNEL_VMA;
	return v - PAGE_OFFSET_VA;
}
#endif

#endif
