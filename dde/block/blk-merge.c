// SPDX-License-Identifier: GPL-2.0-only
/*
 * Physical segments of a request and their scatterlist (Linux:
 * block/blk-merge.c's segment counting and __blk_rq_map_sg()). Each bio
 * vector is cut at the queue's max_segment_size and segment boundary;
 * unlike Linux, adjacent vectors are never merged into one segment, so
 * the count made at submission and the map made in queue_rq always agree.
 * Bios are never split or merged here: dde_blk_submit() refuses requests
 * beyond the queue's limits instead.
 */
#include <linux/blk-mq.h>
#include <linux/scatterlist.h>
#include "blk.h"

/* Bytes from physical address @phys to the end of its segment: the next
 * segment boundary or max_segment_size, whichever comes first. */
static unsigned int dde_seg_room(struct request_queue *q, phys_addr_t phys)
{
	unsigned long mask = queue_segment_boundary(q);
	unsigned long to_boundary = mask - (phys & mask) + 1;

	/* mask may be ULONG_MAX: to_boundary is then 0, i.e. no limit */
	if (!to_boundary || to_boundary > queue_max_segment_size(q))
		return queue_max_segment_size(q);
	return to_boundary;
}

/**
 * dde_blk_bvec_segments - segments @bv makes in @q
 * Context: any. Return: the count.
 */
unsigned int dde_blk_bvec_segments(struct request_queue *q,
				   const struct bio_vec *bv)
{
	phys_addr_t phys = page_to_phys(bv->bv_page) + bv->bv_offset;
	unsigned int left = bv->bv_len, n = 0;

	while (left) {
		unsigned int len = min(left, dde_seg_room(q, phys));

		phys += len;
		left -= len;
		n++;
	}
	return n;
}

/**
 * dde_blk_bio_segments - segments all vectors of @bio make in @q
 * Context: any. Return: the count.
 */
unsigned int dde_blk_bio_segments(struct request_queue *q, struct bio *bio)
{
	unsigned int i, n = 0;

	for (i = 0; i < bio->bi_vcnt; i++)
		n += dde_blk_bvec_segments(q, &bio->bi_io_vec[i]);
	return n;
}

static struct scatterlist *dde_next_sg(struct scatterlist **sg,
				       struct scatterlist *sglist)
{
	if (!*sg)
		return sglist;
	/* The previous entry was the end so far; a chained table goes on
	 * in its next chunk. */
	sg_unmark_end(*sg);
	return sg_next(*sg);
}

static int dde_map_bvec(struct request_queue *q, const struct bio_vec *bv,
			struct scatterlist *sglist, struct scatterlist **sg)
{
	phys_addr_t phys = page_to_phys(bv->bv_page) + bv->bv_offset;
	unsigned int left = bv->bv_len, done = 0;
	int n = 0;

	while (left) {
		unsigned int len = min(left, dde_seg_room(q, phys));
		unsigned int off = bv->bv_offset + done;

		*sg = dde_next_sg(sg, sglist);
		sg_set_page(*sg, bv->bv_page + (off >> PAGE_SHIFT), len,
			    off & ~PAGE_MASK);
		phys += len;
		done += len;
		left -= len;
		n++;
	}
	return n;
}

/**
 * __blk_rq_map_sg - fill @sglist with @rq's data segments
 * @q: the request's queue
 * @rq: the request: its special payload (discard ranges) or its bios
 * @sglist: room for blk_rq_nr_phys_segments(@rq) entries (may be chained)
 * @last_sg: in: NULL; out: the last entry used, marked as the end
 *
 * Context: any (queue_rq). Return: the number of entries used.
 */
int __blk_rq_map_sg(struct request_queue *q, struct request *rq,
		    struct scatterlist *sglist, struct scatterlist **last_sg)
{
	int nsegs = 0;

	if (rq->rq_flags & RQF_SPECIAL_PAYLOAD) {
		nsegs = dde_map_bvec(q, &rq->special_vec, sglist, last_sg);
	} else {
		struct bio *bio;
		unsigned int i;

		for (bio = rq->bio; bio; bio = bio->bi_next)
			for (i = 0; i < bio->bi_vcnt; i++)
				nsegs += dde_map_bvec(q, &bio->bi_io_vec[i],
						      sglist, last_sg);
	}
	if (*last_sg)
		sg_mark_end(*last_sg);
	WARN_ON(nsegs > blk_rq_nr_phys_segments(rq));
	return nsegs;
}
EXPORT_SYMBOL(__blk_rq_map_sg);
