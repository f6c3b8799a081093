// SPDX-License-Identifier: GPL-2.0-only
/*
 * jiffies and sched_clock (Linux: kernel/time/timer.c, jiffies.c).
 * jiffies is the monotonic clock in ticks of 1/CONFIG_HZ (250; the build
 * checks it is the ddeos tick rate): every CPU's tick sets it from the
 * clock, so a tick that came late, or a CPU that had its interrupts off for
 * a while, leaves no lasting gap, and it only ever moves forward.
 * sched_clock() and ktime_get() are the ddeos monotonic clock.
 *
 * Timers (timer_list) are Linux's own timer wheel, kernel/time/timer.c,
 * compiled unmodified: each CPU's tick runs Linux's update_process_times(),
 * whose run_local_timers() raises TIMER_SOFTIRQ when a timer of this CPU's
 * wheel is due, and the
 * timers then run in softirq context on the CPU that armed them. Beneath
 * it: the jiffies conversions of kernel/time/time.c (rewritten here: that
 * file is mostly system calls) and the tick work Linux's
 * update_process_times() would do, which ddeos does elsewhere or has no
 * subject for (see each function).
 */
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/kernel_stat.h>
#include <linux/ktime.h>
#include <linux/timer.h>
#include <linux/sched.h>
#include <linux/irq_work.h>
#include <linux/hrtimer.h>
#include <linux/rcupdate.h>
#include <linux/math64.h>
#include <linux/sched/clock.h>
#include <linux/smp.h>
#include <dde/dde.h>

static_assert(HZ == DDEOS_TICK_HZ, "CONFIG_HZ must be the ddeos tick rate");

/* jiffies_64 is kernel/time/timer.c's; jiffies is the same word, named
 * in the linker script as Linux's vmlinux.lds.S does. */

/* kernel/time/timer.c's; declared in Linux's internal timekeeping.h. */
void update_process_times(int user_tick);

/* Context: hard IRQ, every tick of every CPU. */
static void dde_tick(void)
{
	u64 now = INITIAL_JIFFIES + div_u64(ddeos_clock_ns(), TICK_NSEC);
	u64 old = READ_ONCE(jiffies_64);

	while (old < now && !try_cmpxchg64(&jiffies_64, &old, now))
		;
	update_process_times(0);	/* TIMER_SOFTIRQ if a timer is due */
}

ktime_t ktime_get(void)
{
	return ddeos_clock_ns();
}

time64_t ktime_get_seconds(void)
{
	return div_u64(ddeos_clock_ns(), NSEC_PER_SEC);
}

/* ---- conversions (Linux: kernel/time/time.c), HZ = 250 ---------------- */

unsigned int jiffies_to_msecs(const unsigned long j)
{
	return (MSEC_PER_SEC / HZ) * j;
}

unsigned int jiffies_to_usecs(const unsigned long j)
{
	return (USEC_PER_SEC / HZ) * j;
}

/* Rounded up, and capped where Linux caps it (MAX_JIFFY_OFFSET). */
unsigned long __msecs_to_jiffies(const unsigned int m)
{
	if ((int)m < 0)
		return MAX_JIFFY_OFFSET;
	return DIV_ROUND_UP(m, MSEC_PER_SEC / HZ);
}

unsigned long __usecs_to_jiffies(const unsigned int u)
{
	if (u > jiffies_to_usecs(MAX_JIFFY_OFFSET))
		return MAX_JIFFY_OFFSET;
	return DIV_ROUND_UP(u, USEC_PER_SEC / HZ);
}

u64 jiffies64_to_nsecs(u64 j)
{
	return j * TICK_NSEC;
}

unsigned long nsecs_to_jiffies(u64 n)
{
	return div_u64(n, TICK_NSEC);
}

/* ---- what update_process_times() would also do on Linux ------------------ */

/* CPU-time accounting per task: ddeos keeps none. */
void account_process_tick(struct task_struct *p, int user_tick)
{
}

/* The scheduler's tick is ddeos's own (kernel/sched.c). */
void scheduler_tick(void)
{
}

/* RCU's per-tick work: no grace periods in the DDE yet. */
void rcu_sched_clock_irq(int user)
{
}

/* irq_work is not offered, so nothing can be queued. */
void irq_work_tick(void)
{
}

/* hrtimer_start() is not offered, so no hrtimer can be queued. */
void hrtimer_run_queues(void)
{
}

unsigned long long notrace sched_clock(void)
{
	return ddeos_clock_ns();
}

/* One clock for every CPU, so the per-CPU one is the same. */
u64 sched_clock_cpu(int cpu)
{
	return sched_clock();
}

void dde_time_init(void)
{
	init_timers();		/* Linux's: the per-CPU wheels, TIMER_SOFTIRQ */
	ddeos_set_tick_hook(dde_tick);
}
