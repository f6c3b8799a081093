// SPDX-License-Identifier: GPL-2.0-only
/*
 * Physical pages, one bit each (1 = in use or not RAM), over [0, max_phys).
 * The bitmap lives at the start of the first RAM range that can hold it,
 * which is inside the first GiB that boot.S maps, so it works before the
 * full direct map exists. Allocation is first fit from a rotating hint for
 * single pages, and an aligned scan for larger orders: simple, fragmentation
 * is not a concern this early. The lock is taken with IRQs off so hard-IRQ
 * callers are safe.
 */
#include <ddeos/arch.h>
#include <ddeos/boot.h>
#include <ddeos/page_alloc.h>
#include <ddeos/panic.h>
#include <ddeos/spinlock.h>
#include <ddeos/string.h>

static struct spinlock page_lock = SPINLOCK_INIT;
/* Guarded by page_lock: */
static uint64_t *page_bitmap;
static uint64_t page_count;	/* pages covered by the bitmap */
static uint64_t page_free_count;
static uint64_t page_total;
static uint64_t page_hint;

static inline bool page_used(uint64_t pfn)
{
	return page_bitmap[pfn / 64] & (1ull << (pfn % 64));
}

static void mark(uint64_t pfn, uint64_t n, bool used)
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
		panic("page allocator: no RAM range below 1 GiB holds the %llu KiB bitmap",
		      (unsigned long long)bytes / 1024);
	memset(page_bitmap, 0xff, bytes);
	for (unsigned int i = 0; i < bi->nr_ram; i++) {
		const struct mem_range *r = &bi->ram[i];
		uint64_t n = (r->end - r->start) / PAGE_SIZE;

		mark(r->start / PAGE_SIZE, n, false);
		page_free_count += n;
	}
	mark(virt_to_phys(page_bitmap) / PAGE_SIZE, bytes / PAGE_SIZE, true);
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

uint64_t page_alloc(unsigned int order)
{
	uint64_t npages = 1ull << order, pfn;
	unsigned long flags;

	if (order > PAGE_ALLOC_MAX_ORDER)
		return 0;
	flags = spinlock_lock_irqsave(&page_lock);
	pfn = page_free_count >= npages ? find_run(npages) : 0;
	if (pfn) {
		mark(pfn, npages, true);
		page_free_count -= npages;
		if (npages == 1)
			page_hint = pfn + 1;
	}
	spinlock_unlock_irqrestore(&page_lock, flags);
	return pfn * PAGE_SIZE;
}

void page_free(uint64_t pa, unsigned int order)
{
	uint64_t npages = 1ull << order, pfn = pa / PAGE_SIZE;
	unsigned long flags;

	assert(pa % (PAGE_SIZE << order) == 0 && pfn + npages <= page_count);
	flags = spinlock_lock_irqsave(&page_lock);
	for (uint64_t i = pfn; i < pfn + npages; i++)
		if (!page_used(i))
			panic("page_free: double free of page %#llx",
			      (unsigned long long)i * PAGE_SIZE);
	mark(pfn, npages, false);
	page_free_count += npages;
	spinlock_unlock_irqrestore(&page_lock, flags);
}

void *page_alloc_zeroed(unsigned int order)
{
	uint64_t pa = page_alloc(order);

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
	return READ_ONCE(page_free_count);
}

uint64_t page_alloc_total_pages(void)
{
	return page_total;
}
