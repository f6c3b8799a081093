// SPDX-License-Identifier: GPL-2.0-only
/*
 * Linux's own sleeping and waking, compiled unmodified (wait queues,
 * simple wait queues, completions: linux/units/sched_wait.c) over the
 * DDE's schedule()/try_to_wake_up(): waits across CPUs, wake-ups from hard
 * IRQs, timeouts, complete_all(), and a ping-pong that loses a wake-up if
 * the sleep/wake protocol has a gap. Reported in KTAP.
 */
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/wait.h>
#include <dde/dde.h>

#define EXPECT(t, cond, ...)						\
	({								\
		bool __ok = (cond);					\
		if (!__ok) {						\
			char __m[160] = "";				\
			snprintf(__m, sizeof(__m), " " __VA_ARGS__);	\
			ddeos_ktest_fail(t, __FILE__, __LINE__, #cond, __m); \
		}							\
		__ok;							\
	})

/* Long enough never to expire on a loaded TCG host; a lost wake-up shows
 * as a timeout instead of a hang. */
#define PATIENCE	(60 * HZ)

static unsigned int other_cpu(void)
{
	return num_online_cpus() > 1 ? 1 : 0;
}

/* ---- a completion completed in hard IRQ on another CPU ------------------ */

static void complete_in_irq(void *arg)
{
	complete(arg);
}

static void completion_from_irq_on_other_cpu(struct ddeos_ktest *t)
{
	struct completion done;
	int i, timeouts = 0;

	for (i = 0; i < 200; i++) {
		init_completion(&done);
		ddeos_call_on_cpu(other_cpu(), complete_in_irq, &done);
		if (!wait_for_completion_timeout(&done, PATIENCE))
			timeouts++;
	}
	EXPECT(t, !timeouts, "%d waits timed out", timeouts);
	EXPECT(t, current->__state == TASK_RUNNING);
}

/* ---- ping-pong between threads on two CPUs -------------------------------- */

#define ROUNDS 2000

struct pingpong {
	struct completion ping, pong;
	int timeouts;
};

static int ponger(void *arg)
{
	struct pingpong *pp = arg;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		if (!wait_for_completion_timeout(&pp->ping, PATIENCE))
			pp->timeouts++;
		complete(&pp->pong);
	}
	return 0;
}

static void completion_ping_pong_across_cpus(struct ddeos_ktest *t)
{
	struct pingpong pp = { .timeouts = 0 };
	void *th;
	int i, timeouts = 0;

	init_completion(&pp.ping);
	init_completion(&pp.pong);
	th = ddeos_thread_create("pong", ponger, &pp, other_cpu(), 4);
	EXPECT(t, th);
	if (!th)
		return;
	ddeos_thread_pin(0);
	for (i = 0; i < ROUNDS; i++) {
		complete(&pp.ping);
		if (!wait_for_completion_timeout(&pp.pong, PATIENCE))
			timeouts++;
	}
	ddeos_thread_join(th);
	ddeos_thread_pin(-1);
	EXPECT(t, !timeouts && !pp.timeouts, "lost wake-ups: %d here, %d there",
	       timeouts, pp.timeouts);
}

/* ---- wait_event / wake_up with a condition ----------------------------------- */

struct waiter_arg {
	wait_queue_head_t *wq;
	int *flag;
	long left;
};

static int event_waiter(void *arg)
{
	struct waiter_arg *a = arg;

	a->left = wait_event_timeout(*a->wq, READ_ONCE(*a->flag), PATIENCE);
	return 0;
}

static void wait_event_woken_from_other_cpu(struct ddeos_ktest *t)
{
	DECLARE_WAIT_QUEUE_HEAD_ONSTACK(wq);
	struct waiter_arg args[4];
	void *th[4];
	int flag = 0, i;

	for (i = 0; i < 4; i++) {
		args[i] = (struct waiter_arg){ .wq = &wq, .flag = &flag, .left = -1 };
		th[i] = ddeos_thread_create("waiter", event_waiter, &args[i],
					    i % num_online_cpus(), 4);
	}
	/* The waiters queue up (or see the flag: either is right). */
	while (!waitqueue_active(&wq) && num_online_cpus() > 1)
		cpu_relax();
	WRITE_ONCE(flag, 1);
	wake_up_all(&wq);
	for (i = 0; i < 4; i++) {
		if (th[i])
			ddeos_thread_join(th[i]);
		EXPECT(t, args[i].left > 0, "waiter %d: %ld jiffies left", i, args[i].left);
	}
	EXPECT(t, !waitqueue_active(&wq), "a waiter is still queued");
}

/* ---- timeouts expire, and not early -------------------------------------------- */

