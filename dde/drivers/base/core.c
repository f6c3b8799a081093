// SPDX-License-Identifier: GPL-2.0-only
/*
 * A device's life (Linux: drivers/base/core.c, with the parts of
 * lib/kobject.c a device's embedded kobject needs): initialise, name, add
 * to its bus (which probes it), delete, and the reference count whose last
 * put calls the release. Emulated rather than compiled: Linux's core.c
 * and kobject.c build the sysfs tree, uevents, device links, PM and class
 * glue at every step, none of which exists here. The kobject fields Linux
 * inlines read keep their meaning: kobj.name (dev_name()), kobj.kref
 * (one reference from device_initialize()), kobj.state_in_sysfs
 * (device_is_registered(): set from device_add() to device_del()).
 */
#include <linux/device.h>
#include <linux/kobject.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "base.h"

/* ---- the embedded kobject: name and reference count ---------------------- */

/* Linux's kobject_set_name_vargs(): '/' cannot be in a sysfs name, so it is
 * replaced by '!' there; we keep that so names match Linux's. */
static int device_set_name_vargs(struct device *dev, const char *fmt, va_list args)
{
	const char *s;

	s = kvasprintf_const(GFP_KERNEL, fmt, args);
	if (!s)
		return -ENOMEM;
	if (strchr(s, '/')) {
		char *t = kstrdup(s, GFP_KERNEL);

		kfree_const(s);
		if (!t)
			return -ENOMEM;
		strreplace(t, '/', '!');
		s = t;
	}
	kfree_const(dev->kobj.name);
	dev->kobj.name = s;
	return 0;
}

/**
 * dev_set_name - name a device
 * @dev: the device
 * @fmt: printf format of the name, then its arguments
 *
 * The name is allocated; a previous name is freed. dev_name() returns it
 * unless @dev->init_name is set (device_add() turns that into the name).
 *
 * Context: thread, may sleep (GFP_KERNEL).
 * Return: 0, or -ENOMEM.
 */
int dev_set_name(struct device *dev, const char *fmt, ...)
{
	va_list args;
	int err;

	va_start(args, fmt);
	err = device_set_name_vargs(dev, fmt, args);
	va_end(args);
	return err;
}

/*
 * The last reference is gone (Linux: kobject_cleanup() calling
 * device_release()). Resources a driver-less user attached with devres go
 * first; then the owner's release, which may free @dev, so the name is
 * saved before and freed after it.
 */
static void device_release(struct kref *kref)
{
	struct device *dev = container_of(kref, struct device, kobj.kref);
	struct device_private *p = dev->p;
	const char *name = dev->kobj.name;

	devres_release_all(dev);
	kfree(dev->dma_range_map);
	if (dev->release)
		dev->release(dev);
	else if (dev->type && dev->type->release)
		dev->type->release(dev);
	else if (dev->class && dev->class->dev_release)
		dev->class->dev_release(dev);
	else
		WARN(1, KERN_ERR "Device '%s' does not have a release() function, it is broken and must be fixed. See Documentation/core-api/kobject.rst.\n",
		     name);
	kfree(p);
	kfree_const(name);
}

/**
 * get_device - take a reference on a device
 * @dev: the device, or NULL
 *
 * Context: any.
 * Return: @dev.
 */
struct device *get_device(struct device *dev)
{
	if (!dev)
		return NULL;
	WARN(!dev->kobj.state_initialized,
	     "kobject: '%s' (%p): is not initialized, yet kobject_get() is being called.\n",
	     dev_name(dev), &dev->kobj);
	kref_get(&dev->kobj.kref);
	return dev;
}

/**
 * put_device - drop a reference on a device
 * @dev: the device, or NULL
 *
 * The last put releases the device (see device_release()).
 *
 * Context: any context its release function allows; thread for devices
 * whose devres entries may sleep.
 */
void put_device(struct device *dev)
{
	if (!dev)
		return;
	WARN(!dev->kobj.state_initialized,
	     "kobject: '%s' (%p): is not initialized, yet kobject_put() is being called.\n",
	     dev_name(dev), &dev->kobj);
	kref_put(&dev->kobj.kref, device_release);
}

/* ---- initialise, add, delete --------------------------------------------- */

/**
 * device_initialize - prepare a device for use
 * @dev: the device, zeroed or freshly allocated by its owner
 *
 * After this the device is reference counted (one reference, the
 * caller's): give it back with put_device(), never kfree().
 *
 * Context: any.
 */
