// SPDX-License-Identifier: GPL-2.0-only
/*
 * Linux's page allocator API on the ddeos pool (Linux: mm/page_alloc.c,
 * mm/swap.c for __folio_put, include/linux/gfp.h).
 *
 * The pool owns the pages; Linux's struct page array at VMEMMAP_START
 * (mapped by the kernel for every RAM page) carries what Linux inlines read:
 * the refcount, the compound head/order, PG_slab. Who keeps what, so that
 * nothing is kept twice:
 *   - the refcount lives only in struct page (the pool has none): the put
 *     that takes it to zero hands the block back to the pool, exactly once;
 *   - a block's order lives in the pool's descriptor; for compound pages
 *     Linux also reads it from page[1] (compound_order), written from the
 *     same value at allocation and checked against the caller at free;
 *   - PG_slab follows the pool's slab life cycle through the slab hook.
 * A struct page is all zero while its page is free, so a stale head or
 * flag can never describe a later owner.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/page_ref.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <dde/mm.h>

static_assert(sizeof(struct page) == DDEOS_STRUCT_PAGE_SIZE,
	      "the kernel maps DDEOS_STRUCT_PAGE_SIZE bytes per page");
static_assert(MAX_ORDER - 1 == DDEOS_MEM_MAX_ORDER,
	      "Linux's largest order is the pool's");

unsigned int dde_gfp_to_mem(gfp_t gfp, unsigned long caller)
{
	unsigned int f = 0;

	if (gfp & __GFP_ZERO)
		f |= DDEOS_MEM_ZERO;
	if (gfp & __GFP_DMA32)
		f |= DDEOS_MEM_DMA32;
	if (gfpflags_allow_blocking(gfp)) {
		if (likely(preemptible()))
			f |= DDEOS_MEM_SLEEP;
		else
			WARN_ONCE(1, "mm: sleeping allocation (gfp %#x) in atomic context from %pS; served without sleeping\n",
				  gfp, (void *)caller);
	}
	return f;
}

void dde_alloc_failed(const char *what, unsigned long size, gfp_t gfp,
		      unsigned long caller)
{
	static DEFINE_RATELIMIT_STATE(rs, 5 * HZ, 10);

	if ((gfp & __GFP_NOWARN) || !__ratelimit(&rs))
		return;
	pr_warn("%pS: %s allocation failure: %lu bytes, mode:%#x, cpu %d, preempt_count %#x\n",
		(void *)caller, what, size, gfp, raw_smp_processor_id(),
		preempt_count());
	ddeos_backtrace_here();
}

/* The struct pages of a fresh block, as post_alloc_hook() and
 * prep_compound_page() leave them (a free page's struct page is zero). */
static void prep_new_block(struct page *page, unsigned int order, gfp_t gfp)
{
	unsigned int i, n = 1u << order;

	set_page_count(page, 1);
	if (!(gfp & __GFP_COMP) || !order)
		return;
	__SetPageHead(page);
	for (i = 1; i < n; i++)
		set_compound_head(page + i, page);
	page[1].compound_dtor = COMPOUND_PAGE_DTOR;
	set_compound_order(page, order);
	atomic_set(compound_mapcount_ptr(page), -1);
	atomic_set(compound_pincount_ptr(page), 0);
}

/* Back to all-zero; only the words prep_new_block() and users may set. */
static void clear_block(struct page *page, unsigned int order)
{
	unsigned int i, n = 1u << order;

	if (PageHead(page)) {
		for (i = 1; i < n; i++)
			page[i].compound_head = 0;
		page[1].compound_dtor = 0;
		page[1].compound_order = 0;
		page[1].compound_nr = 0;
		atomic_set(compound_mapcount_ptr(page), 0);
		atomic_set(compound_pincount_ptr(page), 0);
	}
	page->flags = 0;
	page->private = 0;
	page->mapping = NULL;
	page->lru.next = NULL;
	page->lru.prev = NULL;
}

struct page *dde_alloc_pages(gfp_t gfp, unsigned int order, unsigned long caller)
{
	void *va;

	if (unlikely(order > DDEOS_MEM_MAX_ORDER)) {
		if (!(gfp & __GFP_NOWARN))
			WARN(1, "mm: order %u from %pS is above the largest block (order %d)\n",
			     order, (void *)caller, DDEOS_MEM_MAX_ORDER);
		return NULL;
	}
	if (unlikely(gfp & __GFP_DMA)) {
		/* ISA DMA (below 16 MiB) has no zone here: refuse, loudly. */
		WARN_ONCE(1, "mm: GFP_DMA from %pS: no ZONE_DMA in ddeos (use GFP_DMA32)\n",
			  (void *)caller);
		return NULL;
	}
	if (dde_should_fail_alloc(gfp, PAGE_SIZE << order))
		return NULL;
	va = ddeos_pages_alloc(order, dde_gfp_to_mem(gfp, caller));
	if (unlikely(!va)) {
		dde_alloc_failed("page", PAGE_SIZE << order, gfp, caller);
		return NULL;
	}
	prep_new_block(virt_to_page(va), order, gfp);
	return virt_to_page(va);
}

