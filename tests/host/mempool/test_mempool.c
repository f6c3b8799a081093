// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of the memory pool (kernel/mm/pool*.c), run under ASan+UBSan,
 * under TSan, and in a POOL_DEBUG build. Each test runs in its own forked
 * process with a fresh pool; threads are CPUs, SIGUSR1 is their interrupt
 * line, for a device interrupt that allocates and frees and for the timer
 * tick (see pool_host.c).
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
#include <semaphore.h>
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

/* The next element of an inbox chain after object @e. */
static void *obj_next(void *e)
{
	return *pool_obj_link(e, pool_virt_to_page(e)->head->link_off);
}

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

/* Every slab made was given back, with the same base and order. */
static void check_slab_events(void)
{
	struct pool_host_slab_events e;

	pool_host_slab_events(&e);
	if (e.made != e.gone || e.made_sum != e.gone_sum || e.bad) {
		fprintf(stderr, "# slab events: %lu made, %lu given back, sums %s, bad %d\n",
			e.made, e.gone, e.made_sum == e.gone_sum ? "equal" : "differ",
			e.bad);
		exit(1);
	}
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
	check_slab_events();
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
	struct pool_cache *k, *k2, *k3, *k4;
	struct pool_totals t;
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
	/* Destroyed for real: nothing in use, their slabs back at the next
	 * (busy, not idle) tick, their slots reused. */
	CHECK(pool_cache_destroy(k) == 0);
	CHECK(pool_cache_destroy(k2) == 0);
	pool_drain(POOL_DRAIN_TICK);
	pool_get_totals(&t);
	CHECK(t.pages_slab == 0);
	k3 = pool_cache_create("again", 48, 0);
	k4 = pool_cache_create("again2", 48, 0);
	CHECK((k3 == k && k4 == k2) || (k3 == k2 && k4 == k));
	CHECK(pool_cache_destroy(k3) == 0 && pool_cache_destroy(k4) == 0);
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
	for (p = pool_owner_ctx(0)->inbox; p; p = obj_next(p))
		n++;
	CHECK(n == 96);
	CHECK(pool_owner_ctx(3)->out[0].n == 4);
	pool_host_cpu_enter(1);			/* be CPU 1 for its tick */
	pool_drain(POOL_DRAIN_TICK);
	pool_host_cpu_enter(0);
	n = 0;
	for (p = pool_owner_ctx(0)->inbox; p; p = obj_next(p))
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

	for (e = __atomic_load_n(&c->inbox, __ATOMIC_ACQUIRE); e; ) {
		if (pool_is_carrier(e)) {
			n += pool_carrier_of(e)->n + 1;
			e = pool_carrier_of(e)->next;
		} else {
			n++;
			e = obj_next(e);
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

/* A device interrupt on a CPU thread: allocates and frees. */
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
	/* Then wait until this CPU's interrupts have allocated a few objects:
	 * an event, whatever the load. Sleeping (a system call) also lets
	 * TSan deliver the signals it holds back while code runs. Interrupts
	 * must be on here, or the wait never ends: fail instead (a mask left
	 * full under TSan, see pool_host.c, hung here). */
	while (__atomic_load_n(&irq_allocs[cpu], __ATOMIC_RELAXED) < 20) {
		CHECK(pool_host_irqs_on());
		sleep_us(100);
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
	for (i = 1; i < NCPU; i++)
		CHECK(irq_allocs[i] >= 20);
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
static int stop_freer_done[4];		/* set by freer id itself */
static int stop_pushed;			/* freers whose tick ran after */
/* Owner's tick counts at which its tick hook first saw every object back,
 * and then its slabs and pages back. Written by the owner's tick only. */
static unsigned long stop_drained_tick, stop_trimmed_tick;

/* Context: a CPU's tick (signal handler), after its pool_drain(). */
static void stop_tick_hook(void)
{
	const struct pool_ctx *c = pool_owner_ctx(1 * POOL_NEST);
	unsigned long t = pool_host_ticks(1), in = 0, slab = 0, cached = 0;
	unsigned int i, id = pool_host_cpu_id;

	/* A freer's tick after its last free has pushed its batches. */
	if (id >= 2 && __atomic_load_n(&stop_freer_done[id], __ATOMIC_RELAXED) == 1) {
		__atomic_store_n(&stop_freer_done[id], 2, __ATOMIC_RELAXED);
		__atomic_fetch_add(&stop_pushed, 1, __ATOMIC_RELEASE);
	}
	if (id != 1)
		return;
	for (i = 0; i < pool_ncaches; i++) {
		in += c->cc[i].remote_in;
		slab += c->cc[i].slab_pages;
	}
	for (i = 0; i < POOL_PCP_ORDERS; i++)
		cached += c->pcp[i].count;
	if (!stop_drained_tick && in == STOP_OBJS)
		__atomic_store_n(&stop_drained_tick, t, __ATOMIC_RELEASE);
	if (stop_drained_tick && !stop_trimmed_tick && !slab && !cached)
		__atomic_store_n(&stop_trimmed_tick, t, __ATOMIC_RELEASE);
}

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
	/* Never calls the pool again; only its timer tick does, once the
	 * test lets it (unmasked from this thread, after the test's look at
	 * the inbox: so TSan sees the order). */
	while (__atomic_load_n(&stop_phase, __ATOMIC_ACQUIRE) < 2)
		sleep_us(100);
	pool_host_ticker_mask(1, 0);
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
	__atomic_store_n(&stop_freer_done[id], 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&stop_phase, __ATOMIC_ACQUIRE) != 3)
		sleep_us(100);
	pool_host_cpu_leave();
	return NULL;
}

/* Wait until *@v reaches @n: an event, not a time (the test's alarm is the
 * only limit). */
static void wait_for(const int *v, int n)
{
	while (__atomic_load_n(v, __ATOMIC_ACQUIRE) < n)
		sleep_us(200);
}

/*
 * Bound checked, in events: once both freers have done their frees, their
 * ticks push their batches (every object ends up in the owner's inbox while
 * the owner's tick is held back); once the owner ticks again, its tick that
 * finds every object back is at most its second, and its slabs and pages
 * are back at most POOL_IDLE_TICKS ticks after that, though it never calls
 * the pool. The test waits for each event, never for a number of ticks.
 */
static void t_stopped_cpu(void)
{
	pthread_t o, f1, f2;
	struct pool_totals t;
	unsigned long ot;
	double t0;

	setup(4, 64 * MIB);
	pool_host_irqs(0);
	pool_host_irq_install(NULL, stop_tick_hook);
	pool_host_ticker_mask(1, 1);		/* owner's tick is held back */
	pool_host_ticker_start(1000);
	pthread_create(&o, NULL, stopped_owner, NULL);
	pthread_create(&f1, NULL, stop_freer, (void *)2);
	pthread_create(&f2, NULL, stop_freer, (void *)3);
	/* Each freer's first tick after its last free pushes its batches. */
	wait_for(&stop_pushed, 2);
	CHECK(inbox_objects(pool_owner_ctx(3)) == STOP_OBJS);
	/* Without the owner's tick, the frees wait in its inbox. */
	pool_get_totals(&t);
	CHECK(t.objects_in_use == STOP_OBJS);
	CHECK(t.remote_in_flight == STOP_OBJS);
	CHECK(!stop_drained_tick);
	/* Now the owner ticks again, still without calling the pool. */
	ot = pool_host_ticks(1);
	t0 = now_s();
	__atomic_store_n(&stop_phase, 2, __ATOMIC_RELEASE);	/* unmask */
	while (!__atomic_load_n(&stop_trimmed_tick, __ATOMIC_ACQUIRE))
		sleep_us(200);
	fprintf(stderr, "# drained at owner tick %lu, slabs and pages back at tick %lu, %.1f ms\n",
		stop_drained_tick - ot, stop_trimmed_tick - ot,
		(now_s() - t0) * 1e3);
	CHECK(stop_drained_tick <= ot + 2);
	CHECK(stop_trimmed_tick <= stop_drained_tick + POOL_IDLE_TICKS);
	pool_host_ticker_stop();
	pool_get_totals(&t);
	CHECK(t.objects_in_use == 0 && t.remote_in_flight == 0);
	/* The idle owner's tick gave its slabs and cached pages back. */
	CHECK(t.pages_slab == 0 && t.pages_cached == 0);
	CHECK(t.pages_free + t.pages_meta == t.pages_total);
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
static sem_t oom_go, oom_done;
static int oom_armed;

/* The first reclaim wait of the armed allocation lets the other CPU free
 * everything and waits until it has: the event, not a time. */
static void oom_reclaim_hook(unsigned int attempt)
{
	(void)attempt;
	if (!__atomic_exchange_n(&oom_armed, 0, __ATOMIC_ACQ_REL))
		return;
	sem_post(&oom_go);
	while (sem_wait(&oom_done))
		;
}

static void *oom_release(void *arg)
{
	size_t i;

	(void)arg;
	pool_host_cpu_enter(1);
	while (sem_wait(&oom_go))
		;
	for (i = 0; i < oom_n; i++)
		pool_free(oom_v[i]);
	pool_drain(POOL_DRAIN_TICK);	/* push the batches to CPU 0 */
	sem_post(&oom_done);
	return NULL;
}

static void t_oom_sleep(void)
{
	pthread_t t;
	unsigned long w;
	double t0;
	void *p;

	setup(2, 8 * MIB);
	sem_init(&oom_go, 0, 0);
	sem_init(&oom_done, 0, 0);
	pool_host_set_reclaim_hook(oom_reclaim_hook);
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
	w = pool_host_reclaim_waits();
	CHECK(pool_alloc(4000, POOL_SLEEP) == NULL);	/* bounded wait */
	fprintf(stderr, "# sleeping allocation failed after %lu waits, %.1f ms\n",
		pool_host_reclaim_waits() - w, (now_s() - t0) * 1e3);
	CHECK(pool_host_reclaim_waits() - w == 8);
	/* Another CPU frees everything while we wait: we get memory. */
	pthread_create(&t, NULL, oom_release, NULL);
	__atomic_store_n(&oom_armed, 1, __ATOMIC_RELEASE);
	w = pool_host_reclaim_waits();
	p = pool_alloc(4000, POOL_SLEEP);
	CHECK(p);
	CHECK(pool_host_reclaim_waits() - w >= 1);
	pool_free(p);
	pthread_join(t, NULL);
	free(oom_v);
	pool_host_set_reclaim_hook(NULL);
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

/* --- review findings (issue 8) ------------------------------------------- */

#define RACE_THREADS 4
#define RACE_PER 8
#define RACE_ROUNDS 100

static struct pool_cache *race_got[RACE_THREADS][RACE_PER];
static pthread_barrier_t race_bar;

static void *race_creator(void *arg)
{
	unsigned int id = (unsigned int)(uintptr_t)arg, i;

	pthread_barrier_wait(&race_bar);
	for (i = 0; i < RACE_PER; i++)
		race_got[id][i] = pool_cache_create("race", 32 + 8 * id, 0);
	return NULL;
}

/*
 * Several threads create caches at once: every create gets a slot of its
 * own (a slot filled twice shows as two equal pointers or a wrong size),
 * and destroyed slots are reused: 100 rounds create 3200 caches in 48
 * slots.
 */
static void t_cache_create_race(void)
{
	pthread_t th[RACE_THREADS];
	unsigned int r, i, j, x, y;

	setup(1, 32 * MIB);
	pthread_barrier_init(&race_bar, NULL, RACE_THREADS);
	for (r = 0; r < RACE_ROUNDS; r++) {
		for (i = 0; i < RACE_THREADS; i++)
			pthread_create(&th[i], NULL, race_creator,
				       (void *)(uintptr_t)i);
		for (i = 0; i < RACE_THREADS; i++)
			pthread_join(th[i], NULL);
		for (i = 0; i < RACE_THREADS; i++) {
			for (j = 0; j < RACE_PER; j++) {
				struct pool_cache *k = race_got[i][j];
				void *o;

				CHECK(k && k->size == 32 + 8 * i);
				for (x = 0; x < RACE_THREADS; x++)
					for (y = 0; y < RACE_PER; y++)
						CHECK((x == i && y == j) ||
						      race_got[x][y] != k);
				o = pool_cache_alloc(k, 0);
				CHECK(o && pool_ksize(o) == 32 + 8 * i);
				pool_cache_free(k, o);
			}
		}
		for (i = 0; i < RACE_THREADS; i++)
			for (j = 0; j < RACE_PER; j++)
				CHECK(pool_cache_destroy(race_got[i][j]) == 0);
		pool_drain(POOL_DRAIN_TICK);	/* their slabs go back */
	}
	check_all_back();
}

/*
 * pool_cache_destroy(): counts the objects in use (a queued remote free
 * counts as freed), reports a leak by name and keeps the cache; with none,
 * the next tick gives the cache's slabs back and its slot is reused.
 */
static void t_cache_destroy(void)
{
	struct pool_totals t;
	struct pool_cache *k, *k2;
	unsigned long r;
	void *o[10], *q;
	unsigned int i;

	setup(2, 32 * MIB);
	CHECK(pool_cache_destroy(NULL) == 0);
	k = pool_cache_create("leaky", 200, 0);
	CHECK(k);
	for (i = 0; i < 10; i++)
		CHECK((o[i] = pool_cache_alloc(k, 0)));
	for (i = 0; i < 5; i++)
		pool_cache_free(k, o[i]);
	pool_host_cpu_enter(1);			/* two remote frees, queued */
	pool_cache_free(k, o[5]);
	pool_cache_free(k, o[6]);
	pool_host_cpu_enter(0);
	r = pool_host_reports();
	CHECK(pool_cache_destroy(k) == 3);
	CHECK(pool_host_reports() == r + 1);
	CHECK(strstr(pool_host_last_report(),
		     "pool: cache leaky destroyed with 3 objects in use"));
	q = pool_cache_alloc(k, 0);		/* leaked, not destroyed */
	CHECK(q);
	pool_cache_free(k, q);
	for (i = 7; i < 10; i++)
		pool_cache_free(k, o[i]);
	CHECK(pool_cache_destroy(k) == 0);
	CHECK(pool_host_reports() == r + 1);
	CHECK(pool_cache_destroy(k) == 0);	/* already dead: nothing */
	pool_host_cpu_enter(1);
	pool_drain(POOL_DRAIN_TICK);		/* pushes the two frees */
	pool_host_cpu_enter(0);
	pool_drain(POOL_DRAIN_TICK);		/* one busy tick, no idle trim */
	pool_get_totals(&t);
	CHECK(t.pages_slab == 0);		/* the dead cache's slab is back */
	k2 = pool_cache_create("reuse", 64, 0);
	CHECK(k2 == k && k2->size == 64);	/* the slot is reused */
	CHECK(pool_cache_destroy(k2) == 0);
	for (i = 0; i < 200; i++) {
		k = pool_cache_create("cycle", 8 + i, 0);
		CHECK(k);
		q = pool_cache_alloc(k, 0);
		CHECK(q);
		pool_cache_free(k, q);
		CHECK(pool_cache_destroy(k) == 0);
		pool_drain(POOL_DRAIN_TICK);
	}
	/* A kmalloc class cannot be destroyed. */
	r = pool_host_reports();
	CHECK(pool_cache_destroy(&pool_caches[0]) == 0);	/* kmalloc-8 */
	CHECK(pool_host_reports() == r + 1 &&
	      strstr(pool_host_last_report(), "kmalloc class"));
	q = pool_alloc(8, 0);			/* and it still works */
	CHECK(q);
	pool_free(q);
	check_all_back();
}

#define BUDGET_OBJS 400000

static void **budget_v;

static void *budget_freer(void *arg)
{
	unsigned int i;

	(void)arg;
	pool_host_cpu_enter(1);
	for (i = 0; i < BUDGET_OBJS; i++)
		pool_free(budget_v[i]);
	pool_drain(POOL_DRAIN_TICK);
	return NULL;
}

/*
 * A tick drain does bounded work with interrupts off: with 400,000 remote
 * frees queued for it, one pool_drain(POOL_DRAIN_TICK) returns exactly
 * POOL_DRAIN_BUDGET of them, so does an allocation that finds the queue,
 * and the following ticks return the rest.
 */
static void t_drain_budget(void)
{
	struct pool_totals t;
	pthread_t th;
	unsigned int i, ticks = 0;
	double t0, dt, worst = 0;
	void *p;

	setup(2, 512 * MIB);
	budget_v = malloc(BUDGET_OBJS * sizeof(*budget_v));
	for (i = 0; i < BUDGET_OBJS; i++)
		CHECK((budget_v[i] = pool_alloc(64, 0)));
	pthread_create(&th, NULL, budget_freer, NULL);
	pthread_join(th, NULL);
	pool_get_totals(&t);
	CHECK(t.remote_in_flight == BUDGET_OBJS);
	pool_host_irqs(0);			/* as in the tick handler */
	t0 = now_s();
	pool_drain(POOL_DRAIN_TICK);
	dt = now_s() - t0;
	pool_host_irqs(1);
	pool_get_totals(&t);
	CHECK(t.remote_in_flight == BUDGET_OBJS - POOL_DRAIN_BUDGET);
	p = pool_alloc(128, 0);		/* another class: drains, bounded */
	CHECK(p);
	pool_get_totals(&t);
	CHECK(t.remote_in_flight == BUDGET_OBJS - 2 * POOL_DRAIN_BUDGET);
	pool_free(p);
	while (t.remote_in_flight) {
		double d;

		t0 = now_s();
		pool_drain(POOL_DRAIN_TICK);
		d = now_s() - t0;
		worst = d > worst ? d : worst;
		ticks++;
		pool_get_totals(&t);
		CHECK(ticks <= BUDGET_OBJS / POOL_DRAIN_BUDGET + 1);
	}
	fprintf(stderr, "# tick drain with %d remote frees queued: first %.3f ms, worst %.3f ms, %u more ticks\n",
		BUDGET_OBJS, dt * 1e3, worst * 1e3, ticks);
	free(budget_v);
	check_all_back();
}

static void **res_v;
static size_t res_n;

static void *res_sleeper(void *arg)
{
	void *p;

	(void)arg;
	pool_host_cpu_enter(1);
	res_v = malloc(sizeof(*res_v) * 8192);
	while (res_n < 8192 && (p = pool_alloc(2000, POOL_SLEEP)))
		res_v[res_n++] = p;
	while (res_n < 8192 && (p = pool_page_alloc(0, POOL_SLEEP)))
		res_v[res_n++] = p;
	return NULL;
}

/*
 * The atomic reserve: sleeping allocations take everything they can, and
 * an atomic allocation on another CPU still gets objects and pages.
 */
static void t_atomic_reserve(void)
{
	struct pool_totals t;
	pthread_t th;
	void *a[4];
	size_t i;

	setup(2, 8 * MIB);
	pool_get_totals(&t);
	CHECK(t.zone_reserve[POOL_ZONE_NORMAL] >= 64);
	pthread_create(&th, NULL, res_sleeper, NULL);
	pthread_join(th, NULL);
	CHECK(res_n > 1000 && res_n < 8192);
	pool_get_totals(&t);
	fprintf(stderr, "# reserve %zu pages; %zu free after the sleepers took %zu blocks\n",
		t.zone_reserve[POOL_ZONE_NORMAL], t.zone_free[POOL_ZONE_NORMAL], res_n);
	CHECK(t.zone_free[POOL_ZONE_NORMAL] >= t.zone_reserve[POOL_ZONE_NORMAL]);
	a[0] = pool_alloc(64, POOL_ATOMIC);
	a[1] = pool_alloc(2000, POOL_ATOMIC);
	a[2] = pool_page_alloc(0, POOL_ATOMIC);
	a[3] = pool_page_alloc(2, POOL_ATOMIC);
	CHECK(a[0] && a[1] && a[2] && a[3]);
	pool_free(a[0]);
	pool_free(a[1]);
	pool_page_free(a[2], 0);
	pool_page_free(a[3], 2);
	for (i = 0; i < res_n; i++) {
		if (pool_virt_to_page(res_v[i])->head->kind == PK_PAGE)
			pool_page_free(res_v[i], 0);
		else
			pool_free(res_v[i]);
	}
	free(res_v);
	pool_drain(POOL_DRAIN_TICK);		/* push the remote frees */
	pool_host_cpu_enter(1);
	pool_drain(POOL_DRAIN_ALL);
	pool_host_cpu_enter(0);
	check_all_back();
}

/* A burst of work: objects and pages allocated and freed. */
static void burst(void)
{
	void *o[100], *pg[8];
	unsigned int i;

	for (i = 0; i < 100; i++)
		o[i] = pool_alloc(256, 0);
	for (i = 0; i < 8; i++)
		pg[i] = pool_page_alloc(0, 0);
	for (i = 0; i < 100; i++)
		pool_free(o[i]);
	for (i = 0; i < 8; i++)
		pool_page_free(pg[i], 0);
}

/*
 * Idle trimming: a CPU that wakes up, works a little and idles again keeps
 * its cached pages (no buddy lock round trip per wake-up); idle-loop
 * drains never trim; POOL_IDLE_TICKS ticks without work give everything
 * back.
 */
static void t_idle_trim(void)
{
	struct pool_totals a, b;
	unsigned int i, cycles = 1000;
	double t0;

	setup(1, 64 * MIB);
	burst();
	pool_drain(POOL_DRAIN_TICK);
	pool_get_totals(&a);
	t0 = now_s();
	for (i = 0; i < cycles; i++) {
		burst();
		pool_drain(POOL_DRAIN_TICK);	/* the tick after work */
		pool_drain(POOL_DRAIN_IDLE);	/* idle loop, halts */
		pool_drain(POOL_DRAIN_TICK);	/* one idle tick */
		pool_drain(POOL_DRAIN_IDLE);
	}
	pool_get_totals(&b);
	fprintf(stderr, "# idle: %.2f buddy lock acquisitions per wake-up, %.1f us each\n",
		(double)(b.buddy_locks - a.buddy_locks) / cycles,
		(now_s() - t0) * 1e6 / cycles);
	CHECK(b.buddy_locks - a.buddy_locks < cycles / 10);
	CHECK(b.pages_cached > 0);
	for (i = 0; i < 100; i++)
		pool_drain(POOL_DRAIN_IDLE);
	pool_get_totals(&a);
	CHECK(a.pages_cached == b.pages_cached && a.pages_slab == b.pages_slab);
	/* The last wake-up had one idle tick: up to POOL_IDLE_TICKS - 1 of
	 * them keep the caches, the next trims. */
	for (i = 2; i < POOL_IDLE_TICKS; i++) {
		pool_drain(POOL_DRAIN_TICK);
		pool_get_totals(&a);
		CHECK(a.pages_cached == b.pages_cached);
	}
	pool_drain(POOL_DRAIN_TICK);
	pool_get_totals(&a);
	CHECK(a.pages_cached == 0 && a.pages_slab == 0);
	check_all_back();
}

/*
 * NMIs: code on this CPU holds the buddy lock (IRQs off) and an NMI enters
 * the pool, with a context free and with none: allocations that need the
 * buddy allocator fail at once, frees go to the deferred list, nothing
 * spins; the next drain returns the deferred blocks. A deadlock would show
 * as the test's alarm.
 */
static void t_nmi_buddy_lock(void)
{
	struct pool_ctx *c0, *c1, *c2;
	struct pool_totals t;
	unsigned long fl;
	void *p, *q, *o;

	setup(1, 16 * MIB);
	p = pool_page_alloc(5, 0);
	q = pool_page_alloc(0, 0);
	o = pool_alloc(64, 0);
	CHECK(p && q && o);
	CHECK(pool_buddy_lock_irqsave(&fl));	/* the interrupted holder */
	/* "NMI" at depth 1: context 0 is free. */
	CHECK(pool_page_alloc(6, 0) == NULL);
	CHECK(pool_alloc(100000, 0) == NULL);
	pool_page_free(p, 5);			/* order >= 4: to the buddy */
	pool_get_totals(&t);			/* does not spin either */
	CHECK(t.pages_deferred >= 32);
	/* "NMI" at depth 4: every context busy. */
	c0 = pool_ctx_get();
	c1 = pool_ctx_get();
	c2 = pool_ctx_get();
	CHECK(c0 && c1 && c2);
	CHECK(pool_page_alloc(0, 0) == NULL);
	CHECK(pool_alloc(64, 0) == NULL);
	pool_page_free(q, 0);
	pool_free(o);				/* straight to the inbox */
	pool_get_totals(&t);
	CHECK(t.pages_deferred >= 33);
	pool_ctx_put(c2);
	pool_ctx_put(c1);
	pool_ctx_put(c0);
	pool_buddy_unlock_irqrestore(fl);
	pool_drain(POOL_DRAIN_TICK);
	pool_get_totals(&t);
	CHECK(t.pages_deferred == 0);
	check_all_back();
}

/*
 * Double frees in the release build too: the object just freed (head of
 * its slab's free list, or last queued for a remote owner) freed again is
 * reported and refused, so the next two allocations still differ.
 */
static void t_double_free_any_build(void)
{
	unsigned long r;
	void *p, *a, *b;

	setup(2, 16 * MIB);
	p = pool_alloc(64, 0);
	pool_free(p);
	r = pool_host_reports();
	pool_free(p);
	CHECK(pool_host_reports() == r + 1);
	CHECK(strstr(pool_host_last_report(), "double free"));
	a = pool_alloc(64, 0);
	b = pool_alloc(64, 0);
	CHECK(a && b && a != b);
	pool_free(a);
	pool_free(b);
	/* Remote: a chain (64 B) and a carrier (300 B) */
	a = pool_alloc(64, 0);
	b = pool_alloc(300, 0);
	pool_host_cpu_enter(1);
	pool_free(a);
	pool_free(a);
	CHECK(pool_host_reports() == r + 2);
	pool_free(b);
	pool_free(b);
	CHECK(pool_host_reports() == r + 3);
	pool_drain(POOL_DRAIN_TICK);
	pool_host_cpu_enter(0);
	a = pool_alloc(64, 0);
	b = pool_alloc(64, 0);
	CHECK(a != b);
	pool_free(a);
	pool_free(b);
	check_all_back();
}

/* Debug: word 0 of a freed object is poisoned and checked too. */
static void t_debug_word0(void)
{
	unsigned long r;
	uint64_t *p, *q;

	setup(1, 16 * MIB);
	p = pool_alloc(64, 0);
	pool_free(p);
	r = pool_host_reports();
	p[0] = 0;				/* a list head or refcount */
	q = pool_alloc(64, 0);
	CHECK(q == p);
	CHECK(pool_host_reports() == r + 1 &&
	      strstr(pool_host_last_report(), "after free"));
	pool_free(q);
	check_all_back();
}

/* --- API for the DDE ------------------------------------------------------ */

static unsigned long ctor_calls;

static void ctor512(void *obj)
{
	uint64_t *w = obj;

	__atomic_fetch_add(&ctor_calls, 1, __ATOMIC_RELAXED);
	memset(obj, 0xc5, 512);
	w[0] = 0xc0c0c0c0;
}

static void *ctor_objs[100];
static int ctor_pinned[100];
static struct pool_cache *ctor_k;

static void *ctor_freer(void *arg)
{
	unsigned int i;

	(void)arg;
	pool_host_cpu_enter(1);
	for (i = 0; i < 100; i++)
		if (!ctor_pinned[i] && i % 2)
			pool_cache_free(ctor_k, ctor_objs[i]);
	pool_drain(POOL_DRAIN_TICK);
	return NULL;
}

/* Constructed state of object @o whose user wrote @i into word 1. */
static int ctor_state_ok(const void *o, uint64_t i)
{
	const uint64_t *w = o;
	const unsigned char *b = o;
	unsigned int j;

	if (w[0] != 0xc0c0c0c0 || w[1] != i) {
		fprintf(stderr, "# ctor: %p word 0 %llx word 1 %llx, want %llx\n",
			o, (unsigned long long)w[0], (unsigned long long)w[1],
			(unsigned long long)i);
		return 0;
	}
	for (j = 16; j < 512; j++) {
		if (b[j] != 0xc5) {
			fprintf(stderr, "# ctor: %p byte %u is %#x\n", o, j, b[j]);
			return 0;
		}
	}
	return 1;
}

/*
 * Constructors run once per object, when its slab is made, never at
 * allocation; a freed object, locally or remotely (512 B objects would be
 * carriers), keeps every byte while its slab lives (one object of each
 * slab stays allocated, so no slab is given back and made again).
 */
static void t_ctor(void)
{
	struct pool_page *seen[100];
	unsigned long calls;
	unsigned int i, j, nseen = 0, nfree = 0, found = 0;
	void *old[100];
	pthread_t th;

	setup(2, 32 * MIB);
	ctor_k = pool_cache_create_ctor("ctor512", 512, 0, ctor512);
	CHECK(ctor_k && ctor_calls == 0);
	for (i = 0; i < 100; i++) {
		struct pool_page *pg;

		ctor_objs[i] = pool_cache_alloc(ctor_k, 0);
		CHECK(ctor_objs[i] && pool_ksize(ctor_objs[i]) == 512);
		CHECK(ctor_state_ok(ctor_objs[i], 0xc5c5c5c5c5c5c5c5ULL));
		((uint64_t *)ctor_objs[i])[1] = i;	/* state kept while free */
		pg = pool_virt_to_page(ctor_objs[i])->head;
		for (j = 0; j < nseen && seen[j] != pg; j++)
			;
		if (j == nseen) {
			seen[nseen++] = pg;
			ctor_pinned[i] = 1;
		}
	}
	calls = ctor_calls;
	CHECK(calls >= 100 && calls == nseen * ctor_k->nobj);
	for (i = 0; i < 100; i++) {
		nfree += !ctor_pinned[i];
		if (!ctor_pinned[i] && !(i % 2))
			pool_cache_free(ctor_k, ctor_objs[i]);
	}
	pthread_create(&th, NULL, ctor_freer, NULL);
	pthread_join(th, NULL);
	memcpy(old, ctor_objs, sizeof(old));
	for (i = 0; i < nfree; i++) {
		void *o = pool_cache_alloc(ctor_k, 0);

		for (j = 0; j < 100 && old[j] != o; j++)
			;
		if (j < 100) {
			CHECK(!ctor_pinned[j] && ctor_state_ok(o, j));
			found++;
		} else {			/* never handed out before */
			CHECK(ctor_state_ok(o, 0xc5c5c5c5c5c5c5c5ULL));
		}
		ctor_objs[i] = o;
	}
	/* The objects came back, but for those the last slab had left. */
	CHECK(found + (nseen * ctor_k->nobj - 100) >= nfree);
	CHECK(ctor_calls == calls);		/* no constructor at allocation */
	for (i = 0; i < nfree; i++)
		pool_cache_free(ctor_k, ctor_objs[i]);
	for (i = 0; i < 100; i++)
		if (ctor_pinned[i])
			pool_cache_free(ctor_k, old[i]);
	CHECK(pool_cache_destroy(ctor_k) == 0);
	check_all_back();
}

/* Which zone's region holds @p (-1: none). */
static int zone_of(const void *p)
{
	uintptr_t a = (uintptr_t)p;
	unsigned int i;

	for (i = 0; i < pool_nregions; i++)
		if (a >= pool_regions[i].base && a < pool_regions[i].end)
			return (int)pool_regions[i].zone;
	return -1;
}

/*
 * Zones: POOL_DMA32 memory comes only from DMA32 regions; normal memory
 * prefers NORMAL and falls back to DMA32 when NORMAL is used up.
 */
static void t_dma32_zones(void)
{
	static void *v[8192];
	struct pool_totals t;
	size_t n = 0, i, from_dma = 0, dma_pages, first_dma = 0;
	void *p;

	CHECK(pool_host_setup_zones(1, 4 * MIB, 4 * MIB) == 0);
	pool_host_cpu_enter(0);
	pool_get_totals(&t);
	CHECK(t.zone_total[POOL_ZONE_DMA32] && t.zone_total[POOL_ZONE_NORMAL]);
	dma_pages = t.zone_free[POOL_ZONE_DMA32];
	p = pool_page_alloc(0, 0);
	CHECK(zone_of(p) == POOL_ZONE_NORMAL);
	pool_page_free(p, 0);
	for (i = 0; i <= 4; i++) {
		p = pool_page_alloc((unsigned int)i, POOL_DMA32 | POOL_ZERO);
		CHECK(p && zone_of(p) == POOL_ZONE_DMA32);
		pool_page_free(p, (unsigned int)i);
	}
	p = pool_alloc(100, POOL_DMA32);
	CHECK(p && zone_of(p) == POOL_ZONE_DMA32 && pool_ksize(p) == POOL_PAGE_SIZE);
	pool_free(p);
	p = pool_alloc(20000, POOL_DMA32 | POOL_SLEEP);
	CHECK(p && zone_of(p) == POOL_ZONE_DMA32);
	pool_free(p);
	/* Use up DMA32: every page of it, none of NORMAL. */
	while ((p = pool_page_alloc(0, POOL_DMA32))) {
		CHECK(zone_of(p) == POOL_ZONE_DMA32 && n < 8192);
		v[n++] = p;
	}
	CHECK(n == dma_pages);
	p = pool_page_alloc(0, 0);		/* normal memory is still there */
	CHECK(p && zone_of(p) == POOL_ZONE_NORMAL);
	pool_page_free(p, 0);
	for (i = 0; i < n; i++)
		pool_page_free(v[i], 0);
	pool_drain(POOL_DRAIN_ALL);
	/* Use up NORMAL: then normal allocations fall back to DMA32 (above
	 * its reserve first, then into the reserves: atomic allocations),
	 * as Linux's zonelist does. Page-cache batches of 16 are taken in
	 * order and handed out in reverse: that much slack. */
	n = 0;
	while ((p = pool_page_alloc(0, 0))) {
		CHECK(n < 8192);
		if (zone_of(p) == POOL_ZONE_DMA32 && !from_dma++)
			first_dma = n;
		v[n++] = p;
	}
	fprintf(stderr, "# zones: first DMA32 page for a normal allocation after %zu NORMAL pages (%zu free, reserve %zu)\n",
		first_dma, t.zone_free[POOL_ZONE_NORMAL],
		t.zone_reserve[POOL_ZONE_NORMAL]);
	CHECK(first_dma + 16 >= t.zone_free[POOL_ZONE_NORMAL] -
			       t.zone_reserve[POOL_ZONE_NORMAL]);
	CHECK(from_dma == dma_pages);
	CHECK(n == t.zone_free[POOL_ZONE_NORMAL] + dma_pages);
	for (i = 0; i < n; i++)
		pool_page_free(v[i], 0);
	check_all_back();
}

static void *split_pages[8];

static void *split_freer(void *arg)
{
	unsigned int id = (unsigned int)(uintptr_t)arg, i;

	pool_host_cpu_enter(id);
	for (i = 4 + 2 * (id - 1); i < 6 + 2 * (id - 1); i++)
		pool_page_free(split_pages[i], 0);
	pool_drain(POOL_DRAIN_ALL);
	return NULL;
}

/* pool_page_split(): 8 independent pages, freed on three CPUs. */
static void t_page_split(void)
{
	struct pool_totals a, b;
	pthread_t th[2];
	unsigned long r;
	unsigned int i;
	char *p;

	setup(3, 16 * MIB);
	pool_drain(POOL_DRAIN_ALL);
	pool_get_totals(&a);
	p = pool_page_alloc(3, 0);
	CHECK(p);
	memset(p, 0x77, 8 * POOL_PAGE_SIZE);
	r = pool_host_reports();
	pool_page_split(p + POOL_PAGE_SIZE, 3);	/* not a block of order 3 */
	CHECK(pool_host_reports() == r + 1);
	pool_page_split(p, 3);
	pool_get_totals(&b);
	CHECK(b.used_blocks[3] == a.used_blocks[3] &&
	      b.used_blocks[0] == a.used_blocks[0] + 8);
	pool_page_free(p, 3);			/* now a page of order 0 */
	CHECK(pool_host_reports() == r + 2);
	for (i = 0; i < 8; i++) {
		split_pages[i] = p + i * POOL_PAGE_SIZE;
		CHECK(pool_ksize(split_pages[i]) == 0);	/* a page, not kmalloc */
		CHECK(((char *)split_pages[i])[100] == 0x77);
	}
	for (i = 0; i < 4; i++)
		pool_page_free(split_pages[i], 0);
	for (i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, split_freer, (void *)(uintptr_t)(i + 1));
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	pool_drain(POOL_DRAIN_ALL);
	pool_get_totals(&b);
	for (i = 0; i <= POOL_MAX_ORDER; i++) {
		CHECK(b.used_blocks[i] == a.used_blocks[i]);
		CHECK(b.free_blocks[i] == a.free_blocks[i]);	/* merged */
	}
	check_all_back();
}

/*
 * Slab events: one "made" before the first object of a slab is handed out,
 * one "given back" with the same base and order when its pages go back
 * (every test checks the sums in check_all_back()).
 */
static void t_slab_events(void)
{
	struct pool_host_slab_events e;
	void *p;

	setup(1, 16 * MIB);
	pool_host_slab_events(&e);
	CHECK(e.made == 0 && e.gone == 0);
	p = pool_alloc(64, 0);
	pool_host_slab_events(&e);
	CHECK(e.made == 1 && e.gone == 0);
	pool_free(p);
	p = pool_alloc(5000, 0);		/* 8 KiB class: an order-1 slab */
	pool_host_slab_events(&e);
	CHECK(e.made == 2);
	pool_free(p);
	p = pool_alloc(100000, 0);		/* a large block is no slab */
	pool_host_slab_events(&e);
	CHECK(e.made == 2);
	pool_free(p);
	pool_drain(POOL_DRAIN_ALL);
	pool_host_slab_events(&e);
	CHECK(e.made == 2 && e.gone == 2 && e.made_sum == e.gone_sum && !e.bad);
	check_all_back();
}

static int other_phase;

static void *other_cpu_cacher(void *arg)
{
	void *pg[32];
	unsigned int i;

	(void)arg;
	pool_host_cpu_enter(1);
	pool_host_irqs(1);
	pool_free(pool_alloc(64, 0));		/* its slab, for the loop below */
	for (i = 0; i < 32; i++)
		pg[i] = pool_page_alloc(0, 0);
	for (i = 0; i < 32; i++)
		pool_page_free(pg[i], 0);	/* kept in CPU 1's page cache */
	__atomic_store_n(&other_phase, 1, __ATOMIC_RELEASE);
	/* Busy (so no idle trim), on objects only: the pages stay cached. */
	while (__atomic_load_n(&other_phase, __ATOMIC_ACQUIRE) != 2) {
		pool_free(pool_alloc(64, 0));
		sleep_us(100);
	}
	pool_host_cpu_leave();
	return NULL;
}

static unsigned long other_tick0;

/* First reclaim wait: wait for CPU 1's next tick (it trims then), the event
 * the kernel's IPI makes happen at once. */
static void other_reclaim_hook(unsigned int attempt)
{
	if (attempt)
		return;
	other_tick0 = pool_host_ticks(1);
	while (pool_host_ticks(1) < other_tick0 + 1)
		sleep_us(100);
}

/*
 * A sleeping allocation that finds nothing gets the pages another CPU's
 * cache holds: every CPU trims at its next drain after a failure.
 */
static void t_sleep_reclaims_other_cpus(void)
{
	static void *v[4096];
	struct pool_totals t;
	pthread_t th;
	size_t n = 0, i;
	void *p;

	setup(2, 8 * MIB);
	pool_host_irqs(0);
	pool_host_irq_install(NULL, NULL);
	pool_host_ticker_start(1000);
	pthread_create(&th, NULL, other_cpu_cacher, NULL);
	wait_for(&other_phase, 1);
	while ((p = pool_page_alloc(0, 0))) {	/* everything else, atomic */
		CHECK(n < 4096);
		v[n++] = p;
	}
	/* Give the reserve back: only what CPU 1 caches is left for sleepers. */
	pool_get_totals(&t);
	for (i = 0; i < t.zone_reserve[POOL_ZONE_NORMAL]; i++)
		pool_page_free(v[--n], 0);
	pool_drain(POOL_DRAIN_ALL);
	pool_get_totals(&t);
	if (t.pages_cached < 16 || t.pages_free != t.zone_reserve[POOL_ZONE_NORMAL])
		fprintf(stderr, "# cached %zu free %zu reserve %zu\n", t.pages_cached,
			t.pages_free, t.zone_reserve[POOL_ZONE_NORMAL]);
	CHECK(t.pages_cached >= 16 && t.pages_free == t.zone_reserve[POOL_ZONE_NORMAL]);
	pool_host_set_reclaim_hook(other_reclaim_hook);
	p = pool_page_alloc(0, POOL_SLEEP);
	CHECK(p);
	pool_page_free(p, 0);
	pool_host_set_reclaim_hook(NULL);
	for (i = 0; i < n; i++)
		pool_page_free(v[i], 0);
	pool_host_ticker_stop();
	__atomic_store_n(&other_phase, 2, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	pool_host_cpu_enter(1);
	pool_drain(POOL_DRAIN_ALL);
	pool_host_cpu_enter(0);
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
	{ "concurrent cache creation, slots reused", t_cache_create_race, 0, 60 },
	{ "cache destroy: counts, reports, gives back, reuses", t_cache_destroy, 0, 60 },
	{ "tick drain work is capped with 400000 remote frees", t_drain_budget, 0, 120 },
	{ "atomic reserve: sleepers cannot take it", t_atomic_reserve, 0, 60 },
	{ "idle trim only after idle ticks", t_idle_trim, 0, 60 },
	{ "NMI while this CPU holds the buddy lock", t_nmi_buddy_lock, 0, 20 },
	{ "double free refused in every build", t_double_free_any_build, 0, 60 },
	{ "constructors: once per object, state kept", t_ctor, 0, 60 },
	{ "DMA32 and NORMAL zones", t_dma32_zones, 0, 60 },
	{ "page split, pages freed on three CPUs", t_page_split, 0, 60 },
	{ "slab events made and given back", t_slab_events, 0, 60 },
	{ "sleeping allocation reclaims other CPUs' caches", t_sleep_reclaims_other_cpus, 0, 60 },
	{ "debug: double free reported", t_debug_double_free, 1, 60 },
	{ "debug: word 0 of a freed object is checked", t_debug_word0, 1, 60 },
	{ "debug: wrong pointers reported", t_debug_wrong_pointer, 1, 60 },
	{ "debug: red zones and poisoning", t_debug_redzone_poison, 1, 60 },
};

/*
 * The alarms are watchdogs for a test that hangs, not limits on speed: the
 * sanitizers slow the pool down many times, and CI runs beside other work,
 * so they are stretched there (POOL_TEST_TIMEOUT_SCALE=N overrides).
 */
static unsigned int timeout_scale(void)
{
	const char *env = getenv("POOL_TEST_TIMEOUT_SCALE");

	if (env && atoi(env) > 0)
		return (unsigned int)atoi(env);
#if defined(__SANITIZE_THREAD__)
	return 10;
#elif defined(__SANITIZE_ADDRESS__)
	return 4;
#else
	return 2;
#endif
}

int main(int argc, char **argv)
{
	const char *prefix = argc > 1 ? argv[1] : "host";
	unsigned int n = argc > 2 ? (unsigned int)atoi(argv[2]) : 1;
	unsigned int i, passed = 0, failed = 0;
	/* POOL_TEST_ONLY=text runs only the tests whose name contains it. */
	const char *only = getenv("POOL_TEST_ONLY");

	if (argc > 3)
		stress_ops = strtoul(argv[3], NULL, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		const struct test *t = &tests[i];
		int status;
		pid_t pid;

		if (t->debug_only && !POOL_DEBUG)
			continue;
		if (only && !strstr(t->name, only))
			continue;
		fflush(stdout);
		fflush(stderr);
		pid = fork();
		if (pid == 0) {
			alarm((unsigned int)t->timeout * timeout_scale());
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
