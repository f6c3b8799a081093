// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI enumeration: every function reachable from each root (an ECAM range,
 * or segment 0 by ports), recorded once at boot with its IDs, class, BARs
 * as firmware assigned them, capability offsets and INTx route. The table
 * is written by pci_init() before the DDE starts and only read afterwards,
 * so readers need no lock; configuration access itself is safe on any CPU
 * (arch/x86_64/pci_config.c).
 *
 * The scan follows Linux's drivers/pci/probe.c in what it reads, not in how
 * it is built: buses are visited breadth first from the root's first bus,
 * through each PCI-PCI bridge's secondary bus number as firmware
 * (SeaBIOS) set it, each bus once; function 0 of a device says whether
 * functions 1-7 exist (header type bit 7). BARs are sized the standard way
 * (write all ones, read back, restore) with the device's I/O and memory
 * decoding off meanwhile, as Linux's __pci_read_base() does, except on host
 * bridges (Linux's mmio_always_on). Nothing firmware assigned is moved:
 * SeaBIOS places every BAR before our PVH entry; qboot (and microvm's
 * firmware) none, and those BARs are placed by assign.c after the scan. A
 * function whose pin has no interrupt line from firmware gets the one the
 * machine's wiring implies (arch_pci_intx_line(): microvm), written back to
 * the register as firmware would.
 */
#include <ddeos/arch.h>
#include <ddeos/console.h>
#include <ddeos/errno.h>
#include <ddeos/fmt.h>
#include <ddeos/irq.h>
#include <ddeos/pci.h>
#include "assign.h"

/* Configuration header offsets (PCI Local Bus 3.0, 6.1; Linux's pci_regs.h
 * has them as PCI_VENDOR_ID and so on). */
#define CFG_VENDOR	0x00
#define CFG_COMMAND	0x04
#define CFG_STATUS	0x06
#define CFG_REVISION	0x08	/* dword: revision, then the 24-bit class */
#define CFG_HEADER	0x0e
#define CFG_BAR0	0x10
#define CFG_SECONDARY	0x19	/* type 1 */
#define CFG_SUBSYS	0x2c	/* type 0: vendor, then device */
#define CFG_CAP_PTR	0x34	/* type 0 and 1 */
#define CFG_CAP_PTR_CB	0x14	/* type 2 (CardBus) */
#define CFG_INT_LINE	0x3c
#define CFG_INT_PIN	0x3d

#define CMD_IO		0x1
#define CMD_MEM		0x2
#define STATUS_CAPS	0x10
#define CAP_MSI		0x05
#define CAP_PCIE	0x10
#define CAP_MSIX	0x11
/* At most (256 - 64) / 4 capabilities fit: a longer walk is a loop
 * (Linux's PCI_FIND_CAP_TTL). */
#define CAP_TTL		48

#define CLASS_HOST_BRIDGE 0x0600

static struct ddeos_pci_func funcs[PCI_MAX_FUNCS];
static unsigned int nr_funcs;

static uint32_t rd(const struct ddeos_pci_func *f, unsigned int off, unsigned int size)
{
	uint32_t v = ~0u;

	arch_pci_config_read(f->segment, f->bus, (uint8_t)(f->dev << 3 | f->fn),
			     (uint16_t)off, size, &v);
	return v;
}

static void wr(const struct ddeos_pci_func *f, unsigned int off, unsigned int size,
	       uint32_t v)
{
	arch_pci_config_write(f->segment, f->bus, (uint8_t)(f->dev << 3 | f->fn),
			      (uint16_t)off, size, v);
}

static bool is_ours(const struct ddeos_pci_func *f)
{
	return f >= funcs && f < funcs + nr_funcs;
}

/* Size the BAR at @off; return how many BAR slots it took (2 for 64-bit). */
static unsigned int size_bar(struct ddeos_pci_func *f, unsigned int off,
			     struct ddeos_pci_bar *bar, bool room_for_64)
{
	uint32_t lo = rd(f, off, 4), hi = 0, szlo, szhi = 0;
	uint64_t mask, val, sz;
	unsigned int slots = 1;

	if (lo & 1) {
		bar->flags = DDEOS_PCI_BAR_IO;
		mask = ~0x3ull;
	} else {
		bar->flags = DDEOS_PCI_BAR_MEM;
		if (lo & 0x8)
			bar->flags |= DDEOS_PCI_BAR_PREFETCH;
		if (((lo >> 1) & 3) == 2 && room_for_64) {
			bar->flags |= DDEOS_PCI_BAR_MEM64;
			slots = 2;
		}
		mask = ~0xfull;
	}
	wr(f, off, 4, ~0u);
	szlo = rd(f, off, 4);
	wr(f, off, 4, lo);
	if (slots == 2) {
		hi = rd(f, off + 4, 4);
		wr(f, off + 4, 4, ~0u);
		szhi = rd(f, off + 4, 4);
		wr(f, off + 4, 4, hi);
	}
	/* The size is the lowest address bit that took the ones (an I/O BAR
	 * may implement only 16 address bits; the lowest one still counts). */
	sz = ((uint64_t)szhi << 32 | szlo) & mask;
	val = ((uint64_t)hi << 32 | lo) & mask;
	if (szlo == ~0u)
		sz = 0;		/* even the type bits took the ones: no BAR */
	bar->size = sz & -sz;
	bar->start = bar->size ? val : 0;
	if (!bar->size)
		bar->flags = 0;
	else if (!bar->start)
		bar->flags |= DDEOS_PCI_BAR_UNASSIGNED;
	return slots;
}

static void read_bars(struct ddeos_pci_func *f, unsigned int nr_bars)
{
	uint16_t cmd = (uint16_t)rd(f, CFG_COMMAND, 2);
	bool quiet = (cmd & (CMD_IO | CMD_MEM)) && (f->class >> 8) != CLASS_HOST_BRIDGE;

	if (quiet)	/* no half-written BAR may decode meanwhile */
		wr(f, CFG_COMMAND, 2, cmd & ~(CMD_IO | CMD_MEM));
	for (unsigned int i = 0; i < nr_bars;)
		i += size_bar(f, CFG_BAR0 + 4 * i, &f->bar[i], i + 1 < nr_bars);
	if (quiet)
		wr(f, CFG_COMMAND, 2, cmd);
}

unsigned int pci_find_cap(const struct ddeos_pci_func *f, unsigned int id,
			  unsigned int start)
{
	unsigned int ptr, ttl = CAP_TTL;

	if (!is_ours(f) || !(rd(f, CFG_STATUS, 2) & STATUS_CAPS))
		return 0;
	if (start)
		ptr = rd(f, start + 1, 1);
	else
		ptr = rd(f, f->header_type == 2 ? CFG_CAP_PTR_CB : CFG_CAP_PTR, 1);
	for (ptr &= ~3u; ptr >= 0x40 && ttl--; ptr = rd(f, ptr + 1, 1) & ~3u)
		if (rd(f, ptr, 1) == id)
			return ptr;
	return 0;
}

static void read_caps(struct ddeos_pci_func *f)
{
	f->msi_cap = (uint8_t)pci_find_cap(f, CAP_MSI, 0);
	f->msix_cap = (uint8_t)pci_find_cap(f, CAP_MSIX, 0);
	f->pcie_cap = (uint8_t)pci_find_cap(f, CAP_PCIE, 0);
}

/*
 * The GSI of the function's INTx. SeaBIOS writes the interrupt line on both
 * machines as the ISA IRQ its PCI interrupt link is routed to (5, 9, 10 or
 * 11; on q35 too, through the ICH9's PIRQ routing registers, not the
 * IOAPIC's inputs 16-23 that Linux would find in the DSDT's _PRT), and
 * QEMU's MADT has an override for each of those IRQs: level-triggered,
 * active high. The IOAPIC input is the ISA IRQ's GSI. A line of 16 or more
 * (other firmware) is taken as a GSI itself: level, active high, as QEMU's
 * DSDT declares GSIs 16-23 (real PCI INTx is active low; without an AML
 * interpreter we cannot read _PRT).
 */
static void read_irq(struct ddeos_pci_func *f)
{
	bool level, active_low = false;

	f->irq_pin = (uint8_t)rd(f, CFG_INT_PIN, 1);
	f->irq_line = (uint8_t)rd(f, CFG_INT_LINE, 1);
	f->gsi = DDEOS_PCI_NO_GSI;
	if (f->irq_pin && f->irq_pin <= 4 && (!f->irq_line || f->irq_line == 0xff)) {
		unsigned int line = arch_pci_intx_line(f->segment, f->bus, f->dev, f->irq_pin);

		if (line && line < 0xff) {
			f->irq_line = (uint8_t)line;
			wr(f, CFG_INT_LINE, 1, line);
		}
	}
	if (!f->irq_pin || f->irq_pin > 4 || !f->irq_line || f->irq_line == 0xff)
		return;
	if (f->irq_line < 16)
		f->gsi = ioapic_isa_to_gsi(f->irq_line, &level, &active_low);
	else
		f->gsi = f->irq_line;
	f->gsi_level = 1;	/* PCI INTx is level-triggered, shared */
	f->gsi_active_low = active_low;
}

static const char *bar_kind(unsigned int flags)
{
	if (flags & DDEOS_PCI_BAR_IO)
		return "io";
	if (flags & DDEOS_PCI_BAR_MEM64)
		return flags & DDEOS_PCI_BAR_PREFETCH ? "mem64p" : "mem64";
	return flags & DDEOS_PCI_BAR_PREFETCH ? "memp" : "mem";
}

static void print_func(const struct ddeos_pci_func *f)
{
	char line[CONSOLE_LINE_MAX];
	size_t n;

	n = (size_t)fmt_snprintf(line, sizeof(line), "pci: %04x:%02x:%02x.%u %04x:%04x class %06x",
				 f->segment, f->bus, f->dev, f->fn, f->vendor, f->device, f->class);
	if (f->header_type == 1)
		n += (size_t)fmt_snprintf(line + n, sizeof(line) - n, " bridge to %02x",
					  f->secondary_bus);
	for (unsigned int i = 0; i < 6 && n < sizeof(line); i++)
		if (f->bar[i].size)
			n += (size_t)fmt_snprintf(line + n, sizeof(line) - n, " bar%u %s %#llx/%#llx%s",
						  i, bar_kind(f->bar[i].flags), f->bar[i].start,
						  f->bar[i].size,
						  f->bar[i].flags & DDEOS_PCI_BAR_UNASSIGNED ? "!" : "");
	if (f->gsi != DDEOS_PCI_NO_GSI && n < sizeof(line))
		n += (size_t)fmt_snprintf(line + n, sizeof(line) - n, " int%c line %u gsi %u",
					  'a' + f->irq_pin - 1, f->irq_line, f->gsi);
	if (f->msi_cap && n < sizeof(line))
		n += (size_t)fmt_snprintf(line + n, sizeof(line) - n, " msi@%#x", f->msi_cap);
	if (f->msix_cap && n < sizeof(line))
		fmt_snprintf(line + n, sizeof(line) - n, " msix@%#x", f->msix_cap);
	kprintf("%s\n", line);
}

/* Record function @devfn of @bus; return it, or NULL if the table is full. */
static struct ddeos_pci_func *add_func(uint16_t seg, uint8_t bus, uint8_t devfn)
{
	struct ddeos_pci_func *f;
	uint32_t id, rev;

	if (nr_funcs == PCI_MAX_FUNCS)
		return NULL;
	f = &funcs[nr_funcs++];
	f->segment = seg;
	f->bus = bus;
	f->dev = devfn >> 3;
	f->fn = devfn & 7;
	id = rd(f, CFG_VENDOR, 4);
	f->vendor = (uint16_t)id;
	f->device = (uint16_t)(id >> 16);
	rev = rd(f, CFG_REVISION, 4);
	f->revision = (uint8_t)rev;
	f->class = rev >> 8;
	f->header_type = (uint8_t)rd(f, CFG_HEADER, 1) & 0x7f;
	if (f->header_type == 0) {
		f->subsys_vendor = (uint16_t)rd(f, CFG_SUBSYS, 2);
		f->subsys_device = (uint16_t)rd(f, CFG_SUBSYS + 2, 2);
		read_bars(f, 6);
	} else if (f->header_type == 1) {
		f->secondary_bus = (uint8_t)rd(f, CFG_SECONDARY, 1);
		read_bars(f, 2);
	}
	read_caps(f);
	read_irq(f);
	return f;
}

static bool present(uint16_t seg, uint8_t bus, uint8_t devfn)
{
	uint32_t v;

	if (arch_pci_config_read(seg, bus, devfn, CFG_VENDOR, 2, &v))
		return false;
	return v != 0xffff && v != 0;
}

/*
 * Scan the buses of @root, breadth first: @queue holds buses to visit,
 * @seen the ones already queued (a misprogrammed bridge pointing back
 * cannot make us loop). Return: false once the table is full.
 */
static bool scan_root(const struct arch_pci_root *root)
{
	uint8_t queue[256];
	uint64_t seen[4] = { 0 };
	unsigned int head = 0, tail = 0;

	queue[tail++] = root->bus_start;
	seen[root->bus_start / 64] |= 1ull << (root->bus_start % 64);
	while (head < tail) {
		uint8_t bus = queue[head++];

		for (unsigned int dev = 0; dev < 32; dev++) {
			unsigned int nfn = 1;

			if (!present(root->segment, bus, (uint8_t)(dev << 3)))
				continue;
			for (unsigned int fn = 0; fn < nfn; fn++) {
				uint8_t devfn = (uint8_t)(dev << 3 | fn), sec;
				struct ddeos_pci_func *f;
				uint32_t hdr;

				if (fn && !present(root->segment, bus, devfn))
					continue;
				f = add_func(root->segment, bus, devfn);
				if (!f)
					return false;
				arch_pci_config_read(root->segment, bus, devfn, CFG_HEADER, 1, &hdr);
				if (!fn && (hdr & 0x80))
					nfn = 8;	/* multi-function device */
				sec = f->secondary_bus;
				if (f->header_type != 1 || sec < root->bus_start ||
				    sec > root->bus_end || (seen[sec / 64] & (1ull << (sec % 64))))
					continue;
				seen[sec / 64] |= 1ull << (sec % 64);
				queue[tail++] = sec;
			}
		}
	}
	return true;
}

static bool before(const struct ddeos_pci_func *a, const struct ddeos_pci_func *b)
{
	if (a->segment != b->segment)
		return a->segment < b->segment;
	if (a->bus != b->bus)
		return a->bus < b->bus;
	return (a->dev << 3 | a->fn) < (b->dev << 3 | b->fn);
}

void pci_init(void)
{
	struct arch_pci_root roots[8];
	unsigned int n = arch_pci_roots(roots, ARRAY_SIZE(roots));

	for (unsigned int r = 0; r < n; r++) {
		if (!scan_root(&roots[r])) {
			kprintf("pci: more than %u functions; the rest ignored\n",
				PCI_MAX_FUNCS);
			break;
		}
	}
	/* Insertion sort into bus order (breadth first is not, behind
	 * bridges): a few dozen entries. */
	for (unsigned int i = 1; i < nr_funcs; i++) {
		struct ddeos_pci_func f = funcs[i];
		unsigned int j = i;

		for (; j > 0 && before(&f, &funcs[j - 1]); j--)
			funcs[j] = funcs[j - 1];
		funcs[j] = f;
	}
	pci_assign(funcs, nr_funcs);
	for (unsigned int i = 0; i < nr_funcs; i++)
		print_func(&funcs[i]);
	if (!n) {
		kprintf("pci: no host bridge\n");
		return;
	}
	kprintf("pci: %u functions, configuration by %s\n", nr_funcs,
		arch_pci_config_read_via(ARCH_PCI_ECAM, roots[0].segment, roots[0].bus_start,
					 0, 0, 4, &(uint32_t){ 0 }) ? "ports 0xcf8/0xcfc" : "ECAM");
}

unsigned int pci_count(void)
{
	return nr_funcs;
}

const struct ddeos_pci_func *pci_get(unsigned int index)
{
	return index < nr_funcs ? &funcs[index] : NULL;
}

int pci_config_read(const struct ddeos_pci_func *f, unsigned int off,
		    unsigned int size, uint32_t *val)
{
	if (!is_ours(f) || off > 0xffff)
		return -EINVAL;
	return arch_pci_config_read(f->segment, f->bus, (uint8_t)(f->dev << 3 | f->fn),
				    (uint16_t)off, size, val);
}

int pci_config_write(const struct ddeos_pci_func *f, unsigned int off,
		     unsigned int size, uint32_t val)
{
	if (!is_ours(f) || off > 0xffff)
		return -EINVAL;
	return arch_pci_config_write(f->segment, f->bus, (uint8_t)(f->dev << 3 | f->fn),
				     (uint16_t)off, size, val);
}
