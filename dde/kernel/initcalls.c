// SPDX-License-Identifier: GPL-2.0-only
/*
 * The initcalls of the compiled Linux files (Linux: init/main.c's
 * do_pre_smp_initcalls(), do_initcalls() and do_one_initcall()), collected
 * by the linker in Linux's order (kernel/arch/x86_64/linker.ld mirrors
 * INIT_CALLS of include/asm-generic/vmlinux.lds.h). With
 * HAVE_ARCH_PREL32_RELOCATIONS an entry is a 32-bit offset to the function.
 * The early ones (ksoftirqd) run inside ddeos_dde_init(); the levels pure
 * to late run from ddeos_dde_run_initcalls(), which the kernel calls once
 * the command line is applied, so that module parameters are set before
 * the drivers' init runs, as Linux parses them before each level.
 * Difference: Linux prints a failing initcall only with initcall_debug;
 * we always do, since a driver that did not register is worth a line.
 */
#include <linux/init.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <dde/dde.h>
#include <dde/mm.h>

extern initcall_entry_t __initcall_start[], __initcall0_start[], __initcall1_start[],
	__initcall2_start[], __initcall3_start[], __initcall4_start[],
	__initcall5_start[], __initcall6_start[], __initcall7_start[],
	__initcall_end[];

static initcall_entry_t *levels[] = {
	__initcall0_start, __initcall1_start, __initcall2_start,
	__initcall3_start, __initcall4_start, __initcall5_start,
	__initcall6_start, __initcall7_start, __initcall_end,
};

#define DEVICE_LEVEL	6

/* Linux's initcall_level_names[] */
static const char *const level_names[] = {
	"pure", "core", "postcore", "arch", "subsys", "fs", "device", "late",
};

static unsigned int initcalls_ran, initcalls_failed;
static bool initcalls_done;

/* Linux's (init/main.c): the scheduler runs from the start here, and the
 * system runs once the initcalls are done; kernel_power_off() ends it. */
enum system_states system_state __read_mostly = SYSTEM_SCHEDULING;

/*
 * Linux (kernel/rcu/update.c) says boot has ended once init is about to
 * run user space; here, once the initcalls are done (torture.c's
 * disable_onoff_at_boot waits for it).
 */
bool rcu_inkernel_boot_has_ended(void)
{
	return READ_ONCE(initcalls_done);
}

void dde_initcalls_report(void)
{
	char line[160];
	int n = 0, total = 0;

	for (int i = 0; i < ARRAY_SIZE(level_names); i++) {
		int count = levels[i + 1] - levels[i];

		total += count;
		n += scnprintf(line + n, sizeof(line) - n, " %s=%d",
			       level_names[i], count);
	}
	pr_info("dde: %d initcalls:%s\n", total, line);
}

/**
 * do_one_initcall - call one initcall
 * @fn: the initcall
 *
 * An initcall must give back the preemption count and interrupt state it
 * was called with; one that does not is warned about and its damage
 * undone, and boot goes on (as on Linux).
 *
 * Context: thread, may sleep.
 * Return: what @fn returned.
 */
int do_one_initcall(initcall_t fn)
{
	int count = preempt_count();
	char msgbuf[64] = "";
	int ret;

	pr_debug("dde: calling %pS\n", fn);
	ret = fn();
	if (preempt_count() != count) {
		strlcat(msgbuf, "preemption imbalance ", sizeof(msgbuf));
		preempt_count_set(count);
	}
	if (irqs_disabled()) {
		strlcat(msgbuf, "disabled interrupts ", sizeof(msgbuf));
		local_irq_enable();
	}
	WARN(msgbuf[0], "initcall %pS returned with %s\n", fn, msgbuf);
	return ret;
}

/* Linux's do_pre_smp_initcalls(): the early_initcall()s, in link order. */
void dde_initcalls_run_early(void)
{
	initcall_entry_t *e;

	for (e = __initcall_start; e < __initcall0_start; e++) {
		initcall_t fn = initcall_from_entry(e);
		int ret = do_one_initcall(fn);

		if (ret)
			pr_warn("dde: early initcall %pS returned %d\n", fn, ret);
	}
}

/**
 * ddeos_dde_run_initcalls - run the initcall levels pure..late in order
 *
 * Linux's do_initcalls(): each level in turn, each initcall of a level in
 * link order; one that fails is reported with its name and return value,
 * and the rest still run. Bus registration (virtio_init, core) thus
 * precedes the drivers (module_init, device).
 *
 * Context: the main thread, once, after ddeos_dde_init() and the command
 * line (module parameters); may sleep.
 */
void ddeos_dde_run_initcalls(void)
{
	for (int level = 0; level < ARRAY_SIZE(level_names); level++) {
		initcall_entry_t *e;

		/* fail_alloc.window=probe: the drivers' module_init()s, which
		 * probe; not the buses below them (virtio_init() panics on
		 * failure, as Linux's does). */
		if (level == DEVICE_LEVEL)
			dde_fail_alloc_window(true);
		for (e = levels[level]; e < levels[level + 1]; e++) {
			initcall_t fn = initcall_from_entry(e);
			int ret = do_one_initcall(fn);

			initcalls_ran++;
			if (ret) {
				initcalls_failed++;
				pr_warn("dde: %s initcall %pS returned %d\n",
					level_names[level], fn, ret);
			}
		}
	}
	dde_fail_alloc_window(false);
	WRITE_ONCE(initcalls_done, true);
	system_state = SYSTEM_RUNNING;
	pr_info("dde: initcalls done: %u ran, %u failed\n", initcalls_ran,
		initcalls_failed);
	dde_device_lines();
}
