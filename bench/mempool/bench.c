// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory pool benchmark. One object file per allocator *interface*, linked
 * against each allocator the same way (see Makefile and
 * docs/mempool-bench.md):
 *   -DBENCH_API_POOL   pool_alloc()/pool_free() (ddeos, libddeos.so/.a)
 *   -DBENCH_API_SEED   seed_alloc()/seed_free() (the seed, libseed.so/.a)
 *   neither            malloc()/free(): glibc, jemalloc, tcmalloc, mimalloc;
 *                      the very same object file for all four.
 * Every call is a direct call by name into another module: through the PLT
 * when the allocator is a shared library, a plain call when it is linked
 * statically. No function pointers, no LTO, nothing inlined across modules.
 *
 * Usage: bench_X NAME LINK [SCALE [all|retained|pairs|prodcons|larson]]
 * Prints CSV lines "subrun,allocator,link,workload,value,unit":
 *   pair-N      ns per alloc+free pair of N bytes on one thread: the median
 *               over windows of 1024 pairs (pair-N-total: the whole loop)
 *   prodcons    ns per 256-byte object allocated on one thread/CPU and freed
 *               on another (the NIC receive pattern), pinned to two cores
 *   larson      ns per operation, two threads replacing random slots of a
 *               shared array with new objects of 16..1024 bytes
 *   retained-stop / -peak / -idle
 *               KiB of memory the process holds beyond its start, right
 *               after a producer stops (its consumer freed everything), the
 *               maximum over the next 50 ms, and after 50 ms: the process's
 *               resident set (smaps_rollup) for every allocator; for the
 *               pool the free page blocks of its page allocator count as
 *               given back (see footprint_kib()).
 *
 * The main thread never competes with the timed threads: during the
 * producer-consumer and larson runs it sleeps in pthread_join(), and the
 * timed threads start together at a spinning gate and take their own
 * timestamps. (There are two cores, so there is no third CPU to pin it to.)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#if defined(BENCH_API_POOL) || defined(BENCH_API_SEED)
#define BENCH_POOL 1
#include "pool.h"
#include "pool_host.h"
#include "seed_pool.h"
#else
#define BENCH_POOL 0
#endif

#if defined(BENCH_API_POOL)
#define b_alloc(n) pool_alloc((n), 0)
#define b_free(p) pool_free(p)
#elif defined(BENCH_API_SEED)
#define b_alloc(n) seed_alloc(n)
#define b_free(p) seed_free(p)
#else
#define b_alloc(n) malloc(n)
#define b_free(p) free(p)
#endif

#define NTHREADS 2

static const char *name = "?", *link_kind = "?";
/*
 * The two-thread workloads run SUBRUNS times per process, each with 1/SUBRUNS
 * of the operations; every result line starts with its sub-run (0 for the
 * others), so that run_bench.sh records it as run R.S. Short sub-runs are
 * more often clean (no thread descheduled) on a shared machine.
 */
