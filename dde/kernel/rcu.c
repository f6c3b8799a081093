// SPDX-License-Identifier: GPL-2.0-only
/*
 * RCU read side for CONFIG_PREEMPT_RCU (Linux: kernel/rcu/tree_plugin.h):
 * readers only count their nesting in current, exactly as Linux does. The
 * grace-period side (synchronize_rcu, call_rcu) is an unsupported entry
 * until an issue needs it: no Linux code in the image can free under RCU
 * before then, so nothing waits on these counts yet.
 */
#include <linux/rcupdate.h>
#include <linux/sched.h>

void __rcu_read_lock(void)
{
	current->rcu_read_lock_nesting++;
	barrier();
}

void __rcu_read_unlock(void)
{
	barrier();
	WARN_ON_ONCE(current->rcu_read_lock_nesting <= 0);
	current->rcu_read_lock_nesting--;
}

/*
 * A softirq-context quiescent state (called by Linux's __do_softirq()). There
 * are no grace periods to report it to until the DDE has RCU's grace-period
 * side; readers are counted in current, which this does not touch.
 */
void rcu_softirq_qs(void)
{
}
