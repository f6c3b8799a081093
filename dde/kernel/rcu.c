// SPDX-License-Identifier: GPL-2.0-only
/*
 * RCU for CONFIG_PREEMPT_RCU (Linux: kernel/rcu/tree.c, tree_plugin.h,
 * srcutree.c for the counting idea). Readers may be preempted, so a grace
 * period cannot be "every CPU switched once" alone: the outermost
 * rcu_read_lock() counts the reader in one of two per-CPU lock counters,
 * chosen by the grace-period index, and its rcu_read_unlock() counts it out
 * in the matching unlock counter, wherever the task runs by then. A grace
 * period waits until the readers of both indexes that might predate it are
 * gone (SRCU's flip-and-wait, with the same memory barriers), so a reader
 * preempted or migrated inside its section holds it up. Then, because
 * Linux's consolidated RCU also waits for preempt-, bh- and irq-disabled
 * regions (rcu_read_lock_sched/_bh), the updater visits every CPU: being
 * scheduled there means whatever ran there with preemption off has ended.
 *
 * Grace periods are numbered as Linux numbers them (rcu_seq_*() of
 * kernel/rcu/rcu.h): rcu_gp_seq counts them in its upper bits, and its two
 * low bits are non-zero while one is in progress, so that the polled API
 * (rcu_poll.c) and rcutorture's rcu_seq_diff() read it as Linux's gp_seq.
 *
 * call_rcu() callbacks are run by one kthread, rcu_gp, after a grace
 * period that began after they were queued, with bottom halves disabled
 * (as Linux's offloaded callbacks run); rcu_barrier() waits for all that
 * were queued before it. kfree_rcu() queues an offset instead of a
 * function, as on Linux, and the thread frees the object.
 */
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <dde/dde.h>
#include <dde/task.h>

struct rcu_counts {
	unsigned long lock[2];
	unsigned long unlock[2];
};

static DEFINE_PER_CPU(struct rcu_counts, rcu_counts);
static unsigned long rcu_gp_idx;		/* low bit: index new readers use */
static unsigned long rcu_gp_done;		/* grace periods completed */
static unsigned long rcu_gp_seq;		/* Linux's gp_seq encoding */
static unsigned long rcu_gp_wanted;		/* a polled wait needs this seq */
static DEFINE_MUTEX(rcu_gp_mutex);

void __rcu_read_lock(void)
{
	struct task_struct *t = current;

	if (t->rcu_read_lock_nesting++ == 0) {
		int idx;

		barrier();	/* nested from here on, for an interrupt's reader */
		idx = READ_ONCE(rcu_gp_idx) & 1;
		to_dde_task(t)->rcu_idx = idx;	/* the counter we went in on */
		this_cpu_inc(rcu_counts.lock[idx]);
		smp_mb();	/* counted before any access in the section */
	}
	barrier();
}

void __rcu_read_unlock(void)
{
	struct task_struct *t = current;

	barrier();
	if (WARN_ON_ONCE(t->rcu_read_lock_nesting <= 0))
		return;
	if (t->rcu_read_lock_nesting == 1) {
		/*
		 * Count out before the nesting drops to 0. An interrupt or
		 * softirq reader that runs on this task in between sees a
		 * nested section and leaves rcu_idx alone (it is covered by
		 * the grace period's visit to this CPU). In the other order
		 * it would see nesting 0, take rcu_idx over with the current
		 * index, and this count would go to the wrong counter: a
		 * lock never matched by an unlock, and every later grace
		 * period waiting for it forever.
		 */
		smp_mb();	/* every access of the section before the count */
		this_cpu_inc(rcu_counts.unlock[to_dde_task(t)->rcu_idx]);
		barrier();
	}
	t->rcu_read_lock_nesting--;
}

