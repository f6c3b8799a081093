// SPDX-License-Identifier: GPL-2.0-only
/*
 * Submitting I/O (Linux: block/blk-core.c's submit_bio() checks and the
 * request building of blk-mq.c's blk_mq_submit_bio(), and the flush
 * policy of blk-flush.c). The caller is the kernel-world block API, not a
 * file system: it hands over one whole request, which is checked against
 * the disk here and refused, never split or merged, if it does not fit.
 * Also blk_status_to_errno() (blk-core.c).
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/slab.h>
#include "blk.h"

/**
 * blk_status_to_errno - Linux's errno for a block status
 * Context: any. Return: 0 or a negative errno (-EIO for unknown ones).
 */
int blk_status_to_errno(blk_status_t status)
{
	switch (status) {
	case BLK_STS_OK:			return 0;
	case BLK_STS_NOTSUPP:			return -EOPNOTSUPP;
	case BLK_STS_TIMEOUT:			return -ETIMEDOUT;
	case BLK_STS_NOSPC:			return -ENOSPC;
	case BLK_STS_TRANSPORT:			return -ENOLINK;
	case BLK_STS_TARGET:			return -EREMOTEIO;
	case BLK_STS_NEXUS:			return -EBADE;
	case BLK_STS_MEDIUM:			return -ENODATA;
	case BLK_STS_PROTECTION:		return -EILSEQ;
	case BLK_STS_RESOURCE:			return -ENOMEM;
	case BLK_STS_DEV_RESOURCE:		return -EBUSY;
	case BLK_STS_AGAIN:			return -EAGAIN;
	case BLK_STS_OFFLINE:			return -ENODEV;
	case BLK_STS_DM_REQUEUE:		return -EREMCHG;
	case BLK_STS_ZONE_OPEN_RESOURCE:	return -ETOOMANYREFS;
	case BLK_STS_ZONE_ACTIVE_RESOURCE:	return -EOVERFLOW;
	default:				return -EIO;
	}
}
EXPORT_SYMBOL_GPL(blk_status_to_errno);

/*
 * The end of a submitted request. A write whose FUA the device cannot do
 * itself (a write cache without FUA) becomes a flush on the same tag
 * before its submitter hears, as Linux's REQ_FSEQ_POSTFLUSH step does. It
 * is requeued, not issued here: the driver may be ending it under its
 * queue lock.
 */
static enum rq_end_io_ret dde_blk_end_io(struct request *rq, blk_status_t error)
{
	struct dde_rq *drq = dde_rq_of(rq);

	if (drq->post_flush && error == BLK_STS_OK) {
		drq->post_flush = false;
		if (drq->vecs != drq->inline_vecs)
			kfree(drq->vecs);
		drq->vecs = NULL;
		rq->cmd_flags = REQ_OP_FLUSH | REQ_PREFLUSH;
		rq->rq_flags = 0;
		rq->bio = NULL;
		rq->biotail = NULL;
		rq->__sector = (sector_t)-1;
		rq->__data_len = 0;
		rq->nr_phys_segments = 0;
		blk_mq_requeue_request(rq, true);
		return RQ_END_IO_NONE;
	}
	drq->done(drq->ctx, blk_status_to_errno(error));
	return RQ_END_IO_FREE;
}

