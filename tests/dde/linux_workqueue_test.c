// SPDX-License-Identifier: GPL-2.0-only
/*
 * Linux's own workqueues (kernel/workqueue.c, compiled unmodified) over the
 * DDE's kthreads, schedule() hooks and timers: work runs in a kworker on
 * the CPU it was queued on, ordered queues keep order one at a time,
 * flush and cancel wait for a running item, cancelled items never run,
 * delayed work waits its delay, destroy drains. Reported in KTAP.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/sched/task.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/workqueue.h>
#include <dde/dde.h>
#include "linux_ktest.h"

/* Long enough never to expire on a loaded TCG host. */
#define PATIENCE	(60 * HZ)

/* ---- work runs in a kworker on the queueing CPU ------------------------- */

struct where {
	struct work_struct work;
	int cpu;
	bool in_worker, may_sleep;
	struct completion done;
};

static void where_fn(struct work_struct *w)
{
	struct where *wh = container_of(w, struct where, work);

	wh->cpu = raw_smp_processor_id();
	wh->in_worker = current->flags & PF_WQ_WORKER;
	wh->may_sleep = preemptible() && !in_interrupt();
	msleep(1);		/* a worker may sleep */
	complete(&wh->done);
}

static void work_runs_in_kworker_on_each_cpu(struct ddeos_ktest *t)
{
	struct where wh;
	int cpu;

	for_each_online_cpu(cpu) {
		wh = (struct where){ .cpu = -1 };
		INIT_WORK_ONSTACK(&wh.work, where_fn);
		init_completion(&wh.done);
		EXPECT(t, queue_work_on(cpu, system_wq, &wh.work));
		EXPECT(t, wait_for_completion_timeout(&wh.done, PATIENCE));
		flush_work(&wh.work);
		destroy_work_on_stack(&wh.work);
		EXPECT(t, wh.cpu == cpu, "queued on CPU %d, ran on %d", cpu, wh.cpu);
		EXPECT(t, wh.in_worker, "not run by a kworker");
		EXPECT(t, wh.may_sleep, "run in atomic context");
	}
}

/* ---- an ordered queue: one at a time, in order --------------------------- */

#define ORDERED_ITEMS	64

struct ordered {
	struct work_struct work[ORDERED_ITEMS];
	atomic_t running;
	int max_running, next, out_of_order;
};

static struct ordered *ord;

static void ordered_fn(struct work_struct *w)
{
	int i = w - ord->work, now;

	now = atomic_inc_return(&ord->running);
	if (now > ord->max_running)
		ord->max_running = now;
	if (i != ord->next)
		ord->out_of_order++;
	ord->next = i + 1;
	if (i % 8 == 0)
		cond_resched();
	atomic_dec(&ord->running);
}

static void ordered_queue_keeps_order(struct ddeos_ktest *t)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("ktest-ordered", 0);
	struct ordered *o = kzalloc(sizeof(*o), GFP_KERNEL);
	int i;

	ord = o;

	if (!EXPECT(t, wq && o))
		goto out;
	for (i = 0; i < ORDERED_ITEMS; i++) {
		INIT_WORK(&o->work[i], ordered_fn);
		EXPECT(t, queue_work(wq, &o->work[i]));
	}
	flush_workqueue(wq);
	EXPECT(t, o->next == ORDERED_ITEMS, "%d of %d ran", o->next, ORDERED_ITEMS);
	EXPECT(t, o->out_of_order == 0, "%d out of order", o->out_of_order);
	EXPECT(t, o->max_running == 1, "%d ran at once", o->max_running);
out:
	if (wq)
		destroy_workqueue(wq);
	kfree(o);
}

/* ---- flush_work and cancel_work_sync wait for a running item ------------- */

struct gate {
	struct work_struct work;
	struct completion running, go;
	bool done;
	int runs;
};

static void gate_fn(struct work_struct *w)
{
	struct gate *g = container_of(w, struct gate, work);

	g->runs++;
	complete(&g->running);
	wait_for_completion(&g->go);
	WRITE_ONCE(g->done, true);
}

/* Opens the gate a little later, so that a wait that does not wait
 * returns before the item is done. */
static int opener(void *arg)
{
	struct gate *g = arg;

	schedule_timeout_uninterruptible(2);
	complete(&g->go);
	return 0;
}

static void gate_init(struct gate *g)
{
	*g = (struct gate){ .runs = 0 };
	INIT_WORK_ONSTACK(&g->work, gate_fn);
	init_completion(&g->running);
	init_completion(&g->go);
}

