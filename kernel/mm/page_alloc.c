// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel's page allocator interface (page_alloc/page_free), served by
 * a boot bitmap until the memory pool takes over, then by the pool.
 *
 * Boot bitmap. Physical pages, one bit each (1 = in use, not RAM, or given
 * to the pool), over [0, max_phys). The bitmap lives at the start of the
 * first RAM range that can hold it, which is inside the first GiB that
 * boot.S maps, so it works before the full direct map exists. Allocation is
 * first fit from a rotating hint for single pages, and an aligned scan for
 * larger orders: simple, fragmentation is not a concern this early. The lock
 * is taken with IRQs off so hard-IRQ callers are safe.
 *
 * Handover (docs/mempool.md, "In the kernel"). Every page has exactly one
 * owner. Once all CPUs are up, page_alloc_take_runs() moves the largest free
 * runs of the bitmap to the pool (their bits stay set: the bitmap no longer
 * owns them) and page_alloc_switch_to_pool() publishes their ranges. From
 * then on page_alloc() asks the pool first and the bitmap only for what is
 * left there (small fragments the pool's region slots could not take), and
 * page_free() dispatches by address: a page in a handed-over range goes to
 * the pool, any other page (allocated before the switch, or a fragment)
 * back to the bitmap. The ranges are written once, before pool_ready is set
 * with release ordering, and only read after it is read with acquire.
 * No run handed over crosses 4 GiB physical, so that each is wholly in the
 * pool's DMA32 zone or wholly above it.
 */
#include <ddeos/arch.h>
#include <ddeos/boot.h>
#include <ddeos/page_alloc.h>
#include <ddeos/panic.h>
#include <ddeos/spinlock.h>
#include <ddeos/string.h>
#include "pool.h"

static struct spinlock page_lock = SPINLOCK_INIT;
/* Guarded by page_lock: */
static uint64_t *page_bitmap;
static uint64_t page_count;	/* pages covered by the bitmap */
static uint64_t page_free_count;
static uint64_t page_total;
static uint64_t page_hint;
static uint64_t page_handed;	/* pages given to the pool */

/* Written once before pool_ready is set; read-only afterwards. */
static bool pool_ready;
static struct mem_range pool_ranges[POOL_MAX_REGIONS];
static unsigned int nr_pool_ranges;

static bool pool_owns(uint64_t pa)
{
	for (unsigned int i = 0; i < nr_pool_ranges; i++)
		if (pa >= pool_ranges[i].start && pa < pool_ranges[i].end)
			return true;
	return false;
}

static bool use_pool(void)
{
	return __atomic_load_n(&pool_ready, __ATOMIC_ACQUIRE);
}

static inline bool page_used(uint64_t pfn)
{
	return page_bitmap[pfn / 64] & (1ull << (pfn % 64));
}

static void bitmap_mark(uint64_t pfn, uint64_t n, bool used)
{
	for (uint64_t i = pfn; i < pfn + n; i++) {
		if (used)
			page_bitmap[i / 64] |= 1ull << (i % 64);
		else
			page_bitmap[i / 64] &= ~(1ull << (i % 64));
	}
}

void page_alloc_init(const struct boot_info *bi)
{
	uint64_t bytes;

	page_count = bi->max_phys / PAGE_SIZE;
	bytes = ALIGN_UP((page_count + 63) / 64 * 8, PAGE_SIZE);
	for (unsigned int i = 0; i < bi->nr_ram; i++) {
		const struct mem_range *r = &bi->ram[i];

		if (r->end - r->start >= bytes && r->start + bytes <= GiB(1)) {
			page_bitmap = phys_to_virt(r->start);
			break;
		}
	}
	if (!page_bitmap)
		kpanic("page allocator: no RAM range below 1 GiB holds the %llu KiB bitmap",
		      (unsigned long long)bytes / 1024);
	memset(page_bitmap, 0xff, bytes);
	for (unsigned int i = 0; i < bi->nr_ram; i++) {
		const struct mem_range *r = &bi->ram[i];
		uint64_t n = (r->end - r->start) / PAGE_SIZE;

		bitmap_mark(r->start / PAGE_SIZE, n, false);
		page_free_count += n;
	}
	bitmap_mark(virt_to_phys(page_bitmap) / PAGE_SIZE, bytes / PAGE_SIZE, true);
	page_free_count -= bytes / PAGE_SIZE;
	page_total = page_free_count;
}

static uint64_t find_run(uint64_t npages)
{
	uint64_t start = npages == 1 ? page_hint : 0;

	for (uint64_t pass = 0; pass < 2; pass++) {
		for (uint64_t pfn = ALIGN_UP(start, npages);
		     pfn + npages <= page_count; pfn += npages) {
			uint64_t i;

			/* Whole bitmap words at a time when the word is full. */
			if (npages == 1 && page_bitmap[pfn / 64] == ~0ull) {
				pfn = ALIGN_DOWN(pfn, 64) + 64 - 1;
				continue;
			}
			for (i = 0; i < npages && !page_used(pfn + i); i++)
				;
			if (i == npages)
				return pfn;
		}
		start = 0;
	}
	return 0;
}

static uint64_t bitmap_alloc(unsigned int order)
{
	uint64_t npages = 1ull << order, pfn;
	unsigned long flags;

	flags = spinlock_lock_irqsave(&page_lock);
	pfn = page_free_count >= npages ? find_run(npages) : 0;
	if (pfn) {
		bitmap_mark(pfn, npages, true);
		page_free_count -= npages;
		if (npages == 1)
			page_hint = pfn + 1;
	}
	spinlock_unlock_irqrestore(&page_lock, flags);
	return pfn * PAGE_SIZE;
}

uint64_t page_alloc(unsigned int order)
{
	if (order > PAGE_ALLOC_MAX_ORDER)
		return 0;
	if (use_pool()) {
		void *p = pool_page_alloc(order, POOL_ATOMIC);

		if (p)
			return virt_to_phys(p);
	}
	return bitmap_alloc(order);
}

void page_free(uint64_t pa, unsigned int order)
{
	uint64_t npages = 1ull << order, pfn = pa / PAGE_SIZE;
	unsigned long flags;

	assert(pa % (PAGE_SIZE << order) == 0 && pfn + npages <= page_count);
	if (use_pool() && pool_owns(pa)) {
		pool_page_free(phys_to_virt(pa), order);
		return;
	}
	flags = spinlock_lock_irqsave(&page_lock);
	for (uint64_t i = pfn; i < pfn + npages; i++)
		if (!page_used(i))
			kpanic("page_free: double free of page %#llx",
			      (unsigned long long)i * PAGE_SIZE);
	bitmap_mark(pfn, npages, false);
	page_free_count += npages;
	spinlock_unlock_irqrestore(&page_lock, flags);
}

void *page_alloc_zeroed(unsigned int order)
{
	uint64_t pa;

	if (order <= PAGE_ALLOC_MAX_ORDER && use_pool()) {
		void *p = pool_page_alloc(order, POOL_ATOMIC | POOL_ZERO);

		if (p)
			return p;
	}
	pa = page_alloc(order);

	if (!pa)
		return NULL;
	memset(phys_to_virt(pa), 0, PAGE_SIZE << order);
	return phys_to_virt(pa);
}

void page_free_virt(void *va, unsigned int order)
{
	page_free(virt_to_phys(va), order);
}

uint64_t page_alloc_free_pages(void)
{
	uint64_t n = READ_ONCE(page_free_count);

	if (use_pool()) {
		struct pool_totals t;

		pool_get_totals(&t);
		n += t.pages_free + t.pages_cached;
	}
	return n;
}

uint64_t page_alloc_total_pages(void)
{
	uint64_t n = page_total - page_handed;

	if (use_pool()) {
		struct pool_totals t;

		pool_get_totals(&t);
		n += t.pages_total;
	}
	return n;
}

unsigned int page_alloc_take_runs(struct mem_range *runs, unsigned int max,
				  uint64_t min_pages)
{
	unsigned int n = 0;
	unsigned long flags;

	assert(!use_pool() && max <= POOL_MAX_REGIONS);
	flags = spinlock_lock_irqsave(&page_lock);
	/* Keep the @max longest free runs, longest first; pfn 0 is never
	 * handed out (page_alloc() returns 0 for failure). */
	for (uint64_t pfn = 1; pfn < page_count;) {
		uint64_t end = pfn, len, lim;
		unsigned int i;

		if (page_used(pfn)) {
			pfn++;
			continue;
		}
		/* A run never crosses 4 GiB: the pool's DMA32 zone ends there. */
		lim = pfn < GiB(4) / PAGE_SIZE ? MIN(page_count, GiB(4) / PAGE_SIZE)
					       : page_count;
		while (end < lim && !page_used(end))
			end++;
		len = end - pfn;
		for (i = n; i > 0 && len > runs[i - 1].end - runs[i - 1].start; i--)
			if (i < max)
				runs[i] = runs[i - 1];
		if (i < max && len >= min_pages) {
			runs[i] = (struct mem_range){ pfn, end };
			if (n < max)
				n++;
		}
		pfn = end;
	}
	for (unsigned int i = 0; i < n; i++) {
		uint64_t len = runs[i].end - runs[i].start;

		bitmap_mark(runs[i].start, len, true);
		page_free_count -= len;
		page_handed += len;
		runs[i].start *= PAGE_SIZE;
		runs[i].end *= PAGE_SIZE;
	}
	spinlock_unlock_irqrestore(&page_lock, flags);
	return n;
}

void page_alloc_switch_to_pool(const struct mem_range *runs, unsigned int n)
{
	assert(n <= POOL_MAX_REGIONS && !use_pool());
	for (unsigned int i = 0; i < n; i++)
		pool_ranges[i] = runs[i];
	nr_pool_ranges = n;
	__atomic_store_n(&pool_ready, true, __ATOMIC_RELEASE);
}
