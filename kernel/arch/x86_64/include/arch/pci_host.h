/* SPDX-License-Identifier: GPL-2.0-only */
/* The x86 host bridge's fixed facts (pci_host.c) that pci_config.c needs
 * before any scan: where a machine without MCFG keeps its ECAM. */
#ifndef ARCH_PCI_HOST_H
#define ARCH_PCI_HOST_H

#include <ddeos/types.h>

/* Physical address of the ECAM of a machine known to have one without an
 * MCFG table (QEMU's microvm), 0 otherwise. Context: boot CPU. */
uint64_t pci_host_fixed_ecam(void);
/* True if bus 0's function 00.0 at @ecam_bus0 is a host bridge whose
 * layout pci_host.c knows. Context: boot CPU. */
bool pci_host_is_known(volatile uint8_t *ecam_bus0);

#endif
