// SPDX-License-Identifier: GPL-2.0-only
/*
 * The waist's block section (ddeos_waist.h, ---- block ----): the kernel's
 * block API reaches Linux disks through here. It stands in for no Linux
 * file; it only translates between the waist's plain-C types and the
 * DDE's entry points of dde/include/dde/block.h (blk-core.c, genhd.c).
 */
#include <linux/blkdev.h>
#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <dde/block.h>
#include <ddeos_waist.h>

/* Segments pass through unconverted: the layouts must agree. */
static_assert(sizeof(struct ddeos_blk_seg) == sizeof(struct dde_blk_seg));
static_assert(offsetof(struct ddeos_blk_seg, addr) == offsetof(struct dde_blk_seg, addr));
static_assert(offsetof(struct ddeos_blk_seg, len) == offsetof(struct dde_blk_seg, len));
static_assert(DDEOS_BLK_READ == DDE_BLK_READ && DDEOS_BLK_WRITE == DDE_BLK_WRITE &&
	      DDEOS_BLK_FLUSH == DDE_BLK_FLUSH && DDEOS_BLK_DISCARD == DDE_BLK_DISCARD &&
	      DDEOS_BLK_WRITE_ZEROES == DDE_BLK_WRITE_ZEROES);
static_assert(DDEOS_BLK_FUA == DDE_BLK_FUA && DDEOS_BLK_NOWAIT == DDE_BLK_NOWAIT);
static_assert(sizeof(sector_t) == sizeof(unsigned long long));

/* The kernel's listener; written only in thread context under the DDE's
 * disk list mutex (dde_blk_set_events() takes it), as the events run. */
static const struct ddeos_blk_events *waist_events;

static void waist_blk_added(struct gendisk *disk)
{
	if (waist_events->added)
		waist_events->added(disk);
}

static void waist_blk_removed(struct gendisk *disk)
{
	if (waist_events->removed)
		waist_events->removed(disk);
}

static void waist_blk_capacity_changed(struct gendisk *disk, sector_t sectors)
{
	if (waist_events->capacity_changed)
		waist_events->capacity_changed(disk, sectors);
}

static const struct dde_blk_events waist_blk_events = {
	.added = waist_blk_added,
	.removed = waist_blk_removed,
	.capacity_changed = waist_blk_capacity_changed,
};

void ddeos_blk_set_events(const struct ddeos_blk_events *ev)
{
	dde_blk_set_events(NULL);
	waist_events = ev;
	if (ev)
		dde_blk_set_events(&waist_blk_events);
}

void ddeos_blk_get_info(void *disk, struct ddeos_blk_info *info)
{
	struct dde_blk_info di;

	dde_blk_get_info(disk, &di);
	memset(info, 0, sizeof(*info));
	strscpy(info->name, di.name, sizeof(info->name));
	info->capacity = di.capacity;
	info->logical_block_size = di.logical_block_size;
	info->physical_block_size = di.physical_block_size;
	info->max_sectors = di.max_sectors;
	info->max_segments = di.max_segments;
	info->max_segment_size = di.max_segment_size;
	info->nr_hw_queues = di.nr_hw_queues;
	info->queue_depth = di.queue_depth;
	info->read_only = di.read_only;
	info->write_cache = di.write_cache;
	info->fua = di.fua;
	info->discard = di.discard;
	info->write_zeroes = di.write_zeroes;
}

int ddeos_blk_submit(void *disk, unsigned int op, unsigned int flags,
		     unsigned long long sector, const struct ddeos_blk_seg *segs,
		     unsigned int nr_segs, unsigned int bytes,
		     void (*done)(void *ctx, int error), void *ctx)
{
	return dde_blk_submit(disk, op, flags, sector,
			      (const struct dde_blk_seg *)segs, nr_segs, bytes,
			      done, ctx);
}
