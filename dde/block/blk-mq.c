// SPDX-License-Identifier: GPL-2.0-only
/*
 * Multi-queue request dispatch and completion (Linux: block/blk-mq.c, much
 * reduced). No I/O scheduler, no plugging, no merging, no timeouts: a
 * request goes straight from its submitter to the driver's queue_rq on the
 * hardware queue the driver's map_queues chose for the submitting CPU, and
 * the DDE's hardware-queue dispatch list only holds what the driver sent
 * back busy (or what arrived while the queue was stopped).
 *
 * Lock order: hctx->lock (the dispatch list) is innermost and never held
 * across a driver call. Submission and completion take no lock shared
 * between hardware queues: tags are per hardware queue (sbitmap, lock-free),
 * restart state is a bit in hctx->state.
 *
 * Restart (Linux's SCHED_RESTART): before a run of the dispatch list sets
 * BLK_MQ_S_SCHED_RESTART, every freed request clears it and reruns the
 * queue. A run that leaves requests on the list (the driver said busy)
 * then looks again: if the bit is gone a request completed meanwhile and
 * the run is repeated; if the queue is stopped the driver will restart it
 * (blk_mq_start_stopped_hw_queues() runs it); otherwise a completion will
 * (BLK_STS_DEV_RESOURCE: the driver has requests in flight), or a timer
 * after Linux's 3 ms (BLK_STS_RESOURCE). Either way a request put back is
 * seen by a run that starts after it was put back.
 */
#include <linux/blk-mq.h>
#include <linux/interrupt.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/sbitmap.h>
#include <linux/sched/clock.h>
#include <linux/sched/topology.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/workqueue.h>
#include <dde/dde.h>
#include "blk.h"

/* Linux's kblockd: runs hardware queues asynchronously (dde_kblockd_get). */
static struct workqueue_struct *kblockd_workqueue;

/* Requests completed in BLOCK_SOFTIRQ: added by this CPU (preemption off)
 * or, for a completion moved here, by another one; llist_add is atomic
 * against the softirq's del_all. */
static DEFINE_PER_CPU(struct llist_head, blk_cpu_done);

struct blk_mq_hw_ctx *dde_blk_mq_cpu_hctx(struct request_queue *q,
					  unsigned int cpu)
{
	struct blk_mq_tag_set *set = q->tag_set;

	return dde_queue_of(q)->hctxs[set->map[HCTX_TYPE_DEFAULT].mq_map[cpu]];
}

/* ---- tag sets and hardware contexts -------------------------------------- */


static int dde_blk_mq_check_map(struct blk_mq_tag_set *set)
{
	unsigned int i, cpu;

	for (i = 0; i < set->nr_maps; i++) {
		if (!set->map[i].nr_queues)
			continue;
		for_each_possible_cpu(cpu)
			if (set->map[i].mq_map[cpu] >= set->nr_hw_queues)
				return -EINVAL;
	}
	return 0;
}

/**
 * blk_mq_alloc_tag_set - tags, requests and CPU maps for a driver's queues
 * @set: filled by the driver: ops, nr_hw_queues, queue_depth, cmd_size,
 *	numa_node, flags, nr_maps, driver_data
 *
 * Maps CPUs to hardware queues with the driver's map_queues (Linux's
 * blk_mq_map_queues() if it has none) and preallocates queue_depth requests
 * per hardware queue, each followed by cmd_size bytes for the driver.
 * Reserved tags and shared tag sets are refused.
 * Context: thread, may sleep. Return: 0 or -EINVAL, -ENOMEM.
 */
