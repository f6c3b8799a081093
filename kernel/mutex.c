// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mutexes with direct hand-off: unlock gives ownership to the first waiter,
 * so a waiter cannot be starved by a thread that keeps re-locking.
 */
#include <ddeos/mutex.h>
#include <ddeos/panic.h>
#include <ddeos/sched.h>

void kmutex_init(struct kmutex *m)
{
	waitq_init(&m->wq);
	m->owner = NULL;
}

void kmutex_lock(struct kmutex *m)
{
	struct thread *me = sched_current();
	unsigned long flags;

	if (preempt_level() || !arch_irqs_enabled())
		sched_assert_may_sleep(__builtin_return_address(0));
	flags = spinlock_lock_irqsave(&m->wq.lock);
	if (m->owner == me)
		kpanic("mutex %p: recursive lock by '%s'", (void *)m, me->name);
	if (!m->owner)
		m->owner = me;
	while (m->owner != me)
		waitq_sleep_locked(&m->wq, flags, 0);
	spinlock_unlock_irqrestore(&m->wq.lock, flags);
}

bool kmutex_trylock(struct kmutex *m)
{
	unsigned long flags = spinlock_lock_irqsave(&m->wq.lock);
	bool got = !m->owner;

	if (got)
		m->owner = sched_current();
	spinlock_unlock_irqrestore(&m->wq.lock, flags);
	return got;
}

void kmutex_unlock(struct kmutex *m)
{
	unsigned long flags = spinlock_lock_irqsave(&m->wq.lock);
	struct thread *next = waitq_first_locked(&m->wq);

	if (m->owner != sched_current())
		kpanic("mutex %p: unlocked by '%s', not its owner", (void *)m,
		      sched_current_name());
	m->owner = next;
	if (next)
		waitq_wake_one_locked(&m->wq);
	spinlock_unlock_irqrestore(&m->wq.lock, flags);
}
