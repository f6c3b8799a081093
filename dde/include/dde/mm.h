/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the DDE's memory files (dde/mm/, dde/kernel/dma/, dde/net/core/)
 * share: GFP flags turned into pool flags, the allocation-failure warning,
 * and the page-block primitives that keep Linux's struct page right.
 */
#ifndef DDE_MM_H
#define DDE_MM_H

#include <linux/gfp.h>
#include <linux/mm_types.h>
#include <dde/dde.h>

/*
 * gfp -> DDEOS_MEM_* flags. GFP_KERNEL (direct reclaim allowed) may sleep;
 * asked for where sleeping is impossible, it warns once with the caller and
 * is served atomically rather than sleeping in atomic context.
 * Context: any.
 */
unsigned int dde_gfp_to_mem(gfp_t gfp, unsigned long caller);

/*
 * Report a failed allocation as Linux's warn_alloc() does, unless
 * __GFP_NOWARN: what, how much, the GFP mode and the caller, with a
 * backtrace; rate-limited. Context: any.
 */
void dde_alloc_failed(const char *what, unsigned long size, gfp_t gfp,
		      unsigned long caller);

/*
 * Failure injection (dde/mm/fault_inject.c): whether to fail an allocation
 * of @size bytes; one load when injection is off. Context: any.
 */
extern bool dde_fail_alloc_armed;
bool dde_should_fail_alloc_slow(gfp_t gfp, size_t size);
static inline bool dde_should_fail_alloc(gfp_t gfp, size_t size)
{
	return unlikely(READ_ONCE(dde_fail_alloc_armed)) && dde_should_fail_alloc_slow(gfp, size);
}
/* The thread probing drivers opens and closes the window. */
void dde_fail_alloc_window(bool open);
/* Around one probe: a failed one must give back all it took. */
struct dde_probe_mark {
	bool taken;
	struct ddeos_mem_totals before;
};
void dde_fail_alloc_probe_begin(struct dde_probe_mark *mark);
void dde_fail_alloc_probe_failed(struct dde_probe_mark *mark, const char *name, int err);

/* Page blocks with their struct pages set up as Linux's page allocator
 * leaves them (dde/mm/page_alloc.c). Context: any (as @gfp allows). */
struct page *dde_alloc_pages(gfp_t gfp, unsigned int order, unsigned long caller);
/* Give back a block whose refcount reached zero. Context: any. */
void dde_free_pages_block(struct page *page, unsigned int order);

#endif
