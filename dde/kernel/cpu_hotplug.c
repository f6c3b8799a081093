// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPU hotplug locking (Linux: kernel/cpu.c). ddeos never takes a CPU
 * offline or brings one up after the DDE starts, so the set of online CPUs
 * cannot change under a reader: holding the read side is a deliberate
 * no-op, and correct for exactly that reason.
 */
#include <linux/cpu.h>

void cpus_read_lock(void)
{
}

void cpus_read_unlock(void)
{
}
