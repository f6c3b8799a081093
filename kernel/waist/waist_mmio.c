// SPDX-License-Identifier: GPL-2.0-only
/*
 * The waist's memory-mapped devices: the list the DSDT reader made
 * (arch/x86_64/acpi_dsdt.c) in the waist's plain record, and the ISA IRQ
 * routing (arch/x86_64/ioapic.c) a Linux-world platform bus turns IRQ
 * resources into GSIs with. Built once, on first use, read-only afterwards.
 */
#include <arch/acpi.h>
#include <ddeos/irq.h>
#include <ddeos/spinlock.h>
#include <ddeos/string.h>
#include "ddeos_waist.h"

static struct ddeos_mmio_dev devs[ACPI_MAX_MMIO_DEVICES];
static unsigned int nr_devs;
static bool built;
static struct spinlock build_lock = SPINLOCK_INIT;

static void build(void)
{
	unsigned long flags = spinlock_lock_irqsave(&build_lock);

	if (!built) {
		for (unsigned int i = 0; i < acpi_nr_mmio_devices; i++) {
			const struct acpi_mmio_device *a = &acpi_mmio_devices[i];
			struct ddeos_mmio_dev *d = &devs[nr_devs++];

			string_copy(d->hid, a->hid, sizeof(d->hid));
			string_copy(d->name, a->name, sizeof(d->name));
			d->uid = a->uid;
			d->base = a->base;
			d->size = a->size;
			d->gsi = a->has_irq ? a->gsi : DDEOS_MMIO_NO_GSI;
			d->gsi_level = a->level;
			d->gsi_active_low = a->active_low;
		}
		__atomic_store_n(&built, true, __ATOMIC_RELEASE);
	}
	spinlock_unlock_irqrestore(&build_lock, flags);
}

unsigned int ddeos_mmio_count(void)
{
	if (!__atomic_load_n(&built, __ATOMIC_ACQUIRE))
		build();
	return nr_devs;
}

const struct ddeos_mmio_dev *ddeos_mmio_get(unsigned int index)
{
	return index < ddeos_mmio_count() ? &devs[index] : 0;
}

unsigned int ddeos_isa_irq_gsi(unsigned int isa_irq, int *level, int *active_low)
{
	bool l, low;
	uint32_t gsi = ioapic_isa_to_gsi(isa_irq, &l, &low);

	*level = l;
	*active_low = low;
	return gsi;
}