static void flush_and_cancel_wait_for_running_item(struct ddeos_ktest *t)
{
	struct task_struct *k;
	struct gate g;
	int cancel;

	for (cancel = 0; cancel <= 1; cancel++) {
		gate_init(&g);
		queue_work(system_unbound_wq, &g.work);
		EXPECT(t, wait_for_completion_timeout(&g.running, PATIENCE));
		/* It may end before kthread_stop(): hold the task (Linux's rule). */
		k = kthread_create(opener, &g, "ktest-opener");
		if (!EXPECT(t, !IS_ERR(k))) {
			complete(&g.go);
		} else {
			get_task_struct(k);
			wake_up_process(k);
		}
		if (cancel)
			/* Running, not pending: nothing was cancelled. */
			EXPECT(t, !cancel_work_sync(&g.work));
		else
			EXPECT(t, flush_work(&g.work));
		EXPECT(t, READ_ONCE(g.done), "%s returned before the item finished",
		       cancel ? "cancel_work_sync" : "flush_work");
		EXPECT(t, !flush_work(&g.work), "flushed an idle item");
		EXPECT(t, g.runs == 1);
		if (!IS_ERR(k)) {
			kthread_stop(k);
			put_task_struct(k);
		}
		destroy_work_on_stack(&g.work);
	}
}

/* ---- a cancelled pending item never runs --------------------------------- */

struct counted {
	struct work_struct work;
	struct delayed_work dwork;
	atomic_t runs;
};

static void counted_fn(struct work_struct *w)
{
	atomic_inc(&container_of(w, struct counted, work)->runs);
}

static void counted_dfn(struct work_struct *w)
{
	atomic_inc(&container_of(to_delayed_work(w), struct counted, dwork)->runs);
}

static void cancelled_pending_work_never_runs(struct ddeos_ktest *t)
{
	struct workqueue_struct *wq = alloc_ordered_workqueue("ktest-cancel", 0);
	struct counted c = { .runs = ATOMIC_INIT(0) };
	struct gate g;

	if (!EXPECT(t, wq))
		return;
	/* The gate holds the ordered queue, so the next item stays pending. */
	gate_init(&g);
	INIT_WORK_ONSTACK(&c.work, counted_fn);
	INIT_DELAYED_WORK_ONSTACK(&c.dwork, counted_dfn);
	queue_work(wq, &g.work);
	EXPECT(t, wait_for_completion_timeout(&g.running, PATIENCE));
	EXPECT(t, queue_work(wq, &c.work));
	EXPECT(t, !queue_work(wq, &c.work), "queued twice while pending");
	EXPECT(t, work_pending(&c.work));
	EXPECT(t, cancel_work_sync(&c.work), "a pending item was not cancelled");
	EXPECT(t, !work_pending(&c.work));
	/* A delayed item far in the future, cancelled before its timer. */
	EXPECT(t, queue_delayed_work(system_wq, &c.dwork, 1000 * HZ));
	EXPECT(t, delayed_work_pending(&c.dwork));
	EXPECT(t, cancel_delayed_work_sync(&c.dwork));
	complete(&g.go);
	flush_workqueue(wq);
	EXPECT(t, atomic_read(&c.runs) == 0, "a cancelled item ran %d times",
	       atomic_read(&c.runs));
	EXPECT(t, g.runs == 1);
	destroy_workqueue(wq);
	destroy_work_on_stack(&c.work);
	destroy_delayed_work_on_stack(&c.dwork);
	destroy_work_on_stack(&g.work);
}

/* ---- delayed work waits at least its delay -------------------------------- */

struct delayed {
	struct delayed_work dwork;
	unsigned long ran_at;
	int cpu;
	struct completion done;
};

static void delayed_fn(struct work_struct *w)
{
	struct delayed *d = container_of(to_delayed_work(w), struct delayed, dwork);

	d->ran_at = jiffies;
	d->cpu = raw_smp_processor_id();
	complete(&d->done);
}

static void delayed_work_waits_its_delay(struct ddeos_ktest *t)
{
	unsigned int cpu = num_online_cpus() - 1;
	unsigned long queued;
	struct delayed d;

	INIT_DELAYED_WORK_ONSTACK(&d.dwork, delayed_fn);
	init_completion(&d.done);
	queued = jiffies;
	EXPECT(t, queue_delayed_work_on(cpu, system_wq, &d.dwork, 5));
	/* mod_delayed_work() moves the deadline later, and only once queued. */
	EXPECT(t, mod_delayed_work_on(cpu, system_wq, &d.dwork, 10));
	EXPECT(t, wait_for_completion_timeout(&d.done, PATIENCE));
	EXPECT(t, time_after_eq(d.ran_at, queued + 10), "ran %ld jiffies after queueing",
	       (long)(d.ran_at - queued));
	EXPECT(t, d.cpu == cpu, "queued on CPU %u, ran on %d", cpu, d.cpu);
	EXPECT(t, !cancel_delayed_work_sync(&d.dwork), "cancelled after it ran");
	destroy_delayed_work_on_stack(&d.dwork);
}