void dde_free_pages_block(struct page *page, unsigned int order)
{
	if (WARN(page_ref_count(page) || PageSlab(page),
		 "mm: freeing page %px (pfn %#lx) with refcount %d%s\n", page,
		 page_to_pfn(page), page_ref_count(page),
		 PageSlab(page) ? ", a slab page" : ""))
		return;	/* leak it rather than corrupt the pool */
	clear_block(page, order);
	ddeos_pages_free(page_address(page), order);
}

struct page *__alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid,
			   nodemask_t *nodemask)
{
	return dde_alloc_pages(gfp, order, _RET_IP_);
}

struct folio *__folio_alloc(gfp_t gfp, unsigned int order, int preferred_nid,
			    nodemask_t *nodemask)
{
	return (struct folio *)dde_alloc_pages(gfp | __GFP_COMP, order, _RET_IP_);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = dde_alloc_pages(gfp & ~__GFP_HIGHMEM, order, _RET_IP_);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	struct page *page = dde_alloc_pages(gfp | __GFP_ZERO, 0, _RET_IP_);

	return page ? (unsigned long)page_address(page) : 0;
}

/*
 * As Linux: the last reference frees the whole block. If others still
 * hold the first page of a non-compound block, the pages they cannot
 * reach are freed now and the first page when its last user puts it.
 */
void __free_pages(struct page *page, unsigned int order)
{
	if (put_page_testzero(page)) {
		WARN(PageHead(page) && compound_order(page) != order,
		     "mm: __free_pages order %u of a compound page of order %u\n",
		     order, compound_order(page));
		dde_free_pages_block(page, PageHead(page) ? compound_order(page) : order);
	} else if (!PageHead(page) && order) {
		unsigned int i;

		ddeos_pages_split(page_address(page), order);
		for (i = 1; i < (1u << order); i++)
			ddeos_pages_free(page_address(page + i), 0);
	}
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr) {
		VM_BUG_ON(!virt_addr_valid((void *)addr));
		__free_pages(virt_to_page((void *)addr), order);
	}
}

/* The refcount of a folio reached zero (put_page, folio_put). */
void __folio_put(struct folio *folio)
{
	dde_free_pages_block(&folio->page, folio_order(folio));
}

/* A non-compound block of 2^order pages becomes 2^order order-0 pages,
 * each with a reference, each freed on its own. */
void split_page(struct page *page, unsigned int order)
{
	unsigned int i;

	VM_BUG_ON_PAGE(PageCompound(page), page);
	VM_BUG_ON_PAGE(!page_count(page), page);
	for (i = 1; i < (1u << order); i++)
		set_page_count(page + i, 1);
	ddeos_pages_split(page_address(page), order);
}

/* Exactly PAGE_ALIGN(size) bytes: the rest of the block is given back. */
void *alloc_pages_exact(size_t size, gfp_t gfp)
{
	unsigned int order = get_order(size);
	unsigned long addr, end, used;
	struct page *page;

	if (WARN_ON_ONCE(gfp & __GFP_COMP))
		gfp &= ~__GFP_COMP;
	page = dde_alloc_pages(gfp, order, _RET_IP_);
	if (!page)
		return NULL;
	addr = (unsigned long)page_address(page);
	split_page(page, order);
	end = addr + (PAGE_SIZE << order);
	for (used = addr + PAGE_ALIGN(size); used < end; used += PAGE_SIZE)
		free_page(used);
	return (void *)addr;
}

void free_pages_exact(void *virt, size_t size)
{
	unsigned long addr = (unsigned long)virt;
	unsigned long end = addr + PAGE_ALIGN(size);

	for (; addr < end; addr += PAGE_SIZE)
		free_page(addr);
}

/*
 * The pool made (@created) or unmade a slab of 2^order pages at @base:
 * PG_slab on its head and, for several pages, compound heads as SLUB's
 * slabs have, so virt_to_head_page() of any object finds the slab.
 * Context: any (the pool's, on the slab's owning CPU), from early boot on.
 */
void ddeos_dde_slab_event(void *base, unsigned int order, int created)
{
	struct page *page = virt_to_page(base);

	if (created) {
		prep_new_block(page, order, order ? __GFP_COMP : 0);
		set_page_count(page, 0);	/* slabs are not refcounted */
		__SetPageSlab(page);
	} else {
		clear_block(page, order);
	}
}
