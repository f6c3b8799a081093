/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the DDE's driver core files (bus.c, core.c, dd.c, driver.c) share,
 * in place of Linux's drivers/base/base.h. Linux's headers declare the
 * three private structures below only as pointers (bus->p, drv->p, dev->p)
 * for drivers/base to define; ours keep Linux's lists (klists, from Linux's
 * own lib/klist.c) and drop the sysfs objects (ksets, kobjects) and the
 * notifier heads, which nothing here uses.
 */
#ifndef DDE_DRIVERS_BASE_BASE_H
#define DDE_DRIVERS_BASE_BASE_H

#include <linux/device.h>
#include <linux/klist.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>

/*
 * A registered bus (bus->p). Lock order: subsys_private.mutex, then a
 * klist's own spinlock; no device lock is taken under mutex, which guards
 * only the name check and insertion of a driver (driver.c).
 */
struct subsys_private {
	struct kref ref;		/* bus_register, each device and driver on it */
	struct list_head node;		/* in bus.c's list of buses, by name */
	struct mutex mutex;
	struct klist klist_devices;	/* iterating holds a device reference */
	struct klist klist_drivers;
	unsigned int drivers_autoprobe:1;
	struct bus_type *bus;
};

/* A registered driver (drv->p). */
struct driver_private {
	struct klist klist_devices;	/* the devices bound to it */
	struct klist_node knode_bus;
	struct device_driver *driver;
};

/* An added device (dev->p), from device_add() until its release. */
struct device_private {
	struct klist_node knode_driver;
	struct klist_node knode_bus;
	struct device *device;
	u8 dead:1;			/* device_del() began; under dev->mutex */
};

#define to_device_private_driver(obj) \
	container_of(obj, struct device_private, knode_driver)
#define to_device_private_bus(obj) \
	container_of(obj, struct device_private, knode_bus)

/* bus.c */
struct bus_type *bus_get(struct bus_type *bus);
void bus_put(struct bus_type *bus);
int bus_add_device(struct device *dev);
void bus_probe_device(struct device *dev);
void bus_remove_device(struct device *dev);
int bus_add_driver(struct device_driver *drv);
void bus_remove_driver(struct device_driver *drv);

/* dd.c */
int driver_attach(struct device_driver *drv);
void driver_detach(struct device_driver *drv);
void device_initial_probe(struct device *dev);
void device_release_driver_internal(struct device *dev,
				    struct device_driver *drv,
				    struct device *parent);

/* devres.c (Linux's, compiled unmodified) */
int devres_release_all(struct device *dev);

#endif