int blk_mq_alloc_tag_set(struct blk_mq_tag_set *set)
{
	unsigned int i;
	int err = -ENOMEM;

	if (!set->nr_hw_queues || !set->queue_depth || !set->ops ||
	    !set->ops->queue_rq || set->queue_depth > BLK_MQ_MAX_DEPTH)
		return -EINVAL;
	if (set->reserved_tags || (set->flags & BLK_MQ_F_TAG_HCTX_SHARED)) {
		pr_err("dde: blk-mq: reserved or shared tags are not supported\n");
		return -EINVAL;
	}
	if (dde_kblockd_get())
		return -ENOMEM;
	if (!set->nr_maps)
		set->nr_maps = 1;
	else if (set->nr_maps > HCTX_MAX_TYPES)
		return -EINVAL;
	/* As Linux: more hardware queues than CPUs are of no use. */
	if (set->nr_maps == 1 && set->nr_hw_queues > nr_cpu_ids)
		set->nr_hw_queues = nr_cpu_ids;

	set->tags = kcalloc_node(set->nr_hw_queues, sizeof(*set->tags),
				 GFP_KERNEL, set->numa_node);
	if (!set->tags)
		return -ENOMEM;
	for (i = 0; i < set->nr_maps; i++) {
		set->map[i].mq_map = kcalloc_node(nr_cpu_ids, sizeof(unsigned int),
						  GFP_KERNEL, set->numa_node);
		if (!set->map[i].mq_map)
			goto out_maps;
		set->map[i].nr_queues = set->nr_hw_queues;
	}

	if (set->ops->map_queues)
		set->ops->map_queues(set);
	else
		blk_mq_map_queues(&set->map[HCTX_TYPE_DEFAULT]);
	err = dde_blk_mq_check_map(set);
	if (err) {
		pr_err("dde: blk-mq: map_queues mapped a CPU to no queue\n");
		goto out_maps;
	}

	for (i = 0; i < set->nr_hw_queues; i++) {
		err = dde_blk_tags_alloc(set, i);
		if (err)
			goto out_tags;
	}
	INIT_LIST_HEAD(&set->tag_list);
	mutex_init(&set->tag_list_lock);
	return 0;

out_tags:
	while (i-- > 0)
		dde_blk_tags_free(set, i);
out_maps:
	for (i = 0; i < set->nr_maps; i++) {
		kfree(set->map[i].mq_map);
		set->map[i].mq_map = NULL;
	}
	kfree(set->tags);
	set->tags = NULL;
	return err;
}
EXPORT_SYMBOL(blk_mq_alloc_tag_set);

/**
 * blk_mq_free_tag_set - undo blk_mq_alloc_tag_set()
 * Context: thread; its disk is gone (put_disk()) or never existed.
 */
void blk_mq_free_tag_set(struct blk_mq_tag_set *set)
{
	unsigned int i;

	for (i = 0; i < set->nr_hw_queues; i++)
		dde_blk_tags_free(set, i);
	for (i = 0; i < set->nr_maps; i++) {
		kfree(set->map[i].mq_map);
		set->map[i].mq_map = NULL;
	}
	kfree(set->tags);
	set->tags = NULL;
}
EXPORT_SYMBOL(blk_mq_free_tag_set);

static void dde_hctx_run_work(struct work_struct *work);

/* Which map (HCTX_TYPE_*) hardware queue @i serves. */
static unsigned int dde_hctx_type(struct blk_mq_tag_set *set, unsigned int i)
{
	unsigned int t;

	for (t = 0; t < set->nr_maps; t++)
		if (i >= set->map[t].queue_offset &&
		    i < set->map[t].queue_offset + set->map[t].nr_queues)
			return t;
	return HCTX_TYPE_DEFAULT;
}

static void dde_hctx_free(struct blk_mq_tag_set *set,
			  struct blk_mq_hw_ctx *hctx, bool initialised)
{
	if (initialised && set->ops->exit_hctx)
		set->ops->exit_hctx(hctx, hctx->queue_num);
	free_cpumask_var(hctx->cpumask);
	kfree(hctx);
}

/**
 * dde_blk_mq_init_queue - the hardware contexts of a new queue
 * Context: thread, may sleep. Return: 0, -ENOMEM or init_hctx's error.
 */
