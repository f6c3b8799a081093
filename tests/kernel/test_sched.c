// SPDX-License-Identifier: GPL-2.0-only
/*
 * Scheduler tests: preemption of a busy thread, the preempt counter holding
 * off a switch that is then taken at once, priorities, pinning, joining, and
 * idle CPUs taking work from busy ones, and idle polling after a hint.
 */
#include <ddeos/arch.h>
#include <ddeos/ktest.h>
#include <ddeos/page_alloc.h>
#include <ddeos/preempt.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>
#include <ddeos/timer.h>

#define MS	1000000ull

static struct thread *spawn(const char *name, int cpu, int prio,
			    int (*fn)(void *), void *arg)
{
	struct thread_attr a = { .name = name, .cpu = cpu, .prio = prio };

	return thread_create(&a, fn, arg);
}

struct busy {
	volatile bool stop;
	volatile bool other_ran;
	uint64_t other_ran_at;
};

static int busy_loop(void *arg)
{
	struct busy *b = arg;
	uint64_t t0 = clock_ns();

	/* Never yields; bounded so a broken scheduler fails instead of hangs. */
	while (!b->stop && clock_ns() - t0 < 3000 * MS)
		arch_cpu_relax();
	return b->other_ran ? 0 : -1;
}

static int mark_ran(void *arg)
{
	struct busy *b = arg;

	b->other_ran_at = clock_ns();
	b->other_ran = true;
	b->stop = true;
	return 0;
}

/* Two threads of equal priority pinned to one CPU: the second runs only if
 * the first, which never blocks, is preempted by the tick. */
static void busy_thread_is_preempted(struct ddeos_ktest *t)
{
	struct busy b = { 0 };
	int cpu = (int)smp_cpus_online() - 1;
	uint64_t t0 = clock_ns();
	struct thread *spin = spawn("busy", cpu, SCHED_PRIO_DEFAULT, busy_loop, &b);
	struct thread *other;

	KTEST_ASSERT(t, spin);
	thread_sleep_ns(2 * MS);	/* let it start spinning */
	other = spawn("other", cpu, SCHED_PRIO_DEFAULT, mark_ran, &b);
	KTEST_ASSERT(t, other);
	KTEST_EXPECT(t, thread_join(other) == 0);
	KTEST_EXPECT(t, thread_join(spin) == 0, "the busy thread was never preempted");
	KTEST_EXPECT(t, b.other_ran && b.other_ran_at - t0 < 1000 * MS,
		     "other thread ran after %llu ms",
		     (unsigned long long)(b.other_ran_at - t0) / MS);
}

struct deferred {
	volatile bool ran;
	uint64_t ran_at;
};

static int high_prio_marker(void *arg)
{
	struct deferred *d = arg;

	d->ran_at = clock_ns();
	d->ran = true;
	return 0;
}

/*
 * With preemption off, a higher-priority thread made runnable on our CPU
 * must not run, even across several ticks; preempt_on() must switch to it
 * before returning.
 */
static void preempt_off_defers_switch(struct ddeos_ktest *t)
{
	struct deferred d = { 0 };
	struct thread *hi;
	bool ran_while_off;
	uint64_t t0, on_at;
	int cpu;

	KTEST_ASSERT(t, thread_pin(0) == 0);
	cpu = (int)cpu_id();
	preempt_off();
	hi = spawn("hi", cpu, 0, high_prio_marker, &d);
	t0 = clock_ns();
	while (clock_ns() - t0 < 3 * SCHED_SLICE_NS)
		arch_cpu_relax();	/* ticks pass, each wants to switch */
	ran_while_off = d.ran;
	on_at = clock_ns();
	preempt_on();			/* the switch happens here */
	KTEST_EXPECT(t, hi != NULL);
	KTEST_EXPECT(t, !ran_while_off, "switched with preemption off");
	KTEST_EXPECT(t, d.ran, "pending switch not taken at preempt_on()");
	KTEST_EXPECT(t, d.ran_at >= on_at);
	if (hi)
		thread_join(hi);
	thread_pin(CPU_ANY);
}

