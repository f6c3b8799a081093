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
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/rcupdate.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/delay.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/wait.h>
#include <dde/dde.h>
#include <dde/task.h>
#include "linux_ktest.h"

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

/*
 * Linux promises a timeout of N jiffies at least N ticks of jiffies, which
 * is what is checked. In wall time it is as good as the ticks: when the
 * host starves QEMU's timer, jiffies lags the clock and then catches up in
 * one step (on Linux as here), so a timeout armed during the lag ends early
 * by it. That is why no wall-clock bound is asserted.
 */
static void timeouts_expire(struct ddeos_ktest *t)
{
	DECLARE_WAIT_QUEUE_HEAD_ONSTACK(wq);
	struct completion never;
	unsigned long j0;
	long left;

	init_completion(&never);
	j0 = jiffies;
	left = wait_for_completion_timeout(&never, 5);
	EXPECT(t, left == 0, "left %ld", left);
	EXPECT(t, time_after_eq(jiffies, j0 + 5), "woke after %lu jiffies", jiffies - j0);

	j0 = jiffies;
	left = wait_event_timeout(wq, false, 3);
	EXPECT(t, left == 0 && time_after_eq(jiffies, j0 + 3), "left %ld after %lu",
	       left, jiffies - j0);

	j0 = jiffies;
	left = schedule_timeout_uninterruptible(4);
	EXPECT(t, left == 0 && time_after_eq(jiffies, j0 + 4));
	EXPECT(t, current->__state == TASK_RUNNING);

	j0 = jiffies;
	msleep(20);	/* Linux's msleep: 20 ms = 5 jiffies, plus one */
	EXPECT(t, time_after_eq(jiffies, j0 + 5), "msleep(20) took %lu jiffies", jiffies - j0);
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

/* ---- kthreads: created asleep, run when woken, stopped with a result -------- */

struct kt_arg {
	atomic_t loops;
	int ran_on, after_rcu;
	bool started;
};

static int kt_loop(void *arg)
{
	struct kt_arg *a = arg;

	WRITE_ONCE(a->started, true);
	a->ran_on = raw_smp_processor_id();
	synchronize_rcu();	/* visits every CPU, then back where bound */
	a->after_rcu = raw_smp_processor_id();
	while (!kthread_should_stop()) {
		atomic_inc(&a->loops);
		schedule_timeout_interruptible(1);
	}
	return 42;
}

struct kt_exit_arg {
	struct completion done;
	bool after_exit;	/* must stay false: nothing runs after the exit */
};

static noinline void kt_exit_deep(struct kt_exit_arg *e)
{
	kthread_complete_and_exit(&e->done, 7);
}

static int kt_exit_fn(void *arg)
{
	struct kt_exit_arg *e = arg;

	kt_exit_deep(e);	/* ends the thread from a nested frame */
	WRITE_ONCE(e->after_exit, true);
	return 1;
}

static bool reaped_and_released(struct task_struct *k)
{
	return READ_ONCE(to_dde_task(k)->reaped) && refcount_read(&k->usage) == 1;
}

/*
 * Wait until @k's thread is reaped, its task alive for our reference.
 * The reaper sets ->reaped before it drops the thread's own reference
 * (task_destroy()), so wait for both, not for the flag alone.
 */
static bool reaped_but_held(struct task_struct *k, const char *comm)
{
	unsigned long end = jiffies + PATIENCE;

	while (!reaped_and_released(k) && time_before(jiffies, end))
		schedule_timeout_uninterruptible(1);
	return reaped_and_released(k) && !strcmp(k->comm, comm);
}

/*
 * kthread_complete_and_exit() (KUnit's try-catch ends every case with it):
 * the completion comes first, the thread ends where it is called, and
 * kthread_stop() returns its code, not the function's.
 */
static void kthread_complete_and_exit_ends_thread(struct ddeos_ktest *t)
{
	struct kt_exit_arg e = { .after_exit = false };
	struct task_struct *k;
	int ret;

	init_completion(&e.done);
	k = kthread_create(kt_exit_fn, &e, "kt-exit");
	EXPECT(t, !IS_ERR(k));
	if (IS_ERR(k))
		return;
	/* Linux's rule for a kthread that may exit on its own: hold the task
	 * across kthread_stop() (KUnit's try-catch does the same). */
	get_task_struct(k);
	wake_up_process(k);
	wait_for_completion(&e.done);
	ret = kthread_stop(k);	/* waits for the thread's end */
	EXPECT(t, ret == 7, "kthread_stop returned %d, expected the exit code 7", ret);
	EXPECT(t, !READ_ONCE(e.after_exit), "the kthread ran on after kthread_exit()");
	/* The thread is reaped; the task stays for our reference alone. */
	EXPECT(t, reaped_but_held(k, "kt-exit"), "after kthread_stop: usage %u",
	       refcount_read(&k->usage));
	put_task_struct(k);

	/* Nobody stops it: the thread is reaped all the same (Linux reaps
	 * every kthread that ends; KUnit never stops its case threads). */
	e.after_exit = false;
	reinit_completion(&e.done);
	k = kthread_create(kt_exit_fn, &e, "kt-exit2");
	if (!EXPECT(t, !IS_ERR(k)))
		return;
	/* Held before it runs, to look at it after its end: with
	 * kthread_run() it could end and be freed before our get. */
	get_task_struct(k);
	wake_up_process(k);
	wait_for_completion(&e.done);
	EXPECT(t, reaped_but_held(k, "kt-exit2"), "never reaped: reaped %d, usage %u",
	       READ_ONCE(to_dde_task(k)->reaped), refcount_read(&k->usage));
	put_task_struct(k);
}

static void kthread_run_bind_and_stop(struct ddeos_ktest *t)
{
	unsigned int cpu = num_online_cpus() - 1;
	struct kt_arg a = { .ran_on = -1, .after_rcu = -1 }, b = { .ran_on = -1 };
	struct kt_arg c = { .ran_on = -1, .after_rcu = -1 };
	struct task_struct *k;
	int ret;

	/* Created, not woken: it must not run; stopping it gives -EINTR. */
	k = kthread_create(kt_loop, &b, "kt-%s", "idle");
	EXPECT(t, !IS_ERR(k) && !strcmp(k->comm, "kt-idle"));
	if (IS_ERR(k))
		return;
	EXPECT(t, READ_ONCE(k->__state) == TASK_UNINTERRUPTIBLE);
	ret = kthread_stop(k);
	EXPECT(t, ret == -EINTR && !READ_ONCE(b.started), "ret %d, started %d", ret, b.started);

	/* Bound to the last CPU, run, looping until stopped. */
	k = kthread_create_on_cpu(kt_loop, &a, cpu, "kt/%u");
	EXPECT(t, !IS_ERR(k));
	if (IS_ERR(k))
		return;
	EXPECT(t, task_cpu(k) == cpu && k->nr_cpus_allowed == 1);
	wake_up_process(k);
	while (atomic_read(&a.loops) < 3)	/* it runs, and sleeps between */
		schedule_timeout_uninterruptible(1);
	ret = kthread_stop(k);
	EXPECT(t, ret == 42, "kthread_stop returned %d", ret);
	EXPECT(t, a.ran_on == cpu, "ran on cpu %d, bound to %u", a.ran_on, cpu);
	EXPECT(t, a.after_rcu == cpu, "on cpu %d after synchronize_rcu, bound to %u",
	       a.after_rcu, cpu);

	/* Bound to CPU 0: synchronize_rcu() visits every CPU, the last one
	 * last, and must bring it back. */
	k = kthread_create_on_cpu(kt_loop, &c, 0, "kt/%u");
	EXPECT(t, !IS_ERR(k));
	if (IS_ERR(k))
		return;
	wake_up_process(k);
	while (atomic_read(&c.loops) < 1)
		schedule_timeout_uninterruptible(1);
	EXPECT(t, kthread_stop(k) == 42);
	EXPECT(t, c.ran_on == 0 && c.after_rcu == 0,
	       "bound to cpu 0: ran on %d, on %d after synchronize_rcu", c.ran_on, c.after_rcu);
}

/* ---- softirqs: Linux's kernel/softirq.c on the IRQ exit and ksoftirqd -------- */

struct tl_arg {
	struct tasklet_struct tl;
	int ran, cpu, in_softirq, on_irq_stack, in_ksoftirqd, again;
};

static bool on_irq_stack(void)
{
	unsigned long sp = (unsigned long)__builtin_frame_address(0);
	unsigned long top = (unsigned long)this_cpu_read(hardirq_stack_ptr) + 8;

	return sp < top && sp >= top - THREAD_SIZE;
}

static void tl_fn(struct tasklet_struct *tl)
{
	struct tl_arg *a = from_tasklet(a, tl, tl);

	a->cpu = raw_smp_processor_id();
	a->in_softirq += in_serving_softirq() && !in_hardirq();
	a->on_irq_stack += on_irq_stack();
	a->in_ksoftirqd += !strncmp(current->comm, "ksoftirqd/", 10);
	if (a->again && --a->again)
		tasklet_schedule(tl);	/* comes back: ksoftirqd takes over */
	smp_store_release(&a->ran, a->ran + 1);
}

static void schedule_in_irq(void *arg)
{
	tasklet_schedule(arg);
}

static bool wait_ran(struct tl_arg *a, int n)
{
	unsigned long long t0 = ddeos_clock_ns();

	while (smp_load_acquire(&a->ran) < n)
		if (ddeos_clock_ns() - t0 > 30ull * NSEC_PER_SEC)
			return false;
	return true;
}

static void softirq_raised_in_irq_runs_at_its_exit(struct ddeos_ktest *t)
{
	unsigned int cpu = other_cpu();
	struct tl_arg a = {};

	tasklet_setup(&a.tl, tl_fn);
	ddeos_call_on_cpu(cpu, schedule_in_irq, &a.tl);
	EXPECT(t, wait_ran(&a, 1), "the tasklet never ran");
	EXPECT(t, a.cpu == cpu && a.in_softirq == 1, "cpu %d, softirq %d", a.cpu, a.in_softirq);
	EXPECT(t, a.on_irq_stack == 1 || a.in_ksoftirqd == 1,
	       "neither on the IRQ stack nor in ksoftirqd");
	tasklet_kill(&a.tl);
}

static void bh_disable_defers_softirq(struct ddeos_ktest *t)
{
	unsigned long long t0;
	struct tl_arg a = {};
	int ran_inside;

	tasklet_setup(&a.tl, tl_fn);
	ddeos_thread_pin(0);
	local_bh_disable();
	tasklet_schedule(&a.tl);
	t0 = ddeos_clock_ns();
	while (ddeos_clock_ns() - t0 < 3 * TICK_NSEC)	/* ticks, IRQ exits */
		cpu_relax();
	ran_inside = READ_ONCE(a.ran);
	local_bh_enable();	/* runs it, here (do_softirq) */
	EXPECT(t, !ran_inside, "ran while bottom halves were off");
	EXPECT(t, READ_ONCE(a.ran) == 1 && a.cpu == 0 && a.in_softirq == 1,
	       "ran %d on cpu %d", a.ran, a.cpu);
	EXPECT(t, a.on_irq_stack == 1, "not on the IRQ stack (do_softirq_own_stack)");
	ddeos_thread_pin(-1);
	tasklet_kill(&a.tl);
}

static void softirq_storm_goes_to_ksoftirqd(struct ddeos_ktest *t)
{
	struct tl_arg a = { .again = 200 };

	tasklet_setup(&a.tl, tl_fn);
	ddeos_call_on_cpu(other_cpu(), schedule_in_irq, &a.tl);
	EXPECT(t, wait_ran(&a, 200), "ran %d of 200 times", READ_ONCE(a.ran));
	EXPECT(t, a.in_softirq == 200);
	EXPECT(t, a.in_ksoftirqd > 0, "ksoftirqd never took over (%d of 200)", a.in_ksoftirqd);
	tasklet_kill(&a.tl);
}

/* ---- timer_list: Linux's wheel, fired in TIMER_SOFTIRQ on the arming CPU ------ */

struct tm_arg {
	struct timer_list tm;
	unsigned long armed_at;
	unsigned long fired_at;
	int cpu, fired, in_softirq;
	volatile bool hold;		/* keep the callback running */
	volatile bool running;
	volatile bool released;
};

static void tm_fn(struct timer_list *tm)
{
	struct tm_arg *a = from_timer(a, tm, tm);

	a->fired_at = jiffies;
	a->cpu = raw_smp_processor_id();
	a->in_softirq = in_serving_softirq();
	WRITE_ONCE(a->running, true);
	while (READ_ONCE(a->hold))
		cpu_relax();
	smp_store_release(&a->fired, a->fired + 1);
	WRITE_ONCE(a->running, false);
}

static void arm_here(void *arg)
{
	struct tm_arg *a = arg;

	a->armed_at = jiffies;
	mod_timer(&a->tm, jiffies + 5);
}

static void timer_fires_on_arming_cpu(struct ddeos_ktest *t)
{
	unsigned int cpu = other_cpu();
	unsigned long long t0 = ddeos_clock_ns();
	struct tm_arg a = {};

	timer_setup(&a.tm, tm_fn, 0);
	ddeos_call_on_cpu(cpu, arm_here, &a);
	EXPECT(t, timer_pending(&a.tm) || smp_load_acquire(&a.fired));
	while (!smp_load_acquire(&a.fired) && ddeos_clock_ns() - t0 < 30ull * NSEC_PER_SEC)
		cpu_relax();
	EXPECT(t, a.fired == 1, "fired %d times", a.fired);
	EXPECT(t, a.cpu == cpu && a.in_softirq, "cpu %d, softirq %d", a.cpu, a.in_softirq);
	EXPECT(t, time_after_eq(a.fired_at, a.armed_at + 5), "fired at +%ld jiffies",
	       (long)(a.fired_at - a.armed_at));
	EXPECT(t, !timer_pending(&a.tm));

	/* Deleted before it is due: never fires. */
	mod_timer(&a.tm, jiffies + 100);
	EXPECT(t, timer_pending(&a.tm) && del_timer(&a.tm) && !timer_pending(&a.tm));
	msleep(20);
	EXPECT(t, a.fired == 1, "a deleted timer fired");
}

static int release_later(void *arg)
{
	struct tm_arg *a = arg;

	msleep(20);
	WRITE_ONCE(a->released, true);
	WRITE_ONCE(a->hold, false);
	return 0;
}

/*
 * The deleter runs bound to CPU 0 and the timer on CPU 1: a timer callback
 * that holds on in softirq stops everything else on its CPU, so the test
 * thread (free to run on any CPU) must not be the one that spins on its
 * end, nor the one the release depends on.
 */
struct del_sync_arg {
	struct tm_arg a;
	bool started, running_after, released_after;
	int fired_after;
};

static int del_sync_on_cpu0(void *arg)
{
	struct del_sync_arg *d = arg;
	unsigned long long t0 = ddeos_clock_ns();
	void *th;

	ddeos_call_on_cpu(1, arm_here, &d->a);
	while (!READ_ONCE(d->a.running) && ddeos_clock_ns() - t0 < 30ull * NSEC_PER_SEC)
		cpu_relax();
	d->started = READ_ONCE(d->a.running);
	/* It runs on CPU 1 and holds on until a thread here lets it go 20 ms
	 * from now; del_timer_sync() must not return before it ends. */
	th = ddeos_thread_create("release", release_later, &d->a, 0, 4);
	if (!th)
		WRITE_ONCE(d->a.hold, false);
	del_timer_sync(&d->a.tm);
	d->running_after = READ_ONCE(d->a.running);
	d->fired_after = smp_load_acquire(&d->a.fired);
	d->released_after = READ_ONCE(d->a.released);
	if (th)
		ddeos_thread_join(th);
	return th ? 0 : -ENOMEM;
}

static void del_timer_sync_waits_for_running_timer(struct ddeos_ktest *t)
{
	struct del_sync_arg d = { .a = { .hold = true } };
	void *th;

	if (num_online_cpus() < 2) {
		t->skip = "needs a second CPU to run the timer";
		return;
	}
	timer_setup(&d.a.tm, tm_fn, 0);
	th = ddeos_thread_create("deleter", del_sync_on_cpu0, &d, 0, 4);
	EXPECT(t, th);
	if (!th)
		return;
	EXPECT(t, ddeos_thread_join(th) == 0, "no memory for the release thread");
	EXPECT(t, d.started, "the timer never started");
	EXPECT(t, !d.running_after && d.fired_after == 1,
	       "del_timer_sync returned while the callback ran");
	EXPECT(t, d.released_after, "returned before the release");
	EXPECT(t, !timer_pending(&d.a.tm));
}

/* ---- RCU: grace periods wait for preempted readers; callbacks run after ------ */

struct rcu_test {
	volatile bool inside, release, hog_stop, synced;
	struct task_struct *reader;
};

static int rcu_reader(void *arg)
{
	struct rcu_test *r = arg;

	rcu_read_lock();
	r->reader = current;
	WRITE_ONCE(r->inside, true);
	while (!READ_ONCE(r->release))
		cpu_relax();	/* preemptible: the hog takes the CPU */
	rcu_read_unlock();
	return 0;
}

static int rcu_hog(void *arg)
{
	struct rcu_test *r = arg;

	while (!READ_ONCE(r->hog_stop))
		cpu_relax();
	return 0;
}

static int rcu_syncer(void *arg)
{
	struct rcu_test *r = arg;

	synchronize_rcu();
	WRITE_ONCE(r->synced, true);
	return 0;
}

static void synchronize_rcu_waits_for_preempted_reader(struct ddeos_ktest *t)
{
	struct rcu_test r = {};
	unsigned long long t0;
	void *reader, *hog, *syncer;
	bool preempted, early;

	if (num_online_cpus() < 2) {
		t->skip = "needs a second CPU for the reader";
		return;
	}
	reader = ddeos_thread_create("rcu-reader", rcu_reader, &r, 1, 4);
	while (!READ_ONCE(r.inside))
		cpu_relax();
	hog = ddeos_thread_create("rcu-hog", rcu_hog, &r, 1, 1);	/* preempts it */
	t0 = ddeos_clock_ns();
	while (READ_ONCE(r.reader->on_cpu) && ddeos_clock_ns() - t0 < 30ull * NSEC_PER_SEC)
		cpu_relax();
	preempted = !READ_ONCE(r.reader->on_cpu);
	/* The hog goes; the reader, preempted inside its section, runs on.
	 * Nothing but the reader can hold the grace period up now: the
	 * updater can visit CPU 1 between the reader's time slices. */
	WRITE_ONCE(r.hog_stop, true);
	ddeos_thread_join(hog);
	syncer = ddeos_thread_create("rcu-sync", rcu_syncer, &r, 0, 4);
	msleep(40);		/* the grace period must still be waiting */
	early = READ_ONCE(r.synced);
	WRITE_ONCE(r.release, true);
	ddeos_thread_join(syncer);
	ddeos_thread_join(reader);
	EXPECT(t, preempted, "the reader was never off its CPU");
	EXPECT(t, !early, "synchronize_rcu() returned with a reader inside");
	EXPECT(t, READ_ONCE(r.synced));
}

struct rcu_obj {
	int value;
	struct rcu_head rcu;
};

static atomic_t rcu_cb_runs;
static unsigned long rcu_cb_gp;

static void rcu_obj_cb(struct rcu_head *head)
{
	struct rcu_obj *o = container_of(head, struct rcu_obj, rcu);

	WRITE_ONCE(rcu_cb_gp, dde_rcu_grace_periods());
	atomic_inc(&rcu_cb_runs);
	kfree(o);
}

static void call_rcu_and_kfree_rcu_after_grace_period(struct ddeos_ktest *t)
{
	struct ddeos_mem_totals m0, m1;
	unsigned long gp0;
	int i;

	ddeos_mem_quiesce(&m0);
	atomic_set(&rcu_cb_runs, 0);
	gp0 = dde_rcu_grace_periods();
	for (i = 0; i < 50; i++) {
		struct rcu_obj *o = kmalloc(sizeof(*o), GFP_KERNEL);

		if (!o)
			continue;
		if (i & 1)
			call_rcu(&o->rcu, rcu_obj_cb);
		else
			kfree_rcu(o, rcu);
	}
	rcu_barrier();		/* every one of them has run */
	EXPECT(t, atomic_read(&rcu_cb_runs) == 25, "%d callbacks ran",
	       atomic_read(&rcu_cb_runs));
	EXPECT(t, rcu_cb_gp > gp0, "a callback ran before any grace period ended");
	ddeos_mem_quiesce(&m1);
	EXPECT(t, m1.objects_in_use == m0.objects_in_use,
	       "objects in use %lu, before %lu", m1.objects_in_use, m0.objects_in_use);
}

/* ---- need_resched() sees a pending switch -------------------------------- */

static int resched_fn(void *arg)
{
	complete(arg);
	return 0;
}

/*
 * A thread of equal priority made ready on this CPU while preemption is
 * off: the tick marks the switch pending once the slice is over, and
 * Linux's need_resched() (the task's TIF_NEED_RESCHED) must say so; the
 * switch happens at preempt_enable().
 */
static void need_resched_reports_pending_switch(struct ddeos_ktest *t)
{
	unsigned long end = jiffies + PATIENCE;
	struct completion ran;
	struct task_struct *k;
	bool seen, ran_early;

	init_completion(&ran);
	k = kthread_create(resched_fn, &ran, "ktest-resched");
	if (!EXPECT(t, !IS_ERR(k)))
		return;
	preempt_disable();
	kthread_bind(k, smp_processor_id());
	wake_up_process(k);
	while (!need_resched() && time_before(jiffies, end))
		cpu_relax();
	seen = need_resched();
	ran_early = completion_done(&ran);
	preempt_enable();		/* the switch happens here */
	EXPECT(t, seen, "no switch pending after %d jiffies", PATIENCE);
	EXPECT(t, !ran_early, "a thread ran on a CPU with preemption off");
	EXPECT(t, wait_for_completion_timeout(&ran, PATIENCE));
	EXPECT(t, !test_tsk_need_resched(current), "still pending after the switch");
	kthread_stop(k);
}

/* ---- kthread_park() / kthread_unpark() ------------------------------------ */

struct parker {
	atomic_t loops;
	atomic_t parks;
};

static int parker_fn(void *arg)
{
	struct parker *pk = arg;

	while (!kthread_should_stop()) {
		if (kthread_should_park()) {
			atomic_inc(&pk->parks);
			kthread_parkme();
			continue;
		}
		atomic_inc(&pk->loops);
		schedule_timeout_uninterruptible(1);
	}
	return 0;
}

/*
 * A parked kthread runs no more of its loop until unparked, however long
 * we look (woken by wake_up_process() too: TASK_PARKED ignores it); it
 * resumes after kthread_unpark(), and kthread_stop() ends it even while
 * parked. Parking before the first run parks before the function starts.
 */
static void kthread_park_unpark_stop(struct ddeos_ktest *t)
{
	struct parker pk = { .loops = ATOMIC_INIT(0), .parks = ATOMIC_INIT(0) };
	unsigned long end = jiffies + PATIENCE;
	struct task_struct *k;
	int frozen, i;

	k = kthread_run(parker_fn, &pk, "ktest-parker");
	if (!EXPECT(t, !IS_ERR(k)))
		return;
	while (atomic_read(&pk.loops) < 3 && time_before(jiffies, end))
		schedule_timeout_uninterruptible(1);
	EXPECT(t, !kthread_park(k));
	EXPECT(t, k->__state == TASK_PARKED, "state %#x", k->__state);
	frozen = atomic_read(&pk.loops);
	for (i = 0; i < 5; i++) {
		wake_up_process(k);		/* must not unpark it */
		schedule_timeout_uninterruptible(1);
	}
	EXPECT(t, atomic_read(&pk.loops) == frozen, "ran %d loops while parked",
	       atomic_read(&pk.loops) - frozen);
	kthread_unpark(k);
	while (atomic_read(&pk.loops) < frozen + 2 && time_before(jiffies, end))
		schedule_timeout_uninterruptible(1);
	EXPECT(t, atomic_read(&pk.loops) >= frozen + 2, "did not resume");
	EXPECT(t, !kthread_park(k));
	EXPECT(t, kthread_stop(k) == 0, "stop of a parked kthread");
	EXPECT(t, atomic_read(&pk.parks) == 2, "parked %d times", atomic_read(&pk.parks));

	/* Parked before its first run: the function has not started. */
	pk = (struct parker){ .loops = ATOMIC_INIT(0), .parks = ATOMIC_INIT(0) };
	k = kthread_create(parker_fn, &pk, "ktest-parker2");
	if (!EXPECT(t, !IS_ERR(k)))
		return;
	EXPECT(t, !kthread_park(k));
	EXPECT(t, atomic_read(&pk.loops) == 0 && atomic_read(&pk.parks) == 0);
	kthread_unpark(k);
	while (!atomic_read(&pk.loops) && time_before(jiffies, end))
		schedule_timeout_uninterruptible(1);
	EXPECT(t, atomic_read(&pk.loops) > 0, "did not start after unpark");
	kthread_stop(k);
}

static const struct ddeos_ktest_case linux_sched_cases[] = {
	{ "completion_from_irq_on_other_cpu", completion_from_irq_on_other_cpu },
	{ "completion_ping_pong_across_cpus", completion_ping_pong_across_cpus },
	{ "wait_event_woken_from_other_cpu", wait_event_woken_from_other_cpu },
	{ "timeouts_expire", timeouts_expire },
	{ "complete_all_releases_everyone", complete_all_releases_everyone },
	{ "mutex_contended_from_every_cpu", mutex_contended_from_every_cpu },
	{ "kthread_run_bind_and_stop", kthread_run_bind_and_stop },
	{ "kthread_complete_and_exit_ends_thread", kthread_complete_and_exit_ends_thread },
	{ "need_resched_reports_pending_switch", need_resched_reports_pending_switch },
	{ "kthread_park_unpark_stop", kthread_park_unpark_stop },
	{ "softirq_raised_in_irq_runs_at_its_exit", softirq_raised_in_irq_runs_at_its_exit },
	{ "bh_disable_defers_softirq", bh_disable_defers_softirq },
	{ "softirq_storm_goes_to_ksoftirqd", softirq_storm_goes_to_ksoftirqd },
	{ "timer_fires_on_arming_cpu", timer_fires_on_arming_cpu },
	{ "del_timer_sync_waits_for_running_timer", del_timer_sync_waits_for_running_timer },
	{ "synchronize_rcu_waits_for_preempted_reader", synchronize_rcu_waits_for_preempted_reader },
	{ "call_rcu_and_kfree_rcu_after_grace_period", call_rcu_and_kfree_rcu_after_grace_period },
};

LINUX_KTEST_SUITE(linux_sched, linux_sched_cases);
