/* SPDX-License-Identifier: GPL-2.0-only */
/* Stopping the machine on a state we cannot continue from, and assertions. */
#ifndef DDEOS_PANIC_H
#define DDEOS_PANIC_H

#include <ddeos/types.h>

/*
 * Print the message and a backtrace, stop every CPU, power off with a
 * failure status. Context: any.
 */
void __noreturn kpanic(const char *fmt, ...) __printf(1, 2);

/* Called by the exception handler after it printed its report. */
void __noreturn panic_stop(void);

bool panic_in_progress(void);

#define assert(cond)							\
	do {								\
		if (unlikely(!(cond)))					\
			kpanic("assertion failed: %s at %s:%d in %s()",	\
			      #cond, __FILE__, __LINE__, __func__);	\
	} while (0)

#endif
