// SPDX-License-Identifier: GPL-2.0-only
/*
 * `current`: every ddeos thread gets a struct task_struct (in a struct
 * dde_task), made by the thread hooks of the waist and switched into the
 * per-CPU current_task by the ddeos scheduler. Linux code reads
 * current_task as Linux does (arch/x86/include/asm/current.h). Filled as
 * Linux's inlines expect of a kernel thread (Linux: kernel/fork.c, much
 * reduced): comm, pid, state, one reference (usage, the thread's own,
 * dropped when the thread is reaped), the stack, the CPU,
 * normal priorities (not 0, which would make rt_task() true), and an
 * affinity mask of every CPU.
 */
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/sched.h>
#include <linux/sched/prio.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <dde/dde.h>
#include <dde/task.h>

#define TASK_ORDER get_order(sizeof(struct dde_task))

static_assert(offsetof(struct task_struct, thread_info.cpu) == DDEOS_TASK_CPU_OFFSET &&
	      offsetof(struct task_struct, on_cpu) == DDEOS_TASK_ON_CPU_OFFSET,
	      "the kernel keeps task_cpu() and on_cpu where Linux reads them");
static_assert(offsetof(struct task_struct, thread_info.flags) == DDEOS_TASK_FLAGS_OFFSET &&
	      TIF_NEED_RESCHED == DDEOS_TASK_NEED_RESCHED_BIT,
	      "the kernel sets TIF_NEED_RESCHED where need_resched() reads it");

static atomic_t dde_next_pid = ATOMIC_INIT(1);

static void *task_create(const char *name, unsigned int cpu, void *thread)
{
	struct dde_task *dt = ddeos_pages_alloc(TASK_ORDER, DDEOS_MEM_ZERO);
	struct task_struct *t;
	unsigned long size;

	if (!dt)
		return NULL;
	dt->thread = thread;
	dt->bind_cpu = -1;
	init_completion(&dt->gone);
	t = &dt->task;
	strscpy(t->comm, name, sizeof(t->comm));
	t->pid = atomic_fetch_inc(&dde_next_pid);
	t->tgid = t->pid;
	t->__state = TASK_RUNNING;
	t->flags = PF_KTHREAD;
	refcount_set(&t->usage, 1);
	t->stack = ddeos_thread_stack(thread, &size);
	t->thread_info.cpu = cpu;
	t->static_prio = NICE_TO_PRIO(0);
	t->normal_prio = t->static_prio;
	t->prio = t->static_prio;
	t->policy = SCHED_NORMAL;
	cpumask_setall(&t->cpus_mask);
	t->cpus_ptr = &t->cpus_mask;
	t->nr_cpus_allowed = nr_cpu_ids;
	raw_spin_lock_init(&t->pi_lock);
	return t;
}

/* The thread is reaped: it drops its own reference (Linux's
 * put_task_struct_rcu_user() at release_task()); whoever still holds one
 * (get_task_struct() across kthread_stop(), as KUnit's try-catch does)
 * keeps the task_struct until its put. */
static void task_destroy(void *task)
{
	struct task_struct *t = task;

	WRITE_ONCE(to_dde_task(t)->reaped, true);
	complete_all(&to_dde_task(t)->gone);
	put_task_struct(t);
}

/* The last reference: free the task, but only once its thread is gone.
 * Context: any (the pool frees from any context). */
void __put_task_struct(struct task_struct *t)
{
	if (WARN(!READ_ONCE(to_dde_task(t)->reaped),
		 "dde: last reference of task '%s' (pid %d) dropped while its thread lives\n",
		 t->comm, t->pid))
		return;
	ddeos_pages_free(to_dde_task(t), TASK_ORDER);
}

void dde_task_init(void)
{
	ddeos_set_thread_hooks(task_create, task_destroy);
	pr_info("dde: current is '%s' (pid %d)\n", current->comm, current->pid);
}
