// SPDX-License-Identifier: GPL-2.0-only
/*
 * panic(), taints and the WARN report (Linux: kernel/panic.c). __warn() is
 * what Linux's lib/bug.c (compiled unmodified) calls for a WARN: it prints
 * file, line, CPU and thread, and a backtrace, like Linux's
 * "------------[ cut here ]------------" report, then the caller goes on.
 * panic() prints its message and stops every CPU with a failure exit.
 */
#include <linux/bug.h>
#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/panic.h>
#include <linux/printk.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <dde/dde.h>

unsigned long tainted_mask;
static atomic_long_t warn_count = ATOMIC_LONG_INIT(0);
static const char *warn_last_file;
static unsigned int warn_last_line;

void add_taint(unsigned flag, enum lockdep_ok lockdep_ok)
{
	set_bit(flag, &tainted_mask);
}

void __warn_printk(const char *fmt, ...)
{
	va_list args;

	pr_warn(CUT_HERE);
	va_start(args, fmt);
	vprintk(fmt, args);
	va_end(args);
}

void __warn(const char *file, int line, void *caller, unsigned taint,
	    struct pt_regs *regs, struct warn_args *args)
{
	if (file)
		pr_warn("WARNING: CPU: %d PID: %d (%s) at %s:%d %pS\n",
			raw_smp_processor_id(), current ? current->pid : 0,
			current ? current->comm : "?", file, line, caller);
	else
		pr_warn("WARNING: CPU: %d PID: %d at %pS\n",
			raw_smp_processor_id(), current ? current->pid : 0, caller);
	if (regs)
		ddeos_backtrace(regs->bp, regs->ip);
	else
		ddeos_backtrace_here();
	add_taint(taint, LOCKDEP_STILL_OK);
	WRITE_ONCE(warn_last_file, file);
	WRITE_ONCE(warn_last_line, line);
	atomic_long_inc(&warn_count);
	pr_warn("---[ end trace ]---\n");
}

void panic(const char *fmt, ...)
{
	static char buf[256];
	va_list args;

	va_start(args, fmt);
	vscnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	pr_emerg("Kernel panic - not syncing: %s\n", buf);
	ddeos_panic(buf);
}

unsigned long dde_warn_count(void)
{
	return atomic_long_read(&warn_count);
}

const char *dde_warn_last_file(void)
{
	return READ_ONCE(warn_last_file);
}

unsigned int dde_warn_last_line(void)
{
	return READ_ONCE(warn_last_line);
}
