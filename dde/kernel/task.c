// SPDX-License-Identifier: GPL-2.0-only
/*
 * `current`: every ddeos thread gets a struct task_struct, made by the
 * thread hooks of the waist and switched into the per-CPU current_task by
 * the ddeos scheduler. Linux code reads current_task as Linux does
 * (arch/x86/include/asm/current.h). Only the fields Linux code reads in
 * our drivers are filled: comm, pid, the CPU, and the state; the rest is
 * zero. (Linux: kernel/fork.c, much reduced.)
 */
#include <linux/sched.h>
#include <linux/string.h>
#include <dde/dde.h>

#define TASK_ORDER get_order(sizeof(struct task_struct))

static atomic_t dde_next_pid = ATOMIC_INIT(1);

static void *task_create(const char *name, unsigned int cpu)
{
	struct task_struct *t = ddeos_pages_alloc(TASK_ORDER, DDEOS_MEM_ZERO);

	if (!t)
		return NULL;
	strscpy(t->comm, name, sizeof(t->comm));
	t->pid = atomic_fetch_inc(&dde_next_pid);
	t->tgid = t->pid;
	t->__state = TASK_RUNNING;
	t->flags = PF_KTHREAD;
	t->thread_info.cpu = cpu;
	return t;
}

static void task_destroy(void *task)
{
	ddeos_pages_free(task, TASK_ORDER);
}

void dde_task_init(void)
{
	ddeos_set_thread_hooks(task_create, task_destroy);
	pr_info("dde: current is '%s' (pid %d)\n", current->comm, current->pid);
}