int dde_blk_mq_init_queue(struct dde_queue *dq, struct blk_mq_tag_set *set)
{
	struct request_queue *q = &dq->q;
	unsigned int i, cpu;
	int err = -ENOMEM;

	dq->hctxs = kcalloc_node(set->nr_hw_queues, sizeof(*dq->hctxs),
				 GFP_KERNEL, set->numa_node);
	if (!dq->hctxs)
		return -ENOMEM;
	q->tag_set = set;
	q->mq_ops = set->ops;
	q->nr_hw_queues = set->nr_hw_queues;
	q->queue_depth = set->queue_depth;
	q->nr_requests = set->queue_depth;
	q->queue_flags = QUEUE_FLAG_MQ_DEFAULT;
	q->node = set->numa_node;

	for (i = 0; i < set->nr_hw_queues; i++) {
		struct blk_mq_hw_ctx *hctx;
		struct blk_mq_queue_map *map;

		hctx = kzalloc_node(sizeof(*hctx), GFP_KERNEL, set->numa_node);
		if (!hctx)
			goto fail;
		if (!zalloc_cpumask_var_node(&hctx->cpumask, GFP_KERNEL,
					     set->numa_node)) {
			kfree(hctx);
			goto fail;
		}
		spin_lock_init(&hctx->lock);
		INIT_LIST_HEAD(&hctx->dispatch);
		INIT_DELAYED_WORK(&hctx->run_work, dde_hctx_run_work);
		INIT_LIST_HEAD(&hctx->hctx_list);
		hctx->queue = q;
		hctx->queue_num = i;
		hctx->numa_node = set->numa_node;
		hctx->flags = set->flags;
		hctx->tags = set->tags[i];
		hctx->type = dde_hctx_type(set, i);
		map = &set->map[hctx->type];
		for_each_possible_cpu(cpu) {
			if (map->mq_map[cpu] == i) {
				cpumask_set_cpu(cpu, hctx->cpumask);
				hctx->nr_ctx++;
			}
		}
		hctx->next_cpu = hctx->nr_ctx ? cpumask_first(hctx->cpumask)
					      : WORK_CPU_UNBOUND;
		if (set->ops->init_hctx) {
			err = set->ops->init_hctx(hctx, set->driver_data, i);
			if (err) {
				dde_hctx_free(set, hctx, false);
				goto fail;
			}
		}
		dq->hctxs[i] = hctx;
	}
	return 0;

fail:
	while (i-- > 0)
		dde_hctx_free(set, dq->hctxs[i], true);
	kfree(dq->hctxs);
	return err;
}

/**
 * dde_blk_mq_exit_queue - undo dde_blk_mq_init_queue()
 * Context: thread, may sleep; no request of the queue in use.
 */
void dde_blk_mq_exit_queue(struct dde_queue *dq)
{
	unsigned int i;

	for (i = 0; i < dq->q.nr_hw_queues; i++) {
		cancel_delayed_work_sync(&dq->hctxs[i]->run_work);
		WARN_ON(!list_empty(&dq->hctxs[i]->dispatch));
		dde_hctx_free(dq->q.tag_set, dq->hctxs[i], true);
	}
	kfree(dq->hctxs);
}

/* ---- requests ---------------------------------------------------------- */

/**
 * dde_blk_mq_get_request - a fresh request of @q for the calling CPU
 * @q: the queue
 * @opf: REQ_OP_* and REQ_* flags
 * @nowait: NULL instead of sleeping when the hardware queue is full
 *
 * Fields are set as Linux's blk_mq_rq_ctx_init() does; rq->mq_ctx stays
 * NULL (the DDE has no software queues).
 * Context: thread, may sleep; any context with @nowait.
 * Return: the request, or NULL.
 */
