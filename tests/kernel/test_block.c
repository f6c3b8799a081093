// SPDX-License-Identifier: GPL-2.0-only
/*
 * The block API (test=block) through Linux's virtio_blk. tools/check boots
 * it with vda, a writable raw file, and vdb, a read-only one
 * (readonly=on); with no disk every case skips. Each CPU writes patterns
 * to its own region of vda with multi-segment buffers from 512 B to 1 MiB
 * while the others do the same, and reads them back cut differently;
 * refusals (past the end, misaligned, read-only) must come back before
 * the device; vdc fails chosen sectors (QEMU's blkdebug) and vdd is
 * resized by the host on request. After poweroff the host checks the
 * image (tools/check, block_image_check()): each CPU's region as the last
 * round left it (fill() and sizes[] are mirrored there: change both) and
 * the block at HOST_CHECK_SECTOR.
 */
#include <ddeos/block.h>
#include <ddeos/console.h>
#include <ddeos/errno.h>
#include <ddeos/ktest.h>
#include <ddeos/mutex.h>
#include <ddeos/page_alloc.h>
#include <ddeos/sched.h>
#include <ddeos/smp.h>
#include <ddeos/string.h>
#include <ddeos/timer.h>

#define REGION_SECTORS		(4u * 2048)	/* 4 MiB of vda per CPU */
#define BUF_ORDER		8		/* 1 MiB */
#define BUF_BYTES		(4096u << BUF_ORDER)
/* 48 MiB into vda: beyond the regions of up to 8 CPUs; tools/check reads
 * these 4 KiB of the image: byte i is (i * 7 + 0x5a) & 0xff. */
#define HOST_CHECK_SECTOR	(48u * 2048)
#define HOST_CHECK_BYTES	4096u
#define ASYNC_DEPTH		8
/* vdc, where tools/check puts QEMU's blkdebug: reads covering sector
 * FAULT_READ_SECTOR and writes covering FAULT_WRITE_SECTOR fail with EIO. */
#define FAULT_DISK		"vdc"
#define FAULT_READ_SECTOR	2048u
#define FAULT_WRITE_SECTOR	4096u
/* vdd, 1 MiB, which the host resizes with QEMU's block_resize when the
 * suite asks on the console (tools/check: qemu-run --monitor-on). */
#define RESIZE_DISK		"vdd"
#define RESIZE_WAIT_NS		(60ull * 1000000000ull)	/* TCG, loaded host */

static struct block_disk *rw_disk(void)
{
	for (unsigned int i = 0; i < block_disk_count(); i++) {
		struct block_disk *d = block_disk_get(i);
		struct block_info info;

		block_disk_info(d, &info);
		if (!info.read_only && info.capacity >= 64u * 2048)
			return d;
	}
	return NULL;
}

static struct block_disk *ro_disk(void)
{
	for (unsigned int i = 0; i < block_disk_count(); i++) {
		struct block_disk *d = block_disk_get(i);
		struct block_info info;

		block_disk_info(d, &info);
		if (info.read_only)
			return d;
	}
	return NULL;
}

static uint32_t block_lbs(struct block_disk *d)
{
	struct block_info info;

	block_disk_info(d, &info);
	return info.logical_block_size;
}

static void fill(uint8_t *p, uint32_t len, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;

	for (uint32_t i = 0; i < len; i += 4) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		*(uint32_t *)(p + i) = x;
	}
}

/* Cut [buf, +len) into up to 4 segments of 512-byte multiples (a
 * segment need not be whole logical blocks, only the request); @shift
 * moves the cuts so that reads and writes are cut differently. */
static uint32_t cut(struct block_seg *segs, uint8_t *buf, uint32_t len,
		    uint32_t shift)
{
	uint32_t n = 0, off = 0, blocks = len / 512;

	for (uint32_t i = 0; i < 3 && off < len; i++) {
		uint32_t b = (blocks / 4 + shift + i) % (blocks ? blocks : 1);
		uint32_t l = (b ? b : 1) * 512;

		if (off + l >= len)
			break;
		segs[n++] = (struct block_seg){ buf + off, l };
		off += l;
	}
	segs[n++] = (struct block_seg){ buf + off, len - off };
	return n;
}

struct cpu_job {
	struct block_disk *disk;
	unsigned int cpu;
	uint32_t lbs;		/* sizes round up to it */
	int error;		/* first failure: negative errno, or 1: data */
	uint64_t bad_sector;
};

