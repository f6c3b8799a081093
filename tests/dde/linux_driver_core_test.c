// SPDX-License-Identifier: GPL-2.0-only
/*
 * The driver core (dde/drivers/base/ with Linux's devres.c, property.c and
 * klist.c), driven the way a bus like virtio's drives it: a test bus whose
 * match compares a device's kind with a driver's, test drivers that count
 * probes and removes and acquire devres, devices that count releases.
 * Binding from both sides, probe failure, unbinding from both sides,
 * reference counting, names, devres order and memory, and concurrent
 * device_add() from every CPU. Reported in KTAP.
 */
#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/kobject.h>
#include <linux/property.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <dde/dde.h>
#include "linux_ktest.h"

/* ---- the test bus, devices and drivers ------------------------------------ */

struct ddt_dev {
	struct device dev;
	int kind;
	atomic_t probes;	/* successful or not */
	atomic_t *releases;	/* outlives the device */
};

struct ddt_drv {
	struct device_driver drv;
	int kind;
	int probe_ret;		/* what probe returns */
	int nr_actions;		/* devm_add_action()s a probe adds */
	int nr_allocs;		/* devm_kzalloc()s a probe makes */
	atomic_t probes, removes;
};

#define to_ddt_dev(d) container_of(d, struct ddt_dev, dev)
#define to_ddt_drv(d) container_of(d, struct ddt_drv, drv)

/* What happened, in order: probe/remove/devres action events of a case. */
static DEFINE_SPINLOCK(events_lock);
static int events[64], nr_events;

enum { EV_REMOVE = 100, EV_ACTION = 200, EV_BUS_PROBE = 300, EV_BUS_REMOVE = 400,
       EV_DMA_CONFIGURE = 500, EV_DMA_CLEANUP = 600 };

static void event(int what)
{
	spin_lock(&events_lock);
	if (nr_events < ARRAY_SIZE(events))
		events[nr_events++] = what;
	spin_unlock(&events_lock);
}

static void events_reset(void)
{
	spin_lock(&events_lock);
	nr_events = 0;
	spin_unlock(&events_lock);
}

static int ddt_match(struct device *dev, struct device_driver *drv)
{
	return to_ddt_dev(dev)->kind == to_ddt_drv(drv)->kind;
}

static struct bus_type ddt_bus = {
	.name = "ddt",
	.dev_name = "ddtbus",
	.match = ddt_match,
};

static void ddt_action(void *arg)
{
	event(EV_ACTION + (int)(long)arg);
}

static void hold_registrar(void);

static int ddt_probe(struct device *dev)
{
	struct ddt_drv *d = to_ddt_drv(dev->driver);
	int i;

	atomic_inc(&to_ddt_dev(dev)->probes);
	atomic_inc(&d->probes);
	hold_registrar();
	for (i = 0; i < d->nr_actions; i++)
		if (devm_add_action(dev, ddt_action, (void *)(long)i))
			return -ENOMEM;
	for (i = 0; i < d->nr_allocs; i++) {
		u8 *p = devm_kzalloc(dev, 24 + 200 * i, GFP_KERNEL);

		if (!p || memchr_inv(p, 0, 24 + 200 * i))
			return -ENOMEM;
		memset(p, 0x5a, 24 + 200 * i);
	}
	return d->probe_ret;
}

static int ddt_remove(struct device *dev)
{
	atomic_inc(&to_ddt_drv(dev->driver)->removes);
	event(EV_REMOVE);
	return 0;
}

static void ddt_drv_init(struct ddt_drv *d, const char *name, int kind)
{
	memset(d, 0, sizeof(*d));
	d->drv.name = name;
	d->drv.bus = &ddt_bus;
	d->drv.probe = ddt_probe;
	d->drv.remove = ddt_remove;
	d->kind = kind;
}

static void ddt_release(struct device *dev)
{
	struct ddt_dev *d = to_ddt_dev(dev);

	atomic_inc(d->releases);
	kfree(d);
}

/* Devices the bus names get distinct ids. */
static atomic_t next_id = ATOMIC_INIT(100);

/* An initialised (not added) device named @name, or by the bus if NULL. */
static struct ddt_dev *ddt_dev_new(const char *name, int kind, atomic_t *releases)
{
	struct ddt_dev *d = kzalloc(sizeof(*d), GFP_KERNEL);

	if (!d)
		return NULL;
	d->dev.id = atomic_inc_return(&next_id);
	d->kind = kind;
	d->releases = releases;
	d->dev.bus = &ddt_bus;
	d->dev.release = ddt_release;
	device_initialize(&d->dev);
	if (name && dev_set_name(&d->dev, "%s", name)) {
		put_device(&d->dev);
		return NULL;
	}
	return d;
}

static struct ddt_dev *ddt_dev_add(const char *name, int kind, atomic_t *releases)
{
	struct ddt_dev *d = ddt_dev_new(name, kind, releases);