/* Are the readers counted under @idx all gone? (srcu_readers_active_idx_check) */
static bool readers_gone(int idx)
{
	unsigned long locks = 0, unlocks = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		unlocks += READ_ONCE(per_cpu_ptr(&rcu_counts, cpu)->unlock[idx]);
	smp_mb();	/* an unlock seen implies its lock is seen */
	for_each_possible_cpu(cpu)
		locks += READ_ONCE(per_cpu_ptr(&rcu_counts, cpu)->lock[idx]);
	smp_mb();	/* the check before what the caller frees */
	return locks == unlocks;
}

/*
 * Linux's RCU CPU stall warning, for the counters: a reader that stays
 * inside its section for CONFIG_RCU_CPU_STALL_TIMEOUT seconds, or a count
 * that went to the wrong index, shows here instead of as a silent hang.
 */
static void report_stall(int idx, unsigned long waited)
{
	unsigned long locks = 0, unlocks = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		locks += READ_ONCE(per_cpu_ptr(&rcu_counts, cpu)->lock[idx]);
		unlocks += READ_ONCE(per_cpu_ptr(&rcu_counts, cpu)->unlock[idx]);
	}
	pr_err("rcu: INFO: grace period g%lu stalled for %lu jiffies: readers on index %d: %lu in, %lu out\n",
	       READ_ONCE(rcu_gp_seq), waited, idx, locks, unlocks);
}

static void wait_readers(int idx)
{
	unsigned long start = jiffies;
	bool warned = false;

	while (!readers_gone(idx)) {
		if (!warned && time_after(jiffies, start +
				CONFIG_RCU_CPU_STALL_TIMEOUT * HZ)) {
			report_stall(idx, jiffies - start);
			warned = true;
		}
		schedule_timeout_uninterruptible(1);
	}
}

/* Every CPU has run the scheduler since: its preempt-off region ended. */
static void visit_every_cpu(void)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		dde_move_current(cpu);
	dde_move_current(-1);
}

void synchronize_rcu(void)
{
	might_sleep();
	if (WARN_ONCE(current->rcu_read_lock_nesting,
		      "synchronize_rcu() inside an RCU read-side critical section\n"))
		return;
	mutex_lock(&rcu_gp_mutex);
	WRITE_ONCE(rcu_gp_seq, rcu_gp_seq + 1);		/* rcu_seq_start() */
	smp_mb();		/* the updater's removals before the waits */
	wait_readers((READ_ONCE(rcu_gp_idx) & 1) ^ 1);	/* stragglers of before */
	WRITE_ONCE(rcu_gp_idx, rcu_gp_idx + 1);		/* new readers: other side */
	smp_mb();
	wait_readers((READ_ONCE(rcu_gp_idx) & 1) ^ 1);	/* readers that predate us */
	visit_every_cpu();
	smp_mb();		/* the grace period before its end is seen */
	WRITE_ONCE(rcu_gp_seq, (rcu_gp_seq | DDE_RCU_SEQ_STATE_MASK) + 1);
	WRITE_ONCE(rcu_gp_done, rcu_gp_done + 1);
	mutex_unlock(&rcu_gp_mutex);
}

void synchronize_rcu_expedited(void)
{
	synchronize_rcu();
}

/* ---- callbacks ------------------------------------------------------------- */

static DEFINE_RAW_SPINLOCK(rcu_cb_lock);
static struct rcu_head *rcu_cb_head, **rcu_cb_tail = &rcu_cb_head;
static DECLARE_WAIT_QUEUE_HEAD(rcu_gp_wq);
static struct task_struct *rcu_gp_task;

void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	unsigned long flags;

	head->func = func;
	head->next = NULL;
	raw_spin_lock_irqsave(&rcu_cb_lock, flags);
	*rcu_cb_tail = head;
	rcu_cb_tail = &head->next;
	raw_spin_unlock_irqrestore(&rcu_cb_lock, flags);
	wake_up(&rcu_gp_wq);
}

static bool callbacks_waiting(void)
{
	return READ_ONCE(rcu_cb_head) != NULL;
}

