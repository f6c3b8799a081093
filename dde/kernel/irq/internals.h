/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The IRQ descriptor shared by the files of dde/kernel/irq/ (Linux: struct irq_desc
 * in include/linux/irqdesc.h and kernel/irq/internals.h, reduced to what a
 * descriptor needs when each IRQ is one source on one vector: no irq_data
 * hierarchy, no domains).
 *
 * Lock order: desc->request_mutex (request, free, destroy), then
 * desc->lock (raw, IRQs off; everything the hard-IRQ flow reads or
 * writes). The chip callbacks run under desc->lock.
 */
#ifndef DDE_KERNEL_IRQ_INTERNALS_H
#define DDE_KERNEL_IRQ_INTERNALS_H

#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <dde/irq.h>

/* desc->istate bits (Linux: IRQS_* in kernel/irq/internals.h) */
#define DDE_IRQS_PENDING	0x1	/* came while it could not run: replay */
#define DDE_IRQS_SPURIOUS_OFF	0x2	/* disabled by note_interrupt() */

/* action->thread_flags bits (Linux: IRQTF_*) */
#define DDE_IRQTF_RUNTHREAD	0	/* the hard handler asked for a run */

struct dde_irq_desc {
	unsigned int irq;
	unsigned int flags;			/* DDE_IRQ_*; fixed */
	const struct dde_irq_chip *chip;	/* fixed */
	void *chip_data;			/* fixed */
	struct cpumask affinity;		/* managed: the allowed CPUs; fixed */
	unsigned int __percpu *kstat_irqs;	/* CPU-local, hard IRQ */

	struct mutex request_mutex;	/* request_irq/free_irq/destroy */

	raw_spinlock_t lock;
	/* under lock (the action list is also walked without it by the one
	 * CPU that set in_progress: entries are linked with release stores
	 * and freed only after in_progress was seen false) */
	struct irqaction *action;
	unsigned int depth;		/* disable nesting; 1 while no handler */
	unsigned int istate;		/* DDE_IRQS_* */
	unsigned int trigger;		/* IRQF_TRIGGER_* of the line, 0 unset */
	bool oneshot;			/* IRQF_ONESHOT handlers (level only) */
	bool masked;			/* what we last told the chip */
	bool in_progress;		/* a CPU runs the hard handlers */
	unsigned long threads_oneshot;	/* threads still running, by mask bit */
	unsigned int cpu, vector;	/* where the source is routed now */
	const struct cpumask *affinity_hint;

	/* note_interrupt() state: only the CPU in the flow writes it */
	unsigned int irq_count;
	unsigned int irqs_unhandled;
	unsigned int unhandled_total;

	atomic_t threads_active;	/* woken threads not finished yet */
	wait_queue_head_t wait_for_threads;
	atomic_t waiters;		/* in synchronize_hardirq() */
};

struct dde_irq_desc *dde_irq_to_desc(unsigned int irq);
/* The vector handler of every IRQ (handle.c); arg is the desc. */
void dde_irq_vector_entry(void *arg);
/* Mask/unmask through the chip, remembering it. Context: desc->lock. */
void dde_irq_mask(struct dde_irq_desc *desc);
void dde_irq_unmask(struct dde_irq_desc *desc);
/* Replay an edge that came while it could not run (Linux's
 * check_irq_resend()). Context: desc->lock held. */
void dde_irq_check_resend(struct dde_irq_desc *desc);
/* Choose the least loaded CPU of @mask (online CPUs only); -1 if none.
 * dde_irq_load_move() books an IRQ from one CPU to another (-1: none). */
int dde_irq_pick_cpu(const struct cpumask *mask);
void dde_irq_load_move(int from, int to);

static inline bool dde_irq_is_level(const struct dde_irq_desc *desc)
{
	return desc->flags & DDE_IRQ_LEVEL;
}

#endif
