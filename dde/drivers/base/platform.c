// SPDX-License-Identifier: GPL-2.0-only
/*
 * The platform bus (Linux: drivers/base/platform.c): devices that sit at
 * fixed addresses on no discoverable bus, described by resources (a memory
 * range, an IRQ), and the drivers that bind them by name. Linux's file is
 * mostly sysfs attributes, power management, devicetree and ACPI glue; this
 * is the core of it on the DDE's driver core: device allocation, naming and
 * resource claims, matching, probing, and the resource and IRQ getters.
 * Differences: no driver_override attribute, no PM domains or runtime PM,
 * no early platform devices; a memory resource is claimed against the other
 * platform devices' (there is no iomem_resource tree); an IRQ resource is
 * turned into an IOAPIC line when a driver asks for it (Linux's x86 maps
 * it when the device is created).
 */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/idr.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mod_devicetable.h>
#include <linux/of_device.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <dde/dde.h>
#include <dde/irq.h>
#include "platform.h"

struct device platform_bus = {
	.init_name	= "platform",
};
EXPORT_SYMBOL_GPL(platform_bus);

static DEFINE_IDA(platform_devid_ida);
/* Claiming a device's memory and adding it to the bus is one step. */
static DEFINE_MUTEX(claim_mutex);

/* ---- resources ------------------------------------------------------------ */

/**
 * platform_get_resource - a resource of a platform device
 * @dev: the device
 * @type: IORESOURCE_MEM, IORESOURCE_IRQ, ...
 * @num: which one of that type, from 0
 *
 * Context: any.
 * Return: the resource, or NULL.
 */
struct resource *platform_get_resource(struct platform_device *dev,
				       unsigned int type, unsigned int num)
{
	u32 i;

	for (i = 0; i < dev->num_resources; i++) {
		struct resource *r = &dev->resource[i];

		if (type == resource_type(r) && num-- == 0)
			return r;
	}
	return NULL;
}
EXPORT_SYMBOL_GPL(platform_get_resource);

/* The trigger of an IRQ resource as ACPI's _CRS gave it; none for an IRQ
 * from the command line (virtio_mmio.device=), which is an ISA IRQ. */
static int irq_from_resource(struct platform_device *dev, struct resource *r)
{
	unsigned long trig = r->flags & IORESOURCE_BITS;
	unsigned int irq = r->start;
	int level, active_low, ret;
	unsigned int gsi;

	if (trig) {
		gsi = irq;
		level = !!(trig & (IORESOURCE_IRQ_HIGHLEVEL | IORESOURCE_IRQ_LOWLEVEL));
		active_low = !!(trig & (IORESOURCE_IRQ_LOWEDGE | IORESOURCE_IRQ_LOWLEVEL));
	} else if (irq < 16) {
		gsi = ddeos_isa_irq_gsi(irq, &level, &active_low);
	} else {
		gsi = irq;
		level = 0;
		active_low = 0;
	}
	ret = dde_irq_gsi(irq, gsi, level, active_low);
	if (ret < 0)
		dev_err(&dev->dev, "IRQ %u (GSI %u): %d\n", irq, gsi, ret);
	return ret;
}

/**
 * platform_get_irq_optional - the Linux IRQ number of a platform device
 * @dev: the device
 * @num: which IRQ resource, from 0
 *
 * Context: thread, may sleep (the IRQ is made on first use).
 * Return: the IRQ (> 0), -ENXIO if there is no such resource, or the IRQ
 * layer's error.
 */
int platform_get_irq_optional(struct platform_device *dev, unsigned int num)
{
	struct resource *r = platform_get_resource(dev, IORESOURCE_IRQ, num);
	int ret;

	if (!r)
		return -ENXIO;
	if (r->flags & IORESOURCE_DISABLED)
		return -ENXIO;
	ret = irq_from_resource(dev, r);
	if (WARN(!ret, "0 is an invalid IRQ number\n"))
		return -EINVAL;
	return ret;
}
EXPORT_SYMBOL_GPL(platform_get_irq_optional);

