// SPDX-License-Identifier: GPL-2.0-only
/*
 * Buses (Linux: drivers/base/bus.c): registration, the lists of devices
 * and drivers on a bus, and walking them. Emulated rather than compiled:
 * Linux's bus.c is built on ksets, sysfs attributes, uevents and bus
 * notifiers. The lists are Linux's own klists (lib/klist.c, compiled), so
 * a walk may run concurrently with adds and removes exactly as on Linux:
 * the walker holds the current node (and, for devices, a reference), and
 * klist_remove() waits for walkers to step off. A bus name may be
 * registered once (Linux refuses a second kset of that name: -EEXIST).
 */
#include <linux/device.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "base.h"

/* Registered buses, for the duplicate-name check. */
static DEFINE_MUTEX(buses_lock);
static LIST_HEAD(buses);

/* ---- the bus's own reference count (Linux: the kset's kobject) ----------- */

static void bus_release(struct kref *ref)
{
	struct subsys_private *priv = container_of(ref, struct subsys_private, ref);
	struct bus_type *bus = priv->bus;

	kfree(priv);
	bus->p = NULL;
}

struct bus_type *bus_get(struct bus_type *bus)
{
	if (bus)
		kref_get(&bus->p->ref);
	return bus;
}

void bus_put(struct bus_type *bus)
{
	if (bus)
		kref_put(&bus->p->ref, bus_release);
}

/* ---- register, unregister -------------------------------------------------- */

static void klist_devices_get(struct klist_node *n)
{
	get_device(to_device_private_bus(n)->device);
}

static void klist_devices_put(struct klist_node *n)
{
	put_device(to_device_private_bus(n)->device);
}

/**
 * bus_register - register a bus type
 * @bus: the bus, with its name and methods set
 *
 * Drivers probe automatically (drivers_autoprobe), as on Linux.
 *
 * Context: thread, may sleep.
 * Return: 0, -EEXIST if a bus of that name is registered, or -ENOMEM.
 */
int bus_register(struct bus_type *bus)
{
	struct subsys_private *priv, *other;

	priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	priv->bus = bus;
	kref_init(&priv->ref);
	mutex_init(&priv->mutex);
	klist_init(&priv->klist_devices, klist_devices_get, klist_devices_put);
	klist_init(&priv->klist_drivers, NULL, NULL);
	priv->drivers_autoprobe = 1;

	mutex_lock(&buses_lock);
	list_for_each_entry(other, &buses, node) {
		if (!strcmp(other->bus->name, bus->name)) {
			mutex_unlock(&buses_lock);
			pr_err("bus: '%s': already registered\n", bus->name);
			kfree(priv);
			return -EEXIST;
		}
	}
	bus->p = priv;
	list_add_tail(&priv->node, &buses);
	mutex_unlock(&buses_lock);
	pr_debug("bus: '%s': registered\n", bus->name);
	return 0;
}

/**
 * bus_unregister - unregister a bus type
 * @bus: a registered bus
 *
 * The bus's private data goes when the last device and driver on it are
 * gone (they hold references, as on Linux); unregister them first.
 *
 * Context: thread, may sleep.
 */
void bus_unregister(struct bus_type *bus)
{
	pr_debug("bus: '%s': unregistering\n", bus->name);
	if (bus->dev_root)
		device_unregister(bus->dev_root);
	mutex_lock(&buses_lock);
	list_del(&bus->p->node);
	mutex_unlock(&buses_lock);
	bus_put(bus);
}

/* ---- devices on the bus (called by core.c) ---------------------------------- */

/*
 * device_add(): put @dev on its bus's list; it holds a bus reference. A
 * bus not registered (yet) is refused: Linux would dereference its NULL
 * private data here.
 */
int bus_add_device(struct device *dev)
{
	struct bus_type *bus = dev->bus;

	if (!bus)
		return 0;
	if (!bus->p) {
		pr_err("bus: '%s': device %s added to a bus that is not registered\n",
		       bus->name, dev_name(dev));
		return -EINVAL;
	}
	bus_get(bus);
	pr_debug("bus: '%s': add device %s\n", bus->name, dev_name(dev));
	klist_add_tail(&dev->p->knode_bus, &bus->p->klist_devices);
	return 0;
}

/* device_add(), last: bind @dev to a driver if the bus autoprobes. */
void bus_probe_device(struct device *dev)
{
	if (dev->bus && dev->bus->p->drivers_autoprobe)
		device_initial_probe(dev);
}

/* device_del(): off the bus's list, then unbound. */
void bus_remove_device(struct device *dev)
{
	struct bus_type *bus = dev->bus;

	if (!bus)
		return;
	if (klist_node_attached(&dev->p->knode_bus))
		klist_del(&dev->p->knode_bus);
	pr_debug("bus: '%s': remove device %s\n", bus->name, dev_name(dev));
	device_release_driver(dev);
	bus_put(bus);
}

