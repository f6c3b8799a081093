// SPDX-License-Identifier: GPL-2.0-only
/* The initial stack of a new thread, in the shape arch_switch() resumes. */
#include <ddeos/arch.h>

/*
 * arch_switch() pops six callee-saved registers and returns; the return
 * address is @entry. After that `ret`, %rsp is 16-byte aligned, as the
 * `call` in arch_thread_entry requires.
 */
void *arch_thread_stack_init(void *stack_top, void (*entry)(void))
{
	uint64_t *sp = (uint64_t *)ALIGN_DOWN((uint64_t)stack_top, 16);

	*--sp = (uint64_t)entry;
	for (int i = 0; i < 6; i++)
		*--sp = 0;		/* rbp (ends backtraces), rbx, r12-r15 */
	return sp;
}