struct request *dde_blk_mq_get_request(struct request_queue *q, blk_opf_t opf,
				       bool nowait)
{
	struct request *rq = dde_blk_get_tag(q, nowait);
	struct dde_rq *drq;

	if (!rq)
		return NULL;
	drq = dde_rq_of(rq);
	rq->q = q;
	rq->mq_ctx = NULL;
	rq->cmd_flags = opf;
	rq->rq_flags = 0;
	rq->internal_tag = BLK_MQ_NO_TAG;
	rq->timeout = 0;
	rq->part = NULL;
	rq->start_time_ns = 0;
	rq->io_start_time_ns = 0;
	rq->stats_sectors = 0;
	rq->nr_phys_segments = 0;
	rq->ioprio = 0;
	rq->write_hint = 0;
	rq->__sector = (sector_t)-1;
	rq->__data_len = 0;
	rq->bio = NULL;
	rq->biotail = NULL;
	rq->deadline = 0;
	rq->special_vec.bv_page = NULL;
	rq->special_vec.bv_len = 0;
	rq->special_vec.bv_offset = 0;
	rq->end_io = NULL;
	rq->end_io_data = NULL;
	INIT_LIST_HEAD(&rq->queuelist);
	WRITE_ONCE(rq->state, MQ_RQ_IDLE);
	atomic_set(&rq->ref, 1);
	drq->vecs = NULL;
	drq->done = NULL;
	drq->ctx = NULL;
	drq->post_flush = false;
	return rq;
}

/**
 * blk_mq_alloc_request - a driver-private (passthrough) request
 * @q: the queue
 * @opf: REQ_OP_DRV_IN or REQ_OP_DRV_OUT (others work too)
 * @flags: BLK_MQ_REQ_NOWAIT to fail instead of sleeping for a tag
 *
 * Context: thread, may sleep; any context with BLK_MQ_REQ_NOWAIT.
 * Return: the request, ERR_PTR(-EWOULDBLOCK) or ERR_PTR(-ENODEV).
 */
struct request *blk_mq_alloc_request(struct request_queue *q, blk_opf_t opf,
				     blk_mq_req_flags_t flags)
{
	struct request *rq;

	if (flags & BLK_MQ_REQ_RESERVED)
		return ERR_PTR(-EINVAL);
	if (blk_queue_dying(q))
		return ERR_PTR(-ENODEV);
	rq = dde_blk_mq_get_request(q, opf, flags & BLK_MQ_REQ_NOWAIT);
	if (!rq)
		return ERR_PTR(-EWOULDBLOCK);
	return rq;
}
EXPORT_SYMBOL(blk_mq_alloc_request);

/**
 * blk_mq_free_request - give a request and its tag back
 *
 * Reruns the hardware queue if a run is waiting for a completion.
 * Context: any.
 */
void blk_mq_free_request(struct request *rq)
{
	struct blk_mq_hw_ctx *hctx = rq->mq_hctx;
	struct dde_rq *drq = dde_rq_of(rq);

	if (drq->vecs != drq->inline_vecs)
		kfree(drq->vecs);
	drq->vecs = NULL;
	WRITE_ONCE(rq->state, MQ_RQ_IDLE);
	dde_blk_put_tag(rq);
	/* Read after the tag went back; pairs with the barrier a run takes
	 * between setting the bit and looking at its list (dde_hctx_run). */
	smp_mb__after_atomic();
	if (test_bit(BLK_MQ_S_SCHED_RESTART, &hctx->state) &&
	    test_and_clear_bit(BLK_MQ_S_SCHED_RESTART, &hctx->state))
		blk_mq_run_hw_queue(hctx, true);
}
EXPORT_SYMBOL_GPL(blk_mq_free_request);

/* ---- dispatch ------------------------------------------------------------ */

static void dde_hctx_insert(struct blk_mq_hw_ctx *hctx, struct request *rq,
			    bool at_head)
{
	unsigned long flags;

	spin_lock_irqsave(&hctx->lock, flags);
	if (at_head)
		list_add(&rq->queuelist, &hctx->dispatch);
	else
		list_add_tail(&rq->queuelist, &hctx->dispatch);
	spin_unlock_irqrestore(&hctx->lock, flags);
}

/* A request the driver sent back: not in flight any more (Linux's
 * __blk_mq_requeue_request()). */
static void dde_rq_unstart(struct request *rq)
{
	WRITE_ONCE(rq->state, MQ_RQ_IDLE);
	rq->rq_flags &= ~RQF_TIMED_OUT;
}

