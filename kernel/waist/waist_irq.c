// SPDX-License-Identifier: GPL-2.0-only
/*
 * The waist's interrupt entries: the DDE's Linux IRQ layer
 * (dde/kernel/irq/) takes device vectors on chosen CPUs and raises them
 * through these. Thin forwards to kernel/irq.c and the arch IPI; the EOI
 * stays with the kernel (irq_handle() sends it after the handler).
 */
#include <arch/vectors.h>
#include <ddeos/arch.h>
#include <ddeos/errno.h>
#include <ddeos/irq.h>
#include <ddeos/smp.h>
#include "ddeos_waist.h"

int ddeos_irq_vector_alloc(unsigned int cpu, void (*fn)(void *), void *arg)
{
	if (cpu >= smp_cpus_online())
		return -EINVAL;	/* that CPU takes no interrupts */
	return irq_vector_alloc(cpu, fn, arg);
}

void ddeos_irq_vector_free(unsigned int cpu, int vector)
{
	irq_vector_free(cpu, vector);
}

void ddeos_irq_send(unsigned int cpu, unsigned int vector)
{
	if (cpu >= smp_cpus_online() || vector < VEC_DEVICE_FIRST ||
	    vector > VEC_DEVICE_LAST)
		return;
	arch_send_ipi(cpu, vector);
}
