// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Linux-memory suite: Linux's memory API (kmalloc, kmem_cache, pages,
 * struct page, page_frag, the DMA API) called from Linux-world code, in
 * thread, preempt-off, bh-off and hard-IRQ context, on every CPU, freeing
 * on other CPUs. It ends with the pool's accounting back where it began.
 * Reported in KTAP through the kernel's runner.
 */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/page_ref.h>
#include <linux/preempt.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <net/sock.h>
#include <dde/dde.h>
#include "linux_ktest.h"

static struct ddeos_mem_totals suite_start;

/* Free pages and objects in use, with every CPU's caches handed back. */
static void totals(struct ddeos_mem_totals *m)
{
	ddeos_mem_quiesce(m);
}

static void expect_totals_back(struct ddeos_ktest *t, const struct ddeos_mem_totals *a)
{
	struct ddeos_mem_totals b;

	totals(&b);
	EXPECT(t, b.pages_free == a->pages_free, "free pages %lu, at start %lu",
	       b.pages_free, a->pages_free);
	EXPECT(t, b.objects_in_use == a->objects_in_use,
	       "objects in use %lu, at start %lu", b.objects_in_use, a->objects_in_use);
}

static u32 rnd_next(u32 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* ---- the suite's first case records the pool's totals ------------------- */

static void accounting_start(struct ddeos_ktest *t)
{
	totals(&suite_start);
	EXPECT(t, suite_start.pages_free > 0 && suite_start.pages_total >= suite_start.pages_free);
}

/* ---- kmalloc family basics ------------------------------------------------- */

static void kmalloc_family(struct ddeos_ktest *t)
{
	static const char text[] = "ddeos linux_mm";
	size_t size, ks;
	char *p, *q;
	const char *c;

	EXPECT(t, kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	EXPECT(t, ksize(ZERO_SIZE_PTR) == 0 && ksize(NULL) == 0);

	for (size = 1; size <= 3 * SZ_8K; size += size < 256 ? 1 : 97) {
		p = kmalloc(size, GFP_KERNEL);
		if (!EXPECT(t, p, "kmalloc(%zu)", size))
			return;
		ks = ksize(p);
		EXPECT(t, ks >= size && ks < 2 * size + 8, "ksize %zu for %zu", ks, size);
		EXPECT(t, IS_ALIGNED((unsigned long)p, 8));
		if (is_power_of_2(size) && size <= PAGE_SIZE)
			EXPECT(t, IS_ALIGNED((unsigned long)p, size), "%px for %zu", p, size);
		memset(p, 0xa5, ks);	/* all of ksize() is the caller's */
		kfree(p);
	}

	p = kzalloc(300, GFP_KERNEL);
	EXPECT(t, p && !memchr_inv(p, 0, ksize(p)), "kzalloc not zero");
	q = krealloc(p, 100, GFP_KERNEL);
	EXPECT(t, q == p, "shrinking krealloc moved");
	memset(q, 0x11, 100);
	p = krealloc(q, 5000, GFP_KERNEL);
	EXPECT(t, p && ksize(p) >= 5000 && !memchr_inv(p, 0x11, 100), "krealloc lost data");
	q = krealloc(p, 0, GFP_KERNEL);
	EXPECT(t, q == ZERO_SIZE_PTR);

	EXPECT(t, !kmalloc_array(SIZE_MAX / 2, 4, GFP_KERNEL), "overflow not caught");
	EXPECT(t, !kcalloc(SIZE_MAX / 8, 16, GFP_KERNEL), "overflow not caught");
	p = kcalloc(10, 100, GFP_KERNEL);
	EXPECT(t, p && !memchr_inv(p, 0, 1000));
	kfree_sensitive(p);

	p = kmemdup(text, sizeof(text), GFP_KERNEL);
	q = kstrdup(text, GFP_KERNEL);
	EXPECT(t, p && q && p != text && !strcmp(p, text) && !strcmp(q, text));
	kfree(p);
	kfree(q);
	c = kstrdup_const(text, GFP_KERNEL);	/* .rodata: not copied */
	EXPECT(t, c == text);
	kfree_const(c);
	p = kstrndup(text, 5, GFP_KERNEL);
	EXPECT(t, p && !strcmp(p, "ddeos"));
	c = kstrdup_const(p, GFP_KERNEL);	/* heap: copied */
	EXPECT(t, c && c != p && !strcmp(c, "ddeos"));
	kfree_const(c);
	kfree(p);

	p = kvmalloc(SZ_1M, GFP_KERNEL);
	EXPECT(t, p && ksize(p) >= SZ_1M);
	kvfree(p);
	p = kvmalloc(SZ_8M, GFP_KERNEL);
	EXPECT(t, !p, "8 MiB is above the largest block");
	EXPECT(t, dde_printk_log_contains("ddeos has no vmalloc area"));
}

/* ---- struct page agrees with the pool for every class and order ------------- */

static void struct_page_round_trips(struct ddeos_ktest *t)
{
	static const size_t sizes[] = { 1, 8, 16, 24, 32, 64, 96, 128, 192, 256,
					500, 512, 1024, 2000, 2048, 4096, 8192,
					8193, SZ_64K, SZ_1M };
	unsigned int i, order, k;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		void *p = kmalloc(sizes[i], GFP_KERNEL);
		struct page *page, *head;

		if (!EXPECT(t, p, "kmalloc(%zu)", sizes[i]))
			continue;
		page = virt_to_page(p);
		head = virt_to_head_page(p);
		EXPECT(t, page_address(page) == (void *)((unsigned long)p & PAGE_MASK));
		EXPECT(t, pfn_to_page(page_to_pfn(page)) == page);
		EXPECT(t, page_to_phys(page) == (virt_to_phys(p) & PAGE_MASK));
		EXPECT(t, page_to_virt(page) == page_address(page));
		EXPECT(t, !page_is_pfmemalloc(page));
		if (sizes[i] <= 8192) {
			EXPECT(t, PageSlab(page) && PageSlab(head),
			       "kmalloc(%zu) page not PageSlab", sizes[i]);
			EXPECT(t, page_address(head) <= p &&
			       p < page_address(head) + (PAGE_SIZE << compound_order(head)),
			       "kmalloc(%zu): head does not hold the object", sizes[i]);
		} else {
			EXPECT(t, !PageSlab(head) && PageHead(head) && head == page &&
			       page_size(head) >= sizes[i] && page_count(head) == 1,
			       "large kmalloc(%zu): slab %d head %d count %d",
			       sizes[i], PageSlab(head), PageHead(head), page_count(head));
		}
		kfree(p);
	}

	for (order = 0; order <= MAX_ORDER - 1; order++) {
		struct page *page = alloc_pages(GFP_KERNEL | __GFP_COMP, order);
		struct page *plain = alloc_pages(GFP_KERNEL, order);
		void *a;

		if (!EXPECT(t, page && plain, "order %u", order))
			break;
		a = page_address(page);
		EXPECT(t, IS_ALIGNED((unsigned long)a, PAGE_SIZE << order));
		EXPECT(t, virt_to_page(a) == page && page_count(page) == 1);
		EXPECT(t, !PageSlab(page) && compound_order(page) == order);
		EXPECT(t, PageCompound(page) == (order > 0));
		for (k = 0; k < (1u << order); k++) {
			if (!EXPECT(t, virt_to_head_page(a + k * PAGE_SIZE) == page &&
				    compound_head(page + k) == page,
				    "order %u tail %u", order, k))
				break;
		}
		EXPECT(t, !PageCompound(plain) && compound_order(plain) == 0 &&
		       page_count(plain) == 1 && page_count(plain + (1u << order) - 1) == (order ? 0 : 1));
		__free_pages(page, order);
		__free_pages(plain, order);
	}
}

/* ---- pages: refcounts, split, exact, get_free_pages ---------------------- */

static void page_refcounts_and_split(struct ddeos_ktest *t)
{
	struct ddeos_mem_totals m0, m1;
	struct page *page;
	unsigned long addr;
	void *exact;

	totals(&m0);
	page = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	if (!EXPECT(t, page))
		return;
	get_page(page + 3);		/* a tail reference counts on the head */
	EXPECT(t, page_ref_count(page) == 2);
	put_page(page);
	EXPECT(t, page_ref_count(page) == 1);
	totals(&m1);
	EXPECT(t, m1.pages_free == m0.pages_free - 4, "%lu vs %lu", m1.pages_free, m0.pages_free);
	put_page(page + 1);		/* the last reference frees the block */
	totals(&m1);
	EXPECT(t, m1.pages_free == m0.pages_free, "%lu vs %lu", m1.pages_free, m0.pages_free);

	/* A non-compound block whose first page is still held elsewhere. */
	page = alloc_pages(GFP_KERNEL, 3);
	get_page(page);
	__free_pages(page, 3);		/* frees pages 1..7 now */
	totals(&m1);
	EXPECT(t, m1.pages_free == m0.pages_free - 1, "%lu vs %lu", m1.pages_free, m0.pages_free);
	put_page(page);			/* and page 0 now */

	page = alloc_pages(GFP_KERNEL, 2);
	split_page(page, 2);
	EXPECT(t, page_count(page + 3) == 1);
	__free_page(page + 2);
	__free_page(page);
	__free_page(page + 3);
	__free_page(page + 1);

	exact = alloc_pages_exact(5 * PAGE_SIZE, GFP_KERNEL);	/* of 8 */
	totals(&m1);
	EXPECT(t, exact && m1.pages_free == m0.pages_free - 5, "%lu vs %lu", m1.pages_free, m0.pages_free);
	free_pages_exact(exact, 5 * PAGE_SIZE);

	addr = get_zeroed_page(GFP_KERNEL);
	EXPECT(t, addr && !memchr_inv((void *)addr, 0, PAGE_SIZE));
	free_page(addr);
	addr = __get_free_pages(GFP_KERNEL, 4);
	EXPECT(t, addr && page_count(virt_to_page((void *)addr)) == 1);
	free_pages(addr, 4);
	EXPECT(t, !alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER), "order above the largest");
	expect_totals_back(t, &m0);
}

