// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of the memory pool (kernel/mm/pool*.c), run under ASan+UBSan,
 * under TSan, and in a POOL_DEBUG build. Each test runs in its own forked
 * process with a fresh pool; threads are CPUs, SIGUSR1 is a device
 * interrupt that allocates and frees, SIGUSR2 is the timer tick.
 *
 * Usage: test_mempool PREFIX FIRST [stress-ops]
 * prints "ok N - PREFIX: name" per test, numbered from FIRST, then
 * "# result PASSED FAILED".
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pool.h"
#include "pool_internal.h"
#include "pool_host.h"

#define MIB (1024UL * 1024)

static unsigned long stress_ops = 200000;

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "# %s:%d: check failed: %s\n",     \
				__FILE__, __LINE__, #cond);                \
			exit(1);                                           \
		}                                                          \
	} while (0)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts))
		;
}

static uint64_t rng_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

/* --- patterns tied to an allocation ----------------------------------- */

/* Word 0: the tag; then bytes derived from the tag. */
static void fill(void *p, size_t size, uint64_t tag)
{
	unsigned char *b = p;
	size_t i;

	if (size >= 8) {
		memcpy(b, &tag, 8);
		i = 8;
	} else {
		i = 0;
	}
	for (; i < size; i++)
		b[i] = (unsigned char)(tag * 31 + i * 7);
}

static int check_fill(const void *p, size_t size, uint64_t tag)
{
	const unsigned char *b = p;
	size_t i = 0;

	if (size >= 8) {
		uint64_t t;

		memcpy(&t, b, 8);
		if (t != tag)
			return 0;
		i = 8;
	}
	for (; i < size; i++) {
		if (b[i] != (unsigned char)(tag * 31 + i * 7))
			return 0;
	}
	return 1;
}

/* Everything is back: no objects out, every page in the buddy lists. */
static void check_all_back(void)
{
	struct pool_totals t;

	pool_drain(POOL_DRAIN_ALL);
	pool_get_totals(&t);
	if (t.objects_in_use || t.remote_in_flight || t.pages_cached ||
	    t.pages_slab || t.pages_free + t.pages_meta != t.pages_total) {
		fprintf(stderr,
			"# not all back: objects %zu in flight %zu cached %zu slab %zu free %zu meta %zu total %zu\n",
			t.objects_in_use, t.remote_in_flight, t.pages_cached,
			t.pages_slab, t.pages_free, t.pages_meta,
			t.pages_total);
		exit(1);
	}
}

static void setup(unsigned int cpus, size_t bytes)
{
	CHECK(pool_host_setup(cpus, bytes) == 0);
	pool_host_cpu_enter(0);
}

/* --- unit tests --------------------------------------------------------- */

static const unsigned int classes[] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};

static void t_size_classes(void)
{
	size_t s;
	int x;

	setup(1, 64 * MIB);
	for (s = 1; s <= POOL_KMALLOC_MAX; s++) {
		void *p = pool_alloc(s, 0);
		size_t k = pool_ksize(p), want = 0;
		unsigned int i;

		CHECK(p);
		for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
			if (classes[i] >= s) {
				want = classes[i];
				break;
			}
		}
		CHECK(k == want);
		memset(p, 0xa5, k);
		pool_free(p);
	}
	for (s = POOL_KMALLOC_MAX + 1; s < 5 * MIB; s = s * 3 + 1) {
		void *p = pool_alloc(s, 0);
		size_t k = pool_ksize(p);

		if (s > (POOL_PAGE_SIZE << POOL_MAX_ORDER)) {
			CHECK(!p);
			continue;
		}
		CHECK(p && k >= s && k < 2 * s + POOL_PAGE_SIZE);
		memset(p, 0x5a, k);
		pool_free(p);
	}
	CHECK(pool_ksize(NULL) == 0);
	CHECK(pool_ksize(&x) == 0);
	check_all_back();
}

static void t_alignment(void)
{
	static void *ptr[2000];
	uint64_t seed = 12345;
	unsigned int i, o;
	size_t sz;

	setup(1, 128 * MIB);
	for (sz = 8; sz <= 4 * MIB; sz *= 2) {
		unsigned int n = sz <= 8192 ? 200 : 4;

		for (i = 0; i < n; i++) {
			ptr[i] = pool_alloc(sz, 0);
			CHECK(ptr[i] && ((uintptr_t)ptr[i] & (sz - 1)) == 0);
		}
		for (i = 0; i < n; i++)
			pool_free(ptr[i]);
	}
	for (i = 0; i < 2000; i++) {
		ptr[i] = pool_alloc(1 + rng_next(&seed) % 8192, 0);
		CHECK(ptr[i] && ((uintptr_t)ptr[i] & 7) == 0);
	}
	for (i = 0; i < 2000; i++)
		pool_free(ptr[i]);
	for (o = 0; o <= POOL_MAX_ORDER; o++) {
		void *p = pool_page_alloc(o, 0);

		CHECK(p && ((uintptr_t)p & ((POOL_PAGE_SIZE << o) - 1)) == 0);
		pool_page_free(p, o);
	}
	check_all_back();
}

