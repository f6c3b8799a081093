/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What DDE files share among themselves (Linux world). The kernel is
 * reached only through ddeos_waist.h.
 */
#ifndef DDE_DDE_H
#define DDE_DDE_H

#include <linux/types.h>
#include <ddeos_waist.h>

/* Called by every generated unsupported entry (build/dde/unsupported.c). */
void dde_unsupported(const char *name, void *caller, int fatal);
unsigned long dde_unsupported_calls(void);
const char *dde_unsupported_last(void);

/* printk's record of recent messages, for tests and post-mortems. */
bool dde_printk_log_contains(const char *text);
/* Give every complete line printk writes (without its level) to @fn as
 * well, or stop with NULL. One observer at a time. Context: thread. */
void dde_printk_set_observer(void (*fn)(const char *line));

/* kernel_power_off() hands the machine to the main thread, which must say
 * it waits before the code that may call it starts (dde/kernel/reboot.c). */
void dde_power_off_expect(void);
void dde_power_off_wait(void);

/* WARN accounting (dde/kernel/panic.c). */
unsigned long dde_warn_count(void);
const char *dde_warn_last_file(void);
unsigned int dde_warn_last_line(void);

/* Boot steps, in the order ddeos_dde_init() runs them. */
void dde_cpuinfo_init(void);
void dde_random_init(void);
void dde_cpu_init(void);
void dde_task_init(void);
void dde_bug_init(void);
void dde_extable_init(void);
void dde_params_init(void);
void dde_time_init(void);
void dde_irq_init(void);
void dde_smp_init(void);
void dde_rcu_init(void);
unsigned long dde_rcu_grace_periods(void);
/* Grace periods in Linux's gp_seq encoding (kernel/rcu/rcu.h): the count
 * above the two low bits, which are non-zero while one is in progress. */
#define DDE_RCU_SEQ_STATE_MASK	3UL
unsigned long dde_rcu_gp_seq(void);
void dde_rcu_want_gp(unsigned long seq);
void dde_block_init(void);
void dde_initcalls_run_early(void);
void dde_initcalls_report(void);
/* dde/drivers/base/device_lines.c: the boot's device: lines. */
struct device;
struct device_driver;
void dde_device_probe_failed(struct device *dev, struct device_driver *drv, int err);
void dde_device_lines(void);

#endif