/* ---- constructors: once per object life ---------------------------------- */

struct ctor_obj {
	unsigned long magic;	/* word 0: where a free-list link would go */
	unsigned long state;
	char pad[40];
	unsigned long tail;
};

#define CTOR_MAGIC 0xc7014a61c5ull
static atomic_t ctor_calls;

static void ctor_obj_init(void *p)
{
	struct ctor_obj *o = p;

	o->magic = CTOR_MAGIC;
	o->state = 0;
	o->tail = CTOR_MAGIC;
	atomic_inc(&ctor_calls);
}

static void ctor_runs_once_per_object(struct ddeos_ktest *t)
{
	struct ctor_obj *objs[64];
	struct kmem_cache *s;
	int calls, i, round;

	atomic_set(&ctor_calls, 0);
	s = kmem_cache_create("linux_mm_ctor", sizeof(struct ctor_obj), 0,
			      SLAB_HWCACHE_ALIGN, ctor_obj_init);
	if (!EXPECT(t, s))
		return;
	for (round = 0; round < 3; round++) {
		for (i = 0; i < ARRAY_SIZE(objs); i++) {
			objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
			if (!EXPECT(t, objs[i]))
				return;
			EXPECT(t, IS_ALIGNED((unsigned long)objs[i], 64));
			EXPECT(t, objs[i]->magic == CTOR_MAGIC && objs[i]->tail == CTOR_MAGIC,
			       "round %d: object %d lost its constructed state (%#lx)",
			       round, i, objs[i]->magic);
			EXPECT(t, objs[i]->state == round, "state %lu in round %d",
			       objs[i]->state, round);
		}
		if (round == 0)
			calls = atomic_read(&ctor_calls);
		for (i = 0; i < ARRAY_SIZE(objs); i++) {
			objs[i]->state = round + 1;	/* kept across free */
			kmem_cache_free(s, objs[i]);
		}
	}
	EXPECT(t, calls >= ARRAY_SIZE(objs), "%d constructor calls for %zu objects",
	       calls, ARRAY_SIZE(objs));
	EXPECT(t, atomic_read(&ctor_calls) == calls,
	       "constructor ran again at reuse: %d then %d", calls, atomic_read(&ctor_calls));
	kmem_cache_destroy(s);
}