static int all_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i])
			return 0;
	}
	return 1;
}

static void t_zeroing(void)
{
	unsigned int i;

	setup(1, 64 * MIB);
	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		size_t s = classes[i] - 3 > 0 ? classes[i] - 3 : 1;
		unsigned char *p = pool_alloc(s, 0), *q;

		CHECK(p);
		memset(p, 0xff, s);
		pool_free(p);
		q = pool_alloc(s, POOL_ZERO);
		CHECK(q == p);		/* LIFO: the dirty slot is reused */
		CHECK(all_zero(q, POOL_DEBUG ? s : pool_ksize(q)));
		pool_free(q);
	}
	{
		unsigned char *p = pool_alloc(100000, 0), *q;

		memset(p, 0xff, 100000);
		pool_free(p);
		q = pool_alloc(100000, POOL_ZERO);
		CHECK(q && all_zero(q, pool_ksize(q)));
		pool_free(q);
		p = pool_page_alloc(2, 0);
		memset(p, 0xff, 4 * POOL_PAGE_SIZE);
		pool_page_free(p, 2);
		q = pool_page_alloc(2, POOL_ZERO);
		CHECK(q && all_zero(q, 4 * POOL_PAGE_SIZE));
		pool_page_free(q, 2);
	}
	check_all_back();
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

static void t_named_caches(void)
{
	static void *ptr[3000];
	struct pool_cache *k, *k2;
	unsigned int i;

	setup(1, 64 * MIB);
	CHECK(!pool_cache_create("bad0", 0, 8));
	CHECK(!pool_cache_create("bad1", 64, 3));
	CHECK(!pool_cache_create("bad2", POOL_KMALLOC_MAX + 1, 8));
	CHECK(!pool_cache_create("bad3", 64, 2 * POOL_PAGE_SIZE));
	k = pool_cache_create("obj100", 100, 64);
	k2 = pool_cache_create("obj24", 24, 0);
	CHECK(k && k2);
	for (i = 0; i < 3000; i++) {
		ptr[i] = pool_cache_alloc(k, i & 1 ? POOL_ZERO : 0);
		CHECK(ptr[i] && ((uintptr_t)ptr[i] & 63) == 0);
		CHECK(pool_ksize(ptr[i]) == 100);
		memset(ptr[i], (int)i, 100);
	}
	qsort(ptr, 3000, sizeof(ptr[0]), cmp_ptr);
	for (i = 1; i < 3000; i++)
		CHECK((uintptr_t)ptr[i] - (uintptr_t)ptr[i - 1] >= 100);
	for (i = 0; i < 3000; i++)
		pool_cache_free(k, ptr[i]);
	for (i = 0; i < 100; i++) {
		ptr[i] = pool_cache_alloc(k2, 0);
		CHECK(ptr[i] && ((uintptr_t)ptr[i] & 7) == 0 &&
		      pool_ksize(ptr[i]) == 24);
	}
	for (i = 0; i < 100; i++)
		pool_cache_free(k2, ptr[i]);
	pool_cache_destroy(k);
	pool_cache_destroy(k2);
	pool_drain(POOL_DRAIN_TICK);
	check_all_back();
}

static void t_pages_counts(void)
{
	struct pool_totals a, b;
	void *p[POOL_MAX_ORDER + 1];
	unsigned int o;

	setup(1, 64 * MIB);
	pool_drain(POOL_DRAIN_ALL);
	pool_get_totals(&a);
	for (o = 0; o <= POOL_MAX_ORDER; o++) {
		p[o] = pool_page_alloc(o, 0);
		CHECK(p[o]);
	}
	pool_get_totals(&b);
	for (o = 0; o <= POOL_MAX_ORDER; o++)
		CHECK(b.used_blocks[o] == a.used_blocks[o] + 1);
	CHECK(pool_page_alloc(POOL_MAX_ORDER + 1, 0) == NULL);
	for (o = 0; o <= POOL_MAX_ORDER; o++)
		pool_page_free(p[o], o);
	pool_drain(POOL_DRAIN_ALL);
	pool_get_totals(&b);
	for (o = 0; o <= POOL_MAX_ORDER; o++) {
		CHECK(b.used_blocks[o] == a.used_blocks[o]);
		/* The buddies merged back into the same blocks. */
		CHECK(b.free_blocks[o] == a.free_blocks[o]);
	}
	check_all_back();
}

