// SPDX-License-Identifier: GPL-2.0-only
/*
 * The DDE's blk-mq and gendisk (dde/block/) under a Linux-world RAM-disk
 * driver written the way null_blk and virtio_blk are
 * (linux_blk_mq_ramdisk.c), completing inline, from a timer, from a hard
 * IRQ on another CPU or when told. I/O enters through dde_blk_submit()
 * (dde/include/dde/block.h). Reported in KTAP.
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/sched/topology.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <dde/block.h>
#include <dde/dde.h>
#include "linux_ktest.h"
#include "linux_blk_mq_ramdisk.h"

/* ---- submitting ------------------------------------------------------------ */

struct batch {
	atomic_t left;
	atomic_t errors;
	int last_error;
	struct completion all_done;
	atomic_t *done_count;		/* per request, optional */
};

struct one {
	struct batch *b;
	unsigned int idx;
};

static void batch_init(struct batch *b, int n)
{
	atomic_set(&b->left, n);
	atomic_set(&b->errors, 0);
	init_completion(&b->all_done);
	b->done_count = NULL;
}

static void batch_done(void *ctx, int error)
{
	struct one *o = ctx;
	struct batch *b = o->b;

	if (error) {
		atomic_inc(&b->errors);
		b->last_error = error;
	}
	if (b->done_count)
		atomic_inc(&b->done_count[o->idx]);
	if (atomic_dec_and_test(&b->left))
		complete(&b->all_done);
}

static bool batch_wait(struct ddeos_ktest *t, struct batch *b)
{
	return EXPECT(t, wait_for_completion_timeout(&b->all_done, PATIENCE),
		      "%d requests never ended", atomic_read(&b->left));
}

/* One request, waited for. Return: its submit error or its result. */
static int submit_sync(struct gendisk *disk, unsigned int op,
		       unsigned int flags, sector_t sector,
		       const struct dde_blk_seg *segs, unsigned int nr,
		       unsigned int bytes)
{
	struct batch b;
	struct one o = { .b = &b };
	int err;

	batch_init(&b, 1);
	b.last_error = 0;
	err = dde_blk_submit(disk, op, flags, sector, segs, nr, bytes,
			     batch_done, &o);
	if (err)
		return err;
	if (!wait_for_completion_timeout(&b.all_done, PATIENCE))
		return -ETIMEDOUT;
	return b.last_error;
}

static u8 pattern(sector_t sector, unsigned int i)
{
	return (u8)(sector * 131 + i * 7 + 1);
}

/* ---- cases ------------------------------------------------------------------ */

#define PAT_SECTORS	1024	/* 512 KiB */

/* Cut [buf, +bytes) into @nr segments of whole sectors, uneven sizes. */
static unsigned int cut(u8 *buf, unsigned int bytes, struct dde_blk_seg *segs,
			unsigned int nr)
{
	unsigned int i, off = 0, sectors = bytes >> SECTOR_SHIFT;

	for (i = 0; i < nr && off < bytes; i++) {
		unsigned int s = i == nr - 1 ? sectors : 1 + (i * 5) % sectors;

		if (s > sectors)
			s = sectors;
		segs[i].addr = buf + off;
		segs[i].len = s << SECTOR_SHIFT;
		off += segs[i].len;
		sectors -= s;
		if (!sectors) {
			i++;
			break;
		}
	}
	return i;
}

