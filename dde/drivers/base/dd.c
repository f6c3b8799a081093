// SPDX-License-Identifier: GPL-2.0-only
/*
 * Binding devices to drivers (Linux: drivers/base/dd.c): match, probe,
 * remove, and the walks that try every driver for a new device and every
 * device for a new driver. Emulated rather than compiled: Linux's dd.c
 * also drives sysfs links, device links, runtime PM, pinctrl, deferred
 * and asynchronous probing and uevents. Differences: probing is always
 * synchronous, in the caller's thread (Linux's default; a driver asking
 * for asynchronous probing is probed synchronously too), and deferral is
 * not offered: a probe or match returning -EPROBE_DEFER leaves the device
 * unbound with a warning saying so, and nothing retries it.
 *
 * Locking as on Linux: a device is bound and unbound under its
 * dev->mutex (device_lock()), and its parent's first if the bus sets
 * need_parent_lock; dev->driver changes only under it.
 */
#include <linux/device.h>
#include <linux/klist.h>
#include <linux/mutex.h>
#include <dde/dde.h>
#include <dde/mm.h>
#include "base.h"

static void __device_driver_lock(struct device *dev, struct device *parent)
{
	if (parent && dev->bus->need_parent_lock)
		device_lock(parent);
	device_lock(dev);
}

static void __device_driver_unlock(struct device *dev, struct device *parent)
{
	device_unlock(dev);
	if (parent && dev->bus->need_parent_lock)
		device_unlock(parent);
}

static int driver_match_device(struct device_driver *drv, struct device *dev)
{
	return drv->bus->match ? drv->bus->match(dev, drv) : 1;
}

/**
 * device_is_bound - is a driver bound to the device?
 * @dev: the device
 *
 * Context: any; the answer is stable only under device_lock().
 * Return: true once the probe succeeded, until the driver is released.
 */
bool device_is_bound(struct device *dev)
{
	return dev->p && klist_node_attached(&dev->p->knode_driver);
}

static void driver_bound(struct device *dev)
{
	if (device_is_bound(dev)) {
		pr_warn("%s: device %s already bound\n", __func__, kobject_name(&dev->kobj));
		return;
	}
	pr_debug("driver: '%s': %s: bound to device '%s'\n", dev->driver->name,
		 __func__, dev_name(dev));
	klist_add_tail(&dev->p->knode_driver, &dev->driver->p->klist_devices);
}

/* After remove or a failed probe: what the driver acquired goes, newest
 * first (devres), and the device is driver-less again. */
static void device_unbind_cleanup(struct device *dev)
{
	devres_release_all(dev);
	dev->driver = NULL;
	dev_set_drvdata(dev, NULL);
	dev->links.status = DL_DEV_NO_DRIVER;
}

static void device_remove(struct device *dev)
{
	if (dev->bus && dev->bus->remove)
		dev->bus->remove(dev);
	else if (dev->driver->remove)
		dev->driver->remove(dev);
}

static void report_no_deferral(struct device *dev, struct device_driver *drv)
{
	pr_warn("%s: probe of %s asked to be deferred; ddeos does not defer probes yet, so it stays unbound\n",
		drv->name, dev_name(dev));
}

/* The bus's probe if it has one, else the driver's; Linux's messages. */
static int call_driver_probe(struct device *dev, struct device_driver *drv)
{
	int ret = 0;

	if (dev->bus->probe)
		ret = dev->bus->probe(dev);
	else if (drv->probe)
		ret = drv->probe(dev);

	switch (ret) {
	case 0:
		break;
	case -EPROBE_DEFER:
		report_no_deferral(dev, drv);
		break;
	case -ENODEV:
	case -ENXIO:
		/* the driver looked and declined: quiet, as on Linux */
		pr_debug("%s: probe of %s rejects match %d\n", drv->name,
			 dev_name(dev), ret);
		break;
	default:
		pr_warn("%s: probe of %s failed with error %d\n", drv->name,
			dev_name(dev), ret);
		dde_device_probe_failed(dev, drv, ret);	/* its device: line */
		break;
	}
	return ret;
}

