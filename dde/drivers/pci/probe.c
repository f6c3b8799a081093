// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI functions become Linux devices (stands in for Linux's
 * drivers/pci/probe.c): the kernel has scanned every bus and sized every
 * BAR (kernel/pci/); here each function it found gets a struct pci_dev on
 * a struct pci_bus, filled as probe.c fills it (ids, class, header type,
 * BARs as resources, capability offsets, INTx pin, DMA masks), and is added
 * to the PCI bus at subsys_initcall time, when Linux's pci_subsys_init()
 * scans, so the drivers' device_initcalls find them. Bridges get a
 * pci_dev too but no windows: nothing here reassigns resources.
 */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/list.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include "pci.h"

static LIST_HEAD(pci_buses);

/* x86 keeps a bus's segment in its sysdata (pci_domain_nr() reads it). */
struct dde_pci_bus {
	struct pci_bus bus;
	struct pci_sysdata sysdata;
};

/* The pci_bus of (@segment, @nr), made on first use. Context: init. */
static struct pci_bus *bus_of(unsigned int segment, unsigned int nr)
{
	struct dde_pci_bus *db;
	struct pci_bus *b;

	list_for_each_entry(b, &pci_buses, node)
		if (b->number == nr && pci_domain_nr(b) == segment)
			return b;
	db = kzalloc(sizeof(*db), GFP_KERNEL);
	if (!db)
		return NULL;
	b = &db->bus;
	db->sysdata.domain = segment;
	db->sysdata.node = NUMA_NO_NODE;
	b->sysdata = &db->sysdata;
	INIT_LIST_HEAD(&b->devices);
	INIT_LIST_HEAD(&b->children);
	b->number = nr;
	b->busn_res.start = b->busn_res.end = nr;
	b->busn_res.flags = IORESOURCE_BUS;
	snprintf(b->name, sizeof(b->name), "PCI Bus %04x:%02x", segment, nr);
	list_add_tail(&b->node, &pci_buses);
	return b;
}

static void bars_to_resources(struct pci_dev *dev, const struct ddeos_pci_func *f)
{
	int i;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		const struct ddeos_pci_bar *bar = &f->bar[i];
		struct resource *r = &dev->resource[i];

		r->name = pci_name(dev);
		/* A BAR no window could take stays empty, as Linux's
		 * reset_resource() leaves one it failed to assign, so that
		 * pci_enable_device() does not turn on its decoding. */
		if (!bar->size || (bar->flags & DDEOS_PCI_BAR_UNASSIGNED))
			continue;
		r->start = bar->start;
		r->end = bar->start + bar->size - 1;
		if (bar->flags & DDEOS_PCI_BAR_IO) {
			r->flags = IORESOURCE_IO;
		} else {
			r->flags = IORESOURCE_MEM;
			if (bar->flags & DDEOS_PCI_BAR_MEM64)
				r->flags |= IORESOURCE_MEM_64;
			if (bar->flags & DDEOS_PCI_BAR_PREFETCH)
				r->flags |= IORESOURCE_PREFETCH;
		}
	}
}

static void pci_release_dev(struct device *dev)
{
	kfree(to_dde_pci_dev(to_pci_dev(dev)));
}

/* Make and add the pci_dev of one function. Context: init. */
static int pci_dev_add(const struct ddeos_pci_func *f)
{
	struct dde_pci_dev *d = kzalloc(sizeof(*d), GFP_KERNEL);
	struct pci_dev *dev;
	unsigned int v;
	int err;

	if (!d)
		return -ENOMEM;
	dev = &d->pdev;
	d->func = f;
	dev->bus = bus_of(f->segment, f->bus);
	if (!dev->bus) {
		kfree(d);
		return -ENOMEM;
	}
	dev->devfn = PCI_DEVFN(f->dev, f->fn);
	dev->vendor = f->vendor;
	dev->device = f->device;
	dev->subsystem_vendor = f->subsys_vendor;
	dev->subsystem_device = f->subsys_device;
	dev->class = f->class;
	dev->revision = f->revision;
	dev->hdr_type = f->header_type & 0x7f;
	dev->multifunction = !!(f->header_type & 0x80);
	dev->pin = f->irq_pin;
	dev->current_state = PCI_D0;
	dev->error_state = pci_channel_io_normal;
	/* Above 256 bytes only where config space is memory-mapped. */
	dev->cfg_size = PCI_CFG_SPACE_EXP_SIZE;
	if (ddeos_pci_read(f, PCI_CFG_SPACE_SIZE, 4, &v))
		dev->cfg_size = PCI_CFG_SPACE_SIZE;
	dev->dma_mask = DMA_BIT_MASK(32);
	dev->msi_cap = pci_find_capability(dev, PCI_CAP_ID_MSI);
	dev->msix_cap = pci_find_capability(dev, PCI_CAP_ID_MSIX);
	spin_lock_init(&dev->pcie_cap_lock);

	device_initialize(&dev->dev);
	dev->dev.bus = &pci_bus_type;
	dev->dev.release = pci_release_dev;
	dev->dev.dma_mask = &dev->dma_mask;
	dev->dev.coherent_dma_mask = DMA_BIT_MASK(32);
	err = dev_set_name(&dev->dev, "%04x:%02x:%02x.%d", f->segment, f->bus,
			   f->dev, f->fn);
	if (err) {
		put_device(&dev->dev);
		return err;
	}
	bars_to_resources(dev, f);
	/* The INTx line's IRQ now, as Linux's legacy IRQs exist from boot
	 * (so a probe that fails has nothing of it to give back). */
	if (dev->pin) {
		int irq = dde_pci_intx_irq(dev);

		dev->irq = irq > 0 ? irq : 0;
	}
	list_add_tail(&dev->bus_list, &dev->bus->devices);
	err = device_add(&dev->dev);
	if (err) {
		list_del(&dev->bus_list);
		put_device(&dev->dev);
	}
	return err;
}

/*
 * The kernel keeps the page tables of its ioremap range once made. Made
 * here by one mapping, the first driver's ioremap() does not count them,
 * and a probe that fails gives back all it took (fail_alloc's check).
 */
static void ioremap_warm_up(void)
{
	void __iomem *p = ioremap(0xfee00000, PAGE_SIZE);	/* the local APIC's page */

	if (p)
		iounmap(p);
}

/* Linux's pci_subsys_init(): every function the kernel found. */
static int __init pci_scan_init(void)
{
	unsigned int i, n = ddeos_pci_count(), added = 0;

	for (i = 0; i < n; i++) {
		const struct ddeos_pci_func *f = ddeos_pci_get(i);
		int err = pci_dev_add(f);

		if (err)
			pr_err("pci %04x:%02x:%02x.%d: not added: %d\n", f->segment,
			       f->bus, f->dev, f->fn, err);
		else
			added++;
	}
	pr_debug("pci: %u of %u functions added\n", added, n);
	ioremap_warm_up();
	return 0;
}
subsys_initcall(pci_scan_init);
