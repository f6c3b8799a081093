// SPDX-License-Identifier: GPL-2.0-only
/*
 * Generic interrupt dispatch: per-CPU vector tables, hard-IRQ accounting in
 * the shared preempt counter (Linux's irq_enter()/irq_exit() in one), and the
 * preemption point on the way out of an interrupt.
 */
#include <arch/vectors.h>
#include <ddeos/arch.h>
#include <ddeos/errno.h>
#include <ddeos/panic.h>
#include <ddeos/irq.h>
#include <ddeos/percpu.h>
#include <ddeos/preempt.h>
#include <ddeos/sched.h>
#include <ddeos/spinlock.h>

/*
 * A handler is one record, fn and arg together, published with one pointer:
 * a CPU taking the vector sees the old record or the new one, never the old
 * function with the new argument. A record is only rewritten after
 * irq_vector_free() has unpublished it and waited until its CPU no longer
 * runs it (`running`, set around the call; vectors are per CPU, so only
 * that CPU can be running it).
 */
struct irq_action {
	irq_handler_fn fn;
	void *arg;
};

struct irq_slot {
	struct irq_action *action;	/* NULL: free; else &own, immutable */
	struct irq_action own;
	bool running;			/* written by the slot's CPU, IRQs off */
	uint64_t count;
};

static struct irq_slot irq_table[MAX_CPUS][256];
static struct spinlock irq_alloc_lock = SPINLOCK_INIT;
static void (*irq_exit_hook)(void);

/*
 * Where each CPU's next search starts: vectors are handed out round the
 * range, so a vector just freed is the last one reused. A message already
 * on its way to it when it was freed (an MSI the device sent before it was
 * masked, an IPI delayed in a loaded host) then finds it free and is
 * dropped, rather than running the next owner's handler (Linux's vector
 * matrix spreads allocations for the same reason). irq_alloc_lock.
 */
static unsigned int alloc_next[MAX_CPUS];

int irq_vector_alloc(unsigned int cpu, irq_handler_fn fn, void *arg)
{
	const unsigned int n = VEC_DEVICE_LAST - VEC_DEVICE_FIRST + 1;
	unsigned long flags;
	int v = -ENOSPC;

	if (cpu >= MAX_CPUS || !fn)
		return -EINVAL;
	flags = spinlock_lock_irqsave(&irq_alloc_lock);
	for (unsigned int i = 0; i < n; i++) {
		unsigned int c = VEC_DEVICE_FIRST + (alloc_next[cpu] + i) % n;
		struct irq_slot *s = &irq_table[cpu][c];

		if (!s->action && !s->own.fn) {
			s->own.fn = fn;
			s->own.arg = arg;
			s->count = 0;
			__atomic_store_n(&s->action, &s->own, __ATOMIC_RELEASE);
			alloc_next[cpu] = (c - VEC_DEVICE_FIRST + 1) % n;
			v = (int)c;
			break;
		}
	}
	spinlock_unlock_irqrestore(&irq_alloc_lock, flags);
	return v;
}

/*
 * Detach the handler; when this returns, it runs nowhere and will not run
 * again (Linux's free_irq() waits the same way). Context: anything but the
 * handler itself (it would wait for itself).
 */
void irq_vector_free(unsigned int cpu, int vector)
{
	struct irq_slot *s;
	unsigned long flags;

	if (cpu >= MAX_CPUS || vector < VEC_DEVICE_FIRST || vector > VEC_DEVICE_LAST)
		return;
	s = &irq_table[cpu][vector];
	__atomic_store_n(&s->action, NULL, __ATOMIC_SEQ_CST);
	/* Pairs with the fence in irq_handle(): it sees NULL, or we see it. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (cpu == cpu_id() && in_hardirq() &&
	    __atomic_load_n(&s->running, __ATOMIC_ACQUIRE))
		kpanic("irq: vector %#x on cpu %u freed from its own handler", vector, cpu);
	while (__atomic_load_n(&s->running, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
	/* Only now may the record be rewritten by irq_vector_alloc(). */
	flags = spinlock_lock_irqsave(&irq_alloc_lock);
	s->own.fn = NULL;
	s->own.arg = NULL;
	spinlock_unlock_irqrestore(&irq_alloc_lock, flags);
}

void irq_set_system_handler(unsigned int vector, irq_handler_fn fn, void *arg)
{
	for (unsigned int cpu = 0; cpu < MAX_CPUS; cpu++) {
		struct irq_slot *s = &irq_table[cpu][vector];

		s->own.fn = fn;
		s->own.arg = arg;
		__atomic_store_n(&s->action, &s->own, __ATOMIC_RELEASE);
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

/* Context: hard IRQ entry, IRQs off, on this CPU's IRQ stack. */
void irq_handle(unsigned int vector)
{
	struct irq_slot *s = &irq_table[cpu_id()][vector];
	struct irq_action *a;

	percpu_add(__preempt_count, HARDIRQ_OFFSET);
	s->count++;
	__atomic_store_n(&s->running, true, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	a = __atomic_load_n(&s->action, __ATOMIC_ACQUIRE);
	if (a)
		a->fn(a->arg);
	__atomic_store_n(&s->running, false, __ATOMIC_RELEASE);
	if (vector != VEC_SPURIOUS)
		arch_irq_eoi();
	/* Linux's irq_exit() when the DDE is up: it takes HARDIRQ_OFFSET off
	 * and runs pending softirqs here, on the IRQ stack (the config's
	 * SOFTIRQ_ON_OWN_STACK), with IRQs on while they run. */
	if (irq_exit_hook)
		irq_exit_hook();
	else
		percpu_add(__preempt_count, -HARDIRQ_OFFSET);
}

/* Context: interrupt exit, back on the interrupted stack, IRQs off. */
void irq_exit_preempt(void)
{
	/* Whole word zero: preemptible and a switch is pending. */
	if (percpu_read(__preempt_count) == 0)
		sched_preempt_irq();
}
