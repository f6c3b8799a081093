// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cross-CPU function calls: the caller queues a request (on its stack) on
 * the target's list and sends VEC_CALL_FUNCTION; the target runs it in its
 * IPI handler and sets `done`. The caller spins with IRQs on, so two CPUs
 * calling each other cannot deadlock.
 */
#include <arch/vectors.h>
#include <ddeos/arch.h>
#include <ddeos/errno.h>
#include <ddeos/irq.h>
#include <ddeos/percpu.h>
#include <ddeos/smp.h>
#include <ddeos/spinlock.h>

static unsigned int cpus_online = 1;

static struct call_queue {
	struct spinlock lock;
	struct dlist calls;		/* struct smp_call; under lock */
} __aligned(64) call_queues[MAX_CPUS];

unsigned int smp_cpus_online(void)
{
	return __atomic_load_n(&cpus_online, __ATOMIC_ACQUIRE);
}

/* CPUs come online in order 0, 1, 2, ...: online ones are [0, n). */
void smp_set_cpu_online(unsigned int cpu)
{
	__atomic_store_n(&cpus_online, cpu + 1, __ATOMIC_RELEASE);
}

static void call_ipi(void *unused)
{
	struct call_queue *q = &call_queues[cpu_id()];
	struct dlist *n;

	raw_lock_acquire(&q->lock);
	while ((n = dlist_pop(&q->calls))) {
		struct smp_call *c = container_of(n, struct smp_call, node);

		raw_lock_release(&q->lock);
		c->fn(c->arg);
		__atomic_store_n(&c->done, true, __ATOMIC_RELEASE);
		raw_lock_acquire(&q->lock);
	}
	raw_lock_release(&q->lock);
}

int smp_run_on_cpu(unsigned int cpu, void (*fn)(void *), void *arg)
{
	struct smp_call c = { .fn = fn, .arg = arg };
	struct call_queue *q = &call_queues[cpu];
	unsigned long flags;

	if (cpu >= smp_cpus_online())
		return -EINVAL;
	dlist_init(&c.node);
	flags = spinlock_lock_irqsave(&q->lock);
	dlist_add_tail(&q->calls, &c.node);
	spinlock_unlock_irqrestore(&q->lock, flags);
	arch_send_ipi(cpu, VEC_CALL_FUNCTION);
	while (!__atomic_load_n(&c.done, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
	return 0;
}

void smp_init(void)
{
	for (unsigned int i = 0; i < MAX_CPUS; i++) {
		spinlock_init(&call_queues[i].lock);
		dlist_init(&call_queues[i].calls);
	}
	irq_set_system_handler(VEC_CALL_FUNCTION, call_ipi, NULL);
}