	if (d && device_add(&d->dev)) {
		put_device(&d->dev);
		return NULL;
	}
	return d;
}

static bool bus_up(struct ddeos_ktest *t)
{
	events_reset();
	return EXPECT(t, bus_register(&ddt_bus) == 0);
}

/* ---- binding: from driver_register() and from device_add() ----------------- */

static void driver_register_binds_existing_devices(struct ddeos_ktest *t)
{
	atomic_t releases = ATOMIC_INIT(0);
	struct ddt_dev *a1, *a2, *b;
	struct ddt_drv da;

	if (!bus_up(t))
		return;
	a1 = ddt_dev_add("ddt-a1", 1, &releases);
	a2 = ddt_dev_add("ddt-a2", 1, &releases);
	b = ddt_dev_add("ddt-b", 2, &releases);
	if (!EXPECT(t, a1 && a2 && b))
		return;
	EXPECT(t, !a1->dev.driver && !device_is_bound(&a1->dev), "bound with no driver");

	ddt_drv_init(&da, "ddt-drv-a", 1);
	EXPECT(t, driver_register(&da.drv) == 0);
	EXPECT(t, a1->dev.driver == &da.drv && a2->dev.driver == &da.drv);
	EXPECT(t, device_is_bound(&a1->dev) && device_is_bound(&a2->dev));
	EXPECT(t, !b->dev.driver && atomic_read(&b->probes) == 0, "kind 2 probed by kind 1");
	EXPECT(t, atomic_read(&da.probes) == 2, "%d probes", atomic_read(&da.probes));
	EXPECT(t, atomic_read(&a1->probes) == 1 && atomic_read(&a2->probes) == 1);

	/* a second driver of the same name is refused, the first unharmed */
	EXPECT(t, driver_register(&(struct ddt_drv){ .drv = { .name = "ddt-drv-a",
			.bus = &ddt_bus } }.drv) == -EBUSY);
	EXPECT(t, driver_find("ddt-drv-a", &ddt_bus) == &da.drv);

	device_unregister(&a1->dev);
	device_unregister(&a2->dev);
	device_unregister(&b->dev);
	driver_unregister(&da.drv);
	EXPECT(t, atomic_read(&releases) == 3, "%d releases", atomic_read(&releases));
	bus_unregister(&ddt_bus);
	EXPECT(t, !ddt_bus.p, "bus data outlived its last device and driver");
}

static void device_add_binds_first_matching_driver(struct ddeos_ktest *t)
{
	atomic_t releases = ATOMIC_INIT(0);
	struct ddt_drv first, second, other;
	struct ddt_dev *d;

	if (!bus_up(t))
		return;
	ddt_drv_init(&other, "ddt-other", 2);
	ddt_drv_init(&first, "ddt-first", 1);
	ddt_drv_init(&second, "ddt-second", 1);
	EXPECT(t, driver_register(&other.drv) == 0);
	EXPECT(t, driver_register(&first.drv) == 0);
	EXPECT(t, driver_register(&second.drv) == 0);

	d = ddt_dev_add("ddt-new", 1, &releases);
	if (!EXPECT(t, d))
		return;
	EXPECT(t, d->dev.driver == &first.drv, "bound to %s",
	       d->dev.driver ? d->dev.driver->name : "nothing");
	EXPECT(t, atomic_read(&first.probes) == 1 && atomic_read(&second.probes) == 0 &&
	       atomic_read(&other.probes) == 0);
	/* attaching again changes nothing: it is bound */
	EXPECT(t, device_attach(&d->dev) == 1 && atomic_read(&first.probes) == 1);

	device_unregister(&d->dev);
	EXPECT(t, atomic_read(&first.removes) == 1 && atomic_read(&releases) == 1);
	driver_unregister(&other.drv);
	driver_unregister(&first.drv);
	driver_unregister(&second.drv);
	bus_unregister(&ddt_bus);
}

/* A bus with probe and remove methods: they are called, not the driver's;
 * its DMA set-up comes before the probe, its clean-up after the remove. */
static int ddt_bus_probe(struct device *dev)
{
	event(EV_BUS_PROBE);
	return 0;
}

static void ddt_bus_remove(struct device *dev)
{
	event(EV_BUS_REMOVE);
}

static int ddt_dma_configure(struct device *dev)
{
	event(EV_DMA_CONFIGURE);
	return 0;
}

static void ddt_dma_cleanup(struct device *dev)
{
	event(EV_DMA_CLEANUP);
}

