/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The DDE's block entry points: how the kernel-world block API (through
 * the waist) reaches a Linux block driver's disk. A disk appears when its
 * driver calls device_add_disk(); I/O goes in with dde_blk_submit() and
 * comes back through the caller's callback. The design is in docs/block.md.
 */
#ifndef DDE_BLOCK_H
#define DDE_BLOCK_H

#include <linux/types.h>

struct gendisk;

/* Operations of dde_blk_submit(), mapped onto Linux's REQ_OP_*. */
enum dde_blk_op {
	DDE_BLK_READ,
	DDE_BLK_WRITE,
	DDE_BLK_FLUSH,		/* the device's write cache to media */
	DDE_BLK_DISCARD,	/* no data segments */
	DDE_BLK_WRITE_ZEROES,	/* no data segments */
};

/* Flags of dde_blk_submit(). */
#define DDE_BLK_FUA	0x1u	/* write reaches media before completion */
#define DDE_BLK_NOWAIT	0x2u	/* -EAGAIN instead of sleeping for a tag */

/*
 * One data segment: @len bytes at @addr, a direct-map address (kmalloc,
 * pages; not a stack or vmalloc address). A segment may span pages: the
 * direct map is physically contiguous.
 */
struct dde_blk_seg {
	void *addr;
	unsigned int len;
};

/*
 * Called once per submitted request with 0 or a negative errno (Linux's
 * blk_status_to_errno() of the driver's status). Context: whatever context
 * the driver ends requests in: hard IRQ, softirq or thread; must not sleep.
 * It may submit again with DDE_BLK_NOWAIT (from hard IRQ or with IRQs off
 * that request is issued by kblockd, not under the driver's locks).
 */
typedef void (*dde_blk_done_fn)(void *ctx, int error);

/* What a caller needs to know to build valid requests. */
struct dde_blk_info {
	const char *name;		/* disk->disk_name, e.g. "vda" */
	sector_t capacity;		/* in 512-byte sectors */
	unsigned int logical_block_size;
	unsigned int physical_block_size;
	unsigned int max_sectors;	/* per request, 512-byte sectors */
	unsigned int max_segments;	/* struct dde_blk_seg per request */
	unsigned int max_segment_size;
	bool read_only;
	bool write_cache;		/* DDE_BLK_FLUSH reaches the device */
	bool fua;			/* FUA native; else emulated by a flush */
	bool discard;
	bool write_zeroes;
	unsigned int nr_hw_queues;
	unsigned int queue_depth;	/* per hardware queue */
};

/**
 * dde_blk_submit - queue one request on the calling CPU's hardware queue
 * @disk: a disk added with device_add_disk() and not deleted
 * @op: enum dde_blk_op
 * @flags: DDE_BLK_FUA, DDE_BLK_NOWAIT
 * @sector: first 512-byte sector (ignored for DDE_BLK_FLUSH)
 * @segs: data segments (READ, WRITE); NULL for the other operations
 * @nr_segs: number of @segs; for DISCARD and WRITE_ZEROES, 0
 * @bytes: for DISCARD and WRITE_ZEROES, the length; otherwise ignored
 *	(READ and WRITE cover the sum of the segments)
 * @done: called once when the request ends (only if 0 is returned)
 * @ctx: passed to @done
 *
 * The request is checked before the driver sees it: it must lie within
 * the capacity, start and end on logical blocks, have segments that are
 * multiples of the logical block size, and fit max_sectors and
 * max_segments (after splitting segments at max_segment_size); the caller
 * splits bigger transfers. Writes to a read-only disk are refused.
 *
 * Context: thread (may sleep for a free tag), or any context with
 * DDE_BLK_NOWAIT.
 * Return: 0 if submitted (@done will run, possibly before this returns),
 * -EINVAL for a request that does not fit the disk, -EROFS, -EOPNOTSUPP
 * for an operation the disk lacks, -ENODEV for a deleted disk, -EAGAIN
 * when DDE_BLK_NOWAIT finds no free tag, -ENOMEM.
 */
int dde_blk_submit(struct gendisk *disk, unsigned int op, unsigned int flags,
		   sector_t sector, const struct dde_blk_seg *segs,
		   unsigned int nr_segs, unsigned int bytes,
		   dde_blk_done_fn done, void *ctx);

/**
 * dde_blk_get_info - the limits and state of @disk
 * Context: any. Return: nothing; @info filled.
 */
void dde_blk_get_info(struct gendisk *disk, struct dde_blk_info *info);

/* Every live disk, in the order added (device_add_disk() sets its
 * device's parent: the driver's device). Context: thread, may sleep. */
void dde_blk_for_each_disk(void (*fn)(struct gendisk *disk, void *arg), void *arg);

/*
 * Disk events for the kernel-world block API: a disk was added (after
 * device_add_disk(), ready for I/O), is going away (del_gendisk(), before
 * the driver tears it down: submit no more), or changed capacity
 * (set_capacity_and_notify(), @sectors the new size). Context: thread.
 */
struct dde_blk_events {
	void (*added)(struct gendisk *disk);
	void (*removed)(struct gendisk *disk);
	void (*capacity_changed)(struct gendisk *disk, sector_t sectors);
};

/**
 * dde_blk_set_events - register the one listener for disk events
 * @ev: the listener, or NULL to remove it
 *
 * Disks already added are reported to @ev->added at once.
 * Context: thread.
 */
void dde_blk_set_events(const struct dde_blk_events *ev);

#endif
