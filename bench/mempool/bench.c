// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory pool benchmark, one binary per allocator (the build picks the
 * allocator with -DBENCH_DDEOS, -DBENCH_SEED or nothing: malloc, whichever
 * library is linked). Prints CSV lines "allocator,workload,value,unit":
 *   pair-N      ns per alloc+free pair of N bytes on one thread
 *   prodcons    ns per 256-byte object allocated on one thread/CPU and freed
 *               on another (the NIC receive pattern), pinned to two cores
 *   larson      ns per operation, threads replacing random slots of a shared
 *               array with new objects of 16..1024 bytes, freeing the old
 *   retained-stop / retained-idle
 *               KiB the allocator holds beyond live objects right after a
 *               producer stops (its consumer freed everything) and 50 ms
 *               later; ddeos and seed count pages outside the page
 *               allocator, the others the growth of the process RSS
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if defined(BENCH_DDEOS) || defined(BENCH_SEED)
#include "pool.h"
#include "pool_host.h"
#include "seed_pool.h"
#endif

#ifdef BENCH_DDEOS
#define NAME "ddeos"
static inline void *b_alloc(size_t n) { return pool_alloc(n, 0); }
static inline void b_free(void *p) { pool_free(p); }
#elif defined(BENCH_SEED)
#define NAME "seed"
static inline void *b_alloc(size_t n) { return seed_alloc(n); }
static inline void b_free(void *p) { seed_free(p); }
#else
#ifndef NAME
#define NAME "glibc"
#endif
static inline void *b_alloc(size_t n) { return malloc(n); }
static inline void b_free(void *p) { free(p); }
#endif

#define NTHREADS 2

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void pin(unsigned int id)
{
	cpu_set_t set;
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	CPU_ZERO(&set);
	CPU_SET(id % (unsigned int)(n > 0 ? n : 1), &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* Thread @id becomes bench CPU @id. */
static void thread_enter(unsigned int id)
{
	pin(id);
#if defined(BENCH_DDEOS) || defined(BENCH_SEED)
	pool_host_cpu_enter(id);
	pool_host_irqs(1);
#endif
}

static void thread_leave(void)
{
#if defined(BENCH_DDEOS) || defined(BENCH_SEED)
	pool_drain(POOL_DRAIN_TICK);	/* a CPU going offline flushes */
	pool_host_cpu_leave();
#endif
}

/* KiB held by the allocator, live objects included. */
static long footprint_kib(void)
{
#if defined(BENCH_DDEOS) || defined(BENCH_SEED)
	struct pool_totals t;

	pool_get_totals(&t);
	return (long)((t.pages_total - t.pages_free - t.pages_meta) * 4);
#else
	long size, rss;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f || fscanf(f, "%ld %ld", &size, &rss) != 2)
		rss = 0;
	if (f)
		fclose(f);
	return rss * (sysconf(_SC_PAGESIZE) / 1024);
#endif
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts))
		;
}

/* --- same-CPU pairs --- */

static void bench_pair(size_t size, long n)
{
	double t0, t1;
	long i;

	for (i = 0; i < n / 10; i++) {
		void *p = b_alloc(size);

		__asm__ volatile("" : : "r"(p) : "memory");
		b_free(p);
	}
	t0 = now();
	for (i = 0; i < n; i++) {
		void *p = b_alloc(size);

		__asm__ volatile("" : : "r"(p) : "memory");
		b_free(p);
	}
	t1 = now();
	printf("%s,pair-%zu,%.2f,ns\n", NAME, size, (t1 - t0) * 1e9 / (double)n);
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
static int pc_stop_producer;
static int pc_consumed;

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
	/* The producer stops calling the allocator and waits. */
	while (!__atomic_load_n(&pc_stop_producer, __ATOMIC_ACQUIRE))
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
	__atomic_store_n(&ring.tail, t, __ATOMIC_RELEASE);
	__atomic_store_n(&pc_consumed, 1, __ATOMIC_RELEASE);
	/* Stays a CPU (its tick runs) until the measurement is over. */
	while (!__atomic_load_n(&pc_stop_producer, __ATOMIC_ACQUIRE))
		sleep_ms(1);
	thread_leave();
	return NULL;
}

