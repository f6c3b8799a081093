// SPDX-License-Identifier: GPL-2.0-only
/*
 * preempt_schedule(): where Linux code lands when preempt_enable() takes the
 * shared counter to zero with a reschedule pending (through Linux's own
 * preempt_schedule_thunk, arch/x86/entry/thunk_64.S). It hands over to the
 * ddeos scheduler. (Linux: kernel/sched/core.c.)
 */
#include <linux/preempt.h>
#include <linux/sched.h>
#include <dde/dde.h>

asmlinkage __visible void notrace preempt_schedule(void)
{
	if (likely(!preemptible()))
		return;
	ddeos_preempt();
}

asmlinkage __visible void notrace preempt_schedule_notrace(void)
{
	if (likely(!preemptible()))
		return;
	ddeos_preempt();
}