static void write_then_read(struct ddeos_ktest *t, enum td_mode mode)
{
	struct td_params p = { .nr_hw_queues = 1, .depth = 16,
			       .sectors = PAT_SECTORS, .mode = mode };
	struct dde_blk_seg segs[16];
	unsigned int off, i, bad = 0, nr;
	struct tdisk *td;
	u8 *buf, *back;
	int err;

	td = td_create(t, &p);
	buf = kmalloc(PAT_SECTORS << SECTOR_SHIFT, GFP_KERNEL);
	back = kzalloc(PAT_SECTORS << SECTOR_SHIFT, GFP_KERNEL);
	if (!EXPECT(t, td && buf && back))
		goto out;
	for (off = 0; off < PAT_SECTORS << SECTOR_SHIFT; off++)
		buf[off] = pattern(off >> SECTOR_SHIFT, off & 511);

	/* Writes of 1 to 64 sectors in up to 12 segments... */
	for (off = 0, i = 0; off < PAT_SECTORS; i++) {
		unsigned int n = min_t(unsigned int, 1 + (i * 13) % 64,
				       PAT_SECTORS - off);

		nr = cut(buf + (off << SECTOR_SHIFT), n << SECTOR_SHIFT, segs,
			 1 + i % 12);
		err = submit_sync(td->disk, DDE_BLK_WRITE, 0, off, segs, nr, 0);
		if (!EXPECT(t, !err, "write at %u: %d", off, err))
			goto out;
		off += n;
	}
	for (off = 0; off < PAT_SECTORS << SECTOR_SHIFT; off++)
		bad += td->data[off] != buf[off];
	EXPECT(t, !bad, "%u bytes on the disk differ", bad);

	/* ...read back cut differently. */
	for (off = 0, i = 0; off < PAT_SECTORS; i++) {
		unsigned int n = min_t(unsigned int, 1 + (i * 29) % 100,
				       PAT_SECTORS - off);

		nr = cut(back + (off << SECTOR_SHIFT), n << SECTOR_SHIFT, segs,
			 16 - i % 16);
		err = submit_sync(td->disk, DDE_BLK_READ, 0, off, segs, nr, 0);
		if (!EXPECT(t, !err, "read at %u: %d", off, err))
			goto out;
		off += n;
	}
	bad = 0;
	for (off = 0; off < PAT_SECTORS << SECTOR_SHIFT; off++)
		bad += back[off] != buf[off];
	EXPECT(t, !bad, "%u bytes read back differ", bad);
	EXPECT(t, !atomic_read(&td->wrong_bytes),
	       "%d requests mapped to a scatterlist of the wrong length",
	       atomic_read(&td->wrong_bytes));
out:
	kfree(back);
	kfree(buf);
	if (td)
		td_destroy(t, td);
}

static void write_read_pattern_inline(struct ddeos_ktest *t)
{
	write_then_read(t, TD_INLINE);
}

static void write_read_pattern_timer(struct ddeos_ktest *t)
{
	write_then_read(t, TD_TIMER);
}

/* A segment spanning pages, cut at max_segment_size into several sg
 * entries, and discard/write-zeroes without data. */
static void long_segment_and_zeroing(struct ddeos_ktest *t)
{
	struct td_params p = { .nr_hw_queues = 1, .depth = 4, .sectors = 256,
			       .mode = TD_INLINE, .discard = true };
	struct dde_blk_seg seg;
	unsigned int i, bad = 0;
	struct tdisk *td;
	u8 *buf;
	int err;

	td = td_create(t, &p);
	buf = (void *)__get_free_pages(GFP_KERNEL, 4);	/* 64 KiB */
	if (!EXPECT(t, td && buf))
		goto out;
	blk_queue_max_segment_size(td->disk->queue, PAGE_SIZE);
	for (i = 0; i < 65536; i++)
		buf[i] = pattern(i >> 9, i);
	seg.addr = buf;
	seg.len = 65536;	/* 16 sg entries of a page: chained */
	err = submit_sync(td->disk, DDE_BLK_WRITE, 0, 8, &seg, 1, 0);
	EXPECT(t, !err, "write: %d", err);
	for (i = 0; i < 65536; i++)
		bad += td->data[(8 << 9) + i] != buf[i];
	EXPECT(t, !bad, "%u bytes differ", bad);
	EXPECT(t, !atomic_read(&td->wrong_bytes));

	err = submit_sync(td->disk, DDE_BLK_DISCARD, 0, 8, NULL, 0, 4096);
	EXPECT(t, !err, "discard: %d", err);
	err = submit_sync(td->disk, DDE_BLK_WRITE_ZEROES, 0, 16, NULL, 0, 8192);
	EXPECT(t, !err, "write zeroes: %d", err);
	bad = 0;
	for (i = 0; i < 12288; i++)
		bad += td->data[(8 << 9) + i] != 0;
	EXPECT(t, !bad, "%u bytes not zeroed", bad);
	EXPECT(t, td->data[(8 << 9) + 12288] == buf[12288]);
out:
	if (buf)
		free_pages((unsigned long)buf, 4);
	if (td)
		td_destroy(t, td);
}

