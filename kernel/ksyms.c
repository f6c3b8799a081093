// SPDX-License-Identifier: GPL-2.0-only
/* Symbol lookup over the .ksyms table made by tools/gen-ksyms. */
#include <ddeos/fmt.h>
#include <ddeos/ksyms.h>

extern const char __ksyms_start[], __ksyms_end[];
extern const char __kernel_text_start[], __kernel_text_end[];

const char *ksyms_lookup(uint64_t addr, uint64_t *offset)
{
	const uint64_t *count = (const uint64_t *)__ksyms_start;
	const uint64_t *addrs = count + 1;
	const uint32_t *names = (const uint32_t *)(addrs + *count);
	const char *strings = (const char *)(names + *count);
	uint64_t lo = 0, hi = *count;

	if (addr < (uint64_t)__kernel_text_start ||
	    addr >= (uint64_t)__kernel_text_end || !*count || addr < addrs[0])
		return NULL;
	while (hi - lo > 1) {		/* largest addrs[i] <= addr */
		uint64_t mid = (lo + hi) / 2;

		if (addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - addrs[lo];
	return strings + names[lo];
}

void ksyms_format(uint64_t addr, char *buf, size_t size)
{
	uint64_t off;
	const char *name = ksyms_lookup(addr, &off);

	if (name)
		fmt_snprintf(buf, size, "%s+0x%llx", name, (unsigned long long)off);
	else
		fmt_snprintf(buf, size, "?");
}