/*
 * Hand @list to the driver in order, the last with bd->last set. Busy
 * answers leave the rest on @list; other errors end the request. Return:
 * the status of the last call.
 */
static blk_status_t dde_hctx_dispatch(struct blk_mq_hw_ctx *hctx,
				      struct list_head *list)
{
	const struct blk_mq_ops *ops = hctx->queue->mq_ops;
	blk_status_t ret = BLK_STS_OK;
	bool need_commit = false;

	while (!list_empty(list)) {
		struct request *rq = list_first_entry(list, struct request,
						      queuelist);
		struct blk_mq_queue_data bd = { .rq = rq };

		list_del_init(&rq->queuelist);
		bd.last = list_empty(list);
		ret = ops->queue_rq(hctx, &bd);
		if (ret == BLK_STS_OK) {
			need_commit = !bd.last;
			ddeos_idle_poll_hint();
		} else if (ret == BLK_STS_RESOURCE ||
			   ret == BLK_STS_DEV_RESOURCE) {
			dde_rq_unstart(rq);
			list_add(&rq->queuelist, list);
			break;
		} else {
			blk_mq_end_request(rq, ret);
		}
	}
	/* The driver saw no bd->last after its last accepted request. */
	if (need_commit && ops->commit_rqs)
		ops->commit_rqs(hctx);
	return ret;
}

/* Run the dispatch list of @hctx here, in the caller's context. */
static void dde_hctx_run(struct blk_mq_hw_ctx *hctx)
{
	unsigned long flags;
	blk_status_t ret;
	LIST_HEAD(list);

	if (dde_hctx_stopped(hctx) || list_empty_careful(&hctx->dispatch))
		return;
	set_bit(BLK_MQ_S_SCHED_RESTART, &hctx->state);
	smp_mb__after_atomic();

	spin_lock_irqsave(&hctx->lock, flags);
	list_splice_init(&hctx->dispatch, &list);
	spin_unlock_irqrestore(&hctx->lock, flags);

	ret = dde_hctx_dispatch(hctx, &list);
	if (list_empty(&list))
		return;

	spin_lock_irqsave(&hctx->lock, flags);
	list_splice(&list, &hctx->dispatch);
	spin_unlock_irqrestore(&hctx->lock, flags);
	/* The list before the bits: see the restart note atop the file. */
	smp_mb();
	if (dde_hctx_stopped(hctx))
		return;
	if (!test_bit(BLK_MQ_S_SCHED_RESTART, &hctx->state))
		blk_mq_run_hw_queue(hctx, true);
	else if (ret == BLK_STS_RESOURCE)
		blk_mq_delay_run_hw_queue(hctx, DDE_BLK_RESOURCE_DELAY);
}

static void dde_hctx_run_work(struct work_struct *work)
{
	struct blk_mq_hw_ctx *hctx = container_of(work, struct blk_mq_hw_ctx,
						  run_work.work);

	dde_hctx_run(hctx);
}

/**
 * blk_mq_delay_run_hw_queue - run @hctx from kblockd after @msecs
 * Context: any.
 */
void blk_mq_delay_run_hw_queue(struct blk_mq_hw_ctx *hctx, unsigned long msecs)
{
	mod_delayed_work_on(hctx->next_cpu, kblockd_workqueue, &hctx->run_work,
			    msecs_to_jiffies(msecs));
}
EXPORT_SYMBOL(blk_mq_delay_run_hw_queue);

/**
 * blk_mq_run_hw_queue - hand @hctx's waiting requests to the driver
 * @hctx: the hardware queue
 * @async: from kblockd (on a CPU of the queue) instead of here
 *
 * Nothing happens while the queue is stopped.
 * Context: any with @async; without, any context queue_rq may run in.
 */
