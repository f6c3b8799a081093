// SPDX-License-Identifier: GPL-2.0-only
/*
 * jiffies and sched_clock (Linux: kernel/time/timer.c, jiffies.c).
 * jiffies is the monotonic clock in ticks of 1/CONFIG_HZ (250; the build
 * checks it is the ddeos tick rate): every CPU's tick sets it from the
 * clock, so a tick that came late, or a CPU that had its interrupts off for
 * a while, leaves no lasting gap, and it only ever moves forward.
 * sched_clock() is the ddeos monotonic clock.
 */
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/sched/clock.h>
#include <linux/smp.h>
#include <dde/dde.h>

static_assert(HZ == DDEOS_TICK_HZ, "CONFIG_HZ must be the ddeos tick rate");

/* Linux aliases jiffies to the low word of jiffies_64 in its linker
 * script; on 64-bit they are one variable, so define both names here. */
u64 jiffies_64 __cacheline_aligned_in_smp = INITIAL_JIFFIES;
extern unsigned long volatile jiffies __attribute__((alias("jiffies_64")));

/* Context: hard IRQ, every tick of every CPU. */
static void dde_tick(void)
{
	u64 now = INITIAL_JIFFIES + div_u64(ddeos_clock_ns(), TICK_NSEC);
	u64 old = READ_ONCE(jiffies_64);

	while (old < now && !try_cmpxchg64(&jiffies_64, &old, now))
		;
}

unsigned long long notrace sched_clock(void)
{
	return ddeos_clock_ns();
}

void dde_time_init(void)
{
	ddeos_set_tick_hook(dde_tick);
}
