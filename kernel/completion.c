// SPDX-License-Identifier: GPL-2.0-only
/* Completions: "wait until this happened", signalled from any context. */
#include <ddeos/errno.h>
#include <ddeos/mutex.h>
#include <ddeos/sched.h>

#define COMPLETION_ALL	(~0u / 2)

void completion_init(struct completion *c)
{
	waitq_init(&c->wq);
	c->done = 0;
}

int completion_wait(struct completion *c, uint64_t deadline_ns)
{
	unsigned long flags = spinlock_lock_irqsave(&c->wq.lock);
	int err = 0;

	while (!c->done && err != -ETIMEDOUT)
		err = waitq_sleep_locked(&c->wq, flags, deadline_ns);
	if (c->done) {
		if (c->done != COMPLETION_ALL)
			c->done--;
		err = 0;
	}
	spinlock_unlock_irqrestore(&c->wq.lock, flags);
	return err;
}

void completion_signal(struct completion *c)
{
	unsigned long flags = spinlock_lock_irqsave(&c->wq.lock);

	if (c->done != COMPLETION_ALL)
		c->done++;
	waitq_wake_one_locked(&c->wq);
	spinlock_unlock_irqrestore(&c->wq.lock, flags);
}

void completion_signal_all(struct completion *c)
{
	unsigned long flags = spinlock_lock_irqsave(&c->wq.lock);

	c->done = COMPLETION_ALL;
	waitq_wake_all_locked(&c->wq);
	spinlock_unlock_irqrestore(&c->wq.lock, flags);
}