void blk_mq_run_hw_queue(struct blk_mq_hw_ctx *hctx, bool async)
{
	if (dde_hctx_stopped(hctx))
		return;
	if (async)
		mod_delayed_work_on(hctx->next_cpu, kblockd_workqueue,
				    &hctx->run_work, 0);
	else
		dde_hctx_run(hctx);
}
EXPORT_SYMBOL(blk_mq_run_hw_queue);

/**
 * dde_blk_mq_issue - give a filled request to its hardware queue
 * @rq: from dde_blk_mq_get_request(), its data attached
 * @at_head: ahead of requests already waiting
 *
 * Issued directly, with bd->last set, when nothing waits before it (Linux's
 * blk_mq_try_issue_directly()); otherwise queued behind them and the queue
 * is run. In hard IRQ or with IRQs off the caller may be a completion
 * callback running under the driver's queue lock (virtio_blk completes
 * under it), which queue_rq takes too: the request then goes to kblockd.
 * Context: any.
 */
void dde_blk_mq_issue(struct request *rq, bool at_head)
{
	struct blk_mq_hw_ctx *hctx = rq->mq_hctx;
	struct blk_mq_queue_data bd = { .rq = rq, .last = true };
	bool async = in_hardirq() || irqs_disabled();
	blk_status_t ret;

	if (at_head || async || dde_hctx_stopped(hctx) ||
	    !list_empty_careful(&hctx->dispatch)) {
		dde_hctx_insert(hctx, rq, at_head);
		blk_mq_run_hw_queue(hctx, async);
		return;
	}
	ret = hctx->queue->mq_ops->queue_rq(hctx, &bd);
	switch (ret) {
	case BLK_STS_OK:
		/* The completion is due soon: spin for it before halting. */
		ddeos_idle_poll_hint();
		break;
	case BLK_STS_RESOURCE:
	case BLK_STS_DEV_RESOURCE:
		/* Through the list, which arms the restart first. */
		dde_rq_unstart(rq);
		dde_hctx_insert(hctx, rq, true);
		blk_mq_run_hw_queue(hctx, false);
		break;
	default:
		blk_mq_end_request(rq, ret);
		break;
	}
}

static enum rq_end_io_ret dde_blk_end_sync(struct request *rq,
					   blk_status_t error)
{
	struct dde_rq *drq = dde_rq_of(rq);
	struct completion *wait = rq->end_io_data;

	drq->status = error;
	complete(wait);
	return RQ_END_IO_NONE;
}

/**
 * blk_execute_rq - issue a driver-private request and wait for its end
 * @rq: from blk_mq_alloc_request(), data mapped with blk_rq_map_kern()
 * @at_head: ahead of requests already waiting
 *
 * The caller frees @rq afterwards (blk_mq_free_request()).
 * Context: thread, may sleep. Return: the driver's status.
 */
blk_status_t blk_execute_rq(struct request *rq, bool at_head)
{
	DECLARE_COMPLETION_ONSTACK(wait);

	might_sleep();
	rq->end_io = dde_blk_end_sync;
	rq->end_io_data = &wait;
	dde_blk_mq_issue(rq, at_head);
	wait_for_completion_io(&wait);
	return dde_rq_of(rq)->status;
}
EXPORT_SYMBOL(blk_execute_rq);

/* ---- the driver's side of a request's life --------------------------------- */

/**
 * blk_mq_start_request - the driver took @rq
 * Context: any (queue_rq).
 */
void blk_mq_start_request(struct request *rq)
{
	WARN_ON_ONCE(blk_mq_rq_state(rq) != MQ_RQ_IDLE);
	WRITE_ONCE(rq->state, MQ_RQ_IN_FLIGHT);
}
EXPORT_SYMBOL(blk_mq_start_request);

/**
 * blk_mq_requeue_request - the driver gives back a started request
 * @rq: the request
 * @kick_requeue_list: run the queue now (else at its next run)
 *
 * It goes to the head of its hardware queue's dispatch list.
 * Context: any.
 */
void blk_mq_requeue_request(struct request *rq, bool kick_requeue_list)
{
	dde_rq_unstart(rq);
	dde_hctx_insert(rq->mq_hctx, rq, true);
	if (kick_requeue_list)
		blk_mq_run_hw_queue(rq->mq_hctx, true);
}
EXPORT_SYMBOL(blk_mq_requeue_request);

