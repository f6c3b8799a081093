// SPDX-License-Identifier: GPL-2.0-only
/*
 * WARN and BUG traps (Linux: arch/x86/kernel/traps.c, handle_bug()). Linux
 * code compiled with CONFIG_GENERIC_BUG emits ud2 plus a __bug_table entry;
 * the ddeos kernel hands invalid-opcode traps to us first. Linux's own
 * report_bug() (lib/bug.c) finds the entry and prints; a WARN continues
 * after the two-byte ud2, a BUG stops the kernel with a failure status.
 * A ud2 without an entry is not ours: the kernel reports it as a fault.
 */
#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <asm/bug.h>
#include <dde/dde.h>

#define LEN_UD2		2

int is_valid_bugaddr(unsigned long addr)
{
	const u8 *ud2 = (const u8 *)addr;

	return ud2[0] == 0x0f && ud2[1] == 0x0b;
}

static int dde_ud_trap(unsigned long *rip, unsigned long rbp)
{
	struct pt_regs regs = { .ip = *rip, .bp = rbp };

	switch (report_bug(*rip, &regs)) {
	case BUG_TRAP_TYPE_WARN:
		*rip += LEN_UD2;
		return 1;
	case BUG_TRAP_TYPE_BUG:
		ddeos_backtrace(rbp, *rip);
		ddeos_panic("kernel BUG (see above)");
	default:
		return 0;
	}
}

void dde_bug_init(void)
{
	ddeos_set_ud_hook(dde_ud_trap);
}

/* crash=linux-bug: a BUG() in Linux-world code, reported with its file and
 * line and stopping the kernel with a failure status. */
noinline void ddeos_dde_bug_on_purpose(void)
{
	BUG();
}

/* Linux's dump_stack(): a backtrace of the caller. Context: any. */
asmlinkage __visible void dump_stack(void)
{
	pr_warn("CPU: %d PID: %d Comm: %s\n", raw_smp_processor_id(),
		current ? current->pid : 0, current ? current->comm : "?");
	ddeos_backtrace_here();
}
