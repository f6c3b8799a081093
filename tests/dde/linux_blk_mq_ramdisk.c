// SPDX-License-Identifier: GPL-2.0-only
/*
 * A RAM-disk block driver for the blk-mq suite (linux_blk_mq_test.c),
 * written the way null_blk and virtio_blk are: a tag set with a
 * per-request pdu holding an inline scatterlist, a queue_rq that maps the
 * request with sg_alloc_table_chained() and blk_rq_map_sg() and copies to
 * or from RAM, and completions inline, from a timer, from a hard IRQ on
 * another CPU or when the test says. It counts what it sees and can answer
 * busy on purpose.
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/interrupt.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <dde/dde.h>
#include "linux_blk_mq_ramdisk.h"

unsigned int td_other_cpu(void)
{
	return num_online_cpus() > 1 ? 1 : 0;
}

/* ---- the driver ----------------------------------------------------------- */

static void td_copy(struct tdisk *td, struct request *rq,
		    struct td_pdu *pdu, int nents)
{
	u8 *disk = td->data + (blk_rq_pos(rq) << SECTOR_SHIFT);
	struct scatterlist *sg;
	unsigned int done = 0;
	int i;

	for_each_sg(pdu->table.sgl, sg, nents, i) {
		if (req_op(rq) == REQ_OP_WRITE)
			memcpy(disk + done, sg_virt(sg), sg->length);
		else if (req_op(rq) == REQ_OP_READ)
			memcpy(sg_virt(sg), disk + done, sg->length);
		else if (req_op(rq) == REQ_OP_DRV_IN)
			strscpy(sg_virt(sg), TD_SERIAL, sg->length);
		done += sg->length;
	}
	if (done != blk_rq_bytes(rq))
		atomic_inc(&td->wrong_bytes);
}

static void td_finish(struct tdisk *td, struct request *rq)
{
	struct td_pdu *pdu = blk_mq_rq_to_pdu(rq);

	atomic_dec(&td->in_flight);
	pdu->device_cpu = raw_smp_processor_id();
	blk_mq_complete_request(rq);
}

/* The driver's complete op: where and in which context it runs. */
static void td_complete(struct request *rq)
{
	struct td_pdu *pdu = blk_mq_rq_to_pdu(rq);
	struct tdisk *td = rq->q->queuedata;

	if (in_hardirq())
		atomic_inc(&td->complete_hardirq);
	else if (in_serving_softirq())
		atomic_inc(&td->complete_softirq);
	else
		atomic_inc(&td->complete_other);
	if (pdu->device_cpu != raw_smp_processor_id())
		atomic_inc(&td->complete_moved);
	atomic_inc(&td->complete_on[raw_smp_processor_id()]);

	if (blk_rq_nr_phys_segments(rq))
		sg_free_table_chained(&pdu->table, TD_INLINE_SG);
	blk_mq_end_request(rq, pdu->status);
}

/* Complete everything pending; restart the queue as virtio_blk does. */
void td_complete_pending(struct tdisk *td)
{
	struct td_pdu *pdu, *next;
	unsigned long flags;
	LIST_HEAD(list);

	spin_lock_irqsave(&td->lock, flags);
	list_splice_init(&td->pending, &list);
	list_for_each_entry_safe(pdu, next, &list, node) {
		td->ring_used--;
		td_finish(td, blk_mq_rq_from_pdu(pdu));
	}
	if (!list_empty(&list) && td->ring)
		blk_mq_start_stopped_hw_queues(td->disk->queue, true);
	spin_unlock_irqrestore(&td->lock, flags);
}

static void td_timer(struct timer_list *t)
{
	struct tdisk *td = from_timer(td, t, timer);

	td_complete_pending(td);
}

static void td_irq(void *arg)
{
	td_complete_pending(arg);
}

static int td_irq_thread(void *arg)
{
	struct tdisk *td = arg;

	while (!kthread_should_stop()) {
		wait_event_timeout(td->irq_wait, kthread_should_stop() ||
				   !list_empty_careful(&td->pending), HZ);
		if (!list_empty_careful(&td->pending))
			ddeos_call_on_cpu(td->irq_cpu, td_irq, td);
	}
	return 0;
}

