// SPDX-License-Identifier: GPL-2.0-only
/*
 * The initcalls of the compiled Linux files, collected by the linker in
 * Linux's order (kernel/arch/x86_64/linker.ld mirrors INIT_CALLS of
 * include/asm-generic/vmlinux.lds.h). With HAVE_ARCH_PREL32_RELOCATIONS an
 * entry is a 32-bit offset to the function. The early ones (Linux's
 * do_pre_smp_initcalls(): ksoftirqd, from kernel/softirq.c) run at DDE start;
 * running the levels, which probes the devices, belongs to the driver
 * issue; this reports what is there.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <dde/dde.h>

extern initcall_entry_t __initcall_start[], __initcall0_start[], __initcall1_start[],
	__initcall2_start[], __initcall3_start[], __initcall4_start[],
	__initcall5_start[], __initcall6_start[], __initcall7_start[],
	__initcall_end[];

static initcall_entry_t *levels[] = {
	__initcall0_start, __initcall1_start, __initcall2_start,
	__initcall3_start, __initcall4_start, __initcall5_start,
	__initcall6_start, __initcall7_start, __initcall_end,
};

static const char *const level_names[] = {
	"pure", "core", "postcore", "arch", "subsys", "fs", "device", "late",
};

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

/* Linux's do_pre_smp_initcalls(): the early_initcall()s, in link order. */
void dde_initcalls_run_early(void)
{
	initcall_entry_t *e;

	for (e = __initcall_start; e < __initcall0_start; e++) {
		initcall_t fn = initcall_from_entry(e);
		int ret = fn();

		if (ret)
			pr_warn("dde: early initcall %pS returned %d\n", fn, ret);
	}
}