void device_initialize(struct device *dev)
{
	if (dev->kobj.state_initialized) {
		/* Linux's kobject_init() also carries on after saying so */
		pr_err("kobject (%p): tried to init an initialized object, something is seriously wrong.\n",
		       &dev->kobj);
		dump_stack();
	}
	kref_init(&dev->kobj.kref);
	INIT_LIST_HEAD(&dev->kobj.entry);
	dev->kobj.state_in_sysfs = 0;
	dev->kobj.state_add_uevent_sent = 0;
	dev->kobj.state_remove_uevent_sent = 0;
	dev->kobj.state_initialized = 1;
	INIT_LIST_HEAD(&dev->dma_pools);
	mutex_init(&dev->mutex);
	spin_lock_init(&dev->devres_lock);
	INIT_LIST_HEAD(&dev->devres_head);
	set_dev_node(dev, NUMA_NO_NODE);
	INIT_LIST_HEAD(&dev->links.consumers);
	INIT_LIST_HEAD(&dev->links.suppliers);
	INIT_LIST_HEAD(&dev->links.defer_sync);
	dev->links.status = DL_DEV_NO_DRIVER;
}

static int device_private_init(struct device *dev)
{
	dev->p = kzalloc(sizeof(*dev->p), GFP_KERNEL);
	if (!dev->p)
		return -ENOMEM;
	dev->p->device = dev;
	return 0;
}

/**
 * device_add - add a device to the system
 * @dev: the device, after device_initialize()
 *
 * Names the device (init_name, else the bus's dev_name and id), puts it on
 * its bus and binds it to the first matching driver there. A failed probe
 * does not fail device_add(), as on Linux. On error the caller still owns
 * its reference and gives it back with put_device().
 *
 * Context: thread, may sleep (a driver's probe runs here).
 * Return: 0, -EINVAL without a name, or -ENOMEM.
 */
int device_add(struct device *dev)
{
	struct device *parent;
	int err;

	dev = get_device(dev);
	if (!dev)
		return -EINVAL;
	if (!dev->p) {
		err = device_private_init(dev);
		if (err)
			goto done;
	}
	/* init_name is for static devices: from now on the name is allocated */
	if (dev->init_name) {
		err = dev_set_name(dev, "%s", dev->init_name);
		dev->init_name = NULL;
		if (err)
			goto name_error;
	}
	if (!dev_name(dev)) {
		if (dev->bus && dev->bus->dev_name)
			err = dev_set_name(dev, "%s%u", dev->bus->dev_name, dev->id);
		else
			err = -EINVAL;
		if (err)
			goto name_error;
	}
	pr_debug("device: '%s': %s\n", dev_name(dev), __func__);

	parent = get_device(dev->parent);	/* held until device_del() */
	if (parent && dev_to_node(dev) == NUMA_NO_NODE)
		set_dev_node(dev, dev_to_node(parent));
	dev->kobj.state_in_sysfs = 1;		/* device_is_registered() */

	err = bus_add_device(dev);
	if (err) {
		dev->kobj.state_in_sysfs = 0;
		put_device(parent);
		goto done;
	}
	bus_probe_device(dev);
done:
	put_device(dev);
	return err;

name_error:
	kfree(dev->p);
	dev->p = NULL;
	goto done;
}

/**
 * device_register - device_initialize() and device_add() in one
 * @dev: the device
 *
 * Context: thread, may sleep.
 * Return: as device_add(); on error, put_device() is still the caller's.
 */
int device_register(struct device *dev)
{
	device_initialize(dev);
	return device_add(dev);
}

/**
 * device_del - take a device off the system
 * @dev: an added device
 *
 * Marks it dead (no probe binds it any more), takes it off its bus and
 * unbinds its driver (remove, then the driver's devres). The caller's
 * reference stays.
 *
 * Context: thread, may sleep.
 */
void device_del(struct device *dev)
{
	struct device *parent = dev->parent;

	device_lock(dev);
	dev->p->dead = true;
	device_unlock(dev);

	bus_remove_device(dev);
	dev->kobj.state_in_sysfs = 0;
	put_device(parent);
}

/**
 * device_unregister - device_del() and put_device() in one
 * @dev: an added device
 *
 * Context: thread, may sleep.
 */
void device_unregister(struct device *dev)
{
	pr_debug("device: '%s': %s\n", dev_name(dev), __func__);
	device_del(dev);
	put_device(dev);
}

/**
 * device_match_name - bus_find_device() matcher: is @name the device's name?
 * @dev: the device
 * @name: the name (a trailing newline is ignored, as sysfs input's)
 *
 * Context: any.
 * Return: non-zero if it is.
 */
int device_match_name(struct device *dev, const void *name)
{
	return sysfs_streq(dev_name(dev), name);
}
