// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI configuration space access, the two x86 ways: ECAM (PCI Express
 * memory-mapped configuration, where the ACPI MCFG table gives a range: QEMU
 * q35) and the legacy ports 0xCF8/0xCFC (configuration mechanism #1, for
 * segment 0 when no MCFG range covers the bus: QEMU pc). Linux does the same
 * choice in arch/x86/pci/mmconfig_64.c and direct.c. QEMU's microvm with
 * pcie=on has neither an MCFG table nor the ports: its ECAM is announced
 * only by the DSDT's _CBA, so it is taken from QEMU's fixed layout
 * (pci_host.c) when its host bridge answers there.
 *
 * ECAM needs no lock: each access is one load or store of its width. The
 * port method is two steps (address, then data) on one global register
 * pair, so it runs under a lock with IRQs off, from any context.
 */
#include <arch/acpi.h>
#include <arch/cpu.h>
#include <arch/pci_host.h>
#include <ddeos/arch.h>
#include <ddeos/errno.h>
#include <ddeos/spinlock.h>

#define PCI_CONF_ADDR	0xcf8
#define PCI_CONF_DATA	0xcfc
#define ECAM_BUS_SHIFT	20	/* 1 MiB per bus: 32 devices x 8 functions x 4 KiB */
#define ECAM_DEVFN_SHIFT 12

static struct {
	volatile uint8_t *va;	/* direct-map address of bus_start */
	uint16_t segment;
	uint8_t bus_start, bus_end;
} ecam[ACPI_MAX_MCFG];
static unsigned int nr_ecam;
static bool ports_present;
static struct spinlock pci_port_lock = SPINLOCK_INIT;

/*
 * Configuration mechanism #1 answers: the address register keeps what is
 * written to it (Linux's pci_check_type1() in arch/x86/pci/direct.c). On
 * microvm nothing decodes port 0xCF8 and the read gives all ones.
 */
static bool ports_answer(void)
{
	unsigned long flags = spinlock_lock_irqsave(&pci_port_lock);
	uint32_t old = inl(PCI_CONF_ADDR);
	bool ok;

	outl(PCI_CONF_ADDR, 0x80000000u);
	ok = inl(PCI_CONF_ADDR) == 0x80000000u;
	outl(PCI_CONF_ADDR, old);
	spinlock_unlock_irqrestore(&pci_port_lock, flags);
	return ok;
}

static void ecam_add(uint64_t base, uint16_t segment, uint8_t bus_start, uint8_t bus_end)
{
	uint64_t first = base + ((uint64_t)bus_start << ECAM_BUS_SHIFT);
	uint64_t buses = bus_end - bus_start + 1u;

	ecam[nr_ecam].va = arch_map_mmio(first, buses << ECAM_BUS_SHIFT);
	ecam[nr_ecam].segment = segment;
	ecam[nr_ecam].bus_start = bus_start;
	ecam[nr_ecam].bus_end = bus_end;
	nr_ecam++;
}

/*
 * Map the MCFG ranges (uncached, in the direct map: arch_map_mmio), else
 * the fixed ECAM of a machine known to have one without MCFG, and see
 * whether the ports answer. Context: boot CPU, after acpi_init().
 */
void arch_pci_config_init(void)
{
	uint64_t base;

	for (unsigned int i = 0; i < acpi_info.nr_mcfg; i++)
		ecam_add(acpi_info.mcfg[i].base, acpi_info.mcfg[i].segment,
			 acpi_info.mcfg[i].bus_start, acpi_info.mcfg[i].bus_end);
	ports_present = ports_answer();
	if (!nr_ecam && !ports_present) {
		base = pci_host_fixed_ecam();
		if (base) {
			ecam_add(base, 0, 0, 255);
			if (!pci_host_is_known(ecam[0].va))
				nr_ecam = 0;	/* nothing there: no PCI */
		}
	}
}

/* Context: any. Return: the number of roots written to @roots. */
unsigned int arch_pci_roots(struct arch_pci_root *roots, unsigned int max)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < nr_ecam && n < max; i++, n++) {
		roots[n].segment = ecam[i].segment;
		roots[n].bus_start = ecam[i].bus_start;
		roots[n].bus_end = ecam[i].bus_end;
	}
	if (!nr_ecam && ports_present && max) {	/* segment 0, every bus */
		roots[0].segment = 0;
		roots[0].bus_start = 0;
		roots[0].bus_end = 255;
		n = 1;
	}
	return n;
}

static volatile uint8_t *ecam_addr(uint16_t seg, uint8_t bus, uint8_t devfn,
				   uint16_t off)
{
	for (unsigned int i = 0; i < nr_ecam; i++)
		if (ecam[i].segment == seg && bus >= ecam[i].bus_start &&
		    bus <= ecam[i].bus_end)
			return ecam[i].va + ((uint64_t)(bus - ecam[i].bus_start) << ECAM_BUS_SHIFT) +
			       ((uint64_t)devfn << ECAM_DEVFN_SHIFT) + off;
	return NULL;
}