/* ---- walking the bus --------------------------------------------------------- */

static struct device *next_device(struct klist_iter *i)
{
	struct klist_node *n = klist_next(i);

	return n ? to_device_private_bus(n)->device : NULL;
}

/**
 * bus_for_each_dev - call @fn for each device on a bus
 * @bus: the bus
 * @start: the device to start after, or NULL for the first
 * @data: passed to @fn
 * @fn: returns non-zero to stop the walk
 *
 * @fn runs without any lock of the bus held, with a reference on the
 * device; devices may come and go meanwhile.
 *
 * Context: thread, may sleep if @fn does.
 * Return: the first non-zero @fn result, 0, or -EINVAL for no bus.
 */
int bus_for_each_dev(struct bus_type *bus, struct device *start, void *data,
		     int (*fn)(struct device *dev, void *data))
{
	struct klist_iter i;
	struct device *dev;
	int error = 0;

	if (!bus || !bus->p)
		return -EINVAL;
	klist_iter_init_node(&bus->p->klist_devices, &i,
			     start ? &start->p->knode_bus : NULL);
	while (!error && (dev = next_device(&i)))
		error = fn(dev, data);
	klist_iter_exit(&i);
	return error;
}

/**
 * bus_find_device - the first device on a bus that @match accepts
 * @bus: the bus
 * @start: the device to start after, or NULL
 * @data: passed to @match
 * @match: returns non-zero for the device wanted
 *
 * Context: thread.
 * Return: the device with a reference taken (put_device() it), or NULL.
 */
struct device *bus_find_device(struct bus_type *bus, struct device *start,
			       const void *data,
			       int (*match)(struct device *dev, const void *data))
{
	struct klist_iter i;
	struct device *dev;

	if (!bus || !bus->p)
		return NULL;
	klist_iter_init_node(&bus->p->klist_devices, &i,
			     start ? &start->p->knode_bus : NULL);
	while ((dev = next_device(&i)))
		if (match(dev, data) && get_device(dev))
			break;
	klist_iter_exit(&i);
	return dev;
}

static struct device_driver *next_driver(struct klist_iter *i)
{
	struct klist_node *n = klist_next(i);

	return n ? container_of(n, struct driver_private, knode_bus)->driver : NULL;
}

/**
 * bus_for_each_drv - call @fn for each driver on a bus
 * @bus: the bus
 * @start: the driver to start after, or NULL for the first
 * @data: passed to @fn
 * @fn: returns non-zero to stop the walk
 *
 * A driver being unregistered waits in klist_remove() until the walk has
 * stepped past it, so @fn never sees a freed driver.
 *
 * Context: thread, may sleep if @fn does.
 * Return: the first non-zero @fn result, 0, or -EINVAL for no bus.
 */
int bus_for_each_drv(struct bus_type *bus, struct device_driver *start,
		     void *data, int (*fn)(struct device_driver *drv, void *data))
{
	struct klist_iter i;
	struct device_driver *drv;
	int error = 0;

	if (!bus || !bus->p)
		return -EINVAL;
	klist_iter_init_node(&bus->p->klist_drivers, &i,
			     start ? &start->p->knode_bus : NULL);
	while (!error && (drv = next_driver(&i)))
		error = fn(drv, data);
	klist_iter_exit(&i);
	return error;
}

/* ---- drivers on the bus (called by driver.c) --------------------------------- */

/*
 * driver_register(): put @drv on its bus and bind it to every matching
 * unbound device. The caller holds the bus's mutex over the name check and
 * this insertion only; binding runs after it is dropped (see driver.c).
 */
int bus_add_driver(struct device_driver *drv)
{
	struct bus_type *bus = bus_get(drv->bus);
	struct driver_private *priv;

	priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	if (!priv) {
		bus_put(bus);
		return -ENOMEM;
	}
	klist_init(&priv->klist_devices, NULL, NULL);
	priv->driver = drv;
	drv->p = priv;
	klist_add_tail(&priv->knode_bus, &bus->p->klist_drivers);
	pr_debug("bus: '%s': add driver %s\n", bus->name, drv->name);
	return 0;
}

/* driver_unregister(): off the bus (waiting for walkers), then unbound. */
void bus_remove_driver(struct device_driver *drv)
{
	struct driver_private *priv = drv->p;

	pr_debug("bus: '%s': remove driver %s\n", drv->bus->name, drv->name);
	klist_remove(&priv->knode_bus);
	driver_detach(drv);
	drv->p = NULL;
	kfree(priv);
	bus_put(drv->bus);
}
