// SPDX-License-Identifier: GPL-2.0-only
/*
 * The memory pool (kernel/mm/pool*.c) in the running kernel: threads on
 * every CPU, periodic timers and IPIs allocating and freeing at once, with
 * objects crossing CPUs; a CPU that stops calling the pool; running out of
 * memory; a hard IRQ entering the pool in the middle of a thread's
 * operation; named caches and ksize. Every object carries a pattern tied to
 * its allocation, checked when it is freed.
 *
 * `mempool.soak=SECONDS` on the command line makes the stress case run that
 * long instead of STRESS_CHECK_MS (see docs/mempool.md).
 *
 * White box: the nesting case reads the pool's context busy flags and slab
 * owners from pool_internal.h, to prove the interrupt really landed inside
 * the pool and was served by the next context.
 *
 * Every case waits for the events it checks (objects back, interrupts that
 * landed inside the pool, slabs given back), never for a time or a number
 * of ticks; where a bound is in ticks, the tick count is read when the
 * event is seen and compared with the bound.
 */
#include <ddeos/arch.h>
#include <ddeos/cmdline.h>
#include <ddeos/console.h>
#include <ddeos/errno.h>
#include <ddeos/ktest.h>
#include <ddeos/mm.h>
#include <ddeos/page_alloc.h>
#include <ddeos/panic.h>
#include <ddeos/percpu.h>
#include <ddeos/preempt.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>
#include <ddeos/string.h>
#include <ddeos/timer.h>
#include "../../kernel/mm/pool_internal.h"

#define MS			1000000ull
#define STRESS_CHECK_MS		1000	/* `make check`: ~1 s of the ~2 s */
#define SOAK_MAX_S		86400
#define LOCAL			64	/* live objects per stress thread */
#define STASH			16	/* live objects per CPU's IRQ handlers */
#define XCHG			64	/* slots objects cross CPUs through */
#define TIMER_PERIOD_NS		(1 * MS)
#define NEST_PERIOD_NS		200000ull
#define NEST_MS			300
#define STOP_OBJS		2000
#define EVENT_WAIT_MS		30000	/* cap on waiting for an event */

static unsigned int soak_s;

/* mempool.soak=SECONDS: 1..SOAK_MAX_S. */
static int soak_param(const char *value)
{
	unsigned int v = 0;

	if (!value || !*value)
		return -EINVAL;
	for (const char *p = value; *p; p++) {
		if (*p < '0' || *p > '9' || v > SOAK_MAX_S)
			return -EINVAL;
		v = v * 10 + (unsigned int)(*p - '0');
	}
	if (!v || v > SOAK_MAX_S)
		return -EINVAL;
	soak_s = v;
	return 0;
}
KPARAM(mempool_soak, "mempool.soak", soak_param);

/* The Linux-world suites (linux_mm) soak as long as this one. */
unsigned int ddeos_ktest_soak_seconds(void)
{
	return soak_s;
}

/* ---- patterns ----------------------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

/* Word i of an object tagged @tag; tail bytes take the low byte. */
static inline uint64_t pat(uint64_t tag, size_t i)
{
	return tag ^ (i * 0x9e3779b97f4a7c15ull);
}

static void fill(void *p, size_t size, uint64_t tag)
{
	uint64_t *w = p;
	size_t i, n = size / 8;

	for (i = 0; i < n; i++)
		w[i] = pat(tag, i);
	for (i = n * 8; i < size; i++)
		((uint8_t *)p)[i] = (uint8_t)(tag + i);
}

static bool check_fill(const void *p, size_t size, uint64_t tag)
{
	const uint64_t *w = p;
	size_t i, n = size / 8;

	for (i = 0; i < n; i++)
		if (w[i] != pat(tag, i))
			return false;
	for (i = n * 8; i < size; i++)
		if (((const uint8_t *)p)[i] != (uint8_t)(tag + i))
			return false;
	return true;
}

/* A live object. The tag's top byte is the allocating CPU. */
struct slot {
	void *p;
	uint32_t size;
	uint64_t tag;
};

#define TAG_CPU(tag)	((unsigned int)((tag) >> 56))

/* Counters of one CPU's stress activity, CPU-local except at the end. */
struct stress_cpu {
	struct timer timer;
	struct slot stash[STASH];	/* only this CPU's IRQ handlers */
	uint64_t irq_seed, irq_seq;
	uint64_t allocs, frees, remote_frees, irq_allocs, irq_frees, ipis;
	uint64_t alloc_fail, corrupt;
} __aligned(64);

static struct stress_cpu scpu[MAX_CPUS];
static struct slot xchg[XCHG];
static volatile bool stress_stop;

static bool alloc_filled(struct stress_cpu *c, struct slot *s, size_t size,
			 uint64_t tag)
{
	void *p = pool_alloc(size, POOL_ATOMIC);

	if (!p) {
		c->alloc_fail++;
		return false;
	}
	if ((uintptr_t)p % 8 || pool_ksize(p) < size)
		c->corrupt++;
	fill(p, size, tag);
	s->p = p;
	s->size = (uint32_t)size;
	s->tag = tag;
	c->allocs++;
	return true;
}

static void free_checked(struct stress_cpu *c, struct slot *s)
{
	if (!check_fill(s->p, s->size, s->tag)) {
		c->corrupt++;
		kprintf("    # corrupt: %p size %u tag %#llx\n", s->p, s->size,
			(unsigned long long)s->tag);
	}
	if (TAG_CPU(s->tag) != cpu_id())
		c->remote_frees++;
	pool_free(s->p);
	s->p = NULL;
	c->frees++;
}

/*
 * Swap @in into slot @i of the shared array and take what was there into
 * @out. Slot states: p == NULL empty, (void *)1 held by someone mid-swap,
 * else an object. A holder may be interrupted by an IRQ on its CPU that
 * tries the same slot: it finds it held and skips, so nobody waits.
 */
static bool xchg_swap(unsigned int i, const struct slot *in, struct slot *out)
{
	struct slot *x = &xchg[i];
	void *p = __atomic_exchange_n(&x->p, (void *)1, __ATOMIC_ACQUIRE);

	if (p == (void *)1)
		return false;
	out->p = p;
	out->size = x->size;
	out->tag = x->tag;
	x->size = in ? in->size : 0;
	x->tag = in ? in->tag : 0;
	__atomic_store_n(&x->p, in ? in->p : NULL, __ATOMIC_RELEASE);
	return true;
}

static size_t random_size(uint64_t *seed)
{
	uint64_t r = rng_next(seed);

	switch (r % 20) {
	case 0:
		return POOL_KMALLOC_MAX + 1 + (r >> 8) % (32 * 1024);
	case 1:
	case 2:
	case 3:
		return 1 + (r >> 8) % POOL_KMALLOC_MAX;
	default:
		return 1 + (r >> 8) % 256;
	}
}

