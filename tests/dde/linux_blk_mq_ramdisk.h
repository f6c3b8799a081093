/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The RAM-disk driver of the blk-mq suite (linux_blk_mq_ramdisk.c): its
 * state, which the cases read to see what the driver saw, and how a case
 * makes and removes one.
 */
#ifndef TESTS_DDE_LINUX_BLK_MQ_RAMDISK_H
#define TESTS_DDE_LINUX_BLK_MQ_RAMDISK_H

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/scatterlist.h>
#include <linux/timer.h>
#include <linux/wait.h>
#include "linux_ktest.h"

/* Long enough never to expire on a loaded TCG host; a lost request shows
 * as a timeout instead of a hang. */
#define PATIENCE	(60 * HZ)
#define TD_INLINE_SG	2	/* as virtio_blk: more segments chain */
#define TD_SERIAL	"ddeos-test-serial"

enum td_mode {
	TD_INLINE,	/* completed inside queue_rq */
	TD_TIMER,	/* completed from a timer (softirq) */
	TD_IRQ,		/* completed in hard IRQ on another CPU */
	TD_HOLD,	/* kept until the test releases them */
};

struct td_pdu {
	struct sg_table table;
	struct scatterlist sg[TD_INLINE_SG];
	blk_status_t status;
	unsigned int device_cpu;	/* where the "device" completed it */
	struct list_head node;		/* on td->pending */
};

struct tdisk {
	struct blk_mq_tag_set set;
	struct gendisk *disk;
	u8 *data;
	sector_t sectors;
	enum td_mode mode;

	/* Faults to inject */
	int busy_every;			/* every Nth queue_rq: BLK_STS_RESOURCE */
	unsigned int ring;		/* > 0: at most this many in flight, then
					 * stop the queue, DEV_RESOURCE */
	bool ring_nostop;		/* ...without stopping the queue */

	spinlock_t lock;		/* pending, ring_used */
	struct list_head pending;
	unsigned int ring_used;
	struct timer_list timer;
	struct task_struct *irq_thread;	/* TD_IRQ: the "device" */
	wait_queue_head_t irq_wait;
	unsigned int irq_cpu;		/* where the hard IRQ runs */

	/* What the driver saw */
	atomic_t calls, accepted, busy, stops, in_flight, max_in_flight;
	atomic_t wrong_hctx, wrong_bytes, flushes, fuas, writes;
	atomic_t complete_hardirq, complete_softirq, complete_other;
	atomic_t per_cpu_seen[NR_CPUS];
	atomic_t complete_moved;
	atomic_t complete_on[NR_CPUS];	/* where the complete op ran */
	atomic_t freed;
};

struct td_params {
	unsigned int nr_hw_queues, depth, lbs;
	sector_t sectors;
	enum td_mode mode;
	bool reverse_map;	/* own map_queues: CPU c -> queue n-1-c%n */
	bool wc, fua, ro, discard;
	unsigned short max_segments;
	unsigned int max_hw_sectors;
};

/* The CPU hard IRQs of TD_IRQ disks run on: another one if there is one. */
unsigned int td_other_cpu(void);
/* A disk added and ready, or NULL (the failure recorded in @t). */
struct tdisk *td_create(struct ddeos_ktest *t, const struct td_params *p);
/* Removed in virtio_blk's order; checks every tag came back. */
void td_destroy(struct ddeos_ktest *t, struct tdisk *td);
/* The "device" completes every request it holds. Context: any. */
void td_complete_pending(struct tdisk *td);

#endif
