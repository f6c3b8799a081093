// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkbench (app=blkbench): fio-like load on one disk through the block API.
 * One thread pinned to each of the first .cpus CPUs keeps .qd requests of
 * .bs bytes in flight for .seconds, then one line sums it up:
 *
 *   blkbench: rw=randread bs=4096 qd=1 cpus=2 ios=N iops=N mib_s=N
 *             lat_p50_us=N lat_p99_us=N errors=N
 *
 * (on one line). Options and defaults are in docs/options.md.
 *
 * Design: everything is per worker, nothing shared on the I/O path. A
 * request's callback (any CPU, IRQ or softirq context) only records the
 * latency in its worker's histogram, marks its slot done and signals the
 * worker's counting completion; the worker thread resubmits, so requests
 * are never issued from IRQ context (which the DDE would defer to kblockd).
 */
#include <ddeos/app.h>
#include <ddeos/block.h>
#include <ddeos/cmdline.h>
#include <ddeos/console.h>
#include <ddeos/errno.h>
#include <ddeos/mutex.h>
#include <ddeos/page_alloc.h>
#include <ddeos/percpu.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>
#include <ddeos/string.h>
#include <ddeos/timer.h>

#define BLKBENCH_MAX_QD		256
#define BLKBENCH_MAX_BS		(1u << 20)
/*
 * Latency histogram in microseconds: exact below 64 us, then 32 buckets
 * per power of two (3% resolution) up to 2^30 us: enough for p99 on a
 * loaded TCG host without a per-I/O sample array.
 */
#define HIST_LINEAR	64
#define HIST_SUB	32
#define HIST_BUCKETS	(HIST_LINEAR + (30 - 6 + 1) * HIST_SUB)

enum blkbench_rw { RW_RANDREAD, RW_RANDWRITE, RW_READ, RW_WRITE, RW_RANDRW };
static const char *const rw_names[] = {
	[RW_RANDREAD] = "randread", [RW_RANDWRITE] = "randwrite",
	[RW_READ] = "read", [RW_WRITE] = "write", [RW_RANDRW] = "randrw",
};

static struct {
	unsigned int rw;
	uint64_t bs, qd, cpus, seconds;
	char disk[32];
	bool bad;	/* an option had a bad value: do not run */
} opt = { RW_RANDREAD, 4096, 1, 0, 5, "vda", false };

struct slot {
	struct block_req rq;
	struct block_seg seg;
	struct worker *w;
	uint64_t start_ns;
	bool done;		/* set by the callback (release), cleared by the worker */
};

struct worker {
	struct block_disk *disk;
	unsigned int cpu;
	uint64_t first_sector, sectors;	/* the worker's region */
	uint64_t next;			/* sequential position in it */
	uint64_t rand;
	struct completion ended;	/* one signal per finished request */
	uint64_t ios, errors;		/* callback's (one worker: no race with
					 * other workers; atomics for the IRQ) */
	uint64_t start_ns, end_ns;
	struct slot slots[BLKBENCH_MAX_QD];
	uint32_t hist[HIST_BUCKETS];
};

static unsigned int hist_index(uint64_t us)
{
	unsigned int e;

	if (us < HIST_LINEAR)
		return (unsigned int)us;
	e = 63 - (unsigned int)__builtin_clzll(us);
	if (e > 30)
		return HIST_BUCKETS - 1;
	return HIST_LINEAR + (e - 6) * HIST_SUB + (unsigned int)((us >> (e - 5)) & (HIST_SUB - 1));
}

static uint64_t hist_value(unsigned int i)
{
	unsigned int e;

	if (i < HIST_LINEAR)
		return i;
	e = (i - HIST_LINEAR) / HIST_SUB + 6;
	return ((uint64_t)HIST_SUB + (i - HIST_LINEAR) % HIST_SUB) << (e - 5);
}

static uint64_t worker_rand(struct worker *w)
{
	w->rand ^= w->rand << 13;
	w->rand ^= w->rand >> 7;
	w->rand ^= w->rand << 17;
	return w->rand;
}