static void timeouts_expire(struct ddeos_ktest *t)
{
	DECLARE_WAIT_QUEUE_HEAD_ONSTACK(wq);
	struct completion never;
	unsigned long long t0;
	unsigned long j0;
	long left;

	init_completion(&never);
	t0 = ddeos_clock_ns();
	j0 = jiffies;
	left = wait_for_completion_timeout(&never, 5);
	EXPECT(t, left == 0, "left %ld", left);
	EXPECT(t, ddeos_clock_ns() - t0 >= 5 * TICK_NSEC - TICK_NSEC,
	       "woke after %llu ns", ddeos_clock_ns() - t0);
	EXPECT(t, time_after_eq(jiffies, j0 + 4));

	t0 = ddeos_clock_ns();
	left = wait_event_timeout(wq, false, 3);
	EXPECT(t, left == 0 && ddeos_clock_ns() - t0 >= 2 * TICK_NSEC);

	t0 = ddeos_clock_ns();
	left = schedule_timeout_uninterruptible(4);
	EXPECT(t, left == 0 && ddeos_clock_ns() - t0 >= 3 * TICK_NSEC);
	EXPECT(t, current->__state == TASK_RUNNING);
}

/* ---- complete_all() releases every waiter, on every CPU --------------------------- */

static int completion_waiter(void *arg)
{
	return wait_for_completion_timeout(arg, PATIENCE) ? 0 : -ETIMEDOUT;
}

static void complete_all_releases_everyone(struct ddeos_ktest *t)
{
	unsigned int n = num_online_cpus() * 2, i;
	struct completion go;
	void *th[2 * NR_CPUS];
	int failed = 0;

	init_completion(&go);
	for (i = 0; i < n; i++)
		th[i] = ddeos_thread_create("all", completion_waiter, &go,
					    i % num_online_cpus(), 4);
	complete_all(&go);
	for (i = 0; i < n; i++)
		if (!th[i] || ddeos_thread_join(th[i]))
			failed++;
	EXPECT(t, !failed, "%d of %u waiters not released", failed, n);
	EXPECT(t, completion_done(&go) && try_wait_for_completion(&go));
}

/* ---- Linux's mutex, contended from every CPU -------------------------------- */

#define MUTEX_ROUNDS 300

struct mutex_arg {
	struct mutex *m;
	unsigned long *counter;
	atomic_t *inside;
	atomic_t *overlaps;
};

static int mutex_worker(void *arg)
{
	struct mutex_arg *a = arg;
	int i;

	for (i = 0; i < MUTEX_ROUNDS; i++) {
		mutex_lock(a->m);
		if (atomic_inc_return(a->inside) != 1)
			atomic_inc(a->overlaps);
		/* A read-modify-write that loses updates without exclusion;
		 * sleeping inside makes the lock's sleepers queue up. */
		WRITE_ONCE(*a->counter, READ_ONCE(*a->counter) + 1);
		if (i % 50 == 0)
			schedule_timeout_uninterruptible(1);
		atomic_dec(a->inside);
		mutex_unlock(a->m);
	}
	return 0;
}

static void mutex_contended_from_every_cpu(struct ddeos_ktest *t)
{
	unsigned int n = 2 * num_online_cpus(), i;
	static struct mutex_arg args[2 * NR_CPUS];
	void *th[2 * NR_CPUS];
	unsigned long counter = 0;
	atomic_t inside = ATOMIC_INIT(0), overlaps = ATOMIC_INIT(0);
	DEFINE_MUTEX(m);

	for (i = 0; i < n; i++) {
		args[i] = (struct mutex_arg){ &m, &counter, &inside, &overlaps };
		th[i] = ddeos_thread_create("mutex", mutex_worker, &args[i],
					    i % num_online_cpus(), 4);
	}
	for (i = 0; i < n; i++)
		if (th[i])
			ddeos_thread_join(th[i]);
	EXPECT(t, counter == n * MUTEX_ROUNDS, "counter %lu, want %u", counter,
	       n * MUTEX_ROUNDS);
	EXPECT(t, !atomic_read(&overlaps), "%d times two holders", atomic_read(&overlaps));
	EXPECT(t, !mutex_is_locked(&m));
	EXPECT(t, mutex_trylock(&m) && mutex_is_locked(&m) && !mutex_trylock(&m));
	mutex_unlock(&m);
	EXPECT(t, mutex_lock_interruptible(&m) == 0);
	mutex_unlock(&m);
}

static const struct ddeos_ktest_case linux_sched_cases[] = {
	{ "completion_from_irq_on_other_cpu", completion_from_irq_on_other_cpu },
	{ "completion_ping_pong_across_cpus", completion_ping_pong_across_cpus },
	{ "wait_event_woken_from_other_cpu", wait_event_woken_from_other_cpu },
	{ "timeouts_expire", timeouts_expire },
	{ "complete_all_releases_everyone", complete_all_releases_everyone },
	{ "mutex_contended_from_every_cpu", mutex_contended_from_every_cpu },
};

static const struct ddeos_ktest_suite linux_sched_suite
	__section(DDEOS_KTEST_SECTION) __used __aligned(8) = {
	.name = "linux_sched",
	.cases = linux_sched_cases,
	.nr_cases = ARRAY_SIZE(linux_sched_cases),
};
