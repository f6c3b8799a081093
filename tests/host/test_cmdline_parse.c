// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of kernel/cmdline_parse.c: numbers in option values, with
 * Linux's memparse() suffixes, bounded by the option's maximum.
 */
#include <stdint.h>

#include <ddeos/cmdline.h>
#include <ddeos/errno.h>

#include "tap.h"

static void expect_value(const char *in, uint64_t max, uint64_t want)
{
	uint64_t got = 12345;
	int err = cmdline_parse_u64(in, max, &got);

	if (err || got != want)
		tap_diag("'%s': error %d, value %llu, want %llu", in, err,
			 (unsigned long long)got, (unsigned long long)want);
	tap_result(!err && got == want, "cmdline_parse_u64: '%s' is %llu", in,
		   (unsigned long long)want);
}

static void expect_refused(const char *in, uint64_t max)
{
	uint64_t got = 12345;
	int err = cmdline_parse_u64(in, max, &got);

	tap_result(err == -EINVAL && got == 12345,
		   "cmdline_parse_u64: '%s' refused (max %llu), value untouched",
		   in ? in : "(null)", (unsigned long long)max);
}

void test_cmdline_parse(void)
{
	expect_value("0", 10, 0);
	expect_value("4096", UINT64_MAX, 4096);
	expect_value("4k", UINT64_MAX, 4096);
	expect_value("128K", UINT64_MAX, 131072);
	expect_value("1M", 1 << 20, 1 << 20);
	expect_value("2g", UINT64_MAX, 2ull << 30);
	expect_value("18446744073709551615", UINT64_MAX, UINT64_MAX);
	expect_refused(NULL, 10);
	expect_refused("", 10);
	expect_refused("k", 10);
	expect_refused("-1", 10);
	expect_refused("11", 10);
	expect_refused("2M", 1 << 20);
	expect_refused("12x", 100);
	expect_refused("4kb", UINT64_MAX);
	expect_refused(" 4", 100);
	expect_refused("18446744073709551616", UINT64_MAX);
	expect_refused("17179869184G", UINT64_MAX);
}
