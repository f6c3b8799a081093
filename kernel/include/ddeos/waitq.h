/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Wait queues: the one sleeping primitive that mutexes, semaphores and
 * completions are built on. The lock is irqsave so wakers may be hard-IRQ
 * handlers (Linux drivers complete() from their interrupt handler).
 */
#ifndef DDEOS_WAITQ_H
#define DDEOS_WAITQ_H

#include <ddeos/dlist.h>
#include <ddeos/spinlock.h>

struct thread;

struct waitq {
	struct spinlock lock;
	struct dlist waiters;		/* struct waiter, FIFO; under lock */
};

#define WAITQ_INIT(name) { SPINLOCK_INIT, DLIST_INIT((name).waiters) }

static inline void waitq_init(struct waitq *wq)
{
	spinlock_init(&wq->lock);
	dlist_init(&wq->waiters);
}

/*
 * Sleep on @wq until woken or @deadline_ns (0: none) passes. The caller
 * holds wq->lock, taken with spinlock_lock_irqsave() from a context that
 * may sleep; it is dropped while asleep and held again on return.
 * Return: 0 if woken, -ETIMEDOUT.
 * Context: thread, may sleep; caller holds wq->lock.
 */
int waitq_sleep_locked(struct waitq *wq, unsigned long flags,
		       uint64_t deadline_ns);
/* Wake the first / every sleeper. Return: how many. Context: any; lock held. */
int waitq_wake_one_locked(struct waitq *wq);
int waitq_wake_all_locked(struct waitq *wq);
/* The thread that waitq_wake_one_locked() would wake, or NULL. */
struct thread *waitq_first_locked(struct waitq *wq);

#endif