static void bus_methods_come_first(struct ddeos_ktest *t)
{
	atomic_t releases = ATOMIC_INIT(0);
	struct ddt_drv drv;
	struct ddt_dev *d;

	ddt_bus.probe = ddt_bus_probe;
	ddt_bus.remove = ddt_bus_remove;
	ddt_bus.dma_configure = ddt_dma_configure;
	ddt_bus.dma_cleanup = ddt_dma_cleanup;
	if (!bus_up(t))
		goto out;
	ddt_drv_init(&drv, "ddt-busmeth", 1);
	drv.drv.probe = NULL;
	drv.drv.remove = NULL;
	EXPECT(t, driver_register(&drv.drv) == 0);
	d = ddt_dev_add("ddt-busmeth0", 1, &releases);
	if (EXPECT(t, d)) {
		EXPECT(t, d->dev.driver == &drv.drv);
		device_unregister(&d->dev);
	}
	EXPECT(t, nr_events == 4 && events[0] == EV_DMA_CONFIGURE &&
	       events[1] == EV_BUS_PROBE && events[2] == EV_BUS_REMOVE &&
	       events[3] == EV_DMA_CLEANUP, "%d events", nr_events);
	driver_unregister(&drv.drv);
	bus_unregister(&ddt_bus);
out:
	ddt_bus.probe = NULL;
	ddt_bus.remove = NULL;
	ddt_bus.dma_configure = NULL;
	ddt_bus.dma_cleanup = NULL;
}

/* ---- probe failure ----------------------------------------------------------- */

static void probe_failure_unbinds_and_releases_devres(struct ddeos_ktest *t)
{
	atomic_t releases = ATOMIC_INIT(0);
	struct ddt_drv bad, quiet, good;
	struct ddt_dev *d, *q;
	int i;

	if (!bus_up(t))
		return;
	ddt_drv_init(&bad, "ddt-bad", 1);
	bad.probe_ret = -EIO;
	bad.nr_actions = 3;
	bad.nr_allocs = 2;
	EXPECT(t, driver_register(&bad.drv) == 0);

	d = ddt_dev_add("ddt-fails", 1, &releases);
	if (!EXPECT(t, d))
		return;
	EXPECT(t, !d->dev.driver && !device_is_bound(&d->dev), "left bound");
	EXPECT(t, list_empty(&d->dev.devres_head), "devres left after failed probe");
	EXPECT(t, nr_events == 3, "%d devres actions ran", nr_events);
	for (i = 0; i < 3 && i < nr_events; i++)
		EXPECT(t, events[i] == EV_ACTION + 2 - i, "action %d ran at %d",
		       events[i] - EV_ACTION, i);
	EXPECT(t, dde_printk_log_contains("ddt-bad: probe of ddt-fails failed with error -5"));

	/* -ENODEV declines quietly, as on Linux */
	ddt_drv_init(&quiet, "ddt-quiet", 2);
	quiet.probe_ret = -ENODEV;
	EXPECT(t, driver_register(&quiet.drv) == 0);
	q = ddt_dev_add("ddt-declined", 2, &releases);
	EXPECT(t, q && !q->dev.driver && atomic_read(&quiet.probes) == 1);
	EXPECT(t, !dde_printk_log_contains("probe of ddt-declined"), "-ENODEV reported");

	/* the next matching driver gets its turn: the failure left no trace */
	ddt_drv_init(&good, "ddt-good", 1);
	good.nr_actions = 1;
	events_reset();
	EXPECT(t, driver_register(&good.drv) == 0);
	EXPECT(t, d->dev.driver == &good.drv && atomic_read(&d->probes) == 2);
	EXPECT(t, nr_events == 0, "good driver's devres released while bound");

	device_unregister(&d->dev);
	EXPECT(t, nr_events == 2 && events[0] == EV_REMOVE && events[1] == EV_ACTION,
	       "remove, then devres: %d events", nr_events);
	if (q)
		device_unregister(&q->dev);
	driver_unregister(&bad.drv);
	driver_unregister(&quiet.drv);
	driver_unregister(&good.drv);
	EXPECT(t, atomic_read(&releases) == 2);
	bus_unregister(&ddt_bus);
}

/* Deferral is not offered: reported, left unbound, not retried. A device
 * that holds devres before its probe is refused, as on Linux. */
