// SPDX-License-Identifier: GPL-2.0-only
/*
 * Queue limits a driver sets (Linux: block/blk-settings.c), recorded in
 * Linux's struct queue_limits because drivers read them back through the
 * inline queue_*() helpers, and dde_blk_submit() checks requests against
 * them. The values and roundings are Linux's; what Linux derives from them
 * for the page cache (readahead, the bdi, writeback throttling) and limit
 * stacking do not exist here. Also the queue flags (Linux: blk-core.c).
 */
#include <linux/blkdev.h>
#include "blk.h"

/**
 * blk_queue_flag_set - set a QUEUE_FLAG_* bit atomically
 * Context: any.
 */
void blk_queue_flag_set(unsigned int flag, struct request_queue *q)
{
	set_bit(flag, &q->queue_flags);
}
EXPORT_SYMBOL(blk_queue_flag_set);

/**
 * blk_queue_flag_clear - clear a QUEUE_FLAG_* bit atomically
 * Context: any.
 */
void blk_queue_flag_clear(unsigned int flag, struct request_queue *q)
{
	clear_bit(flag, &q->queue_flags);
}
EXPORT_SYMBOL(blk_queue_flag_clear);

/**
 * blk_set_default_limits - Linux's defaults for a new queue
 * Context: any.
 */
void blk_set_default_limits(struct queue_limits *lim)
{
	memset(lim, 0, sizeof(*lim));
	lim->max_segments = BLK_MAX_SEGMENTS;
	lim->max_discard_segments = 1;
	lim->seg_boundary_mask = BLK_SEG_BOUNDARY_MASK;
	lim->max_segment_size = BLK_MAX_SEGMENT_SIZE;
	lim->max_sectors = BLK_SAFE_MAX_SECTORS;
	lim->max_hw_sectors = BLK_SAFE_MAX_SECTORS;
	lim->logical_block_size = 512;
	lim->physical_block_size = 512;
	lim->io_min = 512;
	lim->bounce = BLK_BOUNCE_NONE;
	lim->zoned = BLK_ZONED_NONE;
	lim->dma_alignment = 511;
}
EXPORT_SYMBOL(blk_set_default_limits);

/**
 * blk_queue_max_hw_sectors - the most sectors one request may carry
 * @q: the queue
 * @max_hw_sectors: the device's limit (at least a page), in 512-byte sectors
 *
 * max_sectors, the size requests are built up to, becomes the smaller of
 * this and Linux's BLK_DEF_MAX_SECTORS, rounded down to logical blocks.
 * Context: thread.
 */
void blk_queue_max_hw_sectors(struct request_queue *q, unsigned int max_hw_sectors)
{
	struct queue_limits *lim = &q->limits;
	unsigned int lbs_sectors = lim->logical_block_size >> SECTOR_SHIFT;
	unsigned int max_sectors;

	if ((max_hw_sectors << 9) < PAGE_SIZE) {
		max_hw_sectors = 1 << (PAGE_SHIFT - 9);
		pr_info("%s: set to minimum %u\n", __func__, max_hw_sectors);
	}
	lim->max_hw_sectors = round_down(max_hw_sectors, lbs_sectors);
	max_sectors = min_not_zero(lim->max_hw_sectors, lim->max_dev_sectors);
	max_sectors = min_t(unsigned int, max_sectors, BLK_DEF_MAX_SECTORS);
	lim->max_sectors = round_down(max_sectors, lbs_sectors);
}
EXPORT_SYMBOL(blk_queue_max_hw_sectors);

/**
 * blk_queue_max_segments - the most data segments one request may carry
 * Context: thread.
 */
void blk_queue_max_segments(struct request_queue *q, unsigned short max_segments)
{
	if (!max_segments) {
		max_segments = 1;
		pr_info("%s: set to minimum %u\n", __func__, max_segments);
	}
	q->limits.max_segments = max_segments;
}
EXPORT_SYMBOL(blk_queue_max_segments);

/**
 * blk_queue_max_segment_size - the longest data segment (at least a page)
 * Context: thread.
 */
void blk_queue_max_segment_size(struct request_queue *q, unsigned int max_size)
{
	if (max_size < PAGE_SIZE) {
		max_size = PAGE_SIZE;
		pr_info("%s: set to minimum %u\n", __func__, max_size);
	}
	WARN_ON_ONCE(q->limits.virt_boundary_mask);
	q->limits.max_segment_size = max_size;
}
EXPORT_SYMBOL(blk_queue_max_segment_size);

/**
 * blk_queue_max_discard_segments - ranges in one discard request
 * Context: thread.
 */
void blk_queue_max_discard_segments(struct request_queue *q,
				    unsigned short max_segments)
{
	q->limits.max_discard_segments = max_segments;
}
EXPORT_SYMBOL_GPL(blk_queue_max_discard_segments);

