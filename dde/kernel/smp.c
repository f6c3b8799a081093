// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cross-CPU function calls (Linux: kernel/smp.c): a call_single_data_t is
 * queued on the target CPU's lock-free list and that CPU is interrupted;
 * it runs the functions in hard-IRQ context. Linux's IPI is a system
 * vector; here each CPU has one device vector from the kernel for it
 * (taken at boot), raised with ddeos_irq_send(). Differences: no CSD lock
 * debugging, no smp_call_function_many()/smp_call_function() (nothing
 * compiled calls them; on_each_cpu() is served), no cpu hotplug flush.
 */
#include <linux/cpumask.h>
#include <linux/irqflags.h>
#include <linux/llist.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <dde/dde.h>

static DEFINE_PER_CPU_SHARED_ALIGNED(struct llist_head, call_single_queue);
static int call_vector[NR_CPUS];	/* fixed after dde_smp_init() */
/* Per calling CPU, one csd per target for on_each_cpu() without waiting
 * (Linux's cfd_data): reused only after its previous call ran. */
static call_single_data_t __percpu *cfd_csds;

static void csd_lock_wait(call_single_data_t *csd)
{
	smp_cond_load_acquire(&csd->node.u_flags, !(VAL & CSD_FLAG_LOCK));
}

static void csd_lock(call_single_data_t *csd)
{
	csd_lock_wait(csd);
	csd->node.u_flags |= CSD_FLAG_LOCK;
	/* The lock is taken before func/info are written (Linux's order). */
	smp_wmb();
}

static void csd_unlock(call_single_data_t *csd)
{
	/* Everything the function did is visible before the csd is free. */
	smp_store_release(&csd->node.u_flags, 0);
}

/* The call vector. Context: hard IRQ on the target CPU. */
static void call_single_ipi(void *unused)
{
	struct llist_node *entry;
	call_single_data_t *csd, *next;

	entry = llist_del_all(this_cpu_ptr(&call_single_queue));
	entry = llist_reverse_order(entry);	/* in the order queued */
	llist_for_each_entry_safe(csd, next, entry, node.llist) {
		smp_call_func_t func = csd->func;
		void *info = csd->info;

		if (csd->node.u_flags & CSD_TYPE_SYNC) {
			/* The caller waits for the unlock: after func. */
			func(info);
			csd_unlock(csd);
		} else {
			/* Async: free first, so func may queue it again. */
			csd_unlock(csd);
			func(info);
		}
	}
}

/* Run or queue a locked csd. Context: preemption off. */
static int generic_exec_single(int cpu, call_single_data_t *csd)
{
	if (cpu == smp_processor_id()) {
		smp_call_func_t func = csd->func;
		void *info = csd->info;
		unsigned long flags;

		csd_unlock(csd);
		local_irq_save(flags);
		func(info);
		local_irq_restore(flags);
		return 0;
	}
	if ((unsigned int)cpu >= nr_cpu_ids || !cpu_online(cpu) ||
	    call_vector[cpu] < 0) {
		csd_unlock(csd);
		return -ENXIO;
	}
	/* Only the add that finds the list empty interrupts: the handler
	 * empties the whole list, so later adds until then ride along. */
	if (llist_add(&csd->node.llist, &per_cpu(call_single_queue, cpu)))
		ddeos_irq_send(cpu, call_vector[cpu]);
	return 0;
}

/**
 * smp_call_function_single_async() - run csd->func(csd->info) on @cpu
 * @cpu: the target CPU
 * @csd: the request; the caller's until the function was called
 *
 * Runs in hard-IRQ context on @cpu (at once, IRQs off, if it is this CPU)
 * and does not wait.
 * Context: any (hard IRQ included).
 * Return: 0, -EBUSY if @csd is still queued from a previous call, -ENXIO
 * if @cpu is not online.
 */
int smp_call_function_single_async(int cpu, struct __call_single_data *csd)
{
	int err = 0;

	preempt_disable();
	if (csd->node.u_flags & CSD_FLAG_LOCK) {
		err = -EBUSY;
		goto out;
	}
	csd->node.u_flags = CSD_FLAG_LOCK;
	smp_wmb();
	err = generic_exec_single(cpu, csd);
out:
	preempt_enable();
	return err;
}