/*
 * Linux's really_probe(), under the device lock. Returns 0 when bound,
 * and a probe's error as a positive number so that callers can tell it
 * from their own errors (Linux's convention).
 */
static int really_probe(struct device *dev, struct device_driver *drv)
{
	struct dde_probe_mark mark;
	int ret;

	pr_debug("bus: '%s': %s: probing driver %s with device %s\n",
		 drv->bus->name, __func__, drv->name, dev_name(dev));
	if (!list_empty(&dev->devres_head)) {
		dev_crit(dev, "Resources present before probing\n");
		return -EBUSY;
	}
	dde_fail_alloc_probe_begin(&mark);	/* with fail_alloc= only */
	dev->driver = drv;
	dev->links.status = DL_DEV_PROBING;
	/* the bus sets up DMA for the device before its driver sees it */
	if (dev->bus->dma_configure) {
		ret = dev->bus->dma_configure(dev);
		if (ret) {
			device_unbind_cleanup(dev);
			return ret;
		}
	}
	ret = call_driver_probe(dev, drv);
	if (ret) {
		if (dev->bus->dma_cleanup)
			dev->bus->dma_cleanup(dev);
		device_unbind_cleanup(dev);
		dde_fail_alloc_probe_failed(&mark, dev_name(dev), ret);
		return -ret;
	}
	dev->links.status = DL_DEV_DRIVER_BOUND;
	driver_bound(dev);
	pr_debug("bus: '%s': %s: bound device %s to driver %s\n",
		 drv->bus->name, __func__, dev_name(dev), drv->name);
	return 0;
}

/* Called with the device lock held. -ENODEV: deleted or never added;
 * -EBUSY: it has a driver already. */
static int driver_probe_device(struct device_driver *drv, struct device *dev)
{
	if (dev->p->dead || !device_is_registered(dev))
		return -ENODEV;
	if (dev->driver)
		return -EBUSY;
	dev->can_match = true;
	pr_debug("bus: '%s': %s: matched device %s with driver %s\n",
		 drv->bus->name, __func__, dev_name(dev), drv->name);
	return really_probe(dev, drv);
}

/* ---- a new device: try the bus's drivers in order -------------------------- */

/* The bus's match, its deferral and errors reported: > 0 is a match,
 * 0 none, < 0 an error. */
static int driver_match_for_probe(struct device_driver *drv, struct device *dev)
{
	int ret = driver_match_device(drv, dev);

	if (ret == -EPROBE_DEFER) {
		dev->can_match = true;
		report_no_deferral(dev, drv);
	} else if (ret < 0) {
		dev_dbg(dev, "Bus failed to match device: %d\n", ret);
	}
	return ret;
}

static int __device_attach_driver(struct device_driver *drv, void *data)
{
	struct device *dev = data;
	int ret;

	/* an error stops the walk: no other driver may take the device */
	ret = driver_match_for_probe(drv, dev);
	if (ret <= 0)
		return ret;
	/* a failed probe lets the next matching driver try */
	ret = driver_probe_device(drv, dev);
	if (ret < 0)
		return ret;
	return ret == 0;
}

static int __device_attach(struct device *dev)
{
	int ret = 0;

	device_lock(dev);
	if (dev->p->dead)
		goto out_unlock;
	if (dev->driver) {
		/* Linux's device_bind_driver() path: a bus that sets
		 * dev->driver before device_add(). */
		if (device_is_bound(dev)) {
			ret = 1;
		} else {
			driver_bound(dev);
			ret = 1;
		}
		goto out_unlock;
	}
	ret = bus_for_each_drv(dev->bus, NULL, dev, __device_attach_driver);
out_unlock:
	device_unlock(dev);
	return ret;
}