/**
 * blk_mq_end_request - end @rq with @error
 *
 * Linux ends the request's bios here and then calls rq->end_io: a DDE
 * request's bio has no end_io of its own, its submitter hears through
 * rq->end_io. The request is freed unless end_io keeps it.
 * Context: any.
 */
void blk_mq_end_request(struct request *rq, blk_status_t error)
{
	if (rq->end_io && rq->end_io(rq, error) == RQ_END_IO_NONE)
		return;
	blk_mq_free_request(rq);
}
EXPORT_SYMBOL(blk_mq_end_request);

/**
 * blk_mq_end_request_batch - end the successful requests of a poll batch
 * Context: any (the driver's poll).
 */
void blk_mq_end_request_batch(struct io_comp_batch *iob)
{
	struct request *rq;

	while ((rq = rq_list_pop(&iob->req_list)))
		blk_mq_end_request(rq, BLK_STS_OK);
}
EXPORT_SYMBOL_GPL(blk_mq_end_request_batch);

static void blk_done_softirq(struct softirq_action *h)
{
	struct llist_node *node;
	struct request *rq, *next;

	node = llist_reverse_order(llist_del_all(this_cpu_ptr(&blk_cpu_done)));
	llist_for_each_entry_safe(rq, next, node, ipi_list)
		rq->q->mq_ops->complete(rq);
}

/* The IPI's function on the submitting CPU: the request is on its list
 * already; BLOCK_SOFTIRQ runs when the hard IRQ returns. */
static void blk_mq_complete_ipi(void *data)
{
	__raise_softirq_irqoff(BLOCK_SOFTIRQ);
}

/*
 * Whether the completion should move to the submitting CPU (Linux's
 * blk_mq_complete_need_ipi()): only with QUEUE_FLAG_SAME_COMP (set by
 * default, QUEUE_FLAG_MQ_DEFAULT), from another CPU that shares no
 * last-level cache with it (or any other CPU with QUEUE_FLAG_SAME_FORCE),
 * and if it is online. Linux also declines under forced IRQ threading;
 * the DDE never threads interrupts.
 */
static bool blk_mq_complete_need_ipi(struct request *rq, unsigned int cpu)
{
	unsigned int to = dde_rq_of(rq)->cpu;
	unsigned long flags = READ_ONCE(rq->q->queue_flags);

	if (!(flags & (1UL << QUEUE_FLAG_SAME_COMP)) || cpu == to)
		return false;
	if (!(flags & (1UL << QUEUE_FLAG_SAME_FORCE)) && cpus_share_cache(cpu, to))
		return false;
	return cpu_online(to);
}

/*
 * Queue @rq on the submitting CPU's completion list; the first request
 * on an empty list interrupts that CPU (the later ones ride along until
 * its softirq empties the list), with the request's own csd as Linux does.
 */
static void blk_mq_complete_send_ipi(struct request *rq)
{
	unsigned int to = dde_rq_of(rq)->cpu;

	if (llist_add(&rq->ipi_list, &per_cpu(blk_cpu_done, to))) {
		INIT_CSD(&rq->csd, blk_mq_complete_ipi, rq);
		smp_call_function_single_async(to, &rq->csd);
	}
}

/**
 * blk_mq_complete_request_remote - end @rq elsewhere if Linux would
 * @rq: the request the device finished
 *
 * Linux's choice, in its order: a hardware queue of one CPU or a polled
 * request completes right here; with QUEUE_FLAG_SAME_COMP and the
 * submitting CPU in another cache domain, the completion moves there
 * (an IPI, then BLOCK_SOFTIRQ there); a single hardware queue shared by
 * CPUs completes in BLOCK_SOFTIRQ of this CPU; several queues complete
 * here.
 * Context: any. Return: true if the completion was passed on, false if
 * the caller must call the driver's complete op itself.
 */