/* Context: hard IRQ (timer or IPI) on this CPU; the two never nest. */
static void stress_irq(void)
{
	unsigned int cpu = cpu_id();
	struct stress_cpu *c = &scpu[cpu];
	uint64_t r = rng_next(&c->irq_seed);
	struct slot *s = &c->stash[r % STASH], got;

	if (READ_ONCE(stress_stop))
		return;
	if (s->p) {
		free_checked(c, s);
		c->irq_frees++;
	}
	if (alloc_filled(c, s, 1 + (r >> 8) % 1024,
			 ((uint64_t)cpu << 56) | (1ull << 55) | c->irq_seq++))
		c->irq_allocs++;
	/* Trade with the threads and other CPUs' IRQs. */
	if (s->p && xchg_swap((unsigned int)(r >> 40) % XCHG, s, &got))
		*s = got;	/* may be empty */
}

static void stress_timer(struct timer *t, void *arg)
{
	stress_irq();
}

static void stress_ipi(void *arg)
{
	scpu[cpu_id()].ipis++;
	stress_irq();
}

struct stress_arg {
	unsigned int cpu;
	uint64_t deadline;
};

static int stress_thread(void *arg)
{
	struct stress_arg *a = arg;
	struct stress_cpu *c = &scpu[a->cpu];
	unsigned int ncpus = smp_cpus_online();
	struct slot local[LOCAL] = { 0 }, got;
	uint64_t seed = 0x9e3779b97f4a7c15ull * (a->cpu + 1), seq = 0;

	assert(cpu_id() == a->cpu);
	c->irq_seed = seed ^ 0x5bd1e995;
	timer_init(&c->timer, stress_timer, NULL);
	timer_arm(&c->timer, clock_ns() + TIMER_PERIOD_NS, TIMER_PERIOD_NS);
	/* The time asked for, and then until this CPU has seen its events:
	 * interrupts that allocated and freed, an IPI, a remote free. */
	while (clock_ns() < a->deadline ||
	       ((!READ_ONCE(c->irq_allocs) || !READ_ONCE(c->irq_frees) ||
		 !READ_ONCE(c->ipis) || (ncpus > 1 && !c->remote_frees)) &&
		clock_ns() < a->deadline + EVENT_WAIT_MS * MS)) {
		uint64_t r = rng_next(&seed);
		struct slot *s = &local[r % LOCAL];

		switch ((r >> 32) % 64) {
		case 0:
			/* An IPI to another CPU (ourselves on one CPU). */
			smp_run_on_cpu((a->cpu + 1 + (unsigned int)(r >> 40) %
					MAX(ncpus - 1, 1u)) % ncpus,
				       stress_ipi, NULL);
			continue;
		case 1 ... 8:
			/* Hand an object on, free what another CPU left. */
			if (s->p && xchg_swap((unsigned int)(r >> 40) % XCHG, s, &got)) {
				s->p = NULL;
				if (got.p)
					free_checked(c, &got);
			}
			continue;
		}
		if (s->p)
			free_checked(c, s);
		else
			alloc_filled(c, s, random_size(&seed),
				     ((uint64_t)a->cpu << 56) | seq++);
	}
	timer_cancel_sync(&c->timer);
	for (int i = 0; i < LOCAL; i++)
		if (local[i].p)
			free_checked(c, &local[i]);
	return 0;
}

/* Everything back: totals as @b0 after draining every CPU. */
static void expect_all_back(struct ddeos_ktest *t, const struct pool_totals *b0,
			    uint64_t pages_before)
{
	struct pool_totals b1;

	pool_boot_drain_all();
	pool_get_totals(&b1);
	KTEST_EXPECT(t, b1.objects_in_use == b0->objects_in_use,
		     "%zu objects in use, %zu before", b1.objects_in_use,
		     b0->objects_in_use);
	KTEST_EXPECT(t, b1.remote_in_flight == 0, "%zu frees in flight",
		     b1.remote_in_flight);
	KTEST_EXPECT(t, b1.pages_free + b1.pages_cached ==
			b0->pages_free + b0->pages_cached,
		     "pool free pages %zu, %zu before",
		     b1.pages_free + b1.pages_cached,
		     b0->pages_free + b0->pages_cached);
	KTEST_EXPECT(t, b1.pages_slab == b0->pages_slab, "slab pages %zu, %zu before",
		     b1.pages_slab, b0->pages_slab);
	KTEST_EXPECT(t, page_alloc_free_pages() == pages_before,
		     "free pages %llu, %llu before",
		     (unsigned long long)page_alloc_free_pages(),
		     (unsigned long long)pages_before);
}

static void stress_all_cpus(struct ddeos_ktest *t)
{
	unsigned int ncpus = smp_cpus_online();
	uint64_t ms = soak_s ? soak_s * 1000ull : STRESS_CHECK_MS, t0;
	struct stress_arg args[MAX_CPUS];
	struct thread *th[MAX_CPUS];
	struct stress_cpu sum = { 0 };
	struct pool_totals b0;
	uint64_t pages_before;

	pool_boot_drain_all();
	pool_get_totals(&b0);
	pages_before = page_alloc_free_pages();
	memset(scpu, 0, sizeof(scpu));
	memset(xchg, 0, sizeof(xchg));
	WRITE_ONCE(stress_stop, false);
	t0 = clock_ns();
	for (unsigned int i = 0; i < ncpus; i++) {
		args[i] = (struct stress_arg){ i, t0 + ms * MS };
		th[i] = thread_create(&(struct thread_attr){ .name = "mempool-stress",
							     .prio = SCHED_PRIO_DEFAULT,
							     .cpu = (int)i },
				      stress_thread, &args[i]);
		KTEST_EXPECT(t, th[i], "thread for CPU %u", i);
	}
	for (unsigned int i = 0; i < ncpus; i++)
		if (th[i])
			thread_join(th[i]);
	/* Timers are cancelled and no thread sends IPIs: the stashes and the
	 * exchange are ours now, freed from this CPU (remote for most). */
	WRITE_ONCE(stress_stop, true);
	preempt_off();
	for (unsigned int i = 0; i < ncpus; i++)
		for (int j = 0; j < STASH; j++)
			if (scpu[i].stash[j].p)
				free_checked(&scpu[cpu_id()], &scpu[i].stash[j]);
	for (int j = 0; j < XCHG; j++) {
		struct slot got;

		KTEST_EXPECT(t, xchg_swap((unsigned int)j, NULL, &got));
		if (got.p)
			free_checked(&scpu[cpu_id()], &got);
	}
	preempt_on();
	for (unsigned int i = 0; i < ncpus; i++) {
		sum.allocs += scpu[i].allocs;
		sum.frees += scpu[i].frees;
		sum.remote_frees += scpu[i].remote_frees;
		sum.irq_allocs += scpu[i].irq_allocs;
		sum.irq_frees += scpu[i].irq_frees;
		sum.ipis += scpu[i].ipis;
		sum.alloc_fail += scpu[i].alloc_fail;
		sum.corrupt += scpu[i].corrupt;
	}
	kprintf("    # stress: %llu ms, %u CPUs, %llu objects (%llu in IRQs, %llu IPIs), %llu remote frees, %llu failed\n",
		(unsigned long long)(clock_ns() - t0) / MS, ncpus,
		(unsigned long long)sum.allocs, (unsigned long long)sum.irq_allocs,
		(unsigned long long)sum.ipis, (unsigned long long)sum.remote_frees,
		(unsigned long long)sum.alloc_fail);
	KTEST_EXPECT(t, sum.corrupt == 0, "%llu corrupt objects",
		     (unsigned long long)sum.corrupt);
	KTEST_EXPECT(t, sum.allocs == sum.frees, "lost %lld objects",
		     (long long)(sum.allocs - sum.frees));
	KTEST_EXPECT(t, sum.alloc_fail == 0);
	KTEST_EXPECT(t, sum.irq_allocs > 0 && sum.irq_frees > 0 && sum.ipis > 0);
	KTEST_EXPECT(t, ncpus == 1 || sum.remote_frees > 0);
	expect_all_back(t, &b0, pages_before);
}

