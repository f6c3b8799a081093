// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkpattern (app=blkpattern): writes or verifies a sector pattern that a
 * host can check or prepare (tools/blkpattern), so that either side can be
 * the writer. Every 512-byte sector L holds 64 little-endian words: L, the
 * seed, then L * 0x9E3779B97F4A7C15 + seed * 0xBF58476D1CE4E5B9 + k for
 * word k (docs/block.md). One line sums it up:
 *
 *   blkpattern: mode=verify disk=vda sectors=N mismatches=N first_bad=LBA|-
 *
 * Design: the range is cut into one contiguous share per CPU; a thread
 * pinned there keeps .qd chunk requests in flight, fills a chunk before
 * writing it and checks it after reading it, in thread context (the
 * callback only marks its slot). A write ends with a flush, so that
 * success means the pattern is on the medium. Optional reader threads read
 * the rest of the disk meanwhile, to load the queues from other CPUs.
 */
#include <ddeos/app.h>
#include <ddeos/block.h>
#include <ddeos/cmdline.h>
#include <ddeos/console.h>
#include <ddeos/errno.h>
#include <ddeos/mutex.h>
#include <ddeos/page_alloc.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>
#include <ddeos/string.h>

#define PATTERN_WORDS		(BLOCK_SECTOR_SIZE / 8)
#define PATTERN_MUL_LBA		0x9E3779B97F4A7C15ull
#define PATTERN_MUL_SEED	0xBF58476D1CE4E5B9ull
#define PATTERN_QD		8
#define PATTERN_CHUNK_ORDER	4	/* 64 KiB buffers */
#define PATTERN_CHUNK_SECTORS	((4096u << PATTERN_CHUNK_ORDER) / BLOCK_SECTOR_SIZE)
#define PATTERN_SHOW_BAD	4	/* mismatch details printed per worker */

enum { MODE_NONE, MODE_WRITE, MODE_VERIFY };
static const char *const mode_names[] = {
	[MODE_NONE] = "none", [MODE_WRITE] = "write", [MODE_VERIFY] = "verify",
};

static struct {
	unsigned int mode;
	uint64_t seed, start, count, cpus, readers;
	char disk[32];
	bool bad;		/* an option had a bad value: do not run */
} opt = { .disk = "vda" };

struct pslot {
	struct block_req rq;
	struct block_seg seg;
	struct pworker *w;
	bool busy;		/* submitted, callback not yet seen by the worker */
	bool done;		/* set by the callback (release) */
	int error;
};

struct pworker {
	struct block_disk *disk;
	unsigned int cpu;
	uint64_t first, end;		/* [first, end) in sectors */
	uint32_t chunk;			/* sectors per request */
	struct completion ended;	/* one signal per finished request */
	uint64_t mismatches, errors, first_bad;
	unsigned int shown;
	struct pslot slots[PATTERN_QD];
};

struct preader {
	struct block_disk *disk;
	unsigned int cpu;
	uint32_t chunk;
	uint64_t capacity;
	void *buf;
	uint64_t reads, errors;
};

static bool writers_running;

/* The pattern's word @k of sector @lba. */
static uint64_t pattern_word(uint64_t lba, uint64_t seed, unsigned int k)
{
	if (k == 0)
		return lba;
	if (k == 1)
		return seed;
	return lba * PATTERN_MUL_LBA + seed * PATTERN_MUL_SEED + k;
}

static void pattern_fill(uint64_t *buf, uint64_t lba, uint32_t sectors)
{
	for (uint32_t s = 0; s < sectors; s++, lba++)
		for (unsigned int k = 0; k < PATTERN_WORDS; k++)
			*buf++ = pattern_word(lba, opt.seed, k);
}

/* Count the sectors of @buf that differ from the pattern; note the first. */
static void pattern_check(struct pworker *w, const uint64_t *buf, uint64_t lba,
			  uint32_t sectors)
{
	for (uint32_t s = 0; s < sectors; s++, lba++, buf += PATTERN_WORDS) {
		unsigned int k;

		for (k = 0; k < PATTERN_WORDS; k++)
			if (buf[k] != pattern_word(lba, opt.seed, k))
				break;
		if (k == PATTERN_WORDS)
			continue;
		if (!w->mismatches || lba < w->first_bad)
			w->first_bad = lba;
		w->mismatches++;
		if (w->shown++ < PATTERN_SHOW_BAD)
			kprintf("blkpattern: sector %llu word %u: 0x%llx, expected 0x%llx\n",
				(unsigned long long)lba, k, (unsigned long long)buf[k],
				(unsigned long long)pattern_word(lba, opt.seed, k));
	}
}