static void probe_deferred_or_refused(struct ddeos_ktest *t)
{
	atomic_t releases = ATOMIC_INIT(0);
	struct ddt_dev *d, *r;
	struct ddt_drv defer, other;

	if (!bus_up(t))
		return;
	ddt_drv_init(&defer, "ddt-defer", 1);
	defer.probe_ret = -EPROBE_DEFER;
	defer.nr_actions = 1;
	EXPECT(t, driver_register(&defer.drv) == 0);
	d = ddt_dev_add("ddt-deferred", 1, &releases);
	if (!EXPECT(t, d))
		return;
	EXPECT(t, !d->dev.driver && atomic_read(&d->probes) == 1);
	EXPECT(t, nr_events == 1 && list_empty(&d->dev.devres_head), "devres kept");
	EXPECT(t, dde_printk_log_contains("ddt-defer: probe of ddt-deferred asked to be deferred"));
	/* another driver binding does not retry it (Linux would) */
	ddt_drv_init(&other, "ddt-other-kind", 2);
	EXPECT(t, driver_register(&other.drv) == 0);
	r = ddt_dev_add("ddt-bound", 2, &releases);
	EXPECT(t, r && r->dev.driver == &other.drv);
	EXPECT(t, atomic_read(&d->probes) == 1, "retried");

	/* resources before probing: refused without calling probe */
	device_unregister(&d->dev);
	d = ddt_dev_new("ddt-early-res", 2, &releases);
	if (EXPECT(t, d)) {
		EXPECT(t, devm_add_action(&d->dev, ddt_action, (void *)5L) == 0);
		EXPECT(t, device_add(&d->dev) == 0);
		EXPECT(t, !d->dev.driver && atomic_read(&d->probes) == 0);
		EXPECT(t, dde_printk_log_contains("ddt-early-res: Resources present before probing"));
		device_unregister(&d->dev);
	}
	if (r)
		device_unregister(&r->dev);
	driver_unregister(&defer.drv);
	driver_unregister(&other.drv);
	EXPECT(t, atomic_read(&releases) == 3);
	bus_unregister(&ddt_bus);
}

/* ---- unbinding ------------------------------------------------------------- */

static void remove_on_device_del_and_driver_unregister(struct ddeos_ktest *t)
{
	atomic_t releases = ATOMIC_INIT(0);
	struct ddt_dev *d[3];
	struct ddt_drv drv;
	int i;

	if (!bus_up(t))
		return;
	ddt_drv_init(&drv, "ddt-rm", 1);
	drv.nr_actions = 1;
	EXPECT(t, driver_register(&drv.drv) == 0);
	for (i = 0; i < 3; i++)
		d[i] = ddt_dev_add(NULL, 1, &releases);	/* named by the bus */
	if (!EXPECT(t, d[0] && d[1] && d[2]))
		return;
	EXPECT(t, atomic_read(&drv.probes) == 3);

	/* device_del() unbinds; the device lives on until the last put */
	get_device(&d[0]->dev);
	device_del(&d[0]->dev);
	EXPECT(t, atomic_read(&drv.removes) == 1 && !d[0]->dev.driver);
	EXPECT(t, !device_is_registered(&d[0]->dev));
	EXPECT(t, atomic_read(&releases) == 0, "released while referenced");
	put_device(&d[0]->dev);
	EXPECT(t, atomic_read(&releases) == 0, "released while referenced");
	put_device(&d[0]->dev);
	EXPECT(t, atomic_read(&releases) == 1);

	/* driver_unregister() unbinds the rest, newest first */
	events_reset();
	driver_unregister(&drv.drv);
	EXPECT(t, atomic_read(&drv.removes) == 3, "%d removes", atomic_read(&drv.removes));
	EXPECT(t, !d[1]->dev.driver && !d[2]->dev.driver);
	EXPECT(t, !device_is_bound(&d[1]->dev) && list_empty(&d[1]->dev.devres_head));
	EXPECT(t, nr_events == 4, "%d events", nr_events);

	/* a device left without driver is bound again by the next one */
	ddt_drv_init(&drv, "ddt-rm2", 1);
	EXPECT(t, driver_register(&drv.drv) == 0);
	EXPECT(t, d[1]->dev.driver == &drv.drv && d[2]->dev.driver == &drv.drv);
	device_unregister(&d[1]->dev);
	device_unregister(&d[2]->dev);
	driver_unregister(&drv.drv);
	EXPECT(t, atomic_read(&releases) == 3);
	bus_unregister(&ddt_bus);
}

static void device_release_driver_then_attach(struct ddeos_ktest *t)
{
	atomic_t releases = ATOMIC_INIT(0);
	struct ddt_drv drv;
	struct ddt_dev *d;

	if (!bus_up(t))
		return;
	ddt_drv_init(&drv, "ddt-rel", 1);
	drv.nr_actions = 2;
	EXPECT(t, driver_register(&drv.drv) == 0);
	d = ddt_dev_add("ddt-rel0", 1, &releases);
	if (!EXPECT(t, d && d->dev.driver == &drv.drv))
		return;
	device_release_driver(&d->dev);
	EXPECT(t, !d->dev.driver && atomic_read(&drv.removes) == 1);
	EXPECT(t, nr_events == 3 && events[0] == EV_REMOVE && events[1] == EV_ACTION + 1 &&
	       events[2] == EV_ACTION + 0, "%d events", nr_events);
	device_release_driver(&d->dev);		/* no driver: nothing happens */
	EXPECT(t, atomic_read(&drv.removes) == 1);
	EXPECT(t, device_attach(&d->dev) == 1 && d->dev.driver == &drv.drv);
	EXPECT(t, atomic_read(&d->probes) == 2);
	device_unregister(&d->dev);
	driver_unregister(&drv.drv);
	EXPECT(t, atomic_read(&releases) == 1);
	bus_unregister(&ddt_bus);
}