static int check_access(uint16_t off, unsigned int size, unsigned int limit)
{
	if ((size != 1 && size != 2 && size != 4) || off % size || off + size > limit)
		return -EINVAL;
	return 0;
}

static uint32_t port_addr(uint8_t bus, uint8_t devfn, uint16_t off)
{
	return 0x80000000u | (uint32_t)bus << 16 | (uint32_t)devfn << 8 | (off & 0xfc);
}

static void port_read(uint8_t bus, uint8_t devfn, uint16_t off, unsigned int size,
		      uint32_t *val)
{
	unsigned long flags = spinlock_lock_irqsave(&pci_port_lock);
	uint16_t data = PCI_CONF_DATA + (off & 3);

	outl(PCI_CONF_ADDR, port_addr(bus, devfn, off));
	*val = size == 1 ? inb(data) : size == 2 ? inw(data) : inl(data);
	spinlock_unlock_irqrestore(&pci_port_lock, flags);
}

static void port_write(uint8_t bus, uint8_t devfn, uint16_t off, unsigned int size,
		       uint32_t val)
{
	unsigned long flags = spinlock_lock_irqsave(&pci_port_lock);
	uint16_t data = PCI_CONF_DATA + (off & 3);

	outl(PCI_CONF_ADDR, port_addr(bus, devfn, off));
	if (size == 1)
		outb(data, (uint8_t)val);
	else if (size == 2)
		outw(data, (uint16_t)val);
	else
		outl(data, val);
	spinlock_unlock_irqrestore(&pci_port_lock, flags);
}

/*
 * One load of exactly @size bytes: a device may act on the access width
 * (and QEMU's MMIO dispatch passes it on), so no wider or split access.
 */
static uint32_t ecam_read(volatile uint8_t *p, unsigned int size)
{
	if (size == 1)
		return *p;
	if (size == 2)
		return *(volatile uint16_t *)p;
	return *(volatile uint32_t *)p;
}

static void ecam_write(volatile uint8_t *p, unsigned int size, uint32_t val)
{
	if (size == 1)
		*p = (uint8_t)val;
	else if (size == 2)
		*(volatile uint16_t *)p = (uint16_t)val;
	else
		*(volatile uint32_t *)p = val;
}

/*
 * Which way @method reaches the register: *ecam_p set for ECAM, NULL for
 * the ports. Return: 0, -EINVAL or -ENODEV.
 */
static int reach(enum arch_pci_method method, uint16_t seg, uint8_t bus, uint8_t devfn,
		 uint16_t off, unsigned int size, volatile uint8_t **ecam_p)
{
	int err;

	*ecam_p = NULL;
	if (method != ARCH_PCI_PORT) {
		err = check_access(off, size, 4096);
		if (err)
			return err;
		*ecam_p = ecam_addr(seg, bus, devfn, off);
		if (*ecam_p)
			return 0;
		if (method == ARCH_PCI_ECAM)
			return -ENODEV;
	}
	err = check_access(off, size, 256);
	if (err)
		return err;
	return seg || !ports_present ? -ENODEV : 0;
}

/*
 * Read through @method (ARCH_PCI_ANY: ECAM if a range covers the bus, else
 * the ports). Context: any. Return: 0, -EINVAL for a bad size, offset or
 * alignment (the ports reach only the first 256 bytes), -ENODEV if the
 * method cannot reach the segment/bus (or the machine has no ports).
 * Absent functions read as all ones.
 */
int arch_pci_config_read_via(enum arch_pci_method method, uint16_t seg, uint8_t bus,
			     uint8_t devfn, uint16_t off, unsigned int size, uint32_t *val)
{
	volatile uint8_t *p;
	int err = reach(method, seg, bus, devfn, off, size, &p);

	if (err)
		return err;
	if (p)
		*val = ecam_read(p, size);
	else
		port_read(bus, devfn, off, size, val);
	return 0;
}

int arch_pci_config_read(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off,
			 unsigned int size, uint32_t *val)
{
	return arch_pci_config_read_via(ARCH_PCI_ANY, seg, bus, devfn, off, size, val);
}

/* Write, ECAM if a range covers the bus, else the ports. Context: any.
 * Return: as arch_pci_config_read_via(). */
int arch_pci_config_write(uint16_t seg, uint8_t bus, uint8_t devfn, uint16_t off,
			  unsigned int size, uint32_t val)
{
	volatile uint8_t *p;
	int err = reach(ARCH_PCI_ANY, seg, bus, devfn, off, size, &p);

	if (err)
		return err;
	if (p)
		ecam_write(p, size, val);
	else
		port_write(bus, devfn, off, size, val);
	return 0;
}
