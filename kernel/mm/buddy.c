// SPDX-License-Identifier: GPL-2.0-only
/*
 * The buddy page allocator behind the memory pool: the RAM regions, their
 * page descriptors, and free lists of blocks of 2^0 .. 2^POOL_MAX_ORDER pages.
 * It is the pool's only global lock; per-CPU page caches (pool_pages.c) keep
 * most traffic away from it.
 *
 * Design. Blocks are aligned to their size in the address space (a block of
 * order n starts at a multiple of 4 KiB << n), as Linux's buddy allocator
 * does with page frame numbers; that is what makes power-of-two objects and
 * page blocks naturally aligned. A region is handed in as any page range and
 * freed as the largest aligned blocks that fit. Two free buddies merge only
 * when both lie in the same region.
 *
 * Locking. buddy_lock is a test-and-set spinlock taken with local interrupts
 * disabled, so an interrupt handler on the holder's CPU can never spin on it
 * (no self-deadlock) and the holder never waits for anything while holding
 * it (no cycle with other CPUs). It is a leaf lock: nothing else is taken
 * under it. It guards the free lists, their counters and the buddy_order
 * field of every descriptor.
 */
#include "pool_internal.h"

struct pool_region pool_regions[POOL_MAX_REGIONS];
unsigned int pool_nregions;

static uint32_t buddy_lock;

/* Guarded by buddy_lock. */
static struct pool_page *buddy_free_list[POOL_MAX_ORDER + 1];
static size_t buddy_nfree[POOL_MAX_ORDER + 1];
static size_t buddy_pages_free;
static size_t buddy_pages_total;

static unsigned long buddy_lock_irqsave(void)
{
	unsigned long flags = pool_platform_irq_save();

	while (__atomic_exchange_n(&buddy_lock, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&buddy_lock, __ATOMIC_RELAXED))
			pool_platform_cpu_relax();
	}
	return flags;
}

static void buddy_unlock_irqrestore(unsigned long flags)
{
	__atomic_store_n(&buddy_lock, 0, __ATOMIC_RELEASE);
	pool_platform_irq_restore(flags);
}

/* buddy_lock held. */
static void buddy_list_add(struct pool_page *pg, unsigned int order)
{
	pg->buddy_order = (uint8_t)order;
	pg->prev = NULL;
	pg->next = buddy_free_list[order];
	if (pg->next)
		pg->next->prev = pg;
	buddy_free_list[order] = pg;
	buddy_nfree[order]++;
	buddy_pages_free += 1UL << order;
}

/* buddy_lock held. */
static void buddy_list_del(struct pool_page *pg, unsigned int order)
{
	if (pg->prev)
		pg->prev->next = pg->next;
	else
		buddy_free_list[order] = pg->next;
	if (pg->next)
		pg->next->prev = pg->prev;
	pg->next = NULL;
	pg->prev = NULL;
	pg->buddy_order = POOL_NOT_IN_BUDDY;
	buddy_nfree[order]--;
	buddy_pages_free -= 1UL << order;
}

/* buddy_lock held. Take a block of @order, splitting a larger one. */
static struct pool_page *buddy_take(unsigned int order)
{
	struct pool_page *pg;
	unsigned int o;

	for (o = order; o <= POOL_MAX_ORDER; o++) {
		if (buddy_free_list[o])
			break;
	}
	if (o > POOL_MAX_ORDER)
		return NULL;
	pg = buddy_free_list[o];
	buddy_list_del(pg, o);
	while (o > order) {
		o--;
		/* Upper half goes back; the block stays in one region. */
		buddy_list_add(pg + (1UL << o), o);
	}
	return pg;
}

/* buddy_lock held. Give back a block, merging with free buddies. */
static void buddy_put(struct pool_page *pg, unsigned int order)
{
	const struct pool_region *r = &pool_regions[pg->region];

	while (order < POOL_MAX_ORDER) {
		uintptr_t addr = (uintptr_t)pool_page_to_virt(pg);
		uintptr_t baddr = addr ^ (POOL_PAGE_SIZE << order);
		struct pool_page *b;

		if (baddr < r->base || baddr >= r->end)
			break;
		b = &r->pages[(baddr - r->base) >> POOL_PAGE_SHIFT];
		if (b->buddy_order != order)
			break;
		buddy_list_del(b, order);
		if (b < pg)
			pg = b;
		order++;
	}
	buddy_list_add(pg, order);
}

