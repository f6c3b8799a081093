// SPDX-License-Identifier: GPL-2.0-only
/*
 * The boot's `device:` lines (docs/options.md): once the drivers have
 * probed, one line per PCI function or platform device (a virtio-mmio
 * transport) a driver bound, naming it (pci= and its ids, or mmio= and its
 * name), the driver at the end of the chain (virtio_pci or virtio_mmio
 * binds the transport, virtio_blk the virtio device on it) and what it
 * registered: a disk or a network interface. A probe that fails says so at once, with
 * the driver's error by name. These lines are the boot's summary, so they
 * go to the console whatever the log level, like the kernel's `ddeos:`
 * lines. No Linux counterpart: Linux leaves this to sysfs and udev.
 */
#include <linux/blkdev.h>
#include <linux/device.h>
#include <linux/errname.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/rtnetlink.h>
#include <dde/block.h>
#include <dde/dde.h>
#include <dde/net.h>
#include "../pci/pci.h"
#include "platform.h"

/* The transport a device hangs from: a PCI function or a platform device. */
static struct device *transport_of(struct device *dev)
{
	for (; dev; dev = dev->parent)
		if (dev->bus == &pci_bus_type || dev->bus == &platform_bus_type)
			return dev;
	return NULL;
}

/* The lines said, kept for ddeos_dde_device_line() (status pages): the
 * drivers probe once at boot and ddeos never unbinds them, so the lines
 * stay true. In static storage, not allocated: a failed probe's line must
 * not count as memory the probe kept (tools/fail-sweep). Appended by the
 * one probing thread, read from any context; lines past the room are
 * printed but not kept. */
#define DEVICE_LINES_MAX	64
static char device_text[8192];
static size_t device_text_len;
static const char *device_lines[DEVICE_LINES_MAX];
static unsigned int device_lines_n;

static void keep_line(const char *line, int n)
{
	char *kept = device_text + device_text_len;

	if (device_lines_n >= DEVICE_LINES_MAX ||
	    n + 1 > sizeof(device_text) - device_text_len)
		return;
	memcpy(kept, line, n);
	kept[n] = 0;
	device_text_len += n + 1;
	device_lines[device_lines_n] = kept;
	smp_store_release(&device_lines_n, device_lines_n + 1);
}

static void say(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	keep_line(line, n);
	line[n++] = '\n';
	ddeos_console_write(line, n);
}

const char *ddeos_dde_device_line(unsigned int n)
{
	return n < smp_load_acquire(&device_lines_n) ? device_lines[n] : NULL;
}

/* "pci=00:03.0 id=1af4:1001" or "mmio=0xfeb02e00 name=LNRO0005:00" */
static const char *transport_name(struct device *t, char *buf, size_t size)
{
	if (t->bus == &pci_bus_type) {
		struct pci_dev *p = to_pci_dev(t);

		scnprintf(buf, size, "pci=%02x:%02x.%d id=%04x:%04x", p->bus->number,
			  PCI_SLOT(p->devfn), PCI_FUNC(p->devfn), p->vendor, p->device);
	} else {
		struct resource *r = platform_get_resource(to_platform_device(t),
							   IORESOURCE_MEM, 0);

		scnprintf(buf, size, "mmio=%#llx name=%s",
			  r ? (unsigned long long)r->start : 0ULL, dev_name(t));
	}
	return buf;
}

static bool *probe_failed_flag(struct device *t)
{
	if (t->bus == &pci_bus_type)
		return &to_dde_pci_dev(to_pci_dev(t))->probe_failed;
	return &dde_platform_info(to_platform_device(t))->probe_failed;
}

/**
 * dde_device_probe_failed() - report a driver's failed probe
 * @dev: the device it probed
 * @drv: the driver
 * @err: what its probe returned
 *
 * Only devices on a PCI function or a platform device are reported here (the driver core
 * reports every failure in Linux's words too).
 *
 * Context: thread (the probing one).
 */
void dde_device_probe_failed(struct device *dev, struct device_driver *drv, int err)
{
	struct device *t = transport_of(dev);
	const char *name = errname(err);
	char id[64];

	if (!t)
		return;
	*probe_failed_flag(t) = true;
	if (name)
		say("device: %s driver=%s probe failed: %s", transport_name(t, id, sizeof(id)),
		    drv->name, name);
	else
		say("device: %s driver=%s probe failed: %d", transport_name(t, id, sizeof(id)),
		    drv->name, err);
}

struct tally {
	struct device *t;		/* the transport being reported */
	char id[64];			/* its transport_name() */
	bool said;
	unsigned int disks, nics;
};

static void disk_line(struct gendisk *disk, void *arg)
{
	struct tally *t = arg;
	struct device *parent = disk_to_dev(disk)->parent;
	struct dde_blk_info info;

	if (!t->t) {
		t->disks++;
		return;
	}
	if (transport_of(parent) != t->t)
		return;
	dde_blk_get_info(disk, &info);
	say("device: %s driver=%s disk=%s capacity=%llu lbs=%u ro=%d queues=%u",
	    t->id, parent && parent->driver ? parent->driver->name : "?",
	    info.name, (unsigned long long)info.capacity << SECTOR_SHIFT,
	    info.logical_block_size, info.read_only, info.nr_hw_queues);
	t->said = true;
}

static int netdev_line(struct net_device *ndev, void *arg)
{
	struct tally *t = arg;
	struct device *parent = ndev->dev.parent;

	if (!t->t) {
		t->nics++;
		return 0;
	}
	if (transport_of(parent) != t->t)
		return 0;
	say("device: %s driver=%s netdev=%s mac=%pM mtu=%u queues=%u",
	    t->id, parent && parent->driver ? parent->driver->name : "?",
	    ndev->name, ndev->dev_addr, ndev->mtu, ndev->real_num_tx_queues);
	t->said = true;
	return 0;
}

static void for_each_netdev_line(struct tally *t)
{
	rtnl_lock();
	dde_net_for_each_dev(netdev_line, t);
	rtnl_unlock();
}

static int transport_lines(struct device *dev, void *arg)
{
	struct tally *t = arg;

	if (!dev->driver || *probe_failed_flag(dev))
		return 0;
	t->t = dev;
	t->said = false;
	transport_name(dev, t->id, sizeof(t->id));
	dde_blk_for_each_disk(disk_line, t);
	for_each_netdev_line(t);
	if (!t->said)
		say("device: %s driver=%s", t->id, dev->driver->name);
	return 0;
}

/* After the initcalls: a line per bound PCI function, then per bound
 * platform device. Context: thread. */
void dde_device_lines(void)
{
	struct tally t = { };

	bus_for_each_dev(&pci_bus_type, NULL, &t, transport_lines);
	bus_for_each_dev(&platform_bus_type, NULL, &t, transport_lines);
}

/* For the kernel's ready line: what the drivers registered. */
void ddeos_dde_devices(unsigned int *disks, unsigned int *nics)
{
	struct tally t = { };

	dde_blk_for_each_disk(disk_line, &t);
	for_each_netdev_line(&t);
	*disks = t.disks;
	*nics = t.nics;
}
