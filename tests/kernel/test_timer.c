// SPDX-License-Identifier: GPL-2.0-only
/*
 * Clock and timer tests. A sleep or timer never ends early, fires once, on
 * its CPU, in hard-IRQ context; how late it is depends on when the host
 * runs QEMU's vCPU (a busy CI machine can stall it for tens of
 * milliseconds), so lateness is printed, not judged: tests wait for the
 * event they check (docs/testing.md).
 */
#include <ddeos/arch.h>
#include <ddeos/console.h>
#include <ddeos/ktest.h>
#include <ddeos/mutex.h>
#include <ddeos/preempt.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>
#include <ddeos/timer.h>

#define MS			1000000ull
#define SAMPLES			7
/* A bound for waiting that only a broken timer reaches. */
#define PATIENCE_NS		(60000 * MS)

static uint64_t median(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t x = v[j];

			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	return v[n / 2];
}

static void sleep_is_accurate(struct ddeos_ktest *t)
{
	uint64_t late[SAMPLES];

	for (int i = 0; i < SAMPLES; i++) {
		uint64_t want = (uint64_t)(i + 1) * MS, t0 = clock_ns(), el;

		thread_sleep_ns(want);
		el = clock_ns() - t0;
		KTEST_EXPECT(t, el >= want, "slept %llu ns of %llu",
			     (unsigned long long)el, (unsigned long long)want);
		late[i] = el - want;
	}
	kprintf("    # sleep lateness median %llu us\n",
		(unsigned long long)median(late, SAMPLES) / 1000);
}

struct shot {
	struct completion done;
	uint64_t fired_at;
	bool in_irq;
	unsigned int cpu;
};

static void shot_fn(struct timer *tm, void *arg)
{
	struct shot *s = arg;

	s->fired_at = clock_ns();
	s->in_irq = in_hardirq() && !arch_irqs_enabled();
	s->cpu = cpu_id();
	completion_signal(&s->done);
}

static void oneshot_fires_once_on_time(struct ddeos_ktest *t)
{
	struct shot s;
	struct timer tm;
	uint64_t deadline;

	completion_init(&s.done);
	timer_init(&tm, shot_fn, &s);
	preempt_off();			/* arm and read our CPU together */
	unsigned int cpu = cpu_id();

	deadline = clock_ns() + 3 * MS;
	timer_arm(&tm, deadline, 0);
	preempt_on();
	KTEST_ASSERT(t, completion_wait(&s.done, deadline + 2000 * MS) == 0);
	KTEST_EXPECT(t, s.fired_at >= deadline, "fired early");
	/* How late is the host's business (QEMU's vCPU may not run for a
	 * while on a loaded machine): reported, not judged. */
	kprintf("    # one-shot fired %llu us after its deadline\n",
		(unsigned long long)(s.fired_at - deadline) / 1000);
	KTEST_EXPECT(t, s.in_irq, "callback not in hard-IRQ context");
	KTEST_EXPECT(t, s.cpu == cpu, "fired on cpu %u, armed on %u", s.cpu, cpu);
	thread_sleep_ns(5 * MS);
	KTEST_EXPECT(t, tm.fired == 1, "fired %llu times", (unsigned long long)tm.fired);
	KTEST_EXPECT(t, !timer_cancel(&tm));
}

static void count_fn(struct timer *tm, void *arg)
{
	__atomic_fetch_add((uint64_t *)arg, 1, __ATOMIC_RELAXED);
}

static void periodic_timer_keeps_rate(struct ddeos_ktest *t)
{
	uint64_t count = 0, t0, el, n;
	struct timer tm;

	timer_init(&tm, count_fn, &count);
	t0 = clock_ns();
	timer_arm(&tm, t0 + 2 * MS, 2 * MS);
	/* Wait for ten fires, however long the host makes that take. */
	while (__atomic_load_n(&count, __ATOMIC_RELAXED) < 10 &&
	       clock_ns() - t0 < PATIENCE_NS)
		thread_sleep_ns(2 * MS);
	timer_cancel_sync(&tm);
	el = clock_ns() - t0;
	n = __atomic_load_n(&count, __ATOMIC_RELAXED);
	/* Late periods are skipped, never bunched: at most el/period fires. */
	KTEST_EXPECT(t, n <= el / (2 * MS) && n >= 10,
		     "%llu fires in %llu ms", (unsigned long long)n,
		     (unsigned long long)el / MS);
	thread_sleep_ns(10 * MS);
	KTEST_EXPECT(t, __atomic_load_n(&count, __ATOMIC_RELAXED) == n,
		     "fired after cancel");
}

static void cancelled_timer_never_fires(struct ddeos_ktest *t)
{
	uint64_t count = 0;
	struct timer tm, tm2;

	struct shot later;
	unsigned long flags;

	timer_init(&tm, count_fn, &count);
	/* IRQs off: a vCPU held up past the deadline (a loaded host) cannot
	 * let the timer fire between arm and cancel. */
	flags = arch_irq_save();
	timer_arm(&tm, clock_ns() + 5 * MS, 0);
	KTEST_EXPECT(t, timer_cancel(&tm));
	arch_irq_restore(flags);
	KTEST_EXPECT(t, !timer_cancel(&tm));
	/* Wait for a timer due after it instead of for time to pass. */
	completion_init(&later.done);
	timer_init(&tm2, shot_fn, &later);
	timer_arm(&tm2, clock_ns() + 15 * MS, 0);
	KTEST_EXPECT(t, !completion_wait(&later.done, clock_ns() + PATIENCE_NS));
	KTEST_EXPECT(t, count == 0);
}

static void read_clock(void *arg)
{
	uint64_t *slot = arg;

	*slot = clock_ns();
}

/* Readings taken on CPU after CPU, in order, never go backwards. */
static void clock_monotonic_across_cpus(struct ddeos_ktest *t)
{
	uint64_t prev = clock_ns(), now;

	for (int round = 0; round < 20; round++)
		for (unsigned int cpu = 0; cpu < smp_cpus_online(); cpu++) {
			smp_run_on_cpu(cpu, read_clock, &now);
			KTEST_EXPECT(t, now >= prev, "cpu %u went back %llu ns", cpu,
				     (unsigned long long)(prev - now));
			prev = now;
		}
}

static const struct ddeos_ktest_case timer_cases[] = {
	{ "sleep_is_accurate", sleep_is_accurate },
	{ "oneshot_fires_once_on_time", oneshot_fires_once_on_time },
	{ "periodic_timer_keeps_rate", periodic_timer_keeps_rate },
	{ "cancelled_timer_never_fires", cancelled_timer_never_fires },
	{ "clock_monotonic_across_cpus", clock_monotonic_across_cpus },
};
KTEST_SUITE(timer, "timer", timer_cases);
