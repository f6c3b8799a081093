// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PCI bus type and PCI drivers (stands in for Linux's
 * drivers/pci/pci-driver.c): matching a function against a driver's
 * id_table, calling its probe with the matching id, remove on unbind. No
 * dynamic ids, no power management, no shutdown hooks; probing is
 * synchronous in the registering thread, as Linux's default.
 */
#include <linux/device.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/pci.h>
#include "pci.h"

static bool id_matches(const struct pci_device_id *id, const struct pci_dev *dev)
{
	return (id->vendor == PCI_ANY_ID || id->vendor == dev->vendor) &&
	       (id->device == PCI_ANY_ID || id->device == dev->device) &&
	       (id->subvendor == PCI_ANY_ID || id->subvendor == dev->subsystem_vendor) &&
	       (id->subdevice == PCI_ANY_ID || id->subdevice == dev->subsystem_device) &&
	       !((id->class ^ dev->class) & id->class_mask);
}

/* The first entry of @ids matching @dev; the table ends with a zero entry. */
const struct pci_device_id *pci_match_id(const struct pci_device_id *ids,
					 struct pci_dev *dev)
{
	if (!ids)
		return NULL;
	for (; ids->vendor || ids->subvendor || ids->class_mask; ids++)
		if (id_matches(ids, dev))
			return ids;
	return NULL;
}
EXPORT_SYMBOL(pci_match_id);

static int pci_bus_match(struct device *dev, struct device_driver *drv)
{
	return pci_match_id(to_pci_driver(drv)->id_table, to_pci_dev(dev)) != NULL;
}

static int pci_device_probe(struct device *dev)
{
	struct pci_driver *drv = to_pci_driver(dev->driver);
	struct pci_dev *pdev = to_pci_dev(dev);
	const struct pci_device_id *id = pci_match_id(drv->id_table, pdev);
	int ret;

	if (!id || !drv->probe)
		return -ENODEV;
	/* A bound driver holds a reference (Linux's local_pci_probe());
	 * a failed probe gets no remove, so it is given back here. */
	pci_dev_get(pdev);
	ret = drv->probe(pdev, id);
	if (ret)
		pci_dev_put(pdev);
	return ret;
}

static void pci_device_remove(struct device *dev)
{
	struct pci_driver *drv = to_pci_driver(dev->driver);
	struct pci_dev *pdev = to_pci_dev(dev);

	if (drv->remove)
		drv->remove(pdev);
	pci_dev_put(pdev);
}

struct bus_type pci_bus_type = {
	.name	= "pci",
	.match	= pci_bus_match,
	.probe	= pci_device_probe,
	.remove	= pci_device_remove,
};
EXPORT_SYMBOL(pci_bus_type);

int __pci_register_driver(struct pci_driver *drv, struct module *owner,
			  const char *mod_name)
{
	drv->driver.name = drv->name;
	drv->driver.bus = &pci_bus_type;
	drv->driver.owner = owner;
	drv->driver.mod_name = mod_name;
	return driver_register(&drv->driver);
}
EXPORT_SYMBOL(__pci_register_driver);

void pci_unregister_driver(struct pci_driver *drv)
{
	driver_unregister(&drv->driver);
}
EXPORT_SYMBOL(pci_unregister_driver);

struct pci_dev *pci_dev_get(struct pci_dev *dev)
{
	if (dev)
		get_device(&dev->dev);
	return dev;
}
EXPORT_SYMBOL(pci_dev_get);

void pci_dev_put(struct pci_dev *dev)
{
	if (dev)
		put_device(&dev->dev);
}
EXPORT_SYMBOL(pci_dev_put);

struct pci_id_want {
	unsigned int vendor, device;
};

static int pci_dev_wanted(struct device *dev, const void *data)
{
	const struct pci_id_want *w = data;
	struct pci_dev *pdev = to_pci_dev(dev);

	return (w->vendor == PCI_ANY_ID || w->vendor == pdev->vendor) &&
	       (w->device == PCI_ANY_ID || w->device == pdev->device);
}

/**
 * pci_get_device() - the next function with these ids, after @from
 * @vendor: vendor id or PCI_ANY_ID
 * @device: device id or PCI_ANY_ID
 * @from: where the previous search ended (its reference is dropped), or
 *	NULL to start at the first function
 *
 * Context: thread, may sleep.
 * Return: the function, with a reference (pci_dev_put()), or NULL.
 */
struct pci_dev *pci_get_device(unsigned int vendor, unsigned int device,
			       struct pci_dev *from)
{
	struct pci_id_want w = { vendor, device };
	struct device *dev;

	dev = bus_find_device(&pci_bus_type, from ? &from->dev : NULL, &w, pci_dev_wanted);
	pci_dev_put(from);
	return dev ? to_pci_dev(dev) : NULL;
}
EXPORT_SYMBOL(pci_get_device);

/* The bus exists before anything can register on it (Linux: postcore). */
static int __init pci_driver_init(void)
{
	return bus_register(&pci_bus_type);
}
postcore_initcall(pci_driver_init);
