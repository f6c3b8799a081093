// SPDX-License-Identifier: GPL-2.0-only
/*
 * dev_printk and friends (Linux: drivers/base/core.c). A message about a
 * device is prefixed "DRIVER DEVICE: " as on Linux, e.g.
 * "virtio_net virtio0: ...", and goes through printk with its level, so
 * loglevel= filters it like any other.
 */
#include <linux/device.h>
#include <linux/dev_printk.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <dde/dde.h>

/* The driver's name, else the bus's or class's (Linux's rule). */
const char *dev_driver_string(const struct device *dev)
{
	struct device_driver *drv = READ_ONCE(dev->driver);

	if (drv)
		return drv->name;
	if (dev->bus)
		return dev->bus->name;
	if (dev->class)
		return dev->class->name;
	return "";
}

static void dev_vprintk(const char *level, const struct device *dev,
			struct va_format *vaf)
{
	char fmt[24];

	/* The level must lead the format for printk to see it. */
	strscpy(fmt, level, 3);
	strlcat(fmt, dev ? "%s %s: %pV" : "(NULL device *): %pV", sizeof(fmt));
	if (dev)
		printk(fmt, dev_driver_string(dev), dev_name(dev), vaf);
	else
		printk(fmt, vaf);
}

void _dev_printk(const char *level, const struct device *dev, const char *fmt, ...)
{
	struct va_format vaf = { .fmt = fmt };
	va_list args;

	va_start(args, fmt);
	vaf.va = &args;
	dev_vprintk(level, dev, &vaf);
	va_end(args);
}

#define DEFINE_DEV_LEVEL(func, kern_level)				\
void func(const struct device *dev, const char *fmt, ...)		\
{									\
	struct va_format vaf = { .fmt = fmt };				\
	va_list args;							\
									\
	va_start(args, fmt);						\
	vaf.va = &args;							\
	dev_vprintk(kern_level, dev, &vaf);				\
	va_end(args);							\
}

DEFINE_DEV_LEVEL(_dev_emerg, KERN_EMERG)
DEFINE_DEV_LEVEL(_dev_alert, KERN_ALERT)
DEFINE_DEV_LEVEL(_dev_crit, KERN_CRIT)
DEFINE_DEV_LEVEL(_dev_err, KERN_ERR)
DEFINE_DEV_LEVEL(_dev_warn, KERN_WARNING)
DEFINE_DEV_LEVEL(_dev_notice, KERN_NOTICE)
DEFINE_DEV_LEVEL(_dev_info, KERN_INFO)

/**
 * dev_err_probe - report a probe error, quietly if it is a deferral
 * @dev: the device
 * @err: the error, returned
 * @fmt: what failed
 *
 * Linux's, without the deferred-probe reason it records for debugfs: a
 * deferral is only a debug message (nothing here defers; the driver core
 * says so when a probe returns it).
 *
 * Context: any where printk() is allowed.
 * Return: @err.
 */
int dev_err_probe(const struct device *dev, int err, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (err != -EPROBE_DEFER)
		dev_err(dev, "error %pe: %pV", ERR_PTR(err), &vaf);
	else
		dev_dbg(dev, "error %pe: %pV", ERR_PTR(err), &vaf);
	va_end(args);
	return err;
}
EXPORT_SYMBOL_GPL(dev_err_probe);
