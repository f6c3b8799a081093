/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The console: formatted output to the serial port, safe from any context.
 * A call prints whole: its text is formatted first and written under one
 * lock, so lines of different CPUs never interleave. During a panic the
 * panicking CPU writes without the lock (the others are stopped).
 */
#ifndef DDEOS_CONSOLE_H
#define DDEOS_CONSOLE_H

#include <ddeos/types.h>

#define CONSOLE_LINE_MAX	512

/* Context: any (threads, hard IRQ, NMI, exceptions, all CPUs at once). */
void kprintf(const char *fmt, ...) __printf(1, 2);
void kvprintf(const char *fmt, va_list ap);
void console_write(const char *s, size_t n);

/* Context: panic only. The caller is the one CPU left running. */
void console_enter_panic(void);

#endif