static blk_status_t td_queue_rq(struct blk_mq_hw_ctx *hctx,
				const struct blk_mq_queue_data *bd)
{
	struct tdisk *td = hctx->queue->queuedata;
	struct request *rq = bd->rq;
	struct td_pdu *pdu = blk_mq_rq_to_pdu(rq);
	unsigned int cpu = raw_smp_processor_id();
	unsigned long flags;
	int nents = 0, n;

	n = atomic_inc_return(&td->calls);
	if (td->busy_every && n % td->busy_every == 0) {
		atomic_inc(&td->busy);
		return BLK_STS_RESOURCE;
	}
	/* Issued directly, queue_rq runs on the submitting CPU; kblockd
	 * runs a queue from one of its CPUs too. */
	if (td->set.map[HCTX_TYPE_DEFAULT].mq_map[cpu] != hctx->queue_num)
		atomic_inc(&td->wrong_hctx);
	atomic_inc(&td->per_cpu_seen[cpu]);

	if (blk_rq_nr_phys_segments(rq)) {
		pdu->table.sgl = pdu->sg;
		if (sg_alloc_table_chained(&pdu->table,
					   blk_rq_nr_phys_segments(rq),
					   pdu->table.sgl, TD_INLINE_SG))
			return BLK_STS_RESOURCE;
		nents = blk_rq_map_sg(hctx->queue, rq, pdu->table.sgl);
	}
	blk_mq_start_request(rq);

	spin_lock_irqsave(&td->lock, flags);
	if (td->ring && td->ring_used == td->ring) {
		if (!td->ring_nostop)
			blk_mq_stop_hw_queue(hctx);
		atomic_inc(&td->stops);
		spin_unlock_irqrestore(&td->lock, flags);
		if (nents)
			sg_free_table_chained(&pdu->table, TD_INLINE_SG);
		return BLK_STS_DEV_RESOURCE;
	}
	td->ring_used++;
	spin_unlock_irqrestore(&td->lock, flags);

	atomic_inc(&td->accepted);
	n = atomic_inc_return(&td->in_flight);
	if (n > atomic_read(&td->max_in_flight))
		atomic_set(&td->max_in_flight, n);	/* racy max: fine, grows */
	if (req_op(rq) == REQ_OP_FLUSH)
		atomic_inc(&td->flushes);
	if (req_op(rq) == REQ_OP_WRITE)
		atomic_inc(&td->writes);
	if (rq->cmd_flags & REQ_FUA)
		atomic_inc(&td->fuas);
	if (req_op(rq) == REQ_OP_DISCARD || req_op(rq) == REQ_OP_WRITE_ZEROES)
		memset(td->data + (blk_rq_pos(rq) << SECTOR_SHIFT), 0,
		       blk_rq_bytes(rq));
	else
		td_copy(td, rq, pdu, nents);
	pdu->status = BLK_STS_OK;

	if (td->mode == TD_INLINE) {
		spin_lock_irqsave(&td->lock, flags);
		td->ring_used--;
		spin_unlock_irqrestore(&td->lock, flags);
		td_finish(td, rq);
		return BLK_STS_OK;
	}
	spin_lock_irqsave(&td->lock, flags);
	list_add_tail(&pdu->node, &td->pending);
	spin_unlock_irqrestore(&td->lock, flags);
	if (td->mode == TD_TIMER)
		mod_timer(&td->timer, jiffies + 1);
	else if (td->mode == TD_IRQ)
		wake_up(&td->irq_wait);
	return BLK_STS_OK;
}

static void td_map_queues(struct blk_mq_tag_set *set)
{
	struct blk_mq_queue_map *map = &set->map[HCTX_TYPE_DEFAULT];
	unsigned int cpu, n = map->nr_queues;

	for_each_possible_cpu(cpu)
		map->mq_map[cpu] = n - 1 - cpu % n;
}

static const struct blk_mq_ops td_ops = {
	.queue_rq	= td_queue_rq,
	.complete	= td_complete,
};

static const struct blk_mq_ops td_ops_reverse = {
	.queue_rq	= td_queue_rq,
	.complete	= td_complete,
	.map_queues	= td_map_queues,
};