static int saw_line;

static void capture(const char *line)
{
	if (strstr(line, "kmalloc-64 0 10 "))
		saw_line = 1;
}

static void t_stats_print(void)
{
	void *p[10];
	int i;

	setup(1, 16 * MIB);
	for (i = 0; i < 10; i++)
		p[i] = pool_alloc(64, 0);
	pool_host_set_print(capture);
	pool_print_stats();
	pool_host_set_print(NULL);
	CHECK(saw_line);
	for (i = 0; i < 10; i++)
		pool_free(p[i]);
	check_all_back();
}

/*
 * An interrupt that enters the pool while the interrupted code holds its
 * CPU's context: it must use the next context, and free to the busy
 * context through the inbox; with all contexts busy it gets NULL and
 * frees straight to the inbox. Deterministic: the test holds the contexts.
 */
static void t_nested_contexts(void)
{
	struct pool_ctx *c0, *c1, *c2;
	void *own, *p, *q;

	setup(1, 16 * MIB);
	own = pool_alloc(64, 0);
	CHECK(pool_virt_to_page(own)->head->owner == 0);
	c0 = pool_ctx_get();			/* "thread inside the pool" */
	CHECK(c0 && c0->id == 0);
	p = pool_alloc(64, 0);			/* "the IRQ" */
	CHECK(p && pool_virt_to_page(p)->head->owner == 1);
	pool_free(own);				/* owner busy: remote */
	CHECK(c0->inbox == NULL);		/* queued in context 1's batch */
	pool_drain(POOL_DRAIN_TICK);		/* context 1 flushes; 0 skipped */
	CHECK(c0->inbox == own);
	c1 = pool_ctx_get();
	c2 = pool_ctx_get();
	CHECK(c1 && c2 && c1->id == 1 && c2->id == 2);
	CHECK(pool_alloc(32, 0) == NULL);	/* NMI depth: no context */
	q = pool_page_alloc(0, 0);		/* pages still work */
	CHECK(q);
	pool_page_free(q, 0);
	pool_free(p);				/* straight to context 1's inbox */
	CHECK(pool_owner_ctx(1)->inbox == p);
	pool_ctx_put(c2);
	pool_ctx_put(c1);
	pool_ctx_put(c0);
	p = pool_alloc(64, 0);			/* context 0 drains its inbox */
	CHECK(c0->inbox == NULL);
	pool_free(p);
	check_all_back();
}

/* --- cross-CPU batching ----------------------------------------------- */

static void *objs[1000];

static void *freer_main(void *arg)
{
	unsigned int i;

	(void)arg;
	pool_host_cpu_enter(1);
	for (i = 0; i < 100; i++)
		pool_free(objs[i]);
	return NULL;
}

static void t_remote_batching(void)
{
	pthread_t t;
	unsigned int i, n = 0;
	void *p;

	setup(2, 16 * MIB);
	for (i = 0; i < 100; i++)
		objs[i] = pool_alloc(128, 0);
	pthread_create(&t, NULL, freer_main, NULL);
	pthread_join(t, NULL);
	/* 100 frees: three batches of 32 arrived, 4 wait in CPU 1's batch. */
	for (p = pool_owner_ctx(0)->inbox; p; p = pool_obj_next(p))
		n++;
	CHECK(n == 96);
	CHECK(pool_owner_ctx(3)->out[0].n == 4);
	pool_host_cpu_enter(1);			/* be CPU 1 for its tick */
	pool_drain(POOL_DRAIN_TICK);
	pool_host_cpu_enter(0);
	n = 0;
	for (p = pool_owner_ctx(0)->inbox; p; p = pool_obj_next(p))
		n++;
	CHECK(n == 100);
	p = pool_alloc(8, 0);			/* next operation drains */
	CHECK(pool_owner_ctx(0)->inbox == NULL);
	pool_free(p);
	check_all_back();
}

/* Objects in the inbox, counting a carrier as itself plus what it carries. */
static unsigned int inbox_objects(struct pool_ctx *c)
{
	unsigned int n = 0;
	void *e;

	for (e = c->inbox; e; ) {
		if (pool_is_carrier(e)) {
			n += pool_carrier_of(e)->n + 1;
			e = pool_carrier_of(e)->next;
		} else {
			n++;
			e = pool_obj_next(e);
		}
	}
	return n;
}