/* Each CPU's requests reach the queue the driver's map_queues chose. */
static void every_cpu_lands_on_its_mapped_queue(struct ddeos_ktest *t)
{
	struct td_params p = { .nr_hw_queues = min(num_online_cpus(), 3U),
			       .depth = 8, .sectors = 64, .mode = TD_INLINE,
			       .reverse_map = true };
	unsigned int cpu, n = p.nr_hw_queues;
	struct tdisk *td = td_create(t, &p);
	struct dde_blk_seg seg;
	u8 *buf;
	int err;

	buf = kmalloc(4096, GFP_KERNEL);
	if (!EXPECT(t, td && buf))
		goto out;
	for_each_online_cpu(cpu)
		EXPECT(t, td->set.map[0].mq_map[cpu] == n - 1 - cpu % n,
		       "cpu %u mapped to %u", cpu, td->set.map[0].mq_map[cpu]);
	for_each_online_cpu(cpu) {
		int i;

		ddeos_thread_pin(cpu);
		for (i = 0; i < 4; i++) {
			seg.addr = buf;
			seg.len = 4096;
			err = submit_sync(td->disk, i & 1 ? DDE_BLK_READ :
					  DDE_BLK_WRITE, 0, 8 * i, &seg, 1, 0);
			EXPECT(t, !err, "cpu %u: %d", cpu, err);
		}
		EXPECT(t, atomic_read(&td->per_cpu_seen[cpu]) == 4,
		       "cpu %u: driver saw %d of 4", cpu,
		       atomic_read(&td->per_cpu_seen[cpu]));
	}
	ddeos_thread_pin(-1);
	EXPECT(t, !atomic_read(&td->wrong_hctx),
	       "%d requests on a queue not mapped to their CPU",
	       atomic_read(&td->wrong_hctx));
out:
	kfree(buf);
	if (td)
		td_destroy(t, td);
}

/*
 * Completions from a hard IRQ on another CPU of requests submitted on CPU
 * 0: the driver's complete op runs where Linux would run it
 * (dde/block/blk-mq.c). @same_comp: leave QUEUE_FLAG_SAME_COMP set (the
 * default) and make sure the two CPUs count as not sharing a cache
 * (QUEUE_FLAG_SAME_FORCE if they do), or clear it.
 */
static void completion_from_hard_irq(struct ddeos_ktest *t, unsigned int queues,
				     bool same_comp)
{
	struct td_params p = { .nr_hw_queues = queues, .depth = 8,
			       .sectors = 128, .mode = TD_IRQ };
	struct tdisk *td = td_create(t, &p);
	unsigned int i, n, irq_cpu = td_other_cpu();
	struct dde_blk_seg seg;
	struct one o[32];
	struct batch b;
	u8 *buf;
	int err;

	buf = kzalloc(4096, GFP_KERNEL);
	if (!EXPECT(t, td && buf))
		goto out;
	if (!same_comp)
		blk_queue_flag_clear(QUEUE_FLAG_SAME_COMP, td->disk->queue);
	else if (!EXPECT(t, test_bit(QUEUE_FLAG_SAME_COMP, &td->disk->queue->queue_flags),
			 "QUEUE_FLAG_SAME_COMP is not set by default"))
		goto out;
	else if (cpus_share_cache(0, irq_cpu))
		blk_queue_flag_set(QUEUE_FLAG_SAME_FORCE, td->disk->queue);
	batch_init(&b, ARRAY_SIZE(o));
	ddeos_thread_pin(0);
	for (i = 0; i < ARRAY_SIZE(o); i++) {
		o[i].b = &b;
		o[i].idx = i;
		seg.addr = buf;
		seg.len = 4096;
		err = dde_blk_submit(td->disk, DDE_BLK_READ, 0, 8 * (i % 16),
				     &seg, 1, 0, batch_done, &o[i]);
		if (!EXPECT(t, !err, "submit %u: %d", i, err))
			batch_done(&o[i], err);
	}
	ddeos_thread_pin(-1);
	if (!batch_wait(t, &b))
		goto out;
	EXPECT(t, !atomic_read(&b.errors));
	n = ARRAY_SIZE(o);
	if (queues == 1 && same_comp && irq_cpu != 0) {
		/* Moved to the submitting CPU: an IPI, then its softirq. */
		EXPECT(t, atomic_read(&td->complete_on[0]) == n,
		       "%d of %u completed on the submitting CPU 0 (%d on the "
		       "IRQ's CPU %u)", atomic_read(&td->complete_on[0]), n,
		       atomic_read(&td->complete_on[irq_cpu]), irq_cpu);
		EXPECT(t, atomic_read(&td->complete_softirq) == n,
		       "%d in softirq, %d in hard IRQ, %d elsewhere",
		       atomic_read(&td->complete_softirq),
		       atomic_read(&td->complete_hardirq),
		       atomic_read(&td->complete_other));
		goto out;
	}
	EXPECT(t, !atomic_read(&td->complete_moved),
	       "%d completions moved off the completing CPU",
	       atomic_read(&td->complete_moved));
	if (queues == 1 && num_possible_cpus() > 1)
		/* One queue shared by CPUs: Linux completes in BLOCK_SOFTIRQ. */
		EXPECT(t, atomic_read(&td->complete_softirq) == n,
		       "%d in softirq, %d in hard IRQ, %d elsewhere",
		       atomic_read(&td->complete_softirq),
		       atomic_read(&td->complete_hardirq),
		       atomic_read(&td->complete_other));
	else
		/* A queue per CPU (or one CPU): directly, in the IRQ. */
		EXPECT(t, atomic_read(&td->complete_hardirq) == n,
		       "%d in hard IRQ, %d in softirq, %d elsewhere",
		       atomic_read(&td->complete_hardirq),
		       atomic_read(&td->complete_softirq),
		       atomic_read(&td->complete_other));
out:
	kfree(buf);
	if (td)
		td_destroy(t, td);
}