/* Context: any (the driver's completion); must not sleep. */
static void pattern_done(struct block_req *rq, int error)
{
	struct pslot *s = rq->priv;

	s->error = error;
	__atomic_store_n(&s->done, true, __ATOMIC_RELEASE);
	completion_signal(&s->w->ended);
}

static void slot_submit(struct pworker *w, struct pslot *s, uint64_t lba,
			uint32_t sectors)
{
	int err;

	if (opt.mode == MODE_WRITE)
		pattern_fill(s->seg.addr, lba, sectors);
	s->rq.op = opt.mode == MODE_WRITE ? BLOCK_WRITE : BLOCK_READ;
	s->rq.sector = lba;
	s->seg.len = sectors * BLOCK_SECTOR_SIZE;
	s->done = false;
	s->busy = true;
	err = block_submit(w->disk, &s->rq);
	if (err) {
		/* block_submit() printed why; the callback will not run. */
		s->busy = false;
		w->errors++;
	}
}

static int worker_run(void *arg)
{
	struct pworker *w = arg;
	uint64_t next = w->first;
	unsigned int inflight = 0;

	do {
		for (unsigned int i = 0; i < PATTERN_QD && next < w->end; i++) {
			struct pslot *s = &w->slots[i];
			uint32_t n;

			if (s->busy)
				continue;
			n = (uint32_t)MIN((uint64_t)w->chunk, w->end - next);
			slot_submit(w, s, next, n);
			next += n;
			if (s->busy)
				inflight++;
		}
		if (!inflight)
			break;
		completion_wait(&w->ended, 0);
		for (unsigned int i = 0; i < PATTERN_QD; i++) {
			struct pslot *s = &w->slots[i];

			if (!s->busy || !__atomic_load_n(&s->done, __ATOMIC_ACQUIRE))
				continue;
			s->busy = false;
			inflight--;
			if (s->error)
				w->errors++;	/* block_end() printed the range */
			else if (opt.mode == MODE_VERIFY)
				pattern_check(w, s->seg.addr, s->rq.sector,
					      s->seg.len / BLOCK_SECTOR_SIZE);
			break;	/* one signal, one slot */
		}
	} while (inflight || next < w->end);
	return 0;
}

/*
 * A reader reads the disk outside the pattern's range (or inside it, when
 * the range is the whole disk, without looking at the data) until the
 * writers end, at least once.
 */
static int reader_run(void *arg)
{
	struct preader *r = arg;
	uint64_t end = opt.start + opt.count, first = 0, limit = r->capacity;
	uint64_t pos;

	if (end < r->capacity)
		first = end;
	else if (opt.start)
		limit = opt.start;
	pos = first;
	do {
		uint32_t n = (uint32_t)MIN((uint64_t)r->chunk, limit - pos);

		if (block_read(r->disk, pos, r->buf, n * BLOCK_SECTOR_SIZE))
			r->errors++;
		r->reads++;
		pos += n;
		if (pos >= limit)
			pos = first;
	} while (__atomic_load_n(&writers_running, __ATOMIC_ACQUIRE));
	return 0;
}

static int check_options(const struct block_info *info, unsigned int *cpus)
{
	uint64_t spb = info->logical_block_size / BLOCK_SECTOR_SIZE;

	if (opt.bad) {
		kprintf("blkpattern: bad option value (see above); not running\n");
		return -EINVAL;
	}
	if (opt.mode == MODE_NONE) {
		kprintf("blkpattern: blkpattern.mode=write or verify is required\n");
		return -EINVAL;
	}
	if (!opt.count)
		opt.count = opt.start < info->capacity ? info->capacity - opt.start : 0;
	*cpus = opt.cpus ? (unsigned int)opt.cpus : smp_cpus_online();
	if (*cpus > smp_cpus_online()) {
		kprintf("blkpattern: cpus=%u but only %u CPUs are online\n", *cpus,
			smp_cpus_online());
		return -EINVAL;
	}
	if (opt.start >= info->capacity || opt.count > info->capacity - opt.start) {
		kprintf("blkpattern: start=%llu count=%llu is not inside %s "
			"(%llu sectors)\n", (unsigned long long)opt.start,
			(unsigned long long)opt.count, opt.disk,
			(unsigned long long)info->capacity);
		return -EINVAL;
	}
	if (opt.start % spb || opt.count % spb) {
		kprintf("blkpattern: start=%llu count=%llu are not whole %u-byte "
			"logical blocks of %s\n", (unsigned long long)opt.start,
			(unsigned long long)opt.count, info->logical_block_size,
			opt.disk);
		return -EINVAL;
	}
	if (opt.mode == MODE_WRITE && info->read_only) {
		kprintf("blkpattern: %s is read-only\n", opt.disk);
		return -EROFS;
	}
	if (info->max_sectors < spb) {
		kprintf("blkpattern: %s takes no whole block per request\n", opt.disk);
		return -EINVAL;
	}
	return 0;
}