#define SUBRUNS 4
static int sub;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * Seconds the calling thread has spent runnable but waiting for a CPU (the
 * scheduler's run delay, /proc/thread-self/schedstat), or -1. Sleeping on a
 * lock (glibc's arena mutex) is not waiting for a CPU and does not count.
 */
static double run_delay(void)
{
	unsigned long long on_cpu, delay;
	FILE *f = fopen("/proc/thread-self/schedstat", "r");
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%llu %llu", &on_cpu, &delay) == 2;
	fclose(f);
	return ok ? (double)delay * 1e-9 : -1;
}

/*
 * Each timed thread of the two-thread workloads notes its run delay and the
 * time before its start gate and after its last operation. The workload
 * then reports WORKLOAD-share: for the worse of the two threads, the share
 * of that time it was not kept waiting for a CPU by other processes, in %.
 * Below 100, a thread was descheduled and its partner waited or ran alone;
 * summarise.py then prefers the runs near 100.
 */
struct share {
	double t, delay;
};

static void share_begin(struct share *s)
{
	s->delay = run_delay();
	s->t = now();
}

static void share_end(struct share *s)
{
	double d = run_delay();

	s->t = now() - s->t;
	s->delay = (d < 0 || s->delay < 0) ? -1 : d - s->delay;
}

static double share_pct(const struct share *a, const struct share *b)
{
	double x = a->t > 0 ? 1 - a->delay / a->t : 0;
	double y = b->t > 0 ? 1 - b->delay / b->t : 0;

	if (a->delay < 0 || b->delay < 0)
		return -1;
	return 100.0 * (x < y ? x : y);
}

static void pin(int id)
{
	cpu_set_t set;
	long n = sysconf(_SC_NPROCESSORS_ONLN), i;

	CPU_ZERO(&set);
	if (id < 0) {
		for (i = 0; i < n; i++)
			CPU_SET(i, &set);
	} else {
		CPU_SET((unsigned int)id % (unsigned int)(n > 0 ? n : 1), &set);
	}
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* Thread @id becomes bench CPU @id. */
static void thread_enter(unsigned int id)
{
	pin((int)id);
#if BENCH_POOL
	pool_host_cpu_enter(id);
	pool_host_irqs(1);
#endif
}

static void thread_leave(void)
{
#if BENCH_POOL
	pool_drain(POOL_DRAIN_TICK);	/* a CPU going offline flushes */
	pool_host_cpu_leave();
#endif
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts))
		;
}

/*
 * Windows, for the same-CPU pairs. The machine is shared, so the timed
 * thread is sometimes descheduled. The pair loop takes a timestamp every
 * WINDOW pairs (a few to some tens of microseconds) and reports the median
 * over its windows of ns per pair: a window with an interruption in it is an
 * outlier and does not move the median. The whole loop's average is reported
 * too, as pair-N-total. Not for the two-thread workloads: there a window in
 * which the partner thread is descheduled is not slower but a different
 * workload (all frees local, or a full ring to drain), so they report the
 * whole run's average.
 */
#define WINDOW 1024
#define MAX_WINDOWS 8192

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of @n values (sorts them). */
static double median(double *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ns per operation of each window between consecutive timestamps. */
static size_t window_rates(const double *ts, size_t nts, double *out, double div)
{
	size_t i;

	for (i = 0; i + 1 < nts; i++)
		out[i] = (ts[i + 1] - ts[i]) * 1e9 / WINDOW / div;
	return nts ? nts - 1 : 0;
}

/*
 * The timed threads wait here for each other, spinning on their own CPUs,
 * so that creating them is not timed and nobody starts alone.
 */
static int gate_count;

static void gate_reset(void)
{
	__atomic_store_n(&gate_count, 0, __ATOMIC_RELEASE);
}

static void gate_wait(int n)
{
	__atomic_add_fetch(&gate_count, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&gate_count, __ATOMIC_ACQUIRE) < n)
		__builtin_ia32_pause();
}

/* --- memory held by the process --- */

/* Exact resident set from the page tables (statm is approximate). */
static long rss_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/smaps_rollup", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Rss:", 4)) {
			kib = atol(line + 4);
			break;
		}
	}
	fclose(f);
	return kib;
}

#if BENCH_POOL
/* The pool's region: the host platform's mapping that holds its objects. */
static uintptr_t region_lo, region_hi;
static unsigned char *region_vec;

static void region_find(void)
{
	void *p = b_alloc(64);
	uintptr_t a = (uintptr_t)p, lo, hi;
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && a >= lo && a < hi) {
			region_lo = lo;
			region_hi = hi;
		}
	}
	if (f)
		fclose(f);
	b_free(p);
	/* Leave nothing cached on this CPU: the baseline is the empty pool. */
	pool_drain(POOL_DRAIN_ALL);
	if (!region_hi)
		abort();
	region_vec = malloc((region_hi - region_lo) / 4096);
}

