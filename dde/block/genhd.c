// SPDX-License-Identifier: GPL-2.0-only
/*
 * Disks (Linux: block/genhd.c, with the queue allocation of blk-mq.c's
 * __blk_mq_alloc_disk()). A gendisk here is the request queue, a part0
 * block_device that holds the capacity and read-only state Linux's inline
 * helpers read, and a place on the DDE's disk list; there is no sysfs, no
 * device node, no partition scan and no block_device inode. Added and
 * removed disks and capacity changes are reported to the one listener the
 * kernel-world block API registers (dde_blk_set_events()).
 *
 * Lock order: disks_lock, then nothing of this subsystem.
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/delay.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "blk.h"

/* Disks between device_add_disk() and del_gendisk(), and the listener. */
static DEFINE_MUTEX(disks_lock);
static LIST_HEAD(disks);
static const struct dde_blk_events *disk_events;

/* The DDE's part of a gendisk: list linkage (Linux keeps disks as devices
 * of the block class). */
struct dde_disk {
	struct gendisk disk;
	struct block_device part0;
	struct list_head node;		/* on disks; under disks_lock */
};

static struct dde_disk *dde_disk_of(struct gendisk *disk)
{
	return container_of(disk, struct dde_disk, disk);
}

/* ---- major numbers ---------------------------------------------------- */

/* Linux's dynamic majors: 254 down to 234 (block/genhd.c). */
#define DYNAMIC_MAJOR_FIRST	254
#define DYNAMIC_MAJOR_LAST	234

static DEFINE_MUTEX(majors_lock);
static const char *major_names[BLKDEV_MAJOR_MAX];

/**
 * __register_blkdev - reserve a block major number
 * @major: the wanted major, or 0 for a free dynamic one
 * @name: the driver's name (kept by pointer, as Linux copies it)
 * @probe: Linux's on-demand module probe; ignored (no modules)
 *
 * Context: thread, may sleep. Return: the major (for 0) or 0, -EBUSY if
 * taken or none is free, -EINVAL when out of range.
 */
int __register_blkdev(unsigned int major, const char *name,
		      void (*probe)(dev_t devt))
{
	int ret = dde_kblockd_get();	/* the driver's queues will need it */

	if (ret)
		return ret;

	mutex_lock(&majors_lock);
	if (!major) {
		for (major = DYNAMIC_MAJOR_FIRST; major >= DYNAMIC_MAJOR_LAST;
		     major--)
			if (!major_names[major])
				break;
		if (major < DYNAMIC_MAJOR_LAST) {
			ret = -EBUSY;
			goto out;
		}
		ret = major;
	} else if (major >= BLKDEV_MAJOR_MAX) {
		ret = -EINVAL;
		goto out;
	} else if (major_names[major]) {
		ret = -EBUSY;
		goto out;
	}
	major_names[major] = name;
out:
	mutex_unlock(&majors_lock);
	return ret;
}
EXPORT_SYMBOL(__register_blkdev);

/**
 * unregister_blkdev - give a major number back
 * Context: thread, may sleep.
 */
void unregister_blkdev(unsigned int major, const char *name)
{
	mutex_lock(&majors_lock);
	if (major < BLKDEV_MAJOR_MAX && major_names[major] &&
	    !strcmp(major_names[major], name))
		major_names[major] = NULL;
	else
		WARN(1, "unregister_blkdev: major %u is not %s's\n", major, name);
	mutex_unlock(&majors_lock);
}
EXPORT_SYMBOL(unregister_blkdev);

/* ---- life cycle ---------------------------------------------------------- */

/**
 * __blk_mq_alloc_disk - a disk with a new request queue on @set
 * @set: an allocated tag set
 * @queuedata: becomes q->queuedata
 * @lkclass: lockdep class; unused
 *
 * The queue has Linux's default limits; the driver sets its own next.
 * Context: thread, may sleep. Return: the disk or an ERR_PTR().
 */
struct gendisk *__blk_mq_alloc_disk(struct blk_mq_tag_set *set,
				    void *queuedata,
				    struct lock_class_key *lkclass)
{
	struct dde_queue *dq;
	struct dde_disk *dd;
	int err;

