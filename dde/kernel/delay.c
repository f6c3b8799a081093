// SPDX-License-Identifier: GPL-2.0-only
/* Sleeping delays and jiffies conversions (Linux: kernel/time/timer.c, time.c). */
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <dde/dde.h>

void msleep(unsigned int msecs)
{
	might_sleep();
	ddeos_sleep_ns((unsigned long long)msecs * NSEC_PER_MSEC);
}

unsigned int jiffies_to_usecs(const unsigned long j)
{
	return j * (USEC_PER_SEC / HZ);
}
