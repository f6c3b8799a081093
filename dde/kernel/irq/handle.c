// SPDX-License-Identifier: GPL-2.0-only
/*
 * What runs when an IRQ's vector fires (Linux: kernel/irq/handle.c, the
 * edge and fasteoi flows of chip.c, note_interrupt() of spurious.c and
 * check_irq_resend() of resend.c). Each IRQ has one vector on one CPU, so
 * the kernel calls dde_irq_vector_entry() directly, already in hard-IRQ
 * context on the IRQ stack; the kernel sends the local APIC EOI after it.
 * Differences: no irqpoll (but dde_irq_poll(), its try_one_irq(), for idle
 * NAPI polling), no IRQ-time accounting, and the "nobody cared" check
 * counts without Linux's 100 ms window.
 *
 * The flows, as Linux's:
 * - edge (MSI, MSI-X): an interrupt that cannot run now (line disabled, no
 *   handler, or handlers running on another CPU during an affinity move)
 *   is marked pending and the source masked; the CPU running the handlers
 *   runs them again for it, and enable_irq()/request_irq() replay it with a
 *   fresh IPI of the vector (Linux's irq_retrigger on x86).
 * - level (IOAPIC INTx): one that cannot run is masked and dropped (the
 *   line stays asserted and fires again when unmasked); IRQF_ONESHOT keeps
 *   the line masked from before the hard handler until the last woken
 *   thread finished (manage.c unmasks then); the chip's eoi follows the
 *   handlers.
 */
#include <linux/interrupt.h>
#include <linux/kernel_stat.h>
#include <linux/sched.h>
#include <dde/dde.h>
#include "internals.h"

void dde_irq_mask(struct dde_irq_desc *desc)
{
	lockdep_assert_held(&desc->lock);
	if (!desc->masked) {
		desc->chip->mask(desc->chip_data);
		desc->masked = true;
	}
}

void dde_irq_unmask(struct dde_irq_desc *desc)
{
	lockdep_assert_held(&desc->lock);
	if (desc->masked) {
		desc->chip->unmask(desc->chip_data);
		desc->masked = false;
	}
}

void dde_irq_check_resend(struct dde_irq_desc *desc)
{
	lockdep_assert_held(&desc->lock);
	if (!(desc->istate & DDE_IRQS_PENDING))
		return;
	desc->istate &= ~DDE_IRQS_PENDING;
	/* A level line that is still asserted fires again by itself. */
	if (!dde_irq_is_level(desc))
		ddeos_irq_send(desc->cpu, desc->vector);
}

/* Linux's __irq_wake_thread(). Context: hard IRQ, in the flow. */
static void wake_thread(struct dde_irq_desc *desc, struct irqaction *action)
{
	if (test_and_set_bit(DDE_IRQTF_RUNTHREAD, &action->thread_flags))
		return;		/* already asked; it will see this event too */
	raw_spin_lock(&desc->lock);
	desc->threads_oneshot |= action->thread_mask;
	raw_spin_unlock(&desc->lock);
	/* Paired with the decrement after the thread's run: synchronize_irq()
	 * waits for zero, so count before waking. */
	atomic_inc(&desc->threads_active);
	wake_up_process(action->thread);
}

/* Linux's note_interrupt(): notice a line nobody claims. */
static void note_interrupt(struct dde_irq_desc *desc, irqreturn_t ret)
{
	struct irqaction *action;
	unsigned long flags;

	if (ret & ~(IRQ_HANDLED | IRQ_WAKE_THREAD)) {
		pr_err("irq event %u: bogus return value %x\n", desc->irq, ret);
		return;
	}
	if (ret == IRQ_NONE) {
		desc->irqs_unhandled++;
		WRITE_ONCE(desc->unhandled_total, desc->unhandled_total + 1);
	}
	/* Linux's numbers: 99,900 of 100,000 unclaimed is a stuck line. */
	if (++desc->irq_count < 100000)
		return;
	desc->irq_count = 0;
	if (desc->irqs_unhandled > 99900) {
		pr_err("irq %u: nobody cared\nhandlers:\n", desc->irq);
		for (action = READ_ONCE(desc->action); action;
		     action = READ_ONCE(action->next))
			pr_err("[<%px>] %ps threaded [<%px>] %ps\n",
			       action->handler, action->handler,
			       action->thread_fn, action->thread_fn);
		pr_emerg("Disabling IRQ #%u\n", desc->irq);
		raw_spin_lock_irqsave(&desc->lock, flags);
		desc->istate |= DDE_IRQS_SPURIOUS_OFF;
		desc->depth++;
		dde_irq_mask(desc);
		raw_spin_unlock_irqrestore(&desc->lock, flags);
	}
	desc->irqs_unhandled = 0;
}

/* The IRQ whose handlers run on this CPU, plus one (0: none). */
static DEFINE_PER_CPU(unsigned int, irq_running);

int dde_irq_current(void)
{
	return (int)this_cpu_read(irq_running) - 1;
}

