// SPDX-License-Identifier: GPL-2.0-only
/*
 * IOAPIC lines (Linux: the GSI
 * registration of arch/x86/kernel/acpi/boot.c and apic/io_apic.c, which map
 * a GSI to an IRQ number and set the pin's trigger and polarity). Each line
 * is one IRQ numbered as Linux numbers it, routed through the waist's
 * IOAPIC entries: platform devices' IRQ resources and PCI INTx lines.
 */
#include <asm/barrier.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <dde/dde.h>
#include <dde/irq.h>

struct gsi_line {
	unsigned int gsi;
	bool level, active_low;
	bool set;
	bool made;		/* its IRQ exists (a GSI's is never destroyed) */
};

static struct gsi_line lines[DDE_IRQ_NR_GSI];
static DEFINE_MUTEX(lines_mutex);

static int gsi_route(void *data, unsigned int cpu, unsigned int vector)
{
	const struct gsi_line *l = data;

	return ddeos_ioapic_route(l->gsi, cpu, vector, l->level, l->active_low);
}

static void gsi_mask(void *data)
{
	ddeos_ioapic_mask(((const struct gsi_line *)data)->gsi);
}

static void gsi_unmask(void *data)
{
	ddeos_ioapic_unmask(((const struct gsi_line *)data)->gsi);
}

static const struct dde_irq_chip gsi_chip = {
	.name	= "IO-APIC",
	.route	= gsi_route,
	.mask	= gsi_mask,
	.unmask	= gsi_unmask,
};

int dde_irq_gsi(unsigned int irq, unsigned int gsi, bool level, bool active_low)
{
	struct gsi_line *l;
	int ret;

	if (irq >= DDE_IRQ_NR_GSI)
		return -EINVAL;
	l = &lines[irq];
	/* Asked again (platform_get_irq() on every use, as Linux's is cheap):
	 * no lock, no sleep. */
	if (smp_load_acquire(&l->made) && l->gsi == gsi && l->level == level &&
	    l->active_low == active_low)
		return irq;
	mutex_lock(&lines_mutex);
	if (!l->set) {
		l->set = true;
		l->gsi = gsi;
		l->level = level;
		l->active_low = active_low;
	} else if (l->gsi != gsi || l->level != level || l->active_low != active_low) {
		pr_warn("irq %u: already GSI %u (%s, %s), not GSI %u (%s, %s)\n", irq,
			l->gsi, l->level ? "level" : "edge", l->active_low ? "low" : "high",
			gsi, level ? "level" : "edge", active_low ? "low" : "high");
	}
	ret = dde_irq_create_at(irq, &gsi_chip, l, NULL, l->level ? DDE_IRQ_LEVEL : 0);
	if (ret == -EEXIST)
		ret = irq;
	if (ret == irq)
		smp_store_release(&l->made, true);
	mutex_unlock(&lines_mutex);
	return ret;
}
