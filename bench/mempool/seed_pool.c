// SPDX-License-Identifier: GPL-2.0-only
/*
 * A re-creation, for the benchmark only, of the allocator the seed ran
 * (shared/seed/000_5ab42f4937ab3aca.txt, "Reusing Linux Device Driver in
 * OSV"): OSv's mempool as of spring 2014, with the seed's "delegate queues".
 *
 * Which OSv: the seed quotes pool::free() calling
 * free_different_cpu(obj, obj_cpu) with two arguments. OSv's core/mempool.cc
 * had that form until commit ce0c0f99 (2014-05-20, "mempool: remove
 * contention inside free_different_cpu()"); this file follows its parent,
 * f86b36a6. From there:
 *   - malloc pools of 2^n bytes, n = ilog2_roundup(max(size, 8)), for sizes
 *     up to pool::max_object_size = page_size / 2 (2048 B);
 *   - a pool owns per CPU (dynamic_percpu) a list of pages that have free
 *     objects; every page starts with a page_header {owner, cpu_id, nalloc,
 *     list hook, local_free} and holds objects from the top of the page down
 *     (add_page());
 *   - pool::alloc() takes the first object of the first page of the list;
 *   - pool::free_same_cpu() with its "hysteresis": when the last object of a
 *     page is freed and the page at the back of the list is fully free, the
 *     page goes back to the page allocator. The back page may be this very
 *     page (a list of one page), so a CPU that allocates and frees one object
 *     at a time gives its page back and re-creates it at every pair. That is
 *     OSv's code, kept as is;
 *   - sizes above 2048 B go to malloc_large(): the size rounded up to pages
 *     plus one header page, from the page ranges under one global mutex.
 *
 * The seed's change (its "Work Reprot"), followed literally:
 *     typedef std::queue<free_object*> delegate_queue;
 *     delegate_queue dqueues[sched::max_cpus];     // "in mempool class"
 *   so the queues are members of each pool, i.e. of each size class, one per
 *   owner CPU: struct seed_pool below. And pool::free() became
 *     delegate_queue& dq = dqueues[obj_cpu];
 *     if (obj_cpu == cur_cpu) {
 *         while (!dq.empty()) { free_same_cpu(dq.front(), obj_cpu); dq.pop(); }
 *         free_same_cpu(obj, obj_cpu);
 *     } else {
 *         dq.push(obj);
 *     }
 *   so the owner looks at its queue only when it frees an object of the same
 *   size class itself, and it checks dq.empty() before anything else.
 *
 * What differs, and why:
 *   - The seed's std::queue had no lock at all: several CPUs pushing into
 *     one queue, and the owner popping, race. A spinlock per queue makes it
 *     correct. It is taken by every push, and by the owner only after its
 *     unlocked dq.empty() check found the queue non-empty; the owner then
 *     detaches the whole queue under one lock and frees its objects in FIFO
 *     order (the seed popped them one by one, unlocked).
 *   - std::queue (a std::deque of pointers) allocates its blocks from the
 *     very allocator it serves; here the queue links objects through their
 *     first word (OSv's free_object::next), with head and tail pointers. Each
 *     queue is padded to sizeof(std::deque<void*>) = 80 bytes, as in the
 *     seed's array, so neighbouring CPUs' queues share cache lines as they
 *     did there.
 *   - Pages: OSv's untracked_alloc_page() and free_page() used a per-CPU
 *     buffer of pages over a global page-range allocator; here the ddeos page
 *     allocator stands in (its per-CPU page cache over its buddy lists), so
 *     the seed's pages come from the same place and are counted the same way
 *     as ddeos's. malloc_large() takes the next power-of-two block from the
 *     same page allocator under one global lock.
 *   - Preemption: OSv disabled it around pool operations; a host thread is
 *     its own CPU and is never migrated (the host platform's
 *     pool_platform_preempt_disable() is empty), so there is nothing to do.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pool.h"
#include "pool_platform.h"
#include "seed_pool.h"

#define SEED_PAGE POOL_PAGE_SIZE
#define SEED_MIN_OBJECT 8			/* sizeof(free_object) */
#define SEED_MAX_OBJECT (SEED_PAGE / 2)	/* pool::max_object_size */
#define SEED_NPOOLS 13				/* ilog2(page_size) + 1 */

struct seed_free {				/* OSv's free_object */
	struct seed_free *next;
};

struct seed_pool;

