// SPDX-License-Identifier: GPL-2.0-only
/*
 * Just enough ACPI: the MADT for CPUs, IOAPICs and ISA overrides, the MCFG
 * for PCI's memory-mapped configuration space, and the FADT plus the DSDT's
 * \_S5 package for soft power-off, through PM1 control on full ACPI or the
 * sleep control register on hardware-reduced ACPI (microvm). No AML
 * interpreter: \_S5 is read by pattern, which works for QEMU's and most
 * firmware's static \_S5 package (Name(_S5, Package(){a, b, ...})).
 */
#include <arch/acpi.h>
#include <arch/cpu.h>
#include <ddeos/arch.h>
#include <ddeos/console.h>
#include <ddeos/panic.h>
#include <ddeos/string.h>

struct acpi_info acpi_info;

struct rsdp {
	char sig[8];
	uint8_t checksum;
	char oem[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
	uint8_t xchecksum;
	uint8_t reserved[3];
} __attribute__((packed));

struct sdt {
	char sig[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem[6];
	char oem_table[8];
	uint32_t oem_rev;
	uint32_t creator;
	uint32_t creator_rev;
} __attribute__((packed));

struct madt {
	struct sdt h;
	uint32_t lapic;
	uint32_t flags;
} __attribute__((packed));

/* The FADT fields we read (ACPI 6.x, table 5.9 offsets). */
#define FADT_DSDT	40
#define FADT_PM1A_CNT	64
#define FADT_PM1B_CNT	68
#define FADT_FLAGS	112
#define FADT_X_DSDT	140
#define FADT_SLEEP_CTL	244	/* generic address structure, ACPI 5.0+ */
#define FADT_HW_REDUCED	(1u << 20)

/* Generic address structure (ACPI 6.x, 5.2.3.2) address spaces. */
#define GAS_MEMORY	0
#define GAS_IO		1
#define SLP_EN_REDUCED	(1u << 5)	/* sleep control register, 4.8.3.7 */

static bool checksum_ok(const void *p, size_t n)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += ((const uint8_t *)p)[i];
	return sum == 0;
}

static void parse_madt(const struct madt *m)
{
	const uint8_t *p = (const uint8_t *)(m + 1);
	const uint8_t *end = (const uint8_t *)m + m->h.length;

	acpi_info.lapic_pa = m->lapic;
	for (unsigned int i = 0; i < 16; i++)
		acpi_info.isa_gsi[i] = i;
	while (p + 2 <= end && p[1] >= 2) {
		switch (p[0]) {
		case 0:		/* processor local APIC */
			if ((p[4] | p[5] << 8) & 3 &&	/* enabled / online capable */
			    acpi_info.nr_cpus_found < ACPI_MAX_APIC_IDS)
				acpi_info.apic_ids[acpi_info.nr_cpus_found++] = p[3];
			break;
		case 1:		/* IOAPIC */
			if (acpi_info.nr_ioapics < ACPI_MAX_IOAPICS) {
				unsigned int n = acpi_info.nr_ioapics++;

				acpi_info.ioapics[n].id = p[2];
				memcpy(&acpi_info.ioapics[n].pa, p + 4, 4);
				memcpy(&acpi_info.ioapics[n].gsi_base, p + 8, 4);
			}
			break;
		case 2:		/* interrupt source override */
			if (p[3] < 16) {
				memcpy(&acpi_info.isa_gsi[p[3]], p + 4, 4);
				memcpy(&acpi_info.isa_flags[p[3]], p + 8, 2);
			}
			break;
		case 5:		/* 64-bit LAPIC address override */
			memcpy(&acpi_info.lapic_pa, p + 4, 8);
			break;
		case 9: {	/* processor local x2APIC */
			uint32_t id, flags;

			memcpy(&id, p + 4, 4);
			memcpy(&flags, p + 8, 4);
			if (flags & 3 && acpi_info.nr_cpus_found < ACPI_MAX_APIC_IDS)
				acpi_info.apic_ids[acpi_info.nr_cpus_found++] = id;
			break;
		}
		}
		p += p[1];
	}
}

/*
 * MCFG (PCI Firmware Specification 3.0, 4.1.2): after the header, 8 reserved
 * bytes, then 16-byte entries: base address (of bus 0 of the segment, even
 * when the range starts at a later bus), segment, first and last bus.
 */
static void parse_mcfg(const struct sdt *t)
{
	const uint8_t *p = (const uint8_t *)(t + 1) + 8;
	const uint8_t *end = (const uint8_t *)t + t->length;

	for (; p + 16 <= end; p += 16) {
		unsigned int n = acpi_info.nr_mcfg;

		if (n == ACPI_MAX_MCFG) {
			kprintf("ACPI: more than %u MCFG ranges, the rest ignored\n",
				ACPI_MAX_MCFG);
			return;
		}
		memcpy(&acpi_info.mcfg[n].base, p, 8);
		memcpy(&acpi_info.mcfg[n].segment, p + 8, 2);
		acpi_info.mcfg[n].bus_start = p[10];
		acpi_info.mcfg[n].bus_end = p[11];
		if (!acpi_info.mcfg[n].base || p[11] < p[10])
			continue;	/* firmware placeholder: skip it */
		acpi_info.nr_mcfg++;
	}
}

/* Find "_S5_" followed by PackageOp and read its first element. */
static void parse_s5(const struct sdt *dsdt)
{
	const uint8_t *p = (const uint8_t *)(dsdt + 1);
	const uint8_t *end = (const uint8_t *)dsdt + dsdt->length;

	for (; p + 8 < end; p++) {
		if (string_memcmp(p, "_S5_", 4) || p[4] != 0x12)	/* PackageOp */
			continue;
		const uint8_t *q = p + 5;

		q += ((*q >> 6) & 3) + 1;	/* PkgLength */
		q++;				/* NumElements */
		if (*q == 0x0a)			/* BytePrefix */
			q++;
		if (*q == 0x00 || *q == 0x01 || (*q < 8 && q[-1] == 0x0a)) {
			acpi_info.slp_typ_s5 = *q;
			acpi_info.have_s5 = true;
		}
		return;
	}
}

static bool rsdp_ok(const struct rsdp *rsdp)
{
	return !string_memcmp(rsdp->sig, "RSD PTR ", 8) && checksum_ok(rsdp, 20);
}

/*
 * Where a BIOS leaves the RSDP (ACPI 6.x, 5.2.5.1): on a 16-byte boundary in
 * the first KiB of the EBDA or in 0xe0000-0xfffff. PVH loaders that do not
 * fill in rsdp_paddr (qboot, microvm's firmware) leave it there.
 */
static uint64_t find_rsdp(void)
{
	uint64_t ebda = (uint64_t)*(const uint16_t *)phys_to_virt(0x40e) << 4;
	uint64_t ranges[2][2] = { { ebda, ebda + 1024 }, { 0xe0000, 0x100000 } };

	for (unsigned int r = 0; r < 2; r++) {
		if (!ranges[r][0] || ranges[r][1] > 0x100000)
			continue;
		for (uint64_t pa = ranges[r][0]; pa < ranges[r][1]; pa += 16)
			if (rsdp_ok(phys_to_virt(pa)))
				return pa;
	}
	return 0;
}

static void parse_fadt(const struct sdt *t)
{
	const uint8_t *f = (const uint8_t *)t;
	uint64_t dsdt = 0;
	uint32_t port, flags = 0;

	memcpy(&port, f + FADT_PM1A_CNT, 4);
	acpi_info.pm1a_cnt = (uint16_t)port;
	memcpy(&port, f + FADT_PM1B_CNT, 4);
	acpi_info.pm1b_cnt = (uint16_t)port;
	if (t->length >= FADT_FLAGS + 4)
		memcpy(&flags, f + FADT_FLAGS, 4);
	if (flags & FADT_HW_REDUCED && t->length >= FADT_SLEEP_CTL + 12) {
		acpi_info.sleep_ctl_space = f[FADT_SLEEP_CTL];
		memcpy(&acpi_info.sleep_ctl, f + FADT_SLEEP_CTL + 4, 8);
	}
	if (t->length >= FADT_X_DSDT + 8)
		memcpy(&dsdt, f + FADT_X_DSDT, 8);
	if (!dsdt)
		memcpy(&dsdt, f + FADT_DSDT, 4);
	if (dsdt)
		parse_s5(phys_to_virt(dsdt));
}

/**
 * acpi_init() - read the tables the x86 code needs into acpi_info
 * @rsdp_pa: the RSDP from the boot loader, or 0 to look where BIOSes put it
 *
 * Context: boot CPU, after paging_init (tables may lie anywhere below 4 GiB).
 * Return: false if the machine has no ACPI tables (microvm acpi=off), true if
 * they were read. Bad tables are fatal.
 */
bool acpi_init(uint64_t rsdp_pa)
{
	const struct rsdp *rsdp;
	const struct sdt *root;
	size_t entry_size;

	if (!rsdp_pa)
		rsdp_pa = find_rsdp();
	if (!rsdp_pa)
		return false;
	rsdp = phys_to_virt(rsdp_pa);
	if (!rsdp_ok(rsdp))
		kpanic("ACPI: no valid RSDP at %#llx", (unsigned long long)rsdp_pa);
	if (rsdp->revision >= 2 && rsdp->xsdt) {
		root = phys_to_virt(rsdp->xsdt);
		entry_size = 8;
	} else {
		root = phys_to_virt(rsdp->rsdt);
		entry_size = 4;
	}
	if (!checksum_ok(root, root->length))
		kpanic("ACPI: bad root table checksum");

	size_t n = (root->length - sizeof(*root)) / entry_size;

	for (size_t i = 0; i < n; i++) {
		uint64_t pa = 0;
		const struct sdt *t;

		memcpy(&pa, (const uint8_t *)(root + 1) + i * entry_size, entry_size);
		t = phys_to_virt(pa);
		if (!string_memcmp(t->sig, "APIC", 4)) {
			parse_madt((const struct madt *)t);
		} else if (!string_memcmp(t->sig, "MCFG", 4)) {
			parse_mcfg(t);
		} else if (!string_memcmp(t->sig, "FACP", 4)) {
			parse_fadt(t);
		}
	}
	if (!acpi_info.nr_cpus_found)
		kpanic("ACPI: the MADT lists no CPU");
	acpi_info.source = "acpi";
	return true;
}

/* Hardware-reduced S5: SLP_TYP in bits 4:2 and SLP_EN of the one-byte sleep
 * control register, in memory or I/O space as the FADT says. */
static void sleep_ctl_poweroff(void)
{
	uint8_t v = (uint8_t)((acpi_info.slp_typ_s5 & 7) << 2) | SLP_EN_REDUCED;

	if (acpi_info.sleep_ctl_space == GAS_MEMORY)
		*(volatile uint8_t *)arch_map_mmio(acpi_info.sleep_ctl, 1) = v;
	else if (acpi_info.sleep_ctl_space == GAS_IO)
		outb((uint16_t)acpi_info.sleep_ctl, v);
}

/* Enter S5. Returns only if the platform ignored us. */
void acpi_poweroff(void)
{
	uint16_t v = (uint16_t)(acpi_info.slp_typ_s5 << 10) | (1 << 13);

	if (!acpi_info.have_s5)
		return;
	if (acpi_info.sleep_ctl) {
		sleep_ctl_poweroff();
		return;
	}
	if (!acpi_info.pm1a_cnt)
		return;
	outw(acpi_info.pm1a_cnt, v);
	if (acpi_info.pm1b_cnt)
		outw(acpi_info.pm1b_cnt, v);
}
