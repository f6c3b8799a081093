// SPDX-License-Identifier: GPL-2.0-only
/*
 * The driver-facing IRQ API (Linux: kernel/irq/manage.c): request and free
 * handlers, threaded handlers in an irq/N-name kthread per action, waiting
 * for running handlers, nested disable/enable, and affinity. Written for
 * our one-vector-per-IRQ descriptors (internals.h); Linux's file needs the
 * irq_data/chip/domain hierarchy. Differences: the irq threads are normal
 * kthreads (no SCHED_FIFO) that do not follow the IRQ's affinity; no
 * per-CPU IRQs, NMIs, wake-up or suspend flags (IRQF_NO_SUSPEND and the
 * like are accepted and have no effect: nothing here suspends).
 *
 * Edge sources (MSI, MSI-X) are IRQCHIP_ONESHOT_SAFE, as Linux's MSI chips
 * are: IRQF_ONESHOT is dropped for them and request_threaded_irq() with
 * no primary handler is accepted without it. Level lines keep ONESHOT.
 */
#include <linux/interrupt.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <dde/dde.h>
#include "internals.h"

/* Linux's: the primary handler of a purely threaded request. */
static irqreturn_t irq_default_primary_handler(int irq, void *dev_id)
{
	return IRQ_WAKE_THREAD;
}

/* ---- waiting for handlers ------------------------------------------------ */

/* Linux's __synchronize_hardirq(): until no CPU runs the hard handlers.
 * A handler that starts later sees the descriptor as the caller left it. */
static void synchronize_hardirq_desc(struct dde_irq_desc *desc)
{
	unsigned long flags;
	bool busy;

	atomic_inc(&desc->waiters);
	do {
		while (READ_ONCE(desc->in_progress))
			cpu_relax();
		/* The flag is set and cleared under the lock: seeing it
		 * clear under the lock orders us after that handler. */
		raw_spin_lock_irqsave(&desc->lock, flags);
		busy = desc->in_progress;
		raw_spin_unlock_irqrestore(&desc->lock, flags);
	} while (busy);
	atomic_dec(&desc->waiters);
}

/**
 * synchronize_hardirq() - wait for running hard handlers of an IRQ
 * @irq: the IRQ number
 *
 * Context: any but a handler of @irq.
 * Return: false if threaded handlers are still active, true otherwise.
 */
bool synchronize_hardirq(unsigned int irq)
{
	struct dde_irq_desc *desc = dde_irq_to_desc(irq);

	if (!desc)
		return true;
	synchronize_hardirq_desc(desc);
	return !atomic_read(&desc->threads_active);
}

/**
 * synchronize_irq() - wait for the handlers of an IRQ to finish
 * @irq: the IRQ number
 *
 * Waits for hard handlers running on any CPU, then for threaded handlers
 * they woke.
 * Context: thread, may sleep; not a handler of @irq.
 */
void synchronize_irq(unsigned int irq)
{
	struct dde_irq_desc *desc = dde_irq_to_desc(irq);

	if (!desc)
		return;
	synchronize_hardirq_desc(desc);
	atomic_inc(&desc->waiters);
	wait_event(desc->wait_for_threads, !atomic_read(&desc->threads_active));
	atomic_dec(&desc->waiters);
}

/* ---- threads ---------------------------------------------------------------- */

static int irq_wait_for_interrupt(struct irqaction *action)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop()) {
			/* A run asked for before free_irq() still happens. */
			__set_current_state(TASK_RUNNING);
			return test_and_clear_bit(DDE_IRQTF_RUNTHREAD,
						  &action->thread_flags) ? 0 : -1;
		}
		if (test_and_clear_bit(DDE_IRQTF_RUNTHREAD, &action->thread_flags)) {
			__set_current_state(TASK_RUNNING);
			return 0;
		}
		schedule();
	}
}

/* Linux's irq_finalize_oneshot(): the last thread of a oneshot line done
 * lets the line in again (unless disabled meanwhile). */