/* ---- a CPU that stops calling the pool ---------------------------------- */

static void *stop_objs[STOP_OBJS];
static volatile int stop_phase;

static int stopped_owner(void *arg)
{
	for (int i = 0; i < STOP_OBJS; i++)
		stop_objs[i] = pool_alloc(16 + (size_t)(i % 7) * 100, POOL_ATOMIC);
	WRITE_ONCE(stop_phase, 1);
	/* Never calls the pool again: only its tick drains it. IRQs stay on,
	 * and the CPU never idles (which would drain too). */
	while (READ_ONCE(stop_phase) != 2)
		arch_cpu_relax();
	return 0;
}

/*
 * Bound tested: once the freer's tick has run after the last free (it pushes
 * the freer's partial batch), the owner's inbox is empty by the end of the
 * owner's second tick after that; the first may have started before the
 * push. Two more owner ticks and its now empty slabs are back too.
 */
static void stopped_cpu_drained_by_tick(struct ddeos_ktest *t)
{
	unsigned int owner = 1, freer;
	struct pool_totals b0, b1;
	struct thread *o;
	uint64_t ft0, ot1, ot, t0, t1, t2, rf0, rf1;
	bool drained = false, in_flight;
	int missing = 0;

	if (smp_cpus_online() < 2)
		KTEST_SKIP(t, "needs 2 CPUs");
	thread_pin(0);
	freer = cpu_id();
	pool_boot_drain_all();
	pool_get_totals(&b0);
	WRITE_ONCE(stop_phase, 0);
	o = thread_create(&(struct thread_attr){ .name = "mempool-owner",
						 .prio = SCHED_PRIO_DEFAULT,
						 .cpu = (int)owner },
			  stopped_owner, NULL);
	KTEST_ASSERT(t, o);
	while (READ_ONCE(stop_phase) != 1)
		thread_yield();
	/* Sample while freeing: on a fast host (KVM) the owner's tick may
	 * drain everything before a single look after the loop. */
	in_flight = false;
	rf0 = pool_remote_frees(freer);
	for (int i = 0; i < STOP_OBJS; i++) {
		missing += !stop_objs[i];
		pool_free(stop_objs[i]);
		if (i % 64 == 63 && !in_flight) {
			pool_get_totals(&b1);
			in_flight = b1.remote_in_flight > 0;
		}
	}
	rf1 = pool_remote_frees(freer);
	t0 = clock_ns();
	ft0 = pool_boot_ticks(freer);
	/* The freer's next tick pushes the rest of its batch. */
	while (pool_boot_ticks(freer) == ft0)
		arch_cpu_relax();
	t1 = clock_ns();
	ot1 = pool_boot_ticks(owner);
	for (;;) {
		ot = pool_boot_ticks(owner);
		pool_get_totals(&b1);
		if (b1.objects_in_use == b0.objects_in_use &&
		    b1.remote_in_flight == 0) {
			drained = true;
			break;
		}
		if (ot >= ot1 + 2)
			break;	/* two full owner ticks later: too late */
	}
	t2 = clock_ns();
	kprintf("    # stopped CPU: %u objects drained %llu us after the last free, %llu us after the freer's tick, owner ticks %llu\n",
		STOP_OBJS, (unsigned long long)(t2 - t0) / 1000,
		(unsigned long long)(t2 - t1) / 1000,
		(unsigned long long)(pool_boot_ticks(owner) - ot1));
	KTEST_EXPECT(t, missing == 0, "%d allocations failed", missing);
	KTEST_EXPECT(t, in_flight, "frees did not go to the owner's inbox");
	/* Every one of them was a free of another CPU's object. */
	KTEST_EXPECT(t, rf1 - rf0 >= (uint64_t)(STOP_OBJS - missing),
		     "%llu remote frees counted for %d", (unsigned long long)(rf1 - rf0),
		     STOP_OBJS - missing);
	KTEST_EXPECT(t, drained, "%zu objects in use (%zu before), %zu in flight after 2 owner ticks",
		     b1.objects_in_use, b0.objects_in_use, b1.remote_in_flight);
	/* Its context is idle: POOL_IDLE_TICKS ticks after the one that took
	 * the objects back, it gives its slabs back. That tick was at most
	 * the one after @ot (read before the totals that showed it). */
	for (uint64_t od = ot;;) {
		uint64_t o2 = pool_boot_ticks(owner);

		pool_get_totals(&b1);
		if (b1.pages_slab == b0.pages_slab)
			break;
		if (o2 >= od + 1 + POOL_IDLE_TICKS) {
			KTEST_EXPECT(t, false, "slab pages %zu, %zu before, %llu owner ticks after",
				     b1.pages_slab, b0.pages_slab,
				     (unsigned long long)(o2 - od));
			break;
		}
	}
	WRITE_ONCE(stop_phase, 2);
	thread_join(o);
	thread_pin(CPU_ANY);
}

/* ---- out of memory ------------------------------------------------------ */

/*
 * A block taken while exhausting: chained through word 0, stamped at its
 * start and, when it has room after the header (24-byte objects do not),
 * in its last word too.
 */
struct held {
	struct held *next;
	uint64_t stamp;
	uint64_t size;
};

static uint64_t *tail_stamp(void *p, size_t size)
{
	return size >= sizeof(struct held) + 8 ? (uint64_t *)((char *)p + size - 8) : NULL;
}

static uint64_t stamp_of(const void *p, size_t size)
{
	return (uintptr_t)p * 0x2545f4914f6cdd1dull ^ size;
}

static struct held *hold(struct held *list, void *p, size_t size)
{
	struct held *h = p;