/**
 * platform_get_irq - as platform_get_irq_optional(), saying when it fails
 * @dev: the device
 * @num: which IRQ resource, from 0
 *
 * Context: thread, may sleep.
 * Return: the IRQ (> 0) or a negative error.
 */
int platform_get_irq(struct platform_device *dev, unsigned int num)
{
	int ret = platform_get_irq_optional(dev, num);

	if (ret < 0)
		return dev_err_probe(&dev->dev, ret, "IRQ index %u not found\n", num);
	return ret;
}
EXPORT_SYMBOL_GPL(platform_get_irq);

static void iounmap_action(void *addr)
{
	iounmap((void __iomem *)addr);
}

/**
 * devm_platform_get_and_ioremap_resource - map a memory resource for a driver
 * @pdev: the device
 * @index: which memory resource, from 0
 * @res: if not NULL, set to the resource
 *
 * Unmapped when the driver unbinds (devres). The range was claimed when the
 * device was added (Linux claims it here too, with request_mem_region()).
 * Context: thread, may sleep.
 * Return: the mapping, or an ERR_PTR.
 */
void __iomem *devm_platform_get_and_ioremap_resource(struct platform_device *pdev,
						     unsigned int index,
						     struct resource **res)
{
	struct resource *r = platform_get_resource(pdev, IORESOURCE_MEM, index);
	void __iomem *addr;

	if (res)
		*res = r;
	if (!r || !resource_size(r)) {
		dev_err(&pdev->dev, "invalid resource %u\n", index);
		return IOMEM_ERR_PTR(-EINVAL);
	}
	addr = ioremap(r->start, resource_size(r));
	if (!addr) {
		dev_err(&pdev->dev, "ioremap failed for resource %pR\n", r);
		return IOMEM_ERR_PTR(-ENOMEM);
	}
	if (devm_add_action_or_reset(&pdev->dev, iounmap_action, (void __force *)addr))
		return IOMEM_ERR_PTR(-ENOMEM);
	return addr;
}
EXPORT_SYMBOL_GPL(devm_platform_get_and_ioremap_resource);

void __iomem *devm_platform_ioremap_resource(struct platform_device *pdev,
					     unsigned int index)
{
	return devm_platform_get_and_ioremap_resource(pdev, index, NULL);
}
EXPORT_SYMBOL_GPL(devm_platform_ioremap_resource);

/* ---- devices -------------------------------------------------------------- */

struct platform_object {
	struct platform_device pdev;
	struct dde_platform_info info;
	char name[];
};

#define to_platform_object(p) container_of(p, struct platform_object, pdev)

/**
 * dde_platform_info() - what the DDE keeps about a platform device
 * @pdev: a device from platform_device_alloc()
 *
 * Context: any.
 * Return: its record (firmware id, probe result).
 */
struct dde_platform_info *dde_platform_info(struct platform_device *pdev)
{
	return &to_platform_object(pdev)->info;
}

static void platform_device_release(struct device *dev)
{
	struct platform_object *pa = to_platform_object(to_platform_device(dev));

	kfree(pa->pdev.dev.platform_data);
	kfree(pa->pdev.resource);
	kfree(pa->pdev.driver_override);
	kfree(pa);
}

/**
 * platform_device_alloc - make a platform device, not yet added
 * @name: the name drivers match, and the base of the device's name
 * @id: instance number, PLATFORM_DEVID_NONE or PLATFORM_DEVID_AUTO
 *
 * Context: thread, may sleep.
 * Return: the device (platform_device_put() frees it), or NULL.
 */
struct platform_device *platform_device_alloc(const char *name, int id)
{
	struct platform_object *pa;

	pa = kzalloc(sizeof(*pa) + strlen(name) + 1, GFP_KERNEL);
	if (!pa)
		return NULL;
	strcpy(pa->name, name);
	pa->pdev.name = pa->name;
	pa->pdev.id = id;
	device_initialize(&pa->pdev.dev);
	pa->pdev.dev.release = platform_device_release;
	/* Linux's default for platform devices: 32-bit DMA until the driver
	 * says more. */
	pa->pdev.platform_dma_mask = DMA_BIT_MASK(32);
	pa->pdev.dev.dma_mask = &pa->pdev.platform_dma_mask;
	pa->pdev.dev.coherent_dma_mask = DMA_BIT_MASK(32);
	return &pa->pdev;
}
EXPORT_SYMBOL_GPL(platform_device_alloc);

