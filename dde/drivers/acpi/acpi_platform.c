// SPDX-License-Identifier: GPL-2.0-only
/*
 * Platform devices for the memory-mapped devices the firmware's DSDT
 * describes (Linux: drivers/acpi/acpi_platform.c, reached from the ACPI
 * namespace scan of drivers/acpi/scan.c). The kernel reads the DSDT and
 * hands over each device's _HID, memory range and interrupt through the
 * waist; each becomes a platform device named as Linux names it, "_HID:NN"
 * with NN counting the devices of that _HID ("LNRO0005:00"), with the same
 * resources. Linux is built with CONFIG_ACPI=n, so there is no ACPI device
 * object, no fwnode and no acpi_match_table: a driver binds through the
 * devicetree "compatible" the table below gives the _HID (platform.h).
 */
#include <linux/init.h>
#include <linux/ioport.h>
#include <linux/platform_device.h>
#include <linux/string.h>
#include <dde/dde.h>
#include "../base/platform.h"

/*
 * _HIDs whose Linux drivers we compile, and the devicetree compatible the
 * same drivers match. Each line restates an acpi_device_id table entry
 * that CONFIG_ACPI=n removes from the driver (virtio_mmio.c: "LNRO0005").
 */
static const struct {
	const char *hid, *compatible;
} hid_compatible[] = {
	{ "LNRO0005", "virtio,mmio" },
};

static const char *compatible_of(const char *hid)
{
	for (int i = 0; i < ARRAY_SIZE(hid_compatible); i++)
		if (!strcmp(hid_compatible[i].hid, hid))
			return hid_compatible[i].compatible;
	return NULL;
}

/* Linux's acpi_device_set_name(): instance numbers count up per _HID. */
static unsigned int instance_of(unsigned int index)
{
	const struct ddeos_mmio_dev *d = ddeos_mmio_get(index);
	unsigned int n = 0;

	for (unsigned int i = 0; i < index; i++)
		if (!strcmp(ddeos_mmio_get(i)->hid, d->hid))
			n++;
	return n;
}

static int __init register_one(unsigned int index)
{
	const struct ddeos_mmio_dev *d = ddeos_mmio_get(index);
	struct resource res[2] = { };
	struct platform_device *pdev;
	char name[DDEOS_MMIO_HID_MAX + 8];
	unsigned int nres = 1;
	int ret;

	snprintf(name, sizeof(name), "%s:%02x", d->hid, instance_of(index));
	res[0].start = d->base;
	res[0].end = d->base + d->size - 1;
	res[0].flags = IORESOURCE_MEM;
	if (d->gsi != DDEOS_MMIO_NO_GSI) {
		/* As acpi_dev_irq_flags(): the trigger rides in the flags. */
		res[1].start = res[1].end = d->gsi;
		res[1].flags = IORESOURCE_IRQ |
			(d->gsi_level ? (d->gsi_active_low ? IORESOURCE_IRQ_LOWLEVEL :
							     IORESOURCE_IRQ_HIGHLEVEL) :
					(d->gsi_active_low ? IORESOURCE_IRQ_LOWEDGE :
							     IORESOURCE_IRQ_HIGHEDGE));
		nres = 2;
	}
	pdev = platform_device_alloc(name, PLATFORM_DEVID_NONE);
	if (!pdev)
		return -ENOMEM;
	dde_platform_info(pdev)->compatible = compatible_of(d->hid);
	ret = platform_device_add_resources(pdev, res, nres);
	if (!ret)
		ret = platform_device_add(pdev);
	if (ret) {
		pr_err("acpi: %s (%s): not registered: %d\n", name, d->name, ret);
		platform_device_put(pdev);
		return ret;
	}
	pr_info("acpi: %s (%s) at %pR, IRQ %d%s\n", name, d->name, &pdev->resource[0],
		nres > 1 ? (int)d->gsi : -1,
		compatible_of(d->hid) ? "" : ", no compiled driver knows its _HID");
	return 0;
}

/* Linux's acpi_init() is a subsys_initcall: devices before drivers. */
static int __init acpi_platform_init(void)
{
	unsigned int n = ddeos_mmio_count();

	for (unsigned int i = 0; i < n; i++)
		register_one(i);
	return 0;
}
subsys_initcall(acpi_platform_init);
