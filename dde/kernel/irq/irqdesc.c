// SPDX-License-Identifier: GPL-2.0-only
/*
 * IRQ numbers and their descriptors (Linux: kernel/irq/irqdesc.c, and the
 * x86 vector allocation of arch/x86/kernel/apic/vector.c reduced to "the
 * least loaded allowed CPU"). Linux builds an IRQ from an irq domain
 * hierarchy (PCI-MSI over the vector domain, IOAPIC pins); here the PCI
 * layer hands over a struct dde_irq_chip and gets a number, and the
 * descriptor owns exactly one (cpu, vector) from the kernel at a time.
 * Linux's own irqdesc.c would drag in the domain, chip and sysfs worlds.
 */
#include <linux/kernel_stat.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <dde/dde.h>
#include "internals.h"

/* The table: pointers published with release stores, read lock-free
 * (a lookup racing dde_irq_destroy() of the same IRQ is a caller bug, as
 * on Linux); created and destroyed under table_mutex. */
static struct dde_irq_desc *irq_descs[DDE_NR_IRQS];
static DEFINE_MUTEX(table_mutex);

/* IRQs routed to each CPU, for choosing the least loaded one. */
static atomic_t cpu_load[NR_CPUS];

struct dde_irq_desc *dde_irq_to_desc(unsigned int irq)
{
	if (irq >= DDE_NR_IRQS)
		return NULL;
	return smp_load_acquire(&irq_descs[irq]);
}

int dde_irq_pick_cpu(const struct cpumask *mask)
{
	int cpu, best = -1;

	for_each_cpu_and(cpu, mask, cpu_online_mask) {
		if (best < 0 ||
		    atomic_read(&cpu_load[cpu]) < atomic_read(&cpu_load[best]))
			best = cpu;
	}
	return best;
}

void dde_irq_load_move(int from, int to)
{
	if (from >= 0)
		atomic_dec(&cpu_load[from]);
	if (to >= 0)
		atomic_inc(&cpu_load[to]);
}

static int create_locked(unsigned int irq, const struct dde_irq_chip *chip,
			 void *chip_data, const struct cpumask *affinity,
			 unsigned int flags)
{
	struct dde_irq_desc *desc;
	unsigned long irqflags;
	int cpu, vector, ret;

	cpu = dde_irq_pick_cpu(affinity ?: cpu_online_mask);
	if (cpu < 0)
		return -EINVAL;
	desc = kzalloc(sizeof(*desc), GFP_KERNEL);
	if (!desc)
		return -ENOMEM;
	desc->kstat_irqs = alloc_percpu(unsigned int);
	if (!desc->kstat_irqs) {
		ret = -ENOMEM;
		goto free_desc;
	}
	desc->irq = irq;
	desc->flags = flags;
	desc->chip = chip;
	desc->chip_data = chip_data;
	cpumask_copy(&desc->affinity, affinity ?: cpu_possible_mask);
	mutex_init(&desc->request_mutex);
	raw_spin_lock_init(&desc->lock);
	init_waitqueue_head(&desc->wait_for_threads);
	/* Linux starts a descriptor disabled (depth 1) until its first
	 * request_irq(); an IOAPIC line comes with its trigger type set. */
	desc->depth = 1;
	desc->trigger = (flags & DDE_IRQ_LEVEL) ? IRQF_TRIGGER_LOW : 0;

	vector = ddeos_irq_vector_alloc(cpu, dde_irq_vector_entry, desc);
	if (vector < 0) {
		ret = vector;
		goto free_stats;
	}
	raw_spin_lock_irqsave(&desc->lock, irqflags);
	dde_irq_mask(desc);
	ret = chip->route(chip_data, cpu, vector);
	desc->cpu = cpu;
	desc->vector = vector;
	raw_spin_unlock_irqrestore(&desc->lock, irqflags);
	if (ret)
		goto free_vector;
	dde_irq_load_move(-1, cpu);
	smp_store_release(&irq_descs[irq], desc);
	return irq;

free_vector:
	ddeos_irq_vector_free(cpu, vector);
free_stats:
	free_percpu(desc->kstat_irqs);
free_desc:
	kfree(desc);
	return ret;
}

int dde_irq_create(const struct dde_irq_chip *chip, void *chip_data,
		   const struct cpumask *affinity, unsigned int flags)
{
	unsigned int irq;
	int ret = -ENOSPC;

	might_sleep();
	if (!chip || !chip->route || !chip->mask || !chip->unmask)
		return -EINVAL;
	mutex_lock(&table_mutex);
	for (irq = DDE_IRQ_NR_GSI; irq < DDE_NR_IRQS; irq++) {
		if (!irq_descs[irq]) {
			ret = create_locked(irq, chip, chip_data, affinity, flags);
			break;
		}
	}
	mutex_unlock(&table_mutex);
	return ret;
}

int dde_irq_create_at(unsigned int irq, const struct dde_irq_chip *chip,
		      void *chip_data, const struct cpumask *affinity,
		      unsigned int flags)
{
	int ret;

	might_sleep();
	if (irq >= DDE_IRQ_NR_GSI || !chip || !chip->route || !chip->mask ||
	    !chip->unmask)
		return -EINVAL;
	mutex_lock(&table_mutex);
	ret = irq_descs[irq] ? -EEXIST :
		create_locked(irq, chip, chip_data, affinity, flags);
	mutex_unlock(&table_mutex);
	return ret;
}

