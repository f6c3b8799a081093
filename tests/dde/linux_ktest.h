/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the Linux-world KTAP suites (tests/dde/linux_*_test.c) share: a check
 * that records a failure with a formatted message and yields its condition,
 * and the registration of a suite in the kernel's suite section.
 */
#ifndef TESTS_DDE_LINUX_KTEST_H
#define TESTS_DDE_LINUX_KTEST_H

#include <linux/kernel.h>
#include <dde/dde.h>

/* Record a failure of @cond (with a printf-style note); yields @cond. */
#define EXPECT(t, cond, ...)						\
	({								\
		bool __ok = (cond);					\
		if (!__ok) {						\
			char __m[160] = "";				\
			snprintf(__m, sizeof(__m), " " __VA_ARGS__);	\
			ddeos_ktest_fail(t, __FILE__, __LINE__, #cond, __m); \
		}							\
		__ok;							\
	})

/* Register the suite @sname made of the case table @table. */
#define LINUX_KTEST_SUITE(sname, table)					\
	static const struct ddeos_ktest_suite sname##_suite		\
	__section(DDEOS_KTEST_SECTION) __used __aligned(8) = {		\
		.name = #sname,						\
		.cases = table,						\
		.nr_cases = ARRAY_SIZE(table),				\
	}

#endif
