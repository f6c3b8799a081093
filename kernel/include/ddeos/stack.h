/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guarded stacks (kernel/stack.c): every stack has an unmapped guard below
 * it, so an overflow faults and is reported with the stack's owner.
 */
#ifndef DDEOS_STACK_H
#define DDEOS_STACK_H

#define STACK_ORDER	2			/* 16 KiB, Linux's THREAD_SIZE */
#define STACK_SIZE	(4096 << STACK_ORDER)

#ifndef __ASSEMBLY__
#include <ddeos/types.h>

void stack_init(void);
/* A stack's lowest address (its top is + STACK_SIZE), or NULL.
 * Context: thread or boot. */
void *stack_alloc(void);
/* Give back a stack no CPU runs on. Context: thread or boot. */
void stack_free(void *base);
/* Is @addr inside the mapped part of a stack slot? Context: any. */
bool stack_addr_mapped(uint64_t addr);
/* Is @addr the base of a stack slot? Context: any. */
bool stack_is_slot_base(uint64_t addr);
/* If @addr is in the guard of a stack, that stack's base, else 0. */
uint64_t stack_guard_hit(uint64_t addr);
#endif

#endif