/* ---- kmem_cache: bulk, alignment, destroy and slot reuse ------------------ */

static void kmem_cache_life(struct ddeos_ktest *t)
{
	struct ddeos_mem_totals m0;
	void *bulk[40];
	struct kmem_cache *s;
	void *leak;
	int i;

	totals(&m0);
	s = kmem_cache_create("linux_mm_bulk", 200, 128, 0, NULL);
	if (!EXPECT(t, s))
		return;
	EXPECT(t, kmem_cache_size(s) == 200);
	EXPECT(t, kmem_cache_alloc_bulk(s, GFP_KERNEL, ARRAY_SIZE(bulk), bulk) == ARRAY_SIZE(bulk));
	for (i = 0; i < ARRAY_SIZE(bulk); i++)
		EXPECT(t, IS_ALIGNED((unsigned long)bulk[i], 128), "%px", bulk[i]);
	kmem_cache_free_bulk(s, ARRAY_SIZE(bulk), bulk);
	leak = kmem_cache_zalloc(s, GFP_KERNEL);
	EXPECT(t, leak && !memchr_inv(leak, 0, 200));

	/* Destroyed with an object in use: reported by name, kept usable. */
	kmem_cache_destroy(s);
	EXPECT(t, dde_printk_log_contains("kmem_cache_destroy linux_mm_bulk: Slab cache still has 1 objects in use"),
	       "leak not reported by name");
	kmem_cache_free(s, leak);
	kmem_cache_destroy(s);

	/* Destroyed caches give their slot back: more than the pool has. */
	for (i = 0; i < 200; i++) {
		void *o;

		s = kmem_cache_create("linux_mm_slot", 64 + i, 0, 0, NULL);
		if (!EXPECT(t, s, "create %d failed: slots not reused", i))
			break;
		o = kmem_cache_alloc(s, GFP_KERNEL);
		EXPECT(t, o);
		kmem_cache_free(s, o);
		kmem_cache_destroy(s);
	}
	EXPECT(t, !kmem_cache_create("linux_mm_rcu", 64, 0, SLAB_TYPESAFE_BY_RCU, NULL));
	EXPECT(t, dde_printk_log_contains("SLAB_TYPESAFE_BY_RCU is not supported"));
	expect_totals_back(t, &m0);
}

