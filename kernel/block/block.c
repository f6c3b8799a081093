// SPDX-License-Identifier: GPL-2.0-only
/*
 * The block API's disks and asynchronous requests. Disks come from the
 * DDE's events (the waist's ---- block ----): each added disk gets a slot
 * in a fixed table that is never reused, so a struct block_disk pointer
 * stays valid for the life of the kernel, even after the disk is removed.
 * block_submit() checks a request against the disk and says why it
 * refuses one before handing it, unchanged, to Linux's blk-mq in the DDE.
 *
 * Concurrency: the table grows under disks_lock (thread context, events
 * only); nr_disks is published with a release store after the slot is
 * filled, so readers on any CPU take no lock. Capacity and removal are
 * single words, written by the events and read with relaxed atomics by
 * submitters (the DDE checks both again under its own rules, so a request
 * racing a shrink is still refused before the device). The submit and
 * completion path takes no lock and touches no shared line.
 */
#include <ddeos/block.h>
#include <ddeos/console.h>
#include <ddeos/errno.h>
#include <ddeos/mutex.h>
#include <ddeos/panic.h>
#include <ddeos/string.h>
#include "../waist/ddeos_waist.h"

struct block_disk {
	void *handle;			/* the DDE's gendisk */
	struct ddeos_blk_info info;	/* as added; capacity below */
	uint64_t capacity;		/* sectors; atomic */
	bool removed;			/* atomic */
};

_Static_assert(sizeof(struct block_seg) == sizeof(struct ddeos_blk_seg),
	       "segments pass through the waist unconverted");
_Static_assert(BLOCK_READ == DDEOS_BLK_READ && BLOCK_WRITE == DDEOS_BLK_WRITE &&
	       BLOCK_FLUSH == DDEOS_BLK_FLUSH && BLOCK_DISCARD == DDEOS_BLK_DISCARD &&
	       BLOCK_WRITE_ZEROES == DDEOS_BLK_WRITE_ZEROES, "ops match the waist");
_Static_assert(BLOCK_FUA == DDEOS_BLK_FUA && BLOCK_NOWAIT == DDEOS_BLK_NOWAIT,
	       "flags match the waist");

static struct kmutex disks_lock = KMUTEX_INIT(disks_lock);
/* disks_lock guards filling slots; nr_disks is read without it. */
static struct block_disk disks[BLOCK_MAX_DISKS];
static unsigned int nr_disks;

static const char *const op_names[] = {
	[BLOCK_READ] = "read", [BLOCK_WRITE] = "write", [BLOCK_FLUSH] = "flush",
	[BLOCK_DISCARD] = "discard", [BLOCK_WRITE_ZEROES] = "write-zeroes",
};

unsigned int block_disk_count(void)
{
	return __atomic_load_n(&nr_disks, __ATOMIC_ACQUIRE);
}

struct block_disk *block_disk_get(unsigned int index)
{
	return index < block_disk_count() ? &disks[index] : NULL;
}

struct block_disk *block_disk_find(const char *name)
{
	unsigned int n = block_disk_count();

	for (unsigned int i = 0; i < n; i++)
		if (!string_cmp(disks[i].info.name, name) &&
		    !__atomic_load_n(&disks[i].removed, __ATOMIC_RELAXED))
			return &disks[i];
	return NULL;
}

const char *block_disk_name(const struct block_disk *d)
{
	return d->info.name;
}

uint64_t block_disk_capacity(const struct block_disk *d)
{
	return __atomic_load_n(&d->capacity, __ATOMIC_RELAXED);
}

/**
 * block_disk_info - a disk's geometry, limits and current capacity
 * Context: any. Return: nothing; @info filled (info->name lives as long
 * as the kernel).
 */
void block_disk_info(const struct block_disk *d, struct block_info *info)
{
	const struct ddeos_blk_info *di = &d->info;

	info->name = di->name;
	info->capacity = block_disk_capacity(d);
	info->logical_block_size = di->logical_block_size;
	info->physical_block_size = di->physical_block_size;
	info->max_sectors = di->max_sectors;
	info->max_segments = di->max_segments;
	info->max_segment_size = di->max_segment_size;
	info->nr_queues = di->nr_hw_queues;
	info->queue_depth = di->queue_depth;
	info->read_only = di->read_only;
	info->write_cache = di->write_cache;
	info->fua = di->fua;
	info->discard = di->discard;
	info->write_zeroes = di->write_zeroes;
}

static const char *op_name(unsigned int op)
{
	return op < sizeof(op_names) / sizeof(op_names[0]) ? op_names[op] : "?";
}

/* Refuse @rq with @err, saying why and which range. */
static int block_refuse(struct block_disk *d, struct block_req *rq, int err,
			const char *why)
{
	kprintf("block: %s: %s of %u bytes at sector %llu refused: %s (%d)\n",
		d->info.name, op_name(rq->op), rq->len,
		(unsigned long long)rq->sector, why, err);
	return err;
}

/* The DDE's callback: report a failure with its range, then the caller's. */
static void block_end(void *ctx, int error)
{
	struct block_req *rq = ctx;

	if (error)
		kprintf("block: %s: %s of %u bytes at sector %llu failed: error %d\n",
			rq->disk->info.name, op_name(rq->op), rq->len,
			(unsigned long long)rq->sector, error);
	rq->done(rq, error);
}

