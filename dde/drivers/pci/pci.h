/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the DDE's PCI files share: the DDE's side of a struct pci_dev (the
 * kernel's function record, the BARs a driver reserved, its interrupt
 * vectors), and the functions one file offers the others.
 */
#ifndef DDE_DRIVERS_PCI_H
#define DDE_DRIVERS_PCI_H

#include <linux/pci.h>
#include <dde/dde.h>

struct dde_pci_vectors;

struct dde_pci_dev {
	struct pci_dev pdev;
	const struct ddeos_pci_func *func;	/* the kernel's record */
	unsigned long regions;			/* BARs reserved (bit per BAR) */
	const char *region_owner[PCI_STD_NUM_BARS];
	struct dde_pci_vectors *vectors;	/* MSI-X or MSI in use */
	bool probe_failed;			/* a driver said so (device lines) */
};

static inline struct dde_pci_dev *to_dde_pci_dev(const struct pci_dev *pdev)
{
	return container_of(pdev, struct dde_pci_dev, pdev);
}

extern struct bus_type pci_bus_type;

/* msi.c: the Linux IRQ of a function's INTx line, made on first use. */
int dde_pci_intx_irq(struct pci_dev *pdev);

#endif
