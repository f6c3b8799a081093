// SPDX-License-Identifier: GPL-2.0-only
/*
 * Page fragments (Linux: page_frag_alloc_align() and friends in
 * mm/page_alloc.c; skb_page_frag_refill() in net/core/sock.c). This is the
 * network receive pattern: a CPU carves fragments out of a compound block
 * in softirq, each fragment holds a reference on the block, and whoever
 * frees a fragment (any CPU, any context) drops one; the last drop frees
 * the block, once, through __folio_put().
 *
 * The cache keeps a reference bias so that carving does not touch the
 * page's refcount: it takes PAGE_FRAG_CACHE_MAX_SIZE references up front,
 * hands one to each fragment by lowering its bias, and when the block is
 * used up gives back the unhanded ones in one subtraction. If that drops
 * the count to zero every fragment is already free and the block is reused
 * in place.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/page_ref.h>
#include <linux/skbuff.h>
#include <net/sock.h>
#include <dde/mm.h>

#define FRAG_BIAS_MAX	PAGE_FRAG_CACHE_MAX_SIZE

static struct page *frag_block(gfp_t gfp, unsigned int order, unsigned long caller)
{
	/* The big block is a wish: no warning, no reclaim for it. */
	gfp_t big = (gfp & ~__GFP_DIRECT_RECLAIM) | __GFP_COMP | __GFP_NOWARN |
		    __GFP_NORETRY | __GFP_NOMEMALLOC;
	struct page *page = dde_alloc_pages(big, order, caller);

	return page ?: dde_alloc_pages(gfp, 0, caller);
}

static struct page *frag_cache_refill(struct page_frag_cache *nc, gfp_t gfp,
				      unsigned long caller)
{
	struct page *page = frag_block(gfp, PAGE_FRAG_CACHE_MAX_ORDER, caller);

	nc->va = page ? page_address(page) : NULL;
	if (page)
		nc->size = page_size(page);
	return page;
}

void *page_frag_alloc_align(struct page_frag_cache *nc, unsigned int fragsz,
			    gfp_t gfp, unsigned int align_mask)
{
	struct page *page;
	int offset;

	if (unlikely(!nc->va)) {
refill:
		page = frag_cache_refill(nc, gfp, _RET_IP_);
		if (!page)
			return NULL;
		page_ref_add(page, FRAG_BIAS_MAX);
		nc->pfmemalloc = page_is_pfmemalloc(page);
		nc->pagecnt_bias = FRAG_BIAS_MAX + 1;
		nc->offset = nc->size;
	}
	offset = nc->offset - fragsz;
	if (unlikely(offset < 0)) {
		page = virt_to_page(nc->va);
		/* Are all handed-out fragments back? Then reuse the block. */
		if (!page_ref_sub_and_test(page, nc->pagecnt_bias))
			goto refill;
		if (unlikely(nc->pfmemalloc)) {
			dde_free_pages_block(page, compound_order(page));
			goto refill;
		}
		set_page_count(page, FRAG_BIAS_MAX + 1);
		nc->pagecnt_bias = FRAG_BIAS_MAX + 1;
		offset = nc->size - fragsz;
		if (unlikely(offset < 0)) {
			/* Larger than the block: the caller's bug, as Linux. */
			WARN_ONCE(1, "page_frag_alloc: fragment of %u bytes from %pS does not fit a %u-byte block\n",
				  fragsz, (void *)_RET_IP_, nc->size);
			return NULL;
		}
	}
	nc->pagecnt_bias--;
	offset &= align_mask;
	nc->offset = offset;
	return nc->va + offset;
}

/* Drop the cache's remaining @count references on @page. */
void __page_frag_cache_drain(struct page *page, unsigned int count)
{
	VM_BUG_ON_PAGE(page_ref_count(page) == 0, page);
	if (page_ref_sub_and_test(page, count))
		dde_free_pages_block(page, compound_order(page));
}

/* A fragment's reference. Context: any, on any CPU. */
void page_frag_free(void *addr)
{
	struct page *page = virt_to_head_page(addr);

	if (unlikely(put_page_testzero(page)))
		dde_free_pages_block(page, compound_order(page));
}

/*
 * Make @pfrag hold at least @sz free bytes: keep the page if we are its
 * only user (start over) or it has room; otherwise drop it for a new one,
 * a 32 KiB compound block if one is at hand, else a single page.
 */
bool skb_page_frag_refill(unsigned int sz, struct page_frag *pfrag, gfp_t gfp)
{
	if (pfrag->page) {
		if (page_ref_count(pfrag->page) == 1) {
			pfrag->offset = 0;
			return true;
		}
		if (pfrag->offset + sz <= pfrag->size)
			return true;
		put_page(pfrag->page);
	}
	pfrag->offset = 0;
	pfrag->page = frag_block(gfp, SKB_FRAG_PAGE_ORDER, _RET_IP_);
	if (!pfrag->page)
		return false;
	pfrag->size = page_size(pfrag->page);
	return true;
}
