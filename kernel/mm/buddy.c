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
 * Zones. Each region is in one zone (enum pool_zone) and each zone has its
 * own free lists. Normal allocations take NORMAL memory first and DMA32
 * after it; POOL_DMA32 allocations take only DMA32 memory. Each zone keeps a
 * reserve, Linux's min watermark (min_free_kbytes = sqrt(16 * KiB), here per
 * zone): an allocation with POOL_SLEEP never takes a zone's free pages below
 * it, so an atomic allocation (interrupt context) still finds pages when
 * sleeping allocations have taken everything else; the sleeper waits for
 * reclaim instead (pool.c).
 *
 * Locking. buddy_lock is a spinlock taken with local interrupts disabled,
 * so an interrupt handler on the holder's CPU can never spin on it and the
 * holder never waits for anything while holding it (no cycle with other
 * CPUs). It is a leaf lock: nothing else is taken under it. It guards the
 * free lists, their counters and the buddy_order field of every descriptor.
 * The lock word holds the holder's CPU id + 1, so that an NMI that
 * interrupted the holder on its own CPU sees that it cannot wait: there an
 * allocation fails and a free goes onto a lock-free list of deferred blocks
 * (pushed with one CAS, taken whole with one exchange, so no ABA) that the
 * next pool_drain() or lock holder returns. So no pool path ever spins on a
 * lock its own CPU holds, whatever interrupts it.
 */
#include "pool_internal.h"

struct pool_region pool_regions[POOL_MAX_REGIONS];
unsigned int pool_nregions;

static uint32_t buddy_lock;		/* 0, or holder's CPU id + 1 */

/* Guarded by buddy_lock. */
static struct pool_page *buddy_free_list[POOL_NR_ZONES][POOL_MAX_ORDER + 1];
static size_t buddy_nfree[POOL_NR_ZONES][POOL_MAX_ORDER + 1];
static size_t zone_free[POOL_NR_ZONES];
static size_t zone_total[POOL_NR_ZONES];
static size_t zone_reserve[POOL_NR_ZONES];
static uint64_t buddy_locks;

/* Blocks freed where the lock could not be taken; ->next, ->order. */
static struct pool_page *buddy_deferred;
static size_t buddy_deferred_pages;

static void buddy_put(struct pool_page *pg, unsigned int order);

/*
 * Take buddy_lock with local IRQs off. Return: false, with IRQs as they
 * were, if this CPU already holds it: the caller interrupted the holder
 * (an NMI) and must not wait.
 */