/* ---- kmem_cache_create from every CPU at once ------------------------------ */

#define CREATORS_PER_CPU 6

struct creator {
	struct kmem_cache *made[CREATORS_PER_CPU];
	unsigned int cpu;
	atomic_t *go;
};

static int create_caches(void *arg)
{
	struct creator *c = arg;
	unsigned int i;

	ddeos_thread_pin(c->cpu);
	atomic_dec(c->go);
	while (atomic_read(c->go) > 0)	/* start together */
		cpu_relax();
	for (i = 0; i < CREATORS_PER_CPU; i++)
		c->made[i] = kmem_cache_create("linux_mm_conc", 32 + 8 * c->cpu + i, 0, 0, NULL);
	return 0;
}

static void kmem_cache_create_concurrent(struct ddeos_ktest *t)
{
	unsigned int n = num_online_cpus(), cpu, i, j, k, l;
	static struct creator cr[NR_CPUS];
	static void *objs[NR_CPUS][CREATORS_PER_CPU];
	void *th[NR_CPUS];
	atomic_t go;

	atomic_set(&go, n);
	for (cpu = 0; cpu < n; cpu++) {
		cr[cpu] = (struct creator){ .cpu = cpu, .go = &go };
		th[cpu] = ddeos_thread_create("linux_mm_mk", create_caches, &cr[cpu], cpu, 4);
	}
	for (cpu = 0; cpu < n; cpu++)
		if (th[cpu])
			ddeos_thread_join(th[cpu]);
	/* Every cache is its own: no two caches' objects share a slab. Two
	 * creators that raced into one pool slot would. */
	for (i = 0; i < n; i++)
		for (j = 0; j < CREATORS_PER_CPU; j++) {
			struct kmem_cache *s = cr[i].made[j];

			objs[i][j] = NULL;
			if (!EXPECT(t, s, "cpu %u cache %u not made", i, j))
				continue;
			objs[i][j] = kmem_cache_alloc(s, GFP_KERNEL);
			EXPECT(t, objs[i][j] && ksize(objs[i][j]) >= 32 + 8 * i + j);
		}
	for (i = 0; i < n; i++)
		for (j = 0; j < CREATORS_PER_CPU; j++)
			for (k = 0; k < n; k++)
				for (l = 0; l < CREATORS_PER_CPU; l++)
					if ((k != i || l != j) && objs[i][j] && objs[k][l])
						EXPECT(t, virt_to_head_page(objs[i][j]) !=
							  virt_to_head_page(objs[k][l]),
						       "caches %u/%u and %u/%u share a slab", i, j, k, l);
	for (i = 0; i < n; i++)
		for (j = 0; j < CREATORS_PER_CPU; j++)
			if (objs[i][j])
				kmem_cache_free(cr[i].made[j], objs[i][j]);
	for (i = 0; i < n; i++)
		for (j = 0; j < CREATORS_PER_CPU; j++)
			kmem_cache_destroy(cr[i].made[j]);
}

/* ---- every context, every CPU, frees on other CPUs ----------------------- */

#define XSLOTS		256
#define OBJ_MAGIC	0x6d6d6f62u