struct pool_page *pool_buddy_alloc(unsigned int order)
{
	struct pool_page *pg;
	unsigned long flags;

	flags = buddy_lock_irqsave();
	pg = buddy_take(order);
	buddy_unlock_irqrestore(flags);
	return pg;
}

void pool_buddy_free(struct pool_page *pg, unsigned int order)
{
	unsigned long flags;

	flags = buddy_lock_irqsave();
	buddy_put(pg, order);
	buddy_unlock_irqrestore(flags);
}

/*
 * Take up to @n blocks of @order under one lock acquisition, chained through
 * ->next onto *@list. Returns how many were taken.
 */
unsigned int pool_buddy_alloc_batch(unsigned int order, unsigned int n,
				    struct pool_page **list)
{
	unsigned long flags;
	unsigned int i;

	flags = buddy_lock_irqsave();
	for (i = 0; i < n; i++) {
		struct pool_page *pg = buddy_take(order);

		if (!pg)
			break;
		pg->next = *list;
		*list = pg;
	}
	buddy_unlock_irqrestore(flags);
	return i;
}

/* Free a ->next chain of blocks of @order under one lock acquisition. */
void pool_buddy_free_list(struct pool_page *list, unsigned int order)
{
	unsigned long flags;

	flags = buddy_lock_irqsave();
	while (list) {
		struct pool_page *next = list->next;

		buddy_put(list, order);
		list = next;
	}
	buddy_unlock_irqrestore(flags);
}

void pool_buddy_counts(size_t *total, size_t *free_pages,
		       size_t free_blocks[POOL_MAX_ORDER + 1])
{
	unsigned long flags;
	unsigned int o;

	flags = buddy_lock_irqsave();
	*total = buddy_pages_total;
	*free_pages = buddy_pages_free;
	for (o = 0; o <= POOL_MAX_ORDER; o++)
		free_blocks[o] = buddy_nfree[o];
	buddy_unlock_irqrestore(flags);
}

/* Largest order of an aligned block at @addr that ends by @end. */
static unsigned int buddy_fit_order(uintptr_t addr, uintptr_t end)
{
	unsigned int o = 0;

	while (o < POOL_MAX_ORDER) {
		uintptr_t sz = POOL_PAGE_SIZE << (o + 1);

		if ((addr & (sz - 1)) || end - addr < sz)
			break;
		o++;
	}
	return o;
}

int pool_add_region(void *base, size_t size)
{
	uintptr_t start = ((uintptr_t)base + POOL_PAGE_SIZE - 1) &
			  ~(POOL_PAGE_SIZE - 1);
	uintptr_t end = ((uintptr_t)base + size) & ~(POOL_PAGE_SIZE - 1);
	struct pool_region *r;
	size_t npages, meta, i;
	uintptr_t addr;
	unsigned long flags;

	if (pool_nregions >= POOL_MAX_REGIONS || end <= start)
		return -1;
	npages = (end - start) >> POOL_PAGE_SHIFT;
	meta = (npages * sizeof(struct pool_page) + POOL_PAGE_SIZE - 1) >>
	       POOL_PAGE_SHIFT;
	if (meta + 1 > npages)
		return -1;

	r = &pool_regions[pool_nregions];
	r->base = start;
	r->end = end;
	r->npages = npages;
	r->pages = (struct pool_page *)start;
	memset(r->pages, 0, npages * sizeof(struct pool_page));
	for (i = 0; i < npages; i++) {
		r->pages[i].region = (uint8_t)pool_nregions;
		r->pages[i].buddy_order = POOL_NOT_IN_BUDDY;
		r->pages[i].kind = PK_RESERVED;
		r->pages[i].head = &r->pages[i];
	}
	/* Publish the region before its pages can be found in free lists. */
	__atomic_store_n(&pool_nregions, pool_nregions + 1, __ATOMIC_RELEASE);

	flags = buddy_lock_irqsave();
	addr = start + (meta << POOL_PAGE_SHIFT);
	while (addr < end) {
		unsigned int o = buddy_fit_order(addr, end);
		struct pool_page *pg = &r->pages[(addr - start) >>
						 POOL_PAGE_SHIFT];

		pg->kind = PK_FREE;
		buddy_pages_total += 1UL << o;
		buddy_put(pg, o);
		addr += POOL_PAGE_SIZE << o;
	}
	buddy_unlock_irqrestore(flags);
	return 0;
}