/* ---- references and names ----------------------------------------------------- */

static void release_once_at_last_put(struct ddeos_ktest *t)
{
	atomic_t releases = ATOMIC_INIT(0);
	struct ddt_dev *d = ddt_dev_new("ddt-ref", 1, &releases);
	unsigned long warns;
	struct device *bare;

	if (!EXPECT(t, d))
		return;
	EXPECT(t, kref_read(&d->dev.kobj.kref) == 1, "kref %u", kref_read(&d->dev.kobj.kref));
	EXPECT(t, get_device(&d->dev) == &d->dev && get_device(NULL) == NULL);
	get_device(&d->dev);
	EXPECT(t, kref_read(&d->dev.kobj.kref) == 3);
	put_device(&d->dev);
	put_device(&d->dev);
	put_device(NULL);
	EXPECT(t, atomic_read(&releases) == 0, "released with a reference left");
	put_device(&d->dev);
	EXPECT(t, atomic_read(&releases) == 1, "%d releases", atomic_read(&releases));

	/* a device nobody can release: Linux's WARN, and nothing freed */
	bare = kzalloc(sizeof(*bare), GFP_KERNEL);
	if (!EXPECT(t, bare))
		return;
	device_initialize(bare);
	dev_set_name(bare, "ddt-norelease");
	warns = dde_warn_count();
	put_device(bare);
	EXPECT(t, dde_warn_count() == warns + 1, "no WARN");
	EXPECT(t, dde_printk_log_contains("Device 'ddt-norelease' does not have a release() function"));
	kfree(bare);
}

static void names_before_and_after_add(struct ddeos_ktest *t)
{
	atomic_t releases = ATOMIC_INIT(0);
	struct ddt_dev *d;

	if (!bus_up(t))
		return;
	d = ddt_dev_new(NULL, 9, &releases);
	if (!EXPECT(t, d))
		return;
	EXPECT(t, dev_name(&d->dev) == NULL);
	EXPECT(t, dev_set_name(&d->dev, "ddt%d-%s", 7, "x") == 0);
	EXPECT(t, !strcmp(dev_name(&d->dev), "ddt7-x"), "'%s'", dev_name(&d->dev));
	EXPECT(t, dev_set_name(&d->dev, "a/b") == 0);
	EXPECT(t, !strcmp(dev_name(&d->dev), "a!b"), "'%s'", dev_name(&d->dev));

	/* init_name wins until device_add() makes it the name */
	d->dev.init_name = "ddt-static";
	EXPECT(t, !strcmp(dev_name(&d->dev), "ddt-static"));
	EXPECT(t, device_add(&d->dev) == 0);
	EXPECT(t, !d->dev.init_name && d->dev.kobj.name &&
	       !strcmp(dev_name(&d->dev), "ddt-static"), "'%s'", dev_name(&d->dev));
	device_unregister(&d->dev);

	/* no name: the bus's dev_name and the id */
	d = ddt_dev_new(NULL, 9, &releases);
	if (!EXPECT(t, d))
		return;
	d->dev.id = 4;
	EXPECT(t, device_add(&d->dev) == 0);
	EXPECT(t, !strcmp(dev_name(&d->dev), "ddtbus4"), "'%s'", dev_name(&d->dev));
	EXPECT(t, bus_find_device_by_name(&ddt_bus, NULL, "ddtbus4") == &d->dev);
	put_device(&d->dev);	/* bus_find_device's reference */
	device_unregister(&d->dev);

	/* a bus not registered: -EINVAL, not a crash */
	bus_unregister(&ddt_bus);
	d = ddt_dev_new("ddt-nobus", 9, &releases);
	if (EXPECT(t, d)) {
		EXPECT(t, device_add(&d->dev) == -EINVAL);
		EXPECT(t, !device_is_registered(&d->dev));
		put_device(&d->dev);
	}
	EXPECT(t, bus_register(&ddt_bus) == 0);

	/* no name at all: -EINVAL, and the caller's put still releases */
	ddt_bus.dev_name = NULL;
	d = ddt_dev_new(NULL, 9, &releases);
	if (EXPECT(t, d)) {
		EXPECT(t, device_add(&d->dev) == -EINVAL);
		put_device(&d->dev);
	}
	ddt_bus.dev_name = "ddtbus";
	EXPECT(t, atomic_read(&releases) == 4, "%d releases", atomic_read(&releases));
	bus_unregister(&ddt_bus);
}

/* ---- devres --------------------------------------------------------------------- */

static void ddt_res_release(struct device *dev, void *res)
{
	event(EV_ACTION + *(int *)res);
}