static void irq_finalize_oneshot(struct dde_irq_desc *desc,
				 struct irqaction *action)
{
	if (!desc->oneshot)
		return;
	raw_spin_lock_irq(&desc->lock);
	/* The hard handler may be running and about to set our bit again:
	 * let it finish first, as Linux does. */
	while (desc->in_progress) {
		raw_spin_unlock_irq(&desc->lock);
		cpu_relax();
		raw_spin_lock_irq(&desc->lock);
	}
	/* Woken again meanwhile: we run again, the line stays masked. */
	if (!test_bit(DDE_IRQTF_RUNTHREAD, &action->thread_flags)) {
		desc->threads_oneshot &= ~action->thread_mask;
		if (!desc->threads_oneshot && !desc->depth)
			dde_irq_unmask(desc);
	}
	raw_spin_unlock_irq(&desc->lock);
}

static int irq_thread(void *data)
{
	struct irqaction *action = data;
	struct dde_irq_desc *desc = dde_irq_to_desc(action->irq);

	while (!irq_wait_for_interrupt(action)) {
		action->thread_fn(action->irq, action->dev_id);
		irq_finalize_oneshot(desc, action);
		if (atomic_dec_and_test(&desc->threads_active))
			wake_up(&desc->wait_for_threads);
	}
	return 0;
}

/* ---- request and free ----------------------------------------------------- */

static int flags_mismatch(struct dde_irq_desc *desc, struct irqaction *old,
			  struct irqaction *new)
{
	pr_err("Flags mismatch irq %u. %08x (%s) vs. %08x (%s)\n",
	       desc->irq, new->flags, new->name, old->flags, old->name);
	return -EBUSY;
}

/* Linux's __setup_irq(), for our descriptors. Context: may sleep. */
static int setup_irq(struct dde_irq_desc *desc, struct irqaction *new)
{
	struct irqaction *old, **old_ptr;
	unsigned long thread_mask = 0, flags;
	int ret = 0;

	if (!(new->flags & IRQF_TRIGGER_MASK))
		new->flags |= desc->trigger;
	if (!dde_irq_is_level(desc)) {
		new->flags &= ~IRQF_ONESHOT;		/* ONESHOT_SAFE */
	} else if (new->handler == irq_default_primary_handler &&
		   !(new->flags & IRQF_ONESHOT)) {
		/* Linux's reason: the line would be unmasked while the device
		 * still asserts it, before the thread could quiet it. */
		pr_err("Threaded irq requested with handler=NULL and !ONESHOT for %s (irq %u)\n",
		       new->name, desc->irq);
		return -EINVAL;
	}
	if (new->thread_fn) {
		new->thread = kthread_create(irq_thread, new, "irq/%u-%s",
					     desc->irq, new->name);
		if (IS_ERR(new->thread)) {
			ret = PTR_ERR(new->thread);
			new->thread = NULL;
			return ret;
		}
	}

	mutex_lock(&desc->request_mutex);
	raw_spin_lock_irqsave(&desc->lock, flags);
	old_ptr = &desc->action;
	old = *old_ptr;
	if (old) {
		unsigned int oldtype = desc->trigger ?: (new->flags & IRQF_TRIGGER_MASK);

		if (!(old->flags & new->flags & IRQF_SHARED) ||
		    oldtype != (new->flags & IRQF_TRIGGER_MASK) ||
		    ((old->flags ^ new->flags) & IRQF_ONESHOT) ||
		    ((old->flags ^ new->flags) & IRQF_PERCPU)) {
			ret = flags_mismatch(desc, old, new);
			goto out_unlock;
		}
		for (; old; old = *old_ptr) {
			thread_mask |= old->thread_mask;
			old_ptr = &old->next;
		}
	}
	if (new->flags & IRQF_ONESHOT) {
		/* One bit per oneshot action of the line, in threads_oneshot. */
		if (thread_mask == ~0UL) {
			ret = -EBUSY;
			goto out_unlock;
		}
		new->thread_mask = 1UL << ffz(thread_mask);
	}
	if (!desc->action) {
		/* The first handler fixes the line's type and starts it
		 * (Linux's irq_startup()), unless IRQF_NO_AUTOEN. */
		if (!desc->trigger)
			desc->trigger = new->flags & IRQF_TRIGGER_MASK;
		desc->oneshot = new->flags & IRQF_ONESHOT;
		desc->irq_count = 0;
		desc->irqs_unhandled = 0;
		desc->istate &= ~DDE_IRQS_SPURIOUS_OFF;
	}
	/* Readers walk the list without the lock: publish a whole action. */
	smp_store_release(old_ptr, new);
	if (old_ptr == &desc->action && !(new->flags & IRQF_NO_AUTOEN)) {
		desc->depth = 0;
		dde_irq_unmask(desc);
		dde_irq_check_resend(desc);
	}
out_unlock:
	raw_spin_unlock_irqrestore(&desc->lock, flags);
	if (!ret && new->thread)
		wake_up_process(new->thread);
	mutex_unlock(&desc->request_mutex);
	if (ret && new->thread)
		kthread_stop(new->thread);
	return ret;
}