/* Context: any (the driver's completion). */
static void blkbench_done(struct block_req *rq, int error)
{
	struct slot *s = rq->priv;
	struct worker *w = s->w;
	uint64_t us = (clock_ns() - s->start_ns) / 1000;

	__atomic_add_fetch(&w->hist[hist_index(us)], 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(error ? &w->errors : &w->ios, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&s->done, true, __ATOMIC_RELEASE);
	completion_signal(&w->ended);
}

static int slot_submit(struct worker *w, struct slot *s)
{
	uint64_t bs_sectors = opt.bs / BLOCK_SECTOR_SIZE;
	uint64_t blocks = w->sectors / bs_sectors, sector;
	bool write;
	int err;

	switch (opt.rw) {
	case RW_READ:
	case RW_WRITE:
		sector = w->first_sector + w->next * bs_sectors;
		w->next = (w->next + 1) % blocks;
		break;
	default:
		sector = w->first_sector + (worker_rand(w) % blocks) * bs_sectors;
		break;
	}
	write = opt.rw == RW_WRITE || opt.rw == RW_RANDWRITE ||
		(opt.rw == RW_RANDRW && (worker_rand(w) & 1));
	s->rq.op = write ? BLOCK_WRITE : BLOCK_READ;
	s->rq.sector = sector;
	s->done = false;
	s->start_ns = clock_ns();
	err = block_submit(w->disk, &s->rq);
	if (err)
		w->errors++;
	return err;
}

static int worker_run(void *arg)
{
	struct worker *w = arg;
	uint64_t deadline;
	unsigned int inflight = 0;

	w->start_ns = clock_ns();
	deadline = w->start_ns + opt.seconds * 1000000000ull;
	for (unsigned int i = 0; i < opt.qd; i++)
		if (!slot_submit(w, &w->slots[i]))
			inflight++;
	while (inflight) {
		completion_wait(&w->ended, 0);
		for (unsigned int i = 0; i < opt.qd; i++) {
			struct slot *s = &w->slots[i];

			if (!__atomic_load_n(&s->done, __ATOMIC_ACQUIRE))
				continue;
			inflight--;
			if (clock_ns() < deadline && !slot_submit(w, s))
				inflight++;
			else
				s->done = false;	/* parked */
			break;	/* one signal, one slot */
		}
	}
	w->end_ns = clock_ns();
	return 0;
}

static struct worker *worker_alloc(unsigned int *order)
{
	*order = 0;
	while ((4096ull << *order) < sizeof(struct worker))
		(*order)++;
	return page_alloc_zeroed(*order);
}

static unsigned int buf_order(void)
{
	unsigned int o = 0;

	while ((4096ull << o) < opt.bs)
		o++;
	return o;
}

static int blkbench_main(void)
{
	struct worker *workers[MAX_CPUS] = { 0 };
	struct thread *threads[MAX_CPUS] = { 0 };
	unsigned int orders[MAX_CPUS], bo = buf_order();
	uint64_t ios = 0, errors = 0, t0 = UINT64_MAX, t1 = 0, total = 0;
	uint64_t p50 = 0, p99 = 0, seen = 0, ns, cap;
	static uint32_t hist[HIST_BUCKETS];
	struct block_disk *d = block_disk_find(opt.disk);
	struct block_info info;
	unsigned int cpus;
	int err = 0;

	if (opt.bad) {
		/* The command line already said which value was bad. */
		kprintf("blkbench: not run: an option had a bad value\n");
		return -EINVAL;
	}
	if (!d) {
		kprintf("blkbench: no disk '%s'\n", opt.disk);
		return -ENODEV;
	}
	block_disk_info(d, &info);
	cap = info.capacity;
	cpus = opt.cpus ? (unsigned int)opt.cpus : smp_cpus_online();
	if (cpus > smp_cpus_online() || opt.bs % info.logical_block_size ||
	    opt.bs / BLOCK_SECTOR_SIZE > info.max_sectors ||
	    opt.bs / BLOCK_SECTOR_SIZE * cpus > cap ||
	    ((opt.rw != RW_READ && opt.rw != RW_RANDREAD) && info.read_only)) {
		kprintf("blkbench: bs=%llu cpus=%u rw=%s do not fit %s (%u CPUs, "
			"lbs %u, max %u sectors, %llu sectors%s)\n",
			(unsigned long long)opt.bs, cpus, rw_names[opt.rw], opt.disk,
			smp_cpus_online(), info.logical_block_size, info.max_sectors,
			(unsigned long long)cap, info.read_only ? ", read-only" : "");
		return -EINVAL;
	}
	for (unsigned int c = 0; c < cpus && !err; c++) {
		struct worker *w = workers[c] = worker_alloc(&orders[c]);

		if (!w) {
			err = -ENOMEM;
			break;
		}
		w->disk = d;
		w->cpu = c;
		/* Regions split the disk between workers on bs boundaries. */
		w->sectors = cap / cpus / (opt.bs / BLOCK_SECTOR_SIZE) *
			     (opt.bs / BLOCK_SECTOR_SIZE);
		w->first_sector = w->sectors * c;
		w->rand = 0x9e3779b97f4a7c15ull * (c + 1);
		completion_init(&w->ended);
		for (unsigned int i = 0; i < opt.qd; i++) {
			struct slot *s = &w->slots[i];

			s->w = w;
			s->seg.addr = page_alloc_zeroed(bo);
			s->seg.len = (uint32_t)opt.bs;
			if (!s->seg.addr) {
				err = -ENOMEM;
				break;
			}
			s->rq = (struct block_req){ .segs = &s->seg, .nr_segs = 1,
						    .done = blkbench_done, .priv = s };
		}
	}
	for (unsigned int c = 0; c < cpus && !err; c++) {
		threads[c] = thread_create(&(struct thread_attr){
			.name = "blkbench", .prio = SCHED_PRIO_DEFAULT, .cpu = (int)c },
			worker_run, workers[c]);
		if (!threads[c])
			err = -ENOMEM;
	}
	for (unsigned int c = 0; c < cpus; c++) {
		struct worker *w = workers[c];

		if (threads[c]) {
			thread_join(threads[c]);
			ios += w->ios;
			errors += w->errors;
			t0 = MIN(t0, w->start_ns);
			t1 = MAX(t1, w->end_ns);
			for (unsigned int i = 0; i < HIST_BUCKETS; i++)
				hist[i] += w->hist[i];
		}
		if (!w)
			continue;
		for (unsigned int i = 0; i < opt.qd; i++)
			if (w->slots[i].seg.addr)
				page_free_virt(w->slots[i].seg.addr, bo);
		page_free_virt(w, orders[c]);
	}
	if (err) {
		kprintf("blkbench: setup failed: %d\n", err);
		return err;
	}
	for (unsigned int i = 0; i < HIST_BUCKETS; i++)
		total += hist[i];
	for (unsigned int i = 0; i < HIST_BUCKETS; i++) {
		seen += hist[i];
		if (!p50 && seen * 2 >= total)
			p50 = hist_value(i);
		if (seen * 100 >= total * 99) {
			p99 = hist_value(i);
			break;
		}
	}
	ns = t1 > t0 ? t1 - t0 : 1;
	kprintf("blkbench: rw=%s bs=%llu qd=%llu cpus=%u ios=%llu iops=%llu mib_s=%llu "
		"lat_p50_us=%llu lat_p99_us=%llu errors=%llu\n", rw_names[opt.rw],
		(unsigned long long)opt.bs, (unsigned long long)opt.qd, cpus,
		(unsigned long long)ios,
		(unsigned long long)(ios * 1000000000ull / ns),
		(unsigned long long)(ios * opt.bs * 1000000000ull / ns >> 20),
		(unsigned long long)p50, (unsigned long long)p99,
		(unsigned long long)errors);
	return errors || !ios ? -EIO : 0;
}
APP(blkbench, "blkbench", blkbench_main);

/* Options: a bad value keeps the app from running at all, so that no
 * result is ever printed for a configuration other than the one asked. */
static int bad_option(void)
{
	opt.bad = true;
	return -EINVAL;
}

static int rw_param(const char *value)
{
	for (unsigned int i = 0; value && i < ARRAY_SIZE(rw_names); i++) {
		if (!string_cmp(value, rw_names[i])) {
			opt.rw = i;
			return 0;
		}
	}
	return bad_option();
}
KPARAM(blkbench_rw, "blkbench.rw", rw_param);

static int bs_param(const char *value)
{
	uint64_t v;

	if (cmdline_parse_u64(value, BLKBENCH_MAX_BS, &v) || !v || v % BLOCK_SECTOR_SIZE)
		return bad_option();
	opt.bs = v;
	return 0;
}
KPARAM(blkbench_bs, "blkbench.bs", bs_param);

/* A number from 1 to @max into *@out. */
static int count_param(const char *value, uint64_t max, uint64_t *out)
{
	uint64_t v;

	if (cmdline_parse_u64(value, max, &v) || !v)
		return bad_option();
	*out = v;
	return 0;
}

static int qd_param(const char *value)
{
	return count_param(value, BLKBENCH_MAX_QD, &opt.qd);
}
KPARAM(blkbench_qd, "blkbench.qd", qd_param);

static int cpus_param(const char *value)
{
	return count_param(value, MAX_CPUS, &opt.cpus);
}
KPARAM(blkbench_cpus, "blkbench.cpus", cpus_param);

/* An hour: a benchmark, not a soak. */
static int seconds_param(const char *value)
{
	return count_param(value, 3600, &opt.seconds);
}
KPARAM(blkbench_seconds, "blkbench.seconds", seconds_param);

static int disk_param(const char *value)
{
	if (!value || !*value || string_len(value) >= sizeof(opt.disk))
		return bad_option();
	string_copy(opt.disk, value, sizeof(opt.disk));
	return 0;
}
KPARAM(blkbench_disk, "blkbench.disk", disk_param);