/**
 * platform_device_add_resources - copy resources into a platform device
 * @pdev: a device not yet added
 * @res: the resources (copied), or NULL
 * @num: how many
 *
 * Context: thread, may sleep.
 * Return: 0 or -ENOMEM.
 */
int platform_device_add_resources(struct platform_device *pdev,
				  const struct resource *res, unsigned int num)
{
	struct resource *r = NULL;

	if (res) {
		r = kmemdup(res, sizeof(*res) * num, GFP_KERNEL);
		if (!r)
			return -ENOMEM;
	}
	kfree(pdev->resource);
	pdev->resource = r;
	pdev->num_resources = num;
	return 0;
}
EXPORT_SYMBOL_GPL(platform_device_add_resources);

/**
 * platform_device_add_data - copy platform data into a platform device
 * @pdev: a device not yet added
 * @data: the data (copied), or NULL
 * @size: its size
 *
 * Context: thread, may sleep.
 * Return: 0 or -ENOMEM.
 */
int platform_device_add_data(struct platform_device *pdev, const void *data,
			     size_t size)
{
	void *d = NULL;

	if (data) {
		d = kmemdup(data, size, GFP_KERNEL);
		if (!d)
			return -ENOMEM;
	}
	kfree(pdev->dev.platform_data);
	pdev->dev.platform_data = d;
	return 0;
}
EXPORT_SYMBOL_GPL(platform_device_add_data);

struct claim {
	struct platform_device *pdev;
	struct resource *r;
	struct platform_device *owner;
};

static int claimed_by(struct device *dev, void *data)
{
	struct platform_device *other = to_platform_device(dev);
	struct claim *c = data;
	u32 i;

	if (other == c->pdev)
		return 0;
	for (i = 0; i < other->num_resources; i++) {
		struct resource *o = &other->resource[i];

		if (resource_type(o) == IORESOURCE_MEM && resource_overlaps(o, c->r)) {
			c->owner = other;
			return 1;
		}
	}
	return 0;
}

/*
 * Linux inserts a device's memory resources into iomem_resource and fails
 * the add with -EBUSY on an overlap; here the other platform devices are
 * the tree. Context: claim_mutex.
 */
static int claim_resources(struct platform_device *pdev)
{
	u32 i;

	for (i = 0; i < pdev->num_resources; i++) {
		struct claim c = { pdev, &pdev->resource[i], NULL };

		if (!c.r->name)
			c.r->name = dev_name(&pdev->dev);
		if (resource_type(c.r) != IORESOURCE_MEM)
			continue;
		if (bus_for_each_dev(&platform_bus_type, NULL, &c, claimed_by)) {
			dev_err(&pdev->dev, "failed to claim resource %u: %pR, already %s's\n",
				i, c.r, dev_name(&c.owner->dev));
			return -EBUSY;
		}
	}
	return 0;
}

/**
 * platform_device_add - name a platform device and add it to the bus
 * @pdev: a device from platform_device_alloc()
 *
 * Its memory resources must not overlap another platform device's.
 * Context: thread, may sleep.
 * Return: 0, -EBUSY for a resource already claimed, or another error.
 */
