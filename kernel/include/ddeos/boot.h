/* SPDX-License-Identifier: GPL-2.0-only */
/* What the loader told us: RAM ranges, command line, ACPI root. */
#ifndef DDEOS_BOOT_H
#define DDEOS_BOOT_H

#include <ddeos/types.h>

#define BOOT_MAX_RANGES	64
#define BOOT_CMDLINE_MAX 1024

struct mem_range {
	uint64_t start;
	uint64_t end;		/* exclusive */
};

struct boot_info {
	struct mem_range ram[BOOT_MAX_RANGES];	/* usable RAM, page aligned */
	unsigned int nr_ram;
	uint64_t ram_bytes;
	uint64_t max_phys;	/* end of the highest usable RAM range */
	uint64_t rsdp_pa;
	char cmdline[BOOT_CMDLINE_MAX];
};

extern struct boot_info boot_info;

#endif