/* ---- destroy_workqueue drains what is queued, and requeued ---------------- */

struct chain {
	struct work_struct work;
	struct workqueue_struct *wq;
	int left, runs;
};

static void chain_fn(struct work_struct *w)
{
	struct chain *c = container_of(w, struct chain, work);

	c->runs++;
	if (--c->left > 0)
		queue_work(c->wq, &c->work);	/* requeues itself */
}

static void destroy_drains_chained_work(struct ddeos_ktest *t)
{
	struct workqueue_struct *wq = alloc_workqueue("ktest-drain", WQ_UNBOUND, 0);
	struct chain c[4];
	int i, runs = 0;

	if (!EXPECT(t, wq))
		return;
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		c[i] = (struct chain){ .wq = wq, .left = 50 };
		INIT_WORK_ONSTACK(&c[i].work, chain_fn);
		queue_work(wq, &c[i].work);
	}
	destroy_workqueue(wq);		/* drains, chained requeues included */
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		runs += c[i].runs;
		destroy_work_on_stack(&c[i].work);
	}
	EXPECT(t, runs == 50 * ARRAY_SIZE(c), "%d of %zu runs before destroy returned",
	       runs, 50 * ARRAY_SIZE(c));
}

/* ---- many items from every CPU, each run exactly once --------------------- */

#define STORM_ITEMS	256

struct storm {
	struct work_struct work[STORM_ITEMS];
	atomic_t runs[STORM_ITEMS];
	struct completion queued;	/* once per queuer */
};

static struct storm *storm;

static void storm_fn(struct work_struct *w)
{
	atomic_inc(&storm->runs[w - storm->work]);
}

static int storm_queuer(void *arg)
{
	long first = (long)arg;
	int i;

	for (i = first; i < STORM_ITEMS; i += num_online_cpus())
		queue_work(system_wq, &storm->work[i]);
	complete(&storm->queued);
	return 0;
}

static void work_from_every_cpu_runs_once(struct ddeos_ktest *t)
{
	struct task_struct *k[NR_CPUS];
	int cpu, i, wrong = 0;

	storm = kzalloc(sizeof(*storm), GFP_KERNEL);
	if (!EXPECT(t, storm))
		return;
	init_completion(&storm->queued);
	for (i = 0; i < STORM_ITEMS; i++)
		INIT_WORK(&storm->work[i], storm_fn);
	for_each_online_cpu(cpu) {
		k[cpu] = kthread_create(storm_queuer, (void *)(long)cpu, "ktest-q/%d", cpu);
		if (!EXPECT(t, !IS_ERR(k[cpu])))
			return;
		kthread_bind(k[cpu], cpu);
		get_task_struct(k[cpu]);	/* it ends on its own */
		wake_up_process(k[cpu]);
	}
	/* A kthread stopped before it ran never runs its function. */
	for_each_online_cpu(cpu)
		wait_for_completion(&storm->queued);
	for_each_online_cpu(cpu) {
		kthread_stop(k[cpu]);	/* returns at once if it ended */
		put_task_struct(k[cpu]);
	}
	for (i = 0; i < STORM_ITEMS; i++)
		flush_work(&storm->work[i]);
	for (i = 0; i < STORM_ITEMS; i++)
		wrong += atomic_read(&storm->runs[i]) != 1;
	EXPECT(t, !wrong, "%d items did not run exactly once", wrong);
	kfree(storm);
}

static const struct ddeos_ktest_case linux_workqueue_cases[] = {
	{ "work_runs_in_kworker_on_each_cpu", work_runs_in_kworker_on_each_cpu },
	{ "ordered_queue_keeps_order", ordered_queue_keeps_order },
	{ "flush_and_cancel_wait_for_running_item", flush_and_cancel_wait_for_running_item },
	{ "cancelled_pending_work_never_runs", cancelled_pending_work_never_runs },
	{ "delayed_work_waits_its_delay", delayed_work_waits_its_delay },
	{ "destroy_drains_chained_work", destroy_drains_chained_work },
	{ "work_from_every_cpu_runs_once", work_from_every_cpu_runs_once },
};

LINUX_KTEST_SUITE(linux_workqueue, linux_workqueue_cases);
