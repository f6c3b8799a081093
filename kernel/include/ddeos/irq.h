/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interrupt vectors and hard-IRQ context. Each CPU has its own vector table,
 * so a device vector is a (cpu, vector) pair: MSI/MSI-X and IOAPIC routes
 * name both. Handlers run in hard-IRQ context: IRQs off, HARDIRQ_OFFSET in
 * the preempt counter, may not sleep.
 */
#ifndef DDEOS_IRQ_H
#define DDEOS_IRQ_H

#include <ddeos/types.h>

typedef void (*irq_handler_fn)(void *arg);

/*
 * Allocate a device vector on @cpu and attach @fn(@arg) to it.
 * Return: the vector (>= 0x30) or -ENOSPC / -EINVAL.
 * Context: any.
 */
int irq_vector_alloc(unsigned int cpu, irq_handler_fn fn, void *arg);
/* Detach; on return the handler runs nowhere. Context: not the handler. */
void irq_vector_free(unsigned int cpu, int vector);

/* Attach a handler to a system vector on every CPU (boot only). */
void irq_set_system_handler(unsigned int vector, irq_handler_fn fn, void *arg);

/* Called by the arch entry code with IRQs off, on the IRQ stack. */
void irq_handle(unsigned int vector);
/* Called by the arch entry code after an interrupt, back on the
 * interrupted stack: the preemption point of interrupt exit. */
void irq_exit_preempt(void);
/* Is @addr on this CPU's IRQ stack? (arch) Context: any. */
bool arch_on_irq_stack(uint64_t addr);
uint64_t arch_irq_stack_top(unsigned int cpu);

/* Run at the end of each hard IRQ instead of dropping HARDIRQ_OFFSET: the
 * hook drops it (Linux's irq_exit(), softirqs). */
void irq_set_exit_hook(void (*hook)(void));

/* Counters (for tests and diagnostics). */
uint64_t irq_count(unsigned int cpu, unsigned int vector);

/* MSI message for @vector on @cpu. Return: 0, or -EINVAL if unreachable. */
int msi_compose(unsigned int cpu, unsigned int vector, uint64_t *addr,
		uint32_t *data);

/* Route a legacy interrupt (GSI) through the IOAPIC. Context: thread/boot. */
int ioapic_route(uint32_t gsi, unsigned int cpu, unsigned int vector,
		 bool level, bool active_low);
/* The same, left masked until ioapic_unmask(). Context: any. */
int ioapic_route_masked(uint32_t gsi, unsigned int cpu, unsigned int vector,
			bool level, bool active_low);
/* Return: 0, or -EINVAL for an unknown GSI. Context: any. */
int ioapic_mask(uint32_t gsi);
int ioapic_unmask(uint32_t gsi);
uint32_t ioapic_isa_to_gsi(unsigned int isa_irq, bool *level, bool *active_low);

#endif