static void irq_completion_one_queue_in_softirq(struct ddeos_ktest *t)
{
	completion_from_hard_irq(t, 1, false);
}

/* QUEUE_FLAG_SAME_COMP, CPUs in different cache domains: the completion
 * runs on the CPU that submitted. */
static void irq_completion_same_comp_on_submitter(struct ddeos_ktest *t)
{
	if (num_online_cpus() < 2) {
		t->skip = "one CPU";
		return;
	}
	completion_from_hard_irq(t, 1, true);
}

static void irq_completion_queue_per_cpu_direct(struct ddeos_ktest *t)
{
	completion_from_hard_irq(t, num_online_cpus(), true);
}

/* @n single-sector writes, sector i gets pattern i, each ended once. */
static void many_writes(struct ddeos_ktest *t, struct tdisk *td, unsigned int n)
{
	struct dde_blk_seg seg;
	struct one *o;
	struct batch b;
	unsigned int i, bad = 0, twice = 0;
	u8 *buf;
	int err;

	o = kcalloc(n, sizeof(*o), GFP_KERNEL);
	buf = kmalloc(n * 512, GFP_KERNEL);
	batch_init(&b, n);
	b.done_count = kcalloc(n, sizeof(atomic_t), GFP_KERNEL);
	if (!EXPECT(t, o && buf && b.done_count))
		goto out;
	for (i = 0; i < n * 512; i++)
		buf[i] = pattern(i / 512, i % 512);
	for (i = 0; i < n; i++) {
		o[i].b = &b;
		o[i].idx = i;
		seg.addr = buf + i * 512;
		seg.len = 512;
		err = dde_blk_submit(td->disk, DDE_BLK_WRITE, 0, i, &seg, 1, 0,
				     batch_done, &o[i]);
		if (!EXPECT(t, !err, "submit %u: %d", i, err))
			batch_done(&o[i], err);
	}
	if (!batch_wait(t, &b))
		goto out;
	EXPECT(t, !atomic_read(&b.errors), "%d errors, last %d",
	       atomic_read(&b.errors), b.last_error);
	for (i = 0; i < n; i++)
		twice += atomic_read(&b.done_count[i]) != 1;
	EXPECT(t, !twice, "%u requests not ended exactly once", twice);
	EXPECT(t, atomic_read(&td->accepted) == n,
	       "driver accepted %d requests for %u", atomic_read(&td->accepted), n);
	for (i = 0; i < n * 512; i++)
		bad += td->data[i] != buf[i];
	EXPECT(t, !bad, "%u bytes differ", bad);
out:
	kfree(b.done_count);
	kfree(buf);
	kfree(o);
}

/* A driver that answers busy: @busy_every-th calls say BLK_STS_RESOURCE
 * before starting the request; with @ring, a full "ring" makes it answer
 * BLK_STS_DEV_RESOURCE after starting it, stopping the queue unless
 * @nostop (it restarts the queue when it completes some, as virtio_blk
 * does). 300 writes must each reach the driver and end exactly once. */
static void busy_driver(struct ddeos_ktest *t, enum td_mode mode,
			int busy_every, unsigned int ring, bool nostop)
{
	struct td_params p = { .nr_hw_queues = 1, .depth = 16, .sectors = 512,
			       .mode = mode };
	struct tdisk *td = td_create(t, &p);

	if (!EXPECT(t, td))
		return;
	td->busy_every = busy_every;
	td->ring = ring;
	td->ring_nostop = nostop;
	many_writes(t, td, 300);
	EXPECT(t, atomic_read(&td->busy) + atomic_read(&td->stops) > 0,
	       "queue_rq never said busy");
	td_destroy(t, td);
}

static void busy_resource_is_retried(struct ddeos_ktest *t)
{
	busy_driver(t, TD_TIMER, 3, 0, false);
}

static void dev_resource_stopped_queue_restarts(struct ddeos_ktest *t)
{
	busy_driver(t, TD_IRQ, 0, 3, false);
}

/* Without a stopped queue only the restart on completion (Linux's
 * SCHED_RESTART) brings the requests back. */
static void dev_resource_rerun_on_completion(struct ddeos_ktest *t)
{
	busy_driver(t, TD_TIMER, 0, 2, true);
}

