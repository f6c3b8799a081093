/* SPDX-License-Identifier: GPL-2.0-only */
/* Sleeping locks, semaphores and completions, built on wait queues. */
#ifndef DDEOS_MUTEX_H
#define DDEOS_MUTEX_H

#include <ddeos/waitq.h>

struct kmutex {
	struct waitq wq;		/* wq.lock guards owner */
	struct thread *owner;
};

#define KMUTEX_INIT(name) { WAITQ_INIT((name).wq), NULL }

void kmutex_init(struct kmutex *m);
/* Context: thread, may sleep. */
void kmutex_lock(struct kmutex *m);
bool kmutex_trylock(struct kmutex *m);
/* Context: thread; the caller owns @m. */
void kmutex_unlock(struct kmutex *m);

struct semaphore {
	struct waitq wq;		/* wq.lock guards count */
	int count;
};

void semaphore_init(struct semaphore *s, int count);
/* Context: thread, may sleep. Return: 0, or -ETIMEDOUT (deadline_ns != 0). */
int semaphore_down(struct semaphore *s, uint64_t deadline_ns);
/* Context: any. */
void semaphore_up(struct semaphore *s);

struct completion {
	struct waitq wq;		/* wq.lock guards done */
	unsigned int done;
};

void completion_init(struct completion *c);
/* Context: thread, may sleep. Return: 0, or -ETIMEDOUT (deadline_ns != 0). */
int completion_wait(struct completion *c, uint64_t deadline_ns);
/* Context: any, including hard IRQ. */
void completion_signal(struct completion *c);
void completion_signal_all(struct completion *c);

#endif
