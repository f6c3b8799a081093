// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the host bridge of each QEMU machine offers PCI: the address windows
 * in which BARs left unassigned by firmware may be placed, the ECAM of a
 * machine without an MCFG table, and INTx routing where firmware wrote no
 * interrupt line. Linux reads all of this from the DSDT (PCI0's _CRS, _CBA
 * and _PRT); without an AML interpreter we use the layouts QEMU 7.2 builds
 * those objects from (hw/i386/microvm.c, hw/pci-host/q35.c, i440fx.c),
 * recognised by the host bridge's IDs, and assign nothing on any other.
 */
#include <arch/acpi.h>
#include <arch/cpu.h>
#include <arch/pci_host.h>
#include <ddeos/arch.h>
#include <ddeos/boot.h>

#define GiB(x)		((uint64_t)(x) << 30)

/* Host bridges at 00:00.0, vendor | device << 16. */
#define ID_Q35		0x29c08086u	/* Intel MCH (q35) */
#define ID_I440FX	0x12378086u	/* Intel 440FX (pc) */
#define ID_GPEX		0x00081b36u	/* QEMU's generic PCIe host (microvm) */

/*
 * microvm with pcie=on: ECAM for buses 0-255 at 0xe0000000, a 32-bit
 * window below it, a 64-bit window in the top quarter of the physical
 * address space, no I/O window (its DSDT declares none), and INTA-D of
 * slot N on GSI base + (N + pin - 1) % 4, base 16 with the second IOAPIC
 * (acpi=on's default) or 12 without it.
 */
#define MICROVM_ECAM	0xe0000000ull
#define MICROVM_MEM32	0xc0000000ull
#define MICROVM_MEM32_END 0xe0000000ull

/*
 * q35 and pc: QEMU's _CRS gives the 32-bit hole from the end of RAM below
 * 4 GiB to the IOAPIC at 0xfec00000, less q35's ECAM, and a 64-bit hole
 * (pci-hole64-size: 32 GiB on q35, 2 GiB on pc) from 4 GiB or the end of
 * RAM above it, rounded up to 1 GiB. For I/O we take 0xc000-0xffff, where
 * SeaBIOS puts I/O BARs: QEMU's own ports (ACPI PM at 0x600, hot-plug at
 * 0xae00/0xaf00) stay below.
 */
#define HOLE32_END	0xfec00000ull
#define HOLE64_Q35	GiB(32)
#define HOLE64_I440FX	GiB(2)
#define IO_START	0xc000ull
#define IO_END		0x10000ull

/* What sits at 00:00.0, once read (0: nothing known yet or none). */
static uint32_t host_id(void)
{
	static uint32_t id;

	if (!id && arch_pci_config_read(0, 0, 0, 0, 4, &id))
		id = 0;
	return id;
}

/* Context: boot CPU. Hardware-reduced ACPI (a sleep control register) on
 * QEMU means microvm, the only x86 machine that has it. */
uint64_t pci_host_fixed_ecam(void)
{
	return acpi_info.sleep_ctl ? MICROVM_ECAM : 0;
}

/* Context: boot CPU. */
bool pci_host_is_known(volatile uint8_t *ecam_bus0)
{
	return *(volatile uint32_t *)ecam_bus0 == ID_GPEX;
}

/* Context: any. Return: a short name of the host bridge. */
const char *arch_pci_host_name(void)
{
	switch (host_id()) {
	case ID_Q35:
		return "q35";
	case ID_I440FX:
		return "i440fx";
	case ID_GPEX:
		return "microvm gpex";
	}
	return "unknown";
}

static unsigned int add(struct arch_pci_window *w, unsigned int n, unsigned int max,
			enum arch_pci_window_kind kind, uint64_t start, uint64_t end)
{
	if (n < max && start < end) {
		w[n].start = start;
		w[n].end = end;
		w[n].kind = kind;
		n++;
	}
	return n;
}

static unsigned int phys_bits(void)
{
	uint32_t a, b, c, d;

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a < 0x80000008)
		return 36;
	cpuid(0x80000008, 0, &a, &b, &c, &d);
	return a & 0xff;
}

/* The 32-bit hole of q35/pc: above RAM, below the IOAPIC, minus ECAM. */
static unsigned int hole32(struct arch_pci_window *w, unsigned int n, unsigned int max)
{
	uint64_t start = 0;

	for (unsigned int i = 0; i < boot_info.nr_ram; i++)
		if (boot_info.ram[i].start < GiB(4) && boot_info.ram[i].end > start)
			start = boot_info.ram[i].end;
	start = ALIGN_UP(start, 1ull << 20);
	for (unsigned int i = 0; i < acpi_info.nr_mcfg; i++) {
		uint64_t lo = acpi_info.mcfg[i].base +
			      ((uint64_t)acpi_info.mcfg[i].bus_start << 20);
		uint64_t hi = acpi_info.mcfg[i].base +
			      ((uint64_t)(acpi_info.mcfg[i].bus_end + 1u) << 20);

		if (hi <= start || lo >= HOLE32_END)
			continue;
		n = add(w, n, max, ARCH_PCI_WIN_MEM32, start, lo);
		start = hi;
	}
	return add(w, n, max, ARCH_PCI_WIN_MEM32, start, HOLE32_END);
}

/* Context: after arch_pci_config_init(). */
unsigned int arch_pci_windows(uint16_t segment, struct arch_pci_window *w,
			      unsigned int max)
{
	unsigned int n = 0;
	uint64_t top;

	if (segment)
		return 0;
	switch (host_id()) {
	case ID_GPEX:
		n = add(w, n, max, ARCH_PCI_WIN_MEM32, MICROVM_MEM32, MICROVM_MEM32_END);
		top = 1ull << phys_bits();
		return add(w, n, max, ARCH_PCI_WIN_MEM64, top - top / 4, top);
	case ID_Q35:
	case ID_I440FX:
		n = add(w, n, max, ARCH_PCI_WIN_IO, IO_START, IO_END);
		n = hole32(w, n, max);
		top = ALIGN_UP(boot_info.max_phys > GiB(4) ? boot_info.max_phys : GiB(4),
			       GiB(1));
		return add(w, n, max, ARCH_PCI_WIN_MEM64, top,
			   top + (host_id() == ID_Q35 ? HOLE64_Q35 : HOLE64_I440FX));
	}
	return 0;
}

/* Context: any. */
unsigned int arch_pci_intx_line(uint16_t segment, uint8_t bus, uint8_t dev, uint8_t pin)
{
	if (host_id() != ID_GPEX || segment || bus || pin < 1 || pin > 4)
		return 0;	/* firmware's job; behind bridges: not done */
	return (acpi_info.nr_ioapics > 1 ? 16u : 12u) + (dev + pin - 1u) % 4u;
}
