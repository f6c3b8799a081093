// SPDX-License-Identifier: GPL-2.0-only
/*
 * Root devices (Linux: the root_device part of drivers/base/core.c): a
 * named device on no bus and with no parent, which code uses as the owner
 * of devres allocations or as a parent for its own devices. Without sysfs
 * there is no /sys/devices/<name> and no "module" link to its owner; the
 * device itself, its name and its life are Linux's.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/slab.h>

struct root_device {
	struct device dev;
	struct module *owner;
};

static void root_device_release(struct device *dev)
{
	kfree(container_of(dev, struct root_device, dev));
}

/**
 * __root_device_register - allocate and register a root device
 * @name: its name
 * @owner: the module it belongs to (kept, unused without modules)
 *
 * Context: thread, may sleep.
 * Return: the device, or ERR_PTR(-ENOMEM) / the error of device_register().
 */
struct device *__root_device_register(const char *name, struct module *owner)
{
	struct root_device *root;
	int err;

	root = kzalloc(sizeof(*root), GFP_KERNEL);
	if (!root)
		return ERR_PTR(-ENOMEM);
	err = dev_set_name(&root->dev, "%s", name);
	if (err) {
		kfree(root);
		return ERR_PTR(err);
	}
	root->owner = owner;
	root->dev.release = root_device_release;
	err = device_register(&root->dev);
	if (err) {
		put_device(&root->dev);	/* frees it through the release */
		return ERR_PTR(err);
	}
	return &root->dev;
}

/**
 * root_device_unregister - unregister and put a root device
 * @dev: a device from __root_device_register()
 *
 * Context: thread, may sleep.
 */
void root_device_unregister(struct device *dev)
{
	device_unregister(dev);
}