int platform_device_add(struct platform_device *pdev)
{
	int ret;

	if (!pdev)
		return -EINVAL;
	if (!pdev->dev.parent)
		pdev->dev.parent = &platform_bus;
	pdev->dev.bus = &platform_bus_type;

	switch (pdev->id) {
	default:
		dev_set_name(&pdev->dev, "%s.%d", pdev->name, pdev->id);
		break;
	case PLATFORM_DEVID_NONE:
		dev_set_name(&pdev->dev, "%s", pdev->name);
		break;
	case PLATFORM_DEVID_AUTO:
		ret = ida_alloc(&platform_devid_ida, GFP_KERNEL);
		if (ret < 0)
			return ret;
		pdev->id = ret;
		pdev->id_auto = true;
		dev_set_name(&pdev->dev, "%s.%d.auto", pdev->name, pdev->id);
		break;
	}
	if (!dev_name(&pdev->dev)) {
		ret = -ENOMEM;
		goto free_id;
	}

	mutex_lock(&claim_mutex);
	ret = claim_resources(pdev);
	if (!ret) {
		pr_debug("Registering platform device '%s'. Parent at %s\n",
			 dev_name(&pdev->dev), dev_name(pdev->dev.parent));
		ret = device_add(&pdev->dev);
	}
	mutex_unlock(&claim_mutex);
	if (!ret)
		return 0;
free_id:
	if (pdev->id_auto) {
		ida_free(&platform_devid_ida, pdev->id);
		pdev->id = PLATFORM_DEVID_AUTO;
	}
	return ret;
}
EXPORT_SYMBOL_GPL(platform_device_add);

/**
 * platform_device_del - take a platform device off the bus
 * @pdev: the device (NULL or an error pointer: nothing)
 *
 * Context: thread, may sleep.
 */
void platform_device_del(struct platform_device *pdev)
{
	if (IS_ERR_OR_NULL(pdev))
		return;
	device_del(&pdev->dev);
	if (pdev->id_auto) {
		ida_free(&platform_devid_ida, pdev->id);
		pdev->id = PLATFORM_DEVID_AUTO;
	}
}
EXPORT_SYMBOL_GPL(platform_device_del);

/**
 * platform_device_put - drop a reference to a platform device
 * @pdev: the device (NULL or an error pointer: nothing)
 *
 * Context: thread, may sleep.
 */
void platform_device_put(struct platform_device *pdev)
{
	if (!IS_ERR_OR_NULL(pdev))
		put_device(&pdev->dev);
}
EXPORT_SYMBOL_GPL(platform_device_put);

/**
 * platform_device_register - add a statically described platform device
 * @pdev: the device, its name, id and resources filled in
 *
 * Context: thread, may sleep.
 * Return: 0 or what platform_device_add() returned.
 */
int platform_device_register(struct platform_device *pdev)
{
	device_initialize(&pdev->dev);
	if (!pdev->dev.dma_mask) {
		pdev->platform_dma_mask = DMA_BIT_MASK(32);
		pdev->dev.dma_mask = &pdev->platform_dma_mask;
		pdev->dev.coherent_dma_mask = DMA_BIT_MASK(32);
	}
	return platform_device_add(pdev);
}
EXPORT_SYMBOL_GPL(platform_device_register);

/**
 * platform_device_unregister - platform_device_del() and put
 * @pdev: the device
 *
 * Context: thread, may sleep.
 */
void platform_device_unregister(struct platform_device *pdev)
{
	platform_device_del(pdev);
	platform_device_put(pdev);
}
EXPORT_SYMBOL_GPL(platform_device_unregister);

/**
 * platform_device_register_full - make, fill and add a platform device
 * @pdevinfo: its parent, name, id, resources, data and DMA mask
 *
 * Context: thread, may sleep.
 * Return: the device, or an ERR_PTR.
 */
struct platform_device *platform_device_register_full(const struct platform_device_info *pdevinfo)
{
	struct platform_device *pdev;
	int ret;

	if (pdevinfo->properties) {
		pr_err("platform: %s: software node properties are not supported\n",
		       pdevinfo->name);
		return ERR_PTR(-EOPNOTSUPP);
	}
	pdev = platform_device_alloc(pdevinfo->name, pdevinfo->id);
	if (!pdev)
		return ERR_PTR(-ENOMEM);
	pdev->dev.parent = pdevinfo->parent;
	pdev->dev.fwnode = pdevinfo->fwnode;
	if (pdevinfo->dma_mask) {
		pdev->platform_dma_mask = pdevinfo->dma_mask;
		pdev->dev.coherent_dma_mask = pdevinfo->dma_mask;
	}
	ret = platform_device_add_resources(pdev, pdevinfo->res, pdevinfo->num_res);
	if (!ret)
		ret = platform_device_add_data(pdev, pdevinfo->data, pdevinfo->size_data);
	if (!ret)
		ret = platform_device_add(pdev);
	if (ret) {
		platform_device_put(pdev);
		return ERR_PTR(ret);
	}
	return pdev;
}
EXPORT_SYMBOL_GPL(platform_device_register_full);

