/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Ticket spinlocks: fair (FIFO) and small. spinlock_lock() disables
 * preemption like Linux's spin_lock(); the _irqsave variants also disable
 * local interrupts and are the ones to use for data an IRQ handler touches.
 * raw_lock_* take the lock only; the scheduler uses them with IRQs off.
 */
#ifndef DDEOS_SPINLOCK_H
#define DDEOS_SPINLOCK_H

#include <ddeos/types.h>
#include <ddeos/preempt.h>
#include <arch/irqflags.h>

struct spinlock {
	uint16_t owner;		/* ticket being served */
	uint16_t next;		/* next ticket to hand out */
};

#define SPINLOCK_INIT	{ 0, 0 }

static inline void spinlock_init(struct spinlock *l)
{
	l->owner = 0;
	l->next = 0;
}

static inline void raw_lock_acquire(struct spinlock *l)
{
	uint16_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
		arch_cpu_relax();
}

static inline bool raw_lock_try(struct spinlock *l)
{
	uint16_t owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	uint32_t old = ((uint32_t)owner << 16) | owner;	/* unlocked: next == owner */
	uint32_t new = old + (1u << 16);		/* next + 1 */

	_Static_assert(offsetof(struct spinlock, next) == 2, "ticket layout");
	return __atomic_compare_exchange_n((uint32_t *)l, &old, new, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void raw_lock_release(struct spinlock *l)
{
	__atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}

static inline bool spinlock_is_locked(const struct spinlock *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}

/* Context: any; not across a sleep. */
static inline void spinlock_lock(struct spinlock *l)
{
	preempt_off();
	raw_lock_acquire(l);
}

static inline bool spinlock_trylock(struct spinlock *l)
{
	preempt_off();
	if (raw_lock_try(l))
		return true;
	preempt_on();
	return false;
}

static inline void spinlock_unlock(struct spinlock *l)
{
	raw_lock_release(l);
	preempt_on();
}

/* Context: any, including hard IRQ. */
static inline unsigned long spinlock_lock_irqsave(struct spinlock *l)
{
	unsigned long flags = arch_irq_save();

	preempt_off();
	raw_lock_acquire(l);
	return flags;
}

static inline void spinlock_unlock_irqrestore(struct spinlock *l,
					      unsigned long flags)
{
	raw_lock_release(l);
	arch_irq_restore(flags);
	preempt_on();
}

#endif