static size_t carrier_size;

static void *carrier_freer_main(void *arg)
{
	unsigned int i;

	(void)arg;
	pool_host_cpu_enter(1);
	for (i = 0; i < 100; i++) {
		/* The pattern must survive: a carrier only writes its own body. */
		if (i > 0)
			CHECK(*(unsigned int *)objs[i] == i);
		pool_free(objs[i]);
	}
	return NULL;
}

/*
 * Big objects travel in carriers: 100 frees of 512 B objects make three
 * full carriers (one carrier + 30 objects each) in the owner's inbox and 7
 * objects in the freer's batch; the freer's tick sends those; the owner gets
 * every object back, untouched but for the carriers, and hands them out
 * again before it touches its slabs.
 */
static void t_remote_carriers(void)
{
	pthread_t t;
	unsigned int i, reused = 0;

	carrier_size = 512;
	setup(2, 16 * MIB);
	for (i = 0; i < 100; i++) {
		objs[i] = pool_alloc(carrier_size, 0);
		*(unsigned int *)objs[i] = i;
	}
	pthread_create(&t, NULL, carrier_freer_main, NULL);
	pthread_join(t, NULL);
	/* The debug build keeps chains: carriers would overwrite its poison. */
	CHECK(inbox_objects(pool_owner_ctx(0)) == (POOL_DEBUG ? 96 : 93));
	CHECK(pool_is_carrier(pool_owner_ctx(0)->inbox) == !POOL_DEBUG);
	pool_host_cpu_enter(1);			/* be CPU 1 for its tick */
	pool_drain(POOL_DRAIN_TICK);
	pool_host_cpu_enter(0);
	CHECK(inbox_objects(pool_owner_ctx(0)) == 100);
	/* Allocations of the same size get exactly those objects back. */
	for (i = 0; i < 100; i++) {
		void *p = pool_alloc(carrier_size, 0);
		unsigned int j;

		for (j = 0; j < 100; j++)
			if (objs[j] == p)
				break;
		reused += j < 100;
		objs[100 + i] = p;
	}
	CHECK(reused == 100);
	CHECK(pool_owner_ctx(0)->inbox == NULL);
	for (i = 0; i < 100; i++)
		pool_free(objs[100 + i]);
	check_all_back();
}

/* --- the stress test ----------------------------------------------------- */

#define NCPU 4
#define LOCAL 512
#define XCHG 256
#define STASH 16

struct obj_hdr {
	uint64_t tag;
	uint32_t size;
};

/* A live object: pointer, size, tag. Word 0 of the object is the tag. */
struct slot {
	void *p;
	size_t size;
	uint64_t tag;
};

static struct slot *xchg_slots;		/* shared, swapped with atomics */
static int stress_stop;
static unsigned long irq_allocs[NCPU], irq_frees[NCPU];

struct stash {
	struct slot s[STASH];
	uint64_t seed;
	uint64_t seq;
};
static struct stash irq_stash[NCPU];	/* touched only by CPU i's IRQs */

static size_t random_size(uint64_t *seed)
{
	uint64_t r = rng_next(seed);

	switch (r % 20) {
	case 0:
		return POOL_KMALLOC_MAX + 1 + (r >> 8) % (64 * 1024);
	case 1:
	case 2:
	case 3:
		return 1 + (r >> 8) % POOL_KMALLOC_MAX;
	default:
		return 1 + (r >> 8) % 256;
	}
}

/* Take slot @i of the shared array and put @in there (may be empty). */
static struct slot *xchg_take_at(unsigned int i, struct slot *in,
				 struct slot *out)
{
	struct slot *x = &xchg_slots[i];
	void *p;

	/* p == NULL while empty; (void *)1 while someone is in the slot. */
	p = __atomic_exchange_n(&x->p, (void *)1, __ATOMIC_ACQUIRE);
	if (p == (void *)1)
		return NULL;		/* busy: skip */
	out->p = p;
	out->size = x->size;
	out->tag = x->tag;
	x->size = in ? in->size : 0;
	x->tag = in ? in->tag : 0;
	__atomic_store_n(&x->p, in ? in->p : NULL, __ATOMIC_RELEASE);
	return out;
}

static struct slot *xchg_take(uint64_t *seed, struct slot *in, struct slot *out)
{
	return xchg_take_at((unsigned int)(rng_next(seed) % XCHG), in, out);
}

static void free_checked(struct slot *s)
{
	if (!check_fill(s->p, s->size, s->tag)) {
		fprintf(stderr, "# pattern broken: %p size %zu tag %llx\n",
			s->p, s->size, (unsigned long long)s->tag);
		abort();
	}
	pool_free(s->p);
	s->p = NULL;
}

