/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device memory (PCI BARs, any physical range that is not RAM) mapped into
 * the kernel's ioremap range, IOREMAP_VA (kernel/mm/ioremap.c), uncached or
 * write-combining. The mappings are in the page tables every CPU shares.
 */
#ifndef DDEOS_IOREMAP_H
#define DDEOS_IOREMAP_H

#include <ddeos/types.h>

enum ioremap_mode {
	IOREMAP_UC,	/* uncached: registers (Linux's ioremap()) */
	IOREMAP_WC,	/* write-combining: frame buffers (ioremap_wc()) */
};

/*
 * Map [@pa, @pa + @size) and return the address of @pa (the offset within
 * its page kept). Return: NULL for a zero or overflowing size, a range that
 * overlaps RAM, a bad mode, or when the range or memory ran out.
 * Context: thread or preemption off (not hard IRQ: page tables may be
 * allocated).
 */
void *ioremap_map(uint64_t pa, uint64_t size, enum ioremap_mode mode);
/*
 * Unmap what ioremap_map() returned (any address inside the mapping's
 * first page). The virtual range is reused only after every CPU flushed its
 * TLB. Context: thread, may sleep. An address that is no mapping's is
 * reported and ignored.
 */
void ioremap_unmap(void *addr);
/* Mappings in use now (tests). Context: any. */
unsigned int ioremap_count(void);

#endif