/**
 * smp_call_function_single() - run @func(@info) on @cpu
 * @cpu: the target CPU
 * @func: runs in hard-IRQ context there, must not sleep
 * @info: its argument
 * @wait: return only after @func returned
 *
 * Context: thread or softirq with IRQs on (two CPUs calling each other
 * with IRQs off would wait forever, as on Linux).
 * Return: 0, or -ENXIO if @cpu is not online.
 */
int smp_call_function_single(int cpu, smp_call_func_t func, void *info, int wait)
{
	call_single_data_t csd_stack = {
		.node = { .u_flags = CSD_FLAG_LOCK | CSD_TYPE_SYNC, },
	};
	call_single_data_t *csd = &csd_stack;
	int this_cpu, err;

	this_cpu = get_cpu();
	WARN_ON_ONCE(irqs_disabled());
	if (!wait) {
		if ((unsigned int)cpu >= nr_cpu_ids || !cfd_csds) {
			put_cpu();
			return -ENXIO;
		}
		csd = per_cpu_ptr(cfd_csds, this_cpu) + cpu;
		csd_lock(csd);
	}
	csd->func = func;
	csd->info = info;
	err = generic_exec_single(cpu, csd);
	if (wait)
		csd_lock_wait(csd);
	put_cpu();
	return err;
}

/**
 * on_each_cpu_cond_mask() - run @func on the CPUs of @mask
 * @cond_func: if not NULL, a CPU is called only if cond_func(cpu, info)
 * @func: runs in hard-IRQ context on each, this CPU included (IRQs off)
 * @info: its argument
 * @wait: return only after every call returned
 * @mask: the CPUs
 *
 * Behind on_each_cpu(), on_each_cpu_mask(), on_each_cpu_cond().
 * Context: thread or softirq with IRQs on.
 */
void on_each_cpu_cond_mask(smp_cond_func_t cond_func, smp_call_func_t func,
			   void *info, bool wait, const struct cpumask *mask)
{
	unsigned int this_cpu, cpu;
	unsigned long flags;

	if (WARN_ON_ONCE(!cfd_csds))
		return;		/* dde_smp_init() reported it */
	this_cpu = get_cpu();
	WARN_ON_ONCE(irqs_disabled());
	for_each_cpu_and(cpu, mask, cpu_online_mask) {
		call_single_data_t *csd = per_cpu_ptr(cfd_csds, this_cpu) + cpu;

		if (cpu == this_cpu || (cond_func && !cond_func(cpu, info)))
			continue;
		csd_lock(csd);
		if (wait)
			csd->node.u_flags |= CSD_TYPE_SYNC;
		csd->func = func;
		csd->info = info;
		generic_exec_single(cpu, csd);
	}
	if (cpumask_test_cpu(this_cpu, mask) &&
	    (!cond_func || cond_func(this_cpu, info))) {
		local_irq_save(flags);
		func(info);
		local_irq_restore(flags);
	}
	if (wait) {
		for_each_cpu_and(cpu, mask, cpu_online_mask)
			csd_lock_wait(per_cpu_ptr(cfd_csds, this_cpu) + cpu);
	}
	put_cpu();
}

/* Take each CPU's call vector. Context: boot, after dde_cpu_init(). */
void dde_smp_init(void)
{
	unsigned int cpu;

	/* Boot: neither can fail unless the kernel is misconfigured; a CPU
	 * without a vector then refuses calls (-ENXIO) instead of stopping. */
	cfd_csds = __alloc_percpu(nr_cpu_ids * sizeof(call_single_data_t),
				  __alignof__(call_single_data_t));
	for_each_possible_cpu(cpu) {
		init_llist_head(per_cpu_ptr(&call_single_queue, cpu));
		call_vector[cpu] = ddeos_irq_vector_alloc(cpu, call_single_ipi, NULL);
		if (call_vector[cpu] < 0)
			pr_err("dde: no vector for cross-CPU calls on cpu %u: %d\n",
			       cpu, call_vector[cpu]);
	}
}