static int alloc_filled(struct slot *s, size_t size, uint64_t tag)
{
	s->p = pool_alloc(size, 0);
	if (!s->p)
		return 0;
	s->size = size;
	s->tag = tag;
	fill(s->p, size, tag);
	return 1;
}

/* SIGUSR1 on a CPU thread: a device interrupt that allocates and frees. */
static void stress_irq(void)
{
	unsigned int cpu = pool_host_cpu_id;
	struct stash *st = &irq_stash[cpu];
	unsigned int i = (unsigned int)(rng_next(&st->seed) % STASH);
	struct slot got;

	if (__atomic_load_n(&stress_stop, __ATOMIC_RELAXED))
		return;
	if (st->s[i].p) {
		free_checked(&st->s[i]);
		irq_frees[cpu]++;
	}
	if (alloc_filled(&st->s[i], 1 + rng_next(&st->seed) % 512,
			 ((uint64_t)cpu << 56) | (1ULL << 55) | st->seq++))
		irq_allocs[cpu]++;
	/* Trade with the threads: a cross-CPU free from hard-IRQ context. */
	if (st->s[i].p && xchg_take(&st->seed, &st->s[i], &got)) {
		st->s[i].p = NULL;
		if (got.p)
			st->s[i] = got;
	}
}

static void *stress_cpu(void *arg)
{
	unsigned int cpu = (unsigned int)(uintptr_t)arg;
	struct slot *local = calloc(LOCAL, sizeof(*local));
	uint64_t seed = 0x9e3779b97f4a7c15ULL * (cpu + 1), seq = 0;
	unsigned long op;
	unsigned int i;

	irq_stash[cpu].seed = seed ^ 0x1234;
	pool_host_cpu_enter(cpu);
	pool_host_irqs(1);
	for (op = 0; op < stress_ops; op++) {
		uint64_t r = rng_next(&seed);
		struct slot *s = &local[r % LOCAL];
		struct slot got;

		if ((r >> 32) % 8 == 0) {
			/* Hand an object to another CPU, take one of theirs. */
			if (!s->p)
				continue;
			if (xchg_take(&seed, s, &got)) {
				s->p = NULL;
				if (got.p)
					free_checked(&got);
			}
			continue;
		}
		if (s->p)
			free_checked(s);
		else
			alloc_filled(s, random_size(&seed),
				     ((uint64_t)cpu << 56) | seq++);
	}
	/* Interrupts off, then give back everything this CPU holds. */
	pool_host_irqs(0);
	for (i = 0; i < LOCAL; i++) {
		if (local[i].p)
			free_checked(&local[i]);
	}
	for (i = 0; i < STASH; i++) {
		if (irq_stash[cpu].s[i].p)
			free_checked(&irq_stash[cpu].s[i]);
	}
	free(local);
	pool_host_cpu_leave();
	return NULL;
}

static pthread_barrier_t bar;

static void *drain_cpu(void *arg)
{
	unsigned int cpu = (unsigned int)(uintptr_t)arg;

	pool_host_cpu_enter(cpu);
	pool_host_irqs(0);
	pool_drain(POOL_DRAIN_TICK);	/* push batches */
	pthread_barrier_wait(&bar);
	pool_drain(POOL_DRAIN_ALL);	/* take inboxes, give back pages */
	pool_host_cpu_leave();
	return NULL;
}

static int irq_run;

static void *irq_thread(void *arg)
{
	uint64_t seed = 777;

	(void)arg;
	while (__atomic_load_n(&irq_run, __ATOMIC_ACQUIRE)) {
		pool_host_irq_send(1 + (unsigned int)(rng_next(&seed) % (NCPU - 1)));
		sleep_us((long)(rng_next(&seed) % 200));
	}
	return NULL;
}