	h->next = list;
	h->stamp = stamp_of(p, size);
	h->size = size;
	if (tail_stamp(p, size))
		*tail_stamp(p, size) = h->stamp;
	return h;
}

static bool intact(struct held *h)
{
	uint64_t *tail = tail_stamp(h, h->size);

	return h->stamp == stamp_of(h, h->size) && (!tail || *tail == h->stamp);
}

struct exhausted {
	struct held *pages, *objs;
	uint64_t npages, nobjs;
	uint64_t slab_pages;		/* pool pages in slabs when exhausted */
	uint64_t left;			/* free pages the pool still had */
};

/* A block of 64 pages is given back before objects are taken, so that
 * their slabs have to be made from the last free pages. */
#define OOM_SLAB_ORDER	6

/*
 * Take everything with atomic allocations: all page blocks, largest first;
 * then give one block of 2^OOM_SLAB_ORDER pages back and take objects of
 * random sizes until even a 24-byte one fails.
 */
static void exhaust(struct exhausted *e, uint64_t seed)
{
	struct pool_totals t;
	void *reserve = pool_page_alloc(OOM_SLAB_ORDER, POOL_ATOMIC), *p;

	*e = (struct exhausted){ 0 };
	for (int o = POOL_MAX_ORDER; o >= 0; o--)
		while ((p = pool_page_alloc((unsigned int)o, POOL_ATOMIC))) {
			e->pages = hold(e->pages, p, PAGE_SIZE << o);
			e->npages += 1ull << o;
		}
	pool_page_free(reserve, OOM_SLAB_ORDER);
	for (;;) {
		size_t size = 24 + rng_next(&seed) % 4000;

		if (!(p = pool_alloc(size, POOL_ATOMIC))) {
			size = 24;
			if (!(p = pool_alloc(size, POOL_ATOMIC)))
				break;
		}
		e->objs = hold(e->objs, p, size);
		e->nobjs++;
	}
	pool_get_totals(&t);
	e->slab_pages = t.pages_slab;
	e->left = t.pages_free + t.pages_cached;
}

/* Check the stamps and give everything back. Return: broken stamps. */
static unsigned int release(struct exhausted *e)
{
	unsigned int bad = 0;

	for (struct held *h = e->pages, *next; h; h = next) {
		next = h->next;
		bad += !intact(h);
		pool_page_free(h, (unsigned int)__builtin_ctzll(h->size / PAGE_SIZE));
	}
	for (struct held *h = e->objs, *next; h; h = next) {
		next = h->next;
		bad += !intact(h);
		pool_free(h);
	}
	return bad;
}

static void oom_atomic_fails_cleanly(struct ddeos_ktest *t)
{
	struct pool_totals b0;
	struct exhausted e1, e2;
	uint64_t pages_before;
	void *p;

	pool_boot_drain_all();
	pool_get_totals(&b0);
	pages_before = page_alloc_free_pages();
	exhaust(&e1, 1);
	KTEST_EXPECT(t, pool_page_alloc(0, POOL_ATOMIC) == NULL);
	KTEST_EXPECT(t, pool_alloc(POOL_KMALLOC_MAX + 1, POOL_ATOMIC) == NULL);
	KTEST_EXPECT(t, pool_alloc(POOL_KMALLOC_MAX, POOL_ATOMIC | POOL_ZERO) == NULL);
	KTEST_EXPECT(t, e1.nobjs > (1u << OOM_SLAB_ORDER), "only %llu objects",
		     (unsigned long long)e1.nobjs);
	/* Every free page was reachable, as a block or in a slab. */
	KTEST_EXPECT(t, e1.left == 0, "%llu pages free but not handed out",
		     (unsigned long long)e1.left);
	KTEST_EXPECT(t, e1.npages + e1.slab_pages - b0.pages_slab ==
			b0.pages_free + b0.pages_cached,
		     "took %llu pages + %llu in slabs of %zu",
		     (unsigned long long)e1.npages,
		     (unsigned long long)(e1.slab_pages - b0.pages_slab),
		     b0.pages_free + b0.pages_cached);
	KTEST_EXPECT(t, release(&e1) == 0, "stamps broken");
	expect_all_back(t, &b0, pages_before);
	/* It works again, and all of it. */
	p = pool_alloc(100, POOL_ATOMIC);
	KTEST_EXPECT(t, p != NULL);
	pool_free(p);
	pool_boot_drain_all();	/* its now empty slab, kept as current */
	exhaust(&e2, 1);
	kprintf("    # oom: %llu pages + %llu objects, then %llu pages + %llu objects\n",
		(unsigned long long)e1.npages, (unsigned long long)e1.nobjs,
		(unsigned long long)e2.npages, (unsigned long long)e2.nobjs);
	KTEST_EXPECT(t, e2.npages == e1.npages && e2.left == 0,
		     "%llu pages then %llu", (unsigned long long)e1.npages,
		     (unsigned long long)e2.npages);
	KTEST_EXPECT(t, release(&e2) == 0, "stamps broken");
	expect_all_back(t, &b0, pages_before);
}

/* ---- a hard IRQ inside a thread's pool operation ------------------------ */

struct nest {
	struct timer timer;
	unsigned int cpu;
	struct slot stash[8];
	uint64_t seed, seq;
	struct slot handoff;		/* thread -> IRQ, p swapped atomically */
	uint64_t irqs, inside, nested_owned, thread_objs_freed, corrupt, fail;
	struct stress_cpu c;		/* counters of the thread */
};

static struct nest nest;

/* Context: hard IRQ on nest.cpu. */
static void nest_timer(struct timer *tm, void *arg)
{
	struct nest *n = &nest;
	const struct pool_ctx *ctx0 = pool_owner_ctx(n->cpu * POOL_NEST);
	bool inside = __atomic_load_n(&ctx0->busy, __ATOMIC_RELAXED);
	struct slot *s = &n->stash[rng_next(&n->seed) % 8];
	void *p;

	n->irqs++;
	n->inside += inside;
	if (s->p) {
		if (!check_fill(s->p, s->size, s->tag))
			n->corrupt++;
		pool_free(s->p);
		s->p = NULL;
	}
	s->size = 1 + (uint32_t)(rng_next(&n->seed) % 700);
	s->tag = (1ull << 54) | n->seq++;
	p = pool_alloc(s->size, POOL_ATOMIC);
	if (!p) {
		n->fail++;
		return;
	}
	fill(p, s->size, s->tag);
	s->p = p;
	/* Interrupting the thread inside the pool: served by context 1. */
	if (inside && pool_virt_to_page(p)->head->owner == n->cpu * POOL_NEST + 1)
		n->nested_owned++;
	/* Free an object the thread allocated: remote to the busy context. */
	p = __atomic_exchange_n(&n->handoff.p, NULL, __ATOMIC_ACQUIRE);
	if (p) {
		if (!check_fill(p, n->handoff.size, n->handoff.tag))
			n->corrupt++;
		pool_free(p);
		n->thread_objs_freed++;
	}
}

