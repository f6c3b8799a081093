// SPDX-License-Identifier: GPL-2.0-only
/*
 * Frame-pointer backtraces (everything is built with -fno-omit-frame-pointer).
 * The walk stops at a frame outside the direct map or the kernel image, or
 * after a bound, so a corrupt stack cannot make the report fault.
 */
#include <ddeos/arch.h>
#include <ddeos/console.h>
#include <ddeos/ksyms.h>

#define BACKTRACE_MAX	32

static bool frame_ok(uint64_t fp)
{
	return !(fp & 7) && fp >= PAGE_OFFSET_VA && fp < 0xfffffffffffff000ull;
}

void arch_backtrace(uint64_t rbp, uint64_t rip)
{
	char sym[KSYM_NAME_MAX];

	kprintf("Call trace:\n");
	ksyms_format(rip, sym, sizeof(sym));
	kprintf("  [<%016llx>] %s\n", (unsigned long long)rip, sym);
	for (int i = 0; i < BACKTRACE_MAX && frame_ok(rbp); i++) {
		const uint64_t *frame = (const uint64_t *)rbp;
		uint64_t ret = frame[1];

		if (ret < KERNEL_VMA)
			break;
		ksyms_format(ret - 1, sym, sizeof(sym));
		kprintf("  [<%016llx>] %s\n", (unsigned long long)ret, sym);
		if (frame[0] <= rbp)	/* stacks grow down: callers are above */
			break;
		rbp = frame[0];
	}
}

void arch_backtrace_here(void)
{
	const uint64_t *frame = __builtin_frame_address(0);

	/* Start at our caller: its rip and its frame. */
	arch_backtrace(frame[0], frame[1] - 1);
}