static void t_stress(void)
{
	pthread_t th[NCPU], irq;
	unsigned long ia = 0, ifr = 0;
	unsigned int i;
	struct slot got;
	double t0 = now_s();

	setup(NCPU, 512 * MIB);
	pool_host_irqs(0);		/* CPU 0 (main) takes no interrupts */
	xchg_slots = calloc(XCHG, sizeof(*xchg_slots));
	pool_host_irq_install(stress_irq, NULL);
	pool_host_ticker_start(1000);
	irq_run = 1;
	pthread_create(&irq, NULL, irq_thread, NULL);
	for (i = 1; i < NCPU; i++)
		pthread_create(&th[i], NULL, stress_cpu, (void *)(uintptr_t)i);
	for (i = 1; i < NCPU; i++)
		pthread_join(th[i], NULL);
	__atomic_store_n(&irq_run, 0, __ATOMIC_RELEASE);
	pthread_join(irq, NULL);
	pool_host_ticker_stop();
	/* Leftovers in the shared array: freed by CPU 0. */
	for (i = 0; i < XCHG; i++) {
		CHECK(xchg_take_at(i, NULL, &got));
		if (got.p)
			free_checked(&got);
	}
	for (i = 1; i < NCPU; i++) {
		ia += irq_allocs[i];
		ifr += irq_frees[i];
	}
	fprintf(stderr, "# stress: %lu ops x %d CPUs, %lu IRQ allocs, %lu IRQ frees, %.1f s\n",
		stress_ops, NCPU - 1, ia, ifr, now_s() - t0);
	CHECK(ia > 100);
	pthread_barrier_init(&bar, NULL, NCPU);
	for (i = 1; i < NCPU; i++)
		pthread_create(&th[i], NULL, drain_cpu, (void *)(uintptr_t)i);
	pool_drain(POOL_DRAIN_TICK);
	pthread_barrier_wait(&bar);
	for (i = 1; i < NCPU; i++)
		pthread_join(th[i], NULL);
	check_all_back();
	free(xchg_slots);
}

/* --- a CPU that stops calling the pool ------------------------------------ */

#define STOP_OBJS 3000

static void *stop_objs[STOP_OBJS];
static int stop_phase;

static void *stopped_owner(void *arg)
{
	unsigned int i;

	(void)arg;
	pool_host_cpu_enter(1);
	pool_host_irqs(1);
	for (i = 0; i < STOP_OBJS; i++) {
		stop_objs[i] = pool_alloc(16 + (i % 7) * 100, 0);
		if (!stop_objs[i])
			abort();
	}
	__atomic_store_n(&stop_phase, 1, __ATOMIC_RELEASE);
	/* Never calls the pool again; only its timer tick does. */
	while (__atomic_load_n(&stop_phase, __ATOMIC_ACQUIRE) != 3)
		sleep_us(100);
	pool_host_cpu_leave();
	return NULL;
}

static void *stop_freer(void *arg)
{
	unsigned int id = (unsigned int)(uintptr_t)arg, i;

	pool_host_cpu_enter(id);
	pool_host_irqs(1);
	while (__atomic_load_n(&stop_phase, __ATOMIC_ACQUIRE) < 1)
		sleep_us(100);
	for (i = id - 2; i < STOP_OBJS; i += 2)
		pool_free(stop_objs[i]);
	while (__atomic_load_n(&stop_phase, __ATOMIC_ACQUIRE) != 3)
		sleep_us(100);
	pool_host_cpu_leave();
	return NULL;
}

/*
 * Bound checked: after the last remote free, once each freer has taken two
 * ticks and then the owner two ticks, every object is back in the owner's
 * slabs and, the owner being idle, every page is back in the buddy lists.
 */
static void t_stopped_cpu(void)
{
	pthread_t o, f1, f2;
	struct pool_totals t;
	unsigned long ft2, ft3, ot;
	double t0;

	setup(4, 64 * MIB);
	pool_host_irqs(0);
	pool_host_irq_install(NULL, NULL);
	pool_host_ticker_mask(1, 1);		/* owner's tick is held back */
	pool_host_ticker_start(1000);
	pthread_create(&o, NULL, stopped_owner, NULL);
	pthread_create(&f1, NULL, stop_freer, (void *)2);
	pthread_create(&f2, NULL, stop_freer, (void *)3);
	while (pool_host_ticks(2) < 20 || pool_host_ticks(3) < 20)
		sleep_us(1000);
	/* Without the owner's tick, the frees wait in its inbox. */
	pool_get_totals(&t);
	CHECK(t.objects_in_use == STOP_OBJS);
	CHECK(t.remote_in_flight == STOP_OBJS);
	CHECK(__atomic_load_n(&pool_owner_ctx(3)->inbox, __ATOMIC_ACQUIRE));
	/* Now the owner ticks again, still without calling the pool. */
	ft2 = pool_host_ticks(2);
	ft3 = pool_host_ticks(3);
	ot = pool_host_ticks(1);
	t0 = now_s();
	pool_host_ticker_mask(1, 0);
	while (pool_host_ticks(1) < ot + 2)
		sleep_us(200);
	pool_get_totals(&t);
	fprintf(stderr, "# drained within %.1f ms, owner ticks %lu\n",
		(now_s() - t0) * 1e3, pool_host_ticks(1) - ot);
	CHECK(pool_host_ticks(2) >= ft2 && pool_host_ticks(3) >= ft3);
	CHECK(t.objects_in_use == 0 && t.remote_in_flight == 0);
	/* The idle owner's tick gave its slabs and cached pages back. */
	CHECK(t.pages_slab == 0 && t.pages_cached == 0);
	CHECK(t.pages_free + t.pages_meta == t.pages_total);
	pool_host_ticker_stop();
	__atomic_store_n(&stop_phase, 3, __ATOMIC_RELEASE);
	pthread_join(o, NULL);
	pthread_join(f1, NULL);
	pthread_join(f2, NULL);
	check_all_back();
}