/* A completion callback submitting the next request: in hard IRQ, under
 * the driver's lock (a queue per CPU completes directly there), the new
 * request must not be issued into the driver from that context. */
struct chain {
	struct tdisk *td;
	struct dde_blk_seg seg;
	int left, errors;
	bool in_irq_seen;
	struct completion done;
};

static void chain_next(void *ctx, int error)
{
	struct chain *c = ctx;

	if (in_hardirq())
		c->in_irq_seen = true;
	if (error)
		c->errors++;
	if (!--c->left) {
		complete(&c->done);
		return;
	}
	error = dde_blk_submit(c->td->disk, DDE_BLK_WRITE, DDE_BLK_NOWAIT,
			       c->left * 8, &c->seg, 1, 0, chain_next, c);
	if (error) {
		c->errors++;
		complete(&c->done);
	}
}

static void callback_resubmits_from_irq(struct ddeos_ktest *t)
{
	struct td_params p = { .nr_hw_queues = num_online_cpus(), .depth = 4,
			       .sectors = 256, .mode = TD_IRQ };
	struct tdisk *td = td_create(t, &p);
	struct chain c = { .td = td, .left = 30 };
	u8 *buf = kzalloc(4096, GFP_KERNEL);
	int err;

	if (!EXPECT(t, td && buf))
		goto out;
	init_completion(&c.done);
	c.seg.addr = buf;
	c.seg.len = 4096;
	err = dde_blk_submit(td->disk, DDE_BLK_WRITE, 0, 0, &c.seg, 1, 0,
			     chain_next, &c);
	EXPECT(t, !err, "%d", err);
	if (!err)
		EXPECT(t, wait_for_completion_timeout(&c.done, PATIENCE),
		       "%d left", c.left);
	EXPECT(t, !c.errors && !c.left, "%d errors, %d left", c.errors, c.left);
	EXPECT(t, atomic_read(&td->accepted) == 30);
	if (num_online_cpus() > 1)
		EXPECT(t, c.in_irq_seen, "no callback ran in hard IRQ");
out:
	kfree(buf);
	if (td)
		td_destroy(t, td);
}

struct storm {
	struct tdisk *td;
	struct completion go;
	atomic_t errors;
	unsigned int cpu;
};

static int storm_thread(void *arg)
{
	struct storm *s = arg;
	u8 *buf = kmalloc(4096, GFP_KERNEL);
	struct dde_blk_seg seg = { .addr = buf, .len = 4096 };
	int i, err;

	wait_for_completion(&s->go);
	for (i = 0; i < 40 && buf; i++) {
		err = submit_sync(s->td->disk, i & 1 ? DDE_BLK_READ :
				  DDE_BLK_WRITE, 0, 8 * (s->cpu % 8), &seg, 1, 0);
		if (err)
			atomic_inc(&s->errors);
	}
	kfree(buf);
	return buf ? 0 : -ENOMEM;
}

/* Never more requests in the driver than queue_depth; a full queue makes
 * DDE_BLK_NOWAIT fail and sleepers wait; every tag is free at the end. */
static void tags_bounded_by_queue_depth(struct ddeos_ktest *t)
{
	struct td_params p = { .nr_hw_queues = 1, .depth = 4, .sectors = 64,
			       .mode = TD_HOLD };
	struct tdisk *td = td_create(t, &p);
	unsigned int i, ncpus = num_online_cpus();
	struct storm *s = kcalloc(ncpus, sizeof(*s), GFP_KERNEL);
	void **th = kcalloc(ncpus, sizeof(*th), GFP_KERNEL);
	struct dde_blk_seg seg;
	struct one o[5];
	struct batch b;
	u8 *buf;
	int err;

	buf = kzalloc(4096, GFP_KERNEL);
	if (!EXPECT(t, td && buf && s && th))
		goto out;
	seg.addr = buf;
	seg.len = 4096;
	batch_init(&b, 4);
	for (i = 0; i < 5; i++) {
		o[i].b = &b;
		o[i].idx = i;
		err = dde_blk_submit(td->disk, DDE_BLK_READ, DDE_BLK_NOWAIT, 0,
				     &seg, 1, 0, batch_done, &o[i]);
		EXPECT(t, err == (i < 4 ? 0 : -EAGAIN), "request %u: %d", i, err);
	}
	EXPECT(t, atomic_read(&td->in_flight) == 4);
	td_complete_pending(td);
	batch_wait(t, &b);

	/* Every CPU at once, completions from a timer, 4 tags. */
	td->mode = TD_TIMER;
	for (i = 0; i < ncpus; i++) {
		s[i].td = td;
		s[i].cpu = i;
		atomic_set(&s[i].errors, 0);
		init_completion(&s[i].go);
		th[i] = ddeos_thread_create("blk-storm", storm_thread, &s[i], i, 4);
		EXPECT(t, th[i]);
	}
	for (i = 0; i < ncpus; i++)
		if (th[i])
			complete(&s[i].go);
	for (i = 0; i < ncpus; i++) {
		if (!th[i])
			continue;
		EXPECT(t, ddeos_thread_join(th[i]) == 0);
		EXPECT(t, !atomic_read(&s[i].errors), "cpu %u: %d errors", i,
		       atomic_read(&s[i].errors));
	}
	EXPECT(t, atomic_read(&td->max_in_flight) <= 4,
	       "%d requests in the driver at once", atomic_read(&td->max_in_flight));
	EXPECT(t, atomic_read(&td->accepted) == 4 + ncpus * 40);
out:
	kfree(th);
	kfree(s);
	kfree(buf);
	if (td)
		td_destroy(t, td);	/* checks that every tag is free */
}