/* The request's REQ_OP_* and flags, or -errno if @disk cannot do it. */
static int dde_blk_opf(struct request_queue *q, unsigned int op,
		       unsigned int flags, blk_opf_t *opf, bool *post_flush)
{
	bool wc = test_bit(QUEUE_FLAG_WC, &q->queue_flags);

	*post_flush = false;
	switch (op) {
	case DDE_BLK_READ:
		*opf = REQ_OP_READ;
		return 0;
	case DDE_BLK_WRITE:
		*opf = REQ_OP_WRITE;
		/* Without a write cache every write is durable: Linux drops
		 * FUA then (blk-flush.c's blk_flush_policy()). */
		if ((flags & DDE_BLK_FUA) && wc) {
			*opf |= REQ_SYNC;
			if (test_bit(QUEUE_FLAG_FUA, &q->queue_flags))
				*opf |= REQ_FUA;
			else
				*post_flush = true;
		}
		return 0;
	case DDE_BLK_FLUSH:
		*opf = REQ_OP_FLUSH | REQ_PREFLUSH;
		return 0;
	case DDE_BLK_DISCARD:
		*opf = REQ_OP_DISCARD;
		return q->limits.max_discard_sectors ? 0 : -EOPNOTSUPP;
	case DDE_BLK_WRITE_ZEROES:
		*opf = REQ_OP_WRITE_ZEROES;
		return q->limits.max_write_zeroes_sectors ? 0 : -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
}

/* Whether [sector, +bytes) is whole logical blocks within @disk and no
 * longer than @max_sectors. */
static bool dde_blk_range_ok(struct gendisk *disk, sector_t sector,
			     unsigned long long bytes, unsigned int max_sectors)
{
	unsigned int lbs = queue_logical_block_size(disk->queue);
	sector_t cap = get_capacity(disk), nr = bytes >> SECTOR_SHIFT;

	return bytes && !(bytes & (lbs - 1)) &&
	       !(sector & ((lbs >> SECTOR_SHIFT) - 1)) &&
	       nr <= max_sectors && sector <= cap && nr <= cap - sector;
}

/* Segments of a read or write: aligned to the queue's DMA alignment (as
 * Linux's direct I/O requires), together within the request limits. */
static int dde_blk_check_segs(struct gendisk *disk, sector_t sector,
			      const struct dde_blk_seg *segs,
			      unsigned int nr_segs)
{
	struct request_queue *q = disk->queue;
	unsigned int align = queue_dma_alignment(q);
	unsigned long long bytes = 0;
	unsigned int i;

	if (!segs || !nr_segs)
		return -EINVAL;
	for (i = 0; i < nr_segs; i++) {
		if (!segs[i].len || (segs[i].len & align) ||
		    ((unsigned long)segs[i].addr & align))
			return -EINVAL;
		bytes += segs[i].len;
	}
	if (!dde_blk_range_ok(disk, sector, bytes, queue_max_sectors(q)))
		return -EINVAL;
	return 0;
}

int dde_blk_submit(struct gendisk *disk, unsigned int op, unsigned int flags,
		   sector_t sector, const struct dde_blk_seg *segs,
		   unsigned int nr_segs, unsigned int bytes,
		   dde_blk_done_fn done, void *ctx)
{
	struct request_queue *q = disk->queue;
	bool nowait = flags & DDE_BLK_NOWAIT;
	struct request *rq;
	bool post_flush;
	blk_opf_t opf;
	int err;

	if (!dde_disk_live(disk))
		return -ENODEV;
	err = dde_blk_opf(q, op, flags, &opf, &post_flush);
	if (err)
		return err;
	if (op_is_write(opf) && get_disk_ro(disk))
		return -EROFS;
	switch (op) {
	case DDE_BLK_READ:
	case DDE_BLK_WRITE:
		err = dde_blk_check_segs(disk, sector, segs, nr_segs);
		break;
	case DDE_BLK_FLUSH:
		if (nr_segs)
			return -EINVAL;
		/* No write cache: nothing to flush; Linux ends the flush
		 * without the driver too (blk_insert_flush()). */
		if (!test_bit(QUEUE_FLAG_WC, &q->queue_flags)) {
			done(ctx, 0);
			return 0;
		}
		sector = 0;
		break;
	case DDE_BLK_DISCARD:
		if (nr_segs || !dde_blk_range_ok(disk, sector, bytes,
				q->limits.max_discard_sectors))
			return -EINVAL;
		break;
	case DDE_BLK_WRITE_ZEROES:
		if (nr_segs || !dde_blk_range_ok(disk, sector, bytes,
				q->limits.max_write_zeroes_sectors))
			return -EINVAL;
		break;
	}
	if (err)
		return err;

	if (!nowait)
		might_sleep();
	rq = dde_blk_mq_get_request(q, opf, nowait);
	if (!rq)
		return -EAGAIN;
	if (op != DDE_BLK_FLUSH) {
		err = dde_blk_rq_attach(rq, sector, segs, nr_segs, bytes,
					nowait ? GFP_ATOMIC : GFP_NOIO);
		if (err) {
			blk_mq_free_request(rq);
			return err;
		}
	}
	dde_rq_of(rq)->done = done;
	dde_rq_of(rq)->ctx = ctx;
	dde_rq_of(rq)->post_flush = post_flush;
	rq->end_io = dde_blk_end_io;
	dde_blk_mq_issue(rq, false);
	return 0;
}

void dde_blk_get_info(struct gendisk *disk, struct dde_blk_info *info)
{
	struct request_queue *q = disk->queue;

	info->name = disk->disk_name;
	info->capacity = get_capacity(disk);
	info->logical_block_size = queue_logical_block_size(q);
	info->physical_block_size = queue_physical_block_size(q);
	info->max_sectors = queue_max_sectors(q);
	info->max_segments = queue_max_segments(q);
	info->max_segment_size = queue_max_segment_size(q);
	info->read_only = get_disk_ro(disk);
	info->write_cache = test_bit(QUEUE_FLAG_WC, &q->queue_flags);
	info->fua = test_bit(QUEUE_FLAG_FUA, &q->queue_flags);
	info->discard = q->limits.max_discard_sectors;
	info->write_zeroes = q->limits.max_write_zeroes_sectors;
	info->nr_hw_queues = q->nr_hw_queues;
	info->queue_depth = q->queue_depth;
}
