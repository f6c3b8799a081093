/* SPDX-License-Identifier: GPL-2.0-only */
/* Placing unassigned BARs (assign.c), called by the scan (pci.c). */
#ifndef KERNEL_PCI_ASSIGN_H
#define KERNEL_PCI_ASSIGN_H

#include <ddeos/pci.h>

/* Give every BAR of @funcs that firmware left at 0 an address in the host
 * bridge's windows and turn on decoding; print what was done. Context:
 * the main thread at boot, from pci_init(), before the DDE starts. */
void pci_assign(struct ddeos_pci_func *funcs, unsigned int n);

#endif
