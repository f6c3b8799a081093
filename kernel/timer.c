// SPDX-License-Identifier: GPL-2.0-only
/*
 * Timers and the tick. Each CPU has a deadline-sorted list under its own
 * irqsave lock. The local APIC timer runs one-shot, always programmed for
 * the earlier of the first timer and the next scheduler tick, so timers
 * fire with the clock's precision rather than the tick's.
 *
 * Callbacks run in hard-IRQ context on the arming CPU, with the list lock
 * dropped, so a callback may re-arm or cancel timers (even its own).
 */
#include <arch/vectors.h>
#include <ddeos/arch.h>
#include <ddeos/irq.h>
#include <ddeos/percpu.h>
#include <ddeos/sched.h>
#include <ddeos/spinlock.h>
#include <ddeos/timer.h>

struct timer_base {
	struct spinlock lock;
	struct dlist timers;		/* sorted by deadline; under lock */
	uint64_t next_tick;
} __aligned(64);

static struct timer_base timer_bases[MAX_CPUS];

uint64_t clock_ns(void)
{
	return arch_clock_ns();
}

void timer_init(struct timer *t, timer_fn fn, void *arg)
{
	dlist_init(&t->node);
	t->fn = fn;
	t->arg = arg;
	t->cpu = -1;
	t->running = false;
	t->period = 0;
	t->fired = 0;
}

/* Program the local timer for the earliest event. Base lock held, IRQs off. */
static void reprogram(struct timer_base *b)
{
	uint64_t next = b->next_tick, now = arch_clock_ns();

	if (!dlist_empty(&b->timers)) {
		struct timer *first = container_of(b->timers.next, struct timer, node);

		if (first->deadline < next)
			next = first->deadline;
	}
	arch_timer_set_oneshot(next > now ? next - now : 1);
}

static void insert(struct timer_base *b, struct timer *t)
{
	struct dlist *pos;

	dlist_for_each(pos, &b->timers)
		if (container_of(pos, struct timer, node)->deadline > t->deadline)
			break;
	dlist_insert(&t->node, pos->prev, pos);
}

/* Remove from whatever list holds it. Return: true if it was pending. */
static bool detach(struct timer *t)
{
	for (;;) {
		int cpu = READ_ONCE(t->cpu);

		if (cpu < 0)
			return false;
		struct timer_base *b = &timer_bases[cpu];
		unsigned long flags = spinlock_lock_irqsave(&b->lock);

		if (t->cpu == cpu) {
			dlist_del(&t->node);
			t->cpu = -1;
			spinlock_unlock_irqrestore(&b->lock, flags);
			return true;
		}
		spinlock_unlock_irqrestore(&b->lock, flags);	/* moved: retry */
	}
}

void timer_arm(struct timer *t, uint64_t deadline_ns, uint64_t period_ns)
{
	unsigned long irq = arch_irq_save();
	struct timer_base *b = &timer_bases[cpu_id()];

	detach(t);
	raw_lock_acquire(&b->lock);
	t->deadline = deadline_ns;
	t->period = period_ns;
	t->cpu = (int)cpu_id();
	insert(b, t);
	if (b->timers.next == &t->node)
		reprogram(b);
	raw_lock_release(&b->lock);
	arch_irq_restore(irq);
}

bool timer_cancel(struct timer *t)
{
	WRITE_ONCE(t->period, 0);	/* a running periodic callback won't re-arm */
	return detach(t);
}

bool timer_cancel_sync(struct timer *t)
{
	bool was = timer_cancel(t);

	while (__atomic_load_n(&t->running, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
	/* A periodic callback may have re-armed between the two steps. */
	return detach(t) || was;
}

/* Context: hard IRQ (VEC_TIMER), IRQs off. */
void timer_interrupt(void *unused)
{
	struct timer_base *b = &timer_bases[cpu_id()];
	uint64_t now = arch_clock_ns();
	bool tick = false;

	raw_lock_acquire(&b->lock);
	while (!dlist_empty(&b->timers)) {
		struct timer *t = container_of(b->timers.next, struct timer, node);

		if (t->deadline > now)
			break;
		dlist_del(&t->node);
		t->cpu = -1;
		__atomic_store_n(&t->running, true, __ATOMIC_RELAXED);
		raw_lock_release(&b->lock);
		t->fired++;
		t->fn(t, t->arg);
		raw_lock_acquire(&b->lock);
		if (t->period && t->cpu < 0) {
			/* Keep the phase; skip periods we were too late for. */
			t->deadline += t->period;
			if (t->deadline <= now)
				t->deadline = now + t->period -
					      (now - t->deadline) % t->period;
			t->cpu = (int)cpu_id();
			insert(b, t);
		}
		__atomic_store_n(&t->running, false, __ATOMIC_RELEASE);
	}
	if (now >= b->next_tick) {
		tick = true;
		b->next_tick += SCHED_SLICE_NS;
		if (b->next_tick <= now)
			b->next_tick = now + SCHED_SLICE_NS;
	}
	reprogram(b);
	raw_lock_release(&b->lock);
	if (tick)
		sched_tick();
}

/* Context: each CPU once, IRQs off. */
void timer_init_cpu(void)
{
	struct timer_base *b = &timer_bases[cpu_id()];

	spinlock_init(&b->lock);
	dlist_init(&b->timers);
	b->next_tick = arch_clock_ns() + SCHED_SLICE_NS;
	reprogram(b);
}