	dq = kzalloc_node(sizeof(*dq), GFP_KERNEL, set->numa_node);
	dd = kzalloc_node(sizeof(*dd), GFP_KERNEL, set->numa_node);
	if (!dq || !dd) {
		err = -ENOMEM;
		goto fail;
	}
	blk_set_default_limits(&dq->q.limits);
	spin_lock_init(&dq->q.queue_lock);
	err = dde_blk_mq_init_queue(dq, set);
	if (err)
		goto fail;
	dq->q.queuedata = queuedata;
	dq->q.disk = &dd->disk;

	spin_lock_init(&dd->part0.bd_size_lock);
	dd->part0.bd_disk = &dd->disk;
	dd->part0.bd_queue = &dq->q;
	dd->disk.part0 = &dd->part0;
	dd->disk.queue = &dq->q;
	dd->disk.node_id = set->numa_node;
	mutex_init(&dd->disk.open_mutex);
	set_bit(GD_OWNS_QUEUE, &dd->disk.state);
	INIT_LIST_HEAD(&dd->node);
	return &dd->disk;

fail:
	kfree(dd);
	kfree(dq);
	return ERR_PTR(err);
}
EXPORT_SYMBOL(__blk_mq_alloc_disk);

/**
 * device_add_disk - make @disk available for I/O
 * @parent: the device it belongs to; unused (no sysfs)
 * @disk: allocated, named (disk_name), limits and capacity set
 * @groups: sysfs attribute groups; not shown (no sysfs)
 *
 * Context: thread, may sleep. Return: 0, -EINVAL without a name, -EEXIST
 * if a disk of that name exists.
 */
int device_add_disk(struct device *parent, struct gendisk *disk,
		    const struct attribute_group **groups)
{
	struct request_queue *q = disk->queue;
	struct dde_disk *dd = dde_disk_of(disk), *other;

	if (!disk->disk_name[0])
		return -EINVAL;
	mutex_lock(&disks_lock);
	list_for_each_entry(other, &disks, node) {
		if (!strcmp(other->disk.disk_name, disk->disk_name)) {
			mutex_unlock(&disks_lock);
			return -EEXIST;
		}
	}
	set_bit(GD_ADDED, &disk->state);
	disk_to_dev(disk)->parent = parent;	/* the device it sits on */
	list_add_tail(&dd->node, &disks);
	pr_info("dde: disk %s: %llu sectors, %u-byte blocks, %u hw queues of %u%s%s\n",
		disk->disk_name, (unsigned long long)get_capacity(disk),
		queue_logical_block_size(q), q->nr_hw_queues, q->queue_depth,
		test_bit(QUEUE_FLAG_WC, &q->queue_flags) ? ", write cache" : "",
		get_disk_ro(disk) ? ", read-only" : "");
	if (disk_events && disk_events->added)
		disk_events->added(disk);
	mutex_unlock(&disks_lock);
	return 0;
}
EXPORT_SYMBOL(device_add_disk);

/* Whether any request of @q is allocated. */
static bool dde_queue_busy(struct request_queue *q)
{
	struct dde_queue *dq = dde_queue_of(q);
	unsigned int i;

	for (i = 0; i < q->nr_hw_queues; i++)
		if (sbitmap_weight(&dq->hctxs[i]->tags->bitmap_tags.sb))
			return true;
	return false;
}

/**
 * del_gendisk - take @disk away before its driver tears it down
 *
 * The listener hears first and must submit nothing more; new submissions
 * fail with -ENODEV; then requests in flight are waited for (Linux freezes
 * the queue, waiting on its usage counter; the DDE polls its tags every
 * millisecond, which only a disk removal pays for).
 * Context: thread, may sleep.
 */
void del_gendisk(struct gendisk *disk)
{
	struct dde_disk *dd = dde_disk_of(disk);
	struct dde_queue *dq = dde_queue_of(disk->queue);
	unsigned int i;

	might_sleep();
	mutex_lock(&disks_lock);
	if (test_bit(GD_ADDED, &disk->state) && disk_events &&
	    disk_events->removed)
		disk_events->removed(disk);
	set_bit(GD_DEAD, &disk->state);
	blk_queue_flag_set(QUEUE_FLAG_DYING, disk->queue);
	list_del_init(&dd->node);
	mutex_unlock(&disks_lock);

	while (dde_queue_busy(disk->queue))
		msleep(1);
	/* The driver frees the tags next (blk_mq_free_tag_set()). */
	for (i = 0; i < disk->queue->nr_hw_queues; i++)
		cancel_delayed_work_sync(&dq->hctxs[i]->run_work);
}
EXPORT_SYMBOL(del_gendisk);

