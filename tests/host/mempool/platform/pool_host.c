// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host platform for the memory pool, out-of-line part: region set-up,
 * threads registered as CPUs, the signal mask as the interrupt flag, a
 * signal handler as the interrupt handler, a ticker thread as the timer, and
 * the print/report/panic/wait services of pool_platform.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "pool.h"
#include "pool_platform.h"
#include "pool_host.h"

__thread unsigned int pool_host_cpu_id = ~0u;
unsigned int pool_host_nr_cpus;

static pthread_t cpu_thread[POOL_MAX_CPUS];
static int cpu_live[POOL_MAX_CPUS];
static unsigned int cpu_pending[POOL_MAX_CPUS];	/* PEND_* bits */
static int cpu_tick_masked[POOL_MAX_CPUS];
static unsigned long cpu_ticks[POOL_MAX_CPUS];

static void (*irq_fn)(void);
static void (*tick_fn)(void);
static void (*print_fn)(const char *line);
static int verbose;

static unsigned long reports;
static char last_report[256];

/* Guards cpu_thread/cpu_live against a thread leaving while signalled. */
static pthread_mutex_t cpu_lock = PTHREAD_MUTEX_INITIALIZER;

static pthread_t ticker;
static int ticker_run;
static unsigned int ticker_period;

void pool_host_unregistered(void)
{
	fprintf(stderr, "pool host: thread not registered as a CPU\n");
	abort();
}

/*
 * One signal, POOL_HOST_IRQ_SIG, is every CPU's interrupt line. What it
 * stands for, a device interrupt, a tick or both, is in the CPU's
 * cpu_pending word: set before the signal is sent, taken whole by the
 * handler, as an interrupt controller's pending register. A signal sent
 * while one is pending is merged with it, and so are the bits: nothing set
 * before the handler takes the word is lost.
 *
 * Not one signal per kind (SIGUSR1 device, SIGUSR2 tick, as before): under
 * ThreadSanitizer a second, different signal can leave a thread with every
 * signal blocked for good. TSan defers a signal that comes while
 * instrumented code runs (sighandler() marks it armed and sets
 * thr->pending_signals) and calls the handler later, from
 * ProcessPendingSignalsImpl() (libsanitizer/tsan/tsan_interceptors_posix.cpp,
 * GCC 12.2, and later GCC alike), which does
 *	pending_signals = 0;
 *	pthread_sigmask(SIG_SETMASK, &full, &sctx->oldset);
 *	call the handler of every armed signal;
 *	pthread_sigmask(SIG_SETMASK, &sctx->oldset, 0);
 * with oldset one field per thread. If a signal that is not armed yet
 * comes between the first two lines, pending_signals is 1 again, the first
 * atomic or intercepted call in the handler (each runs
 * ProcessPendingSignals()) enters the function again and saves the full
 * mask over oldset, and the outer call then "restores" the full mask. The
 * stress test hung so: a CPU thread waiting for its interrupts had its
 * mask full (SigBlk fffffffe7ffbfeff) and both signals pending. With one
 * signal, the signal that made pending_signals 1 is still armed in that
 * window, so sighandler() does not set it again and the call never nests.
 */
#define PEND_IRQ 1u
#define PEND_TICK 2u

static sigset_t irq_set(void)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, POOL_HOST_IRQ_SIG);
	return s;
}

unsigned long pool_platform_irq_save(void)
{
	sigset_t s = irq_set(), old;

	pthread_sigmask(SIG_BLOCK, &s, &old);
	return sigismember(&old, POOL_HOST_IRQ_SIG) ? 0 : 1;
}

void pool_platform_irq_restore(unsigned long flags)
{
	sigset_t s = irq_set();

	if (flags)
		pthread_sigmask(SIG_UNBLOCK, &s, NULL);
}

void pool_host_irqs(int on)
{
	sigset_t s = irq_set();

	pthread_sigmask(on ? SIG_UNBLOCK : SIG_BLOCK, &s, NULL);
}

int pool_host_irqs_on(void)
{
	sigset_t cur;

	pthread_sigmask(SIG_BLOCK, NULL, &cur);
	return !sigismember(&cur, POOL_HOST_IRQ_SIG);
}

void pool_platform_print(const char *line)
{
	if (print_fn)
		print_fn(line);
	else
		printf("%s\n", line);
}

