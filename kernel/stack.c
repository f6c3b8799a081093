// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guarded stacks. Every stack (threads, idle/boot contexts, per-CPU IRQ
 * stacks, the IST stacks) lives in a slot of its own virtual range,
 * STACKS_VA (where Linux's CONFIG_VMAP_STACK puts them): the lower half of
 * a slot is never mapped, the upper half is the stack. Running off the
 * bottom faults on the guard instead of silently overwriting whatever page
 * lies below, and the fault report names the stack (traps.c).
 *
 *   slot n:  [STACKS_VA + n*SLOT, + GUARD)        unmapped guard
 *            [+ GUARD, + SLOT)                    STACK_SIZE, mapped
 *
 * A freed stack's pages go back to the page allocator at once. Its address
 * may still sit in other CPUs' TLBs, so the slot is "dirty": it is reused
 * only after a TLB flush on every CPU, done for a batch of slots at a time.
 * Until a batch is ready, new stacks take fresh slots; the page tables of
 * the first PRE_SLOTS slots are made at boot, so the common case allocates
 * only the stack's own pages.
 */
#include <ddeos/arch.h>
#include <ddeos/page_alloc.h>
#include <ddeos/panic.h>
#include <ddeos/preempt.h>
#include <ddeos/spinlock.h>
#include <ddeos/stack.h>

#define SLOT_SIZE	(2ul * STACK_SIZE)
#define GUARD_SIZE	(SLOT_SIZE - STACK_SIZE)
#define NR_SLOTS	((STACKS_END_VA - STACKS_VA) / SLOT_SIZE)
#define FLUSH_BATCH	64		/* dirty slots per TLB flush round */
#define LIST_MAX	1024
#define PRE_SLOTS	1024		/* page tables made at boot */

static struct spinlock stack_lock = SPINLOCK_INIT;
static uint64_t slots_used;		/* slots ever handed out: [0, used) */
static uint32_t clean[LIST_MAX], nclean;	/* free, safe to reuse */
static uint32_t dirty[LIST_MAX], ndirty;	/* free, TLBs may remember */
static bool flushing;

static uint64_t slot_base(uint64_t slot)
{
	return STACKS_VA + slot * SLOT_SIZE + GUARD_SIZE;
}

/* Page tables for the first slots, so that stack_alloc() needs none.
 * Context: boot, before the first stack_alloc(). */
void stack_init(void)
{
	for (uint64_t va = STACKS_VA; va < STACKS_VA + PRE_SLOTS * SLOT_SIZE;
	     va += 512 * PAGE_SIZE)
		arch_map_prepare(va);
}

/*
 * Dirty slots become clean after every CPU dropped its TLB entries. Only
 * the ones freed before the flush began count: slots freed meanwhile stay
 * dirty, after them in the array.
 */
static void flush_dirty(void)
{
	unsigned long flags;
	uint32_t n, i;

	flags = spinlock_lock_irqsave(&stack_lock);
	if (flushing || ndirty < FLUSH_BATCH) {
		spinlock_unlock_irqrestore(&stack_lock, flags);
		return;
	}
	flushing = true;
	n = ndirty;
	spinlock_unlock_irqrestore(&stack_lock, flags);
	arch_tlb_flush_all();
	flags = spinlock_lock_irqsave(&stack_lock);
	for (i = 0; i < n && nclean < LIST_MAX; i++)
		clean[nclean++] = dirty[i];
	for (i = n; i < ndirty; i++)		/* freed during the flush */
		dirty[i - n] = dirty[i];
	ndirty -= n;
	flushing = false;
	spinlock_unlock_irqrestore(&stack_lock, flags);
}

/* Context: thread or boot. Return: the stack's lowest address, or NULL. */
void *stack_alloc(void)
{
	unsigned long flags;
	uint64_t slot, base, pa;

	/* Flushing waits for every CPU: only from a preemptible thread. */
	if (!nclean && ndirty >= FLUSH_BATCH && !preempt_level() && arch_irqs_enabled())
		flush_dirty();
	pa = page_alloc(STACK_ORDER);
	if (!pa)
		return NULL;
	flags = spinlock_lock_irqsave(&stack_lock);
	if (nclean) {
		slot = clean[--nclean];
	} else if (slots_used < NR_SLOTS) {
		slot = slots_used++;
	} else {
		spinlock_unlock_irqrestore(&stack_lock, flags);
		page_free(pa, STACK_ORDER);
		return NULL;
	}
	spinlock_unlock_irqrestore(&stack_lock, flags);
	base = slot_base(slot);
	for (uint64_t off = 0; off < STACK_SIZE; off += PAGE_SIZE)
		arch_map_page(base + off, pa + off);
	return (void *)base;
}

/* Context: thread or boot; no CPU runs on the stack any more. */
void stack_free(void *base)
{
	uint64_t b = (uint64_t)base, slot = (b - STACKS_VA) / SLOT_SIZE, pa = 0;
	unsigned long flags;

	if (!stack_is_slot_base(b))
		kpanic("stack_free(%p): not a stack", base);
	for (uint64_t off = 0; off < STACK_SIZE; off += PAGE_SIZE) {
		uint64_t p = arch_unmap_page(b + off);

		if (!off)
			pa = p;
	}
	page_free(pa, STACK_ORDER);
	flags = spinlock_lock_irqsave(&stack_lock);
	if (ndirty < LIST_MAX)
		dirty[ndirty++] = (uint32_t)slot;	/* else the slot is retired */
	spinlock_unlock_irqrestore(&stack_lock, flags);
}

static bool in_used_slots(uint64_t addr, uint64_t *slot)
{
	if (addr < STACKS_VA || addr >= STACKS_END_VA)
		return false;
	*slot = (addr - STACKS_VA) / SLOT_SIZE;
	return *slot < __atomic_load_n(&slots_used, __ATOMIC_ACQUIRE);
}

bool stack_is_slot_base(uint64_t addr)
{
	uint64_t slot;

	return in_used_slots(addr, &slot) && addr == slot_base(slot);
}

/* Only for reading frames in a report: a freed slot's stack may be gone. */
bool stack_addr_mapped(uint64_t addr)
{
	uint64_t slot;

	return in_used_slots(addr, &slot) &&
	       (addr - STACKS_VA) % SLOT_SIZE >= GUARD_SIZE;
}

uint64_t stack_guard_hit(uint64_t addr)
{
	uint64_t slot;

	if (!in_used_slots(addr, &slot) || (addr - STACKS_VA) % SLOT_SIZE >= GUARD_SIZE)
		return 0;
	return slot_base(slot);
}
