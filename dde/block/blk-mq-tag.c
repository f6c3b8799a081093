// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tags and the preallocated requests of each hardware queue (Linux:
 * block/blk-mq-tag.c and the request pool of block/blk-mq.c). Free tags
 * are Linux's own sbitmap_queue (lib/sbitmap.c, compiled unmodified): a
 * per-CPU hint spreads CPUs over the bitmap's words and its wait queues
 * wake sleepers in batches, so taking and freeing a tag takes no lock.
 * Linux's blk-mq-tag.c itself is not compiled: it is built on blk-mq.c's
 * internals (struct blk_mq_alloc_data, the ctx lists, the I/O scheduler's
 * tags, shared tag sets) which the DDE does not have. No reserved tags and
 * no shared tag sets here.
 */
#include <linux/sbitmap.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include "blk.h"

/* Each request is [struct dde_rq][struct request][driver pdu]. */
static size_t dde_rq_size(const struct blk_mq_tag_set *set)
{
	return round_up(sizeof(struct dde_rq) + sizeof(struct request) +
			set->cmd_size, L1_CACHE_BYTES);
}

static_assert(sizeof(struct dde_rq) % L1_CACHE_BYTES == 0);

/**
 * dde_blk_tags_alloc - the tags and requests of hardware queue @hctx_idx
 * @set: the tag set; queue_depth, cmd_size and numa_node are read
 * @hctx_idx: index of the hardware queue
 *
 * Calls the driver's init_request (if any) for each request.
 * Context: thread, may sleep. Return: 0 or -ENOMEM (nothing left behind).
 */
int dde_blk_tags_alloc(struct blk_mq_tag_set *set, unsigned int hctx_idx)
{
	unsigned int depth = set->queue_depth, i;
	size_t size = dde_rq_size(set);
	struct blk_mq_tags *tags;
	char *pool;

	tags = kzalloc_node(sizeof(*tags), GFP_KERNEL, set->numa_node);
	if (!tags)
		return -ENOMEM;
	tags->nr_tags = depth;
	spin_lock_init(&tags->lock);
	INIT_LIST_HEAD(&tags->page_list);
	tags->rqs = kcalloc_node(depth, sizeof(*tags->rqs), GFP_KERNEL,
				 set->numa_node);
	tags->static_rqs = kcalloc_node(depth, sizeof(*tags->static_rqs),
					GFP_KERNEL, set->numa_node);
	pool = kvzalloc_node(size * depth, GFP_KERNEL, set->numa_node);
	if (!tags->rqs || !tags->static_rqs || !pool)
		goto fail;
	if (sbitmap_queue_init_node(&tags->bitmap_tags, depth, -1, false,
				    GFP_KERNEL, set->numa_node))
		goto fail;

	for (i = 0; i < depth; i++) {
		struct request *rq = (void *)(pool + i * size + sizeof(struct dde_rq));

		rq->tag = BLK_MQ_NO_TAG;
		rq->internal_tag = BLK_MQ_NO_TAG;
		tags->static_rqs[i] = rq;
		if (set->ops->init_request &&
		    set->ops->init_request(set, rq, hctx_idx, set->numa_node)) {
			while (i-- > 0)
				if (set->ops->exit_request)
					set->ops->exit_request(set,
						tags->static_rqs[i], hctx_idx);
			sbitmap_queue_free(&tags->bitmap_tags);
			goto fail;
		}
	}
	set->tags[hctx_idx] = tags;
	return 0;

fail:
	kvfree(pool);
	kfree(tags->static_rqs);
	kfree(tags->rqs);
	kfree(tags);
	return -ENOMEM;
}

/**
 * dde_blk_tags_free - undo dde_blk_tags_alloc()
 * Context: thread; no request of this queue in use.
 */
void dde_blk_tags_free(struct blk_mq_tag_set *set, unsigned int hctx_idx)
{
	struct blk_mq_tags *tags = set->tags[hctx_idx];
	unsigned int i;

	if (!tags)
		return;
	WARN_ON(sbitmap_weight(&tags->bitmap_tags.sb));
	for (i = 0; i < tags->nr_tags && set->ops->exit_request; i++)
		set->ops->exit_request(set, tags->static_rqs[i], hctx_idx);
	sbitmap_queue_free(&tags->bitmap_tags);
	kvfree(dde_rq_of(tags->static_rqs[0]));
	kfree(tags->static_rqs);
	kfree(tags->rqs);
	kfree(tags);
	set->tags[hctx_idx] = NULL;
}

/**
 * dde_blk_get_tag - a free request of the calling CPU's hardware queue
 * @q: the queue
 * @nowait: fail instead of sleeping when the hardware queue is full
 *
 * After a sleep the CPU may have changed, so the hardware queue is chosen
 * again (Linux's blk_mq_get_tag() does the same).
 * Context: thread, may sleep; any context with @nowait.
 * Return: the request (mq_hctx and tag set), or NULL if @nowait and full.
 */
struct request *dde_blk_get_tag(struct request_queue *q, bool nowait)
{
	DEFINE_SBQ_WAIT(wait);

	for (;;) {
		unsigned int cpu = raw_smp_processor_id();
		struct blk_mq_hw_ctx *hctx = dde_blk_mq_cpu_hctx(q, cpu);
		struct sbitmap_queue *bt = &hctx->tags->bitmap_tags;
		struct sbq_wait_state *ws;
		struct request *rq;
		int tag;

		tag = __sbitmap_queue_get(bt);
		if (tag < 0 && !nowait) {
			ws = sbq_wait_ptr(bt, &hctx->wait_index);
			sbitmap_prepare_to_wait(bt, ws, &wait,
						TASK_UNINTERRUPTIBLE);
			/* A tag freed before we were on the wait queue
			 * woke nobody: look once more before sleeping. */
			tag = __sbitmap_queue_get(bt);
			if (tag < 0)
				schedule();
			sbitmap_finish_wait(bt, ws, &wait);
			if (tag < 0)
				continue;
		}
		if (tag < 0)
			return NULL;

		rq = hctx->tags->static_rqs[tag];
		hctx->tags->rqs[tag] = rq;
		rq->mq_hctx = hctx;
		rq->tag = tag;
		dde_rq_of(rq)->cpu = cpu;
		return rq;
	}
}

/**
 * dde_blk_put_tag - give @rq's tag back, waking a sleeper if any
 * Context: any.
 */
void dde_blk_put_tag(struct request *rq)
{
	struct blk_mq_hw_ctx *hctx = rq->mq_hctx;
	unsigned int tag = rq->tag;

	rq->tag = BLK_MQ_NO_TAG;
	sbitmap_queue_clear(&hctx->tags->bitmap_tags, tag, dde_rq_of(rq)->cpu);
}
