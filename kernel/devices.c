// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel's view of what the Linux drivers bound (ddeos/devices.h): the
 * boot's `device:` lines and the drivers' IRQs, read through the waist
 * from the DDE, which keeps them. For status pages; no state here.
 */
#include <ddeos/devices.h>
#include "waist/ddeos_waist.h"

const char *devices_line(unsigned int n)
{
	return ddeos_dde_device_line(n);
}

struct devices_irq_call {
	void (*fn)(void *arg, unsigned int irq, const char *name,
		   unsigned int cpu, uint64_t count);
	void *arg;
};

static void devices_irq_one(void *arg, unsigned int irq, const char *name,
			    unsigned int cpu, unsigned long count)
{
	struct devices_irq_call *c = arg;

	c->fn(c->arg, irq, name, cpu, count);
}

void devices_for_each_irq(void (*fn)(void *arg, unsigned int irq,
				     const char *name, unsigned int cpu,
				     uint64_t count),
			  void *arg)
{
	struct devices_irq_call c = { fn, arg };

	ddeos_dde_irqs(devices_irq_one, &c);
}
