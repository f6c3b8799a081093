// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scheduler entry points Linux code calls (Linux: kernel/sched/core.c),
 * on the ddeos scheduler; schedule_timeout() is Linux's own, with a
 * timer_list from the compiled kernel/time/timer.c. This
 * is the layer beneath Linux's own wait queues, simple wait queues and
 * completions, which are compiled unmodified (linux/units/sched_wait.c).
 *
 * Linux's contract: a task sets current->__state to a sleeping state,
 * checks its condition, and calls schedule(); a waker makes the condition
 * true and calls try_to_wake_up(), which puts __state back to TASK_RUNNING
 * and makes the task runnable. schedule() sleeps only while __state is not
 * TASK_RUNNING. Here schedule() marks the ddeos thread blocked, re-reads
 * __state, and cancels if a waker already came; try_to_wake_up() writes
 * __state first, then wakes the thread. Each side fences between its store
 * and its load, so one of them always sees the other: no lost wake-up.
 *
 * preempt_schedule() is where Linux code lands when preempt_enable() takes
 * the shared counter to zero with a reschedule pending (through Linux's own
 * preempt_schedule_thunk, arch/x86/entry/thunk_64.S).
 */
#include <linux/jiffies.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/math64.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/debug.h>
#include <linux/sched/task.h>
#include <linux/sched/wake_q.h>
#include <linux/wait.h>
#include <linux/rcuwait.h>
#include <linux/workqueue.h>
#include <linux/cpumask.h>
#include <linux/string.h>
#include <dde/dde.h>
#include <dde/task.h>

asmlinkage __visible void notrace preempt_schedule(void)
{
	if (likely(!preemptible()))
		return;
	ddeos_preempt();
}

asmlinkage __visible void notrace preempt_schedule_notrace(void)
{
	if (likely(!preemptible()))
		return;
	ddeos_preempt();
}

/* Sleep while current->__state says so, or until @deadline_ns (0: none).
 * Return: false if the deadline passed first. */
static bool sleep_as_state_says(unsigned long long deadline_ns)
{
	struct task_struct *tsk = current;
	bool woken = true;

	if (unlikely(!preemptible() && READ_ONCE(tsk->__state) != TASK_RUNNING))
		ddeos_assert_may_sleep(__builtin_return_address(1));
	preempt_disable();
	if (READ_ONCE(tsk->__state) != TASK_RUNNING) {
		ddeos_thread_prepare_block();
		/* prepare_block fenced: a waker's __state store is visible now,
		 * or it will see us blocked and wake us. */
		if (READ_ONCE(tsk->__state) == TASK_RUNNING && ddeos_thread_cancel_block())
			goto out;
		woken = ddeos_thread_block(deadline_ns);
	}
out:
	preempt_enable_no_resched();
	return woken;
}

/* kernel/workqueue.c's, declared in Linux's internal workqueue_internal.h. */
void wq_worker_running(struct task_struct *task);
void wq_worker_sleeping(struct task_struct *task);

/*
 * A workqueue worker that goes to sleep tells its pool, which may then
 * wake another worker to keep the CPU busy (Linux's sched_submit_work()
 * and sched_update_worker()); involuntary preemption does not count.
 */
asmlinkage __visible void __sched schedule(void)
{
	struct task_struct *tsk = current;
	bool worker = (tsk->flags & PF_WQ_WORKER) && READ_ONCE(tsk->__state) != TASK_RUNNING;

	if (worker) {
		preempt_disable();
		wq_worker_sleeping(tsk);
		preempt_enable_no_resched();
	}
	sleep_as_state_says(0);
	if (worker)
		wq_worker_running(tsk);
	if (need_resched())
		ddeos_preempt();	/* a switch is pending: take it */
}

/*
 * Affinity of another task: ddeos moves a thread only from itself, so a
 * kthread not yet started is bound (it pins itself when it starts), the
 * caller itself is moved, and any other task keeps running where it is
 * with the mask recorded. A single-CPU mask for a running task that is
 * not the caller is refused.
 */
int set_cpus_allowed_ptr(struct task_struct *p, const struct cpumask *mask)
{
	unsigned int cpu = cpumask_first(mask);
	bool one = cpumask_weight(mask) == 1;

	if (cpu >= nr_cpu_ids)
		return -EINVAL;
	if (p == current) {
		cpumask_copy(&p->cpus_mask, mask);
		ddeos_thread_pin(one ? cpu : -1);
		return 0;
	}
	if (READ_ONCE(p->__state) == TASK_UNINTERRUPTIBLE && to_dde_task(p)->is_kthread &&
	    !to_dde_task(p)->started) {
		to_dde_task(p)->bind_cpu = one ? cpu : -1;
		cpumask_copy(&p->cpus_mask, mask);
		return 0;
	}
	if (one)
		return -EBUSY;
	cpumask_copy(&p->cpus_mask, mask);
	return 0;
}

/* Linux's default; ddeos has no real-time class for it to throttle. */
int sysctl_sched_rt_runtime = 950000;

/* Every ddeos thread is SCHED_NORMAL already; this sets the nice value. */
void sched_set_normal(struct task_struct *p, int nice)
{
	p->policy = SCHED_NORMAL;
	set_user_nice(p, nice);
}

