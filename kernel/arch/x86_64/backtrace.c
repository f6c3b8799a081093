// SPDX-License-Identifier: GPL-2.0-only
/*
 * Frame-pointer backtraces (everything is built with -fno-omit-frame-pointer).
 * The walk stops at a frame outside the direct map or the kernel image, or
 * after a bound, so a corrupt stack cannot make the report fault.
 */
#include <ddeos/arch.h>
#include <ddeos/console.h>
#include <ddeos/ksyms.h>
#include <ddeos/stack.h>

#define BACKTRACE_MAX	32

/* Can a frame record (two words) be read at @fp without faulting? */
static bool frame_ok(uint64_t fp)
{
	if (fp & 7)
		return false;
	if (fp >= STACKS_VA && fp < STACKS_END_VA)	/* guarded stacks */
		return stack_addr_mapped(fp) && stack_addr_mapped(fp + 15);
	return (fp >= PAGE_OFFSET_VA && fp < STACKS_VA) ||	/* direct map */
	       (fp >= KERNEL_VMA && fp < 0xfffffffffffff000ull);	/* image */
}

/* In trap_common, right after its call of trap_dispatch (entry.S). */
extern const char trap_dispatch_return[];

/*
 * A return address points after its call, which may be the last
 * instruction of a function (a noreturn call): it is looked up at ret - 1.
 * Above trap_common's frame the "return address" is the interrupted rip
 * itself, the trapping instruction, which may be the first of a function:
 * it is looked up as it is, and marked as where the trap hit.
 */
void arch_backtrace(uint64_t rbp, uint64_t rip)
{
	char sym[KSYM_NAME_MAX];
	bool exact = false;

	kprintf("Call trace:\n");
	ksyms_format(rip, sym, sizeof(sym));
	kprintf("  [<%016llx>] %s\n", (unsigned long long)rip, sym);
	for (int i = 0; i < BACKTRACE_MAX && frame_ok(rbp); i++) {
		const uint64_t *frame = (const uint64_t *)rbp;
		uint64_t ret = frame[1], at, off;
		const char *name;

		if (ret < KERNEL_VMA)
			break;
		at = exact ? ret : ret - 1;
		name = ksyms_lookup(at, &off);
		if (name)
			kprintf("  [<%016llx>] %s+0x%llx%s\n", (unsigned long long)ret,
				name, (unsigned long long)(off + (ret - at)),
				exact ? " (trapped here)" : "");
		else
			kprintf("  [<%016llx>] ?\n", (unsigned long long)ret);
		exact = ret == (uint64_t)trap_dispatch_return;
		/* Stacks grow down, callers are above; except where an
		 * interrupt left the interrupted stack for the IRQ stack. */
		if (frame[0] <= rbp && !exact)
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
