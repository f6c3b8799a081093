// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bringing up the Linux environment: the order matters. Early parameters
 * (loglevel=) first, then CPU masks (smp_processor_id() users read them),
 * `current` for every thread, WARN/BUG and exception fixups, jiffies, the
 * workqueue pools, the IRQ exit with softirqs, the early initcalls
 * (ksoftirqd), RCU, the first kworkers; then the initcall report. The
 * other initcall levels run later, from ddeos_dde_run_initcalls()
 * (initcalls.c), once the kernel has applied the command line.
 */
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/radix-tree.h>
#include <linux/workqueue.h>
#include <generated/utsrelease.h>
#include <dde/dde.h>
#include <dde/net.h>
#include DDEOS_LINUX_VERSION_HEADER

void ddeos_dde_init(void)
{
	dde_params_init();	/* loglevel= first, as Linux's early params */
	pr_info("dde: Linux %s (Debian linux-source-6.1 %s), built as %s\n",
		DDEOS_LINUX_VERSION, DDEOS_LINUX_PKG_VERSION, UTS_RELEASE);
	dde_cpuinfo_init();
	dde_cpu_init();
	dde_random_init();
	dde_task_init();
	dde_bug_init();
	dde_extable_init();
	dde_time_init();
	radix_tree_init();	/* Linux's: node cache for radix trees, xarrays, ida */
	workqueue_init_early();	/* Linux's: pools, system workqueues */
	dde_irq_init();		/* irq_exit() and softirqs at every IRQ's end */
	dde_smp_init();		/* a vector per CPU for cross-CPU calls */
	dde_initcalls_run_early();	/* ksoftirqd/N */
	dde_rcu_init();			/* the rcu_gp thread */
	workqueue_init();		/* Linux's: the first workers */
	dde_block_init();		/* BLOCK_SOFTIRQ */
	dde_net_init();			/* skbs, softnet_data, NET_RX/NET_TX */
	dde_initcalls_report();
}