irq_handler_t dde_irq_current_sole_handler(void)
{
	int irq = dde_irq_current();
	struct dde_irq_desc *desc = irq < 0 ? NULL : dde_irq_to_desc(irq);
	struct irqaction *action;

	if (!desc || dde_irq_is_level(desc))
		return NULL;
	/* Stable while its handlers run here (in_progress is ours). */
	action = smp_load_acquire(&desc->action);
	if (!action || smp_load_acquire(&action->next))
		return NULL;
	return action->handler;
}

/* Linux's __handle_irq_event_percpu(): every handler of the line.
 * Context: hard IRQ, desc->in_progress set by this CPU, lock not held.
 * Return: what the handlers returned, or-ed. */
static irqreturn_t call_actions(struct dde_irq_desc *desc)
{
	irqreturn_t ret = IRQ_NONE;
	struct irqaction *action;

	__this_cpu_write(irq_running, desc->irq + 1);
	for (action = smp_load_acquire(&desc->action); action;
	     action = smp_load_acquire(&action->next)) {
		irqreturn_t res = action->handler(desc->irq, action->dev_id);

		if (WARN_ONCE(!irqs_disabled(),
			      "irq %u handler %pS enabled interrupts\n",
			      desc->irq, action->handler))
			local_irq_disable();
		if (res == IRQ_WAKE_THREAD) {
			if (WARN_ONCE(!action->thread_fn,
				      "irq %u: %s returned IRQ_WAKE_THREAD without a thread\n",
				      desc->irq, action->name))
				continue;
			wake_thread(desc, action);
		}
		ret |= res;
	}
	__this_cpu_write(irq_running, 0);
	return ret;
}

static void run_actions(struct dde_irq_desc *desc)
{
	note_interrupt(desc, call_actions(desc));
}

bool dde_irq_poll(unsigned int irq)
{
	struct dde_irq_desc *desc = dde_irq_to_desc(irq);
	irqreturn_t ret;

	lockdep_assert_irqs_disabled();
	if (!desc || dde_irq_is_level(desc))
		return false;
	raw_spin_lock(&desc->lock);
	if (desc->in_progress || desc->depth || !desc->action) {
		raw_spin_unlock(&desc->lock);
		return false;
	}
	desc->in_progress = true;
	raw_spin_unlock(&desc->lock);
	__irq_enter_raw();
	ret = call_actions(desc);
	__irq_exit_raw();
	raw_spin_lock(&desc->lock);
	desc->in_progress = false;
	/* An edge that came while we ran it was left to us (handle_edge()). */
	if ((desc->istate & DDE_IRQS_PENDING) && !desc->depth) {
		if (desc->masked)
			dde_irq_unmask(desc);
		dde_irq_check_resend(desc);
	}
	raw_spin_unlock(&desc->lock);
	return ret & IRQ_HANDLED;
}

static void handle_edge(struct dde_irq_desc *desc)
{
	raw_spin_lock(&desc->lock);
	if (desc->in_progress || desc->depth || !desc->action) {
		desc->istate |= DDE_IRQS_PENDING;
		dde_irq_mask(desc);
		goto out;
	}
	desc->in_progress = true;
	do {
		if (!desc->action) {
			dde_irq_mask(desc);
			break;
		}
		/* Masked for a pending edge that came meanwhile: it is being
		 * served now, so let the next one in. */
		if ((desc->istate & DDE_IRQS_PENDING) && desc->masked)
			dde_irq_unmask(desc);
		desc->istate &= ~DDE_IRQS_PENDING;
		raw_spin_unlock(&desc->lock);
		run_actions(desc);
		raw_spin_lock(&desc->lock);
	} while ((desc->istate & DDE_IRQS_PENDING) && !desc->depth);
	desc->in_progress = false;
out:
	raw_spin_unlock(&desc->lock);
}

static void handle_level(struct dde_irq_desc *desc)
{
	raw_spin_lock(&desc->lock);
	if (desc->in_progress)
		goto eoi;	/* still asserted when the other CPU is done */
	if (desc->depth || !desc->action) {
		desc->istate |= DDE_IRQS_PENDING;
		dde_irq_mask(desc);
		goto eoi;
	}
	if (desc->oneshot)
		dde_irq_mask(desc);
	desc->istate &= ~DDE_IRQS_PENDING;
	desc->in_progress = true;
	raw_spin_unlock(&desc->lock);
	run_actions(desc);
	raw_spin_lock(&desc->lock);
	desc->in_progress = false;
	/* Linux's cond_unmask_eoi_irq(): a oneshot line stays masked while
	 * a thread it woke runs. */
	if (desc->oneshot && !desc->depth && !desc->threads_oneshot)
		dde_irq_unmask(desc);
eoi:
	if (desc->chip->eoi)
		desc->chip->eoi(desc->chip_data);
	raw_spin_unlock(&desc->lock);
}

/**
 * dde_irq_vector_entry() - an IRQ's vector fired
 * @arg: the IRQ's struct dde_irq_desc
 *
 * Context: hard IRQ on the vector's CPU, IRQs off, on the IRQ stack.
 */
void dde_irq_vector_entry(void *arg)
{
	struct dde_irq_desc *desc = arg;

	__this_cpu_inc(*desc->kstat_irqs);
	__this_cpu_inc(kstat.irqs_sum);
	if (dde_irq_is_level(desc))
		handle_level(desc);
	else
		handle_edge(desc);
}