/* For diagnostics (rcutorture's stall reports): name, pid, state. */
void sched_show_task(struct task_struct *p)
{
	pr_info("task:%-15.15s state:%c pid:%d prio:%d\n", p->comm,
		task_state_to_char(p), task_pid_nr(p), p->prio);
}

/* ddeos threads keep their priority class; nice is recorded for Linux. */
void set_user_nice(struct task_struct *p, long nice)
{
	p->static_prio = NICE_TO_PRIO(clamp_t(long, nice, MIN_NICE, MAX_NICE));
	p->normal_prio = p->static_prio;
	p->prio = p->static_prio;
}

void __set_task_comm(struct task_struct *tsk, const char *from, bool exec)
{
	strscpy_pad(tsk->comm, from, sizeof(tsk->comm));
}

/* rcuwait (Linux: kernel/exit.c, kernel/sched/core.c). */
int rcuwait_wake_up(struct rcuwait *w)
{
	struct task_struct *task;
	int ret = 0;

	smp_mb();	/* the condition before the waiter is read */
	rcu_read_lock();
	task = rcu_dereference(w->task);
	if (task)
		ret = wake_up_process(task);
	rcu_read_unlock();
	return ret;
}

void finish_rcuwait(struct rcuwait *w)
{
	rcu_assign_pointer(w->task, NULL);
	__set_current_state(TASK_RUNNING);
}

void __sched schedule_preempt_disabled(void)
{
	sched_preempt_enable_no_resched();
	schedule();
	preempt_disable();
}

/*
 * Sleep until the absolute or relative ktime @expires (+ @delta slack), as
 * the state set by the caller says; usleep_range() and friends. Return: 0
 * when the time came, -EINTR if woken first. NULL: sleep until woken.
 */
int __sched schedule_hrtimeout_range(ktime_t *expires, u64 delta,
				     const enum hrtimer_mode mode)
{
	unsigned long long deadline;
	bool woken;

	if (!expires) {
		schedule();
		return -EINTR;
	}
	deadline = (mode & HRTIMER_MODE_REL) ? ddeos_clock_ns() + *expires : *expires;
	woken = sleep_as_state_says(deadline);
	__set_current_state(TASK_RUNNING);
	return woken && ddeos_clock_ns() < deadline ? -EINTR : 0;
}

int __sched schedule_hrtimeout(ktime_t *expires, const enum hrtimer_mode mode)
{
	return schedule_hrtimeout_range(expires, 0, mode);
}

signed long __sched io_schedule_timeout(signed long timeout)
{
	return schedule_timeout(timeout);
}

void __sched io_schedule(void)
{
	schedule();
}

/*
 * Wake @p if its state is in @state: __state becomes TASK_RUNNING, then
 * the thread is woken. Return: 1 if @p was woken (its state matched).
 * Context: any.
 */
int try_to_wake_up(struct task_struct *p, unsigned int state, int wake_flags)
{
	unsigned long flags;
	int ret = 0;

	raw_spin_lock_irqsave(&p->pi_lock, flags);
	if (READ_ONCE(p->__state) & state) {
		WRITE_ONCE(p->__state, TASK_RUNNING);
		smp_mb();	/* pairs with the fence in prepare_block */
		ddeos_thread_wake(dde_task_thread(p));
		ret = 1;
	}
	raw_spin_unlock_irqrestore(&p->pi_lock, flags);
	return ret;
}

int wake_up_process(struct task_struct *p)
{
	return try_to_wake_up(p, TASK_NORMAL, 0);
}

int wake_up_state(struct task_struct *p, unsigned int state)
{
	return try_to_wake_up(p, state, 0);
}

int default_wake_function(wait_queue_entry_t *curr, unsigned int mode,
			  int wake_flags, void *key)
{
	return try_to_wake_up(curr->private, mode, wake_flags);
}

/*
 * Wake queues (Linux: kernel/sched/core.c): a waker collects the tasks to
 * wake under its lock and wakes them after dropping it. A task is on at
 * most one queue at a time (its wake_q node is claimed with cmpxchg), and
 * holds a reference while queued.
 */
void wake_q_add(struct wake_q_head *head, struct task_struct *task)
{
	struct wake_q_node *node = &task->wake_q;

	if (cmpxchg_relaxed(&node->next, NULL, WAKE_Q_TAIL))
		return;		/* already queued: it will be woken */
	get_task_struct(task);
	*head->lastp = node;
	head->lastp = &node->next;
}

void wake_q_add_safe(struct wake_q_head *head, struct task_struct *task)
{
	struct wake_q_node *node = &task->wake_q;

	if (cmpxchg_relaxed(&node->next, NULL, WAKE_Q_TAIL)) {
		put_task_struct(task);	/* the caller's reference */
		return;
	}
	*head->lastp = node;
	head->lastp = &node->next;
}

void wake_up_q(struct wake_q_head *head)
{
	struct wake_q_node *node = head->first;

	while (node != WAKE_Q_TAIL) {
		struct task_struct *task = container_of(node, struct task_struct, wake_q);

		node = node->next;
		WRITE_ONCE(task->wake_q.next, NULL);
		/* the store above before the wake-up, as Linux's */
		wake_up_process(task);
		put_task_struct(task);
	}
}

/* No I/O-wait accounting: a token that io_schedule_finish() ignores. */
int io_schedule_prepare(void)
{
	return 0;
}

void io_schedule_finish(int token)
{
}
