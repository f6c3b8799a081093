/* SPDX-License-Identifier: GPL-2.0-only */
/* printf-style formatting into a buffer; pure logic, host-tested. */
#ifndef DDEOS_FMT_H
#define DDEOS_FMT_H

#include <ddeos/types.h>

/*
 * Supports %d %i %u %x %X %o %p %s %c %% with flags '-', '0', '#', width,
 * precision (for %s and integers) and the length modifiers hh h l ll z t.
 * Always NUL-terminates when size > 0.
 * Return: the length the full output would have had (like C99 vsnprintf).
 * Context: any.
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
