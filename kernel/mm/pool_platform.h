// SPDX-License-Identifier: GPL-2.0-only
/*
 * The platform interface of the memory pool: the few services the pool needs
 * from whatever it runs on. The same pool sources build in the kernel (CPUs,
 * interrupts) and on the host (threads standing in for CPUs, POSIX signals
 * standing in for interrupts); only the provider of these functions differs.
 *
 * A platform provides every function below, either as ordinary functions
 * (the default: this header declares them) or, when the build defines
 * POOL_PLATFORM_INLINE, as static inline definitions in a header named
 * "pool_platform_inline.h" that the build puts on the include path. The
 * host build uses the inline form so that the benchmark measures the pool,
 * not calls to get a thread-local CPU number. No pool source tests the
 * architecture: the build picks the provider.
 *
 * The memory the pool manages is not a callback: the platform hands its
 * regions to pool_add_region() (see pool.h) before and after pool_init().
 */
#ifndef DDEOS_MM_POOL_PLATFORM_H
#define DDEOS_MM_POOL_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

/* The pool keeps per-CPU state in arrays indexed by the CPU id. */
#define POOL_MAX_CPUS 64

#ifdef POOL_PLATFORM_INLINE
#include "pool_platform_inline.h"
#else

/**
 * pool_platform_cpu() - id of the CPU the caller runs on.
 *
 * Context: any context; the pool calls it only between
 * pool_platform_preempt_disable() and pool_platform_preempt_enable(),
 * so the answer stays true until the pool is done with it.
 * Return: a number below pool_platform_nr_cpus().
 */
unsigned int pool_platform_cpu(void);

/**
 * pool_platform_nr_cpus() - number of CPUs that may ever call the pool.
 *
 * Context: any context. Must not change after pool_init().
 * Return: 1..POOL_MAX_CPUS.
 */
unsigned int pool_platform_nr_cpus(void);

/**
 * pool_platform_preempt_disable() - keep the caller on its CPU.
 *
 * Nests. Interrupts stay enabled: the pool copes with an interrupt handler
 * that enters the pool in the middle of a pool operation (see pool.c).
 *
 * Context: any context.
 */
void pool_platform_preempt_disable(void);

/**
 * pool_platform_preempt_enable() - undo pool_platform_preempt_disable().
 *
 * Context: any context; may reschedule when the count drops to zero and
 * the caller could sleep, as Linux's preempt_enable() does.
 */
void pool_platform_preempt_enable(void);

/**
 * pool_platform_irq_save() - disable local interrupts.
 *
 * Used only around the global buddy lock (slow path), never on the fast path.
 *
 * Context: any context.
 * Return: the previous interrupt state, for pool_platform_irq_restore().
 */
unsigned long pool_platform_irq_save(void);

/**
 * pool_platform_irq_restore() - restore the state saved by irq_save.
 * @flags: value returned by the matching pool_platform_irq_save().
 *
 * Context: any context.
 */
void pool_platform_irq_restore(unsigned long flags);

/**
 * pool_platform_cpu_relax() - pause inside a spin-wait loop.
 *
 * Context: any context.
 */
void pool_platform_cpu_relax(void);

/**
 * pool_platform_print() - write one line of text (statistics).
 * @line: NUL-terminated text without trailing newline.
 *
 * Context: any context in which the pool's printers are called.
 */
void pool_platform_print(const char *line);

/**
 * pool_platform_report() - a misuse of the pool was detected.
 * @msg: NUL-terminated description: what, the object, the caller's
 *       address and the object's owner CPU.
 *
 * The pool has already refused the operation (the object is leaked rather
 * than corrupting the pool), so the platform may log and continue, or stop.
 *
 * Context: any context, including hard IRQ.
 */
void pool_platform_report(const char *msg);

/**
 * pool_platform_panic() - an invariant of the pool is broken.
 * @msg: NUL-terminated description.
 *
 * Context: any context. Does not return.
 */
void pool_platform_panic(const char *msg) __attribute__((noreturn));

/**
 * pool_platform_wait_reclaim() - let other CPUs give memory back.
 * @attempt: 0 for the first wait of an allocation, then 1, 2, ...
 *
 * Called by a POOL_SLEEP allocation that found no memory, after the pool
 * has asked every CPU to return its cached memory at its next drain. The
 * platform sleeps about one drain period (a timer tick) and may nudge the
 * other CPUs (an IPI that calls pool_drain()).
 *
 * Context: thread, may sleep; the pool holds no state of its own here.
 * Return: true to try again, false to give up (the allocation fails).
 */
bool pool_platform_wait_reclaim(unsigned int attempt);

/**
 * pool_platform_slab_event() - a slab was made or given back.
 * @base: address of the slab's first page.
 * @order: the slab is 2^@order pages.
 * @created: 1 when the slab is made from pages, before any object of it is
 *           handed out; 0 when its pages go back to the page allocator.
 *
 * Lets the platform keep per-page flags (Linux's PageSlab) right.
 *
 * Context: any context, including hard IRQ; must not call the pool.
 */
void pool_platform_slab_event(void *base, unsigned int order, int created);

#endif /* POOL_PLATFORM_INLINE */

#endif /* DDEOS_MM_POOL_PLATFORM_H */