/* --- out of memory -------------------------------------------------------- */

static size_t exhaust(void ***out, uint64_t seed)
{
	size_t n = 0, cap = 1 << 16;
	void **v = malloc(cap * sizeof(*v));

	for (;;) {
		size_t s = 1 + rng_next(&seed) % 3000;
		void *p = pool_alloc(s, 0);

		if (!p) {
			/* One more NULL for a big one and for pages. */
			CHECK(pool_alloc(100000, 0) == NULL);
			CHECK(pool_page_alloc(POOL_MAX_ORDER, 0) == NULL);
			break;
		}
		memset(p, 0x33, s);
		if (n == cap) {
			cap *= 2;
			v = realloc(v, cap * sizeof(*v));
		}
		v[n++] = p;
	}
	*out = v;
	return n;
}

static void t_oom(void)
{
	void **v;
	size_t n1, n2, i;

	setup(1, 8 * MIB);
	n1 = exhaust(&v, 1);
	CHECK(n1 > 1000);
	for (i = 0; i < n1; i++)
		pool_free(v[i]);
	free(v);
	check_all_back();
	n2 = exhaust(&v, 1);
	fprintf(stderr, "# oom: %zu then %zu objects\n", n1, n2);
	CHECK(n2 >= n1 - n1 / 20);	/* the same memory is usable again */
	for (i = 0; i < n2; i++)
		pool_free(v[i]);
	free(v);
	check_all_back();
}

static void **oom_v;
static size_t oom_n;

static void *oom_release(void *arg)
{
	size_t i;

	(void)arg;
	pool_host_cpu_enter(1);
	sleep_us(500);
	for (i = 0; i < oom_n; i++)
		pool_free(oom_v[i]);
	pool_drain(POOL_DRAIN_TICK);
	return NULL;
}

static void t_oom_sleep(void)
{
	pthread_t t;
	double t0;
	void *p;

	setup(2, 8 * MIB);
	oom_n = exhaust(&oom_v, 2);
	/* Also use up the free objects left in the 4096-byte class. */
	for (;;) {
		void *q = pool_alloc(4000, 0);

		if (!q)
			break;
		oom_v = realloc(oom_v, (oom_n + 1) * sizeof(*oom_v));
		oom_v[oom_n++] = q;
	}
	t0 = now_s();
	CHECK(pool_alloc(4000, POOL_SLEEP) == NULL);	/* bounded wait */
	fprintf(stderr, "# sleeping allocation failed after %.1f ms\n",
		(now_s() - t0) * 1e3);
	CHECK(now_s() - t0 < 2.0);
	/* Another CPU frees everything while we wait: we get memory. */
	pthread_create(&t, NULL, oom_release, NULL);
	p = pool_alloc(4000, POOL_SLEEP);
	CHECK(p);
	pool_free(p);
	pthread_join(t, NULL);
	free(oom_v);
	check_all_back();
}

/* --- debug build ------------------------------------------------------------ */

static void t_debug_double_free(void)
{
	unsigned long r;
	void *p;

	setup(2, 16 * MIB);
	p = pool_alloc(40, 0);
	pool_free(p);
	r = pool_host_reports();
	pool_free_caller(p, 0x1234567);
	CHECK(pool_host_reports() == r + 1);
	CHECK(strstr(pool_host_last_report(), "double free"));
	CHECK(strstr(pool_host_last_report(), "caller 0x1234567"));
	CHECK(strstr(pool_host_last_report(), "owner cpu 0"));
	/* Freed on CPU 1, owned by CPU 0 (remote path). */
	p = pool_alloc(200, 0);
	pool_host_cpu_enter(1);
	pool_free(p);
	pool_free(p);
	CHECK(pool_host_reports() == r + 2);
	CHECK(strstr(pool_host_last_report(), "double free"));
	CHECK(strstr(pool_host_last_report(), "owner cpu 0"));
	pool_drain(POOL_DRAIN_TICK);
	pool_host_cpu_enter(0);
	check_all_back();
}