struct xobj {
	u32 magic;
	u32 size;
	u16 cpu;		/* allocating CPU */
	u8 ctx;			/* 0 thread, 1 preempt off, 2 bh off, 3 hard IRQ */
	u8 fill;
};

static void *xslots[XSLOTS];
static atomic_long_t x_allocs, x_frees, x_fail, x_corrupt, x_remote, x_irq, x_not_irq;
static atomic_long_t x_ctx[4];

static void *xobj_make(u32 *seed, gfp_t gfp, u8 ctx)
{
	u32 r = rnd_next(seed);
	/* Mostly small classes, some large (page-block) ones. */
	u32 size = (r & 15) == 0 ? 8193 + (r >> 8) % 20000 : 16 + (r >> 8) % 2000;
	struct xobj *o = kmalloc(size, gfp | __GFP_NOWARN);

	if (!o) {
		atomic_long_inc(&x_fail);
		return NULL;
	}
	o->magic = OBJ_MAGIC;
	o->size = size;
	o->cpu = raw_smp_processor_id();
	o->ctx = ctx;
	o->fill = (u8)r;
	memset(o + 1, o->fill, size - sizeof(*o));
	atomic_long_inc(&x_allocs);
	atomic_long_inc(&x_ctx[ctx]);
	return o;
}

static void xobj_free(struct xobj *o)
{
	if (!o)
		return;
	if (o->magic != OBJ_MAGIC || memchr_inv(o + 1, o->fill, o->size - sizeof(*o)))
		atomic_long_inc(&x_corrupt);
	if (o->cpu != raw_smp_processor_id())
		atomic_long_inc(&x_remote);
	o->magic = 0;
	kfree(o);
	atomic_long_inc(&x_frees);
}

static void xswap(u32 *seed, void *o)
{
	xobj_free(xchg(&xslots[rnd_next(seed) % XSLOTS], o));
}

/* Hard IRQ on another CPU: allocate, trade, free. */
static void x_irq_work(void *arg)
{
	u32 seed = (u32)(unsigned long)arg | 1;
	int i;

	if (in_hardirq() && irqs_disabled())
		atomic_long_inc(&x_irq);
	else
		atomic_long_inc(&x_not_irq);
	for (i = 0; i < 8; i++)
		xswap(&seed, xobj_make(&seed, GFP_ATOMIC, 3));
}

struct x_thread {
	unsigned int cpu;
	unsigned long iters;
};

static int x_thread_fn(void *arg)
{
	struct x_thread *xt = arg;
	unsigned int n = num_online_cpus();
	u32 seed = 0x9e3779b9u * (xt->cpu + 1);
	unsigned long i;

	ddeos_thread_pin(xt->cpu);
	for (i = 0; i < xt->iters; i++) {
		switch (i % 4) {
		case 0:
			xswap(&seed, xobj_make(&seed, GFP_KERNEL, 0));
			break;
		case 1:
			preempt_disable();
			xswap(&seed, xobj_make(&seed, GFP_ATOMIC, 1));
			preempt_enable();
			break;
		case 2:
			local_bh_disable();
			xswap(&seed, xobj_make(&seed, GFP_ATOMIC, 2));
			local_bh_enable();
			break;
		case 3:
			if (i % 32 == 3)
				ddeos_call_on_cpu((xt->cpu + 1 + i / 32 % n) % n,
						  x_irq_work, (void *)(unsigned long)rnd_next(&seed));
			else
				xswap(&seed, xobj_make(&seed, GFP_KERNEL, 0));
			break;
		}
	}
	return 0;
}

static unsigned long stress_iters(void)
{
	unsigned int s = ddeos_ktest_soak_seconds();

	/* About a second per CPU under TCG; a soak asks for more. */
	return s ? 20000ul * s : 6000;
}