/**
 * request_threaded_irq() - attach a handler (and a thread) to an IRQ
 * @irq: the IRQ number
 * @handler: hard-IRQ handler; NULL for a thread only (then IRQF_ONESHOT is
 *	required on level lines, as on Linux)
 * @thread_fn: run in the irq/N-name kthread when @handler returns
 *	IRQ_WAKE_THREAD; NULL for none
 * @irqflags: IRQF_SHARED, IRQF_ONESHOT, IRQF_TRIGGER_*, IRQF_NO_AUTOEN, ...
 * @devname: name for messages and the thread; returned by free_irq()
 * @dev_id: the handlers' argument; identifies the action to free_irq()
 *
 * Context: thread, may sleep.
 * Return: 0; -EINVAL for no such IRQ, no handler at all, or a shared
 * request without @dev_id; -EBUSY when the line is taken or the flags
 * disagree with its other handlers; -ENOTCONN for IRQ_NOTCONNECTED;
 * -ENOMEM.
 */
int request_threaded_irq(unsigned int irq, irq_handler_t handler,
			 irq_handler_t thread_fn, unsigned long irqflags,
			 const char *devname, void *dev_id)
{
	struct dde_irq_desc *desc;
	struct irqaction *action;
	int ret;

	might_sleep();
	if (irq == IRQ_NOTCONNECTED)
		return -ENOTCONN;
	if ((irqflags & IRQF_SHARED) && (!dev_id || (irqflags & IRQF_NO_AUTOEN)))
		return -EINVAL;
	desc = dde_irq_to_desc(irq);
	if (!desc)
		return -EINVAL;
	if (!handler) {
		if (!thread_fn)
			return -EINVAL;
		handler = irq_default_primary_handler;
	}
	action = kzalloc(sizeof(*action), GFP_KERNEL);
	if (!action)
		return -ENOMEM;
	action->handler = handler;
	action->thread_fn = thread_fn;
	action->flags = irqflags;
	action->name = devname;
	action->dev_id = dev_id;
	action->irq = irq;
	ret = setup_irq(desc, action);
	if (ret)
		kfree(action);
	return ret;
}

/* Linux's __free_irq(): unlink, stop the line if it was the last, wait
 * for its hard handler anywhere and its thread. */
static struct irqaction *remove_action(struct dde_irq_desc *desc, void *dev_id)
{
	struct irqaction *action, **action_ptr;
	unsigned long flags;

	mutex_lock(&desc->request_mutex);
	raw_spin_lock_irqsave(&desc->lock, flags);
	action_ptr = &desc->action;
	for (;;) {
		action = *action_ptr;
		if (!action) {
			WARN(1, "Trying to free already-free IRQ %u\n", desc->irq);
			raw_spin_unlock_irqrestore(&desc->lock, flags);
			mutex_unlock(&desc->request_mutex);
			return NULL;
		}
		if (action->dev_id == dev_id)
			break;
		action_ptr = &action->next;
	}
	WRITE_ONCE(*action_ptr, action->next);
	if (!desc->action) {
		/* Linux's irq_shutdown(): masked, and disabled at depth 1
		 * for the next request. */
		dde_irq_mask(desc);
		desc->depth = 1;
		desc->istate &= ~DDE_IRQS_PENDING;
	}
	raw_spin_unlock_irqrestore(&desc->lock, flags);

	/* A CPU may be running the handler from the list it read before. */
	synchronize_hardirq_desc(desc);
	/* Runs a last time if the hard handler asked, then ends. */
	if (action->thread)
		kthread_stop(action->thread);
	mutex_unlock(&desc->request_mutex);
	return action;
}