static int nest_thread(void *arg)
{
	struct nest *n = &nest;
	struct slot live[8] = { 0 };
	uint64_t seed = 12345, seq = 0, deadline = clock_ns() + NEST_MS * MS;
	uint64_t cap = deadline + EVENT_WAIT_MS * MS;

	n->cpu = cpu_id();
	n->seed = 777;
	timer_init(&n->timer, nest_timer, NULL);
	timer_arm(&n->timer, clock_ns() + NEST_PERIOD_NS, NEST_PERIOD_NS);
	/* NEST_MS, and until the events the case checks have happened. */
	while (clock_ns() < deadline ||
	       ((READ_ONCE(n->inside) < 10 || !READ_ONCE(n->nested_owned) ||
		 !READ_ONCE(n->thread_objs_freed)) && clock_ns() < cap)) {
		struct slot *s = &live[rng_next(&seed) % 8];

		if (s->p) {
			free_checked(&n->c, s);
			continue;
		}
		/* Small objects: most time inside the pool, not filling. */
		if (!alloc_filled(&n->c, s, 1 + rng_next(&seed) % 128,
				  (2ull << 54) | seq++))
			continue;
		/* Offer it to the IRQ once the last offer was taken. */
		if (!__atomic_load_n(&n->handoff.p, __ATOMIC_ACQUIRE)) {
			n->handoff.size = s->size;
			n->handoff.tag = s->tag;
			__atomic_store_n(&n->handoff.p, s->p, __ATOMIC_RELEASE);
			s->p = NULL;
		}
	}
	timer_cancel_sync(&n->timer);
	for (int i = 0; i < 8; i++) {
		if (live[i].p)
			free_checked(&n->c, &live[i]);
		if (n->stash[i].p)
			free_checked(&n->c, &n->stash[i]);
	}
	if (n->handoff.p)
		pool_free(n->handoff.p);
	return 0;
}

static void hardirq_interrupts_thread(struct ddeos_ktest *t)
{
	struct nest *n = &nest;
	struct pool_totals b0;
	uint64_t pages_before;
	struct thread *th;

	pool_boot_drain_all();
	pool_get_totals(&b0);
	pages_before = page_alloc_free_pages();
	memset(n, 0, sizeof(*n));
	th = thread_create(&(struct thread_attr){ .name = "mempool-nest",
						  .prio = SCHED_PRIO_DEFAULT,
						  .cpu = (int)(smp_cpus_online() - 1) },
			   nest_thread, NULL);
	KTEST_ASSERT(t, th);
	thread_join(th);
	kprintf("    # nesting: %llu IRQs, %llu inside the pool, %llu served by context 1, %llu thread objects freed in IRQ\n",
		(unsigned long long)n->irqs, (unsigned long long)n->inside,
		(unsigned long long)n->nested_owned,
		(unsigned long long)n->thread_objs_freed);
	KTEST_EXPECT(t, n->corrupt == 0 && n->c.corrupt == 0, "%llu + %llu corrupt",
		     (unsigned long long)n->corrupt, (unsigned long long)n->c.corrupt);
	KTEST_EXPECT(t, n->fail == 0 && n->c.alloc_fail == 0);
	KTEST_EXPECT(t, n->inside > 0, "no IRQ landed inside the pool");
	KTEST_EXPECT(t, n->nested_owned > 0, "IRQ inside the pool not served by context 1");
	KTEST_EXPECT(t, n->thread_objs_freed > 0);
	expect_all_back(t, &b0, pages_before);
}

/* ---- caches, alignment, ksize ------------------------------------------- */

static void cache_align_ksize(struct ddeos_ktest *t)
{
	static const struct { size_t size, align; } spec[] = {
		{ 3, 0 }, { 24, 0 }, { 100, 64 }, { 1000, 512 }, { 192, 128 },
		{ 4096, 4096 }, { 8192, 0 }, { 40, 8 },
	};
	enum { N = 20 };
	struct pool_totals b0;
	uint64_t pages_before;

	pool_boot_drain_all();
	pool_get_totals(&b0);
	pages_before = page_alloc_free_pages();
	KTEST_EXPECT(t, !pool_cache_create("bad-size", 0, 0));
	KTEST_EXPECT(t, !pool_cache_create("too-big", POOL_KMALLOC_MAX + 1, 0));
	KTEST_EXPECT(t, !pool_cache_create("bad-align", 64, 24));
	KTEST_EXPECT(t, !pool_cache_create("big-align", 64, 2 * PAGE_SIZE));
	for (size_t k = 0; k < ARRAY_SIZE(spec); k++) {
		struct pool_cache *c = pool_cache_create("test", spec[k].size,
							 spec[k].align);
		size_t want = MAX(spec[k].align, (size_t)8);
		void *o[N];

		KTEST_ASSERT(t, c, "cache %zu/%zu", spec[k].size, spec[k].align);
		for (int i = 0; i < N; i++) {
			o[i] = pool_cache_alloc(c, i % 2 ? POOL_ZERO : POOL_ATOMIC);
			KTEST_ASSERT(t, o[i]);
			KTEST_EXPECT(t, (uintptr_t)o[i] % want == 0,
				     "%p not %zu-aligned", o[i], want);
			KTEST_EXPECT(t, pool_ksize(o[i]) >= spec[k].size);
			if (i % 2) {
				bool zero = true;

				for (size_t b = 0; b < pool_ksize(o[i]); b++)
					zero &= ((uint8_t *)o[i])[b] == 0;
				KTEST_EXPECT(t, zero, "POOL_ZERO object not zero");
			}
			fill(o[i], spec[k].size, (uint64_t)k << 32 | (uint64_t)i);
		}
		/* No two objects overlap. */
		for (int i = 0; i < N; i++) {
			KTEST_EXPECT(t, check_fill(o[i], spec[k].size,
						   (uint64_t)k << 32 | (uint64_t)i));
			pool_cache_free(c, o[i]);
		}
		pool_cache_destroy(c);
	}
	/* kmalloc: ksize covers the request, power-of-two sizes are aligned. */
	for (size_t size = 1; size <= 3 * POOL_KMALLOC_MAX; size += size < 512 ? 1 : 61) {
		void *p = pool_alloc(size, POOL_ATOMIC);
		size_t ks = p ? pool_ksize(p) : 0;

		KTEST_ASSERT(t, p, "size %zu", size);
		KTEST_EXPECT(t, ks >= size && (uintptr_t)p % 8 == 0,
			     "size %zu: ksize %zu at %p", size, ks, p);
		if (size > POOL_KMALLOC_MAX)
			KTEST_EXPECT(t, ks % PAGE_SIZE == 0 && (uintptr_t)p % PAGE_SIZE == 0);
		memset(p, 0x5a, ks);
		pool_free(p);
	}
	for (size_t size = 8; size <= 64 * 1024; size *= 2) {
		void *p = pool_alloc(size, POOL_ATOMIC);

		KTEST_ASSERT(t, p);
		KTEST_EXPECT(t, (uintptr_t)p % size == 0, "%zu B at %p", size, p);
		KTEST_EXPECT(t, pool_ksize(p) == size, "%zu B: ksize %zu", size,
			     pool_ksize(p));
		pool_free(p);
	}
	KTEST_EXPECT(t, pool_ksize(NULL) == 0);
	expect_all_back(t, &b0, pages_before);
}