static const uint32_t sizes[] = { 512, 1024, 4096, 8192 + 512, 65536,
				  256 * 1024 - 512, 1024 * 1024 };

static int cpu_job_run(void *arg)
{
	struct cpu_job *job = arg;
	uint8_t *wbuf = page_alloc_zeroed(BUF_ORDER);
	uint8_t *rbuf = page_alloc_zeroed(BUF_ORDER);
	uint64_t base = (uint64_t)job->cpu * REGION_SECTORS;
	struct block_seg segs[4];
	int err = 0;

	if (!wbuf || !rbuf) {
		err = -ENOMEM;
		goto out;
	}
	for (unsigned int round = 0; round < 2 && !err; round++) {
		uint64_t sector = base;

		for (unsigned int i = 0; i < ARRAY_SIZE(sizes) && !err; i++) {
			uint32_t len = ALIGN_UP(sizes[i], job->lbs), n;

			fill(wbuf, len, job->cpu * 1000 + round * 100 + i);
			n = cut(segs, wbuf, len, round + i);
			err = block_rw(job->disk, BLOCK_WRITE, 0, sector, segs, n);
			if (err)
				break;
			memset(rbuf, 0, len);
			n = cut(segs, rbuf, len, round + i + 1);
			err = block_rw(job->disk, BLOCK_READ, 0, sector, segs, n);
			if (!err && string_memcmp(wbuf, rbuf, len)) {
				err = 1;
				job->bad_sector = sector;
			}
			sector += len / 512;
		}
	}
out:
	if (wbuf)
		page_free_virt(wbuf, BUF_ORDER);
	if (rbuf)
		page_free_virt(rbuf, BUF_ORDER);
	job->error = err;
	return 0;
}

static void block_disks_listed(struct ddeos_ktest *t)
{
	struct block_disk *d = rw_disk();
	struct block_info info;

	if (!d)
		KTEST_SKIP(t, "no writable disk of 64 MiB or more");
	block_disk_info(d, &info);
	KTEST_EXPECT(t, block_disk_find(info.name) == d);
	KTEST_EXPECT(t, info.logical_block_size == 512 ||
		     info.logical_block_size == 4096, "lbs %u", info.logical_block_size);
	KTEST_EXPECT(t, info.physical_block_size >= info.logical_block_size);
	KTEST_EXPECT(t, info.max_sectors >= 2048, "max_sectors %u", info.max_sectors);
	KTEST_EXPECT(t, info.max_segments >= 4, "max_segments %u", info.max_segments);
	KTEST_EXPECT(t, info.nr_queues >= 1 && info.nr_queues <= smp_cpus_online(),
		     "queues %u", info.nr_queues);
	KTEST_EXPECT(t, info.write_cache, "file with cache=writeback has a cache");
	KTEST_EXPECT(t, block_disk_find("nosuchdisk") == NULL);
}

static void block_every_cpu_writes_and_reads_back(struct ddeos_ktest *t)
{
	struct block_disk *d = rw_disk();
	unsigned int ncpus = smp_cpus_online();
	struct cpu_job jobs[8];
	struct thread *threads[8];
	struct block_info info;

	if (!d)
		KTEST_SKIP(t, "no writable disk");
	block_disk_info(d, &info);
	if (ncpus > ARRAY_SIZE(jobs))
		ncpus = ARRAY_SIZE(jobs);
	for (unsigned int cpu = 0; cpu < ncpus; cpu++) {
		jobs[cpu] = (struct cpu_job){ .disk = d, .cpu = cpu,
					      .lbs = info.logical_block_size };
		threads[cpu] = thread_create(&(struct thread_attr){
			.name = "blk-test", .prio = SCHED_PRIO_DEFAULT, .cpu = (int)cpu },
			cpu_job_run, &jobs[cpu]);
		KTEST_ASSERT(t, threads[cpu]);
	}
	for (unsigned int cpu = 0; cpu < ncpus; cpu++) {
		thread_join(threads[cpu]);
		KTEST_EXPECT(t, jobs[cpu].error == 0, "cpu %u: %d at sector %llu", cpu,
			     jobs[cpu].error, (unsigned long long)jobs[cpu].bad_sector);
	}
}

struct async_batch {
	struct completion all;
	unsigned int left;	/* atomic */
	int error;		/* first */
};