static uint32_t chunk_sectors(const struct block_info *info)
{
	uint32_t spb = info->logical_block_size / BLOCK_SECTOR_SIZE;
	uint32_t n = MIN(PATTERN_CHUNK_SECTORS, info->max_sectors);

	return n / spb * spb;
}

static unsigned int struct_order(size_t size)
{
	unsigned int order = 0;

	while ((4096ull << order) < size)
		order++;
	return order;
}

static void worker_free(struct pworker *w)
{
	if (!w)
		return;
	for (unsigned int i = 0; i < PATTERN_QD; i++)
		if (w->slots[i].seg.addr)
			page_free_virt(w->slots[i].seg.addr, PATTERN_CHUNK_ORDER);
	page_free_virt(w, struct_order(sizeof(*w)));
}

static struct pworker *worker_alloc(struct block_disk *d, unsigned int cpu,
				    uint64_t first, uint64_t end, uint32_t chunk)
{
	struct pworker *w = page_alloc_zeroed(struct_order(sizeof(*w)));

	if (!w)
		return NULL;
	w->disk = d;
	w->cpu = cpu;
	w->first = first;
	w->end = end;
	w->chunk = chunk;
	completion_init(&w->ended);
	for (unsigned int i = 0; i < PATTERN_QD; i++) {
		struct pslot *s = &w->slots[i];

		s->w = w;
		s->seg.addr = page_alloc_zeroed(PATTERN_CHUNK_ORDER);
		if (!s->seg.addr) {
			worker_free(w);
			return NULL;
		}
		s->rq = (struct block_req){ .segs = &s->seg, .nr_segs = 1,
					    .done = pattern_done, .priv = s };
	}
	return w;
}

/* Start the readers on the last CPUs. Return: how many started. */
static unsigned int readers_start(struct block_disk *d, const struct block_info *info,
				  uint32_t chunk, struct preader *readers,
				  struct thread **threads)
{
	unsigned int n = 0, online = smp_cpus_online();

	for (; n < opt.readers; n++) {
		struct preader *r = &readers[n];

		*r = (struct preader){ .disk = d, .chunk = chunk,
				       .capacity = info->capacity,
				       .cpu = online - 1 - n % online };
		r->buf = page_alloc_zeroed(PATTERN_CHUNK_ORDER);
		if (!r->buf)
			break;
		threads[n] = thread_create(&(struct thread_attr){
			.name = "blkpattern-rd", .prio = SCHED_PRIO_DEFAULT,
			.cpu = (int)r->cpu }, reader_run, r);
		if (!threads[n]) {
			page_free_virt(r->buf, PATTERN_CHUNK_ORDER);
			break;
		}
	}
	return n;
}