/* ---- review findings and the DDE's API (issue 8) ------------------------ */

#define BUDGET_OBJS	400000

static void **budget_v;
static volatile int budget_phase;
static uint64_t budget_ns, budget_done;

/* The owner: allocates, then with IRQs off (as in its tick) waits for the
 * frees and times one tick drain. */
static int budget_owner(void *arg)
{
	struct pool_totals a, b;
	unsigned long flags;
	uint64_t t0;

	for (int i = 0; i < BUDGET_OBJS; i++)
		budget_v[i] = pool_alloc(64, POOL_ATOMIC);
	flags = arch_irq_save();
	WRITE_ONCE(budget_phase, 1);
	while (READ_ONCE(budget_phase) != 2)
		arch_cpu_relax();
	pool_get_totals(&a);
	t0 = clock_ns();
	pool_drain(POOL_DRAIN_TICK);
	budget_ns = clock_ns() - t0;
	pool_get_totals(&b);
	budget_done = a.remote_in_flight - b.remote_in_flight;
	arch_irq_restore(flags);
	WRITE_ONCE(budget_phase, 3);
	return 0;
}

/*
 * A tick drain with 400,000 remote frees queued does at most
 * POOL_DRAIN_BUDGET objects with IRQs off; the ticks after it return the
 * rest.
 */
static void drain_budget_irqs_off(struct ddeos_ktest *t)
{
	struct pool_totals b0, b1;
	uint64_t pages_before, t0;
	struct thread *o;
	int missing = 0;

	if (smp_cpus_online() < 2)
		KTEST_SKIP(t, "needs 2 CPUs");
	thread_pin(0);
	pool_boot_drain_all();
	pool_get_totals(&b0);
	pages_before = page_alloc_free_pages();
	budget_v = pool_page_alloc(10, POOL_ATOMIC);	/* 4 MiB of pointers */
	KTEST_ASSERT(t, budget_v);
	WRITE_ONCE(budget_phase, 0);
	o = thread_create(&(struct thread_attr){ .name = "mempool-budget",
						 .prio = SCHED_PRIO_DEFAULT,
						 .cpu = 1 },
			  budget_owner, NULL);
	KTEST_ASSERT(t, o);
	while (READ_ONCE(budget_phase) != 1)
		thread_yield();
	for (int i = 0; i < BUDGET_OBJS; i++) {
		missing += !budget_v[i];
		pool_free(budget_v[i]);
	}
	pool_drain(POOL_DRAIN_TICK);	/* push this CPU's partial batches */
	WRITE_ONCE(budget_phase, 2);
	thread_join(o);
	kprintf("    # tick drain with %d remote frees queued: %llu us with IRQs off, %llu objects returned\n",
		BUDGET_OBJS, (unsigned long long)budget_ns / 1000,
		(unsigned long long)budget_done);
	KTEST_EXPECT(t, missing == 0, "%d allocations failed", missing);
	KTEST_EXPECT(t, budget_done == POOL_DRAIN_BUDGET, "%llu objects in one tick",
		     (unsigned long long)budget_done);
	/* The owner's ticks return the rest: wait for that event. */
	t0 = clock_ns();
	do {
		pool_get_totals(&b1);
	} while (b1.remote_in_flight && clock_ns() - t0 < EVENT_WAIT_MS * MS);
	KTEST_EXPECT(t, b1.remote_in_flight == 0, "%zu frees still in flight",
		     b1.remote_in_flight);
	pool_page_free(budget_v, 10);
	expect_all_back(t, &b0, pages_before);
	thread_pin(CPU_ANY);
}

static unsigned long ctor_calls;

static void ctor_fill(void *obj)
{
	__atomic_fetch_add(&ctor_calls, 1, __ATOMIC_RELAXED);
	memset(obj, 0xc7, 200);
}

#define RACE_PER 6

struct race_arg {
	struct pool_cache *got[RACE_PER];
	unsigned int size;
	volatile int *go;
};

static int race_thread(void *arg)
{
	struct race_arg *a = arg;

	while (!READ_ONCE(*a->go))
		arch_cpu_relax();
	for (int i = 0; i < RACE_PER; i++)
		a->got[i] = pool_cache_create("ktest-race", a->size, 0);
	return 0;
}

/*
 * Caches: created from every CPU at once, each in a slot of its own;
 * pool_boot_cache_destroy() counts objects in use (a leak is reported by
 * name and the cache stays), retires an unused cache and its slot is
 * reused; a constructor runs when a slab is made, not at allocation.
 */
static void cache_create_destroy_ctor(struct ddeos_ktest *t)
{
	unsigned int ncpus = MIN(smp_cpus_online(), 4u);
	struct race_arg args[4];
	struct thread *th[4];
	volatile int go = 0;
	struct pool_totals b0;
	uint64_t pages_before;
	struct pool_cache *k, *k2;
	void *o[40];
	unsigned long calls;

	pool_boot_drain_all();
	pool_get_totals(&b0);
	pages_before = page_alloc_free_pages();
	for (unsigned int i = 0; i < ncpus; i++) {
		args[i] = (struct race_arg){ .size = 16 + 8 * i, .go = &go };
		th[i] = thread_create(&(struct thread_attr){ .name = "mempool-race",
							     .prio = SCHED_PRIO_DEFAULT,
							     .cpu = (int)i },
				      race_thread, &args[i]);
		KTEST_ASSERT(t, th[i]);
	}
	WRITE_ONCE(go, 1);
	for (unsigned int i = 0; i < ncpus; i++)
		thread_join(th[i]);
	for (unsigned int i = 0; i < ncpus; i++)
		for (int j = 0; j < RACE_PER; j++) {
			k = args[i].got[j];
			KTEST_EXPECT(t, k && k->size == 16 + 8 * i, "cache %u/%d", i, j);
			for (unsigned int x = 0; x < ncpus; x++)
				for (int y = 0; y < RACE_PER; y++)
					KTEST_EXPECT(t, (x == i && y == j) ||
						     args[x].got[y] != k,
						     "one slot for two creates");
		}
	for (unsigned int i = 0; i < ncpus; i++)
		for (int j = 0; j < RACE_PER; j++)
			KTEST_EXPECT(t, pool_boot_cache_destroy(args[i].got[j]) == 0);

	ctor_calls = 0;
	k = pool_cache_create_ctor("ktest-ctor", 200, 0, ctor_fill);
	KTEST_ASSERT(t, k);
	for (int i = 0; i < 40; i++) {
		o[i] = pool_cache_alloc(k, POOL_ATOMIC);
		KTEST_ASSERT(t, o[i]);
		KTEST_EXPECT(t, ((uint8_t *)o[i])[0] == 0xc7 &&
			     ((uint8_t *)o[i])[199] == 0xc7, "not constructed");
	}
	calls = ctor_calls;
	KTEST_EXPECT(t, calls >= 40 && calls % k->nobj == 0, "%lu constructor calls",
		     calls);
	pool_cache_free(k, o[39]);
	o[39] = pool_cache_alloc(k, POOL_ATOMIC);
	KTEST_EXPECT(t, ctor_calls == calls, "constructor ran at allocation");
	for (int i = 1; i < 40; i++)
		pool_cache_free(k, o[i]);
	KTEST_EXPECT(t, pool_boot_cache_destroy(k) == 1, "leak not counted");
	pool_cache_free(k, o[0]);
	KTEST_EXPECT(t, pool_boot_cache_destroy(k) == 0);
	k2 = pool_cache_create("ktest-reuse", 64, 0);
	KTEST_EXPECT(t, k2 != NULL, "no slot");
	KTEST_EXPECT(t, pool_boot_cache_destroy(k2) == 0);
	expect_all_back(t, &b0, pages_before);
}

