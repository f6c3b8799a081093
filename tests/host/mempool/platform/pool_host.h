// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host platform for the memory pool: set-up, threads as CPUs, and a signal
 * as the interrupt line (SIGUSR1, for a device interrupt and for the timer
 * tick alike; a per-CPU word says which are pending). Used by the host
 * tests and the benchmark.
 */
#ifndef POOL_HOST_H
#define POOL_HOST_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define POOL_HOST_IRQ_SIG SIGUSR1

/* Map a region of @bytes, give it to the pool, pool_init() for @nr_cpus. */
int pool_host_setup(unsigned int nr_cpus, size_t bytes);

/* Two regions: @dma32_bytes tagged POOL_ZONE_DMA32, @normal_bytes NORMAL. */
int pool_host_setup_zones(unsigned int nr_cpus, size_t dma32_bytes,
			  size_t normal_bytes);

/* The calling thread becomes CPU @id (0..nr_cpus-1). */
void pool_host_cpu_enter(unsigned int id);

/*
 * The calling thread stops being a CPU: it blocks the interrupt signal and
 * the ticker and interrupt senders forget it. Call before the thread exits.
 */
void pool_host_cpu_leave(void);

/*
 * Install the interrupt handler. For a device interrupt it runs @irq; for a
 * tick, pool_drain(POOL_DRAIN_TICK) then @tick_hook (may be NULL); for
 * both, @irq first. It runs with the signal blocked: interrupts off, as a
 * hard IRQ on x86.
 */
void pool_host_irq_install(void (*irq)(void), void (*tick_hook)(void));

/* Start/stop a thread sending a tick to every CPU every @period_us. */
void pool_host_ticker_start(unsigned int period_us);
void pool_host_ticker_stop(void);
/* Skip CPU @id in the ticker (simulate a CPU whose tick is late). */
void pool_host_ticker_mask(unsigned int id, int masked);
/* Ticks CPU @id has handled. */
unsigned long pool_host_ticks(unsigned int id);

/* Send a device interrupt to CPU @id, if it is registered. */
void pool_host_irq_send(unsigned int id);

/* Reports received from the pool, and the last one. */
unsigned long pool_host_reports(void);
const char *pool_host_last_report(void);
/* Print callback for pool_platform_print (NULL: stdout). */
void pool_host_set_print(void (*fn)(const char *line));
/* Print reports to stderr as they come. */
void pool_host_set_verbose(int on);

/* Called at the start of every pool_platform_wait_reclaim() (NULL: none),
 * and how many waits there were. */
void pool_host_set_reclaim_hook(void (*fn)(unsigned int attempt));
unsigned long pool_host_reclaim_waits(void);

/* Slab events seen (pool_platform_slab_event()). */
struct pool_host_slab_events {
	unsigned long made, gone;		/* created = 1 / 0 */
	uint64_t made_sum, gone_sum;		/* sums of hash(base, order) */
	int bad;				/* a base not aligned to its order */
};
void pool_host_slab_events(struct pool_host_slab_events *e);

/* Block or unblock the interrupt signal for the calling thread. */
void pool_host_irqs(int on);
/* Whether the calling thread has the interrupt signal unblocked. */
int pool_host_irqs_on(void);

#endif
