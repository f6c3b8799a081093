/* SPDX-License-Identifier: GPL-2.0-only */
/* Boot steps the x86 files call in each other (generic code uses arch.h). */
#ifndef ARCH_SETUP_H
#define ARCH_SETUP_H

#include <ddeos/types.h>

void ioapic_init(void);			/* ioapic.c */
void arch_smp_discover(void);		/* smpboot.c */
uint64_t arch_paging_root(void);	/* paging.c: PML4 for the AP trampoline */
void paging_init_pat(void);		/* paging.c: each CPU at bring-up */

#endif