/*
 * POOL_DMA32: physical addresses below 4 GiB; with RAM above 4 GiB
 * (`tools/qemu-run --mem 8G`) normal allocations come from above it.
 */
static void dma32_zone(struct ddeos_ktest *t)
{
	struct pool_totals b0;
	uint64_t pages_before;
	void *p;

	pool_boot_drain_all();
	pool_get_totals(&b0);
	pages_before = page_alloc_free_pages();
	kprintf("    # zones: DMA32 %zu pages (reserve %zu), NORMAL %zu pages (reserve %zu)\n",
		b0.zone_total[POOL_ZONE_DMA32], b0.zone_reserve[POOL_ZONE_DMA32],
		b0.zone_total[POOL_ZONE_NORMAL], b0.zone_reserve[POOL_ZONE_NORMAL]);
	KTEST_EXPECT(t, b0.zone_total[POOL_ZONE_DMA32] > 0);
	for (unsigned int o = 0; o <= POOL_MAX_ORDER; o++) {
		p = pool_page_alloc(o, POOL_DMA32 | POOL_ATOMIC);
		KTEST_ASSERT(t, p, "order %u", o);
		KTEST_EXPECT(t, virt_to_phys(p) + (PAGE_SIZE << o) <= GiB(4),
			     "order %u at %#llx", o, (unsigned long long)virt_to_phys(p));
		pool_page_free(p, o);
	}
	for (size_t size = 8; size <= 64 * 1024; size *= 4) {
		p = pool_alloc(size, POOL_DMA32 | POOL_SLEEP);
		KTEST_ASSERT(t, p);
		KTEST_EXPECT(t, virt_to_phys(p) + size <= GiB(4) &&
			     pool_ksize(p) >= size);
		pool_free(p);
	}
	/* Freed blocks go to the freeing CPU's page cache whatever their
	 * zone: give them back so that the page comes from the buddy lists. */
	pool_boot_drain_all();
	p = pool_page_alloc(0, POOL_ATOMIC);
	KTEST_ASSERT(t, p);
	if (b0.zone_total[POOL_ZONE_NORMAL] > 1024)
		KTEST_EXPECT(t, virt_to_phys(p) >= GiB(4),
			     "normal page at %#llx with RAM above 4 GiB",
			     (unsigned long long)virt_to_phys(p));
	pool_page_free(p, 0);
	expect_all_back(t, &b0, pages_before);
}

static void split_free_ipi(void *arg)
{
	pool_page_free(arg, 0);
}

/* pool_page_split(): each page freed on another CPU in hard-IRQ context. */
static void page_split_any_cpu(struct ddeos_ktest *t)
{
	unsigned int ncpus = smp_cpus_online();
	struct pool_totals b0;
	uint64_t pages_before;
	char *p;

	pool_boot_drain_all();
	pool_get_totals(&b0);
	pages_before = page_alloc_free_pages();
	p = pool_page_alloc(3, POOL_ATOMIC);
	KTEST_ASSERT(t, p);
	pool_page_split(p, 3);
	for (unsigned int i = 0; i < 8; i++)
		smp_run_on_cpu(i % ncpus, split_free_ipi, p + i * PAGE_SIZE);
	expect_all_back(t, &b0, pages_before);
	/* Merged back: the same blocks per order as before. */
	{
		struct pool_totals b1;

		pool_get_totals(&b1);
		for (unsigned int o = 0; o <= POOL_MAX_ORDER; o++)
			KTEST_EXPECT(t, b1.used_blocks[o] == b0.used_blocks[o],
				     "order %u: %zu used, %zu before", o,
				     b1.used_blocks[o], b0.used_blocks[o]);
	}
}

static struct pool_cache *hook_cache;
static void (*hook_prev)(void *, unsigned int, int);
static uint64_t hook_made, hook_gone, hook_made_sum, hook_gone_sum, hook_bad;

static uint64_t hook_hash(void *base, unsigned int order)
{
	uint64_t x = (uintptr_t)base * 0x9e3779b97f4a7c15ull ^ order;

	return (x ^ (x >> 31)) * 0xbf58476d1ce4e5b9ull;
}

/* Context: any (where the pool makes or gives back a slab). */
static void hook_count(void *base, unsigned int order, int created)
{
	struct pool_page *pg = pool_virt_to_page(base);

	if (hook_prev)
		hook_prev(base, order, created);
	if (!pg || pg->cache != hook_cache->id || pg->kind != PK_SLAB)
		return;
	if (created) {
		if (pg->inuse || (uintptr_t)base % (PAGE_SIZE << order))
			__atomic_fetch_add(&hook_bad, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&hook_made, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&hook_made_sum, hook_hash(base, order), __ATOMIC_RELAXED);
	} else {
		__atomic_fetch_add(&hook_gone, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&hook_gone_sum, hook_hash(base, order), __ATOMIC_RELAXED);
	}
}

static void hook_alloc_ipi(void *arg)
{
	void **v = arg;

	for (int i = 0; i < 50; i++)
		v[i] = pool_cache_alloc(hook_cache, POOL_ATOMIC);
}

/*
 * The slab hook: every slab of a cache made on any CPU (in hard IRQ) is
 * reported before its first object is handed out, and given back with the
 * same base and order once its objects are freed and the cache destroyed.
 */
