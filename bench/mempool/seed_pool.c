// SPDX-License-Identifier: GPL-2.0-only
/*
 * A re-creation, for the benchmark only, of the allocator in the seed's last
 * working report (../shared/seed/000_5ab42f4937ab3aca.txt): OSv's per-CPU
 * mempool (core/mempool.cc: power-of-two pools of page-sized slabs whose page
 * header names the owner CPU, a free list per page, an empty page returned
 * when the CPU has another) with the seed's fix: an array of per-CPU
 * "delegate queues" that other CPUs push frees into, emptied only when the
 * owner CPU itself next frees (free_same_cpu). The seed pushed without any
 * synchronisation; here each queue has a spinlock so that it is correct,
 * which is the one change. Objects above half a page go to page blocks, as
 * OSv's malloc_large did. Pages come from the ddeos page allocator, so the
 * retained-memory figures of both pools count the same pages.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pool.h"
#include "pool_internal.h"
#include "seed_pool.h"

#define SEED_CLASSES 9		/* 8 .. 2048 bytes */

struct seed_free {
	struct seed_free *next;
};

struct seed_page {
	unsigned int cpu_id;
	unsigned int nalloc;
	unsigned int size;
	unsigned int pad;
	struct seed_free *local_free;
	struct seed_page *next;
	struct seed_page *prev;
	int listed;
};

struct seed_cpu_pool {
	struct seed_page *pages;	/* pages with free objects */
	unsigned int npages;
};

/* The delegate queue of one CPU: the seed's std::queue, plus a lock. */
struct seed_dq {
	_Alignas(64) uint32_t lock;
	struct seed_free *head;
};

static struct seed_cpu_pool seed_pools[POOL_MAX_CPUS][SEED_CLASSES];
static struct seed_dq seed_dqs[POOL_MAX_CPUS];

static unsigned int seed_class(size_t size)
{
	unsigned int c = 0;

	while ((8u << c) < size)
		c++;
	return c;
}

static void dq_lock(struct seed_dq *q)
{
	while (__atomic_exchange_n(&q->lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&q->lock, __ATOMIC_RELAXED))
			pool_platform_cpu_relax();
}

static void dq_unlock(struct seed_dq *q)
{
	__atomic_store_n(&q->lock, 0, __ATOMIC_RELEASE);
}

static void page_link(struct seed_cpu_pool *cp, struct seed_page *h)
{
	h->prev = NULL;
	h->next = cp->pages;
	if (h->next)
		h->next->prev = h;
	cp->pages = h;
	h->listed = 1;
	cp->npages++;
}

static void page_unlink(struct seed_cpu_pool *cp, struct seed_page *h)
{
	if (h->prev)
		h->prev->next = h->next;
	else
		cp->pages = h->next;
	if (h->next)
		h->next->prev = h->prev;
	h->listed = 0;
	cp->npages--;
}

static struct seed_page *add_page(unsigned int cpu, unsigned int c)
{
	struct seed_page *h = pool_page_alloc(0, 0);
	unsigned int size = 8u << c, off;
	struct seed_free *fl = NULL;

	if (!h)
		return NULL;
	memset(h, 0, sizeof(*h));
	h->cpu_id = cpu;
	h->size = size;
	off = (sizeof(*h) + size - 1) & ~(size - 1);
	for (; off + size <= POOL_PAGE_SIZE; off += size) {
		struct seed_free *f = (struct seed_free *)((char *)h + off);

		f->next = fl;
		fl = f;
	}
	h->local_free = fl;
	page_link(&seed_pools[cpu][c], h);
	return h;
}

void *seed_alloc(size_t size)
{
	unsigned int cpu = pool_platform_cpu(), c;
	struct seed_cpu_pool *cp;
	struct seed_page *h;
	struct seed_free *f;

	if (size > POOL_PAGE_SIZE / 2) {
		unsigned int order = 0;

		while ((POOL_PAGE_SIZE << order) < size)
			order++;
		return pool_page_alloc(order, 0);
	}
	c = seed_class(size);
	cp = &seed_pools[cpu][c];
	h = cp->pages;
	if (!h) {
		h = add_page(cpu, c);
		if (!h)
			return NULL;
	}
	f = h->local_free;
	h->local_free = f->next;
	h->nalloc++;
	if (!h->local_free)
		page_unlink(cp, h);
	return f;
}

static void free_same_cpu(struct seed_page *h, struct seed_free *f)
{
	struct seed_cpu_pool *cp = &seed_pools[h->cpu_id][seed_class(h->size)];

	f->next = h->local_free;
	h->local_free = f;
	h->nalloc--;
	if (!h->listed)
		page_link(cp, h);
	if (h->nalloc == 0 && cp->npages > 1) {
		page_unlink(cp, h);
		pool_page_free(h, 0);
	}
}

void seed_free(void *p)
{
	unsigned int cpu = pool_platform_cpu();
	struct seed_page *h;
	struct seed_dq *dq;

	if (!p)
		return;
	if (!((uintptr_t)p & (POOL_PAGE_SIZE - 1))) {
		pool_page_free(p, pool_virt_to_page(p)->order);
		return;
	}
	h = (struct seed_page *)((uintptr_t)p & ~(POOL_PAGE_SIZE - 1));
	dq = &seed_dqs[h->cpu_id];
	if (h->cpu_id == cpu) {
		struct seed_free *q;

		dq_lock(dq);
		q = dq->head;
		dq->head = NULL;
		dq_unlock(dq);
		while (q) {
			struct seed_free *next = q->next;
			struct seed_page *qh = (struct seed_page *)
				((uintptr_t)q & ~(POOL_PAGE_SIZE - 1));

			free_same_cpu(qh, q);
			q = next;
		}
		free_same_cpu(h, p);
	} else {
		struct seed_free *f = p;

		dq_lock(dq);
		f->next = dq->head;
		dq->head = f;
		dq_unlock(dq);
	}
}