/* May run in a signal handler: no allocation, only a copy and write(2). */
void pool_platform_report(const char *msg)
{
	size_t n = strlen(msg);

	if (n >= sizeof(last_report))
		n = sizeof(last_report) - 1;
	memcpy(last_report, msg, n);
	last_report[n] = 0;
	__atomic_fetch_add(&reports, 1, __ATOMIC_SEQ_CST);
	if (verbose) {
		if (write(2, msg, n) < 0 || write(2, "\n", 1) < 0)
			return;
	}
}

void pool_platform_panic(const char *msg)
{
	fprintf(stderr, "pool panic: %s\n", msg);
	abort();
}

static void (*reclaim_hook)(unsigned int attempt);
static unsigned long reclaim_waits;

bool pool_platform_wait_reclaim(unsigned int attempt)
{
	struct timespec ts = { 0, 1000000 };	/* one 1 ms tick */

	__atomic_fetch_add(&reclaim_waits, 1, __ATOMIC_RELAXED);
	if (reclaim_hook)
		reclaim_hook(attempt);
	nanosleep(&ts, NULL);
	return true;
}

void pool_host_set_reclaim_hook(void (*fn)(unsigned int attempt))
{
	reclaim_hook = fn;
}

unsigned long pool_host_reclaim_waits(void)
{
	return __atomic_load_n(&reclaim_waits, __ATOMIC_RELAXED);
}

/*
 * Slab events: counts, and per direction a sum of a hash of (base, order),
 * so that "every slab made was given back, with the same base and order"
 * is a comparison of two sums. Atomics only: events come from signal
 * handlers too.
 */
static unsigned long slab_made, slab_gone;
static uint64_t slab_made_sum, slab_gone_sum;
static int slab_bad;

static uint64_t slab_hash(void *base, unsigned int order)
{
	uint64_t x = (uint64_t)(uintptr_t)base * 0x9e3779b97f4a7c15ULL ^ order;

	x ^= x >> 31;
	return x * 0xbf58476d1ce4e5b9ULL;
}

void pool_platform_slab_event(void *base, unsigned int order, int created)
{
	if (((uintptr_t)base & ((4096UL << order) - 1)) || order > 10)
		__atomic_store_n(&slab_bad, 1, __ATOMIC_RELAXED);
	if (created) {
		__atomic_fetch_add(&slab_made, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&slab_made_sum, slab_hash(base, order),
				   __ATOMIC_RELAXED);
	} else {
		__atomic_fetch_add(&slab_gone, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&slab_gone_sum, slab_hash(base, order),
				   __ATOMIC_RELAXED);
	}
}

void pool_host_slab_events(struct pool_host_slab_events *e)
{
	e->made = __atomic_load_n(&slab_made, __ATOMIC_ACQUIRE);
	e->gone = __atomic_load_n(&slab_gone, __ATOMIC_ACQUIRE);
	e->made_sum = __atomic_load_n(&slab_made_sum, __ATOMIC_ACQUIRE);
	e->gone_sum = __atomic_load_n(&slab_gone_sum, __ATOMIC_ACQUIRE);
	e->bad = __atomic_load_n(&slab_bad, __ATOMIC_ACQUIRE);
}

unsigned long pool_host_reports(void)
{
	return __atomic_load_n(&reports, __ATOMIC_SEQ_CST);
}

const char *pool_host_last_report(void)
{
	return last_report;
}

void pool_host_set_print(void (*fn)(const char *line))
{
	print_fn = fn;
}

void pool_host_set_verbose(int on)
{
	verbose = on;
}

int pool_host_setup(unsigned int nr_cpus, size_t bytes)
{
	void *mem;

	pool_host_nr_cpus = nr_cpus;
	mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		return -1;
	if (pool_add_region(mem, bytes))
		return -1;
	return pool_init();
}