/**
 * device_attach - try to bind a device to a driver of its bus
 * @dev: an added device
 *
 * Context: thread, may sleep (the probe runs here).
 * Return: 1 if bound (now or before), 0 if no driver took it, or a
 * negative error from the bus's match.
 */
int device_attach(struct device *dev)
{
	return __device_attach(dev);
}

/**
 * device_initial_probe - the probe device_add() does
 * @dev: an added device
 *
 * Context: thread, may sleep.
 */
void device_initial_probe(struct device *dev)
{
	__device_attach(dev);
}

/* ---- a new driver: try every device of the bus ---------------------------- */

static int __driver_attach(struct device *dev, void *data)
{
	struct device_driver *drv = data;

	/* an error or a failed probe: the driver may suit the next device */
	if (driver_match_for_probe(drv, dev) <= 0)
		return 0;
	__device_driver_lock(dev, dev->parent);
	driver_probe_device(drv, dev);
	__device_driver_unlock(dev, dev->parent);
	return 0;
}

/**
 * driver_attach - bind a driver to every matching unbound device of its bus
 * @drv: a driver on its bus
 *
 * Context: thread, may sleep (probes run here).
 * Return: 0.
 */
int driver_attach(struct device_driver *drv)
{
	return bus_for_each_dev(drv->bus, NULL, drv, __driver_attach);
}

/**
 * device_driver_attach - bind a given driver to a device
 * @drv: the driver
 * @dev: the device
 *
 * Context: thread, may sleep.
 * Return: 0, -ENODEV (deleted), -EBUSY (has a driver), or the probe's
 * error (-EPROBE_DEFER becomes -EAGAIN, as on Linux).
 */
int device_driver_attach(struct device_driver *drv, struct device *dev)
{
	int ret;

	__device_driver_lock(dev, dev->parent);
	ret = driver_probe_device(drv, dev);
	__device_driver_unlock(dev, dev->parent);
	if (ret > 0)
		ret = -ret;
	if (ret == -EPROBE_DEFER)
		return -EAGAIN;
	return ret;
}

/* ---- unbinding ------------------------------------------------------------- */

/* Under the device lock: remove, then the driver's devres, newest first. */
static void __device_release_driver(struct device *dev)
{
	struct device_driver *drv = dev->driver;

	if (!drv)
		return;
	device_remove(dev);
	if (dev->bus && dev->bus->dma_cleanup)
		dev->bus->dma_cleanup(dev);
	device_unbind_cleanup(dev);
	klist_remove(&dev->p->knode_driver);
}

void device_release_driver_internal(struct device *dev,
				    struct device_driver *drv,
				    struct device *parent)
{
	__device_driver_lock(dev, parent);
	if (!drv || drv == dev->driver)
		__device_release_driver(dev);
	__device_driver_unlock(dev, parent);
}

/**
 * device_release_driver - unbind a device from its driver
 * @dev: the device
 *
 * Calls the bus's remove (else the driver's), then releases what the
 * driver acquired with devres. Nothing happens if it has no driver. A
 * driver's remove must not call this for its own device (it deadlocks on
 * the device lock, as on Linux).
 *
 * Context: thread, may sleep.
 */
void device_release_driver(struct device *dev)
{
	device_release_driver_internal(dev, NULL, NULL);
}

/* driver_unregister(): unbind every device, the last bound first. */
void driver_detach(struct device_driver *drv)
{
	struct device_private *dev_prv;
	struct device *dev;

	for (;;) {
		spin_lock(&drv->p->klist_devices.k_lock);
		if (list_empty(&drv->p->klist_devices.k_list)) {
			spin_unlock(&drv->p->klist_devices.k_lock);
			break;
		}
		dev_prv = list_last_entry(&drv->p->klist_devices.k_list,
					  struct device_private, knode_driver.n_node);
		dev = dev_prv->device;
		get_device(dev);
		spin_unlock(&drv->p->klist_devices.k_lock);
		device_release_driver_internal(dev, drv, dev->parent);
		put_device(dev);
	}
}