static void devres_order_find_destroy(struct ddeos_ktest *t)
{
	atomic_t releases = ATOMIC_INIT(0);
	struct ddt_dev *d = ddt_dev_new("ddt-devres", 1, &releases);
	int *r[4], i;

	events_reset();
	if (!EXPECT(t, d))
		return;
	for (i = 0; i < 4; i++) {
		r[i] = devres_alloc(ddt_res_release, sizeof(int), GFP_KERNEL);
		if (!EXPECT(t, r[i]))
			return;
		*r[i] = i;
		devres_add(&d->dev, r[i]);
	}
	EXPECT(t, devm_add_action(&d->dev, ddt_action, (void *)10L) == 0);
	EXPECT(t, devm_add_action_or_reset(&d->dev, ddt_action, (void *)11L) == 0);
	EXPECT(t, devm_add_action(&d->dev, ddt_action, (void *)12L) == 0);
	devm_remove_action(&d->dev, ddt_action, (void *)12L);	/* not run */
	EXPECT(t, devres_find(&d->dev, ddt_res_release, NULL, NULL) == r[3],
	       "the newest entry first");
	EXPECT(t, devres_destroy(&d->dev, ddt_res_release, NULL, NULL) == 0); /* r[3], not run */
	EXPECT(t, devres_release(&d->dev, ddt_res_release, NULL, NULL) == 0); /* r[2], run */
	EXPECT(t, nr_events == 1 && events[0] == EV_ACTION + 2);
	EXPECT(t, devres_find(&d->dev, ddt_res_release, NULL, NULL) == r[1]);

	/* the last put releases the rest, newest first */
	put_device(&d->dev);
	EXPECT(t, atomic_read(&releases) == 1);
	EXPECT(t, nr_events == 5, "%d events", nr_events);
	if (nr_events == 5)
		EXPECT(t, events[1] == EV_ACTION + 11 && events[2] == EV_ACTION + 10 &&
		       events[3] == EV_ACTION + 1 && events[4] == EV_ACTION + 0,
		       "order %d %d %d %d", events[1], events[2], events[3], events[4]);
}

static void devm_kzalloc_freed_on_unbind(struct ddeos_ktest *t)
{
	struct ddeos_mem_totals m0, m1, m2;
	atomic_t releases = ATOMIC_INIT(0);
	struct ddt_drv drv;
	struct ddt_dev *d;

	ddeos_mem_quiesce(&m0);
	if (!bus_up(t))
		return;
	ddt_drv_init(&drv, "ddt-mem", 1);
	drv.nr_allocs = 12;
	d = ddt_dev_add("ddt-mem0", 1, &releases);
	if (!EXPECT(t, d))
		return;
	EXPECT(t, driver_register(&drv.drv) == 0);
	EXPECT(t, d->dev.driver == &drv.drv);
	device_release_driver(&d->dev);
	ddeos_mem_quiesce(&m1);		/* everything but the probe's memory */
	EXPECT(t, device_attach(&d->dev) == 1);
	ddeos_mem_quiesce(&m2);
	EXPECT(t, m2.objects_in_use >= m1.objects_in_use + 12, "probe's memory not counted");
	device_release_driver(&d->dev);
	ddeos_mem_quiesce(&m2);
	EXPECT(t, m2.objects_in_use == m1.objects_in_use,
	       "after unbind %lu objects, before probe %lu", m2.objects_in_use,
	       m1.objects_in_use);

	device_unregister(&d->dev);
	driver_unregister(&drv.drv);
	bus_unregister(&ddt_bus);
	ddeos_mem_quiesce(&m2);
	EXPECT(t, m2.objects_in_use == m0.objects_in_use && m2.pages_free == m0.pages_free,
	       "after all %lu objects, at start %lu", m2.objects_in_use, m0.objects_in_use);
}

/* ---- walking the bus ------------------------------------------------------------ */

static int count_dev(struct device *dev, void *data)
{
	return ++*(int *)data == 3;	/* stop at the third */
}

static int count_drv(struct device_driver *drv, void *data)
{
	++*(int *)data;
	return 0;
}

