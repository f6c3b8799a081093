// SPDX-License-Identifier: GPL-2.0-only
/*
 * Generic interrupt dispatch: per-CPU vector tables, hard-IRQ accounting in
 * the shared preempt counter (Linux's irq_enter()/irq_exit() in one), and the
 * preemption point on the way out of an interrupt.
 */
#include <arch/vectors.h>
#include <ddeos/arch.h>
#include <ddeos/errno.h>
#include <ddeos/irq.h>
#include <ddeos/percpu.h>
#include <ddeos/preempt.h>
#include <ddeos/sched.h>
#include <ddeos/spinlock.h>

struct irq_slot {
	irq_handler_fn fn;
	void *arg;
	uint64_t count;
};

static struct irq_slot irq_table[MAX_CPUS][256];
static struct spinlock irq_alloc_lock = SPINLOCK_INIT;
static void (*irq_exit_hook)(void);

int irq_vector_alloc(unsigned int cpu, irq_handler_fn fn, void *arg)
{
	unsigned long flags;
	int v;

	if (cpu >= MAX_CPUS || !fn)
		return -EINVAL;
	flags = spinlock_lock_irqsave(&irq_alloc_lock);
	for (v = VEC_DEVICE_FIRST; v <= VEC_DEVICE_LAST; v++) {
		struct irq_slot *s = &irq_table[cpu][v];

		if (!s->fn) {
			s->arg = arg;
			s->count = 0;
			__atomic_store_n(&s->fn, fn, __ATOMIC_RELEASE);
			break;
		}
	}
	spinlock_unlock_irqrestore(&irq_alloc_lock, flags);
	return v <= VEC_DEVICE_LAST ? v : -ENOSPC;
}

void irq_vector_free(unsigned int cpu, int vector)
{
	if (cpu < MAX_CPUS && vector >= VEC_DEVICE_FIRST && vector <= VEC_DEVICE_LAST)
		__atomic_store_n(&irq_table[cpu][vector].fn, NULL, __ATOMIC_RELEASE);
}

void irq_set_system_handler(unsigned int vector, irq_handler_fn fn, void *arg)
{
	for (unsigned int cpu = 0; cpu < MAX_CPUS; cpu++) {
		irq_table[cpu][vector].arg = arg;
		irq_table[cpu][vector].fn = fn;
	}
}

void irq_set_exit_hook(void (*hook)(void))
{
	irq_exit_hook = hook;
}

uint64_t irq_count(unsigned int cpu, unsigned int vector)
{
	return __atomic_load_n(&irq_table[cpu][vector].count, __ATOMIC_RELAXED);
}

/* Context: hard IRQ entry, IRQs off, on the interrupted thread's stack. */
void irq_handle(unsigned int vector)
{
	struct irq_slot *s = &irq_table[cpu_id()][vector];
	irq_handler_fn fn;

	percpu_add(__preempt_count, HARDIRQ_OFFSET);
	s->count++;
	fn = __atomic_load_n(&s->fn, __ATOMIC_ACQUIRE);
	if (fn)
		fn(s->arg);
	if (vector != VEC_SPURIOUS)
		arch_irq_eoi();
	percpu_add(__preempt_count, -HARDIRQ_OFFSET);
	/* Like Linux's irq_exit(): softirqs run here, IRQs still off. */
	if (irq_exit_hook)
		irq_exit_hook();
	/* Whole word zero: preemptible and a switch is pending. */
	if (percpu_read(__preempt_count) == 0)
		sched_preempt_irq();
}
