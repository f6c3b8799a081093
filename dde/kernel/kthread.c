// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel threads (Linux: kernel/kthread.c, on ddeos threads instead of
 * kthreadd and fork). As on Linux, kthread_create_on_node() returns a task
 * that sleeps (TASK_UNINTERRUPTIBLE) until wake_up_process(): only then
 * does it run its function, on the CPU kthread_bind() chose, if any.
 * kthread_stop() asks it to stop, wakes it, waits for its function to end
 * and returns what it returned, or -EINTR if it never ran. As on Linux, a
 * kthread's thread is reaped when it ends (the kernel's reaper, since the
 * thread is detached), whether or not anyone calls kthread_stop(): the
 * task_struct goes with its last reference, so whoever may stop a kthread
 * that can end on its own holds one (get_task_struct(), as KUnit's
 * try-catch does), and kthread_stop() holds one while it waits. Parking is
 * Linux's: kthread_park() asks and waits until the kthread sits in
 * kthread_parkme() in TASK_PARKED, which only kthread_unpark() (or
 * kthread_stop()) wakes; a kthread asked to park before it first ran parks
 * before its function starts. kthread_exit() ends a kthread from anywhere
 * in its call chain, as if its function had returned the code.
 */
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <dde/dde.h>
#include <dde/task.h>

struct kthread_start {
	int (*fn)(void *data);
	void *data;
	struct task_struct *task;
	struct completion ready;
};

/* The kthread's end, as Linux's kthread_exit(): the result for
 * kthread_stop(), which waits on exited with a reference of its own. */
static int kthread_finish(struct dde_task *self, int result)
{
	self->result = result;
	complete_all(&self->exited);
	return result;
}

static int kthread_main(void *arg)
{
	struct kthread_start *ks = arg;
	int (*fn)(void *data) = ks->fn;
	void *data = ks->data;
	struct dde_task *self = to_dde_task(current);

	self->is_kthread = true;
	self->kthread_data = data;
	init_completion(&self->parked);
	init_completion(&self->exited);
	/* Asleep before the creator learns of us, so its first
	 * wake_up_process() cannot come too early to count. */
	__set_current_state(TASK_UNINTERRUPTIBLE);
	ks->task = current;
	complete(&ks->ready);		/* ks is the creator's again */
	schedule();
	WRITE_ONCE(self->started, true);
	if (dde_task_should_stop(current))
		return kthread_finish(self, -EINTR);
	if (self->bind_cpu >= 0)
		ddeos_thread_pin(self->bind_cpu);
	kthread_parkme();	/* parked before it ever ran (Linux's kthread()) */
	if (dde_task_should_stop(current))
		return kthread_finish(self, -EINTR);
	return kthread_finish(self, fn(data));
}

struct task_struct *kthread_create_on_node(int (*threadfn)(void *data), void *data,
					   int node, const char namefmt[], ...)
{
	struct kthread_start ks = { .fn = threadfn, .data = data };
	char name[TASK_COMM_LEN];
	va_list args;
	void *th;

	might_sleep();
	va_start(args, namefmt);
	vsnprintf(name, sizeof(name), namefmt, args);
	va_end(args);
	init_completion(&ks.ready);
	th = ddeos_thread_create(name, kthread_main, &ks, -1, 4);
	if (!th) {
		pr_warn("kthread %s: no memory for the thread, from %pS\n", name,
			__builtin_return_address(0));
		return ERR_PTR(-ENOMEM);
	}
	wait_for_completion(&ks.ready);
	/* As on Linux, an exited kthread is reaped whether or not anyone
	 * calls kthread_stop(); that caller holds its own reference. */
	ddeos_thread_detach(th);
	return ks.task;
}

struct task_struct *kthread_create_on_cpu(int (*threadfn)(void *data), void *data,
					  unsigned int cpu, const char *namefmt)
{
	struct task_struct *p = kthread_create_on_node(threadfn, data, NUMA_NO_NODE,
						       namefmt, cpu);

	if (!IS_ERR(p))
		kthread_bind(p, cpu);
	return p;
}

/* Before the first wake-up only, as on Linux (it WARNs otherwise). */
void kthread_bind(struct task_struct *k, unsigned int cpu)
{
	if (WARN_ON(READ_ONCE(k->__state) != TASK_UNINTERRUPTIBLE || cpu >= nr_cpu_ids))
		return;
	to_dde_task(k)->bind_cpu = cpu;
	k->thread_info.cpu = cpu;
	cpumask_clear(&k->cpus_mask);
	cpumask_set_cpu(cpu, &k->cpus_mask);
	k->nr_cpus_allowed = 1;
	k->flags |= PF_NO_SETAFFINITY;
}

void kthread_bind_mask(struct task_struct *k, const struct cpumask *mask)
{
	if (cpumask_weight(mask) == 1)
		kthread_bind(k, cpumask_first(mask));
	else
		cpumask_copy(&k->cpus_mask, mask);	/* any of them: any CPU */
}