struct seed_link {				/* bi::list_member_hook<> */
	struct seed_link *next, *prev;
};

struct seed_page {				/* OSv's pool::page_header */
	struct seed_pool *owner;
	unsigned int cpu_id;
	unsigned int nalloc;
	struct seed_link free_link;
	struct seed_free *local_free;
};

/* bi::list<page_header>: circular around a root hook, with a size. */
struct seed_page_list {
	struct seed_link root;
	size_t size;
};

#define page_of(link) ((struct seed_page *)((char *)(link) - \
			offsetof(struct seed_page, free_link)))

/* std::queue<free_object*>, made safe with a lock; 80 bytes like it. */
struct seed_dq {
	uint32_t lock;
	struct seed_free *head, *tail;
	char pad[80 - 24];
};

struct seed_pool {				/* OSv's memory::pool */
	unsigned int size;
	struct seed_dq dqueues[POOL_MAX_CPUS];	/* the seed's addition */
};

/* dynamic_percpu<page_list> _free: each CPU's lists in its own lines. */
struct seed_percpu {
	_Alignas(64) struct seed_page_list free[SEED_NPOOLS];
};

static struct seed_pool seed_pools[SEED_NPOOLS];
static struct seed_percpu seed_cpus[POOL_MAX_CPUS];
static uint32_t seed_large_lock;		/* free_page_ranges_lock */

/* malloc_large()'s header page, in front of the object. */
struct seed_large {
	unsigned int order;
};

static void spin_lock(uint32_t *l)
{
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(l, __ATOMIC_RELAXED))
			pool_platform_cpu_relax();
}