/* Requests that do not fit the disk never reach the driver. */
static void bad_requests_refused_before_driver(struct ddeos_ktest *t)
{
	struct td_params p = { .nr_hw_queues = 1, .depth = 4, .sectors = 256,
			       .lbs = 4096, .max_segments = 4,
			       .max_hw_sectors = 64, .mode = TD_INLINE };
	struct td_params pro = { .nr_hw_queues = 1, .depth = 4, .sectors = 64,
				 .ro = true, .mode = TD_INLINE };
	struct tdisk *td = td_create(t, &p), *ro = td_create(t, &pro);
	struct dde_blk_seg seg, five[5];
	u8 on_stack[1024];
	struct gendisk *d;
	unsigned int i;
	u8 *buf;

	buf = (void *)__get_free_pages(GFP_KERNEL, 4);
	if (!EXPECT(t, td && ro && buf))
		goto out;
	d = td->disk;
	seg.addr = buf;
	seg.len = 4096;
	EXPECT(t, submit_sync(d, DDE_BLK_READ, 0, 256, &seg, 1, 0) == -EINVAL,
	       "at the capacity");
	seg.len = 8192;
	EXPECT(t, submit_sync(d, DDE_BLK_READ, 0, 248, &seg, 1, 0) == -EINVAL,
	       "across the end");
	seg.len = 4096;
	EXPECT(t, submit_sync(d, DDE_BLK_READ, 0, 1, &seg, 1, 0) == -EINVAL,
	       "not on a logical block");
	seg.len = 512;
	EXPECT(t, submit_sync(d, DDE_BLK_READ, 0, 0, &seg, 1, 0) == -EINVAL,
	       "part of a logical block");
	seg.addr = buf + 8;
	seg.len = 4096;
	EXPECT(t, submit_sync(d, DDE_BLK_READ, 0, 0, &seg, 1, 0) == -EINVAL,
	       "buffer not DMA-aligned");
	EXPECT(t, submit_sync(d, DDE_BLK_READ, 0, 0, NULL, 0, 0) == -EINVAL,
	       "no data");
	for (i = 0; i < 5; i++) {
		five[i].addr = buf + i * 8192;	/* not contiguous: 5 segments */
		five[i].len = 4096;
	}
	EXPECT(t, submit_sync(d, DDE_BLK_WRITE, 0, 0, five, 5, 0) == -EINVAL,
	       "more segments than max_segments");
	seg.addr = buf;
	seg.len = 65536 - 4096 + 8192;	/* 72 sectors > max_sectors 64 */
	EXPECT(t, submit_sync(d, DDE_BLK_WRITE, 0, 0, &seg, 1, 0) == -EINVAL,
	       "longer than max_sectors");
	EXPECT(t, submit_sync(d, DDE_BLK_DISCARD, 0, 0, NULL, 0, 4096) ==
	       -EOPNOTSUPP, "discard without discard support");
	EXPECT(t, submit_sync(d, 77, 0, 0, NULL, 0, 0) == -EINVAL, "bad op");
	EXPECT(t, !atomic_read(&td->calls), "the driver saw %d bad requests",
	       atomic_read(&td->calls));

	/* No write cache: a flush ends at once, without the driver. */
	EXPECT(t, submit_sync(d, DDE_BLK_FLUSH, 0, 0, NULL, 0, 0) == 0);
	EXPECT(t, !atomic_read(&td->calls));

	seg.addr = buf;
	seg.len = 4096;
	EXPECT(t, submit_sync(d, DDE_BLK_WRITE, 0, 248, &seg, 1, 0) == 0,
	       "the last block");
	EXPECT(t, atomic_read(&td->calls) == 1);

	seg.len = 512;
	EXPECT(t, submit_sync(ro->disk, DDE_BLK_WRITE, 0, 0, &seg, 1, 0) ==
	       -EROFS, "write to a read-only disk");
	EXPECT(t, submit_sync(ro->disk, DDE_BLK_READ, 0, 0, &seg, 1, 0) == 0,
	       "read from a read-only disk");
	EXPECT(t, atomic_read(&ro->calls) == 1);
	seg.addr = PTR_ALIGN(&on_stack[0], 512);	/* not in the direct map */
	EXPECT(t, submit_sync(ro->disk, DDE_BLK_READ, 0, 0, &seg, 1, 0) ==
	       -EINVAL, "stack buffer");
	EXPECT(t, atomic_read(&ro->calls) == 1);
out:
	if (buf)
		free_pages((unsigned long)buf, 4);
	if (ro)
		td_destroy(t, ro);
	if (td)
		td_destroy(t, td);
}