static void kmalloc_every_context_every_cpu(struct ddeos_ktest *t)
{
	unsigned int n = num_online_cpus(), cpu, i;
	struct x_thread xt[NR_CPUS];
	void *th[NR_CPUS];
	struct ddeos_mem_totals m0;

	totals(&m0);
	atomic_long_set(&x_allocs, 0);
	atomic_long_set(&x_frees, 0);
	atomic_long_set(&x_fail, 0);
	atomic_long_set(&x_corrupt, 0);
	atomic_long_set(&x_remote, 0);
	atomic_long_set(&x_irq, 0);
	atomic_long_set(&x_not_irq, 0);
	for (i = 0; i < 4; i++)
		atomic_long_set(&x_ctx[i], 0);
	for (cpu = 0; cpu < n; cpu++) {
		xt[cpu] = (struct x_thread){ .cpu = cpu, .iters = stress_iters() };
		th[cpu] = ddeos_thread_create("linux_mm_x", x_thread_fn, &xt[cpu], cpu, 4);
		EXPECT(t, th[cpu]);
	}
	for (cpu = 0; cpu < n; cpu++)
		if (th[cpu])
			ddeos_thread_join(th[cpu]);
	for (i = 0; i < XSLOTS; i++)
		xobj_free(xchg(&xslots[i], NULL));

	pr_info("linux_mm: %ld objects (%ld thread, %ld preempt-off, %ld bh-off, %ld hard-IRQ), %ld freed on another CPU, %ld failed\n",
		atomic_long_read(&x_allocs), atomic_long_read(&x_ctx[0]),
		atomic_long_read(&x_ctx[1]), atomic_long_read(&x_ctx[2]),
		atomic_long_read(&x_ctx[3]), atomic_long_read(&x_remote),
		atomic_long_read(&x_fail));
	EXPECT(t, atomic_long_read(&x_corrupt) == 0, "%ld corrupt objects",
	       atomic_long_read(&x_corrupt));
	EXPECT(t, atomic_long_read(&x_allocs) == atomic_long_read(&x_frees),
	       "%ld allocated, %ld freed", atomic_long_read(&x_allocs),
	       atomic_long_read(&x_frees));
	EXPECT(t, atomic_long_read(&x_fail) == 0, "%ld failed", atomic_long_read(&x_fail));
	EXPECT(t, atomic_long_read(&x_not_irq) == 0 && atomic_long_read(&x_irq) > 0,
	       "IRQ work: %ld in hard IRQ, %ld not", atomic_long_read(&x_irq),
	       atomic_long_read(&x_not_irq));
	for (i = 0; i < 4; i++)
		EXPECT(t, atomic_long_read(&x_ctx[i]) > 0, "no allocation in context %u", i);
	if (n > 1)
		EXPECT(t, atomic_long_read(&x_remote) > 0, "no cross-CPU free");
	expect_totals_back(t, &m0);
}

/* ---- page_frag: carved on one CPU, released on another -------------------- */

#define FRAGS 16

struct frag_free_arg {
	void *frag[FRAGS];
	unsigned int from, to;
	bool in_irq;
};

static void frag_free_irq(void *arg)
{
	struct frag_free_arg *a = arg;
	unsigned int i;

	a->in_irq = in_hardirq();
	for (i = a->from; i < a->to; i++)
		page_frag_free(a->frag[i]);
}

static void page_frag_freed_on_other_cpu(struct ddeos_ktest *t)
{
	struct page_frag_cache nc = {};
	struct frag_free_arg a = {};
	unsigned int other = num_online_cpus() > 1 ? 1 : 0, i;
	struct ddeos_mem_totals m0, m1;
	struct page_frag pf = {};
	struct page *head;

	totals(&m0);
	ddeos_thread_pin(0);
	local_bh_disable();		/* the receive path carves in softirq */
	for (i = 0; i < FRAGS; i++) {
		a.frag[i] = page_frag_alloc(&nc, 2048, GFP_ATOMIC);
		EXPECT(t, a.frag[i]);
	}
	local_bh_enable();
	head = virt_to_head_page(a.frag[0]);
	for (i = 1; i < FRAGS; i++)
		EXPECT(t, virt_to_head_page(a.frag[i]) == head, "fragment %u elsewhere", i);
	EXPECT(t, compound_order(head) == PAGE_FRAG_CACHE_MAX_ORDER);
	/* One reference per fragment plus the cache's unspent bias. */
	EXPECT(t, page_ref_count(head) == FRAGS + nc.pagecnt_bias,
	       "refcount %d, %d fragments + bias %u", page_ref_count(head), FRAGS,
	       nc.pagecnt_bias);

	/* All but the last fragment go on the other CPU, in hard IRQ. */
	a.from = 0;
	a.to = FRAGS - 1;
	ddeos_call_on_cpu(other, frag_free_irq, &a);
	EXPECT(t, a.in_irq);
	EXPECT(t, page_ref_count(head) == 1 + nc.pagecnt_bias);
	__page_frag_cache_drain(head, nc.pagecnt_bias);	/* the cache lets go */
	EXPECT(t, page_ref_count(head) == 1, "refcount %d", page_ref_count(head));
	totals(&m1);
	EXPECT(t, m1.pages_free + (1u << PAGE_FRAG_CACHE_MAX_ORDER) == m0.pages_free,
	       "block freed early: %lu free, %lu at start", m1.pages_free, m0.pages_free);
	/* The last fragment frees the block, exactly once. */
	a.from = FRAGS - 1;
	a.to = FRAGS;
	ddeos_call_on_cpu(other, frag_free_irq, &a);
	totals(&m1);
	EXPECT(t, m1.pages_free == m0.pages_free, "%lu free, %lu at start",
	       m1.pages_free, m0.pages_free);

	/* skb_page_frag_refill keeps a page it alone holds, else takes anew. */
	EXPECT(t, skb_page_frag_refill(1500, &pf, GFP_KERNEL) && pf.page);
	EXPECT(t, pf.size == PAGE_SIZE << PAGE_FRAG_CACHE_MAX_ORDER);
	head = pf.page;
	pf.offset = pf.size - 100;
	get_page(pf.page);		/* a fragment still out */
	EXPECT(t, skb_page_frag_refill(1500, &pf, GFP_KERNEL) && pf.page != head);
	put_page(head);			/* ... now back: the old page is freed */
	put_page(pf.page);
	ddeos_thread_pin(-1);
	expect_totals_back(t, &m0);
}

