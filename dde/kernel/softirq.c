// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bottom-half enabling (Linux: kernel/softirq.c, __local_bh_enable_ip()).
 * Disabling is Linux's inline preempt_count_add() on the shared counter.
 * No softirq can be pending yet: raising one (raise_softirq, NAPI) is an
 * unsupported entry until the network issue brings softirq processing, so
 * enabling only drops the count and takes a pending reschedule, as Linux
 * does after running softirqs.
 */
#include <linux/bottom_half.h>
#include <linux/interrupt.h>
#include <linux/preempt.h>
#include <dde/dde.h>

void __local_bh_enable_ip(unsigned long ip, unsigned int cnt)
{
	WARN_ON_ONCE(in_hardirq());
	preempt_count_sub(cnt - 1);
	preempt_count_dec();
	preempt_check_resched();
}
