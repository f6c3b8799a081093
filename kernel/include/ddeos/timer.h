/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One-shot and periodic timers on the nanosecond monotonic clock. Each CPU
 * keeps its timers sorted by deadline and programs its local APIC timer for
 * the earliest one (or the scheduler tick, whichever comes first). A timer
 * fires on the CPU that armed it; its callback runs in hard-IRQ context.
 */
#ifndef DDEOS_TIMER_H
#define DDEOS_TIMER_H

#include <ddeos/dlist.h>
#include <ddeos/types.h>

struct timer;
typedef void (*timer_fn)(struct timer *t, void *arg);

struct timer {
	struct dlist node;	/* under the owning CPU's timer lock */
	uint64_t deadline;	/* ns, arch_clock_ns() time */
	uint64_t period;	/* 0: one-shot */
	timer_fn fn;
	void *arg;
	int cpu;		/* CPU whose list holds it, -1 if none */
	bool running;		/* callback executing */
	uint64_t fired;		/* times the callback ran */
};

void timer_init(struct timer *t, timer_fn fn, void *arg);
/*
 * Arm @t on the calling CPU for @deadline_ns (absolute), repeating every
 * @period_ns if non-zero. Re-arming a pending timer moves it.
 * Context: any. A timer must not be armed from two CPUs at once.
 */
void timer_arm(struct timer *t, uint64_t deadline_ns, uint64_t period_ns);
/* Return: true if it was pending. Context: any. */
bool timer_cancel(struct timer *t);
/* Cancel and wait for a running callback to finish. Context: not the callback. */
bool timer_cancel_sync(struct timer *t);

uint64_t clock_ns(void);
void timer_init_cpu(void);
void timer_interrupt(void *unused);

#endif