/**
 * free_irq() - detach a handler from an IRQ
 * @irq: the IRQ number
 * @dev_id: what request_threaded_irq() was given
 *
 * On return the handler runs on no CPU and never runs again, nor does its
 * thread. The line is masked when its last handler goes.
 * Context: thread, may sleep; not a handler of @irq.
 * Return: the devname given to request_threaded_irq(), NULL (and a WARN)
 * if @dev_id has no handler on @irq.
 */
const void *free_irq(unsigned int irq, void *dev_id)
{
	struct dde_irq_desc *desc = dde_irq_to_desc(irq);
	struct irqaction *action;
	const char *devname;

	might_sleep();
	if (!desc)
		return NULL;
	action = remove_action(desc, dev_id);
	if (!action)
		return NULL;
	devname = action->name;
	kfree(action);
	return devname;
}

/* ---- disable and enable ------------------------------------------------- */

/**
 * disable_irq_nosync() - disable an IRQ without waiting
 * @irq: the IRQ number
 *
 * Nests: the line runs again after as many enable_irq() calls. Lazy, as
 * Linux: the source is masked only if it fires while disabled (that event
 * is kept and replayed by enable_irq() on edge sources).
 * Context: any.
 */
void disable_irq_nosync(unsigned int irq)
{
	struct dde_irq_desc *desc = dde_irq_to_desc(irq);
	unsigned long flags;

	if (!desc)
		return;
	raw_spin_lock_irqsave(&desc->lock, flags);
	desc->depth++;
	raw_spin_unlock_irqrestore(&desc->lock, flags);
}

/**
 * disable_irq() - disable an IRQ and wait for its handlers
 * @irq: the IRQ number
 *
 * As disable_irq_nosync(), then synchronize_irq().
 * Context: thread, may sleep; not a handler of @irq.
 */
void disable_irq(unsigned int irq)
{
	might_sleep();
	disable_irq_nosync(irq);
	synchronize_irq(irq);
}

/**
 * disable_hardirq() - disable an IRQ and wait for its hard handlers only
 * @irq: the IRQ number
 *
 * Context: any but a handler of @irq.
 * Return: false if threaded handlers are still active.
 */
bool disable_hardirq(unsigned int irq)
{
	disable_irq_nosync(irq);
	return synchronize_hardirq(irq);
}

/**
 * enable_irq() - undo one disable_irq()
 * @irq: the IRQ number
 *
 * The last one unmasks the source and replays an edge that came while it
 * was disabled. An enable without a disable WARNs, as Linux's.
 * Context: any.
 */
void enable_irq(unsigned int irq)
{
	struct dde_irq_desc *desc = dde_irq_to_desc(irq);
	unsigned long flags;

	if (!desc)
		return;
	raw_spin_lock_irqsave(&desc->lock, flags);
	if (desc->depth == 0) {
		WARN(1, "Unbalanced enable for IRQ %u\n", irq);
	} else if (--desc->depth == 0) {
		desc->istate &= ~DDE_IRQS_SPURIOUS_OFF;
		/* A oneshot thread still running unmasks when it is done. */
		if (!desc->threads_oneshot)
			dde_irq_unmask(desc);
		dde_irq_check_resend(desc);
	}
	raw_spin_unlock_irqrestore(&desc->lock, flags);
}

/* ---- affinity ---------------------------------------------------------------- */

/*
 * Move @desc to a CPU of @mask: a vector there first, then the source
 * re-pointed, then the old vector given back once its CPU no longer runs
 * it (Linux's x86 vector.c keeps the old vector until the first interrupt
 * on the new one instead). A message the source sent to the old vector
 * just before the switch may be dropped by the kernel after the free, so
 * an edge source gets one replay on the new vector: at worst a spurious
 * call, which Linux handlers tolerate (IRQ_NONE).
 */
