/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the Linux drivers bound, for status pages (apps/httpd): the boot's
 * `device:` lines and the drivers' IRQs with their counts. A thin kernel
 * face over the waist (kernel/devices.c); the DDE keeps the data.
 */
#ifndef DDEOS_DEVICES_H
#define DDEOS_DEVICES_H

#include <ddeos/types.h>

/*
 * devices_line - the @n-th `device:` line the boot printed (docs/options.md)
 * Return: the line without its newline, NULL past the last (or before the
 * drivers probed). Context: any.
 */
const char *devices_line(unsigned int n);

/*
 * devices_for_each_irq - each driver IRQ, as Linux's /proc/interrupts
 *
 * Calls @fn(@arg, irq, name, cpu, count): the Linux IRQ number, its
 * handler's name (virtio_pci names a queue's vector "virtio1-input.0"),
 * the CPU it is routed to, the interrupts taken on all CPUs. @fn must not
 * sleep. Context: thread or softirq, does not sleep.
 */
void devices_for_each_irq(void (*fn)(void *arg, unsigned int irq,
				     const char *name, unsigned int cpu,
				     uint64_t count),
			  void *arg);

#endif
