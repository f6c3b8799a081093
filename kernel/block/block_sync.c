// SPDX-License-Identifier: GPL-2.0-only
/*
 * Synchronous block I/O on top of block_submit(): the request lives on the
 * caller's stack and the caller sleeps on a completion that the request's
 * callback signals from whatever context and CPU it ends on. The data
 * buffers themselves must still be pool or page memory (block.h).
 */
#include <ddeos/block.h>
#include <ddeos/mutex.h>

struct block_sync {
	struct completion done;
	int error;
};

static void block_sync_done(struct block_req *rq, int error)
{
	struct block_sync *s = rq->priv;

	s->error = error;
	completion_signal(&s->done);
}

static int block_sync_submit(struct block_disk *d, struct block_req *rq)
{
	struct block_sync s;
	int err;

	completion_init(&s.done);
	rq->done = block_sync_done;
	rq->priv = &s;
	rq->flags &= ~BLOCK_NOWAIT;
	err = block_submit(d, rq);
	if (err)
		return err;
	completion_wait(&s.done, 0);
	return s.error;
}

/**
 * block_rw - read or write @segs at @sector and wait for the end
 * Context: thread, may sleep.
 * Return: 0 or a negative errno (block_submit()'s, or the device's).
 */
int block_rw(struct block_disk *d, unsigned int op, unsigned int flags,
	     uint64_t sector, const struct block_seg *segs, uint32_t nr_segs)
{
	struct block_req rq = { .op = op, .flags = flags, .sector = sector,
				.segs = segs, .nr_segs = nr_segs };

	return block_sync_submit(d, &rq);
}

/**
 * block_read - read @len bytes at @sector into @buf and wait
 * Context: thread, may sleep. Return: 0 or a negative errno.
 */
int block_read(struct block_disk *d, uint64_t sector, void *buf, uint32_t len)
{
	struct block_seg seg = { buf, len };

	return block_rw(d, BLOCK_READ, 0, sector, &seg, 1);
}

/**
 * block_write - write @len bytes of @buf at @sector and wait
 * Context: thread, may sleep. Return: 0 or a negative errno.
 */
int block_write(struct block_disk *d, uint64_t sector, const void *buf, uint32_t len)
{
	struct block_seg seg = { (void *)buf, len };

	return block_rw(d, BLOCK_WRITE, 0, sector, &seg, 1);
}

/**
 * block_flush - make every completed write durable, and wait
 * Context: thread, may sleep. Return: 0 or a negative errno.
 */
int block_flush(struct block_disk *d)
{
	struct block_req rq = { .op = BLOCK_FLUSH };

	return block_sync_submit(d, &rq);
}

/**
 * block_discard - drop [@sector, +@bytes) and wait
 * Context: thread, may sleep. Return: 0 or a negative errno.
 */
int block_discard(struct block_disk *d, uint64_t sector, uint32_t bytes)
{
	struct block_req rq = { .op = BLOCK_DISCARD, .sector = sector, .bytes = bytes };

	return block_sync_submit(d, &rq);
}

/**
 * block_write_zeroes - zero [@sector, +@bytes) and wait
 * Context: thread, may sleep. Return: 0 or a negative errno.
 */
int block_write_zeroes(struct block_disk *d, uint64_t sector, uint32_t bytes)
{
	struct block_req rq = { .op = BLOCK_WRITE_ZEROES, .sector = sector,
				.bytes = bytes };

	return block_sync_submit(d, &rq);
}