/*
 * Making a higher-priority thread ready on this CPU switches to it at once
 * when preemption is allowed: the creation (and a wake-up) is a preemption
 * point, not something left for the next tick.
 */
static void ready_higher_prio_switches_at_once(struct ddeos_ktest *t)
{
	struct deferred d = { 0 };
	struct thread *hi;
	bool ran;

	KTEST_ASSERT(t, thread_pin(0) == 0);
	hi = spawn("hi", 0, 0, high_prio_marker, &d);
	ran = d.ran;		/* no tick or preemption point in between */
	KTEST_EXPECT(t, hi != NULL);
	KTEST_EXPECT(t, ran, "the higher-priority thread waited for a tick");
	if (hi)
		thread_join(hi);
	thread_pin(CPU_ANY);
}

struct order {
	struct spinlock lock;
	int seq[3];
	int n;
};

struct order_arg {
	struct order *o;
	int prio;
};

static int record_order(void *arg)
{
	struct order_arg *a = arg;
	unsigned long f = spinlock_lock_irqsave(&a->o->lock);

	a->o->seq[a->o->n++] = a->prio;
	spinlock_unlock_irqrestore(&a->o->lock, f);
	return 0;
}

/* Threads made ready together on one CPU run highest priority first. */
static void priorities_order_threads(struct ddeos_ktest *t)
{
	static struct order o;
	static struct order_arg args[3];
	struct thread *th[3];
	int prios[3] = { 6, 1, 3 };

	o.n = 0;
	spinlock_init(&o.lock);
	KTEST_ASSERT(t, thread_pin(0) == 0);
	preempt_off();
	for (int i = 0; i < 3; i++) {
		args[i].o = &o;
		args[i].prio = prios[i];
		th[i] = spawn("prio", 0, prios[i], record_order, &args[i]);
	}
	preempt_on();	/* all three are ready; we run at the default (4) */
	for (int i = 0; i < 3; i++)
		if (th[i])
			thread_join(th[i]);
	thread_pin(CPU_ANY);
	KTEST_ASSERT(t, o.n == 3);
	KTEST_EXPECT(t, o.seq[0] == 1 && o.seq[1] == 3 && o.seq[2] == 6,
		     "order %d %d %d", o.seq[0], o.seq[1], o.seq[2]);
}

static void pin_moves_thread(struct ddeos_ktest *t)
{
	for (unsigned int cpu = 0; cpu < smp_cpus_online(); cpu++) {
		KTEST_ASSERT(t, thread_pin((int)cpu) == 0);
		for (int i = 0; i < 3; i++) {
			KTEST_EXPECT(t, cpu_id() == cpu, "on cpu %u, pinned to %u",
				     cpu_id(), cpu);
			thread_sleep_ns(MS);
		}
	}
	KTEST_EXPECT(t, thread_pin((int)smp_cpus_online()) != 0);
	thread_pin(CPU_ANY);
}

static int return_arg(void *arg)
{
	thread_yield();
	return (int)(uintptr_t)arg;
}

static void join_returns_exit_code(struct ddeos_ktest *t)
{
	struct thread *th[16];
	uint64_t free_before = page_alloc_free_pages();

	for (int i = 0; i < 16; i++)
		th[i] = spawn("exit", CPU_ANY, SCHED_PRIO_DEFAULT, return_arg,
			      (void *)(uintptr_t)(100 + i));
	for (int i = 0; i < 16; i++) {
		KTEST_ASSERT(t, th[i]);
		KTEST_EXPECT(t, thread_join(th[i]) == 100 + i);
	}
	KTEST_EXPECT(t, page_alloc_free_pages() == free_before,
		     "thread memory not returned");
}

struct spread {
	volatile uint64_t cpus_seen;	/* bit per CPU that ran a worker */
	uint64_t all;			/* every CPU's bit */
};

