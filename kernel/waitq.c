// SPDX-License-Identifier: GPL-2.0-only
/*
 * Wait queues. A sleeper links a struct waiter (on its own stack) under the
 * queue lock, marks itself BLOCKED and switches away with the lock released
 * but preemption still off, so neither a wake-up nor a preemption can fall
 * between "queued" and "switched out" (sched.c explains why a wake in that
 * window is still safe). Wakers unlink the waiter and set `woken` before
 * sched_wake(), and never touch it again: the sleeper's stack may be gone.
 */
#include <ddeos/arch.h>
#include <ddeos/errno.h>
#include <ddeos/preempt.h>
#include <ddeos/sched.h>
#include <ddeos/waitq.h>

struct waiter {
	struct dlist node;
	struct thread *thread;
	bool woken;
};

static void timeout_fn(struct timer *t, void *arg)
{
	sched_wake(arg);
}

int waitq_sleep_locked(struct waitq *wq, unsigned long flags,
		       uint64_t deadline_ns)
{
	struct thread *me = sched_current();
	struct waiter w = { .thread = me };
	struct timer tm;

	/* The caller's lock accounts for the one level of preemption. */
	if (preempt_level() != 1 || !arch_irq_flags_enabled(flags) || in_irq_context())
		sched_assert_may_sleep(__builtin_return_address(0));
	if (deadline_ns) {
		timer_init(&tm, timeout_fn, me);
		timer_arm(&tm, deadline_ns, 0);
	}
	dlist_add_tail(&wq->waiters, &w.node);
	__atomic_store_n(&me->state, THREAD_BLOCKED, __ATOMIC_RELEASE);
	raw_lock_release(&wq->lock);
	sched_block();
	raw_lock_acquire(&wq->lock);
	if (!w.woken)
		dlist_del(&w.node);	/* timed out, or a stray wake */
	if (deadline_ns) {
		raw_lock_release(&wq->lock);
		arch_irq_restore(flags);
		timer_cancel_sync(&tm);
		arch_irq_disable();
		raw_lock_acquire(&wq->lock);
	}
	if (w.woken)
		return 0;
	return deadline_ns && arch_clock_ns() >= deadline_ns ? -ETIMEDOUT : -EINTR;
}

int waitq_wake_one_locked(struct waitq *wq)
{
	struct dlist *n = dlist_pop(&wq->waiters);
	struct waiter *w;
	struct thread *t;

	if (!n)
		return 0;
	w = container_of(n, struct waiter, node);
	t = w->thread;
	w->woken = true;
	sched_wake(t);
	return 1;
}

int waitq_wake_all_locked(struct waitq *wq)
{
	int n = 0;

	while (waitq_wake_one_locked(wq))
		n++;
	return n;
}

struct thread *waitq_first_locked(struct waitq *wq)
{
	if (dlist_empty(&wq->waiters))
		return NULL;
	return container_of(wq->waiters.next, struct waiter, node)->thread;
}
