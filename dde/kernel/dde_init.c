// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bringing up the Linux environment: the order matters. CPU masks first
 * (smp_processor_id() users read them), then `current` for every thread,
 * WARN/BUG, jiffies; then the initcall report. Running the initcalls, which
 * probes devices, belongs to the driver issue.
 */
#include <linux/kernel.h>
#include <linux/printk.h>
#include <generated/utsrelease.h>
#include <dde/dde.h>
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
	dde_initcalls_report();
}
