/* SPDX-License-Identifier: GPL-2.0-only */
/* Function names for addresses, from the table linked in at build time. */
#ifndef DDEOS_KSYMS_H
#define DDEOS_KSYMS_H

#include <ddeos/types.h>

#define KSYM_NAME_MAX	128

/* Return: the name of the function containing @addr, or NULL; *offset set. */
const char *ksyms_lookup(uint64_t addr, uint64_t *offset);

/* Format "name+0xoff" (or "?") into buf. Context: any. */
void ksyms_format(uint64_t addr, char *buf, size_t size);

#endif
