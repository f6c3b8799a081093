/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PCI functions found at boot (kernel/pci/pci.c): every bus reachable
 * from each root, their BARs as firmware assigned them, capabilities and
 * INTx routing. A function's record is the waist's struct ddeos_pci_func,
 * so the DDE reads the same table.
 */
#ifndef DDEOS_PCI_H
#define DDEOS_PCI_H

#include <ddeos/types.h>
#include "../../waist/ddeos_waist.h"

#define PCI_MAX_FUNCS	256

/* Scan every root, size BARs, print one line per function. Context: the
 * main thread, once, before ddeos_dde_init() (BAR sizing briefly turns a
 * device's decoding off; nothing may use PCI meanwhile). */
void pci_init(void);
/* Context: any (the table is read-only after pci_init()). */
unsigned int pci_count(void);
const struct ddeos_pci_func *pci_get(unsigned int index);
/* Configuration space of @f. Return: 0, -EINVAL or -ENODEV. Context: any. */
int pci_config_read(const struct ddeos_pci_func *f, unsigned int off,
		    unsigned int size, uint32_t *val);
int pci_config_write(const struct ddeos_pci_func *f, unsigned int off,
		     unsigned int size, uint32_t val);
/* The first capability @id at or after the one at @start (0: the list
 * head). Return: its offset, 0 if none. Context: any. */
unsigned int pci_find_cap(const struct ddeos_pci_func *f, unsigned int id,
			  unsigned int start);

#endif