bool kthread_should_stop(void)
{
	return dde_task_should_stop(current);
}

void *kthread_data(struct task_struct *k)
{
	return to_dde_task(k)->kthread_data;
}

/* Any task here is a dde_task, so the lookup is always safe. */
void *kthread_probe_data(struct task_struct *k)
{
	return to_dde_task(k)->is_kthread ? to_dde_task(k)->kthread_data : NULL;
}

/* CPUs never go offline: a per-CPU kthread needs no hotplug handling. */
void kthread_set_per_cpu(struct task_struct *k, int cpu)
{
	if (cpu >= 0)
		k->flags |= PF_NO_SETAFFINITY;
}

bool __kthread_should_park(struct task_struct *k)
{
	return READ_ONCE(to_dde_task(k)->should_park);
}

bool kthread_should_park(void)
{
	return __kthread_should_park(current);
}

/*
 * Sit in TASK_PARKED while asked to (Linux's __kthread_parkme()): the state
 * is set before the flag is read, so an unpark between them is not lost;
 * the completion tells kthread_park() we are there.
 * Context: the kthread itself, may sleep.
 */
void kthread_parkme(void)
{
	struct dde_task *self = to_dde_task(current);

	for (;;) {
		set_special_state(TASK_PARKED);
		if (!READ_ONCE(self->should_park))
			break;
		preempt_disable();
		complete(&self->parked);
		schedule_preempt_disabled();
		preempt_enable();
	}
	__set_current_state(TASK_RUNNING);
}

/**
 * kthread_park() - ask a kthread to park and wait until it has
 * @k: the kthread
 *
 * Context: thread, may sleep.
 * Return: 0, -EBUSY if it is parked already, -ENOSYS if it is not a kthread.
 */
int kthread_park(struct task_struct *k)
{
	struct dde_task *dt = to_dde_task(k);

	might_sleep();
	if (WARN(!dt->is_kthread, "kthread_park(%s): not a kthread\n", k->comm))
		return -ENOSYS;
	if (WARN_ON_ONCE(READ_ONCE(dt->should_park)))
		return -EBUSY;
	reinit_completion(&dt->parked);
	WRITE_ONCE(dt->should_park, true);
	if (k != current) {
		wake_up_process(k);
		wait_for_completion(&dt->parked);
		/* and off its CPU, as Linux's wait_task_inactive() */
		while (smp_load_acquire(&k->on_cpu))
			cpu_relax();
	}
	return 0;
}

void kthread_unpark(struct task_struct *k)
{
	struct dde_task *dt = to_dde_task(k);

	if (!READ_ONCE(dt->should_park))
		return;
	WRITE_ONCE(dt->should_park, false);
	smp_mb();		/* the flag before the wake-up it must see */
	wake_up_state(k, TASK_PARKED);
}

int kthread_stop(struct task_struct *k)
{
	struct dde_task *dt = to_dde_task(k);
	int ret;

	might_sleep();
	if (WARN(!dt->is_kthread, "kthread_stop(%s): not a kthread\n", k->comm))
		return -EINVAL;
	get_task_struct(k);	/* the thread may be reaped meanwhile */
	WRITE_ONCE(dt->should_stop, true);
	smp_mb();
	kthread_unpark(k);	/* a parked kthread wakes to stop */
	wake_up_process(k);
	wait_for_completion(&dt->exited);
	/* And reaped: the stopper sees its memory back, as with Linux's
	 * kthreadd reaping at once; the reaper runs right after the exit. */
	wait_for_completion(&dt->gone);
	ret = dt->result;
	put_task_struct(k);
	return ret;
}

/**
 * kthread_exit() - end the calling kthread with a result
 * @result: what kthread_stop() will return
 *
 * As if the kthread's function had returned @result (Linux's
 * kthread_exit()): the thread ends at once, and stays until kthread_stop()
 * collects it, like one whose function returned.
 * Context: a kthread, may sleep.
 */
void __noreturn kthread_exit(long result)
{
	struct dde_task *self = to_dde_task(current);

	if (WARN_ONCE(!self->is_kthread, "kthread_exit() from '%s', not a kthread\n",
		      current->comm))
		ddeos_thread_exit(result);	/* joined by its creator */
	ddeos_thread_exit(kthread_finish(self, result));
}

/**
 * kthread_complete_and_exit() - signal a completion, then end the kthread
 * @comp: completion to signal (may be NULL)
 * @code: what kthread_stop() will return
 *
 * The waiter on @comp may free what the kthread ran on as soon as it is
 * woken; nothing of that is touched after complete() (Linux's
 * kthread_complete_and_exit(), which KUnit's try-catch ends each case with).
 * Context: a kthread, may sleep.
 */
void __noreturn kthread_complete_and_exit(struct completion *comp, long code)
{
	if (comp)
		complete(comp);
	kthread_exit(code);
}
