// SPDX-License-Identifier: GPL-2.0-only
/*
 * Attaching data to a request (Linux: block/blk-map.c's blk_rq_map_kern()
 * and the bio set-up of block/bio.c and blk_rq_bio_prep()). A DDE request
 * carries exactly one bio, built inside the request's DDE area with up to
 * DDE_RQ_INLINE_VECS vectors there (more are allocated, as Linux's
 * bio_alloc() does beyond its inline vectors). Unlike Linux, a buffer that
 * is not in the direct map (stack, vmalloc) is refused, not bounced.
 */
#include <linux/blk-mq.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <dde/dde.h>
#include "blk.h"

/* Whether [addr, +len) lies in the direct map of RAM, where virt_to_page()
 * is right (Linux's virt_addr_valid(); its x86 version is not compiled). */
static bool dde_blk_direct_mapped(const void *addr, unsigned int len)
{
	unsigned long a = (unsigned long)addr;

	return a >= PAGE_OFFSET && a + len >= a &&
	       a + len <= PAGE_OFFSET + ddeos_mem_phys_end();
}

/**
 * dde_blk_rq_attach - give @rq one bio over @segs
 * @rq: a fresh request; its cmd_flags say the operation
 * @sector: the bio's first sector
 * @segs: data segments in the direct map, or NULL
 * @nr_segs: number of @segs (0: a bio without data of @bytes bytes, as
 *	discard and write-zeroes requests have)
 * @bytes: the data length when @nr_segs is 0
 * @gfp: for vectors beyond the inline ones
 *
 * Sets rq->bio, __sector, __data_len and nr_phys_segments as Linux's
 * blk_rq_bio_prep() does.
 * Context: any; may sleep if @gfp allows. Return: 0 or -ENOMEM, -EINVAL
 * (a segment not in the direct map, or more segments than the queue takes).
 */
int dde_blk_rq_attach(struct request *rq, sector_t sector,
		      const struct dde_blk_seg *segs, unsigned int nr_segs,
		      unsigned int bytes, gfp_t gfp)
{
	struct request_queue *q = rq->q;
	struct dde_rq *drq = dde_rq_of(rq);
	struct bio *bio = &drq->bio;
	unsigned int i, nsegs = 0;

	if (nr_segs > DDE_RQ_INLINE_VECS) {
		drq->vecs = kmalloc_array(nr_segs, sizeof(*drq->vecs), gfp);
		if (!drq->vecs)
			return -ENOMEM;
	} else {
		drq->vecs = drq->inline_vecs;
	}

	if (nr_segs)
		bytes = 0;
	for (i = 0; i < nr_segs; i++) {
		struct bio_vec *bv = &drq->vecs[i];

		if (!dde_blk_direct_mapped(segs[i].addr, segs[i].len))
			return -EINVAL;
		bv->bv_page = virt_to_page(segs[i].addr);
		bv->bv_offset = offset_in_page(segs[i].addr);
		bv->bv_len = segs[i].len;
		bytes += segs[i].len;
		nsegs += dde_blk_bvec_segments(q, bv);
	}
	if (nsegs > queue_max_segments(q))
		return -EINVAL;
	/* As Linux's bio_split_discard(): a discard is one range. */
	if (req_op(rq) == REQ_OP_DISCARD)
		nsegs = 1;

	memset(bio, 0, sizeof(*bio));
	bio->bi_opf = rq->cmd_flags;
	bio->bi_iter.bi_sector = sector;
	bio->bi_iter.bi_size = bytes;
	bio->bi_io_vec = drq->vecs;
	bio->bi_vcnt = nr_segs;
	bio->bi_max_vecs = nr_segs;
	atomic_set(&bio->__bi_cnt, 1);
	atomic_set(&bio->__bi_remaining, 1);

	rq->bio = bio;
	rq->biotail = bio;
	rq->__sector = sector;
	rq->__data_len = bytes;
	rq->nr_phys_segments = nsegs;
	return 0;
}

/**
 * blk_rq_map_kern - attach a kernel buffer to a driver-private request
 * @q: the request's queue
 * @rq: from blk_mq_alloc_request(), no data yet
 * @kbuf: the buffer, in the direct map (kmalloc or pages)
 * @len: its length
 * @gfp_mask: allocation flags (unused: one vector fits inline)
 *
 * Context: any. Return: 0, or -EINVAL for an empty or non-direct-map
 * buffer, or one with more segments than @q takes.
 */
int blk_rq_map_kern(struct request_queue *q, struct request *rq, void *kbuf,
		    unsigned int len, gfp_t gfp_mask)
{
	struct dde_blk_seg seg = { .addr = kbuf, .len = len };

	if (!len || rq->bio)
		return -EINVAL;
	return dde_blk_rq_attach(rq, 0, &seg, 1, 0, gfp_mask);
}
EXPORT_SYMBOL(blk_rq_map_kern);
