// SPDX-License-Identifier: GPL-2.0-only
/*
 * Numbers in option values: decimal with an optional K, M or G suffix, as
 * Linux's memparse() reads them. Pure logic, shared by every option
 * parser and host-tested (tests/host/test_cmdline_parse.c).
 */
#include <ddeos/cmdline.h>
#include <ddeos/errno.h>

int cmdline_parse_u64(const char *value, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = value;
	unsigned int shift = 0;

	if (!p || *p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		uint64_t digit = (uint64_t)(*p - '0');

		if (v > (UINT64_MAX - digit) / 10)
			return -EINVAL;
		v = v * 10 + digit;
	}
	switch (*p) {
	case 'k': case 'K': shift = 10; p++; break;
	case 'm': case 'M': shift = 20; p++; break;
	case 'g': case 'G': shift = 30; p++; break;
	}
	if (*p || v > (max >> shift))
		return -EINVAL;
	*out = v << shift;
	return 0;
}