/**
 * put_disk - free @disk and its queue
 *
 * Calls the driver's free_disk if the disk was added (as Linux does when
 * the last reference goes).
 * Context: thread, may sleep.
 */
void put_disk(struct gendisk *disk)
{
	struct dde_queue *dq;

	if (!disk)
		return;
	dq = dde_queue_of(disk->queue);
	dde_blk_mq_exit_queue(dq);
	if (test_bit(GD_ADDED, &disk->state) && disk->fops &&
	    disk->fops->free_disk)
		disk->fops->free_disk(disk);
	kfree(dde_disk_of(disk));
	kfree(dq);
}
EXPORT_SYMBOL(put_disk);

/* ---- state --------------------------------------------------------------- */

/**
 * dde_disk_live - whether @disk takes I/O (added and not deleted)
 * Context: any.
 */
bool dde_disk_live(struct gendisk *disk)
{
	return test_bit(GD_ADDED, &disk->state) &&
	       !test_bit(GD_DEAD, &disk->state);
}

/**
 * set_capacity - record @disk's size in 512-byte sectors
 * Context: any.
 */
void set_capacity(struct gendisk *disk, sector_t sectors)
{
	struct block_device *bdev = disk->part0;

	spin_lock(&bdev->bd_size_lock);
	bdev->bd_nr_sectors = sectors;
	spin_unlock(&bdev->bd_size_lock);
}
EXPORT_SYMBOL(set_capacity);

/**
 * set_capacity_and_notify - record a new size and report a change
 *
 * Reported (printed, and to the listener) only for a live disk whose size
 * changed, as Linux reports only user-visible disks.
 * Context: thread, may sleep (the listener may).
 * Return: whether the change was reported to the listener; as Linux's
 * uevent, not for a change from or to 0.
 */
bool set_capacity_and_notify(struct gendisk *disk, sector_t size)
{
	sector_t capacity = get_capacity(disk);
	bool told = false;

	set_capacity(disk, size);
	if (size == capacity || !dde_disk_live(disk))
		return false;
	pr_info("%s: detected capacity change from %llu to %llu\n",
		disk->disk_name, (unsigned long long)capacity,
		(unsigned long long)size);
	if (!capacity || !size)
		return false;
	mutex_lock(&disks_lock);
	if (dde_disk_live(disk) && disk_events &&
	    disk_events->capacity_changed) {
		disk_events->capacity_changed(disk, size);
		told = true;
	}
	mutex_unlock(&disks_lock);
	return told;
}
EXPORT_SYMBOL_GPL(set_capacity_and_notify);

/**
 * set_disk_ro - mark @disk read-only (writes refused) or writable
 * Context: any.
 */
void set_disk_ro(struct gendisk *disk, bool read_only)
{
	if (read_only)
		set_bit(GD_READ_ONLY, &disk->state);
	else
		clear_bit(GD_READ_ONLY, &disk->state);
}
EXPORT_SYMBOL_GPL(set_disk_ro);

/**
 * dde_blk_for_each_disk - call @fn for every live disk, in the order added
 * @fn: called under the disk list's mutex: it must not add or remove disks
 * @arg: passed to @fn
 *
 * Context: thread, may sleep.
 */
void dde_blk_for_each_disk(void (*fn)(struct gendisk *disk, void *arg), void *arg)
{
	struct dde_disk *dd;

	mutex_lock(&disks_lock);
	list_for_each_entry(dd, &disks, node)
		fn(&dd->disk, arg);
	mutex_unlock(&disks_lock);
}

/**
 * dde_blk_set_events - register the one listener for disk events
 * @ev: the listener, or NULL to remove it
 *
 * Disks already added are reported to @ev->added at once.
 * Context: thread, may sleep.
 */
void dde_blk_set_events(const struct dde_blk_events *ev)
{
	struct dde_disk *dd;

	mutex_lock(&disks_lock);
	WARN_ON(ev && disk_events);
	disk_events = ev;
	if (ev && ev->added)
		list_for_each_entry(dd, &disks, node)
			ev->added(&dd->disk);
	mutex_unlock(&disks_lock);
}