static int irq_move(struct dde_irq_desc *desc, const struct cpumask *mask)
{
	cpumask_var_t allowed;
	unsigned int old_cpu, old_vector;
	unsigned long flags;
	int cpu, vector, ret;

	if (!zalloc_cpumask_var(&allowed, GFP_ATOMIC))
		return -ENOMEM;
	cpumask_and(allowed, mask, cpu_online_mask);
	if (desc->flags & DDE_IRQ_MANAGED)
		cpumask_and(allowed, allowed, &desc->affinity);
	ret = -EINVAL;
	if (cpumask_empty(allowed))
		goto out;
	ret = 0;
	if (cpumask_test_cpu(READ_ONCE(desc->cpu), allowed))
		goto out;	/* already there: keep the vector (as x86) */
	cpu = dde_irq_pick_cpu(allowed);
	vector = ddeos_irq_vector_alloc(cpu, dde_irq_vector_entry, desc);
	if (vector < 0) {
		ret = -ENOSPC;
		goto out;
	}
	raw_spin_lock_irqsave(&desc->lock, flags);
	ret = desc->chip->route(desc->chip_data, cpu, vector);
	old_cpu = desc->cpu;
	old_vector = desc->vector;
	if (!ret) {
		desc->cpu = cpu;
		desc->vector = vector;
	}
	raw_spin_unlock_irqrestore(&desc->lock, flags);
	if (ret) {
		ddeos_irq_vector_free(cpu, vector);
		goto out;
	}
	dde_irq_load_move(old_cpu, cpu);
	ddeos_irq_vector_free(old_cpu, old_vector);
	if (!dde_irq_is_level(desc)) {
		raw_spin_lock_irqsave(&desc->lock, flags);
		if (desc->action && !desc->depth && desc->cpu == cpu)
			ddeos_irq_send(cpu, vector);
		raw_spin_unlock_irqrestore(&desc->lock, flags);
	}
out:
	free_cpumask_var(allowed);
	return ret;
}

/**
 * irq_set_affinity() - deliver an IRQ to a CPU of @cpumask
 * @irq: the IRQ number
 * @cpumask: the CPUs allowed
 *
 * Stays put if the current CPU is allowed; otherwise moves to the least
 * loaded allowed CPU. A managed IRQ only moves within its managed mask.
 * Context: any but a handler of @irq on its current CPU.
 * Return: 0, -EINVAL (no such IRQ, no allowed online CPU), -ENOSPC (no
 * free vector there), or the chip's route() error.
 */
int irq_set_affinity(unsigned int irq, const struct cpumask *cpumask)
{
	struct dde_irq_desc *desc = dde_irq_to_desc(irq);

	if (!desc)
		return -EINVAL;
	return irq_move(desc, cpumask);
}

/*
 * A hint is how a driver groups its interrupts: virtio_net gives a queue
 * pair's receive and transmit vectors the same mask. Follow it to the
 * mask's first allowed CPU, so that vectors hinted alike share a CPU.
 * irq_set_affinity()'s rule (stay if allowed, else the least loaded)
 * left the pair on the two CPUs the vectors were first given: its two
 * halves then met on the TX queue's lock from two vCPUs, and TCP into a
 * 2-vCPU guest beside host load fell to a tenth of its quiet rate, below
 * Linux's (docs/net.md).
 */
static void irq_follow_hint(struct dde_irq_desc *desc, const struct cpumask *m)
{
	unsigned int cpu;

	for_each_cpu_and(cpu, m, cpu_online_mask) {
		if (!(desc->flags & DDE_IRQ_MANAGED) ||
		    cpumask_test_cpu(cpu, &desc->affinity)) {
			irq_move(desc, cpumask_of(cpu));
			return;
		}
	}
}

/**
 * __irq_apply_affinity_hint() - record a hint, and maybe follow it
 * @irq: the IRQ number
 * @m: the hint (kept by reference, as Linux), or NULL to clear it
 * @setaffinity: also move @irq to the first allowed CPU of @m; a failure
 *	is ignored, as Linux ignores it
 *
 * Behind irq_set_affinity_hint() and irq_update_affinity_hint().
 * Context: any but a handler of @irq.
 * Return: 0, or -EINVAL for no such IRQ.
 */
int __irq_apply_affinity_hint(unsigned int irq, const struct cpumask *m,
			      bool setaffinity)
{
	struct dde_irq_desc *desc = dde_irq_to_desc(irq);
	unsigned long flags;

	if (!desc)
		return -EINVAL;
	raw_spin_lock_irqsave(&desc->lock, flags);
	desc->affinity_hint = m;
	raw_spin_unlock_irqrestore(&desc->lock, flags);
	if (m && setaffinity)
		irq_follow_hint(desc, m);
	return 0;
}