static void slab_hook_events(struct ddeos_ktest *t)
{
	unsigned int ncpus = MIN(smp_cpus_online(), 4u);
	static void *v[4][50];

	hook_made = hook_gone = hook_made_sum = hook_gone_sum = hook_bad = 0;
	hook_cache = pool_cache_create("ktest-hook", 1000, 0);
	KTEST_ASSERT(t, hook_cache);
	hook_prev = pool_boot_slab_hook();
	pool_boot_set_slab_hook(hook_count);
	for (unsigned int c = 0; c < ncpus; c++)
		smp_run_on_cpu(c, hook_alloc_ipi, v[c]);
	KTEST_EXPECT(t, hook_made >= ncpus, "%llu slabs made",
		     (unsigned long long)hook_made);
	for (unsigned int c = 0; c < ncpus; c++)
		for (int i = 0; i < 50; i++) {
			KTEST_EXPECT(t, v[c][i] != NULL);
			pool_cache_free(hook_cache, v[c][i]);
		}
	KTEST_EXPECT(t, pool_boot_cache_destroy(hook_cache) == 0);
	pool_boot_set_slab_hook(hook_prev);
	kprintf("    # slab hook: %llu made, %llu given back\n",
		(unsigned long long)hook_made, (unsigned long long)hook_gone);
	KTEST_EXPECT(t, hook_made == hook_gone && hook_made_sum == hook_gone_sum,
		     "%llu made, %llu given back", (unsigned long long)hook_made,
		     (unsigned long long)hook_gone);
	KTEST_EXPECT(t, hook_bad == 0, "slab reported with objects handed out");
}

static volatile int cacher_phase;

/* CPU 1: fills its page cache, then keeps busy on objects (no idle trim). */
static int cacher_thread(void *arg)
{
	void *pg[32];

	pool_free(pool_alloc(64, POOL_ATOMIC));
	for (int i = 0; i < 32; i++)
		pg[i] = pool_page_alloc(0, POOL_ATOMIC);
	for (int i = 0; i < 32; i++)
		pool_page_free(pg[i], 0);
	WRITE_ONCE(cacher_phase, 1);
	while (READ_ONCE(cacher_phase) != 2)
		pool_free(pool_alloc(64, POOL_ATOMIC));
	return 0;
}

/*
 * A POOL_SLEEP allocation that finds only the atomic reserve free waits
 * for reclaim, whose IPIs make the other CPUs give their cached pages back,
 * and then succeeds.
 */
static void sleep_reclaims_other_cpus(struct ddeos_ktest *t)
{
	struct pool_totals b0, b1;
	struct exhausted e;
	struct held *extra = NULL;
	uint64_t pages_before, rounds;
	struct thread *th;
	void *p;

	if (smp_cpus_online() < 2)
		KTEST_SKIP(t, "needs 2 CPUs");
	thread_pin(0);
	pool_boot_drain_all();
	pool_get_totals(&b0);
	pages_before = page_alloc_free_pages();
	WRITE_ONCE(cacher_phase, 0);
	th = thread_create(&(struct thread_attr){ .name = "mempool-cacher",
						  .prio = SCHED_PRIO_DEFAULT,
						  .cpu = 1 },
			   cacher_thread, NULL);
	KTEST_ASSERT(t, th);
	while (READ_ONCE(cacher_phase) != 1)
		thread_yield();
	exhaust(&e, 7);
	/* Give back blocks until more than the reserves are free, then take
	 * single pages down to exactly the reserve of each zone (this CPU's
	 * page cache emptied each time round: it is to hold nothing). */
	for (;;) {
		pool_drain(POOL_DRAIN_ALL);	/* this CPU's caches */
		pool_get_totals(&b1);
		if (b1.pages_free > b1.zone_reserve[POOL_ZONE_DMA32] +
				    b1.zone_reserve[POOL_ZONE_NORMAL] + 64 || !e.pages)
			break;
		struct held *h = e.pages;

		e.pages = h->next;
		e.npages -= h->size / PAGE_SIZE;
		pool_page_free(h, (unsigned int)__builtin_ctzll(h->size / PAGE_SIZE));
	}
	for (;;) {
		pool_drain(POOL_DRAIN_ALL);
		pool_get_totals(&b1);
		if (b1.zone_free[POOL_ZONE_DMA32] <= b1.zone_reserve[POOL_ZONE_DMA32] &&
		    b1.zone_free[POOL_ZONE_NORMAL] <= b1.zone_reserve[POOL_ZONE_NORMAL])
			break;
		p = pool_page_alloc(0, POOL_ATOMIC |
				       (b1.zone_free[POOL_ZONE_NORMAL] >
					b1.zone_reserve[POOL_ZONE_NORMAL] ? 0 : POOL_DMA32));
		KTEST_ASSERT(t, p);
		extra = hold(extra, p, PAGE_SIZE);
	}
	KTEST_EXPECT(t, b1.pages_cached >= 16, "CPU 1 caches %zu pages", b1.pages_cached);
	rounds = pool_boot_reclaim_rounds();
	p = pool_page_alloc(0, POOL_SLEEP);
	kprintf("    # sleeping allocation with only the reserve free: %s after %llu reclaim rounds\n",
		p ? "served" : "failed",
		(unsigned long long)(pool_boot_reclaim_rounds() - rounds));
	KTEST_EXPECT(t, p != NULL, "no page although CPU 1 cached %zu", b1.pages_cached);
	KTEST_EXPECT(t, pool_boot_reclaim_rounds() > rounds);
	if (p)
		pool_page_free(p, 0);
	WRITE_ONCE(cacher_phase, 2);
	thread_join(th);
	for (struct held *h = extra, *next; h; h = next) {
		next = h->next;
		pool_page_free(h, 0);
	}
	KTEST_EXPECT(t, release(&e) == 0, "stamps broken");
	expect_all_back(t, &b0, pages_before);
	thread_pin(CPU_ANY);
}

static const struct ddeos_ktest_case mempool_cases[] = {
	{ "cache_align_ksize", cache_align_ksize },
	{ "hardirq_interrupts_thread", hardirq_interrupts_thread },
	{ "stopped_cpu_drained_by_tick", stopped_cpu_drained_by_tick },
	{ "oom_atomic_fails_cleanly", oom_atomic_fails_cleanly },
	{ "stress_all_cpus", stress_all_cpus },
	{ "drain_budget_irqs_off", drain_budget_irqs_off },
	{ "cache_create_destroy_ctor", cache_create_destroy_ctor },
	{ "dma32_zone", dma32_zone },
	{ "page_split_any_cpu", page_split_any_cpu },
	{ "slab_hook_events", slab_hook_events },
	{ "sleep_reclaims_other_cpus", sleep_reclaims_other_cpus },
};
KTEST_SUITE(mempool, "mempool", mempool_cases);