static void t_debug_wrong_pointer(void)
{
	unsigned long r;
	char *p, *pg;
	int x;

	setup(1, 16 * MIB);
	p = pool_alloc(64, 0);
	r = pool_host_reports();
	pool_free(p + 8);
	CHECK(pool_host_reports() == r + 1 &&
	      strstr(pool_host_last_report(), "not an object"));
	pool_free(&x);
	CHECK(pool_host_reports() == r + 2 &&
	      strstr(pool_host_last_report(), "outside the pool"));
	pg = pool_page_alloc(0, 0);
	pool_free(pg);
	CHECK(pool_host_reports() == r + 3);
	pool_page_free(pg, 1);			/* wrong order */
	CHECK(pool_host_reports() == r + 4);
	pool_page_free(pg, 0);
	pool_free(p);
	CHECK(pool_host_reports() == r + 4);
	check_all_back();
}

static void t_debug_redzone_poison(void)
{
	unsigned long r;
	char *p, *q;

	setup(1, 16 * MIB);
	r = pool_host_reports();
	p = pool_alloc(20, 0);
	p[20] = 1;			/* past the size asked for */
	pool_free(p);
	CHECK(pool_host_reports() == r + 1 &&
	      strstr(pool_host_last_report(), "red zone"));
	p = pool_alloc(20, 0);
	CHECK(pool_ksize(p) == 32);
	memset(p, 1, 32);		/* ksize gave the caller 32 bytes */
	pool_free(p);
	CHECK(pool_host_reports() == r + 1);
	p = pool_alloc(64, 0);
	pool_free(p);
	p[30] = 7;			/* write after free */
	q = pool_alloc(64, 0);
	CHECK(q == p);
	CHECK(pool_host_reports() == r + 2 &&
	      strstr(pool_host_last_report(), "after free"));
	pool_free(q);
	check_all_back();
}

/* --- runner ----------------------------------------------------------------- */

struct test {
	const char *name;
	void (*fn)(void);
	int debug_only;
	int timeout;
};

static const struct test tests[] = {
	{ "size classes and ksize", t_size_classes, 0, 60 },
	{ "natural alignment", t_alignment, 0, 60 },
	{ "zeroing", t_zeroing, 0, 60 },
	{ "named caches", t_named_caches, 0, 60 },
	{ "page blocks and counts per order", t_pages_counts, 0, 60 },
	{ "statistics printout", t_stats_print, 0, 60 },
	{ "interrupt inside the pool uses the next context", t_nested_contexts, 0, 60 },
	{ "remote frees batched per owner", t_remote_batching, 0, 60 },
	{ "big remote frees travel in carriers, reused untouched", t_remote_carriers, 0, 60 },
	{ "stress: threads, cross-CPU frees, IRQ alloc/free", t_stress, 0, 150 },
	{ "stopped CPU: inbox drained by its tick", t_stopped_cpu, 0, 60 },
	{ "out of memory: NULL, then works again", t_oom, 0, 60 },
	{ "out of memory: sleeping allocation waits a bounded time", t_oom_sleep, 0, 60 },
	{ "debug: double free reported", t_debug_double_free, 1, 60 },
	{ "debug: wrong pointers reported", t_debug_wrong_pointer, 1, 60 },
	{ "debug: red zones and poisoning", t_debug_redzone_poison, 1, 60 },
};

int main(int argc, char **argv)
{
	const char *prefix = argc > 1 ? argv[1] : "host";
	unsigned int n = argc > 2 ? (unsigned int)atoi(argv[2]) : 1;
	unsigned int i, passed = 0, failed = 0;

	if (argc > 3)
		stress_ops = strtoul(argv[3], NULL, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		const struct test *t = &tests[i];
		int status;
		pid_t pid;

		if (t->debug_only && !POOL_DEBUG)
			continue;
		fflush(stdout);
		fflush(stderr);
		pid = fork();
		if (pid == 0) {
			alarm((unsigned int)t->timeout);
			t->fn();
			exit(0);
		}
		waitpid(pid, &status, 0);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			printf("ok %u - %s: %s\n", n++, prefix, t->name);
			passed++;
		} else {
			printf("not ok %u - %s: %s (%s %d)\n", n++, prefix,
			       t->name,
			       WIFEXITED(status) ? "exit" : "signal",
			       WIFEXITED(status) ? WEXITSTATUS(status)
						 : WTERMSIG(status));
			failed++;
		}
	}
	printf("# result %u %u\n", passed, failed);
	return failed ? 1 : 0;
}