/**
 * block_submit - start one request on the calling CPU's queue
 * @d: a disk of block_disk_get()/block_disk_find()
 * @rq: the request; op, flags, sector, segs/nr_segs or bytes, done set
 *
 * The request is checked here first and refused, with a console line
 * naming the range and the reason, if it runs past the end, is not whole
 * logical blocks, writes to a read-only disk, or has a segment the device
 * cannot take (not 512-byte aligned). Nothing is split or truncated: the
 * caller cuts transfers to max_sectors and max_segments.
 *
 * Context: thread (may sleep for a free tag), or any with BLOCK_NOWAIT.
 * Return: 0 if submitted (rq->done runs once, possibly before this
 * returns), -EINVAL (range, alignment, limits), -EROFS, -EOPNOTSUPP,
 * -ENODEV (removed), -EAGAIN (BLOCK_NOWAIT and no tag), -ENOMEM.
 */
int block_submit(struct block_disk *d, struct block_req *rq)
{
	uint32_t lbs = d->info.logical_block_size;
	uint64_t cap = block_disk_capacity(d), len = 0;
	unsigned int op = rq->op;
	int err;

	rq->disk = d;
	if (op == BLOCK_READ || op == BLOCK_WRITE) {
		uintptr_t bits = 0;

		rq->len = 0;
		if (!rq->segs || !rq->nr_segs)
			return block_refuse(d, rq, -EINVAL, "no data segments");
		for (uint32_t i = 0; i < rq->nr_segs; i++) {
			bits |= (uintptr_t)rq->segs[i].addr | rq->segs[i].len;
			if (!rq->segs[i].len)
				bits |= 1;
			len += rq->segs[i].len;
		}
		if (bits & (BLOCK_SECTOR_SIZE - 1)) {
			rq->len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
			return block_refuse(d, rq, -EINVAL,
					    "segment address or length not 512-byte aligned");
		}
	} else if (op == BLOCK_DISCARD || op == BLOCK_WRITE_ZEROES) {
		len = rq->bytes;
		if (rq->nr_segs)
			return block_refuse(d, rq, -EINVAL, "segments given");
	} else if (op != BLOCK_FLUSH) {
		return -EINVAL;
	}
	rq->len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	if (__atomic_load_n(&d->removed, __ATOMIC_RELAXED))
		return block_refuse(d, rq, -ENODEV, "disk removed");
	if (op != BLOCK_FLUSH) {
		if (!len || (len | rq->sector * BLOCK_SECTOR_SIZE) & (lbs - 1))
			return block_refuse(d, rq, -EINVAL,
					    "not whole logical blocks");
		if (rq->sector > cap || len / BLOCK_SECTOR_SIZE > cap - rq->sector)
			return block_refuse(d, rq, -EINVAL, "past the end of the disk");
		if (op == BLOCK_READ || op == BLOCK_WRITE) {
			if (len / BLOCK_SECTOR_SIZE > d->info.max_sectors)
				return block_refuse(d, rq, -EINVAL,
						    "longer than max_sectors");
		}
	}
	if (op != BLOCK_READ && op != BLOCK_FLUSH && d->info.read_only)
		return block_refuse(d, rq, -EROFS, "read-only disk");

	err = ddeos_blk_submit(d->handle, op, rq->flags, rq->sector,
			       (const struct ddeos_blk_seg *)rq->segs,
			       op == BLOCK_READ || op == BLOCK_WRITE ? rq->nr_segs : 0,
			       (uint32_t)len, block_end, rq);
	if (err && err != -EAGAIN)
		return block_refuse(d, rq, err, "refused by the block layer");
	return err;
}

static struct block_disk *block_slot_of(void *handle)
{
	for (unsigned int i = 0; i < nr_disks; i++)
		if (disks[i].handle == handle &&
		    !__atomic_load_n(&disks[i].removed, __ATOMIC_RELAXED))
			return &disks[i];
	return NULL;
}

static void block_added(void *handle)
{
	struct block_disk *d;

	kmutex_lock(&disks_lock);
	if (nr_disks == BLOCK_MAX_DISKS) {
		kmutex_unlock(&disks_lock);
		kprintf("block: more than %u disks; one is not usable\n",
			BLOCK_MAX_DISKS);
		return;
	}
	d = &disks[nr_disks];
	d->handle = handle;
	ddeos_blk_get_info(handle, &d->info);
	d->capacity = d->info.capacity;
	__atomic_store_n(&nr_disks, nr_disks + 1, __ATOMIC_RELEASE);
	kmutex_unlock(&disks_lock);
}

static void block_removed(void *handle)
{
	struct block_disk *d;

	kmutex_lock(&disks_lock);
	d = block_slot_of(handle);
	if (d)
		__atomic_store_n(&d->removed, true, __ATOMIC_RELAXED);
	kmutex_unlock(&disks_lock);
}

static void block_capacity_changed(void *handle, unsigned long long sectors)
{
	struct block_disk *d;

	kmutex_lock(&disks_lock);
	d = block_slot_of(handle);
	if (d) {
		kprintf("block: %s: capacity %llu -> %llu sectors\n", d->info.name,
			(unsigned long long)d->capacity, sectors);
		__atomic_store_n(&d->capacity, sectors, __ATOMIC_RELAXED);
	}
	kmutex_unlock(&disks_lock);
}

static const struct ddeos_blk_events block_events = {
	.added = block_added,
	.removed = block_removed,
	.capacity_changed = block_capacity_changed,
};

void block_init(void)
{
	ddeos_blk_set_events(&block_events);
}