/* Resident KiB of the pool's region (descriptors and pages). */
static long region_rss_kib(void)
{
	size_t n = (region_hi - region_lo) / 4096, i;
	long pages = 0;

	if (mincore((void *)region_lo, region_hi - region_lo, region_vec))
		abort();
	for (i = 0; i < n; i++)
		pages += region_vec[i] & 1;
	return pages * 4;
}
#endif

/*
 * KiB the process holds. For glibc, jemalloc, tcmalloc and mimalloc this is
 * the resident set: what they took from the OS and did not give back. The
 * pool *is* the page allocator in ddeos, and on the host its page allocator
 * never gives pages to Linux, so its free blocks stay resident. Here they
 * count as given back, which is what the resident set would be if the pool's
 * buddy allocator madvise(MADV_DONTNEED)ed every block entering its free
 * lists: the region's resident pages are replaced by the pages outside the
 * buddy free lists (in per-CPU caches, slabs, page blocks, the pool's own
 * state), all counted as resident. A page taken from the buddy but never
 * touched is counted too: that errs against ddeos (and the seed, which gets
 * its pages from the same page allocator). Thread stacks, TLS and the rest
 * of the process count alike for all.
 */
static long footprint_kib(void)
{
#if BENCH_POOL
	struct pool_totals t;
	long region = region_rss_kib(), rss = rss_kib();

	pool_get_totals(&t);
	return rss - region + (long)(t.pages_total - t.pages_free) * 4;
#else
	return rss_kib();
#endif
}

/* --- same-CPU pairs --- */

static double pair_ts[MAX_WINDOWS + 1], pair_rate[MAX_WINDOWS];

static void bench_pair(size_t size, long n)
{
	double t0, t1;
	long i;
	size_t nts = 0;

	for (i = 0; i < n / 10; i++) {
		void *p = b_alloc(size);

		__asm__ volatile("" : : "r"(p) : "memory");
		b_free(p);
	}
	if (n > (long)MAX_WINDOWS * WINDOW)
		n = (long)MAX_WINDOWS * WINDOW;
	t0 = now();
	pair_ts[nts++] = t0;
	for (i = 0; i < n; i++) {
		void *p = b_alloc(size);

		__asm__ volatile("" : : "r"(p) : "memory");
		b_free(p);
		if ((i + 1) % WINDOW == 0)
			pair_ts[nts++] = now();
	}
	t1 = now();
	printf("%d,%s,%s,pair-%zu,%.2f,ns\n", sub, name, link_kind, size,
	       median(pair_rate, window_rates(pair_ts, nts, pair_rate, 1)));
	printf("%d,%s,%s,pair-%zu-total,%.2f,ns\n", sub, name, link_kind, size,
	       (t1 - t0) * 1e9 / (double)n);
}

/* --- producer-consumer --- */

#define RING 1024

struct ring {
	_Alignas(64) unsigned long head;
	_Alignas(64) unsigned long tail;
	_Alignas(64) void *slot[RING];
};

static struct ring ring;
static long pc_n;
static size_t pc_size;
static int pc_stop;
static int pc_consumed;
static int pc_retained;
static double pc_t0, pc_t1;
static struct share pc_share[2];

/*
 * The ring publishes its indices every RING_BATCH objects, so that the
 * hand-over costs little next to the allocator (as a NIC ring does).
 */
#define RING_BATCH 32