static int blkpattern_main(void)
{
	static struct pworker *workers[MAX_CPUS];
	static struct thread *threads[MAX_CPUS], *rthreads[MAX_CPUS];
	static struct preader readers[MAX_CPUS];
	struct block_disk *d = block_disk_find(opt.disk);
	uint64_t mismatches = 0, errors = 0, first_bad = UINT64_MAX, share;
	uint64_t spb, reads = 0, rerrors = 0;
	unsigned int cpus, nreaders;
	struct block_info info;
	uint32_t chunk;
	int err = 0;

	if (!d) {
		kprintf("blkpattern: no disk '%s'\n", opt.disk);
		return -ENODEV;
	}
	block_disk_info(d, &info);
	err = check_options(&info, &cpus);
	if (err)
		return err;
	spb = info.logical_block_size / BLOCK_SECTOR_SIZE;
	chunk = chunk_sectors(&info);
	/* Shares in whole logical blocks; the last CPU takes the rest. */
	share = opt.count / spb / cpus * spb;
	for (unsigned int c = 0; c < cpus; c++) {
		uint64_t first = opt.start + share * c;
		uint64_t end = c == cpus - 1 ? opt.start + opt.count : first + share;

		workers[c] = worker_alloc(d, c, first, end, chunk);
		if (!workers[c]) {
			err = -ENOMEM;
			break;
		}
	}
	__atomic_store_n(&writers_running, true, __ATOMIC_RELEASE);
	nreaders = err ? 0 : readers_start(d, &info, chunk, readers, rthreads);
	if (nreaders < opt.readers)
		err = -ENOMEM;
	for (unsigned int c = 0; c < cpus && !err; c++) {
		threads[c] = thread_create(&(struct thread_attr){
			.name = "blkpattern", .prio = SCHED_PRIO_DEFAULT,
			.cpu = (int)c }, worker_run, workers[c]);
		if (!threads[c])
			err = -ENOMEM;
	}
	for (unsigned int c = 0; c < cpus; c++) {
		struct pworker *w = workers[c];

		if (threads[c]) {
			thread_join(threads[c]);
			threads[c] = NULL;
			mismatches += w->mismatches;
			errors += w->errors;
			if (w->mismatches)
				first_bad = MIN(first_bad, w->first_bad);
		}
		worker_free(w);
		workers[c] = NULL;
	}
	__atomic_store_n(&writers_running, false, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < nreaders; i++) {
		thread_join(rthreads[i]);
		reads += readers[i].reads;
		rerrors += readers[i].errors;
		page_free_virt(readers[i].buf, PATTERN_CHUNK_ORDER);
	}
	if (err) {
		kprintf("blkpattern: setup failed: %d\n", err);
		return err;
	}
	/* Success means on the medium: the device's cache goes there too. */
	if (opt.mode == MODE_WRITE && block_flush(d)) {
		kprintf("blkpattern: flush of %s failed\n", opt.disk);
		errors++;
	}
	if (nreaders)
		kprintf("blkpattern: readers=%u reads=%llu errors=%llu\n", nreaders,
			(unsigned long long)reads, (unsigned long long)rerrors);
	if (mismatches)
		kprintf("blkpattern: mode=%s disk=%s sectors=%llu mismatches=%llu "
			"first_bad=%llu\n", mode_names[opt.mode], opt.disk,
			(unsigned long long)opt.count, (unsigned long long)mismatches,
			(unsigned long long)first_bad);
	else
		kprintf("blkpattern: mode=%s disk=%s sectors=%llu mismatches=0 "
			"first_bad=-\n", mode_names[opt.mode], opt.disk,
			(unsigned long long)opt.count);
	if (errors)
		kprintf("blkpattern: %llu requests failed\n", (unsigned long long)errors);
	return mismatches || errors || rerrors ? -EIO : 0;
}
APP(blkpattern, "blkpattern", blkpattern_main);

/* Options: a bad value keeps the app from running at all. */
static int bad_option(void)
{
	opt.bad = true;
	return -EINVAL;
}

static int mode_param(const char *value)
{
	for (unsigned int i = MODE_WRITE; value && i < ARRAY_SIZE(mode_names); i++) {
		if (!string_cmp(value, mode_names[i])) {
			opt.mode = i;
			return 0;
		}
	}
	return bad_option();
}
KPARAM(blkpattern_mode, "blkpattern.mode", mode_param);

static int u64_param(const char *value, uint64_t max, uint64_t *out)
{
	if (cmdline_parse_u64(value, max, out))
		return bad_option();
	return 0;
}

static int seed_param(const char *value)
{
	return u64_param(value, UINT64_MAX, &opt.seed);
}
KPARAM(blkpattern_seed, "blkpattern.seed", seed_param);

static int start_param(const char *value)
{
	return u64_param(value, UINT64_MAX, &opt.start);
}
KPARAM(blkpattern_start, "blkpattern.start", start_param);

static int count_param(const char *value)
{
	return u64_param(value, UINT64_MAX, &opt.count);
}
KPARAM(blkpattern_count, "blkpattern.count", count_param);

static int cpus_param(const char *value)
{
	if (u64_param(value, MAX_CPUS, &opt.cpus))
		return -EINVAL;
	return opt.cpus ? 0 : bad_option();
}
KPARAM(blkpattern_cpus, "blkpattern.cpus", cpus_param);

static int readers_param(const char *value)
{
	return u64_param(value, MAX_CPUS, &opt.readers);
}
KPARAM(blkpattern_readers, "blkpattern.readers", readers_param);

static int disk_param(const char *value)
{
	if (!value || !*value || string_len(value) >= sizeof(opt.disk))
		return bad_option();
	string_copy(opt.disk, value, sizeof(opt.disk));
	return 0;
}
KPARAM(blkpattern_disk, "blkpattern.disk", disk_param);