static void bus_walks(struct ddeos_ktest *t)
{
	atomic_t releases = ATOMIC_INIT(0);
	struct ddt_drv drv[2];
	struct ddt_dev *d[5];
	int i, n = 0;

	if (!bus_up(t))
		return;
	for (i = 0; i < 5; i++)
		d[i] = ddt_dev_add(NULL, 3, &releases);
	ddt_drv_init(&drv[0], "ddt-w0", 7);
	ddt_drv_init(&drv[1], "ddt-w1", 8);
	EXPECT(t, driver_register(&drv[0].drv) == 0 && driver_register(&drv[1].drv) == 0);
	if (!EXPECT(t, d[0] && d[1] && d[2] && d[3] && d[4]))
		return;
	EXPECT(t, bus_for_each_dev(&ddt_bus, NULL, &n, count_dev) == 1 && n == 3,
	       "stopped after %d", n);
	n = 0;
	EXPECT(t, bus_for_each_dev(&ddt_bus, &d[1]->dev, &n, count_dev) == 1 && n == 3);
	n = 0;
	EXPECT(t, bus_for_each_drv(&ddt_bus, NULL, &n, count_drv) == 0 && n == 2);
	EXPECT(t, bus_find_device_by_name(&ddt_bus, NULL, "nosuch") == NULL);
	for (i = 0; i < 5; i++)
		device_unregister(&d[i]->dev);
	driver_unregister(&drv[0].drv);
	driver_unregister(&drv[1].drv);
	bus_unregister(&ddt_bus);
	EXPECT(t, atomic_read(&releases) == 5);
	EXPECT(t, bus_for_each_dev(&ddt_bus, NULL, &n, count_dev) == -EINVAL);
}

/* ---- concurrency: device_add() from every CPU while the driver registers ---------- */

#define PER_CPU_DEVS 16
#define PATIENCE (60 * HZ)	/* never reached unless adds are lost */

/*
 * To make the race certain rather than likely, the registering thread's
 * first probe (driver_register()'s walk) waits until every device is
 * added; those added meanwhile are bound by device_add() in the adding
 * threads, and the walk, resumed, must leave them alone.
 */
static DECLARE_WAIT_QUEUE_HEAD(adds_wq);
static atomic_t adds_done;
static int adds_goal;
static struct task_struct *registrar;

static void hold_registrar(void)
{
	if (current != READ_ONCE(registrar))
		return;
	WRITE_ONCE(registrar, NULL);
	wait_event_timeout(adds_wq, atomic_read(&adds_done) >= adds_goal, PATIENCE);
}

struct adder {
	struct ddt_dev *devs[PER_CPU_DEVS];
	atomic_t *releases;
	atomic_t *added;
	int failed;
};

static int add_devices(void *arg)
{
	struct adder *a = arg;
	int i;

	for (i = 0; i < PER_CPU_DEVS; i++) {
		a->devs[i] = ddt_dev_add(NULL, 5, a->releases);
		if (!a->devs[i])
			a->failed++;
		atomic_inc(a->added);
		atomic_inc(&adds_done);
		wake_up(&adds_wq);
	}
	return 0;
}

static void concurrent_device_add_from_every_cpu(struct ddeos_ktest *t)
{
	unsigned int ncpu = num_online_cpus(), cpu, i;
	atomic_t releases = ATOMIC_INIT(0), added = ATOMIC_INIT(0);
	struct adder *adders;
	void **threads;
	struct ddt_drv drv;
	int bound = 0, once = 0, unbound = 0;

	if (!bus_up(t))
		return;
	adders = kcalloc(ncpu, sizeof(*adders), GFP_KERNEL);
	threads = kcalloc(ncpu, sizeof(*threads), GFP_KERNEL);
	if (!EXPECT(t, adders && threads))
		goto out;
	ddt_drv_init(&drv, "ddt-smp", 5);
	atomic_set(&adds_done, 0);
	adds_goal = ncpu * PER_CPU_DEVS;
	WRITE_ONCE(registrar, current);
	for (cpu = 0; cpu < ncpu; cpu++) {
		adders[cpu].releases = &releases;
		adders[cpu].added = &added;
		threads[cpu] = ddeos_thread_create("ddt-add", add_devices, &adders[cpu], cpu, 4);
		EXPECT(t, threads[cpu]);
	}
	/*
	 * Register once a quarter of the devices are on the bus, while the
	 * rest are being added: the driver's walk meets devices that
	 * device_add() is binding or has bound, and each must be probed once.
	 */
	while (atomic_read(&added) < ncpu * PER_CPU_DEVS / 4)
		ddeos_yield();
	EXPECT(t, driver_register(&drv.drv) == 0);
	EXPECT(t, !READ_ONCE(registrar), "the walk probed nothing");
	WRITE_ONCE(registrar, NULL);
	for (cpu = 0; cpu < ncpu; cpu++)
		if (threads[cpu])
			ddeos_thread_join(threads[cpu]);

	for (cpu = 0; cpu < ncpu; cpu++) {
		EXPECT(t, !adders[cpu].failed, "cpu %u: %d adds failed", cpu, adders[cpu].failed);
		for (i = 0; i < PER_CPU_DEVS; i++) {
			struct ddt_dev *d = adders[cpu].devs[i];

			if (!d)
				continue;
			bound += d->dev.driver == &drv.drv;
			unbound += !device_is_bound(&d->dev);
			once += atomic_read(&d->probes) == 1;
		}
	}
	EXPECT(t, bound == ncpu * PER_CPU_DEVS && !unbound, "%d of %u bound, %d not",
	       bound, ncpu * PER_CPU_DEVS, unbound);
	EXPECT(t, once == ncpu * PER_CPU_DEVS, "%d probed exactly once", once);
	EXPECT(t, atomic_read(&drv.probes) == ncpu * PER_CPU_DEVS, "%d probes",
	       atomic_read(&drv.probes));

	driver_unregister(&drv.drv);
	EXPECT(t, atomic_read(&drv.removes) == ncpu * PER_CPU_DEVS);
	for (cpu = 0; cpu < ncpu; cpu++)
		for (i = 0; i < PER_CPU_DEVS; i++)
			if (adders[cpu].devs[i])
				device_unregister(&adders[cpu].devs[i]->dev);
	EXPECT(t, atomic_read(&releases) == ncpu * PER_CPU_DEVS);
out:
	kfree(adders);
	kfree(threads);
	bus_unregister(&ddt_bus);
}

