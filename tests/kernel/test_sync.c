// SPDX-License-Identifier: GPL-2.0-only
/*
 * Synchronisation tests, all CPUs at once: a mutex and an irqsave spinlock
 * guarding non-atomic counters, semaphores bounding concurrency, wait-queue
 * ping-pong between CPUs, completions from hard-IRQ context and timeouts.
 */
#include <ddeos/arch.h>
#include <ddeos/errno.h>
#include <ddeos/ktest.h>
#include <ddeos/mutex.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>
#include <ddeos/timer.h>

#define MS		1000000ull
#define THREADS_MAX	32

struct counter {
	struct kmutex m;
	struct spinlock lock;
	volatile uint64_t value;
	unsigned int iterations;
	volatile uint64_t cpus;
};

/* Read, yield or spin, write: loses updates unless the lock excludes. */
static int mutex_worker(void *arg)
{
	struct counter *c = arg;

	for (unsigned int i = 0; i < c->iterations; i++) {
		kmutex_lock(&c->m);
		uint64_t v = c->value;

		if (i % 8 == 0)
			thread_yield();	/* sleepers queue up on the mutex */
		c->value = v + 1;
		__atomic_fetch_or(&c->cpus, 1ull << cpu_id(), __ATOMIC_RELAXED);
		kmutex_unlock(&c->m);
	}
	return 0;
}

static int spin_worker(void *arg)
{
	struct counter *c = arg;

	for (unsigned int i = 0; i < c->iterations; i++) {
		unsigned long f = spinlock_lock_irqsave(&c->lock);
		uint64_t v = c->value;

		for (int d = 0; d < 20; d++)
			arch_cpu_relax();
		c->value = v + 1;
		spinlock_unlock_irqrestore(&c->lock, f);
	}
	return 0;
}

static void run_workers(struct ddeos_ktest *t, int (*fn)(void *), struct counter *c,
			unsigned int per_cpu)
{
	unsigned int n = MIN(smp_cpus_online() * per_cpu, THREADS_MAX);
	struct thread *th[THREADS_MAX];

	for (unsigned int i = 0; i < n; i++) {
		struct thread_attr a = { .name = "worker", .prio = SCHED_PRIO_DEFAULT,
					 .cpu = (int)(i % smp_cpus_online()) };

		th[i] = thread_create(&a, fn, c);
		KTEST_ASSERT(t, th[i]);
	}
	for (unsigned int i = 0; i < n; i++)
		thread_join(th[i]);
	KTEST_EXPECT(t, c->value == (uint64_t)n * c->iterations,
		     "counter %llu, expected %llu", (unsigned long long)c->value,
		     (unsigned long long)n * c->iterations);
}

static void mutex_counter_all_cpus(struct ddeos_ktest *t)
{
	static struct counter c;

	kmutex_init(&c.m);
	c.value = 0;
	c.cpus = 0;
	c.iterations = 150;
	run_workers(t, mutex_worker, &c, 4);
	KTEST_EXPECT(t, c.cpus == (1ull << smp_cpus_online()) - 1,
		     "CPUs that held the mutex: %#llx", (unsigned long long)c.cpus);
}

static void spinlock_irqsave_counter_all_cpus(struct ddeos_ktest *t)
{
	static struct counter c;

	spinlock_init(&c.lock);
	c.value = 0;
	/*
	 * Few rounds, many threads: under TCG with more vCPUs than host cores,
	 * each hand-off of a fair lock may wait for the host to run the next
	 * ticket's vCPU, so rounds cost milliseconds; contention, not count,
	 * is what finds a broken lock.
	 */
	c.iterations = 100;
	run_workers(t, spin_worker, &c, 2);
}

struct sem_test {
	struct semaphore sem;
	int inside, max_inside;
	struct spinlock lock;
};

static int sem_worker(void *arg)
{
	struct sem_test *s = arg;

	for (int i = 0; i < 20; i++) {
		semaphore_down(&s->sem, 0);
		unsigned long f = spinlock_lock_irqsave(&s->lock);

		if (++s->inside > s->max_inside)
			s->max_inside = s->inside;
		spinlock_unlock_irqrestore(&s->lock, f);
		thread_sleep_ns(100000);
		f = spinlock_lock_irqsave(&s->lock);
		s->inside--;
		spinlock_unlock_irqrestore(&s->lock, f);
		semaphore_up(&s->sem);
	}
	return 0;
}