bool pool_buddy_lock_irqsave(unsigned long *flags)
{
	uint32_t me, old;

	*flags = pool_platform_irq_save();
	/* IRQs off: the CPU is fixed. Before pool_init() (regions, the
	 * per-CPU state) the caller is the one booting CPU, maybe not yet
	 * known to the platform. */
	me = pool_ctx_base ? pool_platform_cpu() + 1 : POOL_MAX_CPUS + 1;
	for (;;) {
		old = 0;
		if (__atomic_compare_exchange_n(&buddy_lock, &old, me, false,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			break;
		while ((old = __atomic_load_n(&buddy_lock, __ATOMIC_RELAXED))) {
			if (old == me) {
				pool_platform_irq_restore(*flags);
				return false;
			}
			pool_platform_cpu_relax();
		}
	}
	buddy_locks++;
	return true;
}

void pool_buddy_unlock_irqrestore(unsigned long flags)
{
	__atomic_store_n(&buddy_lock, 0, __ATOMIC_RELEASE);
	pool_platform_irq_restore(flags);
}

/* Put @pg (a free block of @order) on the deferred list. Any context. */
static void buddy_defer(struct pool_page *pg, unsigned int order)
{
	struct pool_page *old = __atomic_load_n(&buddy_deferred,
						 __ATOMIC_RELAXED);

	pg->order = (uint8_t)order;
	__atomic_fetch_add(&buddy_deferred_pages, 1UL << order,
			   __ATOMIC_RELAXED);
	do {
		pg->next = old;
	} while (!__atomic_compare_exchange_n(&buddy_deferred, &old, pg, true,
					      __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));
}

/* buddy_lock held: return the deferred blocks. */
static void buddy_take_deferred(void)
{
	struct pool_page *pg;

	if (pool_likely(!__atomic_load_n(&buddy_deferred, __ATOMIC_RELAXED)))
		return;
	pg = __atomic_exchange_n(&buddy_deferred, NULL, __ATOMIC_ACQUIRE);
	while (pg) {
		struct pool_page *next = pg->next;
		unsigned int order = pg->order;

		__atomic_fetch_sub(&buddy_deferred_pages, 1UL << order,
				   __ATOMIC_RELAXED);
		buddy_put(pg, order);
		pg = next;
	}
}

void pool_buddy_flush_deferred(void)
{
	unsigned long flags;

	if (pool_likely(!__atomic_load_n(&buddy_deferred, __ATOMIC_RELAXED)))
		return;
	if (!pool_buddy_lock_irqsave(&flags))
		return;
	buddy_take_deferred();
	pool_buddy_unlock_irqrestore(flags);
}

static unsigned int zone_of(const struct pool_page *pg)
{
	return pool_regions[pg->region].zone;
}

/* buddy_lock held. */
static void buddy_list_add(struct pool_page *pg, unsigned int order)
{
	unsigned int z = zone_of(pg);

	pg->buddy_order = (uint8_t)order;
	pg->prev = NULL;
	pg->next = buddy_free_list[z][order];
	if (pg->next)
		pg->next->prev = pg;
	buddy_free_list[z][order] = pg;
	buddy_nfree[z][order]++;
	zone_free[z] += 1UL << order;
}

/* buddy_lock held. */
static void buddy_list_del(struct pool_page *pg, unsigned int order)
{
	unsigned int z = zone_of(pg);

	if (pg->prev)
		pg->prev->next = pg->next;
	else
		buddy_free_list[z][order] = pg->next;
	if (pg->next)
		pg->next->prev = pg->prev;
	pg->next = NULL;
	pg->prev = NULL;
	pg->buddy_order = POOL_NOT_IN_BUDDY;
	buddy_nfree[z][order]--;
	zone_free[z] -= 1UL << order;
}

/*
 * buddy_lock held. Take a block of @order from zone @z, splitting a larger
 * one, leaving at least @keep free pages in the zone.
 */
static struct pool_page *buddy_take_zone(unsigned int order, unsigned int z,
					 size_t keep)
{
	struct pool_page *pg;
	unsigned int o;

	if (zone_free[z] < keep + (1UL << order))
		return NULL;
	for (o = order; o <= POOL_MAX_ORDER; o++) {
		if (buddy_free_list[z][o])
			break;
	}
	if (o > POOL_MAX_ORDER)
		return NULL;
	pg = buddy_free_list[z][o];
	buddy_list_del(pg, o);
	while (o > order) {
		o--;
		/* Upper half goes back; the block stays in one region. */
		buddy_list_add(pg + (1UL << o), o);
	}
	return pg;
}

/*
 * buddy_lock held. A block of @order for an allocation with @flags: zones
 * in order of preference above their reserve, then (without POOL_SLEEP)
 * into the reserves.
 */
static struct pool_page *buddy_take(unsigned int order, unsigned int flags)
{
	static const unsigned int normal[] = { POOL_ZONE_NORMAL, POOL_ZONE_DMA32 };
	static const unsigned int dma32[] = { POOL_ZONE_DMA32 };
	const unsigned int *zl = (flags & POOL_DMA32) ? dma32 : normal;
	unsigned int nz = (flags & POOL_DMA32) ? 1 : 2, i;
	struct pool_page *pg;

	for (i = 0; i < nz; i++) {
		pg = buddy_take_zone(order, zl[i], zone_reserve[zl[i]]);
		if (pg)
			return pg;
	}
	if (flags & POOL_SLEEP)
		return NULL;
	for (i = 0; i < nz; i++) {
		pg = buddy_take_zone(order, zl[i], 0);
		if (pg)
			return pg;
	}
	return NULL;
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

struct pool_page *pool_buddy_alloc(unsigned int order, unsigned int flags)
{
	struct pool_page *pg;
	unsigned long irq;

	if (!pool_buddy_lock_irqsave(&irq))
		return NULL;
	buddy_take_deferred();
	pg = buddy_take(order, flags);
	pool_buddy_unlock_irqrestore(irq);
	return pg;
}

void pool_buddy_free(struct pool_page *pg, unsigned int order)
{
	unsigned long irq;

	if (!pool_buddy_lock_irqsave(&irq)) {
		buddy_defer(pg, order);
		return;
	}
	buddy_take_deferred();
	buddy_put(pg, order);
	pool_buddy_unlock_irqrestore(irq);
}

/*
 * Take up to @n blocks of @order under one lock acquisition, chained through
 * ->next onto *@list. Above the reserves only; an allocation that may use
 * them takes one block there when nothing else is left. Returns how many
 * were taken.
 */
unsigned int pool_buddy_alloc_batch(unsigned int order, unsigned int n,
				    struct pool_page **list, unsigned int flags)
{
	unsigned long irq;
	unsigned int i;

	if (!pool_buddy_lock_irqsave(&irq))
		return 0;
	buddy_take_deferred();
	for (i = 0; i < n; i++) {
		struct pool_page *pg = buddy_take(order, flags | POOL_SLEEP);

		if (!pg && i == 0 && !(flags & POOL_SLEEP))
			pg = buddy_take(order, flags);
		if (!pg)
			break;
		pg->next = *list;
		*list = pg;
	}
	pool_buddy_unlock_irqrestore(irq);
	return i;
}

/* Free a ->next chain of blocks of @order under one lock acquisition. */
void pool_buddy_free_list(struct pool_page *list, unsigned int order)
{
	unsigned long irq;

	if (!pool_buddy_lock_irqsave(&irq)) {
		while (list) {
			struct pool_page *next = list->next;

			buddy_defer(list, order);
			list = next;
		}
		return;
	}
	buddy_take_deferred();
	while (list) {
		struct pool_page *next = list->next;

		buddy_put(list, order);
		list = next;
	}
	pool_buddy_unlock_irqrestore(irq);
}

/* Fill the buddy allocator's part of @t (racy without the lock: NMI). */
void pool_buddy_counts(struct pool_totals *t)
{
	unsigned long irq;
	unsigned int o, z;
	bool locked = pool_buddy_lock_irqsave(&irq);

	t->pages_total = 0;
	t->pages_free = 0;
	for (o = 0; o <= POOL_MAX_ORDER; o++)
		t->free_blocks[o] = 0;
	for (z = 0; z < POOL_NR_ZONES; z++) {
		t->pages_total += zone_total[z];
		t->pages_free += zone_free[z];
		t->zone_total[z] = zone_total[z];
		t->zone_free[z] = zone_free[z];
		t->zone_reserve[z] = zone_reserve[z];
		for (o = 0; o <= POOL_MAX_ORDER; o++)
			t->free_blocks[o] += buddy_nfree[z][o];
	}
	t->pages_deferred = __atomic_load_n(&buddy_deferred_pages,
					    __ATOMIC_RELAXED);
	t->buddy_locks = buddy_locks;
	if (locked)
		pool_buddy_unlock_irqrestore(irq);
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

static size_t isqrt(size_t v)
{
	size_t x = v, y = (x + 1) / 2;

	while (y < x) {
		x = y;
		y = (x + v / x) / 2;
	}
	return x;
}

/* Linux's min_free_kbytes for a zone of @pages: sqrt(16 * KiB) KiB, at
 * most 256 MiB, in pages. */
static size_t reserve_pages(size_t pages)
{
	size_t kib = isqrt(pages * (POOL_PAGE_SIZE / 1024) * 16);

	if (kib > 262144)
		kib = 262144;
	return kib / (POOL_PAGE_SIZE / 1024);
}

int pool_add_region_zone(void *base, size_t size, unsigned int zone)
{
	uintptr_t start = ((uintptr_t)base + POOL_PAGE_SIZE - 1) &
			  ~(POOL_PAGE_SIZE - 1);
	uintptr_t end = ((uintptr_t)base + size) & ~(POOL_PAGE_SIZE - 1);
	struct pool_region *r;
	size_t npages, meta, i;
	uintptr_t addr;
	unsigned long irq;

	if (pool_nregions >= POOL_MAX_REGIONS || end <= start ||
	    zone >= POOL_NR_ZONES)
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
	r->zone = zone;
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

	while (!pool_buddy_lock_irqsave(&irq))
		;	/* cannot be held by this CPU here */
	addr = start + (meta << POOL_PAGE_SHIFT);
	while (addr < end) {
		unsigned int o = buddy_fit_order(addr, end);
		struct pool_page *pg = &r->pages[(addr - start) >>
						 POOL_PAGE_SHIFT];

		pg->kind = PK_FREE;
		zone_total[zone] += 1UL << o;
		buddy_put(pg, o);
		addr += POOL_PAGE_SIZE << o;
	}
	zone_reserve[zone] = reserve_pages(zone_total[zone]);
	pool_buddy_unlock_irqrestore(irq);
	return 0;
}

int pool_add_region(void *base, size_t size)
{
	return pool_add_region_zone(base, size, POOL_ZONE_NORMAL);
}
