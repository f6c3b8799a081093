// SPDX-License-Identifier: GPL-2.0-only
/*
 * IOAPIC: routes legacy interrupts (GSIs) to a vector on a chosen CPU.
 * Every pin starts masked; ioapic_route() programs one (ioapic_route_masked()
 * leaves it masked for ioapic_unmask()). ISA IRQs are mapped
 * to GSIs through the MADT's interrupt source overrides (IRQ0 -> GSI2 on
 * QEMU).
 */
#include <arch/setup.h>
#include <arch/acpi.h>
#include <arch/apic.h>
#include <ddeos/arch.h>
#include <ddeos/errno.h>
#include <ddeos/irq.h>
#include <ddeos/spinlock.h>

#define IOREGSEL	0x00
#define IOWIN		0x10
#define IOAPIC_VER	0x01
#define REDTBL(n)	(0x10 + 2 * (n))
#define RTE_MASKED	(1u << 16)
#define RTE_LEVEL	(1u << 15)
#define RTE_LOW		(1u << 13)

static struct {
	volatile uint32_t *mmio;
	uint32_t gsi_base;
	uint32_t pins;
} ioapics[ACPI_MAX_IOAPICS];
static unsigned int nr_ioapics;
static struct spinlock ioapic_lock = SPINLOCK_INIT;

static uint32_t io_read(unsigned int i, uint32_t reg)
{
	ioapics[i].mmio[IOREGSEL / 4] = reg;
	return ioapics[i].mmio[IOWIN / 4];
}

static void io_write(unsigned int i, uint32_t reg, uint32_t v)
{
	ioapics[i].mmio[IOREGSEL / 4] = reg;
	ioapics[i].mmio[IOWIN / 4] = v;
}

void ioapic_init(void)
{
	for (unsigned int i = 0; i < acpi_info.nr_ioapics; i++) {
		ioapics[i].mmio = arch_map_mmio(acpi_info.ioapics[i].pa, 4096);
		ioapics[i].gsi_base = acpi_info.ioapics[i].gsi_base;
		ioapics[i].pins = ((io_read(i, IOAPIC_VER) >> 16) & 0xff) + 1;
		for (uint32_t pin = 0; pin < ioapics[i].pins; pin++) {
			io_write(i, REDTBL(pin) + 1, 0);
			io_write(i, REDTBL(pin), RTE_MASKED);
		}
		nr_ioapics++;
	}
}

static int find(uint32_t gsi, unsigned int *pin)
{
	for (unsigned int i = 0; i < nr_ioapics; i++) {
		if (gsi >= ioapics[i].gsi_base &&
		    gsi < ioapics[i].gsi_base + ioapics[i].pins) {
			*pin = gsi - ioapics[i].gsi_base;
			return (int)i;
		}
	}
	return -EINVAL;
}

static int program(uint32_t gsi, unsigned int cpu, unsigned int vector,
		   bool level, bool active_low, bool masked)
{
	unsigned int pin;
	int i = find(gsi, &pin);
	unsigned long flags;

	if (i < 0 || cpu >= MAX_CPUS || vector < 0x20 || vector > 0xff)
		return -EINVAL;
	if (cpu_apic_ids[cpu] > 255)
		return -EINVAL;		/* would need interrupt remapping */
	flags = spinlock_lock_irqsave(&ioapic_lock);
	/* Mask first: the entry never fires half-written. */
	io_write((unsigned int)i, REDTBL(pin), io_read((unsigned int)i, REDTBL(pin)) | RTE_MASKED);
	io_write((unsigned int)i, REDTBL(pin) + 1, cpu_apic_ids[cpu] << 24);
	io_write((unsigned int)i, REDTBL(pin), vector | (level ? RTE_LEVEL : 0) |
		 (active_low ? RTE_LOW : 0) | (masked ? RTE_MASKED : 0));
	spinlock_unlock_irqrestore(&ioapic_lock, flags);
	return 0;
}

int ioapic_route(uint32_t gsi, unsigned int cpu, unsigned int vector,
		 bool level, bool active_low)
{
	return program(gsi, cpu, vector, level, active_low, false);
}

int ioapic_route_masked(uint32_t gsi, unsigned int cpu, unsigned int vector,
			bool level, bool active_low)
{
	return program(gsi, cpu, vector, level, active_low, true);
}

static int set_mask(uint32_t gsi, bool masked)
{
	unsigned int pin;
	int i = find(gsi, &pin);
	unsigned long flags;
	uint32_t rte;

	if (i < 0)
		return -EINVAL;
	flags = spinlock_lock_irqsave(&ioapic_lock);
	rte = io_read((unsigned int)i, REDTBL(pin));
	io_write((unsigned int)i, REDTBL(pin), masked ? rte | RTE_MASKED : rte & ~RTE_MASKED);
	spinlock_unlock_irqrestore(&ioapic_lock, flags);
	return 0;
}

int ioapic_mask(uint32_t gsi)
{
	return set_mask(gsi, true);
}

int ioapic_unmask(uint32_t gsi)
{
	return set_mask(gsi, false);
}

/* MADT flags: polarity bits 0-1 (3 = active low), trigger bits 2-3 (3 = level). */
uint32_t ioapic_isa_to_gsi(unsigned int isa_irq, bool *level, bool *active_low)
{
	uint16_t f = acpi_info.isa_flags[isa_irq & 15];

	*active_low = (f & 3) == 3;
	*level = ((f >> 2) & 3) == 3;
	return acpi_info.isa_gsi[isa_irq & 15];
}
