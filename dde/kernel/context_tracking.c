// SPDX-License-Identifier: GPL-2.0-only
/*
 * Context-tracking state (Linux: kernel/context_tracking.c). Linux's
 * lib/bug.c reads it through ct_state() when it reports a WARN. ddeos
 * never leaves kernel mode and has no RCU idle tracking, so the state
 * stays CONTEXT_KERNEL (zero) on every CPU; nothing changes it.
 */
#include <linux/context_tracking_state.h>
#include <linux/percpu.h>

DEFINE_PER_CPU(struct context_tracking, context_tracking);

/*
 * Entering and leaving hard IRQs (Linux's irq_enter()/irq_exit() call these
 * for RCU's idle tracking and for NO_HZ_FULL): ddeos CPUs are never in an
 * RCU-idle or user state, so there is no transition to track.
 */
void ct_irq_enter(void)
{
}

void ct_irq_exit(void)
{
}