static void semaphore_bounds_concurrency(struct ddeos_ktest *t)
{
	static struct sem_test s;
	struct thread *th[6];

	semaphore_init(&s.sem, 2);
	spinlock_init(&s.lock);
	s.inside = s.max_inside = 0;
	for (int i = 0; i < 6; i++)
		th[i] = thread_create(NULL, sem_worker, &s);
	for (int i = 0; i < 6; i++) {
		KTEST_ASSERT(t, th[i]);
		thread_join(th[i]);
	}
	KTEST_EXPECT(t, s.max_inside == 2, "max holders %d", s.max_inside);
	KTEST_EXPECT(t, s.inside == 0 && s.sem.count == 2);
}

struct pingpong {
	struct semaphore ping, pong;
	int rounds;
};

static int ponger(void *arg)
{
	struct pingpong *p = arg;

	for (int i = 0; i < p->rounds; i++) {
		semaphore_down(&p->ping, 0);
		semaphore_up(&p->pong);
	}
	return 0;
}

/* Thousands of sleep/wake hand-offs between two CPUs: no lost wake-up. */
static void waitq_pingpong_no_lost_wakeup(struct ddeos_ktest *t)
{
	static struct pingpong p;
	struct thread_attr a = { .name = "ponger", .prio = SCHED_PRIO_DEFAULT,
				 .cpu = (int)smp_cpus_online() - 1 };
	struct thread *th;
	uint64_t deadline = clock_ns() + 20000 * MS;
	int done = 0;

	semaphore_init(&p.ping, 0);
	semaphore_init(&p.pong, 0);
	p.rounds = 500;
	thread_pin(0);
	th = thread_create(&a, ponger, &p);
	KTEST_ASSERT(t, th);
	for (; done < p.rounds; done++) {
		semaphore_up(&p.ping);
		if (semaphore_down(&p.pong, deadline))
			break;
	}
	thread_pin(CPU_ANY);
	KTEST_EXPECT(t, done == p.rounds, "stalled after %d rounds", done);
	if (done == p.rounds)
		thread_join(th);
}

static void complete_from_timer(struct timer *tm, void *arg)
{
	struct completion *c = arg;

	if (in_hardirq() && !arch_irqs_enabled())
		completion_signal(c);
}

static void completion_from_hard_irq(struct ddeos_ktest *t)
{
	struct completion c;
	struct timer tm;

	completion_init(&c);
	timer_init(&tm, complete_from_timer, &c);
	timer_arm(&tm, clock_ns() + 2 * MS, 0);
	KTEST_EXPECT(t, completion_wait(&c, clock_ns() + 2000 * MS) == 0,
		     "not completed (or not from hard-IRQ context)");
	timer_cancel_sync(&tm);
}

static void completion_times_out(struct ddeos_ktest *t)
{
	struct completion c;
	uint64_t t0 = clock_ns();
	int err;

	completion_init(&c);
	err = completion_wait(&c, t0 + 5 * MS);
	KTEST_EXPECT(t, err == -ETIMEDOUT, "returned %d", err);
	KTEST_EXPECT(t, clock_ns() - t0 >= 5 * MS, "returned early");
	completion_signal(&c);
	KTEST_EXPECT(t, completion_wait(&c, clock_ns() + 5 * MS) == 0);
}

static const struct ddeos_ktest_case sync_cases[] = {
	{ "mutex_counter_all_cpus", mutex_counter_all_cpus },
	{ "spinlock_irqsave_counter_all_cpus", spinlock_irqsave_counter_all_cpus },
	{ "semaphore_bounds_concurrency", semaphore_bounds_concurrency },
	{ "waitq_pingpong_no_lost_wakeup", waitq_pingpong_no_lost_wakeup },
	{ "completion_from_hard_irq", completion_from_hard_irq },
	{ "completion_times_out", completion_times_out },
};
KTEST_SUITE(sync, "sync", sync_cases);