static void spin_unlock(uint32_t *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

static struct seed_page_list *pool_free_list(struct seed_pool *pool,
					     unsigned int cpu)
{
	return &seed_cpus[cpu].free[pool - seed_pools];
}

static int list_empty(struct seed_page_list *l)
{
	return l->size == 0;
}

static void list_insert(struct seed_page_list *l, struct seed_link *pos,
			struct seed_page *h)
{
	struct seed_link *prev = pos->prev;

	h->free_link.next = pos;
	h->free_link.prev = prev;
	prev->next = &h->free_link;
	pos->prev = &h->free_link;
	l->size++;
}

static void list_push_front(struct seed_page_list *l, struct seed_page *h)
{
	list_insert(l, l->root.next, h);
}

static void list_push_back(struct seed_page_list *l, struct seed_page *h)
{
	list_insert(l, &l->root, h);
}

static void list_erase(struct seed_page_list *l, struct seed_page *h)
{
	h->free_link.prev->next = h->free_link.next;
	h->free_link.next->prev = h->free_link.prev;
	l->size--;
}

static void seed_lists_init(void)
{
	unsigned int c, i;

	for (i = 0; i < SEED_NPOOLS; i++) {
		unsigned int size = 1u << i;

		seed_pools[i].size = size > SEED_MAX_OBJECT ? SEED_MAX_OBJECT : size;
	}
	for (c = 0; c < POOL_MAX_CPUS; c++) {
		for (i = 0; i < SEED_NPOOLS; i++) {
			struct seed_page_list *l = &seed_cpus[c].free[i];

			l->root.next = l->root.prev = &l->root;
			l->size = 0;
		}
	}
}

/* OSv builds malloc_pools[] with static constructors (init_priority). */
__attribute__((constructor)) static void seed_init(void)
{
	seed_lists_init();
}

/* pool::add_page() */
static int add_page(struct seed_pool *pool, unsigned int cpu)
{
	char *page = pool_page_alloc(0, POOL_ATOMIC);
	struct seed_page *header = (struct seed_page *)page;
	char *p;

	if (!page)
		return -1;
	header->cpu_id = cpu;
	header->owner = pool;
	header->nalloc = 0;
	header->local_free = NULL;
	for (p = page + SEED_PAGE - pool->size;
	     p >= (char *)(header + 1); p -= pool->size) {
		struct seed_free *obj = (struct seed_free *)p;

		obj->next = header->local_free;
		header->local_free = obj;
	}
	list_push_back(pool_free_list(pool, cpu), header);
	return 0;
}

/* pool::alloc() */
static void *pool_obj_alloc(struct seed_pool *pool)
{
	unsigned int cpu = pool_platform_cpu();
	struct seed_page_list *l = pool_free_list(pool, cpu);
	struct seed_page *header;
	struct seed_free *obj;

	while (list_empty(l)) {
		if (add_page(pool, cpu))
			return NULL;
	}
	header = page_of(l->root.next);
	obj = header->local_free;
	++header->nalloc;
	header->local_free = obj->next;
	if (!header->local_free)
		list_erase(l, header);
	return obj;
}

/* pool::have_full_pages() */
static int have_full_pages(struct seed_page_list *l)
{
	return !list_empty(l) && page_of(l->root.prev)->nalloc == 0;
}

/* pool::free_same_cpu() */
static void free_same_cpu(struct seed_pool *pool, struct seed_free *obj,
			  unsigned int cpu_id)
{
	struct seed_page_list *l = pool_free_list(pool, cpu_id);
	struct seed_page *header = (struct seed_page *)
		((uintptr_t)obj & ~(SEED_PAGE - 1));

	if (!--header->nalloc && have_full_pages(l)) {
		if (header->local_free)
			list_erase(l, header);
		pool_page_free(header, 0);	/* untracked_free_page() */
	} else {
		if (!header->local_free) {
			if (header->nalloc)
				list_push_front(l, header);
			else
				/* full pages on the back (OSv's comment) */
				list_push_back(l, header);
		}
		obj->next = header->local_free;
		header->local_free = obj;
	}
}

/* pool::free() with the seed's delegate queues */
static void pool_obj_free(struct seed_pool *pool, struct seed_free *obj)
{
	struct seed_page *header = (struct seed_page *)
		((uintptr_t)obj & ~(SEED_PAGE - 1));
	unsigned int obj_cpu = header->cpu_id;
	unsigned int cur_cpu = pool_platform_cpu();
	struct seed_dq *dq = &pool->dqueues[obj_cpu];

	if (obj_cpu == cur_cpu) {
		/* while (!dq.empty()) ...: checked before any locking */
		if (__atomic_load_n(&dq->head, __ATOMIC_ACQUIRE)) {
			struct seed_free *q;

			spin_lock(&dq->lock);
			q = dq->head;
			dq->head = dq->tail = NULL;
			spin_unlock(&dq->lock);
			while (q) {	/* dq.front(), dq.pop() */
				struct seed_free *next = q->next;

				free_same_cpu(pool, q, obj_cpu);
				q = next;
			}
		}
		free_same_cpu(pool, obj, obj_cpu);
	} else {
		/* dq.push(obj) */
		obj->next = NULL;
		spin_lock(&dq->lock);
		if (dq->tail)
			dq->tail->next = obj;
		else
			dq->head = obj;
		dq->tail = obj;
		spin_unlock(&dq->lock);
	}
}

/* malloc_large(): pages plus a header page, under one global lock. */
static void *malloc_large(size_t size)
{
	size_t pages = (size + SEED_PAGE - 1) / SEED_PAGE + 1;
	unsigned int order = 0;
	struct seed_large *h;

	while (((size_t)1 << order) < pages)
		if (++order > POOL_MAX_ORDER)
			return NULL;
	spin_lock(&seed_large_lock);
	h = pool_page_alloc(order, POOL_ATOMIC);
	spin_unlock(&seed_large_lock);
	if (!h)
		return NULL;
	h->order = order;
	return (char *)h + SEED_PAGE;
}

static void free_large(void *obj)
{
	struct seed_large *h = (struct seed_large *)((char *)obj - SEED_PAGE);

	spin_lock(&seed_large_lock);
	pool_page_free(h, h->order);
	spin_unlock(&seed_large_lock);
}

/* std_malloc() */
void *seed_alloc(size_t size)
{
	unsigned int n = 0;

	if (size > SEED_MAX_OBJECT)
		return malloc_large(size);
	if (size < SEED_MIN_OBJECT)
		size = SEED_MIN_OBJECT;
	while ((1ul << n) < size)	/* ilog2_roundup() */
		n++;
	return pool_obj_alloc(&seed_pools[n]);
}

/* std_free(): in-page offset 0 means malloc_large(), else a pool object. */
void seed_free(void *p)
{
	struct seed_page *header;

	if (!p)
		return;
	if (!((uintptr_t)p & (SEED_PAGE - 1))) {
		free_large(p);
		return;
	}
	header = (struct seed_page *)((uintptr_t)p & ~(SEED_PAGE - 1));
	pool_obj_free(header->owner, p);	/* pool::from_object() */
}
