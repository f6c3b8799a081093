// SPDX-License-Identifier: GPL-2.0-only
/*
 * The boot's `device:` lines (docs/options.md): once the drivers have
 * probed, one line per PCI function a driver bound, naming the function,
 * its ids, the driver at the end of the chain (virtio_pci binds the
 * function, virtio_blk the virtio device on it) and what it registered: a
 * disk or a network interface. A probe that fails says so at once, with
 * the driver's error by name. These lines are the boot's summary, so they
 * go to the console whatever the log level, like the kernel's `ddeos:`
 * lines. No Linux counterpart: Linux leaves this to sysfs and udev.
 */
#include <linux/blkdev.h>
#include <linux/device.h>
#include <linux/errname.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/rtnetlink.h>
#include <dde/block.h>
#include <dde/dde.h>
#include <dde/net.h>
#include "../pci/pci.h"

static struct pci_dev *pci_ancestor(struct device *dev)
{
	for (; dev; dev = dev->parent)
		if (dev->bus == &pci_bus_type)
			return to_pci_dev(dev);
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

#define PCI_FMT		"pci=%02x:%02x.%d id=%04x:%04x"
#define PCI_ARGS(p)	(p)->bus->number, PCI_SLOT((p)->devfn), PCI_FUNC((p)->devfn), \
			(p)->vendor, (p)->device

/**
 * dde_device_probe_failed() - report a driver's failed probe
 * @dev: the device it probed
 * @drv: the driver
 * @err: what its probe returned
 *
 * Only devices on a PCI function are reported here (the driver core
 * reports every failure in Linux's words too).
 *
 * Context: thread (the probing one).
 */
void dde_device_probe_failed(struct device *dev, struct device_driver *drv, int err)
{
	struct pci_dev *pdev = pci_ancestor(dev);
	const char *name = errname(err);

	if (!pdev)
		return;
	to_dde_pci_dev(pdev)->probe_failed = true;
	if (name)
		say("device: " PCI_FMT " driver=%s probe failed: %s", PCI_ARGS(pdev),
		    drv->name, name);
	else
		say("device: " PCI_FMT " driver=%s probe failed: %d", PCI_ARGS(pdev),
		    drv->name, err);
}

struct tally {
	struct pci_dev *pdev;		/* the function being reported */
	bool said;
	unsigned int disks, nics;
};

static void disk_line(struct gendisk *disk, void *arg)
{
	struct tally *t = arg;
	struct device *parent = disk_to_dev(disk)->parent;
	struct dde_blk_info info;

	if (!t->pdev) {
		t->disks++;
		return;
	}
	if (pci_ancestor(parent) != t->pdev)
		return;
	dde_blk_get_info(disk, &info);
	say("device: " PCI_FMT " driver=%s disk=%s capacity=%llu lbs=%u ro=%d queues=%u",
	    PCI_ARGS(t->pdev), parent && parent->driver ? parent->driver->name : "?",
	    info.name, (unsigned long long)info.capacity << SECTOR_SHIFT,
	    info.logical_block_size, info.read_only, info.nr_hw_queues);
	t->said = true;
}

static int netdev_line(struct net_device *ndev, void *arg)
{
	struct tally *t = arg;
	struct device *parent = ndev->dev.parent;

	if (!t->pdev) {
		t->nics++;
		return 0;
	}
	if (pci_ancestor(parent) != t->pdev)
		return 0;
	say("device: " PCI_FMT " driver=%s netdev=%s mac=%pM mtu=%u queues=%u",
	    PCI_ARGS(t->pdev), parent && parent->driver ? parent->driver->name : "?",
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

static int function_lines(struct device *dev, void *arg)
{
	struct tally *t = arg;
	struct pci_dev *pdev = to_pci_dev(dev);

	if (!dev->driver || to_dde_pci_dev(pdev)->probe_failed)
		return 0;
	t->pdev = pdev;
	t->said = false;
	dde_blk_for_each_disk(disk_line, t);
	for_each_netdev_line(t);
	if (!t->said)
		say("device: " PCI_FMT " driver=%s", PCI_ARGS(pdev), dev->driver->name);
	return 0;
}

/* After the initcalls: a line per bound PCI function. Context: thread. */
void dde_device_lines(void)
{
	struct tally t = { };

	bus_for_each_dev(&pci_bus_type, NULL, &t, function_lines);
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
