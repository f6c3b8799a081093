/* SPDX-License-Identifier: GPL-2.0-only */
/* What the ACPI tables tell the x86 code: CPUs, IOAPICs, ISA overrides, PM,
 * and where PCI configuration space is memory-mapped (MCFG). Without ACPI,
 * mptable.c fills in the CPUs, IOAPICs and ISA routing from the MP table. */
#ifndef ARCH_ACPI_H
#define ARCH_ACPI_H

#include <ddeos/types.h>
#include <ddeos/percpu.h>

#define ACPI_MAX_IOAPICS	8
#define ACPI_MAX_APIC_IDS	256
#define ACPI_MAX_MCFG		8

struct acpi_info {
	uint32_t apic_ids[ACPI_MAX_APIC_IDS];	/* enabled CPUs, MADT order */
	unsigned int nr_cpus_found;
	uint64_t lapic_pa;
	struct {
		uint8_t id;
		uint64_t pa;
		uint32_t gsi_base;
	} ioapics[ACPI_MAX_IOAPICS];
	unsigned int nr_ioapics;
	/* ISA IRQ -> GSI and polarity/trigger flags (MADT type 2). */
	uint32_t isa_gsi[16];
	uint16_t isa_flags[16];
	uint16_t pm1a_cnt;		/* PM1a control port, 0 if none */
	uint16_t pm1b_cnt;
	uint16_t slp_typ_s5;		/* SLP_TYPa for S5 from \_S5 */
	bool have_s5;
	/* Hardware-reduced ACPI's sleep control register (FADT), 0 if none. */
	uint64_t sleep_ctl;
	uint8_t sleep_ctl_space;	/* GAS address space: 0 memory, 1 I/O */
	const char *source;		/* "acpi" or "mptable", for the boot line */
	/* PCI Express ECAM ranges (MCFG): one per segment and bus range;
	 * none on QEMU's pc machine, one (segment 0, buses 0-255) on q35. */
	struct {
		uint64_t base;		/* physical address of bus 0, not bus_start */
		uint16_t segment;
		uint8_t bus_start, bus_end;
	} mcfg[ACPI_MAX_MCFG];
	unsigned int nr_mcfg;
};

extern struct acpi_info acpi_info;

bool acpi_init(uint64_t rsdp_pa);
void acpi_poweroff(void);
bool mptable_init(void);		/* mptable.c */

#endif
