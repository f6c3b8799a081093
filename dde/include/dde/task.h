/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The DDE's side of `current` (dde/kernel/task.c): each ddeos thread has a
 * struct task_struct, embedded in a struct dde_task with what only the DDE
 * needs, such as the ddeos thread it stands for.
 */
#ifndef DDE_TASK_H
#define DDE_TASK_H

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/sched.h>
#include <dde/dde.h>

struct dde_task {
	struct task_struct task;	/* first: Linux's current_task points here */
	void *thread;			/* the ddeos thread */
	bool should_stop;		/* kthread_stop() asked */
	bool should_park;		/* kthread_park() asked, until unpark */
	struct completion parked;	/* the kthread reached kthread_parkme() */
	bool is_kthread;		/* made by kthread_create_on_node() */
	bool started;			/* woken for the first time */
	int bind_cpu;			/* kthread_bind() before it runs, or -1 */
	int rcu_idx;			/* RCU counter of its read-side section */
	void *kthread_data;		/* the data kthread_create() was given */
	bool reaped;			/* its thread is gone; refs may remain */
	struct completion exited;	/* a kthread's function ended */
	struct completion gone;		/* its thread was reaped (reaped set) */
	int result;			/* what it returned, for kthread_stop() */
};

static inline struct dde_task *to_dde_task(struct task_struct *p)
{
	return container_of(p, struct dde_task, task);
}

static inline void *dde_task_thread(struct task_struct *p)
{
	return to_dde_task(p)->thread;
}

static inline bool dde_task_should_stop(struct task_struct *p)
{
	return READ_ONCE(to_dde_task(p)->should_stop);
}

/*
 * Run on @cpu now (-1: back where current belongs). Where it belongs is
 * its affinity: a kthread bound to one CPU (kthread_bind) stays bound
 * after visiting others, for RCU or hotplug callbacks. Context: thread.
 */
static inline void dde_move_current(int cpu)
{
	const struct cpumask *m = &current->cpus_mask;

	if (cpu < 0 && cpumask_weight(m) == 1)
		cpu = cpumask_first(m);
	ddeos_thread_pin(cpu);
}

#endif
