// SPDX-License-Identifier: GPL-2.0-only
/*
 * The waist's PCI entries: the function table and configuration space
 * (kernel/pci/pci.c), device memory mappings (kernel/mm/ioremap.c), and the
 * MSI and IOAPIC plumbing (arch/x86_64/msi.c, ioapic.c) a Linux-world PCI
 * layer builds pci_dev, pci_iomap() and its IRQ vectors on. Thin forwards;
 * the types are the waist's plain ones.
 */
#include <ddeos/errno.h>
#include <ddeos/ioremap.h>
#include <ddeos/irq.h>
#include <ddeos/pci.h>
#include "ddeos_waist.h"

/* The records' layout is part of the waist: changing it is deliberate. */
_Static_assert(sizeof(struct ddeos_pci_bar) == 24, "struct ddeos_pci_bar layout");
_Static_assert(sizeof(struct ddeos_pci_func) == 184, "struct ddeos_pci_func layout");
_Static_assert(DDEOS_IOREMAP_UC == IOREMAP_UC && DDEOS_IOREMAP_WC == IOREMAP_WC,
	       "waist ioremap modes are the kernel's");

unsigned int ddeos_pci_count(void)
{
	return pci_count();
}

const struct ddeos_pci_func *ddeos_pci_get(unsigned int index)
{
	return pci_get(index);
}

int ddeos_pci_read(const struct ddeos_pci_func *f, unsigned int off,
		   unsigned int size, unsigned int *val)
{
	return pci_config_read(f, off, size, val);
}

int ddeos_pci_write(const struct ddeos_pci_func *f, unsigned int off,
		    unsigned int size, unsigned int val)
{
	return pci_config_write(f, off, size, val);
}

void *ddeos_ioremap(unsigned long long phys, unsigned long size, unsigned int mode)
{
	return ioremap_map(phys, size, (enum ioremap_mode)mode);
}

void ddeos_iounmap(void *addr)
{
	ioremap_unmap(addr);
}

int ddeos_msi_compose(unsigned int cpu, unsigned int vector,
		      unsigned long long *addr, unsigned int *data)
{
	uint64_t a;
	uint32_t d;
	int err = msi_compose(cpu, vector, &a, &d);

	if (err)
		return err;
	*addr = a;
	*data = d;
	return 0;
}

int ddeos_ioapic_route(unsigned int gsi, unsigned int cpu, unsigned int vector,
		       int level, int active_low)
{
	return ioapic_route_masked(gsi, cpu, vector, level != 0, active_low != 0);
}

int ddeos_ioapic_mask(unsigned int gsi)
{
	return ioapic_mask(gsi);
}

int ddeos_ioapic_unmask(unsigned int gsi)
{
	return ioapic_unmask(gsi);
}
