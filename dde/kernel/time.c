// SPDX-License-Identifier: GPL-2.0-only
/*
 * jiffies and sched_clock (Linux: kernel/time/timer.c, jiffies.c). jiffies
 * advances on CPU 0's scheduler tick, which runs at CONFIG_HZ (250; the
 * build checks the two agree). sched_clock() is the ddeos monotonic clock.
 */
#include <linux/jiffies.h>
#include <linux/sched/clock.h>
#include <linux/smp.h>
#include <dde/dde.h>

static_assert(HZ == DDEOS_TICK_HZ, "CONFIG_HZ must be the ddeos tick rate");

/* Linux aliases jiffies to the low word of jiffies_64 in its linker
 * script; on 64-bit they are one variable, so define both names here. */
u64 jiffies_64 __cacheline_aligned_in_smp = INITIAL_JIFFIES;
extern unsigned long volatile jiffies __attribute__((alias("jiffies_64")));

static void dde_tick(void)
{
	if (raw_smp_processor_id() == 0)
		WRITE_ONCE(jiffies_64, jiffies_64 + 1);
}

unsigned long long notrace sched_clock(void)
{
	return ddeos_clock_ns();
}

void dde_time_init(void)
{
	ddeos_set_tick_hook(dde_tick);
}