static void async_done(struct block_req *rq, int error)
{
	struct async_batch *b = rq->priv;

	if (error)
		__atomic_compare_exchange_n(&b->error, &(int){ 0 }, error, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	if (__atomic_sub_fetch(&b->left, 1, __ATOMIC_ACQ_REL) == 0)
		completion_signal(&b->all);
}

static void block_async_queue_depth(struct ddeos_ktest *t)
{
	struct block_disk *d = rw_disk();
	uint8_t *buf = page_alloc_zeroed(4);	/* 64 KiB: 8 x 8 KiB */
	uint8_t *check = page_alloc_zeroed(4);
	struct block_req rqs[ASYNC_DEPTH];
	struct block_seg segs[ASYNC_DEPTH];
	struct async_batch b;
	uint64_t base = 40u * 2048;	/* 40 MiB: after the CPU regions */

	if (!d || !buf || !check) {
		if (buf)
			page_free_virt(buf, 4);
		if (check)
			page_free_virt(check, 4);
		KTEST_SKIP(t, d ? "no memory" : "no writable disk");
	}
	fill(buf, 65536, 77);
	completion_init(&b.all);
	b.left = ASYNC_DEPTH;
	b.error = 0;
	for (unsigned int i = 0; i < ASYNC_DEPTH; i++) {
		segs[i] = (struct block_seg){ buf + i * 8192, 8192 };
		rqs[i] = (struct block_req){ .op = BLOCK_WRITE, .sector = base + i * 16,
					     .segs = &segs[i], .nr_segs = 1,
					     .done = async_done, .priv = &b };
		KTEST_ASSERT(t, block_submit(d, &rqs[i]) == 0);
	}
	completion_wait(&b.all, 0);
	KTEST_EXPECT(t, b.error == 0, "error %d", b.error);
	KTEST_EXPECT(t, block_read(d, base, check, 65536) == 0);
	KTEST_EXPECT(t, !string_memcmp(buf, check, 65536));
	page_free_virt(buf, 4);
	page_free_virt(check, 4);
}

static void block_flush_and_host_pattern(struct ddeos_ktest *t)
{
	struct block_disk *d = rw_disk();
	uint8_t *buf;

	if (!d)
		KTEST_SKIP(t, "no writable disk");
	buf = page_alloc_zeroed(0);
	KTEST_ASSERT(t, buf);
	for (uint32_t i = 0; i < HOST_CHECK_BYTES; i++)
		buf[i] = (uint8_t)(i * 7 + 0x5a);
	KTEST_EXPECT(t, block_write(d, HOST_CHECK_SECTOR, buf, HOST_CHECK_BYTES) == 0);
	KTEST_EXPECT(t, block_flush(d) == 0);
	page_free_virt(buf, 0);
}

static void block_refuses_bad_requests(struct ddeos_ktest *t)
{
	struct block_disk *d = rw_disk();
	uint8_t *buf;
	uint64_t cap;

	if (!d)
		KTEST_SKIP(t, "no writable disk");
	cap = block_disk_capacity(d);
	buf = page_alloc_zeroed(1);
	KTEST_ASSERT(t, buf);
	/* Past the end, starting at it, and straddling it. */
	KTEST_EXPECT(t, block_read(d, cap, buf, block_lbs(d)) == -EINVAL);
	KTEST_EXPECT(t, block_read(d, cap - block_lbs(d) / 512, buf,
				   2 * block_lbs(d)) == -EINVAL);
	KTEST_EXPECT(t, block_write(d, cap + 64, buf, block_lbs(d)) == -EINVAL);
	KTEST_EXPECT(t, block_read(d, cap - block_lbs(d) / 512, buf, block_lbs(d)) == 0,
		     "the last block is fine");
	/* Misaligned lengths and buffers; on a 4 KiB-block disk also
	 * 512-byte multiples that are not whole blocks. */
	if (block_lbs(d) > 512) {
		KTEST_EXPECT(t, block_read(d, 1, buf, 4096) == -EINVAL);
		KTEST_EXPECT(t, block_read(d, 0, buf, 512) == -EINVAL);
		KTEST_EXPECT(t, block_read(d, 8, buf, 4096) == 0);
	}
	KTEST_EXPECT(t, block_read(d, 0, buf, 100) == -EINVAL);
	KTEST_EXPECT(t, block_read(d, 0, buf + 8, block_lbs(d)) == -EINVAL);
	KTEST_EXPECT(t, block_read(d, 0, buf, 0) == -EINVAL);
	KTEST_EXPECT(t, block_rw(d, BLOCK_READ, 0, 0, NULL, 0) == -EINVAL);
	page_free_virt(buf, 1);
}

static void block_read_only_disk_refuses_writes(struct ddeos_ktest *t)
{
	struct block_disk *d = ro_disk();
	uint8_t *buf;

	if (!d)
		KTEST_SKIP(t, "no read-only disk");
	buf = page_alloc_zeroed(0);
	KTEST_ASSERT(t, buf);
	KTEST_EXPECT(t, block_write(d, 0, buf, 4096) == -EROFS);
	KTEST_EXPECT(t, block_write_zeroes(d, 0, 4096) == -EROFS ||
		     block_write_zeroes(d, 0, 4096) == -EOPNOTSUPP);
	KTEST_EXPECT(t, block_read(d, 0, buf, 4096) == 0, "reads go on");
	page_free_virt(buf, 0);
}

static void block_second_disk_works(struct ddeos_ktest *t)
{
	struct block_disk *d = rw_disk();
	uint8_t *buf;
	unsigned int other = 0;

	if (!d || block_disk_count() < 2)
		KTEST_SKIP(t, "fewer than two disks");
	buf = page_alloc_zeroed(0);
	KTEST_ASSERT(t, buf);
	for (unsigned int i = 0; i < block_disk_count(); i++) {
		struct block_disk *o = block_disk_get(i);

		if (o == d)
			continue;
		KTEST_EXPECT(t, block_read(o, 0, buf, 4096) == 0, "%s",
			     block_disk_name(o));
		KTEST_EXPECT(t, block_read(o, block_disk_capacity(o) - 8, buf, 4096) == 0);
		other++;
	}
	KTEST_EXPECT(t, other >= 1);
	page_free_virt(buf, 0);
}

static void block_write_zeroes_fua_discard(struct ddeos_ktest *t)
{
	struct block_disk *d = rw_disk();
	uint64_t sector = 44u * 2048;	/* 44 MiB: a spare region */
	struct block_info info;
	uint8_t *buf;
	int err;

	if (!d)
		KTEST_SKIP(t, "no writable disk");
	block_disk_info(d, &info);
	buf = page_alloc_zeroed(2);
	KTEST_ASSERT(t, buf);
	fill(buf, 16384, 5);
	{
		struct block_seg seg = { buf, 16384 };

		KTEST_EXPECT(t, block_rw(d, BLOCK_WRITE, BLOCK_FUA, sector, &seg, 1) == 0);
	}
	err = block_write_zeroes(d, sector, 8192);
	KTEST_EXPECT(t, err == (info.write_zeroes ? 0 : -EOPNOTSUPP), "%d", err);
	KTEST_EXPECT(t, block_read(d, sector, buf, 16384) == 0);
	if (info.write_zeroes) {
		bool zero = true;

		for (unsigned int i = 0; i < 8192; i++)
			zero &= !buf[i];
		KTEST_EXPECT(t, zero, "write-zeroes left data");
		KTEST_EXPECT(t, buf[8192] || buf[8193] || buf[8194], "beyond it untouched");
	}
	err = block_discard(d, sector, 8192);
	KTEST_EXPECT(t, err == (info.discard ? 0 : -EOPNOTSUPP), "%d", err);
	page_free_virt(buf, 2);
}

struct fault_batch {
	struct completion all;
	unsigned int left;	/* atomic */
	unsigned int failed;	/* atomic */
	uint64_t failed_sector;
};

static void fault_done(struct block_req *rq, int error)
{
	struct fault_batch *b = rq->priv;

	if (error == -EIO) {
		__atomic_add_fetch(&b->failed, 1, __ATOMIC_RELAXED);
		b->failed_sector = rq->sector;
	} else if (error) {
		__atomic_add_fetch(&b->failed, 100, __ATOMIC_RELAXED);
	}
	if (__atomic_sub_fetch(&b->left, 1, __ATOMIC_ACQ_REL) == 0)
		completion_signal(&b->all);
}

static void block_device_errors_reach_their_submitter(struct ddeos_ktest *t)
{
	struct block_disk *d = block_disk_find(FAULT_DISK);
	struct block_req rqs[ASYNC_DEPTH];
	struct block_seg segs[ASYNC_DEPTH];
	struct fault_batch b;
	uint8_t *buf;

	if (!d)
		KTEST_SKIP(t, "no blkdebug disk " FAULT_DISK);
	buf = page_alloc_zeroed(4);
	KTEST_ASSERT(t, buf);
	KTEST_EXPECT(t, block_read(d, FAULT_READ_SECTOR, buf, 4096) == -EIO);
	KTEST_EXPECT(t, block_read(d, 0, buf, 4096) == 0, "others unaffected");
	KTEST_EXPECT(t, block_write(d, FAULT_WRITE_SECTOR, buf, 4096) == -EIO);
	KTEST_EXPECT(t, block_write(d, 0, buf, 4096) == 0, "others unaffected");
	/* Eight reads in flight, one of them over the bad sector: only that
	 * one fails, and its own callback hears it with its range. Gaps
	 * between them, or QEMU's virtio-blk merges neighbours into one
	 * I/O that fails as a whole. */
	completion_init(&b.all);
	b.left = ASYNC_DEPTH;
	b.failed = 0;
	b.failed_sector = 0;
	for (unsigned int i = 0; i < ASYNC_DEPTH; i++) {
		segs[i] = (struct block_seg){ buf + i * 8192, 8192 };
		rqs[i] = (struct block_req){ .op = BLOCK_READ,
					     .sector = FAULT_READ_SECTOR - 64 + i * 32,
					     .segs = &segs[i], .nr_segs = 1,
					     .done = fault_done, .priv = &b };
		KTEST_ASSERT(t, block_submit(d, &rqs[i]) == 0);
	}
	completion_wait(&b.all, 0);
	KTEST_EXPECT(t, b.failed == 1, "failed %u", b.failed);
	KTEST_EXPECT(t, b.failed_sector == FAULT_READ_SECTOR, "sector %llu",
		     (unsigned long long)b.failed_sector);
	KTEST_EXPECT(t, block_read(d, FAULT_READ_SECTOR + 8, buf, 4096) == 0,
		     "later requests succeed");
	page_free_virt(buf, 4);
}

/* Wait until @d's capacity is @sectors (the config interrupt's work ran). */
static bool capacity_becomes(struct block_disk *d, uint64_t sectors)
{
	uint64_t deadline = clock_ns() + RESIZE_WAIT_NS;

	while (block_disk_capacity(d) != sectors && clock_ns() < deadline)
		thread_sleep_ns(1000000);
	return block_disk_capacity(d) == sectors;
}

static void block_capacity_change_is_reported(struct ddeos_ktest *t)
{
	struct block_disk *d = block_disk_find(RESIZE_DISK);
	uint64_t small = 2048, big = 4096;	/* 1 MiB, 2 MiB */
	struct block_info info;
	uint8_t *buf;

	if (!d)
		KTEST_SKIP(t, "no disk " RESIZE_DISK " for the host to resize");
	KTEST_ASSERT(t, block_disk_capacity(d) == small, "%llu",
		     (unsigned long long)block_disk_capacity(d));
	buf = page_alloc_zeroed(0);
	KTEST_ASSERT(t, buf);
	KTEST_EXPECT(t, block_read(d, small, buf, 4096) == -EINVAL);
	kprintf("block test: grow " RESIZE_DISK "\n");
	KTEST_EXPECT(t, capacity_becomes(d, big), "capacity %llu",
		     (unsigned long long)block_disk_capacity(d));
	block_disk_info(d, &info);
	KTEST_EXPECT(t, info.capacity == big);
	fill(buf, 4096, 9);
	KTEST_EXPECT(t, block_write(d, big - 8, buf, 4096) == 0, "the new end");
	KTEST_EXPECT(t, block_read(d, big, buf, 512) == -EINVAL);
	kprintf("block test: shrink " RESIZE_DISK "\n");
	KTEST_EXPECT(t, capacity_becomes(d, small), "capacity %llu",
		     (unsigned long long)block_disk_capacity(d));
	KTEST_EXPECT(t, block_read(d, small, buf, 4096) == -EINVAL, "gone again");
	KTEST_EXPECT(t, block_read(d, small - 8, buf, 4096) == 0);
	page_free_virt(buf, 0);
}

static const struct ddeos_ktest_case block_cases[] = {
	{ "disks_listed", block_disks_listed },
	{ "every_cpu_writes_and_reads_back", block_every_cpu_writes_and_reads_back },
	{ "async_queue_depth", block_async_queue_depth },
	{ "flush_and_host_pattern", block_flush_and_host_pattern },
	{ "refuses_bad_requests", block_refuses_bad_requests },
	{ "read_only_disk_refuses_writes", block_read_only_disk_refuses_writes },
	{ "second_disk_works", block_second_disk_works },
	{ "write_zeroes_fua_discard", block_write_zeroes_fua_discard },
	{ "device_errors_reach_their_submitter", block_device_errors_reach_their_submitter },
	{ "capacity_change_is_reported", block_capacity_change_is_reported },
};
KTEST_SUITE(block, "block", block_cases);
