/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The block API for code running on ddeos (apps/, tests): the disks Linux's
 * block drivers added, and asynchronous I/O on scatter-gather buffers with
 * a completion callback, plus synchronous helpers. kernel/block/block.c
 * implements it on the waist's block section; docs/block.md.
 */
#ifndef DDEOS_BLOCK_H
#define DDEOS_BLOCK_H

#include <ddeos/types.h>

#define BLOCK_SECTOR_SIZE	512u
#define BLOCK_MAX_DISKS		16

enum block_op {
	BLOCK_READ,
	BLOCK_WRITE,
	BLOCK_FLUSH,		/* the device's write cache to media */
	BLOCK_DISCARD,		/* no segments; rq->bytes long */
	BLOCK_WRITE_ZEROES,	/* no segments; rq->bytes long */
};

#define BLOCK_FUA	0x1u	/* write: durable when it ends */
#define BLOCK_NOWAIT	0x2u	/* -EAGAIN instead of sleeping for a tag */

/*
 * One data segment: @len bytes at @addr, memory from the pool or page
 * allocator (a direct-map address; not a thread stack), both aligned to
 * 512 bytes and the length a multiple of the logical block size.
 */
struct block_seg {
	void *addr;
	uint32_t len;
};

struct block_disk;

/* What a caller needs to build valid requests; capacity in 512-byte
 * sectors (it changes when the device is resized). */
struct block_info {
	const char *name;
	uint64_t capacity;
	uint32_t logical_block_size, physical_block_size;
	uint32_t max_sectors;		/* per request */
	uint32_t max_segments;		/* per request */
	uint32_t max_segment_size;
	uint32_t nr_queues;		/* hardware queues */
	uint32_t queue_depth;		/* per hardware queue */
	bool read_only, write_cache, fua, discard, write_zeroes;
};

struct block_req;
/*
 * Called once per submitted request with 0 or a negative errno; the range
 * is rq->sector and rq->len. Context: any CPU, hard IRQ, softirq or thread;
 * must not sleep. It may submit again with BLOCK_NOWAIT.
 */
typedef void (*block_done_fn)(struct block_req *rq, int error);

/* A request; the caller owns it until done runs. */
struct block_req {
	/* Set by the caller. */
	uint8_t op;			/* enum block_op */
	uint8_t flags;			/* BLOCK_FUA, BLOCK_NOWAIT */
	uint64_t sector;		/* 512-byte units; unused for FLUSH */
	const struct block_seg *segs;	/* READ, WRITE; read only at submit */
	uint32_t nr_segs;
	uint32_t bytes;			/* DISCARD, WRITE_ZEROES */
	block_done_fn done;
	void *priv;			/* the caller's */
	/* Set by block_submit(). */
	struct block_disk *disk;
	uint32_t len;			/* bytes covered */
};

/* Disks in the order added (removed ones stay, marked so). Context: any. */
unsigned int block_disk_count(void);
struct block_disk *block_disk_get(unsigned int index);
struct block_disk *block_disk_find(const char *name);
const char *block_disk_name(const struct block_disk *d);
/* Context: any. */
uint64_t block_disk_capacity(const struct block_disk *d);
void block_disk_info(const struct block_disk *d, struct block_info *info);

int block_submit(struct block_disk *d, struct block_req *rq);

int block_rw(struct block_disk *d, unsigned int op, unsigned int flags,
	     uint64_t sector, const struct block_seg *segs, uint32_t nr_segs);
int block_read(struct block_disk *d, uint64_t sector, void *buf, uint32_t len);
int block_write(struct block_disk *d, uint64_t sector, const void *buf, uint32_t len);
int block_flush(struct block_disk *d);
int block_discard(struct block_disk *d, uint64_t sector, uint32_t bytes);
int block_write_zeroes(struct block_disk *d, uint64_t sector, uint32_t bytes);

/* Listen for the DDE's disks. Context: the main thread, after
 * ddeos_dde_init() and before Linux's initcalls. */
void block_init(void);

#endif
