// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests for the kernel's pure-logic files, compiled straight from
 * kernel/ with the host gcc and the address and undefined-behaviour
 * sanitizers. Run with `make -C tests/host check`.
 */
#include "tap.h"

int main(void)
{
	test_fmt();
	test_cmdline_split();
	test_cmdline_parse();
	return tap_summary();
}