/* ---- the rest: uevent env, firmware nodes, boot initcalls ------------------------- */

static void add_uevent_var_fills_env(struct ddeos_ktest *t)
{
	struct kobj_uevent_env *env = kzalloc(sizeof(*env), GFP_KERNEL);
	char *big = kmalloc(UEVENT_BUFFER_SIZE, GFP_KERNEL);
	unsigned long warns = dde_warn_count();

	if (!EXPECT(t, env && big))
		goto out;
	EXPECT(t, add_uevent_var(env, "MODALIAS=virtio:d%08Xv%08X", 2, 0x1af4) == 0);
	EXPECT(t, add_uevent_var(env, "A=%d", 1) == 0);
	EXPECT(t, env->envp_idx == 2 && !strcmp(env->envp[0], "MODALIAS=virtio:d00000002v00001AF4") &&
	       !strcmp(env->envp[1], "A=1") && env->buflen == 35 + 4);
	memset(big, 'x', UEVENT_BUFFER_SIZE - 1);
	big[UEVENT_BUFFER_SIZE - 1] = 0;
	EXPECT(t, add_uevent_var(env, "%s", big) == -ENOMEM && env->envp_idx == 2);
	EXPECT(t, dde_warn_count() == warns + 1);
out:
	kfree(big);
	kfree(env);
}

static void no_firmware_nodes(struct ddeos_ktest *t)
{
	atomic_t releases = ATOMIC_INIT(0);
	struct ddt_dev *d = ddt_dev_new("ddt-fw", 1, &releases);
	char buf[32];

	if (!EXPECT(t, d))
		return;
	EXPECT(t, !dev_fwnode(&d->dev));
	EXPECT(t, !device_property_present(&d->dev, "compatible"));
	EXPECT(t, fwnode_count_parents(NULL) == 0 && !fwnode_get_name(NULL));
	snprintf(buf, sizeof(buf), "%pfw", dev_fwnode(&d->dev));
	EXPECT(t, !strcmp(buf, "(null)"), "'%s'", buf);
	put_device(&d->dev);
}

/* virtio_init (core_initcall) registered "virtio" before the tests ran. */
static void boot_initcalls_registered_virtio_bus(struct ddeos_ktest *t)
{
	struct bus_type again = { .name = "virtio" };

	EXPECT(t, bus_register(&again) == -EEXIST, "no virtio bus: initcalls not run");
	EXPECT(t, !again.p);
}

static const struct ddeos_ktest_case linux_driver_core_cases[] = {
	{ "driver_register_binds_existing_devices", driver_register_binds_existing_devices },
	{ "device_add_binds_first_matching_driver", device_add_binds_first_matching_driver },
	{ "bus_methods_come_first", bus_methods_come_first },
	{ "probe_failure_unbinds_and_releases_devres", probe_failure_unbinds_and_releases_devres },
	{ "probe_deferred_or_refused", probe_deferred_or_refused },
	{ "remove_on_device_del_and_driver_unregister", remove_on_device_del_and_driver_unregister },
	{ "device_release_driver_then_attach", device_release_driver_then_attach },
	{ "release_once_at_last_put", release_once_at_last_put },
	{ "names_before_and_after_add", names_before_and_after_add },
	{ "devres_order_find_destroy", devres_order_find_destroy },
	{ "devm_kzalloc_freed_on_unbind", devm_kzalloc_freed_on_unbind },
	{ "bus_walks", bus_walks },
	{ "concurrent_device_add_from_every_cpu", concurrent_device_add_from_every_cpu },
	{ "add_uevent_var_fills_env", add_uevent_var_fills_env },
	{ "no_firmware_nodes", no_firmware_nodes },
	{ "boot_initcalls_registered_virtio_bus", boot_initcalls_registered_virtio_bus },
};

LINUX_KTEST_SUITE(linux_driver_core, linux_driver_core_cases);