void dde_irq_destroy(unsigned int irq)
{
	struct dde_irq_desc *desc;
	unsigned long flags;
	unsigned int cpu, vector;

	might_sleep();
	mutex_lock(&table_mutex);
	desc = dde_irq_to_desc(irq);
	if (!desc) {
		mutex_unlock(&table_mutex);
		return;
	}
	mutex_lock(&desc->request_mutex);
	if (WARN(desc->action, "irq %u destroyed while %s still uses it\n",
		 irq, desc->action->name)) {
		mutex_unlock(&desc->request_mutex);
		mutex_unlock(&table_mutex);
		return;
	}
	raw_spin_lock_irqsave(&desc->lock, flags);
	dde_irq_mask(desc);
	cpu = desc->cpu;
	vector = desc->vector;
	raw_spin_unlock_irqrestore(&desc->lock, flags);
	WRITE_ONCE(irq_descs[irq], NULL);
	mutex_unlock(&desc->request_mutex);
	mutex_unlock(&table_mutex);

	/* Waits until no CPU runs dde_irq_vector_entry(desc). An affinity
	 * move racing this is a caller bug, as it would be on Linux. */
	ddeos_irq_vector_free(cpu, vector);
	dde_irq_load_move(cpu, -1);
	free_percpu(desc->kstat_irqs);
	kfree(desc);
}

int dde_irq_target(unsigned int irq, unsigned int *cpu, unsigned int *vector)
{
	struct dde_irq_desc *desc = dde_irq_to_desc(irq);
	unsigned long flags;

	if (!desc)
		return -EINVAL;
	raw_spin_lock_irqsave(&desc->lock, flags);
	*cpu = desc->cpu;
	*vector = desc->vector;
	raw_spin_unlock_irqrestore(&desc->lock, flags);
	return 0;
}

/**
 * kstat_irqs_cpu() - interrupts of one IRQ taken on one CPU
 * @irq: the IRQ number
 * @cpu: the CPU
 *
 * Counted on entry, whether a handler claimed it or not, as Linux does.
 * Context: any.
 * Return: the count, 0 for no such IRQ.
 */
unsigned int kstat_irqs_cpu(unsigned int irq, int cpu)
{
	struct dde_irq_desc *desc = dde_irq_to_desc(irq);

	if (!desc || cpu < 0 || cpu >= nr_cpu_ids)
		return 0;
	return READ_ONCE(*per_cpu_ptr(desc->kstat_irqs, cpu));
}

unsigned int dde_irq_count(unsigned int irq, unsigned int cpu)
{
	return kstat_irqs_cpu(irq, cpu);
}

/*
 * The waist's list of IRQs with a handler, as Linux's /proc/interrupts
 * shows them: the first handler's name (the driver's, e.g. virtio_pci's
 * "virtio1-input.0" for a queue's vector), the CPU it is routed to and
 * the interrupts taken on every CPU. Lock-free over the table as lookups
 * are; the name is copied under the descriptor's lock. IRQs are not
 * destroyed while this runs (ddeos frees them only when a probe fails).
 */
void ddeos_dde_irqs(void (*fn)(void *arg, unsigned int irq, const char *name,
			       unsigned int cpu, unsigned long count),
		    void *arg)
{
	unsigned int irq;

	for (irq = 0; irq < DDE_NR_IRQS; irq++) {
		struct dde_irq_desc *desc = dde_irq_to_desc(irq);
		unsigned long flags, count = 0;
		char name[32] = "";
		unsigned int cpu;
		int c;

		if (!desc)
			continue;
		raw_spin_lock_irqsave(&desc->lock, flags);
		if (desc->action && desc->action->name)
			strscpy(name, desc->action->name, sizeof(name));
		cpu = desc->cpu;
		raw_spin_unlock_irqrestore(&desc->lock, flags);
		if (!name[0])
			continue;
		for_each_possible_cpu(c)
			count += READ_ONCE(*per_cpu_ptr(desc->kstat_irqs, c));
		fn(arg, irq, name, cpu, count);
	}
}

unsigned int dde_irq_unhandled(unsigned int irq)
{
	struct dde_irq_desc *desc = dde_irq_to_desc(irq);

	return desc ? READ_ONCE(desc->unhandled_total) : 0;
}

unsigned int dde_irq_waiters(unsigned int irq)
{
	struct dde_irq_desc *desc = dde_irq_to_desc(irq);

	return desc ? atomic_read(&desc->waiters) : 0;
}

void dde_irq_for_each(void (*fn)(unsigned int irq, const char *chip,
				 const char *action, void *arg), void *arg)
{
	unsigned int irq;

	might_sleep();
	mutex_lock(&table_mutex);
	for (irq = 0; irq < DDE_NR_IRQS; irq++) {
		struct dde_irq_desc *desc = irq_descs[irq];
		const char *name;

		if (!desc)
			continue;
		/* request_mutex keeps the first action (and its name) alive */
		mutex_lock(&desc->request_mutex);
		name = desc->action ? desc->action->name : NULL;
		fn(irq, desc->chip->name, name, arg);
		mutex_unlock(&desc->request_mutex);
	}
	mutex_unlock(&table_mutex);
}