/* A polled wait (start_poll_synchronize_rcu()) needs a grace period. */
static bool gp_wanted(void)
{
	return ULONG_CMP_LT(READ_ONCE(rcu_gp_seq), READ_ONCE(rcu_gp_wanted));
}

/* Context: the rcu_gp kthread. */
static int rcu_gp_thread(void *unused)
{
	while (!kthread_should_stop()) {
		struct rcu_head *list, *next;
		unsigned long flags;

		wait_event(rcu_gp_wq, callbacks_waiting() || gp_wanted() ||
			   kthread_should_stop());
		raw_spin_lock_irqsave(&rcu_cb_lock, flags);
		list = rcu_cb_head;
		rcu_cb_head = NULL;
		rcu_cb_tail = &rcu_cb_head;
		raw_spin_unlock_irqrestore(&rcu_cb_lock, flags);
		synchronize_rcu();	/* began after every one of them was queued */
		for (; list; list = next) {
			unsigned long off = (unsigned long)list->func;

			next = list->next;
			local_bh_disable();
			if (__is_kvfree_rcu_offset(off))	/* kfree_rcu() */
				kvfree((void *)list - off);
			else
				list->func(list);
			local_bh_enable();
		}
	}
	return 0;
}

struct rcu_barrier_head {
	struct rcu_head head;
	struct completion done;
};

static void rcu_barrier_cb(struct rcu_head *head)
{
	complete(&container_of(head, struct rcu_barrier_head, head)->done);
}

/* Callbacks run in queue order, so the last one queued marks them all. */
void rcu_barrier(void)
{
	struct rcu_barrier_head b;

	init_completion(&b.done);
	call_rcu(&b.head, rcu_barrier_cb);
	wait_for_completion(&b.done);
}

/*
 * kfree_rcu(p, field) queues the head with the field's offset in place of
 * a function, as Linux does; the rcu_gp thread frees such entries.
 * kvfree_rcu(p) with no head passes the object itself and may sleep.
 */
void kvfree_call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	if (!head) {
		might_sleep();
		synchronize_rcu();
		kvfree((void *)func);
		return;
	}
	call_rcu(head, func);
}

/*
 * A softirq-context quiescent state (Linux's __do_softirq() reports one).
 * Grace periods here end by counting readers and visiting CPUs, so there
 * is nothing to report it to.
 */
void rcu_softirq_qs(void)
{
}

/**
 * dde_rcu_gp_seq - the grace-period sequence, in Linux's gp_seq encoding
 *
 * Context: any.
 * Return: the current value, read after a full barrier.
 */
unsigned long dde_rcu_gp_seq(void)
{
	smp_mb();	/* the caller's accesses before, as rcu_seq_snap() */
	return READ_ONCE(rcu_gp_seq);
}

/**
 * dde_rcu_want_gp - make sure grace periods run until @seq is reached
 * @seq: a value of dde_rcu_gp_seq() rounded up as rcu_seq_snap() does
 *
 * Without callbacks or a synchronize_rcu() caller no grace period would
 * start; the rcu_gp thread runs them until rcu_gp_seq reaches @seq.
 *
 * Context: any but hard IRQ (wakes the thread).
 */
void dde_rcu_want_gp(unsigned long seq)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&rcu_cb_lock, flags);
	if (ULONG_CMP_LT(rcu_gp_wanted, seq))
		WRITE_ONCE(rcu_gp_wanted, seq);
	raw_spin_unlock_irqrestore(&rcu_cb_lock, flags);
	wake_up(&rcu_gp_wq);
}

unsigned long dde_rcu_grace_periods(void)
{
	return READ_ONCE(rcu_gp_done);
}

void dde_rcu_init(void)
{
	rcu_gp_task = kthread_run(rcu_gp_thread, NULL, "rcu_gp");
	if (IS_ERR(rcu_gp_task))
		panic("dde: cannot start the rcu_gp thread");
}
