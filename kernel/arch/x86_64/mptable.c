// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Intel MultiProcessor Specification 1.4 table, read when the machine
 * has no ACPI tables (QEMU's microvm with acpi=off, whose qboot firmware
 * writes one): CPUs, IOAPICs and the ISA interrupt routing, into the same
 * acpi_info the MADT fills. PCI interrupt entries are ignored: such machines
 * route PCI through ACPI or MSI.
 */
#include <arch/acpi.h>
#include <ddeos/arch.h>
#include <ddeos/console.h>
#include <ddeos/string.h>

struct mpf {				/* floating pointer structure, 4.1 */
	char sig[4];			/* "_MP_" */
	uint32_t config;		/* physical address of the config table */
	uint8_t length;			/* in 16-byte units: 1 */
	uint8_t spec;
	uint8_t checksum;
	uint8_t feature[5];		/* feature[0] != 0: a default config */
} __attribute__((packed));

struct mpc {				/* configuration table header, 4.2 */
	char sig[4];			/* "PCMP" */
	uint16_t length;
	uint8_t spec;
	uint8_t checksum;
	char oem[8];
	char product[12];
	uint32_t oem_table;
	uint16_t oem_size;
	uint16_t count;
	uint32_t lapic;
	uint16_t ext_length;
	uint8_t ext_checksum;
	uint8_t reserved;
} __attribute__((packed));

_Static_assert(sizeof(struct mpf) == 16, "MP floating pointer ABI");
_Static_assert(sizeof(struct mpc) == 44, "MP config table ABI");

enum { MP_CPU, MP_BUS, MP_IOAPIC, MP_INTSRC, MP_LINTSRC };

#define MP_CPU_ENABLED		0x01
#define MP_IOAPIC_USABLE	0x01
#define MP_INT			0	/* vectored interrupt (not NMI/SMI/ExtINT) */
#define MP_MAX_BUSES		256
#define IOAPIC_VER		0x01

static bool sum_ok(const void *p, size_t n)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += ((const uint8_t *)p)[i];
	return sum == 0;
}

static const struct mpf *scan(uint64_t start, uint64_t len)
{
	for (uint64_t pa = start; pa + sizeof(struct mpf) <= start + len; pa += 16) {
		const struct mpf *f = phys_to_virt(pa);

		if (!string_memcmp(f->sig, "_MP_", 4) && f->length == 1 &&
		    sum_ok(f, sizeof(*f)))
			return f;
	}
	return NULL;
}

/* Where the spec says to look (4): the EBDA's first KiB, the last KiB of
 * base memory, and the BIOS ROM at 0xf0000. */
static const struct mpf *find_mpf(void)
{
	uint64_t ebda = (uint64_t)*(const uint16_t *)phys_to_virt(0x40e) << 4;
	uint64_t base_kib = *(const uint16_t *)phys_to_virt(0x413);
	const struct mpf *f = NULL;

	if (ebda && ebda < 0xa0000)
		f = scan(ebda, 1024);
	if (!f && base_kib >= 1 && base_kib <= 640)
		f = scan(base_kib * 1024 - 1024, 1024);
	if (!f)
		f = scan(0x9fc00, 1024);	/* 639 KiB, if the BDA is empty */
	if (!f)
		f = scan(0xf0000, 0x10000);
	return f;
}

/* The IOAPIC's pin count, from its version register. */
static uint32_t ioapic_pins(uint64_t pa)
{
	volatile uint32_t *mmio = arch_map_mmio(pa, 4096);

	mmio[0] = IOAPIC_VER;
	return ((mmio[4] >> 16) & 0xff) + 1;
}

static int ioapic_index(uint8_t apic_id)
{
	for (unsigned int i = 0; i < acpi_info.nr_ioapics; i++)
		if (acpi_info.ioapics[i].id == apic_id)
			return (int)i;
	return -1;
}

/**
 * mptable_init() - read CPUs and interrupt routing from the MP table
 *
 * Context: boot CPU, after paging_init, when acpi_init() found no RSDP.
 * Return: true if a valid table with at least one CPU was read.
 */
bool mptable_init(void)
{
	const struct mpf *f = find_mpf();
	const struct mpc *c;
	const uint8_t *p, *end;
	bool isa_bus[MP_MAX_BUSES] = { false };
	uint32_t next_gsi = 0;

	if (!f)
		return false;
	if (f->feature[0] || !f->config) {
		kprintf("MP table: default configuration %u is not supported\n",
			f->feature[0]);
		return false;
	}
	c = phys_to_virt(f->config);
	if (string_memcmp(c->sig, "PCMP", 4) || !sum_ok(c, c->length)) {
		kprintf("MP table: bad configuration table at %#x\n", f->config);
		return false;
	}
	acpi_info.lapic_pa = c->lapic;
	for (unsigned int i = 0; i < 16; i++)
		acpi_info.isa_gsi[i] = i;

	/*
	 * First pass: CPUs, buses and IOAPICs; interrupt entries name them.
	 * Entries run to the table's length: qboot leaves the entry count 0,
	 * and Linux's reader (arch/x86/kernel/mpparse.c) ignores it too.
	 */
	p = (const uint8_t *)(c + 1);
	end = (const uint8_t *)c + c->length;
	while (p < end) {
		switch (p[0]) {
		case MP_CPU:
			if (p[3] & MP_CPU_ENABLED &&
			    acpi_info.nr_cpus_found < ACPI_MAX_APIC_IDS)
				acpi_info.apic_ids[acpi_info.nr_cpus_found++] = p[1];
			p += 20;
			continue;
		case MP_BUS:
			isa_bus[p[1]] = !string_memcmp(p + 2, "ISA   ", 6);
			break;
		case MP_IOAPIC:
			if (p[3] & MP_IOAPIC_USABLE &&
			    acpi_info.nr_ioapics < ACPI_MAX_IOAPICS) {
				unsigned int i = acpi_info.nr_ioapics++;
				uint32_t pa;

				memcpy(&pa, p + 4, 4);
				acpi_info.ioapics[i].id = p[1];
				acpi_info.ioapics[i].pa = pa;
				/* GSIs number the pins of the IOAPICs in order. */
				acpi_info.ioapics[i].gsi_base = next_gsi;
				next_gsi += ioapic_pins(pa);
			}
			break;
		case MP_INTSRC:
		case MP_LINTSRC:
			break;
		default:
			kprintf("MP table: unknown entry type %u, rest ignored\n", p[0]);
			p = end;
			continue;
		}
		p += 8;
	}

	/* Second pass: where each ISA IRQ arrives, with its polarity and
	 * trigger (same encoding as the MADT's override flags). */
	p = (const uint8_t *)(c + 1);
	while (p + 8 <= end) {
		if (p[0] == MP_INTSRC && p[1] == MP_INT && isa_bus[p[4]] && p[5] < 16) {
			int i = ioapic_index(p[6]);

			if (i >= 0) {
				acpi_info.isa_gsi[p[5]] = acpi_info.ioapics[i].gsi_base + p[7];
				memcpy(&acpi_info.isa_flags[p[5]], p + 2, 2);
			}
		}
		if (p[0] > MP_LINTSRC)
			break;
		p += p[0] == MP_CPU ? 20 : 8;
	}
	if (!acpi_info.nr_cpus_found || !acpi_info.nr_ioapics) {
		kprintf("MP table: no CPU or no IOAPIC\n");
		return false;
	}
	acpi_info.source = "mptable";
	return true;
}