/* ---- drivers -------------------------------------------------------------- */

static const struct platform_device_id *platform_match_id(const struct platform_device_id *id,
							  struct platform_device *pdev)
{
	for (; id->name[0]; id++) {
		if (!strcmp(pdev->name, id->name)) {
			pdev->id_entry = id;
			return id;
		}
	}
	return NULL;
}

/* A firmware-described device against the driver's devicetree table: the
 * DDE's stand-in for the ACPI match CONFIG_ACPI=n compiled out (platform.h). */
static bool firmware_match(struct platform_device *pdev, struct device_driver *drv)
{
	const char *compatible = dde_platform_info(pdev)->compatible;
	const struct of_device_id *id;

	if (!compatible || !drv->of_match_table)
		return false;
	for (id = drv->of_match_table; id->name[0] || id->type[0] || id->compatible[0]; id++)
		if (!strcmp(id->compatible, compatible))
			return true;
	return false;
}

/* Linux's platform_match(): override, firmware, id table, then name. */
static int platform_match(struct device *dev, struct device_driver *drv)
{
	struct platform_device *pdev = to_platform_device(dev);
	struct platform_driver *pdrv = to_platform_driver(drv);

	if (pdev->driver_override)
		return !strcmp(pdev->driver_override, drv->name);
	if (firmware_match(pdev, drv))
		return 1;
	if (pdrv->id_table)
		return platform_match_id(pdrv->id_table, pdev) != NULL;
	return strcmp(pdev->name, drv->name) == 0;
}

static int platform_probe(struct device *dev)
{
	struct platform_driver *drv = to_platform_driver(dev->driver);
	int ret = 0;

	if (drv->probe)
		ret = drv->probe(to_platform_device(dev));
	if (drv->prevent_deferred_probe && ret == -EPROBE_DEFER) {
		dev_warn(dev, "probe deferral not supported\n");
		ret = -ENXIO;
	}
	return ret;
}

static void platform_remove(struct device *dev)
{
	struct platform_driver *drv = to_platform_driver(dev->driver);
	struct platform_device *pdev = to_platform_device(dev);

	if (drv->remove_new) {
		drv->remove_new(pdev);
	} else if (drv->remove) {
		int ret = drv->remove(pdev);

		if (ret)
			dev_warn(dev, "remove callback returned a non-zero value. This will be ignored.\n");
	}
}

struct bus_type platform_bus_type = {
	.name	= "platform",
	.match	= platform_match,
	.probe	= platform_probe,
	.remove	= platform_remove,
};
EXPORT_SYMBOL_GPL(platform_bus_type);

/**
 * __platform_driver_register - register a platform driver
 * @drv: the driver
 * @owner: its module (kept; there are no modules)
 *
 * Binds the devices already on the bus that it matches.
 * Context: thread, may sleep.
 * Return: 0 or driver_register()'s error.
 */
int __platform_driver_register(struct platform_driver *drv, struct module *owner)
{
	drv->driver.owner = owner;
	drv->driver.bus = &platform_bus_type;
	return driver_register(&drv->driver);
}
EXPORT_SYMBOL_GPL(__platform_driver_register);

/**
 * platform_driver_unregister - unbind and unregister a platform driver
 * @drv: the driver
 *
 * Context: thread, may sleep.
 */
void platform_driver_unregister(struct platform_driver *drv)
{
	driver_unregister(&drv->driver);
}
EXPORT_SYMBOL_GPL(platform_driver_unregister);

/* Linux's platform_bus_init(), from driver_init() before the initcalls;
 * here the first level that can register devices is core (parameters). */
static int __init platform_bus_init(void)
{
	int ret = device_register(&platform_bus);

	if (ret) {
		put_device(&platform_bus);
		return ret;
	}
	ret = bus_register(&platform_bus_type);
	if (ret)
		device_unregister(&platform_bus);
	return ret;
}
pure_initcall(platform_bus_init);
