// SPDX-License-Identifier: GPL-2.0-only
/*
 * Driver registration (Linux: drivers/base/driver.c). Emulated rather than
 * compiled: Linux's file adds sysfs groups, uevents and the deferred-probe
 * timeout around the same steps. Difference: Linux refuses a second driver
 * of one name per bus through driver_find() and the sysfs kobject name;
 * here the find and the insertion happen together under the bus's mutex,
 * so two threads registering one name cannot both succeed.
 */
#include <linux/device.h>
#include <linux/klist.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include "base.h"

static struct device_driver *driver_find_locked(const char *name, struct bus_type *bus)
{
	struct klist_iter i;
	struct klist_node *n;
	struct device_driver *found = NULL;

	klist_iter_init(&bus->p->klist_drivers, &i);
	while ((n = klist_next(&i))) {
		struct device_driver *drv =
			container_of(n, struct driver_private, knode_bus)->driver;

		if (!strcmp(drv->name, name)) {
			found = drv;
			break;
		}
	}
	klist_iter_exit(&i);
	return found;
}

/**
 * driver_find - find a driver on a bus by its name
 * @name: the driver's name
 * @bus: the bus
 *
 * Context: thread, may sleep.
 * Return: the driver, or NULL. No reference is taken (as on Linux): the
 * caller must know the driver stays registered.
 */
struct device_driver *driver_find(const char *name, struct bus_type *bus)
{
	struct device_driver *drv;

	mutex_lock(&bus->p->mutex);
	drv = driver_find_locked(name, bus);
	mutex_unlock(&bus->p->mutex);
	return drv;
}

/**
 * driver_register - register a driver with its bus
 * @drv: the driver, with its bus and name set
 *
 * Binds it to every matching device already on the bus that has no
 * driver; each probe runs here, in the caller's thread. Probe failures do
 * not fail the registration (as on Linux).
 *
 * Context: thread, may sleep.
 * Return: 0, -EINVAL if the bus is not registered, -EBUSY if a driver of
 * that name is, or -ENOMEM.
 */
int driver_register(struct device_driver *drv)
{
	struct bus_type *bus = drv->bus;
	int ret;

	if (!bus->p) {
		pr_err("Driver '%s' was unable to register with bus_type '%s' because the bus was not initialized.\n",
		       drv->name, bus->name);
		return -EINVAL;
	}
	if ((bus->probe && drv->probe) || (bus->remove && drv->remove) ||
	    (bus->shutdown && drv->shutdown))
		pr_warn("Driver '%s' needs updating - please use bus_type methods\n",
			drv->name);

	mutex_lock(&bus->p->mutex);
	if (driver_find_locked(drv->name, bus)) {
		mutex_unlock(&bus->p->mutex);
		pr_err("Error: Driver '%s' is already registered, aborting...\n",
		       drv->name);
		return -EBUSY;
	}
	ret = bus_add_driver(drv);
	mutex_unlock(&bus->p->mutex);
	if (ret)
		return ret;

	if (bus->p->drivers_autoprobe) {
		/* 0 today: __driver_attach() goes on past every failure */
		ret = driver_attach(drv);
		if (ret)
			bus_remove_driver(drv);
	}
	return ret;
}

/**
 * driver_unregister - take a driver off its bus
 * @drv: a registered driver
 *
 * Unbinds every device bound to it (remove, then devres), the last bound
 * first.
 *
 * Context: thread, may sleep.
 */
void driver_unregister(struct device_driver *drv)
{
	if (!drv || !drv->p) {
		WARN(1, "Unexpected driver unregister!\n");
		return;
	}
	bus_remove_driver(drv);
}