bool blk_mq_complete_request_remote(struct request *rq)
{
	unsigned int cpu;

	WRITE_ONCE(rq->state, MQ_RQ_COMPLETE);
	if (rq->mq_hctx->nr_ctx == 1 || (rq->cmd_flags & REQ_POLLED))
		return false;
	cpu = raw_smp_processor_id();
	if (blk_mq_complete_need_ipi(rq, cpu)) {
		blk_mq_complete_send_ipi(rq);
		return true;
	}
	if (rq->q->nr_hw_queues == 1) {
		preempt_disable();
		if (llist_add(&rq->ipi_list, this_cpu_ptr(&blk_cpu_done)))
			raise_softirq(BLOCK_SOFTIRQ);
		preempt_enable();
		return true;
	}
	return false;
}
EXPORT_SYMBOL_GPL(blk_mq_complete_request_remote);

/**
 * blk_mq_complete_request - the device finished @rq: run the driver's
 * complete op, which ends it, where blk_mq_complete_request_remote()
 * decides
 * Context: any.
 */
void blk_mq_complete_request(struct request *rq)
{
	if (!blk_mq_complete_request_remote(rq))
		rq->q->mq_ops->complete(rq);
}
EXPORT_SYMBOL(blk_mq_complete_request);

/* ---- stopping and starting hardware queues ---------------------------------- */

/**
 * blk_mq_stop_hw_queue - hold back requests of @hctx until restarted
 * Context: any.
 */
void blk_mq_stop_hw_queue(struct blk_mq_hw_ctx *hctx)
{
	cancel_delayed_work(&hctx->run_work);
	set_bit(BLK_MQ_S_STOPPED, &hctx->state);
}
EXPORT_SYMBOL(blk_mq_stop_hw_queue);

/**
 * blk_mq_start_stopped_hw_queues - restart the stopped queues of @q and
 * run them
 * @q: the queue
 * @async: run from kblockd (needed when called under a driver lock)
 *
 * Context: any with @async.
 */
void blk_mq_start_stopped_hw_queues(struct request_queue *q, bool async)
{
	struct dde_queue *dq = dde_queue_of(q);
	unsigned int i;

	for (i = 0; i < q->nr_hw_queues; i++) {
		struct blk_mq_hw_ctx *hctx = dq->hctxs[i];

		if (!dde_hctx_stopped(hctx))
			continue;
		clear_bit(BLK_MQ_S_STOPPED, &hctx->state);
		/* The cleared bit before the list: pairs with dde_hctx_run. */
		smp_mb__after_atomic();
		blk_mq_run_hw_queue(hctx, async);
	}
}
EXPORT_SYMBOL(blk_mq_start_stopped_hw_queues);

/*
 * kblockd (Linux's blk_dev_init() makes it at boot) is made with the first
 * tag set, so that a boot without block devices has no extra threads.
 * Context: thread, may sleep. Return: 0 or -ENOMEM.
 */
/*
 * kblockd on first need: when a block driver registers (so that a probe
 * that fails leaves nothing of it behind), or at the first tag set of a
 * driver that registers no major. Context: thread, may sleep.
 */
int dde_kblockd_get(void)
{
	static DEFINE_MUTEX(kblockd_lock);
	struct workqueue_struct *wq;
	int err = 0;

	if (smp_load_acquire(&kblockd_workqueue))
		return 0;
	mutex_lock(&kblockd_lock);
	if (!kblockd_workqueue) {
		wq = alloc_workqueue("kblockd", WQ_MEM_RECLAIM | WQ_HIGHPRI, 0);
		if (wq)
			smp_store_release(&kblockd_workqueue, wq);
		else
			err = -ENOMEM;
	}
	mutex_unlock(&kblockd_lock);
	return err;
}

/**
 * dde_block_init - BLOCK_SOFTIRQ (Linux: blk_mq_init())
 * Context: the main thread, once.
 */
void dde_block_init(void)
{
	open_softirq(BLOCK_SOFTIRQ, blk_done_softirq);
}
