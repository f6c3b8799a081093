/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The preempt counter: one per-CPU int in Linux 6.1's layout
 * (include/linux/preempt.h, arch/x86/include/asm/preempt.h), and under
 * Linux's own name, so Linux objects and the ddeos scheduler share it.
 *
 *   bits  0-7   preemption-disable depth
 *   bits  8-15  softirq (bit 8: serving softirqs, +2 per local_bh_disable)
 *   bits 16-19  hardirq nesting
 *   bits 20-23  NMI nesting
 *   bit  31     PREEMPT_NEED_RESCHED, *inverted*: clear means "resched needed"
 *
 * Because need-resched is folded in inverted, "the whole word is zero" means
 * "preemptible and a reschedule is pending": preempt_on() tests exactly that
 * with one decrement. The counter is CPU-local and not saved per thread: a
 * thread always switches out with a count of exactly 1 (see sched.c).
 */
#ifndef DDEOS_PREEMPT_H
#define DDEOS_PREEMPT_H

#include <ddeos/percpu.h>

#define PREEMPT_OFFSET		(1 << 0)
#define SOFTIRQ_OFFSET		(1 << 8)
#define SOFTIRQ_DISABLE_OFFSET	(2 * SOFTIRQ_OFFSET)
#define HARDIRQ_OFFSET		(1 << 16)
#define NMI_OFFSET		(1 << 20)
#define PREEMPT_MASK		0x000000ff
#define SOFTIRQ_MASK		0x0000ff00
#define HARDIRQ_MASK		0x000f0000
#define NMI_MASK		0x00f00000
#define PREEMPT_NEED_RESCHED	((int)0x80000000)
#define PREEMPT_ENABLED		PREEMPT_NEED_RESCHED

DECLARE_PERCPU(int, __preempt_count);

void sched_preempt(void);

/* Context: any. */
static inline int preempt_level(void)
{
	return percpu_read(__preempt_count) & ~PREEMPT_NEED_RESCHED;
}

static inline void preempt_off(void)
{
	percpu_add(__preempt_count, 1);
	barrier();
}

/* Re-enable without taking a pending switch (the caller will schedule). */
static inline void preempt_on_no_resched(void)
{
	barrier();
	percpu_add(__preempt_count, -1);
}

/* Re-enable; takes a pending switch at once if the count reached zero. */
static inline void preempt_on(void)
{
	bool zero;

	barrier();
	__asm__ __volatile__("decl %%gs:%0" : "+m"(__preempt_count), "=@cce"(zero)
			     :: "memory");
	if (unlikely(zero))
		sched_preempt();
}

static inline bool in_hardirq(void)
{
	return preempt_level() & HARDIRQ_MASK;
}

/* Linux's in_interrupt(): hard IRQ, NMI, softirq or bottom halves off. */
static inline bool in_irq_context(void)
{
	return preempt_level() & (HARDIRQ_MASK | SOFTIRQ_MASK | NMI_MASK);
}

static inline void need_resched_set(void)
{
	percpu_and(__preempt_count, ~PREEMPT_NEED_RESCHED);
}

static inline void need_resched_clear(void)
{
	percpu_or(__preempt_count, PREEMPT_NEED_RESCHED);
}

static inline bool need_resched(void)
{
	return !(percpu_read(__preempt_count) & PREEMPT_NEED_RESCHED);
}

#endif
