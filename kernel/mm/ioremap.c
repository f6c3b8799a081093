// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ioremap range: device memory mapped with 4 KiB pages at IOREMAP_VA,
 * the upper 16 TiB of the area Linux calls vmalloc space (the lower half
 * holds the guarded stacks, stack.c), so a driver's ioremap() lands where
 * Linux's would. The direct map already covers non-RAM below 4 GiB
 * uncached, but only in 2 MiB pages and only uncached; here a mapping is
 * exactly its pages, may be write-combining, and goes away again.
 *
 * A mapping is one entry of a table sorted by address; a new one takes the
 * first gap that holds its pages plus one unmapped guard page (as Linux's
 * vmap areas have), so a driver running off its BAR faults. Unmapping
 * clears the PTEs, flushes every CPU's TLB and only then frees the entry:
 * until then no new mapping can get the address while a CPU may still
 * translate it the old way. ioremap_lock guards the table; it is never held
 * while waiting for other CPUs.
 */
#include <ddeos/arch.h>
#include <ddeos/boot.h>
#include <ddeos/console.h>
#include <ddeos/ioremap.h>
#include <ddeos/preempt.h>
#include <ddeos/sched.h>
#include <ddeos/spinlock.h>

#define IOREMAP_MAX	256	/* mappings at once: a few per device */

struct io_mapping {
	uint64_t va;		/* page aligned */
	uint64_t pages;		/* mapped pages; a guard page follows */
	bool unmapping;		/* iounmap under way: address not yet free */
};

static struct spinlock ioremap_lock = SPINLOCK_INIT;
static struct io_mapping maps[IOREMAP_MAX];	/* by va; ioremap_lock */
static unsigned int nr_maps;			/* ioremap_lock */

extern char __kernel_end[];

/* The RAM ranges and the kernel image (which they leave out) are RAM;
 * below 1 MiB the legacy VGA and BIOS areas are not. */
static bool overlaps_ram(uint64_t pa, uint64_t end)
{
	if (pa < virt_to_phys(__kernel_end) && MiB(1) < end)
		return true;
	for (unsigned int i = 0; i < boot_info.nr_ram; i++)
		if (pa < boot_info.ram[i].end && boot_info.ram[i].start < end)
			return true;
	return false;
}

/* Reserve @pages + 1 pages of the range. Return: the address or 0. */
static uint64_t reserve(uint64_t pages)
{
	uint64_t need = (pages + 1) * PAGE_SIZE, va = IOREMAP_VA;
	unsigned long flags = spinlock_lock_irqsave(&ioremap_lock);
	unsigned int i;

	if (nr_maps == IOREMAP_MAX) {
		spinlock_unlock_irqrestore(&ioremap_lock, flags);
		return 0;
	}
	for (i = 0; i < nr_maps; i++) {
		if (maps[i].va - va >= need)
			break;
		va = maps[i].va + (maps[i].pages + 1) * PAGE_SIZE;
	}
	if (IOREMAP_END_VA - va < need) {
		spinlock_unlock_irqrestore(&ioremap_lock, flags);
		return 0;
	}
	for (unsigned int j = nr_maps; j > i; j--)
		maps[j] = maps[j - 1];
	maps[i] = (struct io_mapping){ .va = va, .pages = pages };
	nr_maps++;
	spinlock_unlock_irqrestore(&ioremap_lock, flags);
	return va;
}

void *ioremap_map(uint64_t pa, uint64_t size, enum ioremap_mode mode)
{
	uint64_t first = ALIGN_DOWN(pa, PAGE_SIZE), end = pa + size, pages, va;

	if (!size || end < pa || end > (1ull << 52) ||
	    (mode != IOREMAP_UC && mode != IOREMAP_WC))
		return NULL;
	if (overlaps_ram(pa, end)) {
		kprintf("ioremap: %#llx-%#llx is RAM, not device memory\n",
			(unsigned long long)pa, (unsigned long long)end - 1);
		return NULL;
	}
	pages = (ALIGN_UP(end, PAGE_SIZE) - first) / PAGE_SIZE;
	va = reserve(pages);
	if (!va)
		return NULL;
	for (uint64_t i = 0; i < pages; i++)
		arch_map_io_page(va + i * PAGE_SIZE, first + i * PAGE_SIZE,
				 mode == IOREMAP_WC);
	return (void *)(va + (pa - first));
}

void ioremap_unmap(void *addr)
{
	uint64_t va = ALIGN_DOWN((uint64_t)addr, PAGE_SIZE), pages = 0;
	unsigned long flags;
	unsigned int i;

	if (preempt_level() || !arch_irqs_enabled())
		sched_assert_may_sleep(__builtin_return_address(0));
	flags = spinlock_lock_irqsave(&ioremap_lock);
	for (i = 0; i < nr_maps; i++) {
		if (maps[i].va == va && !maps[i].unmapping) {
			maps[i].unmapping = true;
			pages = maps[i].pages;
			break;
		}
	}
	spinlock_unlock_irqrestore(&ioremap_lock, flags);
	if (!pages) {
		kprintf("ioremap: unmap of %p, which is no mapping; ignored\n", addr);
		arch_backtrace_here();
		return;
	}
	for (uint64_t p = 0; p < pages; p++)
		arch_unmap_page(va + p * PAGE_SIZE);
	arch_tlb_flush_all();
	/* Entries may have moved meanwhile: find ours again. */
	flags = spinlock_lock_irqsave(&ioremap_lock);
	for (i = 0; i < nr_maps && maps[i].va != va; i++)
		;
	for (; i + 1 < nr_maps; i++)
		maps[i] = maps[i + 1];
	nr_maps--;
	spinlock_unlock_irqrestore(&ioremap_lock, flags);
}

unsigned int ioremap_count(void)
{
	return READ_ONCE(nr_maps);
}
