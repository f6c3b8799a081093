// SPDX-License-Identifier: GPL-2.0-only
/* Counting semaphores. */
#include <ddeos/errno.h>
#include <ddeos/mutex.h>
#include <ddeos/sched.h>

void semaphore_init(struct semaphore *s, int count)
{
	waitq_init(&s->wq);
	s->count = count;
}

int semaphore_down(struct semaphore *s, uint64_t deadline_ns)
{
	unsigned long flags = spinlock_lock_irqsave(&s->wq.lock);
	int err = 0;

	while (s->count <= 0 && err != -ETIMEDOUT)
		err = waitq_sleep_locked(&s->wq, flags, deadline_ns);
	if (s->count > 0) {
		s->count--;
		err = 0;
	}
	spinlock_unlock_irqrestore(&s->wq.lock, flags);
	return err;
}

void semaphore_up(struct semaphore *s)
{
	unsigned long flags = spinlock_lock_irqsave(&s->wq.lock);

	s->count++;
	waitq_wake_one_locked(&s->wq);
	spinlock_unlock_irqrestore(&s->wq.lock, flags);
}
