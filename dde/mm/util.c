// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory facts (Linux: mm/util.c, mm/vmalloc.c). ddeos maps all RAM once
 * and has no vmalloc area, so no address is ever a vmalloc address.
 */
#include <linux/mm.h>

bool is_vmalloc_addr(const void *x)
{
	return false;
}