/* ---- exhaustion: GFP_ATOMIC fails without sleeping, and recovers -------- */

struct held {
	struct held *next;
	unsigned int order;
};

static void gfp_atomic_exhaustion(struct ddeos_ktest *t)
{
	struct held *list = NULL, *h;
	void *objlist = NULL;
	unsigned long blocks = 0, objs = 0, pages = 0;
	struct ddeos_mem_totals m0;
	int order;
	void *p;

	totals(&m0);
	/* Preemption off throughout: an allocation that slept would stop
	 * the kernel with a sleep-in-atomic report. */
	preempt_disable();
	for (order = MAX_ORDER - 1; order >= 0; order--) {
		struct page *page;

		while ((page = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, order))) {
			h = page_address(page);
			h->next = list;
			h->order = order;
			list = h;
			blocks++;
			pages += 1ul << order;
		}
	}
	while (objs < 1000000 && (p = kmalloc(64, GFP_ATOMIC | __GFP_NOWARN))) {
		*(void **)p = objlist;
		objlist = p;
		objs++;
	}
	EXPECT(t, !kmalloc(64, GFP_ATOMIC), "allocation after exhaustion");
	preempt_enable();
	EXPECT(t, dde_printk_log_contains("kmalloc allocation failure: 64 bytes"),
	       "no failure warning naming the request");
	/* A sleeping allocation waits for reclaim, then fails cleanly. */
	EXPECT(t, !alloc_page(GFP_KERNEL | __GFP_NOWARN));
	pr_info("linux_mm: exhausted after %lu blocks (%lu pages) and %lu objects\n",
		blocks, pages, objs);
	EXPECT(t, pages + 64 >= m0.pages_free, "only %lu of %lu free pages reached",
	       pages, m0.pages_free);

	while (list) {
		h = list;
		list = h->next;
		__free_pages(virt_to_page(h), h->order);
	}
	while (objlist) {
		p = objlist;
		objlist = *(void **)p;
		kfree(p);
	}
	EXPECT(t, objs < 1000000, "kmalloc never failed");
	p = alloc_pages_exact(SZ_64K, GFP_ATOMIC);
	EXPECT(t, p, "no recovery after exhaustion");
	free_pages_exact(p, SZ_64K);
	expect_totals_back(t, &m0);
}

/* ---- DMA32 and the DMA API ---------------------------------------------- */

static void gfp_dma32_below_4g(struct ddeos_ktest *t)
{
	bool above = ddeos_mem_phys_end() > SZ_4G;
	struct page *pages[64];
	int i, high = 0;

	for (i = 0; i < ARRAY_SIZE(pages); i++) {
		pages[i] = alloc_pages(GFP_KERNEL | __GFP_DMA32, i % 4);
		if (!EXPECT(t, pages[i]))
			break;
		EXPECT(t, page_to_phys(pages[i]) + (PAGE_SIZE << (i % 4)) <= SZ_4G,
		       "GFP_DMA32 page at %pa", &(phys_addr_t){ page_to_phys(pages[i]) });
	}
	while (i-- > 0)
		__free_pages(pages[i], i % 4);
	/* Without the flag, memory above 4 GiB is preferred when there is some:
	 * so the check above can fail. */
	for (i = 0; i < ARRAY_SIZE(pages); i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		high += pages[i] && page_to_phys(pages[i]) >= SZ_4G;
	}
	for (i = 0; i < ARRAY_SIZE(pages); i++)
		if (pages[i])
			__free_page(pages[i]);
	if (above)
		EXPECT(t, high > 0, "no ordinary page above 4 GiB with %llu MiB of RAM",
		       ddeos_mem_phys_end() >> 20);
	else
		t->skip = high ? NULL : "RAM ends below 4 GiB: only the DMA32 half is checked";
}

