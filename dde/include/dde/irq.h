/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The DDE's Linux IRQ numbers, for the code that makes interrupt sources
 * (the PCI layer: MSI-X and MSI vectors, IOAPIC INTx lines; tests: software
 * sources). A source is a struct dde_irq_chip: how to point it at a (cpu,
 * vector) and how to mask it. dde/kernel/irq/ gives each source a Linux
 * IRQ number that request_irq() and friends accept, owns its vector, and
 * moves it when the affinity changes. Linux world only.
 */
#ifndef DDE_IRQ_H
#define DDE_IRQ_H

#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/types.h>

/*
 * How to drive one interrupt source. Every callback gets the chip_data
 * given to dde_irq_create() and is called with the IRQ's descriptor lock
 * held and IRQs off (from hard IRQ too): it must not sleep.
 * @route: deliver to @vector on @cpu from now on (MSI: compose and write
 *	the message; IOAPIC: rewrite the redirection entry). Return 0 or
 *	-errno (the move is then abandoned).
 * @mask, @unmask: stop and restart delivery. An edge source must latch an
 *	event that arrives while masked and deliver it on unmask (MSI-X's
 *	pending bit); a level source re-asserts by itself.
 * @eoi: optional; called after the handlers of a level source ran (the
 *	kernel's local APIC EOI comes after it, at the end of the IRQ).
 */
struct dde_irq_chip {
	const char *name;
	int (*route)(void *chip_data, unsigned int cpu, unsigned int vector);
	void (*mask)(void *chip_data);
	void (*unmask)(void *chip_data);
	void (*eoi)(void *chip_data);
};

/* dde_irq_create() flags */
#define DDE_IRQ_LEVEL	0x1	/* level-triggered, shareable (IOAPIC INTx);
				 * else edge (MSI, MSI-X) */
#define DDE_IRQ_MANAGED	0x2	/* kernel-managed affinity (Linux's
				 * IRQD_AFFINITY_MANAGED): drivers may not
				 * move it outside @affinity */

/* Linux's x86 numbering: 0..63 are the IOAPICs' GSIs (dde_irq_create_at;
 * microvm's second IOAPIC starts at GSI 24), dynamic numbers (MSI, MSI-X,
 * tests) start above them. */
#define DDE_IRQ_NR_GSI		64
#define DDE_NR_IRQS		1024

/**
 * dde_irq_create() - give an interrupt source a Linux IRQ number
 * @chip: the source's operations (not copied; must outlive the IRQ)
 * @chip_data: passed to every @chip callback
 * @affinity: CPUs it may be delivered to, or NULL for any online CPU; the
 *	least loaded one of them is chosen
 * @flags: DDE_IRQ_LEVEL, DDE_IRQ_MANAGED
 *
 * Allocates a vector on the chosen CPU and routes the source there, masked:
 * the first request_irq() unmasks it (Linux's irq_startup()).
 * Context: thread, may sleep.
 * Return: the IRQ number (>= DDE_IRQ_NR_GSI), -EINVAL, -ENOMEM or -ENOSPC.
 */
int dde_irq_create(const struct dde_irq_chip *chip, void *chip_data,
		   const struct cpumask *affinity, unsigned int flags);
/* The same at a chosen number below DDE_IRQ_NR_GSI (an INTx line at its
 * GSI, as Linux numbers them). Return: @irq, -EEXIST if it exists (a
 * shared line is created once), or as dde_irq_create(). */
int dde_irq_create_at(unsigned int irq, const struct dde_irq_chip *chip,
		      void *chip_data, const struct cpumask *affinity,
		      unsigned int flags);
/**
 * dde_irq_gsi() - the Linux IRQ of an IOAPIC input, made on first use
 * @irq: the Linux IRQ number (an ISA IRQ, or the GSI itself above 15)
 * @gsi: the IOAPIC input it arrives on
 * @level: level-triggered (else edge)
 * @active_low: polarity
 *
 * Linux's acpi_register_gsi() and mp_map_gsi_to_irq(): platform devices'
 * IRQ resources and PCI INTx. A line already made is shared.
 * Context: thread, may sleep.
 * Return: @irq, or -EINVAL (no such IRQ) or the IRQ layer's error.
 */
int dde_irq_gsi(unsigned int irq, unsigned int gsi, bool level, bool active_low);
/**
 * dde_irq_destroy() - undo dde_irq_create()
 * @irq: the IRQ number
 *
 * The source is masked and its vector freed once no CPU runs it. An IRQ
 * that still has handlers is refused with a WARN (Linux BUGs in
 * pci_free_irq_vectors() then).
 * Context: thread, may sleep.
 */
void dde_irq_destroy(unsigned int irq);

/* Where @irq is delivered now. Return: 0, or -EINVAL for no such IRQ.
 * Context: any. */
int dde_irq_target(unsigned int irq, unsigned int *cpu, unsigned int *vector);

/* Interrupts of @irq taken on @cpu (Linux's kstat_irqs_cpu(), also
 * exported under that name), and of those how many no handler claimed. */
unsigned int dde_irq_count(unsigned int irq, unsigned int cpu);
unsigned int dde_irq_unhandled(unsigned int irq);

/*
 * Call @fn for every IRQ that exists, in number order, with its chip name
 * and the name of its first handler (NULL if none): for a status page.
 * @fn runs under the table's and the IRQ's mutexes: it may sleep but not
 * create, destroy, request or free IRQs. Context: thread, may sleep.
 */
void dde_irq_for_each(void (*fn)(unsigned int irq, const char *chip,
				 const char *action, void *arg), void *arg);

/* The IRQ whose handlers run on this CPU now (in its flow or in
 * dde_irq_poll()), or -1. Context: any; meaningful in hard IRQ. */
int dde_irq_current(void);
/* The handler of dde_irq_current() if it is an edge IRQ with exactly one,
 * else NULL. Context: hard IRQ, in that IRQ's handlers. */
irq_handler_t dde_irq_current_sole_handler(void);

/**
 * dde_irq_poll() - run an edge IRQ's handlers as if it had fired
 * @irq: the IRQ number
 *
 * For a device whose interrupt a driver left off while it is polled (the
 * DDE's idle NAPI polling): the handlers run in hard-IRQ context, and
 * neither the interrupt counts nor the "nobody cared" check see it, since
 * a poll that finds nothing is no spurious interrupt (Linux's
 * try_one_irq(), kernel/irq/spurious.c). Nothing runs for a level IRQ,
 * one disabled, without handlers, or whose handlers run elsewhere now.
 * Context: IRQs off, not in hard IRQ.
 * Return: true if a handler claimed an event.
 */
bool dde_irq_poll(unsigned int irq);

/* Threads now waiting in synchronize_irq()/free_irq()/disable_irq() for a
 * handler of @irq to finish (for tests that must know a waiter is in
 * place). Context: any. */
unsigned int dde_irq_waiters(unsigned int irq);

#endif
