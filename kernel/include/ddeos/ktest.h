/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * In-kernel test suites, reported in KTAP (the format of Linux's KUnit), so
 * standard KTAP/TAP parsers read the serial log. A suite is registered with
 * KTEST_SUITE in its own file under tests/kernel/ and chosen on the command
 * line with test=all or test=NAME[,NAME...]. The suite and case structures
 * are the waist's (ddeos_waist.h), so suites compiled in the Linux world
 * register the same way.
 */
#ifndef DDEOS_KTEST_H
#define DDEOS_KTEST_H

#include <ddeos/types.h>
#include "../../waist/ddeos_waist.h"

#define KTEST_SUITE(ident, sname, case_array)				\
	static const struct ddeos_ktest_suite ktest_suite_##ident		\
		__section(DDEOS_KTEST_SECTION) __used __aligned(8) = {	\
		.name = sname, .cases = case_array,			\
		.nr_cases = sizeof(case_array) / sizeof(case_array[0]), \
	}

void ktest_fail(struct ddeos_ktest *t, const char *file, int line, const char *cond,
		const char *fmt, ...) __printf(5, 6);

/* Record a failure and go on. */
#define KTEST_EXPECT(t, cond, ...)					\
	do {								\
		if (unlikely(!(cond)))					\
			ktest_fail(t, __FILE__, __LINE__, #cond, " " __VA_ARGS__); \
	} while (0)

/* Record a failure and leave the case. */
#define KTEST_ASSERT(t, cond, ...)					\
	do {								\
		if (unlikely(!(cond))) {				\
			ktest_fail(t, __FILE__, __LINE__, #cond, " " __VA_ARGS__); \
			return;						\
		}							\
	} while (0)

#define KTEST_SKIP(t, reason)						\
	do {								\
		(t)->skip = (reason);					\
		return;							\
	} while (0)

/* Run the suites chosen with test=. Return: true if all passed. */
bool ktest_run_selected(void);
bool ktest_requested(void);

#endif