static void dma_api(struct ddeos_ktest *t)
{
	struct device dev = { .init_name = "linux_mm-dma" };
	struct scatterlist sg[3];
	dma_addr_t h, hc;
	u64 mask = 0;
	void *buf, *c;
	int n;

	dev.dma_mask = &mask;
	EXPECT(t, dma_set_mask_and_coherent(&dev, DMA_BIT_MASK(24)) == -EIO);
	EXPECT(t, dde_printk_log_contains("linux_mm-dma: DMA mask 0xffffff cannot be met"));
	EXPECT(t, dma_set_mask_and_coherent(&dev, DMA_BIT_MASK(64)) == 0);

	buf = kmalloc(3000, GFP_KERNEL);
	h = dma_map_single(&dev, buf, 3000, DMA_TO_DEVICE);
	EXPECT(t, !dma_mapping_error(&dev, h) && h == virt_to_phys(buf));
	dma_sync_single_for_cpu(&dev, h, 3000, DMA_TO_DEVICE);
	dma_unmap_single(&dev, h, 3000, DMA_TO_DEVICE);

	sg_init_table(sg, 3);
	sg_set_buf(&sg[0], buf, 100);
	sg_set_buf(&sg[1], buf + 1000, 200);
	sg_set_page(&sg[2], virt_to_page(buf), 16, offset_in_page(buf) + 8);
	n = dma_map_sg(&dev, sg, 3, DMA_BIDIRECTIONAL);
	EXPECT(t, n == 3 && sg_dma_address(&sg[1]) == virt_to_phys(buf + 1000) &&
	       sg_dma_len(&sg[1]) == 200 && sg_dma_address(&sg[2]) == virt_to_phys(buf + 8));
	dma_unmap_sg(&dev, sg, 3, DMA_BIDIRECTIONAL);

	EXPECT(t, dma_set_mask_and_coherent(&dev, DMA_BIT_MASK(32)) == 0);
	c = dma_alloc_coherent(&dev, 3 * PAGE_SIZE, &hc, GFP_KERNEL);
	EXPECT(t, c && hc == virt_to_phys(c) && hc + 3 * PAGE_SIZE <= SZ_4G &&
	       !memchr_inv(c, 0, 3 * PAGE_SIZE), "coherent memory at %pad", &hc);
	dma_free_coherent(&dev, 3 * PAGE_SIZE, c, hc);
	if (virt_to_phys(buf) >= SZ_4G) {
		/* A 32-bit device cannot reach it and there is no bounce buffer. */
		h = dma_map_single(&dev, buf, 64, DMA_FROM_DEVICE);
		EXPECT(t, dma_mapping_error(&dev, h) == -ENOMEM);
	}
	kfree(buf);
}

/* ---- the suite's last case: the accounting is back at its start -------- */

static void accounting_back_at_end(struct ddeos_ktest *t)
{
	expect_totals_back(t, &suite_start);
}

static const struct ddeos_ktest_case linux_mm_cases[] = {
	{ "accounting_start", accounting_start },
	{ "kmalloc_family", kmalloc_family },
	{ "struct_page_round_trips", struct_page_round_trips },
	{ "page_refcounts_and_split", page_refcounts_and_split },
	{ "ctor_runs_once_per_object", ctor_runs_once_per_object },
	{ "kmem_cache_life", kmem_cache_life },
	{ "kmem_cache_create_concurrent", kmem_cache_create_concurrent },
	{ "kmalloc_every_context_every_cpu", kmalloc_every_context_every_cpu },
	{ "page_frag_freed_on_other_cpu", page_frag_freed_on_other_cpu },
	{ "gfp_atomic_exhaustion", gfp_atomic_exhaustion },
	{ "gfp_dma32_below_4g", gfp_dma32_below_4g },
	{ "dma_api", dma_api },
	{ "accounting_back_at_end", accounting_back_at_end },
};

LINUX_KTEST_SUITE(linux_mm, linux_mm_cases);