/* ---- disk events ----------------------------------------------------- */

static struct {
	struct gendisk *disk;
	int added, removed, changed;
	sector_t sectors;
} ev_seen;

static void ev_added(struct gendisk *disk)
{
	if (!strncmp(disk->disk_name, "tblk", 4)) {
		ev_seen.disk = disk;
		ev_seen.added++;
	}
}

static void ev_removed(struct gendisk *disk)
{
	if (disk == ev_seen.disk)
		ev_seen.removed++;
}

static void ev_capacity(struct gendisk *disk, sector_t sectors)
{
	if (disk == ev_seen.disk) {
		ev_seen.changed++;
		ev_seen.sectors = sectors;
	}
}

static const struct dde_blk_events ev_listener = {
	.added = ev_added,
	.removed = ev_removed,
	.capacity_changed = ev_capacity,
};

/* Added, resized and removed disks are reported; a new capacity is the
 * one requests are checked against. */
static void capacity_change_reported(struct ddeos_ktest *t)
{
	struct td_params p = { .nr_hw_queues = 1, .depth = 4, .sectors = 256,
			       .mode = TD_INLINE };
	struct dde_blk_info info;
	struct dde_blk_seg seg;
	struct tdisk *td;
	u8 *buf;

	memset(&ev_seen, 0, sizeof(ev_seen));
	dde_blk_set_events(&ev_listener);
	td = td_create(t, &p);
	buf = kzalloc(4096, GFP_KERNEL);
	if (!EXPECT(t, td && buf))
		goto out;
	EXPECT(t, ev_seen.added == 1 && ev_seen.disk == td->disk,
	       "added %d times", ev_seen.added);
	seg.addr = buf;
	seg.len = 4096;
	EXPECT(t, submit_sync(td->disk, DDE_BLK_READ, 0, 256, &seg, 1, 0) ==
	       -EINVAL);

	/* The device grew: virtio_blk's config-change work does this. */
	EXPECT(t, !set_capacity_and_notify(td->disk, 256), "no change");
	EXPECT(t, ev_seen.changed == 0);
	td->sectors = 128;	/* the RAM behind stays 256 sectors */
	EXPECT(t, set_capacity_and_notify(td->disk, 128));
	EXPECT(t, ev_seen.changed == 1 && ev_seen.sectors == 128,
	       "changed %d times, to %llu", ev_seen.changed,
	       (unsigned long long)ev_seen.sectors);
	dde_blk_get_info(td->disk, &info);
	EXPECT(t, info.capacity == 128);
	EXPECT(t, !strcmp(info.name, td->disk->disk_name));
	EXPECT(t, submit_sync(td->disk, DDE_BLK_READ, 0, 128, &seg, 1, 0) ==
	       -EINVAL, "beyond the new end");
	EXPECT(t, submit_sync(td->disk, DDE_BLK_READ, 0, 120, &seg, 1, 0) == 0);
out:
	kfree(buf);
	if (td) {
		td_destroy(t, td);
		EXPECT(t, ev_seen.removed == 1, "removed %d times",
		       ev_seen.removed);
	}
	dde_blk_set_events(NULL);
}

