// SPDX-License-Identifier: GPL-2.0-only
/*
 * The out-of-line spinlock entry points Linux code calls (Linux:
 * kernel/locking/spinlock.c with include/linux/spinlock_api_smp.h), on the
 * ddeos kernel's ticket lock: a Linux arch_spinlock_t is 4 bytes and zero
 * when unlocked, as is the kernel's lock, so the lock word is used as is.
 * Preemption and IRQ state are handled here exactly as Linux does, on the
 * shared preempt counter.
 *
 * One difference: Linux's inline spin_is_locked() reads "word != 0". A
 * ticket lock that has been used is unlocked with a non-zero word, so
 * spin_is_locked() may report a free lock as held; it never reports a held
 * lock as free, which keeps assert_spin_locked() correct.
 */
#include <linux/spinlock.h>
#include <linux/bottom_half.h>
#include <dde/dde.h>

static inline void *word(raw_spinlock_t *lock)
{
	BUILD_BUG_ON(sizeof(lock->raw_lock) != 4);
	return &lock->raw_lock;
}

int __lockfunc _raw_spin_trylock(raw_spinlock_t *lock)
{
	preempt_disable();
	if (ddeos_lock_try(word(lock)))
		return 1;
	preempt_enable();
	return 0;
}

void __lockfunc _raw_spin_lock(raw_spinlock_t *lock)
{
	preempt_disable();
	ddeos_lock_acquire(word(lock));
}

unsigned long __lockfunc _raw_spin_lock_irqsave(raw_spinlock_t *lock)
{
	unsigned long flags;

	local_irq_save(flags);
	preempt_disable();
	ddeos_lock_acquire(word(lock));
	return flags;
}

void __lockfunc _raw_spin_lock_irq(raw_spinlock_t *lock)
{
	local_irq_disable();
	preempt_disable();
	ddeos_lock_acquire(word(lock));
}

void __lockfunc _raw_spin_lock_bh(raw_spinlock_t *lock)
{
	__local_bh_disable_ip(_RET_IP_, SOFTIRQ_LOCK_OFFSET);
	ddeos_lock_acquire(word(lock));
}

void __lockfunc _raw_spin_unlock(raw_spinlock_t *lock)
{
	ddeos_lock_release(word(lock));
	preempt_enable();
}

void __lockfunc _raw_spin_unlock_irqrestore(raw_spinlock_t *lock,
					    unsigned long flags)
{
	ddeos_lock_release(word(lock));
	local_irq_restore(flags);
	preempt_enable();
}

void __lockfunc _raw_spin_unlock_irq(raw_spinlock_t *lock)
{
	ddeos_lock_release(word(lock));
	local_irq_enable();
	preempt_enable();
}

void __lockfunc _raw_spin_unlock_bh(raw_spinlock_t *lock)
{
	ddeos_lock_release(word(lock));
	__local_bh_enable_ip(_RET_IP_, SOFTIRQ_LOCK_OFFSET);
}