static void *producer(void *arg)
{
	unsigned long h = 0, tail = 0;
	long i;

	(void)arg;
	thread_enter(0);
	share_begin(&pc_share[0]);
	gate_wait(2);
	pc_t0 = now();
	for (i = 0; i < pc_n; i++) {
		void *p = b_alloc(pc_size);

		if (!p)
			abort();
		*(long *)p = i;
		while (h - tail >= RING) {
			__atomic_store_n(&ring.head, h, __ATOMIC_RELEASE);
			__builtin_ia32_pause();
			tail = __atomic_load_n(&ring.tail, __ATOMIC_ACQUIRE);
		}
		ring.slot[h % RING] = p;
		h++;
		if (h % RING_BATCH == 0)
			__atomic_store_n(&ring.head, h, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&ring.head, h, __ATOMIC_RELEASE);
	share_end(&pc_share[0]);
	/* The producer stops calling the allocator and waits. */
	while (!__atomic_load_n(&pc_stop, __ATOMIC_ACQUIRE))
		sleep_ms(1);
	thread_leave();
	return NULL;
}

static void *consumer(void *arg)
{
	unsigned long t = 0, head = 0;
	long i;

	(void)arg;
	thread_enter(1);
	share_begin(&pc_share[1]);
	gate_wait(2);
	for (i = 0; i < pc_n; i++) {
		void *p;

		while (t == head) {
			__atomic_store_n(&ring.tail, t, __ATOMIC_RELEASE);
			__builtin_ia32_pause();
			head = __atomic_load_n(&ring.head, __ATOMIC_ACQUIRE);
		}
		p = ring.slot[t % RING];
		t++;
		if (t % RING_BATCH == 0)
			__atomic_store_n(&ring.tail, t, __ATOMIC_RELEASE);
		if (*(long *)p != i)
			abort();
		b_free(p);
	}
	pc_t1 = now();
	share_end(&pc_share[1]);
	__atomic_store_n(&ring.tail, t, __ATOMIC_RELEASE);
	__atomic_store_n(&pc_consumed, 1, __ATOMIC_RELEASE);
	/* Stays a CPU (its tick runs) until the measurement is over. */
	while (pc_retained && !__atomic_load_n(&pc_stop, __ATOMIC_ACQUIRE))
		sleep_ms(1);
	thread_leave();
	return NULL;
}

static void bench_prodcons(long n, size_t size, int retained)
{
	pthread_t pt, ct;
	long base = retained ? footprint_kib() : 0, at_stop, peak, f;
	double ts;

	pc_n = n;
	pc_size = size;
	pc_stop = 0;
	pc_consumed = 0;
	pc_retained = retained;
	ring.head = ring.tail = 0;
	gate_reset();
	pthread_create(&pt, NULL, producer, NULL);
	pthread_create(&ct, NULL, consumer, NULL);
	if (!retained) {
		/* Sleep until the consumer is done; it timed itself. */
		pthread_join(ct, NULL);
		__atomic_store_n(&pc_stop, 1, __ATOMIC_RELEASE);
		pthread_join(pt, NULL);
		printf("%d,%s,%s,prodcons,%.2f,ns\n", sub, name, link_kind,
		       (pc_t1 - pc_t0) * 1e9 / (double)n);
		printf("%d,%s,%s,prodcons-share,%.1f,%%\n", sub, name, link_kind,
		       share_pct(&pc_share[0], &pc_share[1]));
		return;
	}
	while (!__atomic_load_n(&pc_consumed, __ATOMIC_ACQUIRE))
		sleep_ms(1);
	/* Every object is freed; the producer is idle. */
	ts = now();
	at_stop = footprint_kib() - base;
	peak = at_stop;
	do {
		sleep_ms(1);
		f = footprint_kib() - base;
		if (f > peak)
			peak = f;
	} while (now() - ts < 0.050);
	printf("%d,%s,%s,retained-stop,%ld,KiB\n", sub, name, link_kind, at_stop);
	printf("%d,%s,%s,retained-peak,%ld,KiB\n", sub, name, link_kind, peak);
	printf("%d,%s,%s,retained-idle,%ld,KiB\n", sub, name, link_kind, f);
	__atomic_store_n(&pc_stop, 1, __ATOMIC_RELEASE);
	pthread_join(pt, NULL);
	pthread_join(ct, NULL);
}

/* --- larson-like --- */

#define LSLOTS 4096

static void *lslot[LSLOTS];
static long l_ops;
static double l_t0[NTHREADS], l_t1[NTHREADS];
static struct share l_share[NTHREADS];

static void *larson_thread(void *arg)
{
	unsigned int id = (unsigned int)(uintptr_t)arg;
	uint64_t s = 0x9e3779b97f4a7c15ULL * (id + 1);
	long i;

	thread_enter(id);
	share_begin(&l_share[id]);
	gate_wait(NTHREADS);
	l_t0[id] = now();

	for (i = 0; i < l_ops; i++) {
		void *p, *old;
		size_t sz;

		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		sz = 16 + (s >> 20) % 1009;
		p = b_alloc(sz);
		if (!p)
			abort();
		*(uint64_t *)p = s;
		old = __atomic_exchange_n(&lslot[s % LSLOTS], p,
					  __ATOMIC_ACQ_REL);
		if (old)
			b_free(old);
	}
	l_t1[id] = now();
	share_end(&l_share[id]);
	thread_leave();
	return NULL;
}

static void bench_larson(long ops)
{
	pthread_t t[NTHREADS];
	double t0, t1;
	unsigned int i;

	l_ops = ops;
	gate_reset();
	for (i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, larson_thread, (void *)(uintptr_t)i);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	t0 = l_t0[0];
	t1 = l_t1[0];
	for (i = 1; i < NTHREADS; i++) {
		if (l_t0[i] < t0)
			t0 = l_t0[i];
		if (l_t1[i] > t1)
			t1 = l_t1[i];
	}
	printf("%d,%s,%s,larson,%.2f,ns\n", sub, name, link_kind,
	       (t1 - t0) * 1e9 / (double)(ops * NTHREADS));
	printf("%d,%s,%s,larson-share,%.1f,%%\n", sub, name, link_kind,
	       share_pct(&l_share[0], &l_share[1]));
	thread_enter(0);
	for (i = 0; i < LSLOTS; i++) {
		b_free(lslot[i]);
		lslot[i] = NULL;
	}
	thread_leave();
	pin(-1);
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 16, 64, 256, 1024, 4096 };
	const char *what;
	long scale;
	unsigned int i;

	if (argc < 3) {
		fprintf(stderr, "usage: %s NAME LINK [SCALE [all|retained|pairs|prodcons|larson]]\n",
			argv[0]);
		return 2;
	}
	name = argv[1];
	link_kind = argv[2];
	scale = argc > 3 ? atol(argv[3]) : 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
#if BENCH_POOL
	if (pool_host_setup(NTHREADS + 1, 1UL << 30))
		return 1;
	pool_host_irq_install(NULL, NULL);
	/* The kernel's tick: 4 ms (250 Hz, CONFIG_HZ and SCHED_SLICE_NS). */
	pool_host_ticker_start(4000);
	thread_enter(0);
	region_find();
	thread_leave();
	pin(-1);
#endif
	/* One workload alone (pairs, prodcons, larson) is for profilers. */
	what = argc > 4 ? argv[4] : "all";
	if (!strcmp(what, "retained")) {
		/* In a fresh process, so that the baseline is clean. */
		bench_prodcons(100000, 256, 1);
	} else {
		if (!strcmp(what, "all") || !strcmp(what, "pairs")) {
			thread_enter(0);
			for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
				bench_pair(sizes[i], 2000000 * scale);
			thread_leave();
			pin(-1);
		}
		if (!strcmp(what, "all") || !strcmp(what, "prodcons"))
			for (sub = 0; sub < SUBRUNS; sub++)
				bench_prodcons(1000000 * scale / SUBRUNS, 256, 0);
		if (!strcmp(what, "all") || !strcmp(what, "larson"))
			for (sub = 0; sub < SUBRUNS; sub++)
				bench_larson(1000000 * scale / SUBRUNS);
		sub = 0;
	}
#if BENCH_POOL
	pool_host_ticker_stop();
#endif
	return 0;
}
