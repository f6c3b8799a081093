/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the dde/block files share (Linux keeps the same kind of thing in
 * block/blk.h and block/blk-mq.h): the DDE's part of a request, the queue
 * around Linux's struct request_queue, and the calls between the files.
 */
#ifndef DDE_BLOCK_BLK_H
#define DDE_BLOCK_BLK_H

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/bio.h>
#include <dde/block.h>

/* No tag (Linux's BLK_MQ_NO_TAG lives in block/blk-mq-tag.h). */
#define BLK_MQ_NO_TAG	-1U

/* Bio vectors kept inside each request; more are allocated per request. */
#define DDE_RQ_INLINE_VECS	4

/* Linux's BLK_MQ_RESOURCE_DELAY (block/blk-mq.c): retry after 3 ms. */
#define DDE_BLK_RESOURCE_DELAY	3

/*
 * The DDE's per-request state, placed right before struct request (the
 * driver's pdu follows the request, as blk_mq_rq_to_pdu() expects). It
 * carries the one bio a DDE request has, and who to tell at the end.
 */
struct dde_rq {
	struct bio bio;
	struct bio_vec *vecs;		/* inline_vecs or allocated */
	struct bio_vec inline_vecs[DDE_RQ_INLINE_VECS];
	dde_blk_done_fn done;
	void *ctx;
	unsigned int cpu;		/* took the tag: its sbitmap hint */
	bool post_flush;		/* FUA emulated: flush after the write */
	blk_status_t status;		/* blk_execute_rq()'s result */
} __aligned(64);

/* Requests of a stopped hardware queue wait until it is started. */
static inline bool dde_hctx_stopped(struct blk_mq_hw_ctx *hctx)
{
	return test_bit(BLK_MQ_S_STOPPED, &hctx->state);
}

static inline struct dde_rq *dde_rq_of(struct request *rq)
{
	return (struct dde_rq *)rq - 1;
}

/* A request queue with its hardware contexts (Linux: q->hctx_table). */
struct dde_queue {
	struct request_queue q;
	struct blk_mq_hw_ctx **hctxs;	/* [set->nr_hw_queues] */
};

static inline struct dde_queue *dde_queue_of(struct request_queue *q)
{
	return container_of(q, struct dde_queue, q);
}

/* blk-mq-tag.c */
int dde_blk_tags_alloc(struct blk_mq_tag_set *set, unsigned int hctx_idx);
void dde_blk_tags_free(struct blk_mq_tag_set *set, unsigned int hctx_idx);
struct request *dde_blk_get_tag(struct request_queue *q, bool nowait);
void dde_blk_put_tag(struct request *rq);

/* blk-mq.c */
struct request *dde_blk_mq_get_request(struct request_queue *q, blk_opf_t opf,
				       bool nowait);
void dde_blk_mq_issue(struct request *rq, bool at_head);
struct blk_mq_hw_ctx *dde_blk_mq_cpu_hctx(struct request_queue *q,
					  unsigned int cpu);
int dde_blk_mq_init_queue(struct dde_queue *dq, struct blk_mq_tag_set *set);
void dde_blk_mq_exit_queue(struct dde_queue *dq);

/* blk-settings.c (Linux declares it in block/blk.h) */
void blk_set_default_limits(struct queue_limits *lim);

/* blk-merge.c */
unsigned int dde_blk_bvec_segments(struct request_queue *q,
				   const struct bio_vec *bv);
unsigned int dde_blk_bio_segments(struct request_queue *q, struct bio *bio);

/* blk-map.c */
int dde_blk_rq_attach(struct request *rq, sector_t sector,
		      const struct dde_blk_seg *segs, unsigned int nr_segs,
		      unsigned int bytes, gfp_t gfp);

/* genhd.c */
bool dde_disk_live(struct gendisk *disk);

/* blk-mq.c: Linux's kblockd workqueue, made on first need. */
int dde_kblockd_get(void);

#endif