/**
 * blk_queue_max_discard_sectors - the longest discard; 0: no discard
 * Context: thread.
 */
void blk_queue_max_discard_sectors(struct request_queue *q,
				   unsigned int max_discard_sectors)
{
	q->limits.max_hw_discard_sectors = max_discard_sectors;
	q->limits.max_discard_sectors = max_discard_sectors;
}
EXPORT_SYMBOL(blk_queue_max_discard_sectors);

/**
 * blk_queue_max_secure_erase_sectors - the longest secure erase (recorded;
 * dde_blk_submit() offers no secure erase)
 * Context: thread.
 */
void blk_queue_max_secure_erase_sectors(struct request_queue *q,
					unsigned int max_sectors)
{
	q->limits.max_secure_erase_sectors = max_sectors;
}
EXPORT_SYMBOL(blk_queue_max_secure_erase_sectors);

/**
 * blk_queue_max_write_zeroes_sectors - the longest write-zeroes; 0: none
 * Context: thread.
 */
void blk_queue_max_write_zeroes_sectors(struct request_queue *q,
					unsigned int max_write_zeroes_sectors)
{
	q->limits.max_write_zeroes_sectors = max_write_zeroes_sectors;
}
EXPORT_SYMBOL(blk_queue_max_write_zeroes_sectors);

/**
 * blk_queue_logical_block_size - the smallest unit the device addresses
 * @q: the queue
 * @size: a power of two from 512 to PAGE_SIZE (blk_validate_block_size())
 *
 * Raises the physical block size and io_min to it if they are smaller and
 * rounds the sector limits down to whole blocks.
 * Context: thread.
 */
void blk_queue_logical_block_size(struct request_queue *q, unsigned int size)
{
	struct queue_limits *lim = &q->limits;

	lim->logical_block_size = size;
	if (lim->physical_block_size < size)
		lim->physical_block_size = size;
	if (lim->io_min < lim->physical_block_size)
		lim->io_min = lim->physical_block_size;
	lim->max_hw_sectors = round_down(lim->max_hw_sectors,
					 size >> SECTOR_SHIFT);
	lim->max_sectors = round_down(lim->max_sectors, size >> SECTOR_SHIFT);
}
EXPORT_SYMBOL(blk_queue_logical_block_size);

/**
 * blk_queue_physical_block_size - the device's internal block (at least
 * the logical block)
 * Context: thread.
 */
void blk_queue_physical_block_size(struct request_queue *q, unsigned int size)
{
	struct queue_limits *lim = &q->limits;

	lim->physical_block_size = max(size, lim->logical_block_size);
	if (lim->io_min < lim->physical_block_size)
		lim->io_min = lim->physical_block_size;
}
EXPORT_SYMBOL(blk_queue_physical_block_size);

/**
 * blk_queue_alignment_offset - where the first physical block starts
 * Context: thread.
 */
void blk_queue_alignment_offset(struct request_queue *q, unsigned int offset)
{
	q->limits.alignment_offset = offset & (q->limits.physical_block_size - 1);
	q->limits.misaligned = 0;
}
EXPORT_SYMBOL(blk_queue_alignment_offset);

/**
 * blk_queue_io_min - the smallest efficient request (at least a physical
 * block)
 * Context: thread.
 */
void blk_queue_io_min(struct request_queue *q, unsigned int min)
{
	struct queue_limits *lim = &q->limits;

	lim->io_min = max3(min, lim->logical_block_size,
			   lim->physical_block_size);
}
EXPORT_SYMBOL(blk_queue_io_min);

/**
 * blk_queue_io_opt - the device's preferred request size
 * Context: thread.
 */
void blk_queue_io_opt(struct request_queue *q, unsigned int opt)
{
	q->limits.io_opt = opt;
}
EXPORT_SYMBOL(blk_queue_io_opt);

/**
 * blk_queue_write_cache - whether the device has a volatile write cache
 * @q: the queue
 * @wc: writes may sit in a cache: flush requests reach the driver
 * @fua: the driver honours REQ_FUA itself (else it is emulated by a flush)
 *
 * Context: any.
 */
void blk_queue_write_cache(struct request_queue *q, bool wc, bool fua)
{
	if (wc) {
		blk_queue_flag_set(QUEUE_FLAG_HW_WC, q);
		blk_queue_flag_set(QUEUE_FLAG_WC, q);
	} else {
		blk_queue_flag_clear(QUEUE_FLAG_HW_WC, q);
		blk_queue_flag_clear(QUEUE_FLAG_WC, q);
	}
	if (fua)
		blk_queue_flag_set(QUEUE_FLAG_FUA, q);
	else
		blk_queue_flag_clear(QUEUE_FLAG_FUA, q);
}
EXPORT_SYMBOL_GPL(blk_queue_write_cache);