static int busy_work(void *arg)
{
	struct spread *s = arg;
	uint64_t t0 = clock_ns();

	/* Busy until every CPU ran a worker (idle ones must steal the
	 * queued ones), or 3 s: enough even with vCPUs starved by the host. */
	while (READ_ONCE(s->cpus_seen) != s->all && clock_ns() - t0 < 3000 * MS) {
		__atomic_fetch_or(&s->cpus_seen, 1ull << cpu_id(), __ATOMIC_RELAXED);
		arch_cpu_relax();
	}
	return 0;
}

/* Unpinned CPU-bound threads created from one CPU end up on every CPU. */
static void idle_cpus_take_work(struct ddeos_ktest *t)
{
	unsigned int n = smp_cpus_online();
	struct spread s = { 0 };
	struct thread *th[2 * 16];
	unsigned int k = MIN(2 * n, ARRAY_SIZE(th));

	if (n == 1)
		KTEST_SKIP(t, "needs 2 CPUs");
	s.all = n >= 64 ? ~0ull : (1ull << n) - 1;
	KTEST_ASSERT(t, thread_pin(0) == 0);
	for (unsigned int i = 0; i < k; i++)
		th[i] = spawn("worker", CPU_ANY, SCHED_PRIO_DEFAULT, busy_work, &s);
	thread_pin(CPU_ANY);
	for (unsigned int i = 0; i < k; i++)
		if (th[i])
			thread_join(th[i]);
	KTEST_EXPECT(t, s.cpus_seen == s.all,
		     "CPUs used: %#llx", (unsigned long long)s.cpus_seen);
}

/*
 * After sched_idle_poll_hint() the CPU's idle loop spins until the sleeping
 * thread's timer wakes it, instead of halting; without a poll window the
 * hint does nothing. The window is 10 s so that a vCPU the host holds off
 * for a while still wakes inside it.
 */
static void idle_poll_hint_spins_until_work(struct ddeos_ktest *t)
{
	unsigned int cpu = smp_cpus_online() - 1;
	uint64_t old = sched_idle_poll_set_ns(10000 * MS);
	uint64_t p0, h0, p1, h1, p2, h2;

	KTEST_ASSERT(t, thread_pin((int)cpu) == 0);
	sched_idle_poll_stats(cpu, &p0, &h0);
	sched_idle_poll_hint();
	thread_sleep_ns(1 * MS);	/* the idle thread spins; our wake-up preempts it */
	sched_idle_poll_set_ns(0);	/* ends its spin once it runs again... */
	/* ...while we sleep, if no other thread of this CPU takes the time:
	 * it then counts the hit and halts. Bounded, for a broken idle loop. */
	for (int i = 0; i < 1000; i++) {
		thread_sleep_ns(1 * MS);
		sched_idle_poll_stats(cpu, &p1, &h1);
		if (h1 != h0)
			break;
	}
	sched_idle_poll_hint();
	thread_sleep_ns(1 * MS);
	sched_idle_poll_stats(cpu, &p2, &h2);
	sched_idle_poll_set_ns(old);
	thread_pin(CPU_ANY);
	KTEST_EXPECT(t, p1 > p0 && h1 > h0, "polls %llu->%llu, hits %llu->%llu",
		     (unsigned long long)p0, (unsigned long long)p1,
		     (unsigned long long)h0, (unsigned long long)h1);
	KTEST_EXPECT(t, p2 == p1, "polled with a window of 0: %llu->%llu",
		     (unsigned long long)p1, (unsigned long long)p2);
}

static const struct ddeos_ktest_case sched_cases[] = {
	{ "busy_thread_is_preempted", busy_thread_is_preempted },
	{ "preempt_off_defers_switch", preempt_off_defers_switch },
	{ "ready_higher_prio_switches_at_once", ready_higher_prio_switches_at_once },
	{ "priorities_order_threads", priorities_order_threads },
	{ "pin_moves_thread", pin_moves_thread },
	{ "join_returns_exit_code", join_returns_exit_code },
	{ "idle_cpus_take_work", idle_cpus_take_work },
	{ "idle_poll_hint_spins_until_work", idle_poll_hint_spins_until_work },
};
KTEST_SUITE(sched, "sched", sched_cases);