static void td_free_disk(struct gendisk *disk)
{
	struct tdisk *td = disk->private_data;

	atomic_inc(&td->freed);
}

static const struct block_device_operations td_fops = {
	.owner		= THIS_MODULE,
	.free_disk	= td_free_disk,
};

static int td_seq;

struct tdisk *td_create(struct ddeos_ktest *t, const struct td_params *p)
{
	struct tdisk *td = kzalloc(sizeof(*td), GFP_KERNEL);
	struct request_queue *q;
	int err;

	if (!EXPECT(t, td))
		return NULL;
	td->sectors = p->sectors;
	td->data = kvzalloc(p->sectors << SECTOR_SHIFT, GFP_KERNEL);
	if (!EXPECT(t, td->data)) {
		kfree(td);
		return NULL;
	}
	td->mode = p->mode;
	spin_lock_init(&td->lock);
	INIT_LIST_HEAD(&td->pending);
	timer_setup(&td->timer, td_timer, 0);
	init_waitqueue_head(&td->irq_wait);

	td->set.ops = p->reverse_map ? &td_ops_reverse : &td_ops;
	td->set.nr_hw_queues = p->nr_hw_queues;
	td->set.queue_depth = p->depth;
	td->set.numa_node = NUMA_NO_NODE;
	td->set.cmd_size = sizeof(struct td_pdu);
	td->set.flags = BLK_MQ_F_SHOULD_MERGE;
	td->set.driver_data = td;
	err = blk_mq_alloc_tag_set(&td->set);
	if (!EXPECT(t, !err, "blk_mq_alloc_tag_set: %d", err))
		goto fail_data;
	td->disk = blk_mq_alloc_disk(&td->set, td);
	if (!EXPECT(t, !IS_ERR(td->disk), "alloc disk: %ld", PTR_ERR(td->disk)))
		goto fail_set;
	q = td->disk->queue;
	snprintf(td->disk->disk_name, DISK_NAME_LEN, "tblk%d", td_seq++);
	td->disk->private_data = td;
	td->disk->fops = &td_fops;
	blk_queue_write_cache(q, p->wc, p->fua);
	if (p->ro)
		set_disk_ro(td->disk, true);
	if (p->max_segments)
		blk_queue_max_segments(q, p->max_segments);
	blk_queue_max_hw_sectors(q, p->max_hw_sectors ?: -1U);
	if (p->lbs)
		blk_queue_logical_block_size(q, p->lbs);
	if (p->discard) {
		blk_queue_max_discard_sectors(q, UINT_MAX);
		blk_queue_max_write_zeroes_sectors(q, UINT_MAX);
	}
	set_capacity_and_notify(td->disk, p->sectors);
	err = device_add_disk(NULL, td->disk, NULL);
	if (!EXPECT(t, !err, "device_add_disk: %d", err))
		goto fail_disk;
	if (p->mode == TD_IRQ) {
		td->irq_cpu = td_other_cpu();
		td->irq_thread = kthread_run(td_irq_thread, td, "td-irq");
		if (!EXPECT(t, !IS_ERR(td->irq_thread)))
			goto fail_added;
	}
	return td;

fail_added:
	del_gendisk(td->disk);
fail_disk:
	put_disk(td->disk);
fail_set:
	blk_mq_free_tag_set(&td->set);
fail_data:
	kvfree(td->data);
	kfree(td);
	return NULL;
}

/* Torn down in virtio_blk's order (virtblk_remove()). */
void td_destroy(struct ddeos_ktest *t, struct tdisk *td)
{
	unsigned int i;

	del_gendisk(td->disk);
	for (i = 0; i < td->set.nr_hw_queues; i++) {
		unsigned int used = sbitmap_weight(&td->set.tags[i]->bitmap_tags.sb);

		EXPECT(t, used == 0, "hw queue %u: %u tags still in use", i, used);
	}
	if (td->irq_thread)
		kthread_stop(td->irq_thread);
	del_timer_sync(&td->timer);
	blk_mq_free_tag_set(&td->set);
	put_disk(td->disk);
	EXPECT(t, atomic_read(&td->freed) == 1, "free_disk ran %d times",
	       atomic_read(&td->freed));
	kvfree(td->data);
	kfree(td);
}
