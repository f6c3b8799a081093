// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-CPU hotplug threads (Linux: kernel/smpboot.c), such as ksoftirqd/N:
 * one kthread bound to each CPU, which runs thread_fn(cpu) with preemption
 * enabled whenever thread_should_run(cpu) says so and otherwise sleeps
 * until woken. CPUs never go offline in ddeos, so threads are never parked
 * and cleanup() is never called; unregistering is not offered.
 */
#include <linux/kthread.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smpboot.h>
#include <dde/dde.h>

struct smpboot_data {
	struct smp_hotplug_thread *ht;
	unsigned int cpu;
};

/* As Linux's smpboot_thread_fn(), without parking. */
static int smpboot_thread(void *arg)
{
	struct smpboot_data *td = arg;
	struct smp_hotplug_thread *ht = td->ht;
	unsigned int cpu = td->cpu;

	if (ht->setup)
		ht->setup(cpu);
	while (!kthread_should_stop()) {
		preempt_disable();
		set_current_state(TASK_INTERRUPTIBLE);
		if (!ht->thread_should_run(cpu)) {
			preempt_enable_no_resched();
			schedule();
		} else {
			__set_current_state(TASK_RUNNING);
			preempt_enable();
			ht->thread_fn(cpu);
		}
	}
	__set_current_state(TASK_RUNNING);
	kfree(td);
	return 0;
}

/* Context: thread, may sleep. Return: 0, or -ENOMEM (threads made so far
 * keep running, as on Linux). */
int smpboot_register_percpu_thread(struct smp_hotplug_thread *ht)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		struct smpboot_data *td = kzalloc(sizeof(*td), GFP_KERNEL);
		struct task_struct *tsk;

		if (!td)
			return -ENOMEM;
		td->ht = ht;
		td->cpu = cpu;
		tsk = kthread_create_on_cpu(smpboot_thread, td, cpu, ht->thread_comm);
		if (IS_ERR(tsk)) {
			kfree(td);
			return PTR_ERR(tsk);
		}
		if (ht->create)
			ht->create(cpu);
		*per_cpu_ptr(ht->store, cpu) = tsk;
		wake_up_process(tsk);
	}
	return 0;
}
