// SPDX-License-Identifier: GPL-2.0-only
/*
 * The one helper of Linux's fs/libfs.c that library code uses:
 * memory_read_from_buffer(), the read() of a file backed by a buffer,
 * which lib/bitmap.c's bitmap_print_to_buf() pages through. The rest of
 * libfs (simple file systems, dentries) has no use without a VFS.
 */
#include <linux/fs.h>
#include <linux/string.h>

/**
 * memory_read_from_buffer - copy what is left of a buffer from a position
 * @to: destination
 * @count: at most this many bytes
 * @ppos: the position in @from, advanced by what was copied
 * @from: the buffer
 * @available: its size
 *
 * Context: any.
 * Return: bytes copied (0 at or past the end), or -EINVAL for a negative
 * position.
 */
ssize_t memory_read_from_buffer(void *to, size_t count, loff_t *ppos,
				const void *from, size_t available)
{
	loff_t pos = *ppos;

	if (pos < 0)
		return -EINVAL;
	if (pos >= available)
		return 0;
	if (count > available - pos)
		count = available - pos;
	memcpy(to, from + pos, count);
	*ppos = pos + count;
	return count;
}