int pool_host_setup_zones(unsigned int nr_cpus, size_t dma32_bytes,
			  size_t normal_bytes)
{
	void *d, *n;

	pool_host_nr_cpus = nr_cpus;
	d = mmap(NULL, dma32_bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	n = mmap(NULL, normal_bytes, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (d == MAP_FAILED || n == MAP_FAILED)
		return -1;
	if (pool_add_region_zone(d, dma32_bytes, POOL_ZONE_DMA32) ||
	    pool_add_region_zone(n, normal_bytes, POOL_ZONE_NORMAL))
		return -1;
	return pool_init();
}

void pool_host_cpu_enter(unsigned int id)
{
	pthread_mutex_lock(&cpu_lock);
	pool_host_cpu_id = id;
	cpu_thread[id] = pthread_self();
	/* Left by the thread that was CPU @id before: not this one's. */
	__atomic_store_n(&cpu_pending[id], 0, __ATOMIC_RELAXED);
	__atomic_store_n(&cpu_live[id], 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&cpu_lock);
}

void pool_host_cpu_leave(void)
{
	unsigned int id = pool_host_cpu_id;

	pool_host_irqs(0);
	pthread_mutex_lock(&cpu_lock);
	if (id < POOL_MAX_CPUS && pthread_equal(cpu_thread[id], pthread_self()))
		__atomic_store_n(&cpu_live[id], 0, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&cpu_lock);
}

/* The interrupt handler: the device interrupt first, then the tick. */
static void on_irq(int sig)
{
	int e = errno;
	unsigned int id = pool_host_cpu_id, pend;

	(void)sig;
	if (id >= pool_host_nr_cpus)
		return;
	pend = __atomic_exchange_n(&cpu_pending[id], 0, __ATOMIC_ACQUIRE);
	if ((pend & PEND_IRQ) && irq_fn)
		irq_fn();
	if (pend & PEND_TICK) {
		pool_drain(POOL_DRAIN_TICK);
		__atomic_fetch_add(&cpu_ticks[id], 1, __ATOMIC_RELEASE);
		if (tick_fn)
			tick_fn();
	}
	errno = e;
}

/* Raise @bit on live CPU @id. Called with cpu_lock held. */
static void post(unsigned int id, unsigned int bit)
{
	__atomic_fetch_or(&cpu_pending[id], bit, __ATOMIC_RELEASE);
	pthread_kill(cpu_thread[id], POOL_HOST_IRQ_SIG);
}

void pool_host_irq_install(void (*irq)(void), void (*tick_hook)(void))
{
	struct sigaction sa;

	irq_fn = irq;
	tick_fn = tick_hook;
	memset(&sa, 0, sizeof(sa));
	sa.sa_mask = irq_set();
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = on_irq;
	sigaction(POOL_HOST_IRQ_SIG, &sa, NULL);
}

void pool_host_irq_send(unsigned int id)
{
	if (id >= POOL_MAX_CPUS)
		return;
	pthread_mutex_lock(&cpu_lock);
	if (__atomic_load_n(&cpu_live[id], __ATOMIC_ACQUIRE))
		post(id, PEND_IRQ);
	pthread_mutex_unlock(&cpu_lock);
}

static void *ticker_main(void *arg)
{
	struct timespec ts;
	unsigned int i;

	(void)arg;
	ts.tv_sec = 0;
	ts.tv_nsec = (long)ticker_period * 1000;
	while (__atomic_load_n(&ticker_run, __ATOMIC_ACQUIRE)) {
		nanosleep(&ts, NULL);
		pthread_mutex_lock(&cpu_lock);
		for (i = 0; i < pool_host_nr_cpus; i++) {
			if (__atomic_load_n(&cpu_live[i], __ATOMIC_ACQUIRE) &&
			    !__atomic_load_n(&cpu_tick_masked[i],
					     __ATOMIC_RELAXED))
				post(i, PEND_TICK);
		}
		pthread_mutex_unlock(&cpu_lock);
	}
	return NULL;
}

void pool_host_ticker_start(unsigned int period_us)
{
	sigset_t s = irq_set();
	sigset_t old;

	ticker_period = period_us;
	__atomic_store_n(&ticker_run, 1, __ATOMIC_RELEASE);
	/* The ticker thread itself never takes the interrupts. */
	pthread_sigmask(SIG_BLOCK, &s, &old);
	pthread_create(&ticker, NULL, ticker_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void pool_host_ticker_stop(void)
{
	__atomic_store_n(&ticker_run, 0, __ATOMIC_RELEASE);
	pthread_join(ticker, NULL);
}

void pool_host_ticker_mask(unsigned int id, int masked)
{
	__atomic_store_n(&cpu_tick_masked[id], masked, __ATOMIC_RELAXED);
}

unsigned long pool_host_ticks(unsigned int id)
{
	return __atomic_load_n(&cpu_ticks[id], __ATOMIC_ACQUIRE);
}