/* FLUSH and FUA reach the driver as Linux's flush machinery sends them. */
static void flush_and_fua_reach_driver(struct ddeos_ktest *t)
{
	struct td_params p = { .nr_hw_queues = 1, .depth = 4, .sectors = 64,
			       .mode = TD_TIMER, .wc = true, .fua = true };
	struct td_params pnofua = p;
	struct tdisk *td = td_create(t, &p), *nofua;
	struct dde_blk_seg seg;
	u8 *buf;

	pnofua.fua = false;
	nofua = td_create(t, &pnofua);
	buf = kmalloc(4096, GFP_KERNEL);
	if (!EXPECT(t, td && nofua && buf))
		goto out;
	memset(buf, 0x5a, 4096);
	seg.addr = buf;
	seg.len = 4096;

	/* A write cache with FUA: both reach the driver as such. */
	EXPECT(t, submit_sync(td->disk, DDE_BLK_WRITE, DDE_BLK_FUA, 0, &seg, 1, 0) == 0);
	EXPECT(t, atomic_read(&td->fuas) == 1 && atomic_read(&td->writes) == 1);
	EXPECT(t, submit_sync(td->disk, DDE_BLK_FLUSH, 0, 0, NULL, 0, 0) == 0);
	EXPECT(t, atomic_read(&td->flushes) == 1);
	EXPECT(t, submit_sync(td->disk, DDE_BLK_WRITE, 0, 8, &seg, 1, 0) == 0);
	EXPECT(t, atomic_read(&td->fuas) == 1 && atomic_read(&td->writes) == 2);

	/* A write cache without FUA: the write, then a flush, then done. */
	EXPECT(t, submit_sync(nofua->disk, DDE_BLK_WRITE, DDE_BLK_FUA, 0, &seg,
			      1, 0) == 0);
	EXPECT(t, atomic_read(&nofua->writes) == 1);
	EXPECT(t, atomic_read(&nofua->flushes) == 1, "%d flushes",
	       atomic_read(&nofua->flushes));
	EXPECT(t, atomic_read(&nofua->fuas) == 0);
	EXPECT(t, nofua->data[4095] == 0x5a);
out:
	kfree(buf);
	if (nofua)
		td_destroy(t, nofua);
	if (td)
		td_destroy(t, td);
}

/* virtio_blk's get-id: a driver-private request, mapped and executed. */
static void driver_private_request_executes(struct ddeos_ktest *t)
{
	struct td_params p = { .nr_hw_queues = 1, .depth = 2, .sectors = 64,
			       .mode = TD_IRQ };
	struct tdisk *td = td_create(t, &p);
	struct request *rq;
	blk_status_t st;
	char *id;
	int err;

	id = kzalloc(32, GFP_KERNEL);
	if (!EXPECT(t, td && id))
		goto out;
	rq = blk_mq_alloc_request(td->disk->queue, REQ_OP_DRV_IN, 0);
	if (!EXPECT(t, !IS_ERR(rq), "%ld", PTR_ERR(rq)))
		goto out;
	err = blk_rq_map_kern(td->disk->queue, rq, id, 20, GFP_KERNEL);
	EXPECT(t, !err, "map: %d", err);
	EXPECT(t, blk_rq_bytes(rq) == 20 && blk_rq_nr_phys_segments(rq) == 1);
	st = blk_execute_rq(rq, false);
	EXPECT(t, st == BLK_STS_OK && blk_status_to_errno(st) == 0);
	blk_mq_free_request(rq);
	EXPECT(t, !strcmp(id, TD_SERIAL), "id '%s'", id);
	EXPECT(t, blk_status_to_errno(BLK_STS_RESOURCE) == -ENOMEM &&
	       blk_status_to_errno(BLK_STS_IOERR) == -EIO);
out:
	kfree(id);
	if (td)
		td_destroy(t, td);
}

static const struct ddeos_ktest_case linux_blk_mq_cases[] = {
	{ "write_read_pattern_inline", write_read_pattern_inline },
	{ "write_read_pattern_timer", write_read_pattern_timer },
	{ "long_segment_and_zeroing", long_segment_and_zeroing },
	{ "every_cpu_lands_on_its_mapped_queue", every_cpu_lands_on_its_mapped_queue },
	{ "irq_completion_one_queue_in_softirq", irq_completion_one_queue_in_softirq },
	{ "irq_completion_same_comp_on_submitter", irq_completion_same_comp_on_submitter },
	{ "irq_completion_queue_per_cpu_direct", irq_completion_queue_per_cpu_direct },
	{ "busy_resource_is_retried", busy_resource_is_retried },
	{ "dev_resource_stopped_queue_restarts", dev_resource_stopped_queue_restarts },
	{ "dev_resource_rerun_on_completion", dev_resource_rerun_on_completion },
	{ "callback_resubmits_from_irq", callback_resubmits_from_irq },
	{ "tags_bounded_by_queue_depth", tags_bounded_by_queue_depth },
	{ "bad_requests_refused_before_driver", bad_requests_refused_before_driver },
	{ "capacity_change_reported", capacity_change_reported },
	{ "flush_and_fua_reach_driver", flush_and_fua_reach_driver },
	{ "driver_private_request_executes", driver_private_request_executes },
};

LINUX_KTEST_SUITE(linux_blk_mq, linux_blk_mq_cases);