static void bench_prodcons(long n, size_t size, int retained)
{
	pthread_t pt, ct;
	double t0, t1;
	long base = footprint_kib(), at_stop, peak, k;

	pc_n = n;
	pc_size = size;
	pc_stop_producer = 0;
	pc_consumed = 0;
	ring.head = ring.tail = 0;
	t0 = now();
	pthread_create(&pt, NULL, producer, NULL);
	pthread_create(&ct, NULL, consumer, NULL);
	while (!__atomic_load_n(&pc_consumed, __ATOMIC_ACQUIRE))
		__builtin_ia32_pause();
	t1 = now();
	if (!retained) {
		printf("%s,prodcons,%.2f,ns\n", NAME,
		       (t1 - t0) * 1e9 / (double)n);
	} else {
		/* Every object is freed; the producer is idle. */
		at_stop = footprint_kib() - base;
		peak = at_stop;
		for (k = 0; k < 50; k++) {
			long f;

			sleep_ms(1);
			f = footprint_kib() - base;
			if (f > peak)
				peak = f;
		}
		printf("%s,retained-stop,%ld,KiB\n", NAME, at_stop);
		printf("%s,retained-idle,%ld,KiB\n", NAME,
		       footprint_kib() - base);
		printf("%s,retained-peak,%ld,KiB\n", NAME, peak);
	}
	__atomic_store_n(&pc_stop_producer, 1, __ATOMIC_RELEASE);
	pthread_join(pt, NULL);
	pthread_join(ct, NULL);
}

/* --- larson-like --- */

#define LSLOTS 4096

static void *lslot[LSLOTS];
static long l_ops;

static void *larson_thread(void *arg)
{
	unsigned int id = (unsigned int)(uintptr_t)arg;
	uint64_t s = 0x9e3779b97f4a7c15ULL * (id + 1);
	long i;

	thread_enter(id);
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
	thread_leave();
	return NULL;
}

static void bench_larson(long ops)
{
	pthread_t t[NTHREADS];
	double t0, t1;
	unsigned int i;

	l_ops = ops;
	t0 = now();
	for (i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, larson_thread, (void *)(uintptr_t)i);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	t1 = now();
	printf("%s,larson,%.2f,ns\n", NAME,
	       (t1 - t0) * 1e9 / (double)(ops * NTHREADS));
	thread_enter(0);
	for (i = 0; i < LSLOTS; i++) {
		b_free(lslot[i]);
		lslot[i] = NULL;
	}
	thread_leave();
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 16, 64, 256, 1024, 4096 };
	long scale = argc > 1 ? atol(argv[1]) : 1;
	unsigned int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
#if defined(BENCH_DDEOS) || defined(BENCH_SEED)
	if (pool_host_setup(NTHREADS + 1, 1UL << 30))
		return 1;
	pool_host_irq_install(NULL, NULL);
	/* The kernel's tick: 4 ms (250 Hz, CONFIG_HZ and SCHED_SLICE_NS). */
	pool_host_ticker_start(4000);
#endif
	if (argc > 2 && !strcmp(argv[2], "retained")) {
		/* In a fresh process, so that the baseline is clean. */
		bench_prodcons(100000, 256, 1);
	} else {
		thread_enter(0);
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
			bench_pair(sizes[i], 2000000 * scale);
		thread_leave();
		bench_prodcons(1000000 * scale, 256, 0);
		bench_larson(1000000 * scale);
	}
#if defined(BENCH_DDEOS) || defined(BENCH_SEED)
	pool_host_ticker_stop();
#endif
	return 0;
}
